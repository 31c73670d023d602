/**
 * A schedule's availability tables: the weekly windows of each doctor at each branch (replaced whole by every
 * availability update, as the event says) and the doctor's blocks (leave, conferences), which hold at every
 * branch. Queries ask for one local date: the windows of its weekday and the blocks overlapping it.
 */
import {
  doctorAvailabilityUpdated,
  doctorBlockAdded,
  doctorBlockRemoved,
} from '../../../domain/doctor/events.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import { addDays, localDateOf } from '../shared/calendar-dates.ts';
import { payloadOf } from '../shared/event-payload.ts';
import { isoOf } from '../shared/sql-values.ts';

export const AVAILABILITY_EVENT_TYPES = [
  doctorAvailabilityUpdated.type,
  doctorBlockAdded.type,
  doctorBlockRemoved.type,
] as const;

export interface AvailabilityTables {
  readonly windows: string;
  readonly blocks: string;
}

/** A weekly window on the queried date, in the doctor's local times. */
export interface DayWindow {
  readonly doctorId: string;
  readonly branchId: string;
  readonly start: string;
  readonly end: string;
  readonly slotMinutes: number;
}

export interface DayBlock {
  readonly doctorId: string;
  readonly blockId: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly reasonCode: string;
}

export function windowsDdl(table: string): string {
  return `create table ${table} (
    tenant_id text not null,
    doctor_id text not null,
    branch_id text not null,
    weekday integer not null,
    start_time text not null,
    end_time text not null,
    slot_minutes integer not null,
    primary key (tenant_id, doctor_id, branch_id, weekday, start_time)
  );
  create index on ${table} (tenant_id, branch_id, weekday);`;
}

export function blocksDdl(table: string): string {
  return `create table ${table} (
    tenant_id text not null,
    doctor_id text not null,
    block_id text not null,
    starts_at timestamptz not null,
    ends_at timestamptz not null,
    reason_code text not null,
    primary key (tenant_id, doctor_id, block_id)
  );`;
}

export async function applyToAvailability(
  event: RecordedEvent,
  tx: Sql,
  tables: AvailabilityTables,
): Promise<void> {
  const tenantId = event.tenantId;
  switch (event.eventType) {
    case doctorAvailabilityUpdated.type: {
      const { doctorId, branchId, windows } = payloadOf(event, doctorAvailabilityUpdated);
      await tx.query(
        `delete from ${tables.windows} where tenant_id = $1 and doctor_id = $2 and branch_id = $3`,
        [tenantId, doctorId, branchId],
      );
      await tx.query(
        `insert into ${tables.windows} (tenant_id, doctor_id, branch_id, weekday, start_time, end_time, slot_minutes)
          select $1::text, $2::text, $3::text, w, s, e, m
            from unnest($4::integer[], $5::text[], $6::text[], $7::integer[]) as u(w, s, e, m)`,
        [
          tenantId,
          doctorId,
          branchId,
          windows.map((window) => window.weekday),
          windows.map((window) => window.start),
          windows.map((window) => window.end),
          windows.map((window) => window.slotMinutes),
        ],
      );
      return;
    }
    case doctorBlockAdded.type: {
      const { doctorId, blockId, startsAt, endsAt, reasonCode } = payloadOf(event, doctorBlockAdded);
      await tx.query(
        `insert into ${tables.blocks} (tenant_id, doctor_id, block_id, starts_at, ends_at, reason_code)
          values ($1, $2, $3, $4, $5, $6)`,
        [tenantId, doctorId, blockId, startsAt, endsAt, reasonCode],
      );
      return;
    }
    case doctorBlockRemoved.type: {
      const { doctorId, blockId } = payloadOf(event, doctorBlockRemoved);
      await tx.query(
        `delete from ${tables.blocks} where tenant_id = $1 and doctor_id = $2 and block_id = $3`,
        [tenantId, doctorId, blockId],
      );
      return;
    }
  }
}

/** The windows of `weekday` (ISO, 1 = Monday) of one doctor, or of every doctor at one branch. */
export async function selectWindows(
  sql: Sql,
  table: string,
  filter: { tenantId: string; weekday: number; doctorId?: string; branchId?: string },
): Promise<DayWindow[]> {
  const { rows } = await sql.query<{
    doctor_id: string;
    branch_id: string;
    start_time: string;
    end_time: string;
    slot_minutes: number;
  }>(
    `select doctor_id, branch_id, start_time, end_time, slot_minutes from ${table}
      where tenant_id = $1 and weekday = $2
        and ($3::text is null or doctor_id = $3) and ($4::text is null or branch_id = $4)
      order by doctor_id, start_time, branch_id`,
    [filter.tenantId, filter.weekday, filter.doctorId ?? null, filter.branchId ?? null],
  );
  return rows.map((row) => ({
    doctorId: row.doctor_id,
    branchId: row.branch_id,
    start: row.start_time,
    end: row.end_time,
    slotMinutes: row.slot_minutes,
  }));
}

/** The blocks of the given doctors that overlap `date` on each doctor's own clock. */
export async function selectBlocksOnDate(
  sql: Sql,
  table: string,
  filter: { tenantId: string; date: string; timeZones: ReadonlyMap<string, string> },
): Promise<DayBlock[]> {
  if (filter.timeZones.size === 0) return [];
  // Every zone's local date lies within a day of the UTC date: fetch that wider span, then keep exact overlaps.
  const { rows } = await sql.query<{
    doctor_id: string;
    block_id: string;
    starts_at: Date;
    ends_at: Date;
    reason_code: string;
  }>(
    `select doctor_id, block_id, starts_at, ends_at, reason_code from ${table}
      where tenant_id = $1 and doctor_id = any($2::text[])
        and starts_at < ($3::date::timestamp at time zone 'UTC')
        and ends_at > ($4::date::timestamp at time zone 'UTC')
      order by starts_at, doctor_id, block_id`,
    [filter.tenantId, [...filter.timeZones.keys()], addDays(filter.date, 2), addDays(filter.date, -1)],
  );
  return rows
    .filter((row) => {
      const timeZone = filter.timeZones.get(row.doctor_id) ?? 'UTC';
      const lastInstant = new Date(row.ends_at.getTime() - 1);
      return (
        localDateOf(row.starts_at, timeZone) <= filter.date &&
        localDateOf(lastInstant, timeZone) >= filter.date
      );
    })
    .map((row) => ({
      doctorId: row.doctor_id,
      blockId: row.block_id,
      startsAt: isoOf(row.starts_at),
      endsAt: isoOf(row.ends_at),
      reasonCode: row.reason_code,
    }));
}
