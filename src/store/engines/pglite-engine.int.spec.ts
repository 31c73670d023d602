import assert from 'node:assert/strict';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, mock } from 'node:test';
import { DataDirectoryLockedError } from '../errors.ts';
import { LOCK_FILE_NAME } from './data-dir-lock.ts';
import { PGDATA_DIR, PgliteEngine } from './pglite-engine.ts';

// One directory for the whole file: creating a cluster (initdb) costs seconds, reopening it well under one.
const scratch = fs.mkdtempSync(join(tmpdir(), 'mymedic-pglite-'));
const dataDir = join(scratch, 'data');
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

async function setting(engine: PgliteEngine, name: string): Promise<string> {
  const { rows } = await engine.query<{ setting: string }>(
    'select setting from pg_settings where name = $1',
    [name],
  );
  return rows[0]!.setting;
}

/** How many fsync() calls reached Node's file system while `work` ran. */
async function fsyncsDuring(work: () => Promise<unknown>): Promise<number> {
  const spy = mock.method(fs, 'fsyncSync');
  try {
    await work();
    return spy.mock.callCount();
  } finally {
    spy.mock.restore();
  }
}

const commitOne = (engine: PgliteEngine) =>
  engine.transaction((sql) => sql.query('insert into durability_probe (n) values (1)'));

describe('PgliteEngine on a data directory', () => {
  it('is durable by default: fsync on, WAL synced with fsync(), and each commit fsyncs the disk', async () => {
    const engine = await PgliteEngine.open({ dataDir });
    try {
      assert.equal(await setting(engine, 'fsync'), 'on');
      assert.equal(await setting(engine, 'wal_sync_method'), 'fsync');
      await engine.query('create table durability_probe (n integer)');
      assert.ok((await fsyncsDuring(() => commitOne(engine))) >= 1);
      const reads = await fsyncsDuring(() => engine.query('select count(*) from durability_probe'));
      assert.equal(reads, 0, 'a read-only statement has nothing to sync');
    } finally {
      await engine.close();
    }
  });

  it('with durable: false runs as PGlite does, fsync off, and never syncs', async () => {
    const engine = await PgliteEngine.open({ dataDir, durable: false });
    try {
      assert.equal(await setting(engine, 'fsync'), 'off');
      assert.equal(await fsyncsDuring(() => commitOne(engine)), 0);
      const { rows } = await engine.query<{ count: string }>('select count(*) from durability_probe');
      assert.equal(rows[0]?.count, '2', 'the durable run committed one row and this one another');
    } finally {
      await engine.close();
    }
  });

  it('keeps the cluster in pgdata/ beside the lock, refuses a second open, and unlocks on close', async () => {
    const engine = await PgliteEngine.open({ dataDir, durable: false });
    try {
      assert.equal(engine.location, dataDir);
      assert.ok(fs.existsSync(join(dataDir, PGDATA_DIR, 'PG_VERSION')));
      assert.ok(fs.existsSync(join(dataDir, LOCK_FILE_NAME)));
      await assert.rejects(PgliteEngine.open({ dataDir }), DataDirectoryLockedError);
    } finally {
      await engine.close();
    }
    assert.equal(fs.existsSync(join(dataDir, LOCK_FILE_NAME)), false);
  });
});
