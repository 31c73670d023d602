/**
 * Out-of-order commits on a real PostgreSQL server: sequence values are handed out in one order and
 * committed in another. The global feed and subscriptions must still deliver every event exactly once.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { asSql } from './engines/pooled-engine.ts';
import { PgEventStore } from './pg-event-store.ts';
import { CatchUpSubscription } from './subscriptions/catch-up-subscription.ts';
import { openTestDatabase, type TestDatabase } from './testing/test-engines.ts';
import { collect, freshStream, newEvents } from './testing/event-factory.ts';
import type { GlobalCursor } from './event-store.ts';

describe('global feed under out-of-order commits [postgres]', () => {
  let db: TestDatabase;
  let store: PgEventStore;
  before(async () => {
    db = await openTestDatabase('postgres', { maxConnections: 20 });
    store = new PgEventStore(db.engine);
  });
  after(() => db.dispose());

  const connect = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    return client;
  };

  it('holds back a later commit until an earlier-started transaction ends, then serves both once', async () => {
    const held = await connect();
    try {
      const cursorBefore = lastCursor(await collect(store.readGlobalFeed()));
      await held.query('begin');
      const early = newEvents(2);
      await store.appendToStream(freshStream(), 'no_stream', early, { in: asSql(held) });
      const late = newEvents(2);
      await store.appendToStream(freshStream(), 'no_stream', late);

      const whileHeld = await collect(store.readGlobalFeed({ after: cursorBefore }));
      assert.deepEqual(whileHeld, [], 'nothing after the open transaction may be served yet');

      await held.query('commit');
      // Any transaction open elsewhere in the cluster delays the feed (never loses from it): wait for quiet.
      const expected = [...early, ...late].map((event) => event.eventId);
      let ids: string[] = [];
      for (const deadline = Date.now() + 10_000; ids.length < expected.length && Date.now() < deadline;) {
        ids = (await collect(store.readGlobalFeed({ after: cursorBefore }))).map((event) => event.eventId);
        if (ids.length < expected.length) await sleep(20);
      }
      assert.deepEqual(ids, expected);
    } finally {
      await held.end();
    }
  });

  it('wakes a subscriber soon after a transaction that held its events back ends, without a notification', async () => {
    const start = lastCursor(await collect(store.readGlobalFeed()));
    await db.engine.query(
      `insert into mymedic.subscription_checkpoints (subscription_id, tx_id, global_position)
        values ('held-back', $1::text::xid8, $2)`,
      [String(start.txId), start.globalPosition],
    );
    const seen: string[] = [];
    const subscription = new CatchUpSubscription(db.engine, {
      subscriptionId: 'held-back',
      // Far beyond the wait below: only the subscription's own look-again can deliver in time.
      pollIntervalMs: 120_000,
      handle: async (events) => {
        seen.push(...events.map((event) => event.eventId));
      },
    });
    await subscription.start();
    const held = await connect();
    try {
      await held.query('begin');
      await held.query('select pg_current_xact_id()');
      const appended = await store.appendToStream(freshStream(), 'no_stream', newEvents(2));
      // The append's notification wakes the subscriber while its events are still held back.
      await sleep(300);
      assert.deepEqual(seen, []);
      await held.query('commit');
      await subscription.waitFor(appended, 20_000);
    } finally {
      await held.end();
      await subscription.stop();
    }
    assert.equal(seen.length, 2);
  });

  it('misses and repeats nothing while writers commit in random order and a reader tails the feed', async () => {
    const start = lastCursor(await collect(store.readGlobalFeed()));
    const committed = new Set<string>();
    const attempted = new Set<string>();
    const tailed: string[] = [];
    const subscribed: string[] = [];
    const subscription = new CatchUpSubscription(db.engine, {
      subscriptionId: 'ordering-stress',
      pollIntervalMs: 20,
      batchSize: 37,
      handle: async (events) => {
        subscribed.push(...events.map((event) => event.eventId));
      },
      onError: (error) => subscriptionErrors.push(error),
    });
    const subscriptionErrors: unknown[] = [];
    await db.engine.query(
      `insert into mymedic.subscription_checkpoints (subscription_id, tx_id, global_position)
        values ('ordering-stress', $1::text::xid8, $2)`,
      [String(start.txId), start.globalPosition],
    );
    await subscription.start();

    let writing = true;
    const writer = async (id: number): Promise<void> => {
      const client = await connect();
      try {
        for (let round = 0; round < 25; round++) {
          const events = newEvents(1 + (round % 4));
          for (const event of events) attempted.add(event.eventId);
          await client.query('begin');
          await store.appendToStream(freshStream(`tenant-w${id}`), 'no_stream', events, {
            in: asSql(client),
          });
          await sleep(Math.floor(Math.random() * 8));
          if (round % 7 === 3) {
            await client.query('rollback');
          } else {
            await client.query('commit');
            for (const event of events) committed.add(event.eventId);
          }
        }
      } finally {
        await client.end();
      }
    };
    const reader = async (): Promise<void> => {
      let cursor = start;
      while (writing) {
        const page = await collect(store.readGlobalFeed({ after: cursor, batchSize: 13, limit: 13 }));
        tailed.push(...page.map((event) => event.eventId));
        cursor = lastCursor(page, cursor);
        if (page.length === 0) await sleep(2);
      }
      // Transactions open elsewhere in the cluster may still hold the last events back for a moment.
      for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
        const rest = await collect(store.readGlobalFeed({ after: cursor }));
        tailed.push(...rest.map((event) => event.eventId));
        cursor = lastCursor(rest, cursor);
        if (tailed.filter((id) => committed.has(id)).length >= committed.size) break;
        await sleep(20);
      }
    };

    const reading = reader();
    await Promise.all(Array.from({ length: 8 }, (_, id) => writer(id)));
    writing = false;
    await reading;
    const deadline = Date.now() + 10_000;
    const subscribedMine = (): number => subscribed.filter((id) => committed.has(id)).length;
    while (subscribedMine() < committed.size && Date.now() < deadline) await sleep(20);
    await subscription.stop();
    assert.deepEqual(subscriptionErrors, []);

    for (const [name, seen] of [
      ['tailing reader', tailed],
      ['subscription', subscribed],
    ] as const) {
      // Events of earlier tests may still have been held back when this test took its start position.
      const unique = new Set(seen.filter((id) => attempted.has(id)));
      assert.equal(seen.length - new Set(seen).size, 0, `${name} repeated events`);
      const missed = [...committed].filter((id) => !unique.has(id));
      assert.equal(missed.length, 0, `${name} missed ${missed.length} of ${committed.size} events`);
      const rolledBack = [...unique].filter((id) => !committed.has(id));
      assert.deepEqual(rolledBack, [], `${name} saw events of rolled-back transactions`);
    }
    assert.ok(committed.size > 300);
  });
});

function lastCursor(
  events: readonly { txId: number; globalPosition: number }[],
  fallback: GlobalCursor = { txId: 0, globalPosition: 0 },
): GlobalCursor {
  const last = events.at(-1);
  return last ? { txId: last.txId, globalPosition: last.globalPosition } : fallback;
}
