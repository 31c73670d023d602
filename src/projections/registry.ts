/**
 * Every read model of the application, in one list: read-model authors append theirs here. The runtime
 * consumes into them and `mymedic replay` rebuilds them.
 */
import type { Projection } from './projection.ts';
import { clinicCalendarView } from './read-models/clinic-calendar/clinic-calendar-projection.ts';
import { doctorScheduleView } from './read-models/doctor-schedule/doctor-schedule-projection.ts';
import { portalSlotsView } from './read-models/portal-slots/portal-slots-projection.ts';
import { paymentsView } from './read-models/payments/payments-view.ts';
import { reconciliationView } from './read-models/reconciliation/reconciliation-view.ts';
import { warehouseProjections } from './read-models/warehouse/warehouse-projections.ts';

export const ALL_PROJECTIONS: Projection[] = [
  doctorScheduleView,
  portalSlotsView,
  clinicCalendarView,
  reconciliationView,
  paymentsView,
  warehouseProjections,
];
