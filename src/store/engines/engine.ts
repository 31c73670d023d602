/**
 * The one seam between the store and a PostgreSQL-dialect database. Both engines (a PostgreSQL server and
 * embedded PGlite) speak through node-postgres, so everything above this file is engine-agnostic.
 */
export interface QueryResult<R> {
  readonly rows: R[];
  readonly rowCount: number | null;
}

export interface QueryOptions {
  /**
   * Prepare the statement under this name, once per connection, and reuse its plan: for the store's hottest
   * statements. A name always goes with the same text. Wrappers that ignore it only lose the saving.
   */
  readonly prepareAs?: string;
  /**
   * Rows as arrays of the columns' text, in select order, nothing parsed: for bulk reads that decode rows
   * themselves. Wrappers that ignore it return ordinary rows, which such readers must accept too.
   */
  readonly arrayRows?: boolean;
}

/** Something that runs SQL with bound parameters: a pooled connection or an open transaction. */
export interface Sql {
  query<R = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<QueryResult<R>>;
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
