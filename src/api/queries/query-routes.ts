/**
 * Every query route over the read models, for `buildApp({ routes: [...QUERY_ROUTES] })`. Each reads one read
 * model (see query-route.ts for what they share: read-your-writes, one transaction, disclosures, patients'
 * own rows only).
 */
import type { ApiRoute } from '../api-route.ts';
import { ANALYTICS_ROUTES } from './analytics.ts';
import { clinicCalendarRoute } from './clinic-calendar.ts';
import { doctorScheduleRoute } from './doctor-schedule.ts';
import { bookingPaymentsRoute, openDisputesRoute, openRefundsRoute, paymentRoute } from './payments.ts';
import { portalSlotsRoute } from './portal-slots.ts';
import { branchDaysRoute, branchReconciliationRoute, chainRollupRoute } from './reconciliation.ts';
import { warehouseTableRoute } from './warehouse-export.ts';

export const QUERY_ROUTES: readonly ApiRoute[] = [
  doctorScheduleRoute,
  portalSlotsRoute,
  clinicCalendarRoute,
  paymentRoute,
  bookingPaymentsRoute,
  openRefundsRoute,
  openDisputesRoute,
  branchReconciliationRoute,
  branchDaysRoute,
  chainRollupRoute,
  ...ANALYTICS_ROUTES,
  warehouseTableRoute(),
];
