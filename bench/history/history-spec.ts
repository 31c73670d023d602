/**
 * Which demo history a benchmark runs on, and the fingerprint that says whether a cached copy of it is still
 * the one this code would build: the history's parameters, every migration's checksum (the tables it lives
 * in) and the event catalogue's types and schema versions (what the events look like).
 */
import { createHash } from 'node:crypto';
import { EVENT_CATALOGUE } from '../../src/domain/catalogue/event-catalogue.ts';
import { ALL_MIGRATIONS } from '../../src/migration-sets.ts';
import { migrationFiles } from '../../src/store/migrate.ts';

export interface HistorySpec {
  readonly seed: number;
  readonly tenants: number;
  readonly days: number;
  /** The demo's demand multiplier. */
  readonly scale: number;
}

/** Bump when the way a history is built or loaded changes in a way the inputs below do not show. */
const HISTORY_FORMAT = 1;

export async function historyFingerprint(spec: HistorySpec): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ format: HISTORY_FORMAT, ...spec }));
  for (const set of ALL_MIGRATIONS) {
    for (const file of await migrationFiles(set))
      hash.update(`${set.module}/${file.name}:${file.checksum}\n`);
  }
  for (const definition of EVENT_CATALOGUE) hash.update(`${definition.type}@${definition.schemaVersion}\n`);
  return hash.digest('hex');
}
