import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';
import { PooledEngine } from './pooled-engine.ts';

export interface PgliteEngineOptions {
  /** A directory for the data files, or undefined for an in-memory database. */
  readonly dataDir?: string;
  /** A tarball from `dumpDataDir()` to start from (tests load a migrated image instead of running initdb). */
  readonly loadDataDir?: Blob;
}

/**
 * Embedded PostgreSQL (PGlite, WASM) reached through node-postgres, so the store runs the same SQL on it.
 * One connection: every statement is serialised, which is also what makes single-process use safe.
 */
export class PgliteEngine extends PooledEngine {
  readonly kind = 'pglite' as const;
  readonly location: string;

  private constructor(
    readonly pglite: PGlite,
    location: string,
  ) {
    super(new pg.Pool({ ...createPgConfig(pglite), max: 1 }));
    this.location = location;
  }

  static async open(options: PgliteEngineOptions = {}): Promise<PgliteEngine> {
    const pglite = await PGlite.create(options.dataDir ?? 'memory://', {
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
    return new PgliteEngine(pglite, options.dataDir ?? 'memory://');
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    return this.pglite.listen(channel, onNotify);
  }

  override async close(): Promise<void> {
    await super.close();
    await this.pglite.close();
  }
}
