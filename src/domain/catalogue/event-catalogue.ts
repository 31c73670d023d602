import { events as admission } from '../admission/events.ts';
import { events as booking } from '../booking/events.ts';
import { events as branch } from '../branch/events.ts';
import { events as claim } from '../claim/events.ts';
import { events as doctor } from '../doctor/events.ts';
import { events as encounter } from '../encounter/events.ts';
import { events as patient } from '../patient/events.ts';
import { events as payment } from '../payment/events.ts';
import { events as portal } from '../portal/events.ts';
import { events as pricingPolicy } from '../pricing-policy/events.ts';
import { events as reconciliation } from '../reconciliation/events.ts';
import type { EventDefinition } from '../shared/event-definition.ts';
import { events as slotLedger } from '../slot-ledger/events.ts';
import { events as visit } from '../visit/events.ts';

/**
 * Every domain event type MyMedic stores, grouped by the aggregate whose stream holds it. Nothing else
 * enters the domain log: technical events have no definition here and are refused (seed §3).
 */
export const EVENT_CATALOGUE: readonly EventDefinition[] = [
  ...booking,
  ...slotLedger,
  ...doctor,
  ...portal,
  ...branch,
  ...pricingPolicy,
  ...patient,
  ...visit,
  ...payment,
  ...reconciliation,
  ...claim,
  ...admission,
  ...encounter,
];
