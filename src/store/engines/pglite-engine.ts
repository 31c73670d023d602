/**
 * Embedded PostgreSQL (PGlite, WASM) reached through node-postgres, so the store runs the same SQL on it.
 * A data directory holds `mymedic.lock` (one process at a time, see data-dir-lock.ts) and the cluster in
 * `pgdata/`; other MyMedic files may sit beside them and never end up in `dumpDataDir()` images.
 * Guarantees and figures: docs/embedded-engine.md.
 */
import fs from 'node:fs';
import { dirname, join } from 'node:path';
import { PGlite, type postgresMod } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { NodeFS } from '@electric-sql/pglite/nodefs';
import pg from 'pg';
import { MyMedicError } from '../../shared/errors.ts';
import { lockDataDirectory, type DataDirectoryLock } from './data-dir-lock.ts';
import { PooledEngine } from './pooled-engine.ts';

type PostgresMod = postgresMod.PostgresMod;

export interface PgliteEngineOptions {
  /** A directory for the data files (created if missing), or undefined for an in-memory database. */
  readonly dataDir?: string;
  /** A tarball from `dumpDataDir()` to start from (tests load a migrated image instead of running initdb). */
  readonly loadDataDir?: Blob;
  /**
   * Whether a commit reaches the disk before it is acknowledged, so that it survives an OS crash or power
   * loss, not only a crash of this process. Default true; ignored in memory.
   */
  readonly durable?: boolean;
}

export const PGDATA_DIR = 'pgdata';

// PGlite starts PostgreSQL with -F (fsync off). WAL is synced with fsync() because that is the call
// FsyncingNodeFS makes real; emscripten's fdatasync() (the Linux default method) stays a no-op.
const DURABLE_SETTINGS = [
  'fsync=on',
  'wal_sync_method=fsync',
  'synchronous_commit=on',
  'full_page_writes=on',
];
const DURABLE_START_PARAMS = [
  ...PGlite.defaultStartParams.filter((param) => param !== '-F'),
  ...DURABLE_SETTINGS.flatMap((setting) => ['-c', setting]),
];

/**
 * One connection: every statement is serialised. The data directory is locked while the engine is open,
 * because a second process on it would silently lose committed rows.
 */
export class PgliteEngine extends PooledEngine {
  readonly kind = 'pglite' as const;
  readonly location: string;

  private constructor(
    readonly pglite: PGlite,
    location: string,
    private readonly lock?: DataDirectoryLock,
  ) {
    super(new pg.Pool({ ...createPgConfig(pglite), max: 1 }));
    this.location = location;
  }

  /** @throws DataDirectoryLockedError when another live process has the data directory open. */
  static async open(options: PgliteEngineOptions = {}): Promise<PgliteEngine> {
    const image = options.loadDataDir ? { loadDataDir: options.loadDataDir } : {};
    if (options.dataDir === undefined) {
      return new PgliteEngine(await PGlite.create('memory://', image), 'memory://');
    }
    const lock = lockDataDirectory(options.dataDir);
    try {
      const pgdata = join(lock.dataDir, PGDATA_DIR);
      const fresh = !fs.existsSync(join(pgdata, 'PG_VERSION'));
      const durable = options.durable ?? true;
      const pglite = await PGlite.create({
        ...image,
        ...(durable
          ? { fs: new FsyncingNodeFS(pgdata), startParams: DURABLE_START_PARAMS }
          : { fs: new NodeFS(pgdata) }),
      });
      // initdb's files (or a loaded image) were copied in without fsync; PostgreSQL only syncs what it writes.
      if (durable && fresh) {
        fsyncTree(pgdata);
        fsyncPath(lock.dataDir);
        fsyncPath(dirname(lock.dataDir));
      }
      return new PgliteEngine(pglite, lock.dataDir, lock);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    // PGlite's own LISTEN must not interleave with the node-postgres adapter's protocol messages, so it runs
    // while this engine's only connection is held.
    const unlisten = await this.withConnection(() => this.pglite.listen(channel, onNotify));
    return () => this.withConnection(() => unlisten());
  }

  override async close(): Promise<void> {
    try {
      await super.close();
      await this.pglite.close();
    } finally {
      this.lock?.release();
    }
  }
}

/**
 * PGlite's Node filesystem with fsync reaching the disk. Emscripten's NODEFS defines no fsync, so PostgreSQL's
 * fsync() calls report success without syncing anything, whatever `fsync` is set to.
 */
class FsyncingNodeFS extends NodeFS {
  override async init(
    db: PGlite,
    options: Partial<PostgresMod>,
  ): Promise<{ emscriptenOpts: Partial<PostgresMod> }> {
    const { emscriptenOpts } = await super.init(db, options);
    // Installed before PostgreSQL starts, so crash recovery's sync of the data directory is real too.
    return {
      emscriptenOpts: { ...emscriptenOpts, preRun: [...(emscriptenOpts.preRun ?? []), installFsync] },
    };
  }
}

/** The parts of emscripten's NODEFS that durable mode relies on (internals of the pinned PGlite 0.5.16). */
interface NodefsInternals {
  stream_ops?: { fsync?: (stream: { nfd: number }) => number };
  tryFSOperation?: (operation: () => void) => void;
}

function installFsync(mod: PostgresMod): void {
  const nodefs = mod.NODEFS as unknown as NodefsInternals | undefined;
  const streamOps = nodefs?.stream_ops;
  const tryFSOperation = nodefs?.tryFSOperation;
  if (typeof streamOps !== 'object' || typeof tryFSOperation !== 'function') {
    throw new MyMedicError(
      'PGLITE_FSYNC_UNAVAILABLE',
      'this PGlite build changed its Node filesystem; durable mode cannot sync to disk (set MYMEDIC_PGLITE_FSYNC=off to run without)',
    );
  }
  // tryFSOperation turns a Node error into an errno, so a failed fsync reaches PostgreSQL, which PANICs on it.
  streamOps.fsync = (stream) => {
    tryFSOperation(() => fs.fsyncSync(stream.nfd));
    return 0;
  };
}

function fsyncTree(path: string): void {
  if (fs.statSync(path).isDirectory()) {
    for (const name of fs.readdirSync(path)) fsyncTree(join(path, name));
  }
  fsyncPath(path);
}

function fsyncPath(path: string): void {
  const fd = fs.openSync(path, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
