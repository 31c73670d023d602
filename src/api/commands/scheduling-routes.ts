/**
 * The scheduling side's command endpoints: bookings and reschedules, portal requests, branches, doctors
 * (availability and blocks), pricing rules, patients and consents.
 *
 * @example
 * const app = await buildApp({ engine, masterKeys, routes: [...SCHEDULING_COMMAND_ROUTES] });
 */
import type { ApiRoute } from '../api-route.ts';
import { BOOKING_COMMAND_ROUTES } from './bookings.ts';
import { BRANCH_COMMAND_ROUTES } from './branches.ts';
import { DOCTOR_COMMAND_ROUTES } from './doctors.ts';
import { PATIENT_COMMAND_ROUTES } from './patients.ts';
import { createPortalRequest } from './portal-requests.ts';
import { PRICING_COMMAND_ROUTES } from './pricing-policies.ts';

export const SCHEDULING_COMMAND_ROUTES: readonly ApiRoute[] = [
  ...BOOKING_COMMAND_ROUTES,
  createPortalRequest,
  ...BRANCH_COMMAND_ROUTES,
  ...DOCTOR_COMMAND_ROUTES,
  ...PRICING_COMMAND_ROUTES,
  ...PATIENT_COMMAND_ROUTES,
];
