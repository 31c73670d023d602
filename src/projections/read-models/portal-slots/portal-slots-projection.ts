/**
 * portal_slots_view (seed §8, patient portal): the slots a patient can book per doctor, branch and date —
 * inside the doctor's availability, outside blocks, not taken, at an active branch — over a bounded horizon
 * (horizon.ts). Prices are not stored per slot: the policy versions are, and the query prices each slot with
 * the version in force when the portal asks.
 *
 * Each event first moves the tenant's clock (and with it the horizon), then evolves the domain state it
 * belongs to, then re-lists the slots it may have changed: the doctor's date of a ledger event (at every
 * branch), the dates a block spans, the whole horizon at a branch whose grid or assignment changed (for every
 * doctor there, for a branch event), and the dates that entered the horizon, for every doctor.
 */
import type { Projection, TableNames } from '../../projection.ts';
import { datesFrom } from '../shared/calendar-dates.ts';
import { tablesByRole } from '../shared/table-roles.ts';
import { advanceHorizon, horizonDdl, type Horizon } from './horizon.ts';
import {
  doctorIdsOf,
  evolveState,
  pruneLedgers,
  SCHEDULING_EVENT_TYPES,
  statesDdl,
  type Touched,
} from './scheduling-states.ts';
import { pruneSlots, refreshSlots, slotsDdl } from './slot-rows.ts';

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
  async apply(event, tx, tables) {
    const t = portalSlotsTables(tables);
    const tenantId = event.tenantId;
    const move = await advanceHorizon(tx, t.horizon, tenantId, event.occurredAt);
    const { horizon } = move;
    if (move.previous !== null && horizon.firstDate > move.previous.firstDate) {
      await pruneSlots(tx, t.slots, tenantId, horizon.firstDate);
      await pruneLedgers(tx, t.states, tenantId, horizon.firstDate);
    }
    const touched = await evolveState(event, tx, t.states, horizon);

    if (move.entered.length > 0) {
      for (const doctorId of await doctorIdsOf(tx, t.states, tenantId)) {
        await refreshSlots(tx, t, tenantId, doctorId, move.entered, null);
      }
    }
    const dates = datesWithin(touched, horizon);
    for (const doctorId of touched.doctorIds) {
      await refreshSlots(tx, t, tenantId, doctorId, dates, touched.branchId);
    }
  },
};

function datesWithin(touched: Touched, horizon: Horizon): string[] {
  if (touched.dates === 'horizon') return datesFrom(horizon.firstDate, horizon.lastDate);
  return touched.dates.filter((date) => date >= horizon.firstDate && date <= horizon.lastDate);
}
