/**
 * portal_slots_view (seed §8, patient portal): the slots a patient can book per doctor, branch and date —
 * inside the doctor's availability, outside blocks, not taken, at an active branch — over a bounded horizon
 * (horizon.ts). Prices are not stored per slot: the policy versions are, and the query prices each slot with
 * the version in force when the portal asks.
 *
 * Each event first moves the tenant's clock (and with it the horizon), then evolves the domain state it
 * belongs to, then marks the slots it may have changed for re-listing: the doctor's date of a ledger event (at
 * every branch), the dates a block spans, the whole horizon at a branch whose grid or assignment changed (for
 * every doctor there, for a branch event), and the dates that entered the horizon, for every doctor. A batch
 * of events is applied in memory and re-lists each marked (doctor, date) once (slots-batch.ts).
 */
import type { Projection, TableNames } from '../../projection.ts';
import { tablesByRole } from '../shared/table-roles.ts';
import { horizonDdl } from './horizon.ts';
import { SCHEDULING_EVENT_TYPES, statesDdl } from './scheduling-states.ts';
import { slotsDdl } from './slot-rows.ts';
import { applyPortalSlots, listPendingSlots } from './slots-batch.ts';

export const PORTAL_SLOTS_TABLES = {
  slots: 'portal_slots_view',
  states: 'portal_slots_states',
  horizon: 'portal_slots_horizon',
} as const;

/** The concrete names of the model's tables, by role. */
export const portalSlotsTables = (tables: TableNames) => tablesByRole(PORTAL_SLOTS_TABLES, tables);

export const portalSlotsView: Projection = {
  name: 'portal_slots_view',
  version: 1,
  tables: Object.values(PORTAL_SLOTS_TABLES),
  eventTypes: SCHEDULING_EVENT_TYPES,
  createTables(tables) {
    const t = portalSlotsTables(tables);
    return [slotsDdl(t.slots), statesDdl(t.states), horizonDdl(t.horizon)].join('\n');
  },
  apply: (event, tx, tables) => applyPortalSlots([event], tx, portalSlotsTables(tables)),
  applyBatch: (events, tx, tables) => applyPortalSlots(events, tx, portalSlotsTables(tables)),
  finishBuild: (tx, tables) => listPendingSlots(tx, portalSlotsTables(tables)),
};
