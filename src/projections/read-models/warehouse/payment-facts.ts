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
import type { Sql } from '../../../store/engines/engine.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import type { TableNames } from '../../projection.ts';
import { on, type EventHandler } from '../payments/event-handlers.ts';
import { businessDateOf } from '../reconciliation/business-day.ts';
import { requireFactRow } from './require-fact-row.ts';
import { ensureDates, seePatient, type WarehouseContext } from './warehouse-dimensions.ts';
import { warehouseTables } from './warehouse-tables.ts';

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

const COLUMNS = `tenant_id, payment_id, payment_version, event_id, booking_id, branch_id, patient_key, kind,
  amount_minor, cash_minor, currency, method, detail, reference_id, pricing_policy_id, pricing_version,
  occurred_at, date_key`;

function factParams(event: RecordedEvent, fact: PaymentFact): unknown[] {
  return [
    event.tenantId,
    fact.paymentId,
    event.version,
    event.eventId,
    fact.kind,
    fact.amount.amountMinor,
    fact.cashMinor,
    fact.amount.currency,
    fact.detail ?? null,
    fact.referenceId ?? null,
    fact.at,
    businessDateOf(fact.at),
  ];
}

/** Money in: the payment's first row names its booking, branch, patient and (for a deposit) its pricing. */
async function moneyIn(
  tx: Sql,
  tables: TableNames,
  event: RecordedEvent,
  kind: 'deposit' | 'balance',
  p: PayloadOf<typeof depositPaid> | PayloadOf<typeof balancePaid>,
  patientKey: string,
): Promise<void> {
  const t = warehouseTables(tables);
  const fact = {
    paymentId: p.paymentId,
    kind,
    amount: p.amount,
    cashMinor: p.amount.amountMinor,
    at: p.paidAt,
  };
  const pricing = 'pricingPolicy' in p ? p.pricingPolicy : null;
  await tx.query(
    `insert into ${t.wh_fact_payment} (${COLUMNS})
      values ($1, $2, $3, $4, $13, $14, $15, $5, $6, $7, $8, $16, $9, $10, $17, $18, $11, $12::date)`,
    [
      ...factParams(event, fact),
      p.bookingId,
      p.branchId,
      patientKey,
      p.method,
      pricing?.policyId ?? null,
      pricing?.version ?? null,
    ],
  );
  await seePatient(tx, tables, event.tenantId, patientKey, businessDateOf(fact.at));
}

/** A later event of a payment: booking, branch and patient key come from the payment's first row. */
async function laterEvent(
  tx: Sql,
  tables: TableNames,
  event: RecordedEvent,
  fact: PaymentFact,
): Promise<void> {
  const t = warehouseTables(tables);
  const { rowCount } = await tx.query(
    `insert into ${t.wh_fact_payment} (${COLUMNS})
      select $1, $2, $3, $4, f.booking_id, f.branch_id, f.patient_key, $5, $6, $7, $8, null, $9, $10, null, null,
        $11, $12::date
      from ${t.wh_fact_payment} f where f.tenant_id = $1 and f.payment_id = $2
      order by f.payment_version limit 1`,
    factParams(event, fact),
  );
  requireFactRow(rowCount, event, 'payment');
  await ensureDates(tx, tables, event.tenantId, [businessDateOf(fact.at)]);
}

/** The handler of a later event that only adds its fact row. */
function later<D extends EventDefinition>(
  definition: D,
  factOf: (p: PayloadOf<D>) => PaymentFact,
): EventHandler {
  return on(definition, (p, event, tx, tables) => laterEvent(tx, tables, event, factOf(p)));
}

export function paymentHandlers(context: WarehouseContext): EventHandler[] {
  return [
    on(depositPaid, async (p, event, tx, tables) => {
      const t = warehouseTables(tables);
      await moneyIn(tx, tables, event, 'deposit', p, context.patientKey(event.tenantId, p.patientId));
      await tx.query(
        `update ${t.wh_fact_booking} set deposit_payment_id = $3, deposit_paid_minor = deposit_paid_minor + $4
          where tenant_id = $1 and booking_id = $2`,
        [event.tenantId, p.bookingId, p.paymentId, p.amount.amountMinor],
      );
    }),
    on(balancePaid, (p, event, tx, tables) =>
      moneyIn(tx, tables, event, 'balance', p, context.patientKey(event.tenantId, p.patientId)),
    ),
    on(depositForfeited, async (p, event, tx, tables) => {
      const t = warehouseTables(tables);
      await laterEvent(tx, tables, event, {
        paymentId: p.paymentId,
        kind: 'forfeit',
        amount: p.amount,
        cashMinor: 0,
        at: p.forfeitedAt,
        detail: p.cause.kind,
      });
      await tx.query(
        `update ${t.wh_fact_booking} set deposit_forfeited_minor = deposit_forfeited_minor + $3
          where tenant_id = $1 and booking_id = $2`,
        [event.tenantId, p.bookingId, p.amount.amountMinor],
      );
    }),
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
