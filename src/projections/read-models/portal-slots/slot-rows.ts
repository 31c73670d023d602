/**
 * The rows of portal_slots_view: for a doctor and some dates, every slot at every branch the doctor works at
 * that a booking would get — the domain's bookableSlots over the model's states — replacing the dates' rows.
 */
import { initialBranchState } from '../../../domain/branch/state.ts';
import { bookableSlots, type Slot } from '../../../domain/slot-ledger/slots.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import type { TenantStates } from './scheduling-states.ts';

/**
 * The instant the slots are listed "as of". A slot in the past is not bookable, but which slots are past is a
 * question of the moment the portal asks: rows keep every slot and the query drops those already started.
 */
const BEGINNING_OF_TIME = new Date(0);

export function slotsDdl(table: string): string {
  return `create table ${table} (
    tenant_id text not null,
    doctor_id text not null,
    branch_id text not null,
    date text not null,
    start_time text not null,
    end_time text not null,
    starts_at timestamptz not null,
    ends_at timestamptz not null,
    time_zone text not null,
    doctor_name text not null,
    branch_name text not null,
    pricing_policy_id text not null,
    primary key (tenant_id, doctor_id, branch_id, starts_at)
  );
  create index on ${table} (tenant_id, date, branch_id);
  create index on ${table} (tenant_id, doctor_id, date);`;
}

export interface SlotRow extends Slot {
  readonly tenantId: string;
  readonly doctorId: string;
  readonly doctorName: string;
  readonly branchId: string;
  readonly branchName: string;
  readonly policyId: string;
}

/** The rows of one doctor on one date, at every branch the doctor works at, from the tenant's states. */
export function slotRowsOf(states: TenantStates, doctorId: string, date: string): SlotRow[] {
  const doctor = states.doctors.get(doctorId);
  if (doctor?.status !== 'onboarded') return [];
  const ledger = states.ledger(doctorId, date);
  return doctor.branchIds.flatMap((branchId) => {
    const branch = states.branches.get(branchId) ?? initialBranchState();
    if (branch.status === 'none') return [];
    return bookableSlots({ doctor, branch, branchId, ledger, date, now: BEGINNING_OF_TIME }).map((slot) => ({
      ...slot,
      tenantId: states.tenantId,
      doctorId,
      doctorName: doctor.name,
      branchId,
      branchName: branch.name,
      policyId: branch.pricingPolicyId,
    }));
  });
}

/** Replaces the rows of the given (tenant, doctor, date) keys with `rows`. */
export async function replaceSlots(
  sql: Sql,
  table: string,
  keys: readonly { readonly tenantId: string; readonly doctorId: string; readonly date: string }[],
  rows: readonly SlotRow[],
): Promise<void> {
  if (keys.length > 0) {
    await sql.query(
      `delete from ${table} s using unnest($1::text[], $2::text[], $3::text[]) as k(t, d, dt)
        where s.tenant_id = k.t and s.doctor_id = k.d and s.date = k.dt`,
      [keys.map((key) => key.tenantId), keys.map((key) => key.doctorId), keys.map((key) => key.date)],
    );
  }
  if (rows.length === 0) return;
  await sql.query(
    `insert into ${table} (tenant_id, doctor_id, branch_id, date, start_time, end_time, starts_at, ends_at,
        time_zone, doctor_name, branch_name, pricing_policy_id)
      select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
        $7::timestamptz[], $8::timestamptz[], $9::text[], $10::text[], $11::text[], $12::text[])`,
    [
      rows.map((row) => row.tenantId),
      rows.map((row) => row.doctorId),
      rows.map((row) => row.branchId),
      rows.map((row) => row.date),
      rows.map((row) => row.start),
      rows.map((row) => row.end),
      rows.map((row) => row.startsAt),
      rows.map((row) => row.endsAt),
      rows.map((row) => row.timeZone),
      rows.map((row) => row.doctorName),
      rows.map((row) => row.branchName),
      rows.map((row) => row.policyId),
    ],
  );
}

/** Drops each tenant's rows of dates that left its horizon. */
export async function pruneSlots(
  sql: Sql,
  table: string,
  firstDates: ReadonlyMap<string, string>,
): Promise<void> {
  if (firstDates.size === 0) return;
  await sql.query(
    `delete from ${table} s using unnest($1::text[], $2::text[]) as p(t, first)
      where s.tenant_id = p.t and s.date < p.first`,
    [[...firstDates.keys()], [...firstDates.values()]],
  );
}
