/**
 * An open transaction seen as an Engine, so that engine-based code (`new PgEventStore(…)`) runs inside it:
 * several reads and a write of one request share one connection, one scope and one commit. Nested
 * transactions join the open one.
 */
import type { Engine, QueryOptions, QueryResult, Sql } from '../store/engines/engine.ts';

export function transactionEngine(tx: Sql, outer: Engine): Engine {
  return {
    kind: outer.kind,
    location: outer.location,
    query: <R = Record<string, unknown>>(
      text: string,
      params?: readonly unknown[],
      options?: QueryOptions,
    ): Promise<QueryResult<R>> => tx.query<R>(text, params, options),
    withConnection: (work) => work(tx),
    transaction: (work) => work(tx),
    listen: (channel, onNotify) => outer.listen(channel, onNotify),
    // The transaction belongs to whoever opened it.
    close: async () => {},
  };
}
