/**
 * What a patient credential may do beyond its role's permissions: act on its own records only (the actor id
 * is the patient id), and speak only as the patient. Staff and integrations pass these checks unchanged.
 */
import type { PARTIES } from '../../domain/booking/events.ts';
import { evolveBooking, initialBookingState, type BookingState } from '../../domain/booking/state.ts';
import { DomainRuleError } from '../../domain/shared/domain-rule-error.ts';
import { ValidationError } from '../../shared/errors.ts';
import { NotOwnRecordError } from '../../tenancy/errors.ts';
import type { CommandContext } from './command-endpoint.ts';

const bookingFold = { initialState: initialBookingState, evolve: evolveBooking };

const isPatient = (ctx: CommandContext): boolean => ctx.actor.kind === 'patient';

async function loadBooking(ctx: CommandContext, bookingId: string): Promise<BookingState> {
  const stream = { tenantId: ctx.tenantId, aggregateType: 'booking', aggregateId: bookingId };
  return (await ctx.commands.shell.load(stream, bookingFold)).state;
}

/**
 * A patient may act only on a booking of theirs; one that does not exist is refused the same way, so that
 * probing booking ids tells a patient nothing. (A booking's patient never changes: checking before the
 * decision is as good as checking in it.)
 *
 * @throws NotOwnRecordError
 */
export async function requireOwnBooking(ctx: CommandContext, bookingId: string): Promise<void> {
  if (!isPatient(ctx)) return;
  const booking = await loadBooking(ctx, bookingId);
  if (booking.status === 'none' || booking.patientId !== ctx.actor.id) throw new NotOwnRecordError();
}

/**
 * A portal request about a booking must come from that booking's patient: the process manager acts on it
 * as the patient (a cancellation by the patient, with the late-cancellation rules that implies).
 *
 * @throws NotOwnRecordError for a patient caller; DomainRuleError BOOKING_OF_ANOTHER_PATIENT otherwise.
 */
export async function requireBookingOfPatient(
  ctx: CommandContext,
  bookingId: string,
  patientId: string,
): Promise<void> {
  ctx.requireOwnRecord(patientId);
  await requireOwnBooking(ctx, bookingId);
  if (isPatient(ctx)) return;
  const booking = await loadBooking(ctx, bookingId);
  if (booking.status !== 'none' && booking.patientId !== patientId) {
    throw new DomainRuleError('BOOKING_OF_ANOTHER_PATIENT', 'the booking is not this patient’s', {
      bookingId,
      patientId,
    });
  }
}

/**
 * Who initiated a cancellation or reschedule decides whether a deposit is forfeited: a patient credential
 * speaks as the patient, never as the clinic.
 *
 * @throws ValidationError naming `field`
 */
export function requirePartyOfCaller(
  ctx: CommandContext,
  party: (typeof PARTIES)[number],
  field: string,
): void {
  if (isPatient(ctx) && party !== 'patient') {
    throw new ValidationError(field, "must be 'patient' for a patient credential", { in: 'body' });
  }
}
