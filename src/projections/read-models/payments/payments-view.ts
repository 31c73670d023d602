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
import { MyMedicError } from '../../../shared/errors.ts';
import { toSafeInteger } from '../../../store/event-row.ts';
import type { Projection } from '../../projection.ts';
import { dispatch, on } from './event-handlers.ts';
import { addToPayment, openCase, recordHistory } from './payment-rows.ts';
import { createPaymentTables, PAYMENT_TABLES } from './payments-tables.ts';
import { tableSet } from './table-set.ts';

export const paymentsView: Projection = {
  name: 'payments_view',
  // 2: payment_history has its branch, for branch replays.
  version: 2,
  tables: PAYMENT_TABLES,
  sliceColumns: { branch: 'branch_id' },
  createTables: createPaymentTables,
  ...dispatch([
    on(depositPaid, async (p, event, tx, tables) => {
      const t = tableSet(PAYMENT_TABLES, tables);
      await tx.query(
        `insert into ${t.payments_view} (tenant_id, payment_id, booking_id, patient_id, branch_id, currency,
            pricing_policy_id, pricing_policy_version, deposit_minor, deposit_method, first_paid_at,
            last_event_at, version)
          values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          event.tenantId,
          p.paymentId,
          p.bookingId,
          p.patientId,
          p.branchId,
          p.amount.currency,
          p.pricingPolicy.policyId,
          p.pricingPolicy.version,
          p.amount.amountMinor,
          p.method,
          p.paidAt,
          event.occurredAt,
          event.version,
        ],
      );
      await recordHistory(tx, tables, event, p.paymentId, { ...p.amount, detail: p.method });
    }),
    on(balancePaid, async (p, event, tx, tables) => {
      const t = tableSet(PAYMENT_TABLES, tables);
      // A walk-in's first money is its balance; a booking's balance follows its deposit.
      await tx.query(
        `insert into ${t.payments_view} as v (tenant_id, payment_id, booking_id, patient_id, branch_id, currency,
            balance_minor, first_paid_at, last_event_at, version)
          values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
          on conflict (tenant_id, payment_id) do update set balance_minor = v.balance_minor + excluded.balance_minor,
            last_event_at = excluded.last_event_at, version = excluded.version`,
        [
          event.tenantId,
          p.paymentId,
          p.bookingId,
          p.patientId,
          p.branchId,
          p.amount.currency,
          p.amount.amountMinor,
          p.paidAt,
          event.occurredAt,
          event.version,
        ],
      );
      await recordHistory(tx, tables, event, p.paymentId, { ...p.amount, detail: p.method });
    }),
    on(depositForfeited, async (p, event, tx, tables) => {
      await addToPayment(
        tx,
        tables,
        event,
        p.paymentId,
        { forfeited_minor: p.amount.amountMinor },
        { forfeit_cause: p.cause.kind },
      );
      await recordHistory(tx, tables, event, p.paymentId, { ...p.amount, detail: p.cause.kind });
    }),
    on(refundRequested, (p, event, tx, tables) =>
      openCase(tx, tables, event, 'refund', p, p.refundId, p.requestedAt),
    ),
    on(refundIssued, async (p, event, tx, tables) => {
      const t = tableSet(PAYMENT_TABLES, tables);
      await addToPayment(tx, tables, event, p.paymentId, {
        refund_open_minor: -p.amount.amountMinor,
        refunded_minor: p.amount.amountMinor,
      });
      await tx.query(
        `update ${t.payment_refunds} set status = 'issued', closed_at = $4
          where tenant_id = $1 and payment_id = $2 and refund_id = $3`,
        [event.tenantId, p.paymentId, p.refundId, p.issuedAt],
      );
      await recordHistory(tx, tables, event, p.paymentId, { ...p.amount, referenceId: p.refundId });
    }),
    on(refundRefused, async (p, event, tx, tables) => {
      const t = tableSet(PAYMENT_TABLES, tables);
      await addToPayment(tx, tables, event, p.paymentId, { refund_open_minor: -p.amount.amountMinor });
      await tx.query(
        `update ${t.payment_refunds} set status = 'refused', closed_at = $4, refusal_reason = $5
          where tenant_id = $1 and payment_id = $2 and refund_id = $3`,
        [event.tenantId, p.paymentId, p.refundId, p.refusedAt, p.reasonCode],
      );
      await recordHistory(tx, tables, event, p.paymentId, {
        ...p.amount,
        referenceId: p.refundId,
        detail: p.reasonCode,
      });
    }),
    on(disputeOpened, (p, event, tx, tables) =>
      openCase(tx, tables, event, 'dispute', p, p.disputeId, p.openedAt),
    ),
    on(disputeResolved, async (p, event, tx, tables) => {
      const t = tableSet(PAYMENT_TABLES, tables);
      const { rows } = await tx.query<{ amount_minor: string }>(
        `update ${t.payment_disputes} set status = 'resolved', outcome = $4, returned_minor = $5, resolved_at = $6
          where tenant_id = $1 and payment_id = $2 and dispute_id = $3 returning amount_minor`,
        [event.tenantId, p.paymentId, p.disputeId, p.outcome, p.amountReturned.amountMinor, p.resolvedAt],
      );
      const disputed = rows[0];
      if (disputed === undefined) {
        throw new MyMedicError('READ_MODEL_ROW_MISSING', 'dispute resolved but never opened', {
          eventId: event.eventId,
        });
      }
      await addToPayment(tx, tables, event, p.paymentId, {
        dispute_open_minor: -toSafeInteger(disputed.amount_minor),
        dispute_returned_minor: p.amountReturned.amountMinor,
      });
      await recordHistory(tx, tables, event, p.paymentId, {
        ...p.amountReturned,
        referenceId: p.disputeId,
        detail: p.outcome,
      });
    }),
  ]),
};
