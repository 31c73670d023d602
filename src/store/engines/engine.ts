/**
 * The one seam between the store and a PostgreSQL-dialect database. Both engines (a PostgreSQL server and
 * embedded PGlite) speak through node-postgres, so everything above this file is engine-agnostic.
 */
export interface QueryResult<R> {
  readonly rows: R[];
  readonly rowCount: number | null;
}

/** Something that runs SQL with bound parameters: a pooled connection or an open transaction. */
export interface Sql {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

export type EngineKind = 'postgres' | 'pglite';

export interface Engine extends Sql {
  readonly kind: EngineKind;
  /** A human-readable location (URL without password, or data directory) for logs and errors. */
  readonly location: string;
  /** Runs `work` on one connection, outside a transaction. */
  withConnection<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  /** Runs `work` inside BEGIN … COMMIT, rolling back if it throws. */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  /** Calls `onNotify` for every NOTIFY on `channel`; resolves to a function that stops listening. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
