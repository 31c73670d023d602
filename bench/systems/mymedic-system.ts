/** MyMedic's store through its port, on either engine, with the schema its migrations create. */
import { ALL_MIGRATIONS } from '../../src/migration-sets.ts';
import type { Engine } from '../../src/store/engines/engine.ts';
import { PgliteEngine } from '../../src/store/engines/pglite-engine.ts';
import { PostgresEngine } from '../../src/store/engines/postgres-engine.ts';
import { START_OF_FEED, type GlobalCursor } from '../../src/store/event-store.ts';
import { migrate } from '../../src/store/migrate.ts';
import { PgEventStore } from '../../src/store/pg-event-store.ts';
import { loadPgliteImage } from '../bench-database.ts';
import type { BenchTarget } from '../measurement.ts';
import type { BenchSystem, LogTail } from './bench-system.ts';

export async function openMyMedicSystem(target: BenchTarget): Promise<BenchSystem> {
  const engine = await openEngine(target);
  await migrate(engine, ALL_MIGRATIONS);
  const store = new PgEventStore(engine);

  return {
    async append(stream, expectedVersion, events) {
      await store.appendToStream(stream, expectedVersion, events);
    },

    async readStream(stream) {
      let count = 0;
      for await (const _event of store.readStream(stream)) count++;
      return count;
    },

    tailLog(pageSize): LogTail {
      let after: GlobalCursor = START_OF_FEED;
      return {
        async *pass() {
          for await (const event of store.readGlobalFeed({ after, batchSize: pageSize })) {
            after = { txId: event.txId, globalPosition: event.globalPosition };
            yield event.globalPosition;
          }
        },
      };
    },

    async storedPositions() {
      const { rows } = await engine.query<{ global_position: string }>(
        'select global_position from mymedic.events',
      );
      return rows.map((row) => Number(row.global_position));
    },

    close: () => engine.close(),
  };
}

async function openEngine(target: BenchTarget): Promise<Engine> {
  if (target.engine === 'postgres')
    return new PostgresEngine({ connectionString: target.url, maxConnections: 10 });
  return PgliteEngine.open({ loadDataDir: await loadPgliteImage(target.imagePath) });
}
