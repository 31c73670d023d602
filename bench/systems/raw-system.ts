/**
 * The ceiling: plain `pg` on a minimal append-only table. A unique (stream, version) key is the whole
 * optimistic-concurrency check; appends are one prepared INSERT (one row, or one multi-row VALUES list) and
 * autocommit, so each append is one round trip and one commit. Reading the log is keyset paging on the
 * position — fast, and unsafe while writers commit out of position order.
 */
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';
import type { StreamId } from '../../src/store/envelope.ts';
import { openPgliteFromImage } from '../bench-database.ts';
import type { BenchTarget } from '../measurement.ts';
import type { BenchSystem, LogTail } from './bench-system.ts';
import { metadataOf } from './metadata-of.ts';

const COLUMNS = ['stream_id', 'version', 'event_id', 'event_type', 'data', 'metadata'] as const;
const SELECT_EVENT =
  'select position, stream_id, version, event_id, event_type, data, metadata from raw_events';

export async function openRawSystem(target: BenchTarget): Promise<BenchSystem> {
  const { pool, close } = await connect(target);
  await pool.query(`create table raw_events (
    position bigint generated always as identity primary key,
    stream_id text not null,
    version bigint not null,
    event_id uuid not null,
    event_type text not null,
    data jsonb not null,
    metadata jsonb not null,
    unique (stream_id, version))`);

  return {
    async append(stream, expectedVersion, events) {
      const values = events.flatMap((event, i) => [
        streamKey(stream),
        expectedVersion + i + 1,
        event.eventId,
        event.eventType,
        JSON.stringify(event.payload),
        JSON.stringify(metadataOf(event)),
      ]);
      await pool.query({ name: `raw_append_${events.length}`, text: insertText(events.length), values });
    },

    async readStream(stream) {
      const { rows } = await pool.query({
        name: 'raw_read_stream',
        text: `${SELECT_EVENT} where stream_id = $1 order by version`,
        values: [streamKey(stream)],
      });
      return rows.length;
    },

    tailLog(pageSize): LogTail {
      let after = 0;
      return {
        async *pass() {
          for (;;) {
            const { rows } = await pool.query<{ position: string }>({
              name: 'raw_read_log',
              text: `${SELECT_EVENT} where position > $1 order by position limit $2`,
              values: [after, pageSize],
            });
            for (const row of rows) {
              after = Number(row.position);
              yield after;
            }
            if (rows.length < pageSize) return;
          }
        },
      };
    },

    async storedPositions() {
      const { rows } = await pool.query<{ position: string }>('select position from raw_events');
      return rows.map((row) => Number(row.position));
    },

    close,
  };
}

async function connect(target: BenchTarget): Promise<{ pool: pg.Pool; close(): Promise<void> }> {
  if (target.engine === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: 10 });
    return { pool, close: () => pool.end() };
  }
  // PGlite has one connection: everything is serialised, as it is for MyMedic's embedded engine.
  const pglite = await openPgliteFromImage(target.imagePath);
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
  return {
    pool,
    close: async () => {
      await pool.end();
      await pglite.close();
    },
  };
}

function streamKey(stream: StreamId): string {
  return `${stream.tenantId}/${stream.aggregateType}/${stream.aggregateId}`;
}

const insertTexts = new Map<number, string>();

function insertText(rows: number): string {
  let text = insertTexts.get(rows);
  if (text === undefined) {
    text = buildInsert(rows);
    insertTexts.set(rows, text);
  }
  return text;
}

function buildInsert(rows: number): string {
  const tuples = Array.from({ length: rows }, (_, row) => {
    const params = COLUMNS.map((_, column) => `$${row * COLUMNS.length + column + 1}`);
    return `(${params.join(', ')})`;
  });
  return `insert into raw_events (${COLUMNS.join(', ')}) values ${tuples.join(', ')}`;
}
