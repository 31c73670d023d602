import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { it } from 'node:test';
import { AppendNotifier, EVENTS_CHANNEL } from './append-notifier.ts';
import type { QueryResult, Sql } from './engines/engine.ts';

/** Records the tenants of every NOTIFY statement; each statement takes `latencyMs` to complete. */
function recordingSql(latencyMs = 0): Sql & { readonly sent: string[][] } {
  const sent: string[][] = [];
  return {
    sent,
    async query<R>(_text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      assert.equal(params?.[0], EVENTS_CHANNEL);
      sent.push([...(params?.[1] as string[])].sort());
      if (latencyMs > 0) await sleep(latencyMs);
      return { rows: [], rowCount: 0 };
    },
  };
}

it('announces the first append at once and gathers the next ones into one statement per window', async () => {
  const sql = recordingSql();
  const notifier = new AppendNotifier(sql, 30);
  notifier.notify('t1');
  assert.deepEqual(sql.sent, [['t1']]);
  notifier.notify('t2');
  notifier.notify('t1');
  notifier.notify('t3');
  assert.equal(sql.sent.length, 1, 'nothing more inside the window');
  await sleep(60);
  assert.deepEqual(sql.sent, [['t1'], ['t1', 't2', 't3']]);
  await sleep(60);
  assert.equal(sql.sent.length, 2, 'nothing pending, nothing sent');
});

it('sends what is due on the next call even when timers cannot run', async () => {
  const sql = recordingSql();
  const notifier = new AppendNotifier(sql, 20);
  const started = performance.now();
  // A loop that awaits only promises settled in-process, as appends on the embedded engine can: no timer
  // fires until it ends.
  notifier.notify('t1');
  while (sql.sent.length < 2 && performance.now() - started < 1_000) {
    notifier.notify('t2');
    await null;
  }
  assert.deepEqual(sql.sent, [['t1'], ['t2']]);
  assert.ok(performance.now() - started >= 20, 'not before the window ended');
});

it('keeps at most one statement in flight and sends what arrived meanwhile afterwards', async () => {
  const sql = recordingSql(40);
  const notifier = new AppendNotifier(sql, 0);
  notifier.notify('t1');
  notifier.notify('t2');
  assert.deepEqual(sql.sent, [['t1']]);
  await sleep(60);
  assert.deepEqual(sql.sent, [['t1'], ['t2']]);
});
