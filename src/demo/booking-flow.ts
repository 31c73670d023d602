/**
 * Bookings from every channel — the portal (request, then the booking and the request's resolution exactly as
 * the portal process manager would send them), the staff console, tele prepay and the occasional chain
 * override — and what later happens to them: a patient cancelling (sometimes too late), asking to move, or
 * reaching the slot, where the visit flow takes over.
 */
import type { Slot } from '../domain/slot-ledger/slots.ts';
import { bookableSlots, slotsOfDay } from '../domain/slot-ledger/slots.ts';
import type { Booking } from '../domain/booking/state.ts';
import { bookingIdForPortalRequest } from '../process-managers/portal-requests.ts';
import { addDays, MINUTE_MS, RETIRE_AFTER_DAYS } from './calendar.ts';
import type { Accepted, Step } from './demo-commands.ts';
import { payDeposit, settleCancelledDeposit } from './payment-flow.ts';
import { REASONS_FOR_VISIT } from './synthetic-text.ts';
import type { ConsultationType } from './tenant-layout.ts';
import type { BookingChannel, BookingPlan, FollowUpLink, SimPatient, TenantSim } from './tenant-sim.ts';
import { arrive, recordNoShow } from './visit-flow.ts';

const DEPOSIT_CHANCE: Readonly<Record<BookingChannel, number>> = {
  portal: 0.92,
  staff_console: 0.6,
  tele_prepay: 1,
  chain_override: 0,
};
/** How far ahead patients book: days from today, weighted. */
const LEAD_DAYS: readonly (readonly [number, number])[] = [
  [0, 8],
  [1, 24],
  [2, 18],
  [3, 14],
  [4, 10],
  [5, 7],
  [6, 6],
  [7, 5],
  [8, 3],
  [9, 3],
  [10, 2],
];
/** Chance the portal page a patient books from is stale, so the slot may already be taken. */
const STALE_PAGE = 0.12;

export interface AppointmentRequest {
  readonly channel: BookingChannel;
  readonly patient: SimPatient;
  readonly doctorId: string;
  readonly branchId: string;
  readonly consultationType: ConsultationType;
  /** Dates to try, in order. */
  readonly dates: readonly string[];
  readonly followUp: FollowUpLink | null;
}

/** Dates a new booking aims at: a lead time drawn from LEAD_DAYS, then the next two days. */
export function leadDates(sim: TenantSim): string[] {
  const lead = sim.random.weighted(LEAD_DAYS);
  return [0, 1, 2].map((extra) => addDays(sim.today(), lead + extra));
}

export function freeSlots(sim: TenantSim, doctorId: string, branchId: string, date: string): Slot[] {
  return bookableSlots({
    doctor: sim.world.doctors.get(doctorId),
    branch: sim.world.branches.get(branchId),
    branchId,
    ledger: sim.world.ledger(doctorId, date),
    date,
    now: sim.now(),
  });
}

/** Usually a free slot on the first date that has one; through a stale page, any future slot of the grid. */
function chooseSlot(sim: TenantSim, request: AppointmentRequest): Slot | null {
  const stale = request.channel === 'portal' && sim.random.chance(STALE_PAGE);
  const doctor = sim.doctor(request.doctorId);
  if (doctor === null) return null;
  for (const date of request.dates) {
    const candidates = stale
      ? slotsOfDay(doctor, request.branchId, date).filter(
          (slot) => Date.parse(slot.startsAt) > sim.clock.nowMs(),
        )
      : freeSlots(sim, request.doctorId, request.branchId, date);
    if (candidates.length > 0) return sim.random.pick(candidates);
  }
  return null;
}

/** Books through the request's channel, when a slot is found (the command side may still refuse it). */
export async function bookAppointment(sim: TenantSim, request: AppointmentRequest): Promise<void> {
  const slot = chooseSlot(sim, request);
  if (slot === null) return;
  const { patient, doctorId, branchId, consultationType, channel } = request;
  const reasonForVisit = sim.random.chance(0.7) ? sim.random.pick(REASONS_FOR_VISIT) : null;
  const booking = {
    type: 'CreateBooking' as const,
    patientId: patient.patientId,
    doctorId,
    branchId,
    channel,
    consultationType,
    slot: { date: slot.date, start: slot.start },
    reasonForVisit,
    now: sim.now(),
  };
  if (channel === 'portal') {
    const requestId = sim.nextId('pr');
    const requested = await sim.commands.execute(
      'portal_request',
      {
        type: 'RequestPortalBooking',
        requestId,
        patientId: patient.patientId,
        doctorId,
        branchId,
        consultationType,
        slot: booking.slot,
        reasonForVisit,
        now: sim.now(),
      },
      sim.commands.step(sim.actors.patient(patient.patientId), sim.commands.flow(`portal:${requestId}`)),
    );
    if (!requested.ok) return;
    const bookingId = bookingIdForPortalRequest(requestId);
    const booked = await sim.commands.book(
      { ...booking, bookingId, portalRequestId: requestId },
      portalStep(sim, requested, 'act'),
    );
    await resolvePortalRequest(sim, requested, requestId, bookingId, booked.ok ? null : booked.code);
    if (booked.ok) afterBookingCreated(sim, booked, bookingId, request);
    return;
  }
  const bookingId = sim.nextId('bk');
  const actor = channel === 'chain_override' ? sim.actors.admin() : sim.actors.frontDesk(branchId);
  const booked = await sim.commands.book(
    { ...booking, bookingId, portalRequestId: null },
    sim.commands.step(actor, sim.commands.flow(`booking:${bookingId}`)),
  );
  if (booked.ok) afterBookingCreated(sim, booked, bookingId, request);
}

function afterBookingCreated(
  sim: TenantSim,
  booked: Accepted,
  bookingId: string,
  request: AppointmentRequest,
): void {
  const booking = sim.activeBooking(bookingId);
  if (booking === null) return;
  const plan: BookingPlan = {
    bookingId,
    paymentId: `pay-${bookingId}`,
    patient: request.patient,
    channel: request.channel,
    correlationId: booked.step.correlationId,
    followUp: request.followUp,
    generation: 0,
  };
  sim.bookings.set(bookingId, plan);
  sim.retireOn(addDays(booking.slot.date, RETIRE_AFTER_DAYS), { bookingId, paymentId: plan.paymentId });
  sim.tally.count('booking');
  const depositChance =
    DEPOSIT_CHANCE[request.channel] * (request.consultationType === 'follow_up' ? 0.7 : 1);
  if (booking.pricing.deposit.amountMinor > 0 && sim.random.chance(depositChance)) {
    const createdEventId = booked.step.eventIdFor(0);
    sim.clock.after(sim.random.int(1, 4) * MINUTE_MS, () => payDeposit(sim, plan, createdEventId));
  }
  if (sim.random.chance(0.03))
    sim.clock.after(sim.random.int(1, 6) * 60 * MINUTE_MS, () => updateDetails(sim, plan));
  planFate(sim, plan, booking);
  planSlotTime(sim, plan, booking);
}

/** Whether and when the patient cancels or asks to move; decided at booking, carried out if still relevant. */
function planFate(sim: TenantSim, plan: BookingPlan, booking: Booking): void {
  const { random, clock } = sim;
  const startsAt = Date.parse(booking.slot.startsAt);
  const generation = plan.generation;
  const earliest = clock.nowMs() + 5 * MINUTE_MS;
  const latest = startsAt - 30 * MINUTE_MS;
  if (latest > earliest && random.chance(plan.followUp ? 0.08 : 0.17)) {
    const windowOpens = startsAt - booking.pricing.cancellationWindowMinutes * MINUTE_MS;
    const late = windowOpens <= earliest || random.chance(0.58);
    const [from, to] = late ? [Math.max(earliest, windowOpens), latest] : [earliest, windowOpens];
    const via = random.chance(0.6) ? 'portal' : 'phone';
    clock.at(from + random.next() * (to - from), () => cancelByPatient(sim, plan, generation, via));
  }
  const lastAsk = startsAt - 3 * 60 * MINUTE_MS;
  if (lastAsk > earliest && random.chance(0.07)) {
    clock.at(earliest + random.next() * (lastAsk - earliest), () => requestReschedule(sim, plan, generation));
  }
}

function planSlotTime(sim: TenantSim, plan: BookingPlan, booking: Booking): void {
  const generation = plan.generation;
  sim.clock.at(Date.parse(booking.slot.startsAt) - 25 * MINUTE_MS, () => atSlot(sim, plan, generation));
}

/** The slot is near: the patient comes (or joins the tele call) or does not. */
async function atSlot(sim: TenantSim, plan: BookingPlan, generation: number): Promise<void> {
  const booking = sim.activeBooking(plan.bookingId);
  if (booking === null || plan.generation !== generation) return;
  plan.generation++;
  const startsAt = Date.parse(booking.slot.startsAt);
  const doctor = sim.layout.doctors.find((candidate) => candidate.doctorId === booking.doctorId);
  const tele = booking.consultationType === 'tele';
  const noShowRate = (doctor?.noShowRate ?? 0.1) * (tele ? 0.6 : 1) * (plan.followUp ? 0.5 : 1);
  if (sim.random.chance(noShowRate)) {
    sim.clock.at(startsAt + 15 * MINUTE_MS, () => recordNoShow(sim, plan));
  } else {
    const early = sim.random.int(0, tele ? 4 : 20) * MINUTE_MS;
    sim.clock.at(startsAt - early, () => arrive(sim, plan));
  }
}

async function cancelByPatient(
  sim: TenantSim,
  plan: BookingPlan,
  generation: number,
  via: 'portal' | 'phone',
): Promise<void> {
  const booking = sim.activeBooking(plan.bookingId);
  if (booking === null || plan.generation !== generation) return;
  const { bookingId, patient } = plan;
  const cancel = {
    type: 'CancelBooking' as const,
    bookingId,
    initiatedBy: 'patient' as const,
    reasonCode: 'patient_request' as const,
    now: sim.now(),
  };
  if (via === 'phone') {
    const cancelled = await sim.commands.book(
      { ...cancel, portalRequestId: null },
      sim.commands.step(sim.actors.frontDesk(booking.branchId), plan.correlationId),
    );
    if (cancelled.ok) await settleCancelledDeposit(sim, plan, cancelled);
    return;
  }
  const requestId = sim.nextId('pr');
  const requested = await sim.commands.execute(
    'portal_request',
    { type: 'RequestPortalCancellation', requestId, patientId: patient.patientId, bookingId, now: sim.now() },
    sim.commands.step(sim.actors.patient(patient.patientId), plan.correlationId),
  );
  if (!requested.ok) return;
  const cancelled = await sim.commands.book(
    { ...cancel, portalRequestId: requestId },
    portalStep(sim, requested, 'act'),
  );
  await resolvePortalRequest(sim, requested, requestId, bookingId, cancelled.ok ? null : cancelled.code);
  if (cancelled.ok) await settleCancelledDeposit(sim, plan, cancelled);
}

/** The clinic cancels (the doctor cannot come): no fault of the patient, so the deposit goes back. */
export async function cancelByClinic(sim: TenantSim, plan: BookingPlan, branchId: string): Promise<void> {
  const cancelled = await sim.commands.book(
    {
      type: 'CancelBooking',
      bookingId: plan.bookingId,
      initiatedBy: 'clinic',
      reasonCode: 'doctor_unavailable',
      portalRequestId: null,
      now: sim.now(),
    },
    sim.commands.step(sim.actors.frontDesk(branchId), plan.correlationId),
  );
  if (cancelled.ok) await settleCancelledDeposit(sim, plan, cancelled);
}

async function requestReschedule(sim: TenantSim, plan: BookingPlan, generation: number): Promise<void> {
  const booking = sim.activeBooking(plan.bookingId);
  if (booking === null || plan.generation !== generation || booking.pendingRescheduleId !== null) return;
  const { bookingId, patient } = plan;
  const target = sim.random.chance(0.5) ? anotherSlot(sim, booking) : null;
  const preferredSlot = target && { date: target.date, start: target.start };
  let requestId: string;
  if (sim.random.chance(0.6)) {
    const portalRequestId = sim.nextId('pr');
    const requested = await sim.commands.execute(
      'portal_request',
      {
        type: 'RequestPortalReschedule',
        requestId: portalRequestId,
        patientId: patient.patientId,
        bookingId,
        preferredSlot,
        now: sim.now(),
      },
      sim.commands.step(sim.actors.patient(patient.patientId), plan.correlationId),
    );
    if (!requested.ok) return;
    // The portal process manager names the reschedule request after the portal request.
    requestId = `rs-${portalRequestId}`;
    const asked = await sim.commands.book(
      {
        type: 'RequestReschedule',
        bookingId,
        requestId,
        requestedBy: 'patient',
        preferredSlot,
        portalRequestId,
        now: sim.now(),
      },
      portalStep(sim, requested, 'act'),
    );
    await resolvePortalRequest(sim, requested, portalRequestId, bookingId, asked.ok ? null : asked.code);
    if (!asked.ok) return;
  } else {
    requestId = sim.nextId('rs');
    const asked = await sim.commands.book(
      {
        type: 'RequestReschedule',
        bookingId,
        requestId,
        requestedBy: 'patient',
        preferredSlot,
        portalRequestId: null,
        now: sim.now(),
      },
      sim.commands.step(sim.actors.frontDesk(booking.branchId), plan.correlationId),
    );
    if (!asked.ok) return;
  }
  const deadline = Date.parse(booking.slot.startsAt) - 60 * MINUTE_MS;
  const at = Math.min(deadline, sim.clock.nowMs() + sim.random.int(15, 240) * MINUTE_MS);
  sim.clock.at(at, () => completeReschedule(sim, plan, generation, requestId, preferredSlot));
}

/** Staff move the booking to the preferred slot (or another free one), or turn the request down. */
async function completeReschedule(
  sim: TenantSim,
  plan: BookingPlan,
  generation: number,
  requestId: string,
  preferred: { date: string; start: string } | null,
): Promise<void> {
  const booking = sim.activeBooking(plan.bookingId);
  if (booking === null || plan.generation !== generation || booking.pendingRescheduleId !== requestId) return;
  const step = () => sim.commands.step(sim.actors.frontDesk(booking.branchId), plan.correlationId);
  const refuse = (reasonCode: string) =>
    sim.commands.book(
      { type: 'RefuseReschedule', bookingId: plan.bookingId, requestId, reasonCode, now: sim.now() },
      step(),
    );
  if (sim.random.chance(0.08)) {
    await refuse('CLINIC_DECLINED');
    return;
  }
  const target = preferred ?? anotherSlot(sim, booking);
  if (target === null) {
    await refuse('NO_SLOT_AVAILABLE');
    return;
  }
  const moved = await sim.commands.book(
    {
      type: 'CompleteReschedule',
      bookingId: plan.bookingId,
      requestId,
      slot: { date: target.date, start: target.start },
      now: sim.now(),
    },
    step(),
  );
  if (!moved.ok) {
    await refuse(moved.code);
    return;
  }
  plan.generation++;
  const movedBooking = sim.activeBooking(plan.bookingId);
  if (movedBooking) planSlotTime(sim, plan, movedBooking);
}

/** A free slot of the same doctor and branch within a few days of the booked one. */
function anotherSlot(sim: TenantSim, booking: Booking): Slot | null {
  const offsets = [1, -1, 2, -2, 3, 4, 5].filter(() => sim.random.chance(0.7));
  for (const offset of offsets) {
    const date = addDays(booking.slot.date, offset);
    if (date < sim.today()) continue;
    const free = freeSlots(sim, booking.doctorId, booking.branchId, date);
    if (free.length > 0) return sim.random.pick(free);
  }
  return null;
}

async function resolvePortalRequest(
  sim: TenantSim,
  requested: Accepted,
  requestId: string,
  bookingId: string,
  refusal: string | null,
): Promise<void> {
  if (refusal === null) {
    await sim.commands.execute(
      'portal_request',
      { type: 'AcceptPortalRequest', requestId, bookingId, now: sim.now() },
      portalStep(sim, requested, 'accept'),
    );
  } else {
    await sim.commands.execute(
      'portal_request',
      { type: 'RefusePortalRequest', requestId, reasonCode: refusal, now: sim.now() },
      portalStep(sim, requested, 'refuse'),
    );
  }
}

/** A step of the portal process manager reacting to the request `requested` recorded. */
function portalStep(sim: TenantSim, requested: Accepted, stepName: string): Step {
  return sim.commands.reaction('portal-requests', requested, requested.events[0]!.type, stepName);
}

async function updateDetails(sim: TenantSim, plan: BookingPlan): Promise<void> {
  const booking = sim.activeBooking(plan.bookingId);
  if (booking === null) return;
  await sim.commands.book(
    {
      type: 'UpdateBooking',
      bookingId: plan.bookingId,
      reasonForVisit: sim.random.pick(REASONS_FOR_VISIT),
      notes: 'Patient will bring previous reports.',
      now: sim.now(),
    },
    sim.commands.step(sim.actors.frontDesk(booking.branchId), plan.correlationId),
  );
}
