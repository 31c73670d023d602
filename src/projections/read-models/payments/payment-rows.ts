/**
 * `payments_view`'s tables while a batch is applied (RowBuffer): a payment's running sums, its history, and
 * the refunds and disputes (cases, see payment-cases.ts) opened against it — all keyed by the payment, so a
 * batch loads every row of the payments its events name. Every write after the first money in finds the
 * payment's row (and takes its branch from there): the domain refuses anything on a payment nothing was
 * paid to.
 */
import type { Sql } from '../../../store/engines/engine.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import type { TableNames } from '../../projection.ts';
import type { BatchRows } from '../shared/batch-handlers.ts';
import { RowBuffer, type ColumnType, type Row } from '../shared/row-buffer.ts';
import { PAYMENT_CASES, type PaymentCaseKind } from './payment-cases.ts';
import { PAYMENT_TABLES } from './payments-tables.ts';
import { requireRow } from './require-row.ts';
import { tableSet } from './table-set.ts';

type PaymentRow = Record<string, unknown> & Row;

/** The payment a handler writes: (tenant, payment id). */
export type PaymentKey = readonly [tenantId: string, paymentId: string];

const CASE_COLUMNS = {
  tenant_id: 'text',
  payment_id: 'text',
  branch_id: 'text',
  amount_minor: 'bigint',
  currency: 'text',
  reason_code: 'text',
  status: 'text',
} as const;

const COLUMNS: Readonly<Record<(typeof PAYMENT_TABLES)[number], Readonly<Record<string, ColumnType>>>> = {
  payments_view: {
    tenant_id: 'text',
    payment_id: 'text',
    booking_id: 'text',
    patient_id: 'text',
    branch_id: 'text',
    currency: 'text',
    pricing_policy_id: 'text',
    pricing_policy_version: 'integer',
    deposit_minor: 'bigint',
    deposit_method: 'text',
    balance_minor: 'bigint',
    forfeited_minor: 'bigint',
    forfeit_cause: 'text',
    refund_open_minor: 'bigint',
    refunded_minor: 'bigint',
    dispute_open_minor: 'bigint',
    dispute_returned_minor: 'bigint',
    first_paid_at: 'timestamptz',
    last_event_at: 'timestamptz',
    version: 'integer',
  },
  payment_history: {
    tenant_id: 'text',
    payment_id: 'text',
    version: 'integer',
    branch_id: 'text',
    event_id: 'text',
    event_type: 'text',
    occurred_at: 'timestamptz',
    amount_minor: 'bigint',
    currency: 'text',
    reference_id: 'text',
    detail: 'text',
  },
  payment_refunds: {
    ...CASE_COLUMNS,
    refund_id: 'text',
    requested_at: 'timestamptz',
    closed_at: 'timestamptz',
    refusal_reason: 'text',
  },
  payment_disputes: {
    ...CASE_COLUMNS,
    dispute_id: 'text',
    outcome: 'text',
    returned_minor: 'bigint',
    opened_at: 'timestamptz',
    resolved_at: 'timestamptz',
  },
};

const KEYS = {
  payments_view: ['tenant_id', 'payment_id'],
  payment_history: ['tenant_id', 'payment_id', 'version'],
  payment_refunds: ['tenant_id', 'payment_id', 'refund_id'],
  payment_disputes: ['tenant_id', 'payment_id', 'dispute_id'],
} as const;

/** The sums a new payment row starts from. */
export const NOTHING_PAID = {
  deposit_minor: 0,
  deposit_method: null,
  balance_minor: 0,
  forfeited_minor: 0,
  forfeit_cause: null,
  refund_open_minor: 0,
  refunded_minor: 0,
  dispute_open_minor: 0,
  dispute_returned_minor: 0,
  pricing_policy_id: null,
  pricing_policy_version: null,
} as const;

interface HistoryEntry {
  readonly amountMinor: number;
  readonly currency: string;
  readonly referenceId?: string;
  /** A method, reason code, outcome or forfeiture cause: codes only, never free text. */
  readonly detail?: string;
}

export class PaymentRows implements BatchRows<PaymentKey> {
  readonly payments: RowBuffer<PaymentRow>;
  readonly history: RowBuffer<PaymentRow>;
  readonly refunds: RowBuffer<PaymentRow>;
  readonly disputes: RowBuffer<PaymentRow>;

  constructor(tables: TableNames) {
    const t = tableSet(PAYMENT_TABLES, tables);
    const buffer = (table: (typeof PAYMENT_TABLES)[number]) =>
      new RowBuffer<PaymentRow>(t[table], COLUMNS[table], KEYS[table]);
    this.payments = buffer('payments_view');
    this.history = buffer('payment_history');
    this.refunds = buffer('payment_refunds');
    this.disputes = buffer('payment_disputes');
  }

  async load(sql: Sql, payments: readonly PaymentKey[]): Promise<void> {
    for (const rows of this.all()) await rows.load(sql, payments);
  }

  async flush(sql: Sql): Promise<void> {
    for (const rows of this.all()) await rows.flush(sql);
  }

  cases(kind: PaymentCaseKind): RowBuffer<PaymentRow> {
    return kind === 'refund' ? this.refunds : this.disputes;
  }

  /** Called once the payment's row has taken the event in, so the entry finds its branch there. */
  recordHistory(event: RecordedEvent, paymentId: string, entry: HistoryEntry): void {
    const payment = this.payments.get([event.tenantId, paymentId]);
    if (payment === undefined) return;
    this.history.insert({
      tenant_id: event.tenantId,
      payment_id: paymentId,
      version: event.version,
      branch_id: payment['branch_id'],
      event_id: event.eventId,
      event_type: event.eventType,
      occurred_at: event.occurredAt,
      amount_minor: entry.amountMinor,
      currency: entry.currency,
      reference_id: entry.referenceId ?? null,
      detail: entry.detail ?? null,
    });
  }

  /** Adds `changes` (column → delta in minor units) to the payment's sums, sets `extra` and stamps the event. */
  addToPayment(
    event: RecordedEvent,
    paymentId: string,
    changes: Readonly<Record<string, number>>,
    extra: Readonly<Record<string, string>> = {},
  ): void {
    const key = [event.tenantId, paymentId];
    const payment = this.payments.get(key);
    requireRow(payment === undefined ? 0 : 1, event, 'for a payment never paid');
    const sums = Object.fromEntries(
      Object.entries(changes).map(([column, delta]) => [column, (payment![column] as number) + delta]),
    );
    this.payments.update(key, { ...sums, ...extra, last_event_at: event.occurredAt, version: event.version });
  }

  /**
   * Opens a refund or dispute from its opening event's payload: the payment's open sum grows, the case's row is
   * made, the history records it.
   */
  openCase(
    event: RecordedEvent,
    kind: PaymentCaseKind,
    opened: {
      readonly paymentId: string;
      readonly amount: { readonly amountMinor: number; readonly currency: string };
      readonly reasonCode: string;
    },
    caseId: string,
    openedAt: string,
  ): void {
    const spec = PAYMENT_CASES[kind];
    this.addToPayment(event, opened.paymentId, { [spec.openSum]: opened.amount.amountMinor });
    const payment = this.payments.get([event.tenantId, opened.paymentId]);
    this.cases(kind).insert({
      tenant_id: event.tenantId,
      payment_id: opened.paymentId,
      [spec.idColumn]: caseId,
      branch_id: payment!['branch_id'],
      amount_minor: opened.amount.amountMinor,
      currency: opened.amount.currency,
      reason_code: opened.reasonCode,
      status: spec.openStatus,
      [spec.openedAtColumn]: openedAt,
    });
    this.recordHistory(event, opened.paymentId, {
      ...opened.amount,
      referenceId: caseId,
      detail: opened.reasonCode,
    });
  }

  private all(): RowBuffer<PaymentRow>[] {
    return [this.payments, this.history, this.refunds, this.disputes];
  }
}
