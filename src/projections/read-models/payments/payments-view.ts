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
import type { Sql } from '../../../store/engines/engine.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import { toSafeInteger } from '../../../store/event-row.ts';
import type { Projection, TableNames } from '../../projection.ts';
import { dispatch, on } from './event-handlers.ts';
import { createPaymentTables, PAYMENT_TABLES } from './payments-tables.ts';
import { tableSet } from './table-set.ts';

interface HistoryEntry {
  readonly amountMinor: number;
  readonly currency: string;
  readonly referenceId?: string;
  /** A method, reason code, outcome or forfeiture cause: codes only, never free text. */
  readonly detail?: string;
}

/** Called once the payment's row has taken the event in, so the entry finds its branch there. */
async function recordHistory(
  tx: Sql,
  tables: TableNames,
  event: RecordedEvent,
  paymentId: string,
  entry: HistoryEntry,
): Promise<void> {
  const t = tableSet(PAYMENT_TABLES, tables);
  await tx.query(
    `insert into ${t.payment_history} (tenant_id, payment_id, version, branch_id, event_id, event_type, occurred_at,
        amount_minor, currency, reference_id, detail)
      select $1, $2, $3, v.branch_id, $4, $5, $6, $7, $8, $9, $10
        from ${t.payments_view} v where v.tenant_id = $1 and v.payment_id = $2`,
    [
      event.tenantId,
      paymentId,
      event.version,
      event.eventId,
      event.eventType,
      event.occurredAt,
      entry.amountMinor,
      entry.currency,
      entry.referenceId ?? null,
      entry.detail ?? null,
    ],
  );
}

/**
 * Adds `changes` (column → delta in minor units) to the payment's sums and stamps the event. Every payment
 * event but the first money in finds its row: the domain refuses anything on a payment nothing was paid to.
 */
async function addToPayment(
  tx: Sql,
  tables: TableNames,
  event: RecordedEvent,
  paymentId: string,
  changes: Readonly<Record<string, number>>,
  extra: Readonly<Record<string, string>> = {},
): Promise<void> {
  const t = tableSet(PAYMENT_TABLES, tables);
  const params: unknown[] = [event.tenantId, paymentId, event.occurredAt, event.version];
  const sets = ['last_event_at = $3', 'version = $4'];
  for (const [column, delta] of Object.entries(changes)) {
    params.push(delta);
    sets.push(`${column} = ${column} + $${params.length}`);
  }
  for (const [column, value] of Object.entries(extra)) {
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  }
  const { rowCount } = await tx.query(
    `update ${t.payments_view} set ${sets.join(', ')} where tenant_id = $1 and payment_id = $2`,
    params,
  );
  if (rowCount !== 1) {
    throw new MyMedicError('READ_MODEL_ROW_MISSING', `${event.eventType} for a payment never paid`, {
      eventId: event.eventId,
    });
  }
}

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
    on(refundRequested, async (p, event, tx, tables) => {
      const t = tableSet(PAYMENT_TABLES, tables);
      await addToPayment(tx, tables, event, p.paymentId, { refund_open_minor: p.amount.amountMinor });
      await tx.query(
        `insert into ${t.payment_refunds} (tenant_id, payment_id, refund_id, branch_id, amount_minor, currency,
            reason_code, status, requested_at)
          select $1, $2, $3, v.branch_id, $4, $5, $6, 'requested', $7
            from ${t.payments_view} v where v.tenant_id = $1 and v.payment_id = $2`,
        [
          event.tenantId,
          p.paymentId,
          p.refundId,
          p.amount.amountMinor,
          p.amount.currency,
          p.reasonCode,
          p.requestedAt,
        ],
      );
      await recordHistory(tx, tables, event, p.paymentId, {
        ...p.amount,
        referenceId: p.refundId,
        detail: p.reasonCode,
      });
    }),
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
    on(disputeOpened, async (p, event, tx, tables) => {
      const t = tableSet(PAYMENT_TABLES, tables);
      await addToPayment(tx, tables, event, p.paymentId, { dispute_open_minor: p.amount.amountMinor });
      await tx.query(
        `insert into ${t.payment_disputes} (tenant_id, payment_id, dispute_id, branch_id, amount_minor, currency,
            reason_code, status, opened_at)
          select $1, $2, $3, v.branch_id, $4, $5, $6, 'open', $7
            from ${t.payments_view} v where v.tenant_id = $1 and v.payment_id = $2`,
        [
          event.tenantId,
          p.paymentId,
          p.disputeId,
          p.amount.amountMinor,
          p.amount.currency,
          p.reasonCode,
          p.openedAt,
        ],
      );
      await recordHistory(tx, tables, event, p.paymentId, {
        ...p.amount,
        referenceId: p.disputeId,
        detail: p.reasonCode,
      });
    }),
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
