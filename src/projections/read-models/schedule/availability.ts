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
import { RowBuffer, type Row } from '../shared/row-buffer.ts';
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

/** A row of the windows table, as applied in memory (schedule-batch.ts). */
export interface WindowRecord extends Row {
  readonly tenant_id: string;
  readonly doctor_id: string;
  readonly branch_id: string;
  readonly weekday: number;
  readonly start_time: string;
  readonly end_time: string;
  readonly slot_minutes: number;
}

/** A row of the blocks table, as applied in memory. */
export interface BlockRecord extends Row {
  readonly tenant_id: string;
  readonly doctor_id: string;
  readonly block_id: string;
  readonly starts_at: Date | string;
  readonly ends_at: Date | string;
  readonly reason_code: string;
}

export interface AvailabilityRows {
  readonly windows: RowBuffer<WindowRecord>;
  readonly blocks: RowBuffer<BlockRecord>;
}

export function availabilityRows(tables: AvailabilityTables): AvailabilityRows {
  return {
    windows: new RowBuffer<WindowRecord>(
      tables.windows,
      {
        tenant_id: 'text',
        doctor_id: 'text',
        branch_id: 'text',
        weekday: 'integer',
        start_time: 'text',
        end_time: 'text',
        slot_minutes: 'integer',
      },
      ['tenant_id', 'doctor_id', 'branch_id', 'weekday', 'start_time'],
    ),
    blocks: new RowBuffer<BlockRecord>(
      tables.blocks,
      {
        tenant_id: 'text',
        doctor_id: 'text',
        block_id: 'text',
        starts_at: 'timestamptz',
        ends_at: 'timestamptz',
        reason_code: 'text',
      },
      ['tenant_id', 'doctor_id', 'block_id'],
    ),
  };
}

/** What an event replaces or writes: a doctor's windows at a branch, or a block — keys to load. */
export function availabilityKeysOf(event: RecordedEvent): {
  windows?: readonly unknown[];
  block?: readonly unknown[];
} {
  const tenantId = event.tenantId;
  switch (event.eventType) {
    case doctorAvailabilityUpdated.type: {
      const { doctorId, branchId } = payloadOf(event, doctorAvailabilityUpdated);
      return { windows: [tenantId, doctorId, branchId] };
    }
    case doctorBlockAdded.type:
    case doctorBlockRemoved.type: {
      const { doctorId, blockId } = event.payload as { doctorId: string; blockId: string };
      return { block: [tenantId, doctorId, blockId] };
    }
    default:
      return {};
  }
}

export function applyToAvailability(event: RecordedEvent, rows: AvailabilityRows): void {
  const tenantId = event.tenantId;
  switch (event.eventType) {
    case doctorAvailabilityUpdated.type: {
      const { doctorId, branchId, windows } = payloadOf(event, doctorAvailabilityUpdated);
      for (const row of rows.windows.where([tenantId, doctorId, branchId])) {
        rows.windows.delete([tenantId, doctorId, branchId, row.weekday, row.start_time]);
      }
      for (const window of windows) {
        rows.windows.insert({
          tenant_id: tenantId,
          doctor_id: doctorId,
          branch_id: branchId,
          weekday: window.weekday,
          start_time: window.start,
          end_time: window.end,
          slot_minutes: window.slotMinutes,
        });
      }
      return;
    }
    case doctorBlockAdded.type: {
      const { doctorId, blockId, startsAt, endsAt, reasonCode } = payloadOf(event, doctorBlockAdded);
      rows.blocks.insert({
        tenant_id: tenantId,
        doctor_id: doctorId,
        block_id: blockId,
        starts_at: startsAt,
        ends_at: endsAt,
        reason_code: reasonCode,
      });
      return;
    }
    case doctorBlockRemoved.type: {
      const { doctorId, blockId } = payloadOf(event, doctorBlockRemoved);
      rows.blocks.delete([tenantId, doctorId, blockId]);
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
