/**
 * The peer: Emmett 0.42's PostgreSQL event store, used as its documentation shows — `appendToStream` with an
 * exact `expectedStreamVersion`, `readStream`, and the log read with `readMessagesBatch({ after, batchSize })`
 * carrying `currentGlobalPosition` from page to page, which is exactly the loop of its consumers' message puller
 * (postgreSQLEventStoreMessageBatchPuller) without the puller's sleeps between pages.
 */
import type { Event } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore, readMessagesBatch } from '@event-driven-io/emmett-postgresql';
import pg from 'pg';
import type { NewEvent, StreamId } from '../../src/store/envelope.ts';
import type { BenchTarget } from '../measurement.ts';
import type { BenchSystem, LogTail } from './bench-system.ts';
import { metadataOf } from './metadata-of.ts';

type EmmettEvent = Event<string, Record<string, unknown>, Record<string, unknown>>;
type SqlExecutor = Parameters<typeof readMessagesBatch>[0];

export async function openEmmettSystem(target: BenchTarget): Promise<BenchSystem> {
  if (target.engine !== 'postgres') throw new Error('the Emmett baseline runs on the PostgreSQL server only');
  const store = getPostgreSQLEventStore(target.url);
  // Its schema is otherwise created lazily by the first append, inside the timed part.
  await store.schema.migrate();
  // The consumer opens a pool of its own for reading; so does this reader.
  const readerPool = new pg.Pool({ connectionString: target.url, max: 2 });
  const executor = poolExecutor(readerPool);

  return {
    async append(stream, expectedVersion, events) {
      await store.appendToStream(streamName(stream), events.map(toEmmettEvent), {
        expectedStreamVersion: BigInt(expectedVersion),
      });
    },

    async readStream(stream) {
      const { events } = await store.readStream(streamName(stream));
      return events.length;
    },

    tailLog(pageSize): LogTail {
      let after = 0n;
      return {
        async *pass() {
          for (;;) {
            const page = await readMessagesBatch(executor, { after, batchSize: pageSize });
            for (const message of page.messages) yield Number(message.metadata.globalPosition);
            after = page.currentGlobalPosition;
            if (!page.areMessagesLeft) return;
          }
        },
      };
    },

    async storedPositions() {
      const { rows } = await readerPool.query<{ global_position: string | bigint }>(
        'select global_position from emt_messages',
      );
      return rows.map((row) => Number(row.global_position));
    },

    async close() {
      await store.close();
      await readerPool.end();
    },
  };
}

/** Emmett takes the stream type from the name's first dash-separated part. */
function streamName(stream: StreamId): string {
  return `${stream.aggregateType}-${stream.tenantId}_${stream.aggregateId}`;
}

function toEmmettEvent(event: NewEvent): EmmettEvent {
  return {
    type: event.eventType,
    data: event.payload as Record<string, unknown>,
    metadata: { messageId: event.eventId, ...metadataOf(event) },
  };
}

/** Emmett's SQL executor is four methods over one pool, as its own node-postgres executor is. */
function poolExecutor(pool: pg.Pool): SqlExecutor {
  const run = async (sql: string) => {
    const { rowCount, rows } = await pool.query(sql);
    return { rowCount, rows };
  };
  const runAll = async (sqls: string[]) => {
    const results = [];
    for (const sql of sqls) results.push(await run(sql));
    return results;
  };
  return { query: run, command: run, batchQuery: runAll, batchCommand: runAll } as SqlExecutor;
}
