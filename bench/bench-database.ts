/**
 * Fresh databases for each measurement: a `mymedic_bench_<random>` database on the PostgreSQL server, or a new
 * in-memory PGlite loaded from a migrated image (initdb costs seconds; loading the image about one).
 */
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { ALL_MIGRATIONS } from '../src/migration-sets.ts';
import { PgliteEngine } from '../src/store/engines/pglite-engine.ts';
import { migrate } from '../src/store/migrate.ts';

/** The server's admin connection: it creates and drops the benchmark databases. */
export const ADMIN_URL = process.env['MYMEDIC_BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface FreshDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

export async function createFreshDatabase(adminUrl: string = ADMIN_URL): Promise<FreshDatabase> {
  const name = `mymedic_bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

/** One statement on its own connection to `adminUrl` (CREATE/DROP DATABASE cannot run in a transaction). */
export async function adminQuery(
  adminUrl: string,
  text: string,
  params: readonly unknown[] = [],
): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await client.query(text, [...params]);
  } finally {
    await client.end();
  }
}

export interface PgliteImage {
  readonly path: string;
  remove(): Promise<void>;
}

/** Writes a migrated, empty PGlite data directory to a temporary file. */
export async function createPgliteImage(): Promise<PgliteImage> {
  const engine = await PgliteEngine.open();
  try {
    await migrate(engine, ALL_MIGRATIONS);
    const image = await engine.pglite.dumpDataDir('none');
    const path = join(tmpdir(), `mymedic-bench-${randomBytes(6).toString('hex')}.tar`);
    await writeFile(path, Buffer.from(await image.arrayBuffer()));
    return { path, remove: () => rm(path, { force: true }) };
  } finally {
    await engine.close();
  }
}

export async function loadPgliteImage(path: string): Promise<Blob> {
  return new Blob([await readFile(path)]);
}

/** A bare PGlite instance from the image, for the baseline that speaks to it without MyMedic's engine. */
export async function openPgliteFromImage(path: string): Promise<PGlite> {
  return PGlite.create('memory://', { loadDataDir: await loadPgliteImage(path) });
}
