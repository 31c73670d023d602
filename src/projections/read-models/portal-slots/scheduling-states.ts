/**
 * What portal_slots_view needs to list slots, kept as the domain's own states — doctors, branches, pricing
 * policies and each doctor's slot ledger per date — and evolved by the domain's own evolve functions, so the
 * slots it lists are exactly those the booking decision's guard would accept (bookableSlots), and the price is
 * the one the decision would apply (ruleAt / priceFor). A batch of events evolves a tenant's states in memory
 * (TenantStates) and writes back the ones that changed.
 */
import { branchAdded, branchRemoved, type BranchEvent } from '../../../domain/branch/events.ts';
import { evolveBranch, initialBranchState, type BranchState } from '../../../domain/branch/state.ts';
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
import {
  evolvePricingPolicy,
  initialPricingPolicyState,
  type PricingPolicyState,
} from '../../../domain/pricing-policy/state.ts';
import { slotReleased, slotReserved, type SlotLedgerEvent } from '../../../domain/slot-ledger/events.ts';
import {
  AGGREGATE_TYPE as SLOT_LEDGER,
  evolveSlotLedger,
  initialSlotLedgerState,
  ledgerIdOf,
  type SlotLedgerState,
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

/**
 * One tenant's states while a batch is applied: its doctors, branches and pricing policies whole (a tenant has
 * tens of them), and the ledgers asked for.
 */
export class TenantStates {
  readonly doctors = new Map<string, DoctorState>();
  readonly branches = new Map<string, BranchState>();
  readonly policies = new Map<string, PricingPolicyState>();
  /** Ledger id → its local date and state. */
  readonly ledgers = new Map<string, { readonly date: string; readonly state: SlotLedgerState }>();
  /** `kind\u0000id` of every state evolved since it was loaded. */
  private readonly changed = new Set<string>();

  constructor(readonly tenantId: string) {}

  /** Evolves the state the event belongs to and says whose slots it may have changed. */
  evolve(event: RecordedEvent, horizon: Horizon): Touched {
    if (DOCTOR_TYPES.includes(event.eventType)) {
      const doctorEvent = asDomainEvent<DoctorEvent>(event);
      const { doctorId } = doctorEvent.data;
      const before = this.doctors.get(doctorId) ?? initialDoctorState();
      this.doctors.set(doctorId, evolveDoctor(before, doctorEvent));
      this.changed.add(stateKey('doctor', doctorId));
      return touchedByDoctorEvent(doctorEvent, before);
    }
    if (BRANCH_TYPES.includes(event.eventType)) {
      const branchEvent = asDomainEvent<BranchEvent>(event);
      const { branchId } = branchEvent.data;
      this.branches.set(
        branchId,
        evolveBranch(this.branches.get(branchId) ?? initialBranchState(), branchEvent),
      );
      this.changed.add(stateKey('branch', branchId));
      return { doctorIds: this.doctorsAssignedTo(branchId), dates: 'horizon', branchId };
    }
    if (event.eventType === pricingRuleChanged.type) {
      // Prices are resolved when the portal asks (the version in force then), so no slot row changes.
      const policyEvent = asDomainEvent<PricingPolicyEvent>(event);
      const { policyId } = policyEvent.data;
      const before = this.policies.get(policyId) ?? initialPricingPolicyState();
      this.policies.set(policyId, evolvePricingPolicy(before, policyEvent));
      this.changed.add(stateKey('pricing_policy', policyId));
      return NOTHING;
    }
    if (LEDGER_TYPES.includes(event.eventType)) {
      const ledgerEvent = asDomainEvent<SlotLedgerEvent>(event);
      const { doctorId, date } = ledgerEvent.data;
      // A ledger behind the horizon can no longer change a listed slot.
      if (date < horizon.firstDate) return NOTHING;
      const id = ledgerIdOf(doctorId, date);
      const before = this.ledgers.get(id)?.state ?? initialSlotLedgerState();
      this.ledgers.set(id, { date, state: evolveSlotLedger(before, ledgerEvent) });
      this.changed.add(stateKey(SLOT_LEDGER, id));
      return { doctorIds: [doctorId], dates: [date], branchId: null };
    }
    return NOTHING;
  }

  /** Every doctor the model knows, in id order. */
  doctorIds(): string[] {
    return [...this.doctors.keys()].sort();
  }

  ledger(doctorId: string, date: string): SlotLedgerState {
    return this.ledgers.get(ledgerIdOf(doctorId, date))?.state ?? initialSlotLedgerState();
  }

  /** Forgets the ledgers of dates that left the horizon (their rows are deleted when the batch is written). */
  pruneLedgers(before: string): void {
    for (const [id, ledger] of this.ledgers) {
      if (ledger.date >= before) continue;
      this.ledgers.delete(id);
      this.changed.delete(stateKey(SLOT_LEDGER, id));
    }
  }

  /** The evolved states, as rows of the states table. */
  changedRows(): StateRow[] {
    return [...this.changed].map((key) => {
      const [kind, id] = key.split('\u0000') as [StateKind, string];
      const state =
        kind === 'doctor'
          ? this.doctors.get(id)
          : kind === 'branch'
            ? this.branches.get(id)
            : kind === 'pricing_policy'
              ? this.policies.get(id)
              : this.ledgers.get(id)?.state;
      return {
        tenantId: this.tenantId,
        kind,
        id,
        ledgerDate: kind === SLOT_LEDGER ? (this.ledgers.get(id)?.date ?? null) : null,
        state: JSON.stringify(state),
      };
    });
  }

  private doctorsAssignedTo(branchId: string): string[] {
    return this.doctorIds().filter((doctorId) => {
      const doctor = this.doctors.get(doctorId);
      return doctor?.status === 'onboarded' && doctor.branchIds.includes(branchId);
    });
  }
}

export interface StateRow {
  readonly tenantId: string;
  readonly kind: StateKind;
  readonly id: string;
  readonly ledgerDate: string | null;
  /** JSON text. */
  readonly state: string;
}

function stateKey(kind: StateKind, id: string): string {
  return `${kind}\u0000${id}`;
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

/** Loads the tenants' doctors, branches and pricing policies, whole, into their `TenantStates`. */
export async function loadEntities(
  sql: Sql,
  table: string,
  states: ReadonlyMap<string, TenantStates>,
): Promise<void> {
  const { rows } = await sql.query<{ tenant_id: string; kind: StateKind; id: string; state: never }>(
    `select tenant_id, kind, id, state from ${table}
      where tenant_id = any($1::text[]) and kind = any('{doctor,branch,pricing_policy}'::text[])`,
    [[...states.keys()]],
  );
  for (const row of rows) {
    const tenant = states.get(row.tenant_id) as TenantStates;
    const entities =
      row.kind === 'doctor' ? tenant.doctors : row.kind === 'branch' ? tenant.branches : tenant.policies;
    entities.set(row.id, row.state);
  }
}

/** Loads the given ledgers (by tenant; absent ones were never written) into their `TenantStates`. */
export async function loadLedgers(
  sql: Sql,
  table: string,
  states: ReadonlyMap<string, TenantStates>,
  ledgerIds: ReadonlyMap<string, readonly string[]>,
): Promise<void> {
  if (ledgerIds.size === 0) return;
  const { rows } = await sql.query<{
    tenant_id: string;
    id: string;
    ledger_date: string;
    state: SlotLedgerState;
  }>(
    `select s.tenant_id, s.id, s.ledger_date, s.state from ${table} s
        join unnest($1::text[], $2::text[]) as l(t, i) on s.tenant_id = l.t and s.kind = '${SLOT_LEDGER}' and s.id = l.i`,
    [[...ledgerIds].flatMap(([tenantId, ids]) => ids.map(() => tenantId)), [...ledgerIds.values()].flat()],
  );
  for (const row of rows) {
    states.get(row.tenant_id)?.ledgers.set(row.id, { date: row.ledger_date, state: row.state });
  }
}

/** The ledger ids a batch's ledger events name, by tenant. */
export function ledgerIdsOf(events: readonly RecordedEvent[]): Map<string, string[]> {
  const ids = new Map<string, Set<string>>();
  for (const event of events) {
    if (!LEDGER_TYPES.includes(event.eventType)) continue;
    const { doctorId, date } = asDomainEvent<SlotLedgerEvent>(event).data;
    let tenant = ids.get(event.tenantId);
    if (!tenant) ids.set(event.tenantId, (tenant = new Set()));
    tenant.add(ledgerIdOf(doctorId, date));
  }
  return new Map([...ids].map(([tenantId, set]) => [tenantId, [...set]]));
}

export async function saveStates(sql: Sql, table: string, rows: readonly StateRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql.query(
    `insert into ${table} (tenant_id, kind, id, ledger_date, state)
      select t, k, i, d, s::jsonb from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
        as u(t, k, i, d, s)
      on conflict (tenant_id, kind, id) do update set state = excluded.state`,
    [
      rows.map((row) => row.tenantId),
      rows.map((row) => row.kind),
      rows.map((row) => row.id),
      rows.map((row) => row.ledgerDate),
      rows.map((row) => row.state),
    ],
  );
}

/** Deletes each tenant's ledgers of dates before its horizon. */
export async function pruneLedgers(
  sql: Sql,
  table: string,
  firstDates: ReadonlyMap<string, string>,
): Promise<void> {
  if (firstDates.size === 0) return;
  await sql.query(
    `delete from ${table} s using unnest($1::text[], $2::text[]) as p(t, first)
      where s.tenant_id = p.t and s.kind = '${SLOT_LEDGER}' and s.ledger_date < p.first`,
    [[...firstDates.keys()], [...firstDates.values()]],
  );
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
