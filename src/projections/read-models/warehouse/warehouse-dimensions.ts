/**
 * The warehouse's conformed dimensions: dates (one row per business day any fact refers to), tenants,
 * branches, doctors and patients (pseudonymous keys only). Fact handlers call `ensureDates` and
 * `seePatient` for the keys they write, so every fact joins to its dimension rows.
 */
import { branchAdded, branchRemoved } from '../../../domain/branch/events.ts';
import { doctorBranchAssigned, doctorOnboarded } from '../../../domain/doctor/events.ts';
import { patientRegistered } from '../../../domain/patient/events.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import type { TableNames } from '../../projection.ts';
import { on, type EventHandler } from '../payments/event-handlers.ts';
import { businessDateOf } from '../reconciliation/business-day.ts';
import { warehouseTables } from './warehouse-tables.ts';

export interface WarehouseContext {
  /** The pseudonymous key of a tenant's patient (never the id itself). */
  readonly patientKey: (tenantId: string, patientId: string) => string;
}

/** Adds the date dimension's rows for these business days (`YYYY-MM-DD`; nulls ignored). */
export async function ensureDates(
  tx: Sql,
  tables: TableNames,
  tenantId: string,
  dates: readonly (string | null)[],
): Promise<void> {
  const t = warehouseTables(tables);
  const distinct = [...new Set(dates.filter((date): date is string => date !== null))];
  if (distinct.length === 0) return;
  await tx.query(
    `insert into ${t.wh_dim_date} (tenant_id, date_key, year, quarter, month, day_of_month, iso_year, iso_week,
        iso_weekday, is_weekend)
      select $1, d, extract(year from d), extract(quarter from d), extract(month from d), extract(day from d),
        extract(isoyear from d), extract(week from d), extract(isodow from d), extract(isodow from d) >= 6
      from unnest($2::date[]) as d
      on conflict (tenant_id, date_key) do nothing`,
    [tenantId, distinct],
  );
}

/** Records that a patient (by key) appeared on `date`; the first appearance stays. */
export async function seePatient(
  tx: Sql,
  tables: TableNames,
  tenantId: string,
  patientKey: string,
  date: string,
): Promise<void> {
  const t = warehouseTables(tables);
  await tx.query(
    `insert into ${t.wh_dim_patient} (tenant_id, patient_key, first_seen_date) values ($1, $2, $3::date)
      on conflict (tenant_id, patient_key) do nothing`,
    [tenantId, patientKey, date],
  );
  await ensureDates(tx, tables, tenantId, [date]);
}

export function dimensionHandlers(context: WarehouseContext): EventHandler[] {
  return [
    on(branchAdded, async (p, event, tx, tables) => {
      const t = warehouseTables(tables);
      const date = businessDateOf(event.occurredAt);
      await tx.query(
        `insert into ${t.wh_dim_branch} (tenant_id, branch_id, branch_name, pricing_policy_id, added_date)
          values ($1, $2, $3, $4, $5::date)`,
        [event.tenantId, p.branchId, p.name, p.pricingPolicyId, date],
      );
      await tx.query(
        `insert into ${t.wh_dim_tenant} as d (tenant_id, first_branch_date, branches_added, branches_removed)
          values ($1, $2::date, 1, 0)
          on conflict (tenant_id) do update set branches_added = d.branches_added + 1`,
        [event.tenantId, date],
      );
      await ensureDates(tx, tables, event.tenantId, [date]);
    }),
    on(branchRemoved, async (p, event, tx, tables) => {
      const t = warehouseTables(tables);
      const date = businessDateOf(event.occurredAt);
      await tx.query(
        `update ${t.wh_dim_branch} set removed_date = $3::date, removal_reason = $4
          where tenant_id = $1 and branch_id = $2`,
        [event.tenantId, p.branchId, date, p.reasonCode],
      );
      await tx.query(
        `update ${t.wh_dim_tenant} set branches_removed = branches_removed + 1 where tenant_id = $1`,
        [event.tenantId],
      );
      await ensureDates(tx, tables, event.tenantId, [date]);
    }),
    on(doctorOnboarded, async (p, event, tx, tables) => {
      const t = warehouseTables(tables);
      const date = businessDateOf(event.occurredAt);
      await tx.query(
        `insert into ${t.wh_dim_doctor} (tenant_id, doctor_id, doctor_name, specialties, time_zone, onboarded_date)
          values ($1, $2, $3, $4, $5, $6::date)`,
        [event.tenantId, p.doctorId, p.name, p.specialties, p.timeZone, date],
      );
      await ensureDates(tx, tables, event.tenantId, [date]);
    }),
    on(doctorBranchAssigned, async (p, event, tx, tables) => {
      const t = warehouseTables(tables);
      await tx.query(
        `update ${t.wh_dim_doctor} set branch_ids = array_append(branch_ids, $3)
          where tenant_id = $1 and doctor_id = $2 and not ($3 = any(branch_ids))`,
        [event.tenantId, p.doctorId, p.branchId],
      );
    }),
    on(patientRegistered, async (p, event, tx, tables) => {
      const t = warehouseTables(tables);
      const date = businessDateOf(event.occurredAt);
      await tx.query(
        `insert into ${t.wh_dim_patient} as d (tenant_id, patient_key, registered_date, first_seen_date)
          values ($1, $2, $3::date, $3::date)
          on conflict (tenant_id, patient_key) do update set registered_date = excluded.registered_date`,
        [event.tenantId, context.patientKey(event.tenantId, p.patientId), date],
      );
      await ensureDates(tx, tables, event.tenantId, [date]);
    }),
  ];
}
