import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { RecordedEvent } from './envelope.ts';
import type { StoredRow } from './event-row.ts';
import { readInPages } from './read-in-pages.ts';

/** An array row (text values, as bulk reads receive them) whose tenant_seq is `seq`. */
function row(seq: number): StoredRow {
  return [
    `00000000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    'test.happened',
    '1',
    't1',
    null,
    'booking',
    'b-1',
    String(seq),
    '1764235800000',
    '1764235800000',
    null,
    null,
    '{"id":"staff-1","kind":"staff","role":"desk"}',
    `{"n":${seq}}`,
    String(seq),
    String(seq),
    '1000',
  ];
}

/** A log of `total` events by tenant_seq; records every fetch as [after, take]. */
function fakeLog(total: number) {
  const fetches: [number, number][] = [];
  return {
    fetches,
    fetch: async (after: number, take: number): Promise<StoredRow[]> => {
      fetches.push([after, take]);
      const rows: StoredRow[] = [];
      for (let seq = after + 1; seq <= Math.min(total, after + take); seq++) rows.push(row(seq));
      return rows;
    },
    next: (last: RecordedEvent) => last.tenantSeq,
  };
}

async function seqs(events: AsyncIterable<RecordedEvent>): Promise<number[]> {
  const result: number[] = [];
  for await (const event of events) result.push(event.tenantSeq);
  return result;
}

it('reads every row once, in order, page after page, and stops at a short page', async () => {
  const log = fakeLog(7);
  assert.deepEqual(await seqs(readInPages({ first: 0, batchSize: 3, ...log })), [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(log.fetches, [
    [0, 4],
    [3, 4],
    [6, 4],
  ]);
});

it('needs no round trip beyond an exactly full last page, and reads no more than the limit', async () => {
  const full = fakeLog(6);
  assert.deepEqual(await seqs(readInPages({ first: 0, batchSize: 3, ...full })), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(full.fetches, [
    [0, 4],
    [3, 4],
  ]);
  const limited = fakeLog(100);
  assert.deepEqual(
    await seqs(readInPages({ first: 0, batchSize: 3, limit: 5, ...limited })),
    [1, 2, 3, 4, 5],
  );
  assert.deepEqual(limited.fetches, [
    [0, 4],
    [3, 3],
  ]);
});

it('asks for the next page before the reader has taken the current one', async () => {
  const log = fakeLog(10);
  const reader = readInPages({ first: 0, batchSize: 4, ...log })[Symbol.asyncIterator]();
  const first = await reader.next();
  assert.equal(first.value?.tenantSeq, 1);
  assert.deepEqual(log.fetches, [
    [0, 5],
    [4, 5],
  ]);
  await reader.return?.();
});

it('lets the event loop run while it hands out a page, so the next page keeps arriving', async () => {
  // Handing out events never waits for I/O: without pauses a connection would not read its socket all page.
  let turns = 0;
  let reading = true;
  const countTurns = (): void => {
    turns++;
    if (reading) setImmediate(countTurns);
  };
  setImmediate(countTurns);
  assert.equal((await seqs(readInPages({ first: 0, batchSize: 500, ...fakeLog(1_000) }))).length, 1_000);
  reading = false;
  assert.ok(turns >= 4, `the event loop ran ${turns} times during two pages of 500`);
});

it('leaves no unhandled rejection behind when the reader stops before a failing page', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  process.on('unhandledRejection', onUnhandled);
  try {
    const pages = readInPages({ first: 0, batchSize: 2, fetch: pagesThenFailure(), next: seqOf });
    for await (const event of pages) if (event.tenantSeq === 1) break;
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(unhandled, []);
    await assert.rejects(
      seqs(readInPages({ first: 0, batchSize: 2, fetch: pagesThenFailure(), next: seqOf })),
      /connection lost/,
    );
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

function seqOf(last: RecordedEvent): number {
  return last.tenantSeq;
}

/** A full first page, then an error on every later page. */
function pagesThenFailure(): (after: number, take: number) => Promise<StoredRow[]> {
  let calls = 0;
  return async (after, take) => {
    calls++;
    if (calls > 1) throw new Error('connection lost');
    return Array.from({ length: take }, (_, i) => row(after + i + 1));
  };
}
