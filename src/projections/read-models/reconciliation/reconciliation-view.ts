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
import type { RecordedEvent } from '../../../store/envelope.ts';
import type { Projection, TableNames } from '../../projection.ts';
import { batchDispatch, handle, type BatchHandler } from '../shared/batch-handlers.ts';
import { businessDateOf } from './business-day.ts';
import { ReconciliationRows, type ReconNeed } from './reconciliation-rows.ts';
import { createReconciliationTables, RECONCILIATION_TABLES } from './reconciliation-tables.ts';

type Handler = BatchHandler<ReconciliationRows, ReconNeed>;

function moneyIn(
  definition: typeof depositPaid | typeof balancePaid,
  movement: 'deposits' | 'balances',
): Handler {
  const dayOf = (
    p: { branchId: string; paidAt: string; amount: { currency: string } },
    event: RecordedEvent,
  ) => ({
    tenantId: event.tenantId,
    branchId: p.branchId,
    businessDate: businessDateOf(p.paidAt),
    currency: p.amount.currency,
  });
  return handle(
    definition,
    (p, event): ReconNeed[] => [{ moneyIn: { ...dayOf(p, event), paymentId: p.paymentId } }],
    (p, event, rows: ReconciliationRows) => {
      const key = [event.tenantId, p.paymentId];
      if (rows.payments.get(key) === undefined) {
        rows.payments.insert({
          tenant_id: event.tenantId,
          payment_id: p.paymentId,
          branch_id: p.branchId,
          currency: p.amount.currency,
          dispute_minor: 0,
        });
      }
      rows.addMovement(dayOf(p, event), movement, p.amount.amountMinor);
    },
  );
}

/** What a later event of a payment needs: the payment, and its day on the event's business date. */
const movementNeed = (event: RecordedEvent, paymentId: string, at: string): ReconNeed[] => [
  { movement: { tenantId: event.tenantId, paymentId, businessDate: businessDateOf(at) } },
];

const reconciliationNeed = (event: RecordedEvent, reconciliationId: string): ReconNeed[] => [
  { reconciliation: { tenantId: event.tenantId, reconciliationId } },
];

const { eventTypes, applyAll } = batchDispatch<ReconciliationRows, ReconNeed, TableNames>(
  [
    moneyIn(depositPaid, 'deposits'),
    moneyIn(balancePaid, 'balances'),
    handle(
      depositForfeited,
      (p, event) => movementNeed(event, p.paymentId, p.forfeitedAt),
      (p, event, rows: ReconciliationRows) =>
        rows.paymentMovement(event, p.paymentId, p.forfeitedAt, 'forfeits', () => p.amount.amountMinor),
    ),
    handle(
      refundIssued,
      (p, event) => movementNeed(event, p.paymentId, p.issuedAt),
      (p, event, rows: ReconciliationRows) =>
        rows.paymentMovement(event, p.paymentId, p.issuedAt, 'refunds', () => p.amount.amountMinor),
    ),
    handle(
      disputeOpened,
      (p, event) => movementNeed(event, p.paymentId, p.openedAt),
      (p, event, rows: ReconciliationRows) => {
        rows.paymentMovement(event, p.paymentId, p.openedAt, 'disputes_opened', () => p.amount.amountMinor);
        rows.payments.update([event.tenantId, p.paymentId], { dispute_minor: p.amount.amountMinor });
      },
    ),
    handle(
      disputeResolved,
      (p, event) => movementNeed(event, p.paymentId, p.resolvedAt),
      (p, event, rows: ReconciliationRows) =>
        rows.paymentMovement(
          event,
          p.paymentId,
          p.resolvedAt,
          'disputes_resolved',
          (payment) => payment.disputeMinor,
          p.amountReturned.amountMinor,
        ),
    ),
    handle(
      reconciliationOpened,
      (p, event): ReconNeed[] => [
        {
          day: {
            tenantId: event.tenantId,
            branchId: p.branchId,
            businessDate: p.businessDate,
            currency: p.currency,
          },
        },
      ],
      (p, event, rows: ReconciliationRows) => {
        const day = rows.newDay({
          tenantId: event.tenantId,
          branchId: p.branchId,
          businessDate: p.businessDate,
          currency: p.currency,
        });
        rows.updateDay(day, { reconciliation_id: p.reconciliationId, reconciliation_status: 'open' });
      },
    ),
    handle(
      figuresRecorded,
      (p, event) => reconciliationNeed(event, p.reconciliationId),
      (p, event, rows: ReconciliationRows) => {
        // A recount of a method replaces its figures. Figures of a reconciliation never opened are refused.
        const [day, ...more] = rows.reconciliationDays(event, p.reconciliationId);
        if (day === undefined || more.length > 0) {
          throw new MyMedicError('READ_MODEL_ROW_AMBIGUOUS', 'figures for a reconciliation of several days', {
            eventId: event.eventId,
          });
        }
        const key = [event.tenantId, p.reconciliationId, p.method];
        const figures = {
          expected_minor: p.expected.amountMinor,
          collected_minor: p.collected.amountMinor,
          recorded_at: p.recordedAt,
        };
        if (!rows.figures.update(key, figures)) {
          rows.figures.insert({
            tenant_id: event.tenantId,
            reconciliation_id: p.reconciliationId,
            branch_id: day['branch_id'],
            method: p.method,
            ...figures,
          });
        }
        // New figures make the reason given for the old variance stale, as in the aggregate.
        const all = rows.figures.where([event.tenantId, p.reconciliationId]);
        const total = (column: string) => all.reduce((sum, row) => sum + (row[column] as number), 0);
        rows.updateDay(day, {
          expected_minor: total('expected_minor'),
          collected_minor: total('collected_minor'),
          variance_reason: null,
        });
      },
    ),
    handle(
      varianceRecorded,
      (p, event) => reconciliationNeed(event, p.reconciliationId),
      (p, event, rows: ReconciliationRows) => {
        for (const day of rows.reconciliationDays(event, p.reconciliationId)) {
          rows.updateDay(day, { variance_reason: p.reasonCode });
        }
      },
    ),
    handle(
      reconciliationSettled,
      (p, event) => reconciliationNeed(event, p.reconciliationId),
      (p, event, rows: ReconciliationRows) => {
        for (const day of rows.reconciliationDays(event, p.reconciliationId)) {
          rows.updateDay(day, {
            reconciliation_status: 'settled',
            expected_minor: p.expected.amountMinor,
            collected_minor: p.collected.amountMinor,
            variance_reason: p.varianceReasonCode,
            settled_at: p.settledAt,
          });
        }
      },
    ),
  ],
  (tables) => new ReconciliationRows(tables),
);

export const reconciliationView: Projection = {
  name: 'reconciliation_view',
  // 2: recon_figures has its branch, for branch replays.
  version: 2,
  tables: RECONCILIATION_TABLES,
  sliceColumns: { branch: 'branch_id' },
  createTables: createReconciliationTables,
  eventTypes,
  apply: (event, tx, tables) => applyAll([event], tx, tables),
  applyBatch: applyAll,
};
