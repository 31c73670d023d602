/**
 * Test helper: waits until an append is visible in the global feed. The feed hides everything at or above
 * the oldest running transaction of the whole PostgreSQL cluster, so another database's long transaction
 * (e.g. another test file's) can hold back a replay that reads "to the head" right after appending.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Sql } from '../../store/engines/engine.ts';
import type { AppendResult } from '../../store/event-store.ts';

export async function waitUntilInFeed(sql: Sql, append: AppendResult, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await sql.query<{ visible: boolean }>(
      'select $1::text::xid8 < pg_snapshot_xmin(pg_current_snapshot()) as visible',
      [String(append.txId)],
    );
    if (rows[0]?.visible) return;
    if (Date.now() > deadline) throw new Error(`append of transaction ${append.txId} still not in the feed`);
    await sleep(20);
  }
}
