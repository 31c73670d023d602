import pg from 'pg';
import type { BenchTarget } from './measurement.ts';

/** Gathers the planner's statistics for every table of the target's database (PostgreSQL only). */
export async function analyzeDatabase(target: BenchTarget): Promise<void> {
  if (target.engine !== 'postgres') return;
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    await client.query('analyze');
  } finally {
    await client.end();
  }
}
