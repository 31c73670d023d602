import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { MyMedicError } from '../shared/errors.ts';
import type { Engine, Sql } from './engines/engine.ts';

/** A folder of `NNNN_name.sql` files owned by one module (store, compliance, projections, ...). */
export interface MigrationSet {
  readonly module: string;
  readonly directory: URL;
}

export interface MigrationReport {
  readonly applied: readonly { module: string; version: number; name: string }[];
  readonly alreadyApplied: number;
}

export const STORE_MIGRATIONS: MigrationSet = {
  module: 'store',
  directory: new URL('./migrations/', import.meta.url),
};

// Any constant works; it only has to be the same for every migrator of every MyMedic process.
const MIGRATION_LOCK_KEY = 727_274_001;

/**
 * Applies the sets' migrations in order, each file in its own transaction, under a session advisory lock so
 * that concurrent starts do not race. Idempotent: applied files are skipped; an applied file whose content
 * changed is an error, because the database no longer matches the code that describes it.
 */
export async function migrate(engine: Engine, sets: readonly MigrationSet[]): Promise<MigrationReport> {
  return engine.withConnection(async (sql) => {
    await sql.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await sql.query('create schema if not exists mymedic');
      await sql.query(`create table if not exists mymedic.schema_migrations (
        module text not null, version integer not null, name text not null, checksum text not null,
        applied_at timestamptz not null default now(), primary key (module, version))`);
      const applied: { module: string; version: number; name: string }[] = [];
      let alreadyApplied = 0;
      for (const set of sets) {
        const done = await appliedChecksums(sql, set.module);
        for (const file of await migrationFiles(set)) {
          const previous = done.get(file.version);
          if (previous === file.checksum) {
            alreadyApplied++;
            continue;
          }
          if (previous !== undefined) {
            throw new MyMedicError(
              'MIGRATION_CHANGED',
              `migration ${set.module}/${file.name} changed after it was applied`,
              {
                module: set.module,
                version: file.version,
              },
            );
          }
          await applyOne(sql, set.module, file);
          applied.push({ module: set.module, version: file.version, name: file.name });
        }
      }
      return { applied, alreadyApplied };
    } finally {
      await sql.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}

interface MigrationFile {
  readonly version: number;
  readonly name: string;
  readonly text: string;
  readonly checksum: string;
}

export async function migrationFiles(set: MigrationSet): Promise<MigrationFile[]> {
  const names = (await readdir(set.directory)).filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name)).sort();
  return Promise.all(
    names.map(async (name) => {
      const text = await readFile(new URL(name, set.directory), 'utf8');
      return {
        version: Number(name.slice(0, 4)),
        name,
        text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    }),
  );
}

async function appliedChecksums(sql: Sql, module: string): Promise<Map<number, string>> {
  const { rows } = await sql.query<{ version: number; checksum: string }>(
    'select version, checksum from mymedic.schema_migrations where module = $1',
    [module],
  );
  return new Map(rows.map((row) => [row.version, row.checksum]));
}

async function applyOne(sql: Sql, module: string, file: MigrationFile): Promise<void> {
  await sql.query('begin');
  try {
    await sql.query(file.text);
    await sql.query(
      'insert into mymedic.schema_migrations (module, version, name, checksum) values ($1, $2, $3, $4)',
      [module, file.version, file.name, file.checksum],
    );
    await sql.query('commit');
  } catch (error) {
    await sql.query('rollback');
    throw error;
  }
}
