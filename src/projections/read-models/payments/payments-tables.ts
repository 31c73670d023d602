/**
 * The tables of `payments_view` (Finance, seed §8): one row per payment with its running sums, one row per
 * lifecycle event, and the refunds and disputes with their status. Amounts are integer minor units in the
 * payment's one currency. Patients appear only as references (ids), never with their details. Every table has
 * the payment's `branch_id`, the projection's branch slice column.
 */
import type { TableNames } from '../../projection.ts';
import { tableSet } from './table-set.ts';

export const PAYMENT_TABLES = [
  'payments_view',
  'payment_history',
  'payment_refunds',
  'payment_disputes',
] as const;

export function createPaymentTables(tables: TableNames): string {
  const t = tableSet(PAYMENT_TABLES, tables);
  return `
    create table ${t.payments_view} (
      tenant_id text not null,
      payment_id text not null,
      booking_id text,
      patient_id text not null,
      branch_id text not null,
      currency text not null,
      pricing_policy_id text,
      pricing_policy_version integer,
      deposit_minor bigint not null default 0,
      deposit_method text,
      balance_minor bigint not null default 0,
      forfeited_minor bigint not null default 0,
      forfeit_cause text,
      refund_open_minor bigint not null default 0,
      refunded_minor bigint not null default 0,
      dispute_open_minor bigint not null default 0,
      dispute_returned_minor bigint not null default 0,
      first_paid_at timestamptz not null,
      last_event_at timestamptz not null,
      version integer not null,
      primary key (tenant_id, payment_id)
    );
    create index on ${t.payments_view} (tenant_id, booking_id);
    create table ${t.payment_history} (
      tenant_id text not null,
      payment_id text not null,
      version integer not null,
      branch_id text not null,
      event_id text not null,
      event_type text not null,
      occurred_at timestamptz not null,
      amount_minor bigint not null,
      currency text not null,
      reference_id text,
      detail text,
      primary key (tenant_id, payment_id, version)
    );
    create table ${t.payment_refunds} (
      tenant_id text not null,
      payment_id text not null,
      refund_id text not null,
      branch_id text not null,
      amount_minor bigint not null,
      currency text not null,
      reason_code text not null,
      status text not null,
      requested_at timestamptz not null,
      closed_at timestamptz,
      refusal_reason text,
      primary key (tenant_id, payment_id, refund_id)
    );
    create index on ${t.payment_refunds} (tenant_id, status);
    create table ${t.payment_disputes} (
      tenant_id text not null,
      payment_id text not null,
      dispute_id text not null,
      branch_id text not null,
      amount_minor bigint not null,
      currency text not null,
      reason_code text not null,
      status text not null,
      outcome text,
      returned_minor bigint,
      opened_at timestamptz not null,
      resolved_at timestamptz,
      primary key (tenant_id, payment_id, dispute_id)
    );
    create index on ${t.payment_disputes} (tenant_id, status);`;
}
