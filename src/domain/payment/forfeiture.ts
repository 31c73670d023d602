import type { Money } from '../shared/money.ts';
import type { ForfeitDeposit } from './commands.ts';

/**
 * How a process manager turns a booking's late cancellation (or a visit's no-show) into a command on the payment
 * aggregate. The causing event's id travels in the command, so a redelivered event decides no new events.
 *
 * @example
 *   // on booking.cancelled when the policy says the notice was too short:
 *   const command = forfeitForLateCancellation({
 *     paymentId, bookingId: event.aggregateId, cancellationEventId: event.eventId,
 *     cancelledAt: event.payload.cancelledAt, slotStartsAt: event.payload.slotStartsAt, now,
 *   });
 */
export interface LateCancellation {
  readonly paymentId: string;
  readonly bookingId: string;
  /** Id of the booking.cancelled event: the idempotency key. */
  readonly cancellationEventId: string;
  readonly cancelledAt: string;
  readonly slotStartsAt: string;
  /** The part of the deposit the pricing policy keeps; the whole deposit when omitted. */
  readonly amount?: Money;
  readonly now: Date;
}

export function forfeitForLateCancellation(input: LateCancellation): ForfeitDeposit {
  return {
    type: 'ForfeitDeposit',
    paymentId: input.paymentId,
    amount: input.amount ?? 'whole_deposit',
    cause: {
      kind: 'late_cancellation',
      bookingId: input.bookingId,
      causeEventId: input.cancellationEventId,
      cancelledAt: input.cancelledAt,
      slotStartsAt: input.slotStartsAt,
    },
    now: input.now,
  };
}

export interface NoShow {
  readonly paymentId: string;
  readonly bookingId: string;
  readonly visitId: string;
  /** Id of the visit.no_show.recorded event: the idempotency key. */
  readonly noShowEventId: string;
  readonly slotStartsAt: string;
  readonly amount?: Money;
  readonly now: Date;
}

export function forfeitForNoShow(input: NoShow): ForfeitDeposit {
  return {
    type: 'ForfeitDeposit',
    paymentId: input.paymentId,
    amount: input.amount ?? 'whole_deposit',
    cause: {
      kind: 'no_show',
      bookingId: input.bookingId,
      visitId: input.visitId,
      causeEventId: input.noShowEventId,
      slotStartsAt: input.slotStartsAt,
    },
    now: input.now,
  };
}
