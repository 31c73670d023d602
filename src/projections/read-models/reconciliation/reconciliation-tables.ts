/**
 * The tables of `reconciliation_view` (Chain analytics, seed §8): per branch, business day and currency the
 * money that moved according to the payment streams, beside what the branch's reconciliation recorded
 * (expected and collected per method, the variance's reason, settlement). Amounts are integer minor units.
 * Every table has the row's `branch_id`, the projection's branch slice column.
 */
import type { TableNames } from '../../projection.ts';
import { tableSet } from '../payments/table-set.ts';

export const RECONCILIATION_TABLES = ['recon_branch_day', 'recon_figures', 'recon_payments'] as const;

export function createReconciliationTables(tables: TableNames): string {
  const t = tableSet(RECONCILIATION_TABLES, tables);
  return `
    create table ${t.recon_branch_day} (
      tenant_id text not null,
      branch_id text not null,
      business_date date not null,
      currency text not null,
      deposits_count integer not null default 0,
      deposits_minor bigint not null default 0,
      balances_count integer not null default 0,
      balances_minor bigint not null default 0,
      refunds_count integer not null default 0,
      refunds_minor bigint not null default 0,
      forfeits_count integer not null default 0,
      forfeits_minor bigint not null default 0,
      disputes_opened_count integer not null default 0,
      disputes_opened_minor bigint not null default 0,
      disputes_resolved_count integer not null default 0,
      -- the amounts that were in dispute, and what of them went back to the payers
      disputes_resolved_minor bigint not null default 0,
      disputes_returned_minor bigint not null default 0,
      reconciliation_id text,
      -- none: the branch opened no reconciliation for the day; open; settled
      reconciliation_status text not null default 'none',
      expected_minor bigint,
      collected_minor bigint,
      variance_reason text,
      settled_at timestamptz,
      primary key (tenant_id, branch_id, business_date, currency)
    );
    create index on ${t.recon_branch_day} (tenant_id, business_date);
    create index on ${t.recon_branch_day} (tenant_id, reconciliation_id);
    create table ${t.recon_figures} (
      tenant_id text not null,
      reconciliation_id text not null,
      branch_id text not null,
      method text not null,
      expected_minor bigint not null,
      collected_minor bigint not null,
      recorded_at timestamptz not null,
      primary key (tenant_id, reconciliation_id, method)
    );
    -- Which branch and currency a payment's later events (forfeits, refunds, disputes) belong to: their payloads
    -- name only the payment.
    create table ${t.recon_payments} (
      tenant_id text not null,
      payment_id text not null,
      branch_id text not null,
      currency text not null,
      dispute_minor bigint not null default 0,
      primary key (tenant_id, payment_id)
    );`;
}
