/**
 * `reconciliation_view` (Chain analytics, seed §8, §12 branch variance): per branch and business day, the
 * deposits, balances, refunds, forfeits and disputes the payment streams recorded, and the branch's own
 * reconciliation of the day (expected vs collected, variance and its reason, settlement).
 *
 * Branch replays (`sliceColumns.branch`): every row belongs to one branch, the payment's or the
 * reconciliation's, and is written only by events of that payment or reconciliation. Both aggregates are
 * branch-bound, so the command side stamps all their events with the branch (refunds, forfeits, disputes and
 * figures too, whose payloads name none), and a branch's events alone rebuild its rows. The row's branch is
 * taken from what the model learnt from the first event (the payment's money in, the reconciliation's
 * opening), not from the later envelopes, so events written before the command side stamped them (null
 * branch) still land on their branch in live, full and tenant builds; a branch replay, which reads only the
 * branch's envelopes, misses those — see docs/projections.md.
 */
import {
  balancePaid,
  depositForfeited,
  depositPaid,
  disputeOpened,
  disputeResolved,
  refundIssued,
} from '../../../domain/payment/events.ts';
import {
  figuresRecorded,
  reconciliationOpened,
  reconciliationSettled,
  varianceRecorded,
} from '../../../domain/reconciliation/events.ts';
import { MyMedicError } from '../../../shared/errors.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import { toSafeInteger } from '../../../store/event-row.ts';
import type { Projection, TableNames } from '../../projection.ts';
import { dispatch, on } from '../payments/event-handlers.ts';
import { requireRow } from '../payments/require-row.ts';
import { tableSet } from '../payments/table-set.ts';
import { businessDateOf } from './business-day.ts';
import { createReconciliationTables, RECONCILIATION_TABLES } from './reconciliation-tables.ts';

/** Which column pair of the day a payment event adds to. */
type Movement = 'deposits' | 'balances' | 'refunds' | 'forfeits' | 'disputes_opened' | 'disputes_resolved';

interface Day {
  readonly tenantId: string;
  readonly branchId: string;
  readonly businessDate: string;
  readonly currency: string;
}

/** Adds one movement (count 1, `minor`) to the day, creating the day's row on its first movement. */
async function addMovement(
  tx: Sql,
  tables: TableNames,
  day: Day,
  movement: Movement,
  minor: number,
  returnedMinor = 0,
): Promise<void> {
  const t = tableSet(RECONCILIATION_TABLES, tables);
  await tx.query(
    `insert into ${t.recon_branch_day} as d (tenant_id, branch_id, business_date, currency,
        ${movement}_count, ${movement}_minor, disputes_returned_minor)
      values ($1, $2, $3::date, $4, 1, $5, $6)
      on conflict (tenant_id, branch_id, business_date, currency) do update set
        ${movement}_count = d.${movement}_count + 1,
        ${movement}_minor = d.${movement}_minor + excluded.${movement}_minor,
        disputes_returned_minor = d.disputes_returned_minor + excluded.disputes_returned_minor`,
    [day.tenantId, day.branchId, day.businessDate, day.currency, minor, returnedMinor],
  );
}

/** The branch and currency of a payment, learnt from its first money in. */
async function paymentOf(
  tx: Sql,
  tables: TableNames,
  event: RecordedEvent,
  paymentId: string,
): Promise<{ branchId: string; currency: string; disputeMinor: number }> {
  const t = tableSet(RECONCILIATION_TABLES, tables);
  const { rows } = await tx.query<{ branch_id: string; currency: string; dispute_minor: string }>(
    `select branch_id, currency, dispute_minor from ${t.recon_payments} where tenant_id = $1 and payment_id = $2`,
    [event.tenantId, paymentId],
  );
  const row = rows[0];
  if (row === undefined) {
    throw new MyMedicError('READ_MODEL_ROW_MISSING', `${event.eventType} for a payment never paid`, {
      eventId: event.eventId,
    });
  }
  return { branchId: row.branch_id, currency: row.currency, disputeMinor: toSafeInteger(row.dispute_minor) };
}

async function moneyIn(
  tx: Sql,
  tables: TableNames,
  event: RecordedEvent,
  p: {
    paymentId: string;
    branchId: string;
    amount: { amountMinor: number; currency: string };
    paidAt: string;
  },
  movement: 'deposits' | 'balances',
): Promise<void> {
  const t = tableSet(RECONCILIATION_TABLES, tables);
  await tx.query(
    `insert into ${t.recon_payments} (tenant_id, payment_id, branch_id, currency) values ($1, $2, $3, $4)
      on conflict (tenant_id, payment_id) do nothing`,
    [event.tenantId, p.paymentId, p.branchId, p.amount.currency],
  );
  const day = {
    tenantId: event.tenantId,
    branchId: p.branchId,
    businessDate: businessDateOf(p.paidAt),
    currency: p.amount.currency,
  };
  await addMovement(tx, tables, day, movement, p.amount.amountMinor);
}

/** A later event of a payment, on the payment's branch and the event's business day. */
async function paymentMovement(
  tx: Sql,
  tables: TableNames,
  event: RecordedEvent,
  paymentId: string,
  at: string,
  movement: Movement,
  minor: (payment: { disputeMinor: number }) => number,
  returnedMinor = 0,
): Promise<void> {
  const payment = await paymentOf(tx, tables, event, paymentId);
  const day = { tenantId: event.tenantId, businessDate: businessDateOf(at), ...payment };
  await addMovement(tx, tables, day, movement, minor(payment), returnedMinor);
}

/** Updates the day of a reconciliation; every event after `opened` finds it. */
async function updateReconciliation(
  tx: Sql,
  tables: TableNames,
  event: RecordedEvent,
  reconciliationId: string,
  sets: string,
  values: readonly unknown[],
): Promise<void> {
  const t = tableSet(RECONCILIATION_TABLES, tables);
  const { rowCount } = await tx.query(
    `update ${t.recon_branch_day} d set ${sets} where d.tenant_id = $1 and d.reconciliation_id = $2`,
    [event.tenantId, reconciliationId, ...values],
  );
  requireRow(rowCount, event, 'of a reconciliation never opened');
}

export const reconciliationView: Projection = {
  name: 'reconciliation_view',
  // 2: recon_figures has its branch, for branch replays.
  version: 2,
  tables: RECONCILIATION_TABLES,
  sliceColumns: { branch: 'branch_id' },
  createTables: createReconciliationTables,
  ...dispatch([
    on(depositPaid, (p, event, tx, tables) => moneyIn(tx, tables, event, p, 'deposits')),
    on(balancePaid, (p, event, tx, tables) => moneyIn(tx, tables, event, p, 'balances')),
    on(depositForfeited, (p, event, tx, tables) =>
      paymentMovement(tx, tables, event, p.paymentId, p.forfeitedAt, 'forfeits', () => p.amount.amountMinor),
    ),
    on(refundIssued, (p, event, tx, tables) =>
      paymentMovement(tx, tables, event, p.paymentId, p.issuedAt, 'refunds', () => p.amount.amountMinor),
    ),
    on(disputeOpened, async (p, event, tx, tables) => {
      const t = tableSet(RECONCILIATION_TABLES, tables);
      await paymentMovement(
        tx,
        tables,
        event,
        p.paymentId,
        p.openedAt,
        'disputes_opened',
        () => p.amount.amountMinor,
      );
      await tx.query(
        `update ${t.recon_payments} set dispute_minor = $3 where tenant_id = $1 and payment_id = $2`,
        [event.tenantId, p.paymentId, p.amount.amountMinor],
      );
    }),
    on(disputeResolved, (p, event, tx, tables) =>
      paymentMovement(
        tx,
        tables,
        event,
        p.paymentId,
        p.resolvedAt,
        'disputes_resolved',
        (payment) => payment.disputeMinor,
        p.amountReturned.amountMinor,
      ),
    ),
    on(reconciliationOpened, async (p, event, tx, tables) => {
      const t = tableSet(RECONCILIATION_TABLES, tables);
      await tx.query(
        `insert into ${t.recon_branch_day} as d (tenant_id, branch_id, business_date, currency, reconciliation_id,
            reconciliation_status)
          values ($1, $2, $3::date, $4, $5, 'open')
          on conflict (tenant_id, branch_id, business_date, currency) do update set
            reconciliation_id = excluded.reconciliation_id, reconciliation_status = 'open'`,
        [event.tenantId, p.branchId, p.businessDate, p.currency, p.reconciliationId],
      );
    }),
    on(figuresRecorded, async (p, event, tx, tables) => {
      const t = tableSet(RECONCILIATION_TABLES, tables);
      // A recount of a method replaces its figures. Figures of a reconciliation never opened insert nothing
      // here and fail below.
      await tx.query(
        `insert into ${t.recon_figures} (tenant_id, reconciliation_id, branch_id, method, expected_minor,
            collected_minor, recorded_at)
          select $1, $2, d.branch_id, $3, $4, $5, $6
            from ${t.recon_branch_day} d where d.tenant_id = $1 and d.reconciliation_id = $2
          on conflict (tenant_id, reconciliation_id, method) do update set expected_minor = excluded.expected_minor,
            collected_minor = excluded.collected_minor, recorded_at = excluded.recorded_at`,
        [
          event.tenantId,
          p.reconciliationId,
          p.method,
          p.expected.amountMinor,
          p.collected.amountMinor,
          p.recordedAt,
        ],
      );
      // New figures make the reason given for the old variance stale, as in the aggregate.
      await updateReconciliation(
        tx,
        tables,
        event,
        p.reconciliationId,
        `expected_minor = (select sum(expected_minor) from ${t.recon_figures} f
            where f.tenant_id = $1 and f.reconciliation_id = $2),
          collected_minor = (select sum(collected_minor) from ${t.recon_figures} f
            where f.tenant_id = $1 and f.reconciliation_id = $2),
          variance_reason = null`,
        [],
      );
    }),
    on(varianceRecorded, (p, event, tx, tables) =>
      updateReconciliation(tx, tables, event, p.reconciliationId, 'variance_reason = $3', [p.reasonCode]),
    ),
    on(reconciliationSettled, (p, event, tx, tables) =>
      updateReconciliation(
        tx,
        tables,
        event,
        p.reconciliationId,
        `reconciliation_status = 'settled', expected_minor = $3, collected_minor = $4, variance_reason = $5,
          settled_at = $6`,
        [p.expected.amountMinor, p.collected.amountMinor, p.varianceReasonCode, p.settledAt],
      ),
    ),
  ]),
};
