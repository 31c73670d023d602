/**
 * `wh_fact_payment`: one row per payment event (transaction grain) with its amount, its signed effect on the
 * cash the clinic holds (`cash_minor`: + deposits and balances, − refunds issued and amounts returned by
 * disputes, 0 otherwise), the booking, branch and patient key of the payment, and the pricing version of a
 * deposit. The booking's row learns the deposit paid and the deposit kept.
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
import type { RecordedEvent } from '../../../store/envelope.ts';
import { businessDateOf } from '../reconciliation/business-day.ts';
import { requireFactRow } from './require-fact-row.ts';
import type { WarehouseContext } from './warehouse-dimensions.ts';
import {
  handle,
  type FactRow,
  type Needed,
  type WarehouseHandler,
  type WarehouseRows,
} from './warehouse-rows.ts';

type Kind =
  | 'deposit'
  | 'balance'
  | 'forfeit'
  | 'refund_requested'
  | 'refund_issued'
  | 'refund_refused'
  | 'dispute_opened'
  | 'dispute_resolved';

interface PaymentFact {
  readonly paymentId: string;
  readonly kind: Kind;
  readonly amount: { readonly amountMinor: number; readonly currency: string };
  readonly cashMinor: number;
  readonly at: string;
  readonly detail?: string | null;
  readonly referenceId?: string | null;
}

/** Every row of the payment so far: the first names its booking, branch and patient. */
const payment = (tenantId: string, paymentId: string): Needed => ['wh_fact_payment', [tenantId, paymentId]];

function factRow(event: RecordedEvent, fact: PaymentFact): FactRow {
  return {
    tenant_id: event.tenantId,
    payment_id: fact.paymentId,
    payment_version: event.version,
    event_id: event.eventId,
    kind: fact.kind,
    amount_minor: fact.amount.amountMinor,
    cash_minor: fact.cashMinor,
    currency: fact.amount.currency,
    detail: fact.detail ?? null,
    reference_id: fact.referenceId ?? null,
    occurred_at: fact.at,
    date_key: businessDateOf(fact.at),
  };
}

/** Money in: the payment's first row names its booking, branch, patient and (for a deposit) its pricing. */
function moneyIn(
  rows: WarehouseRows,
  event: RecordedEvent,
  kind: 'deposit' | 'balance',
  p: PayloadOf<typeof depositPaid> | PayloadOf<typeof balancePaid>,
  patientKey: string,
): void {
  const fact = {
    paymentId: p.paymentId,
    kind,
    amount: p.amount,
    cashMinor: p.amount.amountMinor,
    at: p.paidAt,
  };
  const pricing = 'pricingPolicy' in p ? p.pricingPolicy : null;
  rows.table('wh_fact_payment').insert({
    ...factRow(event, fact),
    booking_id: p.bookingId,
    branch_id: p.branchId,
    patient_key: patientKey,
    method: p.method,
    pricing_policy_id: pricing?.policyId ?? null,
    pricing_version: pricing?.version ?? null,
  });
  rows.seePatient(event.tenantId, patientKey, businessDateOf(fact.at));
}

/** A later event of a payment: booking, branch and patient key come from the payment's first row. */
function laterEvent(rows: WarehouseRows, event: RecordedEvent, fact: PaymentFact): void {
  const payments = rows.table('wh_fact_payment');
  const first = payments
    .where([event.tenantId, fact.paymentId])
    .reduce<FactRow | undefined>(
      (earliest, row) =>
        earliest === undefined || (row['payment_version'] as number) < (earliest['payment_version'] as number)
          ? row
          : earliest,
      undefined,
    );
  requireFactRow(first === undefined ? 0 : 1, event, 'payment');
  payments.insert({
    ...factRow(event, fact),
    booking_id: first!['booking_id'],
    branch_id: first!['branch_id'],
    patient_key: first!['patient_key'],
    method: null,
    pricing_policy_id: null,
    pricing_version: null,
  });
  rows.ensureDates(event.tenantId, [businessDateOf(fact.at)]);
}

/** The handler of a later event that only adds its fact row. */
function later<D extends EventDefinition>(
  definition: D,
  factOf: (p: PayloadOf<D>) => PaymentFact,
): WarehouseHandler {
  return handle(
    definition,
    (p, event) => [payment(event.tenantId, factOf(p).paymentId)],
    (p, event, rows) => laterEvent(rows, event, factOf(p)),
  );
}

export function paymentHandlers(context: WarehouseContext): WarehouseHandler[] {
  const payer = (tenantId: string, patientId: string): Needed => [
    'wh_dim_patient',
    [tenantId, context.patientKey(tenantId, patientId)],
  ];
  return [
    handle(
      depositPaid,
      (p, event) => [
        payment(event.tenantId, p.paymentId),
        payer(event.tenantId, p.patientId),
        ['wh_fact_booking', [event.tenantId, p.bookingId]],
      ],
      (p, event, rows) => {
        moneyIn(rows, event, 'deposit', p, context.patientKey(event.tenantId, p.patientId));
        const bookings = rows.table('wh_fact_booking');
        const booking = bookings.get([event.tenantId, p.bookingId]);
        if (booking !== undefined) {
          bookings.update([event.tenantId, p.bookingId], {
            deposit_payment_id: p.paymentId,
            deposit_paid_minor: (booking['deposit_paid_minor'] as number) + p.amount.amountMinor,
          });
        }
      },
    ),
    handle(
      balancePaid,
      (p, event) => [payment(event.tenantId, p.paymentId), payer(event.tenantId, p.patientId)],
      (p, event, rows) => moneyIn(rows, event, 'balance', p, context.patientKey(event.tenantId, p.patientId)),
    ),
    handle(
      depositForfeited,
      (p, event) => [
        payment(event.tenantId, p.paymentId),
        ['wh_fact_booking', [event.tenantId, p.bookingId]],
      ],
      (p, event, rows) => {
        laterEvent(rows, event, {
          paymentId: p.paymentId,
          kind: 'forfeit',
          amount: p.amount,
          cashMinor: 0,
          at: p.forfeitedAt,
          detail: p.cause.kind,
        });
        const bookings = rows.table('wh_fact_booking');
        const booking = bookings.get([event.tenantId, p.bookingId]);
        if (booking !== undefined) {
          bookings.update([event.tenantId, p.bookingId], {
            deposit_forfeited_minor: (booking['deposit_forfeited_minor'] as number) + p.amount.amountMinor,
          });
        }
      },
    ),
    later(refundRequested, (p) => ({
      paymentId: p.paymentId,
      kind: 'refund_requested',
      amount: p.amount,
      cashMinor: 0,
      at: p.requestedAt,
      detail: p.reasonCode,
      referenceId: p.refundId,
    })),
    later(refundIssued, (p) => ({
      paymentId: p.paymentId,
      kind: 'refund_issued',
      amount: p.amount,
      cashMinor: -p.amount.amountMinor,
      at: p.issuedAt,
      referenceId: p.refundId,
    })),
    later(refundRefused, (p) => ({
      paymentId: p.paymentId,
      kind: 'refund_refused',
      amount: p.amount,
      cashMinor: 0,
      at: p.refusedAt,
      detail: p.reasonCode,
      referenceId: p.refundId,
    })),
    later(disputeOpened, (p) => ({
      paymentId: p.paymentId,
      kind: 'dispute_opened',
      amount: p.amount,
      cashMinor: 0,
      at: p.openedAt,
      detail: p.reasonCode,
      referenceId: p.disputeId,
    })),
    later(disputeResolved, (p) => ({
      paymentId: p.paymentId,
      kind: 'dispute_resolved',
      amount: p.amountReturned,
      cashMinor: -p.amountReturned.amountMinor,
      at: p.resolvedAt,
      detail: p.outcome,
      referenceId: p.disputeId,
    })),
  ];
}
