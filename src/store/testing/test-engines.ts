import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import { ALL_MIGRATIONS } from '../../migration-sets.ts';
import type { Engine, EngineKind } from '../engines/engine.ts';
import { PgliteEngine } from '../engines/pglite-engine.ts';
import { PostgresEngine } from '../engines/postgres-engine.ts';
import { migrate, type MigrationSet } from '../migrate.ts';

/** The server the integration tests use; each test file gets a database of its own on it. */
export const TEST_POSTGRES_URL =
  process.env['MYMEDIC_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export const ENGINE_KINDS: readonly EngineKind[] = ['pglite', 'postgres'];

export interface TestDatabase {
  readonly engine: Engine;
  /** Connection string of the fresh database (postgres only), e.g. for a second process or a superuser. */
  readonly url?: string;
  dispose(): Promise<void>;
}

const IMAGE_CACHE_DIR = join(process.cwd(), 'node_modules', '.cache', 'mymedic');

let migratedPgliteImage: Promise<Blob> | undefined;

/** A fresh, migrated database on the given engine. */
export async function openTestDatabase(
  kind: EngineKind,
  options: { maxConnections?: number; migrations?: readonly MigrationSet[] } = {},
): Promise<TestDatabase> {
  const migrations = options.migrations ?? ALL_MIGRATIONS;
  if (kind === 'pglite') {
    // initdb costs 2-3 s (far more on a busy machine); loading a migrated image costs ~0.3 s. The image is
    // cached on disk under the migrations' checksum, so test processes share it.
    migratedPgliteImage ??= cachedPgliteImage(migrations);
    const engine = await PgliteEngine.open({ loadDataDir: await migratedPgliteImage });
    return { engine, dispose: () => engine.close() };
  }
  const name = `mymedic_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = withDatabase(TEST_POSTGRES_URL, name);
  const engine = new PostgresEngine({ connectionString: url, maxConnections: options.maxConnections ?? 10 });
  await migrate(engine, migrations);
  return {
    engine,
    url,
    dispose: async () => {
      await engine.close();
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

/**
 * Declares the same suite once per engine: the contract every engine must honour.
 * `db()` returns the current engine's database, fresh for the suite.
 */
export function describeEachEngine(
  title: string,
  suite: (db: () => TestDatabase, kind: EngineKind) => void,
): void {
  for (const kind of ENGINE_KINDS) {
    describe(`${title} [${kind}]`, () => {
      let database: TestDatabase | undefined;
      before(async () => {
        database = await openTestDatabase(kind);
      });
      after(async () => {
        await database?.dispose();
      });
      suite(() => {
        if (!database) throw new Error('test database not open yet');
        return database;
      }, kind);
    });
  }
}

async function cachedPgliteImage(migrations: readonly MigrationSet[]): Promise<Blob> {
  const hash = createHash('sha256');
  for (const set of migrations) {
    for (const name of (await readdir(set.directory)).sort()) {
      hash
        .update(set.module)
        .update(name)
        .update(await readFile(new URL(name, set.directory)));
    }
  }
  const file = join(IMAGE_CACHE_DIR, `pglite-${hash.digest('hex').slice(0, 16)}.tar`);
  try {
    return new Blob([await readFile(file)]);
  } catch {
    const seed = await PgliteEngine.open();
    await migrate(seed, migrations);
    const image = await seed.pglite.dumpDataDir('none');
    await seed.close();
    await mkdir(IMAGE_CACHE_DIR, { recursive: true });
    const temporary = `${file}.${process.pid}`;
    await writeFile(temporary, Buffer.from(await image.arrayBuffer()));
    await rename(temporary, file);
    return image;
  }
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
