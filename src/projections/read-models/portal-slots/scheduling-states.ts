/**
 * What portal_slots_view needs to list slots, kept as the domain's own states — doctors, branches, pricing
 * policies and each doctor's slot ledger per date — and evolved by the domain's own evolve functions, so the
 * slots it lists are exactly those the booking decision's guard would accept (bookableSlots), and the price is
 * the one the decision would apply (ruleAt / priceFor).
 */
import { branchAdded, branchRemoved, type BranchEvent } from '../../../domain/branch/events.ts';
import { evolveBranch, initialBranchState } from '../../../domain/branch/state.ts';
import {
  doctorAvailabilityUpdated,
  doctorBlockAdded,
  doctorBlockRemoved,
  doctorBranchAssigned,
  doctorOnboarded,
  type DoctorEvent,
} from '../../../domain/doctor/events.ts';
import { evolveDoctor, initialDoctorState, type DoctorState } from '../../../domain/doctor/state.ts';
import { pricingRuleChanged, type PricingPolicyEvent } from '../../../domain/pricing-policy/events.ts';
import { evolvePricingPolicy, initialPricingPolicyState } from '../../../domain/pricing-policy/state.ts';
import { slotReleased, slotReserved, type SlotLedgerEvent } from '../../../domain/slot-ledger/events.ts';
import {
  AGGREGATE_TYPE as SLOT_LEDGER,
  evolveSlotLedger,
  initialSlotLedgerState,
  ledgerIdOf,
} from '../../../domain/slot-ledger/state.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import { addDays, datesFrom, utcDateOf } from '../shared/calendar-dates.ts';
import { asDomainEvent } from '../shared/event-payload.ts';
import type { Horizon } from './horizon.ts';

const DOCTOR_TYPES: readonly string[] = [
  doctorOnboarded.type,
  doctorBranchAssigned.type,
  doctorAvailabilityUpdated.type,
  doctorBlockAdded.type,
  doctorBlockRemoved.type,
];
const BRANCH_TYPES: readonly string[] = [branchAdded.type, branchRemoved.type];
const LEDGER_TYPES: readonly string[] = [slotReserved.type, slotReleased.type];

export const SCHEDULING_EVENT_TYPES: readonly string[] = [
  ...DOCTOR_TYPES,
  ...BRANCH_TYPES,
  pricingRuleChanged.type,
  ...LEDGER_TYPES,
];

export type StateKind = 'doctor' | 'branch' | 'pricing_policy' | typeof SLOT_LEDGER;

/** Whose slots an event may change: some doctors, on some dates or the whole horizon, at one branch or all. */
export interface Touched {
  readonly doctorIds: readonly string[];
  readonly dates: readonly string[] | 'horizon';
  readonly branchId: string | null;
}

const NOTHING: Touched = { doctorIds: [], dates: [], branchId: null };

export function statesDdl(table: string): string {
  return `create table ${table} (
    tenant_id text not null,
    kind text not null,
    id text not null,
    ledger_date text,
    state jsonb not null,
    primary key (tenant_id, kind, id)
  );`;
}

/** Evolves the state the event belongs to and says whose slots it may have changed. */
export async function evolveState(
  event: RecordedEvent,
  tx: Sql,
  table: string,
  horizon: Horizon,
): Promise<Touched> {
  const evolveOne = async <S, E extends { readonly type: string; readonly data: unknown }>(
    kind: StateKind,
    id: string,
    initial: () => S,
    evolve: (state: S, event: E) => S,
    ledgerDate: string | null = null,
  ): Promise<S> => {
    const state = (await loadStates<S>(tx, table, event.tenantId, kind, [id])).get(id) ?? initial();
    await saveState(tx, table, event.tenantId, kind, id, evolve(state, asDomainEvent<E>(event)), ledgerDate);
    return state;
  };
  if (DOCTOR_TYPES.includes(event.eventType)) {
    const doctorEvent = asDomainEvent<DoctorEvent>(event);
    const before = await evolveOne('doctor', doctorEvent.data.doctorId, initialDoctorState, evolveDoctor);
    return touchedByDoctorEvent(doctorEvent, before);
  }
  if (BRANCH_TYPES.includes(event.eventType)) {
    const { branchId } = asDomainEvent<BranchEvent>(event).data;
    await evolveOne('branch', branchId, initialBranchState, evolveBranch);
    const doctorIds = await doctorsAssignedTo(tx, table, event.tenantId, branchId);
    return { doctorIds, dates: 'horizon', branchId };
  }
  if (event.eventType === pricingRuleChanged.type) {
    // Prices are resolved when the portal asks (the version in force then), so no slot row changes.
    const { policyId } = asDomainEvent<PricingPolicyEvent>(event).data;
    await evolveOne('pricing_policy', policyId, initialPricingPolicyState, evolvePricingPolicy);
    return NOTHING;
  }
  if (LEDGER_TYPES.includes(event.eventType)) {
    const { doctorId, date } = asDomainEvent<SlotLedgerEvent>(event).data;
    // A ledger behind the horizon can no longer change a listed slot.
    if (date < horizon.firstDate) return NOTHING;
    await evolveOne(SLOT_LEDGER, ledgerIdOf(doctorId, date), initialSlotLedgerState, evolveSlotLedger, date);
    return { doctorIds: [doctorId], dates: [date], branchId: null };
  }
  return NOTHING;
}

/** A branch's grid changes on every date; a block, on the dates it spans (at every branch). */
function touchedByDoctorEvent(event: DoctorEvent, before: DoctorState): Touched {
  const doctorIds = [event.data.doctorId];
  switch (event.type) {
    case 'doctor.onboarded':
      return NOTHING;
    case 'doctor.branch.assigned':
    case 'doctor.availability.updated':
      return { doctorIds, dates: 'horizon', branchId: event.data.branchId };
    case 'doctor.block.added':
      return { doctorIds, dates: datesSpanned(event.data), branchId: null };
    case 'doctor.block.removed': {
      const removed = before.status === 'onboarded' ? before.blocks[event.data.blockId] : undefined;
      return removed ? { doctorIds, dates: datesSpanned(removed), branchId: null } : NOTHING;
    }
  }
}

/** The dates an interval touches on any clock: its UTC dates and one more on each side. */
function datesSpanned({ startsAt, endsAt }: { startsAt: string; endsAt: string }): string[] {
  const last = utcDateOf(new Date(Date.parse(endsAt) - 1));
  return datesFrom(addDays(utcDateOf(new Date(startsAt)), -1), addDays(last, 1));
}

/** The states of the given ids of one kind (absent: never seen). */
export async function loadStates<S>(
  sql: Sql,
  table: string,
  tenantId: string,
  kind: StateKind,
  ids: readonly string[],
): Promise<Map<string, S>> {
  const { rows } = await sql.query<{ id: string; state: S }>(
    `select id, state from ${table} where tenant_id = $1 and kind = $2 and id = any($3::text[])`,
    [tenantId, kind, ids],
  );
  return new Map(rows.map((row) => [row.id, row.state]));
}

async function saveState(
  tx: Sql,
  table: string,
  tenantId: string,
  kind: StateKind,
  id: string,
  state: unknown,
  ledgerDate: string | null = null,
): Promise<void> {
  await tx.query(
    `insert into ${table} (tenant_id, kind, id, ledger_date, state) values ($1, $2, $3, $4, $5::jsonb)
      on conflict (tenant_id, kind, id) do update set state = excluded.state`,
    [tenantId, kind, id, ledgerDate, JSON.stringify(state)],
  );
}

/** Every doctor the model knows in the tenant. */
export async function doctorIdsOf(sql: Sql, table: string, tenantId: string): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>(
    `select id from ${table} where tenant_id = $1 and kind = 'doctor' order by id`,
    [tenantId],
  );
  return rows.map((row) => row.id);
}

async function doctorsAssignedTo(
  sql: Sql,
  table: string,
  tenantId: string,
  branchId: string,
): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>(
    `select id from ${table}
      where tenant_id = $1 and kind = 'doctor' and state -> 'branchIds' @> jsonb_build_array($2::text)
      order by id`,
    [tenantId, branchId],
  );
  return rows.map((row) => row.id);
}

/** Drops the ledgers of dates that left the horizon. */
export async function pruneLedgers(tx: Sql, table: string, tenantId: string, before: string): Promise<void> {
  await tx.query(`delete from ${table} where tenant_id = $1 and kind = $2 and ledger_date < $3`, [
    tenantId,
    SLOT_LEDGER,
    before,
  ]);
}
