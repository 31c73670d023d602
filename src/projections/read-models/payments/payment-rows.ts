/**
 * The writes `payments_view`'s handlers are made of: a payment's running sums, its history, and the refunds
 * and disputes (cases, see payment-cases.ts) opened against it. Every write after the first money in finds the payment's row (and takes its
 * branch from there): the domain refuses anything on a payment nothing was paid to.
 */
import type { Sql } from '../../../store/engines/engine.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import type { TableNames } from '../../projection.ts';
import { PAYMENT_CASES, type PaymentCaseKind } from './payment-cases.ts';
import { PAYMENT_TABLES } from './payments-tables.ts';
import { requireRow } from './require-row.ts';
import { tableSet } from './table-set.ts';

interface HistoryEntry {
  readonly amountMinor: number;
  readonly currency: string;
  readonly referenceId?: string;
  /** A method, reason code, outcome or forfeiture cause: codes only, never free text. */
  readonly detail?: string;
}

/** Called once the payment's row has taken the event in, so the entry finds its branch there. */
export async function recordHistory(
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

/** Adds `changes` (column → delta in minor units) to the payment's sums, sets `extra` and stamps the event. */
export async function addToPayment(
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
  requireRow(rowCount, event, 'for a payment never paid');
}

/**
 * Opens a refund or dispute from its opening event's payload: the payment's open sum grows, the case's row is
 * made, the history records it.
 */
export async function openCase(
  tx: Sql,
  tables: TableNames,
  event: RecordedEvent,
  kind: PaymentCaseKind,
  opened: {
    readonly paymentId: string;
    readonly amount: { readonly amountMinor: number; readonly currency: string };
    readonly reasonCode: string;
  },
  caseId: string,
  openedAt: string,
): Promise<void> {
  const spec = PAYMENT_CASES[kind];
  const t = tableSet(PAYMENT_TABLES, tables);
  await addToPayment(tx, tables, event, opened.paymentId, { [spec.openSum]: opened.amount.amountMinor });
  await tx.query(
    `insert into ${t[spec.table]} (tenant_id, payment_id, ${spec.idColumn}, branch_id, amount_minor, currency,
        reason_code, status, ${spec.openedAtColumn})
      select $1, $2, $3, v.branch_id, $4, $5, $6, '${spec.openStatus}', $7
        from ${t.payments_view} v where v.tenant_id = $1 and v.payment_id = $2`,
    [
      event.tenantId,
      opened.paymentId,
      caseId,
      opened.amount.amountMinor,
      opened.amount.currency,
      opened.reasonCode,
      openedAt,
    ],
  );
  await recordHistory(tx, tables, event, opened.paymentId, {
    ...opened.amount,
    referenceId: caseId,
    detail: opened.reasonCode,
  });
}
