import pg from 'pg';
import type { Engine, EngineKind, QueryOptions, QueryResult, Sql } from './engine.ts';

/**
 * Engine behaviour shared by both engines: node-postgres pool, checked-out clients, transactions.
 * Queries run on a checked-out client because `pool.query()` destroys the connection whenever a statement
 * fails, which turns every conflict into a reconnect.
 */
export abstract class PooledEngine implements Engine {
  abstract readonly kind: EngineKind;
  abstract readonly location: string;

  constructor(protected readonly pool: pg.Pool) {}

  query<R = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<QueryResult<R>> {
    return this.withConnection((sql) => sql.query<R>(text, params, options));
  }

  async withConnection<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      return await work(asSql(client));
    } catch (error) {
      if (isConnectionFailure(error)) broken = error as Error;
      throw error;
    } finally {
      client.release(broken);
    }
  }

  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.withConnection(async (sql) => {
      await sql.query('begin');
      try {
        const result = await work(sql);
        await sql.query('commit');
        return result;
      } catch (error) {
        await sql.query('rollback').catch(() => undefined);
        throw error;
      }
    });
  }

  abstract listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export function asSql(client: pg.ClientBase): Sql {
  return {
    query: async <R>(text: string, params?: readonly unknown[], options?: QueryOptions) => {
      const values = params as unknown[] | undefined;
      const result = await (options?.prepareAs || options?.arrayRows
        ? client.query({
            text,
            values,
            ...(options.prepareAs ? { name: options.prepareAs } : {}),
            ...(options.arrayRows ? { rowMode: 'array' as const, types: TEXT_VALUES } : {}),
          })
        : client.query(text, values));
      return { rows: result.rows as R[], rowCount: result.rowCount };
    },
  };
}

/**
 * Type parsers that leave every value as its text. node-postgres also passes a query's `types` to the Parse
 * message as parameter type ids, and PGlite's adapter iterates them as an array: an empty array carrying the
 * `getTypeParser` method satisfies both.
 */
const TEXT_VALUES = Object.assign([], {
  getTypeParser: () => (text: string) => text,
}) as unknown as pg.CustomTypesConfig;

/** Errors that leave the connection unusable (as opposed to SQL errors, after which it is fine). */
function isConnectionFailure(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') return code.startsWith('08') || code.startsWith('57P');
  return /connection|terminated|ECONN/i.test(String(message));
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
