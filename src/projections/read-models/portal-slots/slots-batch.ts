/**
 * portal_slots_view's apply, for one event or a batch: loads what the batch needs (the tenants' clocks, their
 * doctors, branches and policies, and the ledgers its events name), then for each event in order moves the
 * tenant's clock (dropping dates behind the horizon), evolves the state it belongs to and notes which
 * (doctor, date) listings it changed — the dates that entered the horizon for every doctor, and what the event
 * touched. Only then does it list the noted (doctor, date)s, once each, from the final states, and write
 * states, clocks and rows back with a few multi-row statements.
 *
 * Listing a (doctor, date) once at the end gives the rows that listing it after each event would: a listing is
 * a function of the doctor's, its branches' and the ledger's states, and every event that changes one of those
 * notes the (doctor, date)s whose listing it changes. For the same reason a build into an empty shadow held in
 * memory (ResidentTable) only notes them, page after page (PendingListings), and lists them when it ends.
 */
import { ledgerIdOf } from '../../../domain/slot-ledger/state.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import { datesFrom } from '../shared/calendar-dates.ts';
import { residentTable } from '../shared/resident-table.ts';
import { moveHorizon, saveClockDates, selectClockDates, type Horizon } from './horizon.ts';
import {
  ledgerIdsOf,
  loadEntities,
  loadLedgers,
  pruneLedgers,
  saveStates,
  TenantStates,
  type Touched,
} from './scheduling-states.ts';
import { PendingListings } from './pending-listings.ts';
import { pruneSlots, replaceSlots, slotRowsOf, type SlotRow } from './slot-rows.ts';

export interface PortalSlotsTables {
  readonly slots: string;
  readonly states: string;
  readonly horizon: string;
}

interface TenantBatch {
  readonly states: TenantStates;
  clockDate: string | null;
  readonly clockBefore: string | null;
  /** The horizon's first date once the batch moved it on (rows and ledgers before it are dropped). */
  prunedBefore: string | null;
  /** Doctor id → dates whose listing changed. */
  readonly changed: Map<string, Set<string>>;
}

export async function applyPortalSlots(
  events: readonly RecordedEvent[],
  tx: Sql,
  t: PortalSlotsTables,
): Promise<void> {
  const tenantIds = [...new Set(events.map((event) => event.tenantId))];
  const clocks = await selectClockDates(tx, t.horizon, tenantIds);
  const batches = new Map(
    tenantIds.map((tenantId): [string, TenantBatch] => [
      tenantId,
      {
        states: new TenantStates(tenantId),
        clockDate: clocks.get(tenantId) ?? null,
        clockBefore: clocks.get(tenantId) ?? null,
        prunedBefore: null,
        changed: new Map(),
      },
    ]),
  );
  const states = new Map([...batches].map(([tenantId, batch]) => [tenantId, batch.states]));
  await loadEntities(tx, t.states, states);
  await loadLedgers(tx, t.states, states, ledgerIdsOf(events));
  for (const event of events) applyOne(batches.get(event.tenantId) as TenantBatch, event);
  await write(tx, t, batches);
}

function applyOne(batch: TenantBatch, event: RecordedEvent): void {
  const { clockDate, move } = moveHorizon(batch.clockDate, event.occurredAt);
  batch.clockDate = clockDate;
  const { horizon, previous, entered } = move;
  if (previous !== null && horizon.firstDate > previous.firstDate) drop(batch, horizon.firstDate);
  const touched = batch.states.evolve(event, horizon);
  if (entered.length > 0) {
    for (const doctorId of batch.states.doctorIds()) note(batch, doctorId, entered);
  }
  const dates = datesWithin(touched, horizon);
  for (const doctorId of touched.doctorIds) note(batch, doctorId, dates);
}

function note(batch: TenantBatch, doctorId: string, dates: readonly string[]): void {
  if (dates.length === 0) return;
  let changed = batch.changed.get(doctorId);
  if (!changed) batch.changed.set(doctorId, (changed = new Set()));
  for (const date of dates) changed.add(date);
}

/** The horizon moved on: what lies before its first date is dropped, listings and ledgers alike. */
function drop(batch: TenantBatch, before: string): void {
  batch.prunedBefore = before;
  batch.states.pruneLedgers(before);
  for (const dates of batch.changed.values()) {
    for (const date of dates) if (date < before) dates.delete(date);
  }
}

async function write(
  tx: Sql,
  t: PortalSlotsTables,
  batches: ReadonlyMap<string, TenantBatch>,
): Promise<void> {
  const pruned = new Map<string, string>();
  for (const [tenantId, batch] of batches)
    if (batch.prunedBefore !== null) pruned.set(tenantId, batch.prunedBefore);
  await pruneSlots(tx, t.slots, pruned);
  await pruneLedgers(tx, t.states, pruned);
  const pending = pendingListingsOf(t);
  if (pending === undefined) {
    // The ledgers of listings to redo that no event of the batch named.
    await loadMissingLedgers(
      tx,
      t,
      new Map([...batches].map(([id, batch]) => [id, batch.changed])),
      new Map([...batches].map(([id, batch]) => [id, batch.states])),
    );
  }
  await saveStates(
    tx,
    t.states,
    [...batches.values()].flatMap((batch) => batch.states.changedRows()),
  );
  const clocks = new Map<string, string>();
  for (const [tenantId, batch] of batches) {
    if (batch.clockDate !== null && batch.clockDate !== batch.clockBefore)
      clocks.set(tenantId, batch.clockDate);
  }
  await saveClockDates(tx, t.horizon, clocks);
  if (pending === undefined) {
    await listSlots(
      tx,
      t,
      [...batches.values()].map((batch) => [batch.states, batch.changed]),
    );
    return;
  }
  for (const [tenantId, batch] of batches) {
    if (batch.prunedBefore !== null) pending.dropBefore(tenantId, batch.prunedBefore);
    for (const [doctorId, dates] of batch.changed) pending.note(tenantId, doctorId, dates);
  }
}

/**
 * The end of a build held in memory: lists every (doctor, date) its pages noted, from the final states.
 * Nothing to do otherwise.
 */
export async function listPendingSlots(tx: Sql, t: PortalSlotsTables): Promise<void> {
  const pending = pendingListingsOf(t)?.take();
  if (pending === undefined || pending.size === 0) return;
  const states = new Map([...pending.keys()].map((tenantId) => [tenantId, new TenantStates(tenantId)]));
  await loadEntities(tx, t.states, states);
  await loadMissingLedgers(tx, t, pending, states);
  await listSlots(
    tx,
    t,
    [...pending].map(([tenantId, changed]) => [states.get(tenantId) as TenantStates, changed]),
  );
}

function pendingListingsOf(t: PortalSlotsTables): PendingListings | undefined {
  return residentTable(t.slots)?.companion('pending listings', () => new PendingListings());
}

/** Loads the ledgers of the listings to redo that are not in memory yet. */
async function loadMissingLedgers(
  tx: Sql,
  t: PortalSlotsTables,
  changed: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>,
  states: ReadonlyMap<string, TenantStates>,
): Promise<void> {
  const missing = new Map<string, string[]>();
  for (const [tenantId, doctors] of changed) {
    const tenant = states.get(tenantId) as TenantStates;
    const ids = [...doctors].flatMap(([doctorId, dates]) =>
      [...dates].map((date) => ledgerIdOf(doctorId, date)).filter((id) => !tenant.ledgers.has(id)),
    );
    if (ids.length > 0) missing.set(tenantId, ids);
  }
  await loadLedgers(tx, t.states, states, missing);
}

/** Replaces the rows of each changed (doctor, date) with its listing from the tenant's states. */
async function listSlots(
  tx: Sql,
  t: PortalSlotsTables,
  tenants: readonly (readonly [TenantStates, ReadonlyMap<string, ReadonlySet<string>>])[],
): Promise<void> {
  const keys: { tenantId: string; doctorId: string; date: string }[] = [];
  const rows: SlotRow[] = [];
  for (const [states, changed] of tenants) {
    for (const [doctorId, dates] of changed) {
      for (const date of dates) {
        keys.push({ tenantId: states.tenantId, doctorId, date });
        rows.push(...slotRowsOf(states, doctorId, date));
      }
    }
  }
  await replaceSlots(tx, t.slots, keys, rows);
}

function datesWithin(touched: Touched, horizon: Horizon): string[] {
  if (touched.dates === 'horizon') return datesFrom(horizon.firstDate, horizon.lastDate);
  return touched.dates.filter((date) => date >= horizon.firstDate && date <= horizon.lastDate);
}
