/**
 * Test support for the care and finance command endpoints: an app with every command route (the scheduling
 * ones set up the clinic and its bookings through the API), one key per kind of caller — finance and a
 * payment gateway included — and a count of the tenant's events to prove a refusal wrote nothing.
 */
import type { Engine } from '../../../store/engines/engine.ts';
import type { Actor } from '../../../store/envelope.ts';
import { PgEventStore } from '../../../store/pg-event-store.ts';
import type { NewApiKey } from '../../../tenancy/credentials/credential-schemas.ts';
import { CARE_AND_FINANCE_COMMAND_ROUTES } from '../care-and-finance-routes.ts';
import { SCHEDULING_COMMAND_ROUTES } from '../scheduling-routes.ts';
import {
  bookingBody,
  openCommandTestbed,
  SCHEDULING_CALLERS,
  setUpClinic,
  type CommandTestbed,
} from './command-testbed.ts';

const CALLERS = {
  ...SCHEDULING_CALLERS,
  finance: { actorId: 'fin-1', kind: 'finance', role: 'finance' },
  gateway: { actorId: 'pg-1', kind: 'integration', role: 'integration' },
} as const satisfies Readonly<Record<string, NewApiKey>>;

export type CareCaller = keyof typeof CALLERS;

export interface CareTestbed extends CommandTestbed<CareCaller> {
  /** The envelope actor a caller's events must carry. */
  actorOf(caller: CareCaller): Actor;
  /** The stored payload (patient fields encrypted) of the stream's first event of this type. */
  payloadOf(aggregateType: string, aggregateId: string, eventType: string): Promise<Record<string, unknown>>;
  /** The stream's current version (0: no stream). */
  version(aggregateType: string, aggregateId: string): Promise<number>;
  /** Every event of the tenant, all streams: unchanged by anything refused. */
  eventCount(): Promise<number>;
}

/**
 * A tenant with the clinic of setUpClinic (pp-1, br-1, dr-1, patients pt-1 and pt-2) and booking bk-1 of pt-1
 * on MONDAY at 10:00; the clock is left at BOOKING_TIME.
 */
export async function openCareTestbed(engine: Engine, tenantId: string): Promise<CareTestbed> {
  const commandBed = await openCommandTestbed(engine, tenantId, {
    routes: [...SCHEDULING_COMMAND_ROUTES, ...CARE_AND_FINANCE_COMMAND_ROUTES],
    callers: CALLERS,
  });
  const store = new PgEventStore(engine);
  // Extends the command testbed in place: its app's clock reads that object's `now`.
  const bed: CareTestbed = Object.assign(commandBed, {
    actorOf: (caller: CareCaller): Actor => ({
      id: CALLERS[caller].actorId,
      kind: CALLERS[caller].kind,
      role: CALLERS[caller].role,
    }),
    payloadOf: async (aggregateType: string, aggregateId: string, eventType: string) => {
      const event = (await bed.events(aggregateType, aggregateId)).find((e) => e.eventType === eventType);
      if (!event) throw new Error(`${aggregateType} ${aggregateId} has no ${eventType}`);
      return event.payload as Record<string, unknown>;
    },
    version: (aggregateType: string, aggregateId: string) =>
      store.streamVersion({ tenantId, aggregateType, aggregateId }),
    eventCount: async () => {
      const { rows } = await engine.query<{ count: string }>(
        'select count(*) as count from mymedic.events where tenant_id = $1',
        [tenantId],
      );
      return Number(rows[0]?.count);
    },
  });
  await setUpClinic(bed);
  const booked = await bed.post('desk', '/v1/bookings/bk-1', bookingBody('10:00'));
  if (booked.statusCode !== 201) throw new Error(`booking bk-1: ${booked.statusCode} ${booked.body}`);
  return bed;
}
