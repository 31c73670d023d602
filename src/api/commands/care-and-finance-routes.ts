/**
 * The care and finance side's command endpoints: visits and follow-ups, payments (refunds, disputes), claims,
 * hospital admissions (ADT), encounters and their clinical signals, and branches' daily reconciliation.
 *
 * @example
 * const app = await buildApp({ engine, masterKeys, routes: [...CARE_AND_FINANCE_COMMAND_ROUTES] });
 */
import type { ApiRoute } from '../api-route.ts';
import { ADMISSION_COMMAND_ROUTES } from './admissions.ts';
import { CLAIM_COMMAND_ROUTES } from './claims.ts';
import { ENCOUNTER_COMMAND_ROUTES } from './encounters.ts';
import { PAYMENT_COMMAND_ROUTES } from './payments.ts';
import { RECONCILIATION_COMMAND_ROUTES } from './reconciliations.ts';
import { VISIT_COMMAND_ROUTES } from './visits.ts';

export const CARE_AND_FINANCE_COMMAND_ROUTES: readonly ApiRoute[] = [
  ...VISIT_COMMAND_ROUTES,
  ...PAYMENT_COMMAND_ROUTES,
  ...CLAIM_COMMAND_ROUTES,
  ...ADMISSION_COMMAND_ROUTES,
  ...ENCOUNTER_COMMAND_ROUTES,
  ...RECONCILIATION_COMMAND_ROUTES,
];
