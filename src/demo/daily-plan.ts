/**
 * One simulated day of a tenant, planned at its local midnight: yesterday's reconciliations, then the day's
 * demand per branch at random times — portal requests, staff-console and tele-prepay bookings, the odd chain
 * override, walk-ins, new patients — and the tenant-wide happenings: doctors' blocks, consent revocations,
 * record updates and, at the hospital, emergency admissions. Rates scale with each branch's capacity.
 */
import { minuteOfDay } from '../domain/doctor/local-time.ts';
import { addDays, localInstant } from './calendar.ts';
import { bookAppointment, leadDates } from './booking-flow.ts';
import { addDoctorBlock } from './doctor-block-flow.ts';
import { emergencyAdmission } from './hospital-flow.ts';
import { registerPatient, revokeAConsent, updateAPatient } from './patient-flow.ts';
import { reconcileDay } from './reconciliation-flow.ts';
import type { ConsultationType } from './tenant-layout.ts';
import type { BookingChannel, TenantSim } from './tenant-sim.ts';
import { walkIn } from './visit-flow.ts';

/** Share of a branch's weekly slot capacity booked per day, by channel (follow-ups come on top). */
const DEMAND: readonly (readonly [BookingChannel, ConsultationType, string, string, number])[] = [
  ['portal', 'in_person', '06:00', '23:00', 0.36],
  ['staff_console', 'in_person', '08:00', '19:30', 0.24],
  ['tele_prepay', 'tele', '07:00', '22:00', 0.12],
];

export function planDay(sim: TenantSim, day: number): void {
  const date = sim.dayDate(day);
  const scale = sim.options.scale;
  sim.forgetBefore(date);
  for (const branch of sim.layout.branches) {
    const { branchId } = branch;
    if (day > 0)
      sim.clock.at(localInstant(date, '00:30'), () => reconcileDay(sim, branchId, addDays(date, -1)));
    if (!sim.branchIsActive(branchId)) continue;
    const capacity = dailyCapacity(sim, branchId);
    for (const [channel, consultationType, from, to, share] of DEMAND) {
      for (let n = sim.random.poisson(capacity * share * scale); n > 0; n--) {
        sim.atRandomTime(date, from, to, () => demand(sim, branchId, channel, consultationType));
      }
    }
    if (sim.layout.kind === 'chain' && sim.random.chance(0.25 * scale)) {
      sim.atRandomTime(date, '09:00', '18:00', () => demand(sim, branchId, 'chain_override', 'in_person'));
    }
    for (let n = sim.random.poisson(2 * scale); n > 0; n--)
      sim.atRandomTime(date, '09:00', '19:30', () => walkIn(sim, branchId));
    for (let n = sim.random.poisson(2 * scale); n > 0; n--)
      sim.atRandomTime(date, '08:00', '20:00', () => registerPatient(sim, branchId));
  }
  for (let n = sim.random.poisson(0.6 * scale); n > 0; n--)
    sim.atRandomTime(date, '08:00', '22:00', () => revokeAConsent(sim));
  for (let n = sim.random.poisson(0.8 * scale); n > 0; n--)
    sim.atRandomTime(date, '08:00', '20:00', () => updateAPatient(sim));
  if (sim.random.chance(0.25)) sim.atRandomTime(date, '10:00', '17:00', () => addDoctorBlock(sim));
  if (sim.layout.kind === 'hospital') {
    for (let n = sim.random.poisson(0.5 * scale); n > 0; n--)
      sim.atRandomTime(date, '00:00', '23:59', () => emergencyAdmission(sim));
  }
}

async function demand(
  sim: TenantSim,
  branchId: string,
  channel: BookingChannel,
  consultationType: ConsultationType,
): Promise<void> {
  const doctors = sim.doctorsAt(branchId);
  if (!sim.branchIsActive(branchId) || doctors.length === 0 || sim.patients.length === 0) return;
  await bookAppointment(sim, {
    channel,
    patient: sim.patientAt(branchId),
    doctorId: sim.random.pick(doctors).doctorId,
    branchId,
    consultationType,
    dates: leadDates(sim),
    followUp: null,
  });
}

/** Slots a day the branch's doctors offer there, averaged over the week. */
function dailyCapacity(sim: TenantSim, branchId: string): number {
  let slots = 0;
  for (const plan of sim.doctorsAt(branchId)) {
    for (const window of sim.doctor(plan.doctorId)?.availability[branchId] ?? []) {
      slots += Math.floor((minuteOfDay(window.end) - minuteOfDay(window.start)) / window.slotMinutes);
    }
  }
  return slots / 7;
}
