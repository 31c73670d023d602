/**
 * The writer that crash.int.spec.ts kills with SIGKILL. It opens the store the environment selects (as the
 * service does), migrates, then appends 20-event batches forever from several concurrent loops per tenant,
 * each batch spread over two streams in one atomic append. Right after each append resolves it prints one
 * JSON line: the acknowledgement the test holds the store to.
 *
 *   node --import tsx crash-writer.child.ts <round>
 */
import { ALL_MIGRATIONS } from '../../migration-sets.ts';
import { uuidV7 } from '../../shared/uuid-v7.ts';
import type { NewEvent } from '../envelope.ts';
import { openEngine } from '../engines/open-engine.ts';
import { TenantOrderRaceError } from '../errors.ts';
import { migrate } from '../migrate.ts';
import { PgEventStore } from '../pg-event-store.ts';
import { BATCH_SIZE, type Acknowledgement } from './crash-probe.ts';

const TENANTS = ['crash-a', 'crash-b', 'crash-c'];
const LOOPS_PER_TENANT = 2;
const STREAMS_PER_LOOP = 3;

async function writeForever(
  store: PgEventStore,
  round: string,
  tenantId: string,
  loop: number,
): Promise<never> {
  for (let n = 0; ; n++) {
    const batchId = `${round}/${tenantId}/${loop}/${n}`;
    const events: NewEvent[] = Array.from({ length: BATCH_SIZE }, (_, index) => ({
      eventId: uuidV7(),
      eventType: 'crash.probe_written',
      schemaVersion: 1,
      occurredAt: new Date(),
      actor: { id: 'crash-writer', kind: 'system', role: 'test' },
      payload: { batchId, index },
    }));
    // Uneven, changing splits: a batch ends at a different point of each of its two streams every time.
    const split = 1 + ((n * 7) % (BATCH_SIZE - 1));
    const stream = (offset: number) => ({
      tenantId,
      aggregateType: 'probe',
      aggregateId: `${tenantId}-${loop}-${(n + offset) % STREAMS_PER_LOOP}`,
    });
    const writes = [
      { stream: stream(0), expectedVersion: 'any' as const, events: events.slice(0, split) },
      { stream: stream(1), expectedVersion: 'any' as const, events: events.slice(split) },
    ];
    for (;;) {
      try {
        const result = await store.appendMulti(tenantId, writes);
        const ack: Acknowledgement = {
          batchId,
          tenantId,
          eventIds: events.map((event) => event.eventId),
          firstTenantSeq: result.firstTenantSeq,
          lastTenantSeq: result.lastTenantSeq,
        };
        process.stdout.write(`${JSON.stringify(ack)}\n`);
        break;
      } catch (error) {
        // Two loops of one tenant race for its order; the store asks for a retry of the same append.
        if (!(error instanceof TenantOrderRaceError)) throw error;
      }
    }
  }
}

const round = process.argv[2] ?? 'r0';
const engine = await openEngine();
await migrate(engine, ALL_MIGRATIONS);
const store = new PgEventStore(engine);
await Promise.all(
  TENANTS.flatMap((tenantId) =>
    Array.from({ length: LOOPS_PER_TENANT }, (_, loop) => writeForever(store, round, tenantId, loop)),
  ),
);
