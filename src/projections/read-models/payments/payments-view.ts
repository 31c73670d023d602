/**
 * `payments_view` (Finance, seed §8): every payment's lifecycle and balance — paid, forfeited, refunded,
 * disputed — its open refunds and dispute, and the pricing policy version its deposit was taken under
 * (seed §13 "how much was paid/refunded", "what policies applied"). Built from the payment stream alone.
 *
 * Branch replays (`sliceColumns.branch`): a payment belongs to one branch for its whole life (the domain
 * refuses money from another), every table carries it, and the command side stamps every event of the
 * payment stream with it, so a branch's events alone rebuild its rows. Rows take the branch the payment's
 * first money in named, not the later envelopes, so events written before the command side stamped them
 * (null branch) still land on their branch in live, full and tenant builds; a branch replay, which reads
 * only the branch's envelopes, misses those — see docs/projections.md.
 */
import {
  balancePaid,
  depositForfeited,
  depositPaid,
  disputeOpened,
  disputeResolved,
  refundIssued,
  refundRefused,
  refundRequested,
} from '../../../domain/payment/events.ts';
import type { EventDefinition, PayloadOf } from '../../../domain/shared/event-definition.ts';
import { MyMedicError } from '../../../shared/errors.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import type { Projection, TableNames } from '../../projection.ts';
import { batchDispatch, handle, type BatchHandler } from '../shared/batch-handlers.ts';
import { NOTHING_PAID, PaymentRows, type PaymentKey } from './payment-rows.ts';
import { createPaymentTables, PAYMENT_TABLES } from './payments-tables.ts';

/** Every handler writes the rows of the one payment its event names. */
function onPayment<D extends EventDefinition>(
  definition: D,
  apply: (
    payload: PayloadOf<D> & { readonly paymentId: string },
    event: RecordedEvent,
    rows: PaymentRows,
  ) => void,
): BatchHandler<PaymentRows, PaymentKey> {
  return handle(
    definition,
    (p, event) => [[event.tenantId, (p as { paymentId: string }).paymentId]],
    (p, event, rows) => apply(p as PayloadOf<D> & { readonly paymentId: string }, event, rows),
  );
}

const { eventTypes, applyAll } = batchDispatch(
  [
    onPayment(depositPaid, (p, event, rows) => {
      rows.payments.insert({
        tenant_id: event.tenantId,
        payment_id: p.paymentId,
        booking_id: p.bookingId,
        patient_id: p.patientId,
        branch_id: p.branchId,
        currency: p.amount.currency,
        ...NOTHING_PAID,
        pricing_policy_id: p.pricingPolicy.policyId,
        pricing_policy_version: p.pricingPolicy.version,
        deposit_minor: p.amount.amountMinor,
        deposit_method: p.method,
        first_paid_at: p.paidAt,
        last_event_at: event.occurredAt,
        version: event.version,
      });
      rows.recordHistory(event, p.paymentId, { ...p.amount, detail: p.method });
    }),
    onPayment(balancePaid, (p, event, rows) => {
      // A walk-in's first money is its balance; a booking's balance follows its deposit.
      const key = [event.tenantId, p.paymentId];
      const payment = rows.payments.get(key);
      if (payment === undefined) {
        rows.payments.insert({
          tenant_id: event.tenantId,
          payment_id: p.paymentId,
          booking_id: p.bookingId,
          patient_id: p.patientId,
          branch_id: p.branchId,
          currency: p.amount.currency,
          ...NOTHING_PAID,
          balance_minor: p.amount.amountMinor,
          first_paid_at: p.paidAt,
          last_event_at: event.occurredAt,
          version: event.version,
        });
      } else {
        rows.payments.update(key, {
          balance_minor: (payment['balance_minor'] as number) + p.amount.amountMinor,
          last_event_at: event.occurredAt,
          version: event.version,
        });
      }
      rows.recordHistory(event, p.paymentId, { ...p.amount, detail: p.method });
    }),
    onPayment(depositForfeited, (p, event, rows) => {
      rows.addToPayment(
        event,
        p.paymentId,
        { forfeited_minor: p.amount.amountMinor },
        { forfeit_cause: p.cause.kind },
      );
      rows.recordHistory(event, p.paymentId, { ...p.amount, detail: p.cause.kind });
    }),
    onPayment(refundRequested, (p, event, rows) =>
      rows.openCase(event, 'refund', p, p.refundId, p.requestedAt),
    ),
    onPayment(refundIssued, (p, event, rows) => {
      rows.addToPayment(event, p.paymentId, {
        refund_open_minor: -p.amount.amountMinor,
        refunded_minor: p.amount.amountMinor,
      });
      rows.refunds.update([event.tenantId, p.paymentId, p.refundId], {
        status: 'issued',
        closed_at: p.issuedAt,
      });
      rows.recordHistory(event, p.paymentId, { ...p.amount, referenceId: p.refundId });
    }),
    onPayment(refundRefused, (p, event, rows) => {
      rows.addToPayment(event, p.paymentId, { refund_open_minor: -p.amount.amountMinor });
      rows.refunds.update([event.tenantId, p.paymentId, p.refundId], {
        status: 'refused',
        closed_at: p.refusedAt,
        refusal_reason: p.reasonCode,
      });
      rows.recordHistory(event, p.paymentId, { ...p.amount, referenceId: p.refundId, detail: p.reasonCode });
    }),
    onPayment(disputeOpened, (p, event, rows) => rows.openCase(event, 'dispute', p, p.disputeId, p.openedAt)),
    onPayment(disputeResolved, (p, event, rows) => {
      const key = [event.tenantId, p.paymentId, p.disputeId];
      const disputed = rows.disputes.get(key);
      if (disputed === undefined) {
        throw new MyMedicError('READ_MODEL_ROW_MISSING', 'dispute resolved but never opened', {
          eventId: event.eventId,
        });
      }
      rows.disputes.update(key, {
        status: 'resolved',
        outcome: p.outcome,
        returned_minor: p.amountReturned.amountMinor,
        resolved_at: p.resolvedAt,
      });
      rows.addToPayment(event, p.paymentId, {
        dispute_open_minor: -(disputed['amount_minor'] as number),
        dispute_returned_minor: p.amountReturned.amountMinor,
      });
      rows.recordHistory(event, p.paymentId, {
        ...p.amountReturned,
        referenceId: p.disputeId,
        detail: p.outcome,
      });
    }),
  ],
  (tables: TableNames) => new PaymentRows(tables),
);

export const paymentsView: Projection = {
  name: 'payments_view',
  // 2: payment_history has its branch, for branch replays.
  version: 2,
  tables: PAYMENT_TABLES,
  sliceColumns: { branch: 'branch_id' },
  createTables: createPaymentTables,
  eventTypes,
  apply: (event, tx, tables) => applyAll([event], tx, tables),
  applyBatch: applyAll,
};
