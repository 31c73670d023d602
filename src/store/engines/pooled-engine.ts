import pg from 'pg';
import type { Engine, EngineKind, QueryResult, Sql } from './engine.ts';

/**
 * Engine behaviour shared by both engines: node-postgres pool, checked-out clients, transactions.
 * Queries run on a checked-out client because `pool.query()` destroys the connection whenever a statement
 * fails, which turns every conflict into a reconnect.
 */
export abstract class PooledEngine implements Engine {
  abstract readonly kind: EngineKind;
  abstract readonly location: string;

  constructor(protected readonly pool: pg.Pool) {}

  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return this.withConnection((sql) => sql.query<R>(text, params));
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
    query: async <R>(text: string, params?: readonly unknown[]) => {
      const result = await client.query(text, params as unknown[] | undefined);
      return { rows: result.rows as R[], rowCount: result.rowCount };
    },
  };
}

/** Errors that leave the connection unusable (as opposed to SQL errors, after which it is fine). */
function isConnectionFailure(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') return code.startsWith('08') || code.startsWith('57P');
  return /connection|terminated|ECONN/i.test(String(message));
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
