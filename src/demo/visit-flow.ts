/**
 * Visits: a booked patient arrives (or joins the tele call), is seen and pays the balance; one who does not
 * come is recorded as a no-show and loses the deposit; walk-ins come without a booking. A completed visit may
 * ask for a follow-up (which the patient books, or not: adherence), lead to a claim, a goodwill refund, a
 * chargeback, or — at the hospital campus — an admission.
 */
import type { Payer } from '../domain/payment/commands.ts';
import { isoWeekday, minuteOfDay } from '../domain/doctor/local-time.ts';
import { addDays, DAY_MS, localInstant, localMinuteOf, MINUTE_MS, RETIRE_AFTER_DAYS } from './calendar.ts';
import { bookAppointment } from './booking-flow.ts';
import { claimLater } from './claim-flow.ts';
import { closeEncounter, openVisitEncounter } from './encounter-flow.ts';
import { orderAdmission } from './hospital-flow.ts';
import { forfeitNoShowDeposit, maybeDispute, payBalance, requestRefund } from './payment-flow.ts';
import { FOLLOW_UP_REASONS, VISIT_NOTES } from './synthetic-text.ts';
import type { BookingPlan, FollowUpLink, SimPatient, TenantSim } from './tenant-sim.ts';

export interface VisitPlan {
  readonly visitId: string;
  readonly bookingId: string | null;
  readonly paymentId: string;
  readonly patient: SimPatient;
  readonly doctorId: string;
  readonly branchId: string;
  readonly tele: boolean;
  readonly priceMinor: number;
  readonly minutes: number;
  readonly correlationId: string;
  readonly followUp: FollowUpLink | null;
}

export async function arrive(sim: TenantSim, plan: BookingPlan): Promise<void> {
  const booking = sim.activeBooking(plan.bookingId);
  if (booking === null) return;
  const tele = booking.consultationType === 'tele';
  const visit: VisitPlan = {
    visitId: `vs-${plan.bookingId}`,
    bookingId: plan.bookingId,
    paymentId: plan.paymentId,
    patient: plan.patient,
    doctorId: booking.doctorId,
    branchId: booking.branchId,
    tele,
    priceMinor: booking.pricing.price.amountMinor,
    minutes: (Date.parse(booking.slot.endsAt) - Date.parse(booking.slot.startsAt)) / MINUTE_MS,
    correlationId: plan.correlationId,
    followUp: plan.followUp,
  };
  const arrived = await recordArrival(sim, visit);
  if (!arrived) return;
  sim.tally.count('booked_arrival');
  const startsAt = Date.parse(booking.slot.startsAt);
  const seenAt = Math.max(sim.clock.nowMs() + MINUTE_MS, startsAt + sim.random.int(0, 10) * MINUTE_MS);
  sim.clock.at(seenAt, () => seePatient(sim, visit));
}

export async function recordNoShow(sim: TenantSim, plan: BookingPlan): Promise<void> {
  const booking = sim.activeBooking(plan.bookingId);
  if (booking === null) return;
  const { bookingId, patientId, doctorId, branchId } = booking;
  const desk = sim.actors.frontDesk(branchId);
  const noShow = await sim.commands.execute(
    'visit',
    {
      type: 'RecordNoShow',
      visitId: `vs-${bookingId}`,
      bookingId,
      patientId,
      doctorId,
      branchId,
      slotStartsAt: booking.slot.startsAt,
      now: sim.now(),
    },
    sim.commands.step(desk, plan.correlationId),
  );
  if (!noShow.ok) return;
  sim.tally.count('no_show');
  await sim.commands.book(
    { type: 'MarkBookingNoShow', bookingId, now: sim.now() },
    sim.commands.step(desk, plan.correlationId, noShow.step.eventIdFor(0)),
  );
  await forfeitNoShowDeposit(sim, plan, noShow, booking.slot.startsAt);
}

/** A patient without a booking, seen by a doctor whose session at the branch is on now. */
export async function walkIn(sim: TenantSim, branchId: string): Promise<void> {
  if (!sim.branchIsActive(branchId)) return;
  const price = sim.priceNow(branchId, 'in_person');
  const doctors = sim.doctorsAt(branchId).filter((plan) => inSession(sim, plan.doctorId, branchId));
  if (price === null || doctors.length === 0 || sim.patients.length === 0) return;
  const visitId = `vs-${sim.nextId('walk-in')}`;
  const visit: VisitPlan = {
    visitId,
    bookingId: null,
    paymentId: `pay-${visitId}`,
    patient: sim.patientAt(branchId),
    doctorId: sim.random.pick(doctors).doctorId,
    branchId,
    tele: false,
    priceMinor: price.amountMinor,
    minutes: 15,
    correlationId: sim.commands.flow(`visit:${visitId}`),
    followUp: null,
  };
  sim.retireOn(addDays(sim.today(), RETIRE_AFTER_DAYS), { bookingId: null, paymentId: visit.paymentId });
  if (await recordArrival(sim, visit)) {
    sim.clock.after(sim.random.int(5, 40) * MINUTE_MS, () => seePatient(sim, visit));
  }
}

async function recordArrival(sim: TenantSim, visit: VisitPlan): Promise<boolean> {
  const { visitId, bookingId, patient, doctorId, branchId, tele } = visit;
  const arrived = await sim.commands.execute(
    'visit',
    {
      type: 'RecordArrival',
      visitId,
      bookingId,
      patientId: patient.patientId,
      doctorId,
      branchId,
      tele,
      now: sim.now(),
    },
    sim.commands.step(
      tele ? sim.actors.patient(patient.patientId) : sim.actors.frontDesk(branchId),
      visit.correlationId,
    ),
  );
  return arrived.ok;
}

async function seePatient(sim: TenantSim, visit: VisitPlan): Promise<void> {
  const started = await sim.commands.execute(
    'visit',
    { type: 'StartVisit', visitId: visit.visitId, now: sim.now() },
    sim.commands.step(sim.actors.doctor(visit.doctorId), visit.correlationId),
  );
  if (!started.ok) return;
  const encounterId = await openVisitEncounter(sim, visit);
  const minutes = Math.max(5, visit.minutes + sim.random.int(-3, 8));
  sim.clock.after(minutes * MINUTE_MS, () => completeVisit(sim, visit, encounterId));
}

async function completeVisit(sim: TenantSim, visit: VisitPlan, encounterId: string | null): Promise<void> {
  const { visitId, patient, doctorId, branchId } = visit;
  const doctorStep = () => sim.commands.step(sim.actors.doctor(doctorId), visit.correlationId);
  const hasWards = sim.layout.branches.some((branch) => branch.branchId === branchId && branch.hasWards);
  const admit = hasWards && !visit.tele && sim.random.chance(0.06);
  if (encounterId !== null && !admit) await closeEncounter(sim, encounterId, doctorId, visit.correlationId);
  const completed = await sim.commands.execute(
    'visit',
    {
      type: 'CompleteVisit',
      visitId,
      notes: sim.random.chance(0.8) ? sim.random.pick(VISIT_NOTES) : null,
      now: sim.now(),
    },
    doctorStep(),
  );
  if (!completed.ok) return;
  // A follow-up falls due within 21 days and is booked up to 4 days after: only older tele visits count.
  const teleCounts = visit.tele && sim.withinPeriod(addDays(sim.today(), 26));
  if (teleCounts) sim.tally.count('tele_visit');
  if (visit.followUp !== null) {
    const { visitId: originalVisitId, followUpId } = visit.followUp;
    const fulfilled = await sim.commands.execute(
      'visit',
      {
        type: 'CompleteFollowUp',
        visitId: originalVisitId,
        followUpId,
        fulfilledByVisitId: visitId,
        now: sim.now(),
      },
      doctorStep(),
    );
    if (fulfilled.ok) countKept(sim, visit.followUp);
  }
  const due = visit.priceMinor - sim.world.payments.get(visit.paymentId).paidMinor;
  const payer: Payer = { patientId: patient.patientId, branchId, bookingId: visit.bookingId };
  if (due > 0)
    sim.clock.after(sim.random.int(2, 10) * MINUTE_MS, () =>
      payBalance(sim, visit.paymentId, payer, due, visit.correlationId),
    );
  await maybeScheduleFollowUp(sim, visit, teleCounts);
  claimLater(sim, patient, { kind: 'visit', visitId }, visit.priceMinor, 0.6);
  if (sim.random.chance(0.01)) {
    sim.clock.after(sim.random.int(1, 3) * DAY_MS, () =>
      requestRefund(
        sim,
        visit.paymentId,
        branchId,
        'goodwill',
        Math.round(visit.priceMinor / 1000) * 100,
        visit.correlationId,
      ),
    );
  }
  maybeDispute(sim, visit.paymentId, visit.correlationId);
  if (admit) await orderAdmission(sim, { patient, doctorId, branchId }, encounterId, visit.correlationId);
}

async function maybeScheduleFollowUp(sim: TenantSim, visit: VisitPlan, teleCounts: boolean): Promise<void> {
  if (!sim.random.chance(visit.tele ? 0.55 : visit.followUp ? 0.15 : 0.3)) return;
  const followUpId = sim.nextId('fu');
  const dueOn = addDays(sim.today(), sim.random.int(7, 21));
  const scheduled = await sim.commands.execute(
    'visit',
    {
      type: 'ScheduleFollowUp',
      visitId: visit.visitId,
      followUpId,
      dueOn,
      reason: sim.random.chance(0.8) ? sim.random.pick(FOLLOW_UP_REASONS) : null,
      now: sim.now(),
    },
    sim.commands.step(sim.actors.doctor(visit.doctorId), visit.correlationId),
  );
  if (!scheduled.ok) return;
  const link: FollowUpLink = {
    visitId: visit.visitId,
    followUpId,
    countsForAdherence: sim.withinPeriod(addDays(dueOn, 5)),
    countsForTeleConversion: teleCounts,
  };
  if (link.countsForAdherence) sim.tally.count('follow_up_due');
  if (sim.random.chance(0.05)) {
    // Settled by a phone review, with no visit of its own.
    sim.clock.at(localInstant(dueOn, '11:00'), async () => {
      const done = await sim.commands.execute(
        'visit',
        {
          type: 'CompleteFollowUp',
          visitId: visit.visitId,
          followUpId,
          fulfilledByVisitId: null,
          now: sim.now(),
        },
        sim.commands.step(sim.actors.doctor(visit.doctorId), visit.correlationId),
      );
      if (done.ok && link.countsForAdherence) sim.tally.count('follow_up_kept');
    });
    return;
  }
  if (!sim.random.chance(sim.layout.followUpBooking)) return;
  const bookOn = addDays(dueOn, -sim.random.int(3, 7));
  sim.atRandomTime(bookOn < sim.today() ? sim.today() : bookOn, '08:00', '21:00', async () => {
    const dates = [-2, -1, 0, 1, 2, 3, 4]
      .map((offset) => addDays(dueOn, offset))
      .filter((date) => date >= sim.today());
    await bookAppointment(sim, {
      channel: sim.random.chance(0.5) ? 'portal' : 'staff_console',
      patient: visit.patient,
      doctorId: visit.doctorId,
      branchId: visit.branchId,
      consultationType: 'follow_up',
      dates,
      followUp: link,
    });
  });
}

function countKept(sim: TenantSim, link: FollowUpLink): void {
  if (link.countsForAdherence) sim.tally.count('follow_up_kept');
  if (link.countsForTeleConversion) sim.tally.count('tele_converted');
}

/** Whether one of the doctor's windows at the branch is open now (and long enough to see someone). */
function inSession(sim: TenantSim, doctorId: string, branchId: string): boolean {
  const doctor = sim.doctor(doctorId);
  if (doctor === null) return false;
  const weekday = isoWeekday(sim.today());
  const minute = localMinuteOf(sim.clock.nowMs());
  return (doctor.availability[branchId] ?? []).some(
    (window) =>
      window.weekday === weekday &&
      minuteOfDay(window.start) <= minute &&
      minute + 15 <= minuteOfDay(window.end),
  );
}
