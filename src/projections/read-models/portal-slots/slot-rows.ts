/**
 * The rows of portal_slots_view: for a doctor and some dates, every slot at every branch the doctor works at
 * that a booking would get — the domain's bookableSlots over the model's states — replacing the dates' rows.
 */
import { initialBranchState, type BranchState } from '../../../domain/branch/state.ts';
import type { DoctorState } from '../../../domain/doctor/state.ts';
import { bookableSlots } from '../../../domain/slot-ledger/slots.ts';
import {
  AGGREGATE_TYPE as SLOT_LEDGER,
  initialSlotLedgerState,
  ledgerIdOf,
  type SlotLedgerState,
} from '../../../domain/slot-ledger/state.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import { loadStates } from './scheduling-states.ts';

/**
 * The instant the slots are listed "as of". A slot in the past is not bookable, but which slots are past is a
 * question of the moment the portal asks: rows keep every slot and the query drops those already started.
 */
const BEGINNING_OF_TIME = new Date(0);

export interface SlotTables {
  readonly slots: string;
  readonly states: string;
}

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

/** Replaces the doctor's rows on `dates` (at one branch, or all) with the slots bookable there now. */
export async function refreshSlots(
  tx: Sql,
  tables: SlotTables,
  tenantId: string,
  doctorId: string,
  dates: readonly string[],
  onlyBranchId: string | null,
): Promise<void> {
  if (dates.length === 0) return;
  await tx.query(
    `delete from ${tables.slots}
      where tenant_id = $1 and doctor_id = $2 and date = any($3::text[]) and ($4::text is null or branch_id = $4)`,
    [tenantId, doctorId, dates, onlyBranchId],
  );
  const doctor = (await loadStates<DoctorState>(tx, tables.states, tenantId, 'doctor', [doctorId])).get(
    doctorId,
  );
  if (doctor?.status !== 'onboarded') return;
  const branchIds = doctor.branchIds.filter((branchId) => onlyBranchId === null || branchId === onlyBranchId);
  if (branchIds.length === 0) return;
  const branches = await loadStates<BranchState>(tx, tables.states, tenantId, 'branch', branchIds);
  const ledgerIds = dates.map((date) => ledgerIdOf(doctorId, date));
  const ledgers = await loadStates<SlotLedgerState>(tx, tables.states, tenantId, SLOT_LEDGER, ledgerIds);

  const rows = dates.flatMap((date) =>
    branchIds.flatMap((branchId) => {
      const branch = branches.get(branchId) ?? initialBranchState();
      if (branch.status === 'none') return [];
      const ledger = ledgers.get(ledgerIdOf(doctorId, date)) ?? initialSlotLedgerState();
      return bookableSlots({ doctor, branch, branchId, ledger, date, now: BEGINNING_OF_TIME }).map(
        (slot) => ({
          ...slot,
          branchId,
          branchName: branch.name,
          policyId: branch.pricingPolicyId,
        }),
      );
    }),
  );
  if (rows.length === 0) return;
  await tx.query(
    `insert into ${tables.slots} (tenant_id, doctor_id, branch_id, date, start_time, end_time, starts_at, ends_at,
        time_zone, doctor_name, branch_name, pricing_policy_id)
      select $1::text, $2::text, b, d, s, e, sa, ea, tz, $3::text, bn, p
        from unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[],
          $10::text[], $11::text[], $12::text[]) as u(b, d, s, e, sa, ea, tz, bn, p)`,
    [
      tenantId,
      doctorId,
      doctor.name,
      rows.map((row) => row.branchId),
      rows.map((row) => row.date),
      rows.map((row) => row.start),
      rows.map((row) => row.end),
      rows.map((row) => row.startsAt),
      rows.map((row) => row.endsAt),
      rows.map((row) => row.timeZone),
      rows.map((row) => row.branchName),
      rows.map((row) => row.policyId),
    ],
  );
}

/** Drops the rows of dates that left the horizon. */
export async function pruneSlots(tx: Sql, table: string, tenantId: string, before: string): Promise<void> {
  await tx.query(`delete from ${table} where tenant_id = $1 and date < $2`, [tenantId, before]);
}
