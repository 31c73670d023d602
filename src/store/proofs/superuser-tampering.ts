/**
 * Test-only: acts as an attacker holding the database superuser's credentials. The immutability triggers stop
 * the table owner, but a superuser can switch them off for a session (`session_replication_role = replica`);
 * the hash chain is what must still give the change away.
 */
import type { Engine, Sql } from '../engines/engine.ts';

/**
 * Applies `mutate` with the triggers off and hands `inspect` an engine that reads the tampered database on the
 * same connection, then rolls everything back: each mutation starts from the same untouched history, as on a
 * fresh copy of the database.
 */
export async function inspectTampered<T>(
  engine: Engine,
  mutate: (sql: Sql) => Promise<unknown>,
  inspect: (tampered: Engine) => Promise<T>,
): Promise<T> {
  return engine.withConnection(async (sql) => {
    await sql.query('begin');
    try {
      await sql.query('set local session_replication_role = replica');
      await mutate(sql);
      await sql.query('set local session_replication_role = origin');
      return await inspect(sessionEngine(engine, sql));
    } finally {
      await sql.query('rollback');
    }
  });
}

/** Commits a mutation with the triggers off, for proofs that hand the tampered database to another process. */
export async function tamperCommitted(engine: Engine, mutate: (sql: Sql) => Promise<unknown>): Promise<void> {
  await engine.transaction(async (sql) => {
    await sql.query('set local session_replication_role = replica');
    await mutate(sql);
  });
}

/** An engine confined to one connection that is inside an open transaction. */
function sessionEngine(engine: Engine, sql: Sql): Engine {
  const refuse = (): Promise<never> =>
    Promise.reject(new Error('a tampered view only reads; it cannot nest transactions or listen'));
  return {
    kind: engine.kind,
    location: engine.location,
    query: (text, params) => sql.query(text, params),
    withConnection: (work) => work(sql),
    transaction: refuse,
    listen: refuse,
    close: async () => undefined,
  };
}
