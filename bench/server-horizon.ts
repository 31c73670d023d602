/**
 * Readers that only read below the oldest running transaction (MyMedic's feed, Emmett's log) cannot see a
 * commit until every transaction that started before it has ended — on the whole server, other databases
 * included, since transaction ids are cluster-wide. On a shared server an unrelated open transaction holds
 * them back; this waits for that, so "not delivered yet" is not counted as "missed".
 */
import pg from 'pg';
import type { BenchTarget } from './measurement.ts';

const POLL_MS = 20;
const GIVE_UP_MS = 120_000;

/** Waits until every transaction running now has ended; returns how long that took, in milliseconds. */
export async function waitForEarlierTransactions(target: BenchTarget): Promise<number> {
  // PGlite has one connection: nothing else can be running.
  if (target.engine !== 'postgres') return 0;
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    const snapshot = async () =>
      (
        await client.query<{ xmin: string; xmax: string }>(
          `select pg_snapshot_xmin(s)::text as xmin, pg_snapshot_xmax(s)::text as xmax
             from pg_current_snapshot() as s`,
        )
      ).rows[0] as { xmin: string; xmax: string };
    const horizon = BigInt((await snapshot()).xmax);
    const started = performance.now();
    while (BigInt((await snapshot()).xmin) < horizon) {
      if (performance.now() - started > GIVE_UP_MS) {
        throw new Error(`a transaction on the server has been open for over ${GIVE_UP_MS / 1000} s`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    return performance.now() - started;
  } finally {
    await client.end();
  }
}
