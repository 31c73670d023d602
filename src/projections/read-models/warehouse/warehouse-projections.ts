/**
 * `warehouse_projections` (BI, seed §8 and §15): the dimensional model the warehouse exports and the BI
 * questions of seed §12 (src/analytics) run on. Apply is deterministic: times come from the events, dates
 * are business days, and patient keys depend only on the pseudonym key (see pseudonym.ts).
 *
 * No `sliceColumns.branch`, so branch replays are refused; tenant and full replays are exact. A branch
 * replay rebuilds every table of a projection from the branch's events, and here some tables are not a
 * branch's: the date, tenant, doctor and patient dimensions are shared by every branch (a patient's first
 * seen date comes from whichever branch saw them first), and claims are not branch-bound — a claim's events
 * carry no branch (its fact finds one through the visit it claims for; an admission's has none). The
 * booking, visit, follow-up, payment and reconciliation facts and the branch dimension could be sliced: their
 * events carry their branch in the envelope (payloads that name none inherit their stream's).
 */
import type { KeyObject } from 'node:crypto';
import type { Projection, TableNames } from '../../projection.ts';
import { batchDispatch } from '../shared/batch-handlers.ts';
import { bookingHandlers } from './booking-facts.ts';
import { claimHandlers } from './claim-facts.ts';
import { paymentHandlers } from './payment-facts.ts';
import { pseudonymizer, pseudonymKeyFromEnv } from './pseudonym.ts';
import { reconciliationHandlers } from './reconciliation-facts.ts';
import { visitHandlers } from './visit-facts.ts';
import { dimensionHandlers } from './warehouse-dimensions.ts';
import { WarehouseRows } from './warehouse-rows.ts';
import { createWarehouseTables, WAREHOUSE_TABLES } from './warehouse-tables.ts';

export const WAREHOUSE_PROJECTION = 'warehouse_projections';

/** The warehouse projection with its patient keys made under `pseudonymKey`. */
export function createWarehouseProjection(options: { readonly pseudonymKey: KeyObject }): Projection {
  const context = { patientKey: pseudonymizer(options.pseudonymKey) };
  const handlers = [
    ...dimensionHandlers(context),
    ...bookingHandlers(context),
    ...visitHandlers(context),
    ...paymentHandlers(context),
    ...claimHandlers(context),
    ...reconciliationHandlers(),
  ];
  const { eventTypes, applyAll } = batchDispatch(handlers, (tables: TableNames) => new WarehouseRows(tables));
  return {
    name: WAREHOUSE_PROJECTION,
    version: 1,
    tables: WAREHOUSE_TABLES,
    createTables: createWarehouseTables,
    eventTypes,
    apply: (event, tx, tables) => applyAll([event], tx, tables),
    applyBatch: applyAll,
  };
}

/**
 * The registered instance, keyed from `MYMEDIC_PSEUDONYM_KEY` when this module loads: under
 * NODE_ENV=production a missing key stops the process at start-up rather than pseudonymise with a public key.
 */
export const warehouseProjections: Projection = createWarehouseProjection({
  pseudonymKey: pseudonymKeyFromEnv(),
});
