import { forfeitForLateCancellation, forfeitForNoShow } from '../domain/payment/forfeiture.ts';
import { DomainRuleError } from '../domain/shared/domain-rule-error.ts';
import type { ProcessManager, ReactionContext } from './process-manager.ts';

/**
 * Keeps the deposit when the patient cancels inside the cancellation window or does not come. It remembers
 * which payment holds each booking's deposit (from `payment.deposit.paid`), and forfeits with the causing
 * event's id in the command, so the payment aggregate itself refuses to forfeit twice for one cause.
 */
export const depositForfeits: ProcessManager = {
  name: 'deposit-forfeits',
  eventTypes: ['payment.deposit.paid', 'booking.cancelled', 'visit.no_show.recorded'],
  async react(context) {
    const data = context.event.data as Record<string, unknown>;
    const tenantId = context.cause.tenantId;
    if (context.cause.eventType === 'payment.deposit.paid') {
      await context.engine.query(
        `insert into mymedic.pm_booking_deposits (tenant_id, booking_id, payment_id) values ($1, $2, $3)
          on conflict (tenant_id, booking_id) do update set payment_id = excluded.payment_id`,
        [tenantId, data['bookingId'], data['paymentId']],
      );
      return;
    }
    if (context.cause.eventType === 'booking.cancelled' && data['late'] !== true) return;
    const bookingId = String(data['bookingId']);
    const paymentId = await depositPaymentOf(context, bookingId);
    if (!paymentId) return;
    const now = context.cause.occurredAt;
    const command =
      context.cause.eventType === 'booking.cancelled'
        ? forfeitForLateCancellation({
            paymentId,
            bookingId,
            cancellationEventId: context.cause.eventId,
            cancelledAt: now.toISOString(),
            slotStartsAt: String(data['slotStartsAt']),
            now,
          })
        : forfeitForNoShow({
            paymentId,
            bookingId,
            visitId: String(data['visitId']),
            noShowEventId: context.cause.eventId,
            slotStartsAt: String(data['slotStartsAt']),
            now,
          });
    try {
      await context.commands.execute('payment', command, context.metadata('forfeit'));
    } catch (error) {
      // Nothing left to keep (refunded, disputed, already forfeited): the refusal is the answer.
      if (!(error instanceof DomainRuleError)) throw error;
    }
  },
};

async function depositPaymentOf(context: ReactionContext, bookingId: string): Promise<string | undefined> {
  const { rows } = await context.engine.query<{ payment_id: string }>(
    'select payment_id from mymedic.pm_booking_deposits where tenant_id = $1 and booking_id = $2',
    [context.cause.tenantId, bookingId],
  );
  return rows[0]?.payment_id;
}
