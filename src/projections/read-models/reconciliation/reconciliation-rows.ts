/**
 * `reconciliation_view`'s tables while a batch is applied (RowBuffer). A payment's later events name only
 * the payment, so the day they count on (the payment's branch and currency, the event's business day) is
 * known once the payment's row is: the load goes in two steps — the payments first, then the days, with the
 * days of the reconciliations the events name (found by reconciliation id) and their figures.
 */
import { MyMedicError } from '../../../shared/errors.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import type { TableNames } from '../../projection.ts';
import { requireRow } from '../payments/require-row.ts';
import { tableSet } from '../payments/table-set.ts';
import type { BatchRows } from '../shared/batch-handlers.ts';
import { RowBuffer, type Row } from '../shared/row-buffer.ts';
import { businessDateOf } from './business-day.ts';
import { RECONCILIATION_TABLES } from './reconciliation-tables.ts';

type ReconRow = Record<string, unknown> & Row;

/** Which column pair of the day a payment event adds to. */
export type Movement =
  'deposits' | 'balances' | 'refunds' | 'forfeits' | 'disputes_opened' | 'disputes_resolved';

const MOVEMENTS: readonly Movement[] = [
  'deposits',
  'balances',
  'refunds',
  'forfeits',
  'disputes_opened',
  'disputes_resolved',
];

export interface Day {
  readonly tenantId: string;
  readonly branchId: string;
  readonly businessDate: string;
  readonly currency: string;
}

/** What a handler touches: a payment's first money in (and its day), a later movement of a payment on a business day, a day, or a reconciliation. */
export type ReconNeed =
  | { readonly moneyIn: Day & { readonly paymentId: string } }
  | {
      readonly movement: {
        readonly tenantId: string;
        readonly paymentId: string;
        readonly businessDate: string;
      };
    }
  | { readonly day: Day }
  | { readonly reconciliation: { readonly tenantId: string; readonly reconciliationId: string } };

export class ReconciliationRows implements BatchRows<ReconNeed> {
  readonly days: RowBuffer<ReconRow>;
  readonly figures: RowBuffer<ReconRow>;
  readonly payments: RowBuffer<ReconRow>;

  constructor(tables: TableNames) {
    const t = tableSet(RECONCILIATION_TABLES, tables);
    this.days = new RowBuffer<ReconRow>(
      t.recon_branch_day,
      {
        tenant_id: 'text',
        branch_id: 'text',
        business_date: 'date',
        currency: 'text',
        ...Object.fromEntries(
          MOVEMENTS.flatMap((movement) => [
            [`${movement}_count`, 'integer'],
            [`${movement}_minor`, 'bigint'],
          ]),
        ),
        disputes_returned_minor: 'bigint',
        reconciliation_id: 'text',
        reconciliation_status: 'text',
        expected_minor: 'bigint',
        collected_minor: 'bigint',
        variance_reason: 'text',
        settled_at: 'timestamptz',
      },
      ['tenant_id', 'branch_id', 'business_date', 'currency'],
    );
    this.figures = new RowBuffer<ReconRow>(
      t.recon_figures,
      {
        tenant_id: 'text',
        reconciliation_id: 'text',
        branch_id: 'text',
        method: 'text',
        expected_minor: 'bigint',
        collected_minor: 'bigint',
        recorded_at: 'timestamptz',
      },
      ['tenant_id', 'reconciliation_id', 'method'],
    );
    this.payments = new RowBuffer<ReconRow>(
      t.recon_payments,
      { tenant_id: 'text', payment_id: 'text', branch_id: 'text', currency: 'text', dispute_minor: 'bigint' },
      ['tenant_id', 'payment_id'],
    );
  }

  async load(sql: Sql, needs: readonly ReconNeed[]): Promise<void> {
    const paymentKey = (tenantId: string, paymentId: string) => [tenantId, paymentId] as const;
    await this.payments.load(
      sql,
      needs.flatMap((need) =>
        'moneyIn' in need
          ? [paymentKey(need.moneyIn.tenantId, need.moneyIn.paymentId)]
          : 'movement' in need
            ? [paymentKey(need.movement.tenantId, need.movement.paymentId)]
            : [],
      ),
    );
    // A payment's branch and currency: stored, or from its first money in within this batch.
    const opened = new Map<string, Day>();
    const days: Day[] = [];
    for (const need of needs) {
      if ('moneyIn' in need) {
        const { paymentId, ...day } = need.moneyIn;
        const id = JSON.stringify([day.tenantId, paymentId]);
        if (!opened.has(id)) opened.set(id, day);
        days.push(day);
      } else if ('movement' in need) {
        const { tenantId, paymentId, businessDate } = need.movement;
        const stored = this.payments.get([tenantId, paymentId]);
        const first = stored
          ? { branchId: stored['branch_id'] as string, currency: stored['currency'] as string }
          : opened.get(JSON.stringify([tenantId, paymentId]));
        if (first) days.push({ tenantId, businessDate, branchId: first.branchId, currency: first.currency });
      } else if ('day' in need) {
        days.push(need.day);
      }
    }
    await this.days.load(
      sql,
      days.map((day) => [day.tenantId, day.branchId, day.businessDate, day.currency]),
    );
    const reconciliations = needs.flatMap((need) =>
      'reconciliation' in need ? [[need.reconciliation.tenantId, need.reconciliation.reconciliationId]] : [],
    );
    await this.days.loadBy(sql, ['tenant_id', 'reconciliation_id'], reconciliations);
    await this.figures.load(sql, reconciliations);
  }

  async flush(sql: Sql): Promise<void> {
    for (const rows of [this.days, this.figures, this.payments]) await rows.flush(sql);
  }

  /** Adds one movement (count 1, `minor`) to the day, creating the day's row on its first movement. */
  addMovement(day: Day, movement: Movement, minor: number, returnedMinor = 0): void {
    const key = [day.tenantId, day.branchId, day.businessDate, day.currency];
    const row = this.days.get(key) ?? this.newDay(day);
    this.days.update(key, {
      [`${movement}_count`]: (row[`${movement}_count`] as number) + 1,
      [`${movement}_minor`]: (row[`${movement}_minor`] as number) + minor,
      disputes_returned_minor: (row['disputes_returned_minor'] as number) + returnedMinor,
    });
  }

  /** The day's row, made empty (no movement, no reconciliation) if it has none yet. */
  newDay(day: Day): ReconRow {
    const key = [day.tenantId, day.branchId, day.businessDate, day.currency];
    const existing = this.days.get(key);
    if (existing !== undefined) return existing;
    const row: ReconRow = {
      tenant_id: day.tenantId,
      branch_id: day.branchId,
      business_date: day.businessDate,
      currency: day.currency,
      ...Object.fromEntries(
        MOVEMENTS.flatMap((movement) => [
          [`${movement}_count`, 0],
          [`${movement}_minor`, 0],
        ]),
      ),
      disputes_returned_minor: 0,
      reconciliation_id: null,
      reconciliation_status: 'none',
      expected_minor: null,
      collected_minor: null,
      variance_reason: null,
      settled_at: null,
    };
    this.days.insert(row);
    return row;
  }

  /** The branch and currency of a payment, learnt from its first money in. */
  paymentOf(
    event: RecordedEvent,
    paymentId: string,
  ): { branchId: string; currency: string; disputeMinor: number } {
    const row = this.payments.get([event.tenantId, paymentId]);
    if (row === undefined) {
      throw new MyMedicError('READ_MODEL_ROW_MISSING', `${event.eventType} for a payment never paid`, {
        eventId: event.eventId,
      });
    }
    return {
      branchId: row['branch_id'] as string,
      currency: row['currency'] as string,
      disputeMinor: row['dispute_minor'] as number,
    };
  }

  /** A later event of a payment, on the payment's branch and the event's business day. */
  paymentMovement(
    event: RecordedEvent,
    paymentId: string,
    at: string,
    movement: Movement,
    minor: (payment: { readonly disputeMinor: number }) => number,
    returnedMinor = 0,
  ): void {
    const payment = this.paymentOf(event, paymentId);
    const day = { tenantId: event.tenantId, businessDate: businessDateOf(at), ...payment };
    this.addMovement(day, movement, minor(payment), returnedMinor);
  }

  /** The days of a reconciliation (one, unless the log is inconsistent); every event after `opened` finds it. */
  reconciliationDays(event: RecordedEvent, reconciliationId: string): ReconRow[] {
    const days = this.days.filter(
      (row) => row['tenant_id'] === event.tenantId && row['reconciliation_id'] === reconciliationId,
    );
    requireRow(days.length, event, 'of a reconciliation never opened');
    return days;
  }

  updateDay(day: ReconRow, changes: Record<string, unknown>): void {
    this.days.update([day['tenant_id'], day['branch_id'], day['business_date'], day['currency']], changes);
  }
}
