/**
 * `warehouse_projections` (BI, seed §8 and §15): the dimensional model the warehouse exports and the BI
 * questions of seed §12 (src/analytics) run on. Apply is deterministic: times come from the events, dates
 * are business days, and patient keys depend only on the pseudonym key (see pseudonym.ts).
 *
 * No `sliceColumns.branch`: payment, follow-up and claim events carry no branch in their envelope, so a
 * branch replay would miss them. Tenant and full replays are exact.
 */
import type { KeyObject } from 'node:crypto';
import type { Projection } from '../../projection.ts';
import { dispatch } from '../payments/event-handlers.ts';
import { bookingHandlers } from './booking-facts.ts';
import { claimHandlers } from './claim-facts.ts';
import { paymentHandlers } from './payment-facts.ts';
import { pseudonymizer, pseudonymKeyFromEnv } from './pseudonym.ts';
import { reconciliationHandlers } from './reconciliation-facts.ts';
import { visitHandlers } from './visit-facts.ts';
import { dimensionHandlers } from './warehouse-dimensions.ts';
import { createWarehouseTables, WAREHOUSE_TABLES } from './warehouse-tables.ts';

export const WAREHOUSE_PROJECTION = 'warehouse_projections';

/** The warehouse projection with its patient keys made under `pseudonymKey`. */
export function createWarehouseProjection(options: { readonly pseudonymKey: KeyObject }): Projection {
  const context = { patientKey: pseudonymizer(options.pseudonymKey) };
  return {
    name: WAREHOUSE_PROJECTION,
    version: 1,
    tables: WAREHOUSE_TABLES,
    createTables: createWarehouseTables,
    ...dispatch([
      ...dimensionHandlers(context),
      ...bookingHandlers(context),
      ...visitHandlers(context),
      ...paymentHandlers(context),
      ...claimHandlers(context),
      ...reconciliationHandlers(),
    ]),
  };
}

/**
 * The registered instance, keyed from `MYMEDIC_PSEUDONYM_KEY` when this module loads: under
 * NODE_ENV=production a missing key stops the process at start-up rather than pseudonymise with a public key.
 */
export const warehouseProjections: Projection = createWarehouseProjection({
  pseudonymKey: pseudonymKeyFromEnv(),
});
