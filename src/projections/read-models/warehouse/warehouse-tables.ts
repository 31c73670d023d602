/**
 * The warehouse's dimensional model (seed §15): star schemas over bookings, visits, follow-ups, payments,
 * claims and branch reconciliations, with conformed dimensions for date, tenant, branch, doctor and patient.
 * Ready for export as is (one file per table): patients appear only as pseudonymous keys, money as integer
 * minor units with its currency, dates as business days (Asia/Kolkata), instants as timestamptz.
 */
import type { TableNames } from '../../projection.ts';
import { tableSet } from '../payments/table-set.ts';

interface TableSpec {
  readonly columns: string;
  /** Also the order exports are written in. */
  readonly key: readonly string[];
  readonly indexes?: readonly string[];
}

export const WAREHOUSE_SPECS = {
  wh_dim_date: {
    columns: `date_key date not null, year integer not null, quarter integer not null, month integer not null,
      day_of_month integer not null, iso_year integer not null, iso_week integer not null,
      iso_weekday integer not null, is_weekend boolean not null`,
    key: ['tenant_id', 'date_key'],
  },
  wh_dim_tenant: {
    columns: `first_branch_date date not null, branches_added integer not null, branches_removed integer not null`,
    key: ['tenant_id'],
  },
  wh_dim_branch: {
    columns: `branch_id text not null, branch_name text not null, pricing_policy_id text not null,
      added_date date not null, removed_date date, removal_reason text`,
    key: ['tenant_id', 'branch_id'],
  },
  wh_dim_doctor: {
    columns: `doctor_id text not null, doctor_name text not null, specialties text[] not null,
      time_zone text not null, onboarded_date date not null, branch_ids text[] not null default '{}'`,
    key: ['tenant_id', 'doctor_id'],
  },
  wh_dim_patient: {
    columns: `patient_key text not null, registered_date date, first_seen_date date not null`,
    key: ['tenant_id', 'patient_key'],
  },
  wh_fact_booking: {
    columns: `booking_id text not null, branch_id text not null, doctor_id text not null, patient_key text not null,
      channel text not null, consultation_type text not null, is_tele boolean not null,
      booked_at timestamptz not null, booked_date date not null, slot_date date not null,
      slot_starts_at timestamptz not null, lead_days integer not null,
      pricing_policy_id text not null, pricing_version integer not null, currency text not null,
      price_minor bigint not null, deposit_required_minor bigint not null, cancellation_window_minutes integer not null,
      status text not null, reschedules integer not null default 0,
      cancelled_at timestamptz, cancelled_date date, cancelled_by text, cancellation_reason text,
      late_cancellation boolean not null default false, minutes_before_start integer, visit_id text,
      deposit_payment_id text, deposit_paid_minor bigint not null default 0,
      deposit_forfeited_minor bigint not null default 0`,
    key: ['tenant_id', 'booking_id'],
    indexes: ['tenant_id, slot_date', 'tenant_id, patient_key'],
  },
  wh_fact_visit: {
    columns: `visit_id text not null, booking_id text, branch_id text not null, doctor_id text not null,
      patient_key text not null, tele boolean not null, walk_in boolean not null, outcome text not null,
      visit_date date not null, arrived_at timestamptz, started_at timestamptz, completed_at timestamptz,
      wait_minutes integer, consult_minutes integer`,
    key: ['tenant_id', 'visit_id'],
    indexes: ['tenant_id, visit_date'],
  },
  wh_fact_followup: {
    columns: `visit_id text not null, follow_up_id text not null, branch_id text not null, doctor_id text not null,
      patient_key text not null, from_tele boolean not null, scheduled_at timestamptz not null,
      scheduled_date date not null, due_date date not null, completed_at timestamptz, completed_date date,
      fulfilled_by_visit_id text, on_time boolean`,
    key: ['tenant_id', 'visit_id', 'follow_up_id'],
  },
  wh_fact_payment: {
    columns: `payment_id text not null, payment_version integer not null, event_id text not null, booking_id text,
      branch_id text not null, patient_key text not null, kind text not null, amount_minor bigint not null,
      cash_minor bigint not null, currency text not null, method text, detail text, reference_id text,
      pricing_policy_id text, pricing_version integer, occurred_at timestamptz not null, date_key date not null`,
    key: ['tenant_id', 'payment_id', 'payment_version'],
    indexes: ['tenant_id, date_key'],
  },
  wh_fact_claim: {
    columns: `claim_id text not null, payer_id text not null, patient_key text not null, episode_kind text not null,
      visit_id text, admission_id text, branch_id text, currency text not null, claimed_minor bigint not null,
      settled_minor bigint, status text not null, denial_reason text, created_at timestamptz not null,
      created_date date not null, submitted_at timestamptz, closed_at timestamptz, closed_date date,
      days_to_close integer`,
    key: ['tenant_id', 'claim_id'],
  },
  wh_fact_reconciliation: {
    columns: `reconciliation_id text not null, branch_id text not null, business_date date not null,
      currency text not null, status text not null, expected_minor bigint, collected_minor bigint,
      variance_minor bigint, variance_reason text, opened_at timestamptz not null, settled_at timestamptz`,
    key: ['tenant_id', 'reconciliation_id'],
    indexes: ['tenant_id, business_date'],
  },
} as const satisfies Readonly<Record<string, TableSpec>>;

export type WarehouseTable = keyof typeof WAREHOUSE_SPECS;
export const WAREHOUSE_TABLES = Object.keys(WAREHOUSE_SPECS) as WarehouseTable[];

export function warehouseTables(tables: TableNames): Readonly<Record<WarehouseTable, string>> {
  return tableSet(WAREHOUSE_TABLES, tables);
}

export function createWarehouseTables(tables: TableNames): string {
  const t = warehouseTables(tables);
  return WAREHOUSE_TABLES.map((logical) => {
    const spec: TableSpec = WAREHOUSE_SPECS[logical];
    const indexes = (spec.indexes ?? []).map((columns) => `create index on ${t[logical]} (${columns});`);
    return [
      `create table ${t[logical]} (tenant_id text not null, ${spec.columns}, primary key (${spec.key.join(', ')}));`,
      ...indexes,
    ].join('\n');
  }).join('\n');
}
