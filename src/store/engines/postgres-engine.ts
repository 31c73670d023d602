import pg from 'pg';
import { PooledEngine, quoteIdentifier } from './pooled-engine.ts';

export interface PostgresEngineOptions {
  readonly connectionString: string;
  readonly maxConnections?: number;
  /** A role to `SET ROLE` to on every new connection (the application role that cannot bypass RLS). */
  readonly role?: string;
}

/** A PostgreSQL 15+ server, selected by DATABASE_URL. */
export class PostgresEngine extends PooledEngine {
  readonly kind = 'postgres' as const;
  readonly location: string;

  constructor(private readonly options: PostgresEngineOptions) {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      application_name: 'mymedic',
    });
    if (options.role) {
      const setRole = `set role ${quoteIdentifier(options.role)}`;
      pool.on('connect', (client) => {
        client.query(setRole).catch((error: unknown) => client.emit('error', error));
      });
    }
    // An idle client losing its server must not crash the process; the pool replaces it.
    pool.on('error', () => undefined);
    super(pool);
    this.location = redactPassword(options.connectionString);
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    // A dedicated connection outside the pool: LISTEN is session state and must not be shared.
    const client = new pg.Client({ connectionString: this.options.connectionString });
    client.on('error', () => undefined);
    await client.connect();
    client.on('notification', (message) => {
      if (message.channel === channel) onNotify(message.payload ?? '');
    });
    await client.query(`listen ${quoteIdentifier(channel)}`);
    return async () => {
      await client.end().catch(() => undefined);
    };
  }
}

function redactPassword(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres';
  }
}
