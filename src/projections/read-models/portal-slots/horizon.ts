/**
 * How far ahead portal_slots_view lists slots. apply may not read the wall clock (a replay must build the same
 * rows), so each tenant's model keeps its own clock: the UTC date of the latest `occurredAt` among the events it
 * read (an event dated earlier never moves it back). Materialised are the local dates from the day before that
 * date (so that "today" is covered in every time zone) through PORTAL_HORIZON_DAYS after it. When the clock
 * reaches a new date, the dates entering the horizon are listed for every doctor and those behind it dropped.
 */
import type { Sql } from '../../../store/engines/engine.ts';
import { addDays, datesFrom, utcDateOf } from '../shared/calendar-dates.ts';

export const PORTAL_HORIZON_DAYS = 60;

export interface Horizon {
  readonly firstDate: string;
  readonly lastDate: string;
}

export interface HorizonMove {
  readonly horizon: Horizon;
  /** Before this event; null for the tenant's first event. */
  readonly previous: Horizon | null;
  /** Dates that just entered the horizon. */
  readonly entered: readonly string[];
}

export function horizonOn(clockDate: string): Horizon {
  return { firstDate: addDays(clockDate, -1), lastDate: addDays(clockDate, PORTAL_HORIZON_DAYS) };
}

export function datesEntering(previous: Horizon | null, next: Horizon): string[] {
  const from =
    previous === null || previous.lastDate < next.firstDate ? next.firstDate : addDays(previous.lastDate, 1);
  return datesFrom(from, next.lastDate);
}

export function horizonDdl(table: string): string {
  return `create table ${table} (
    tenant_id text not null primary key,
    clock_date text not null
  );`;
}

/** Where the tenant's clock stands after an event dated `occurredAt`: moved on if the event is later. */
export function moveHorizon(
  clockDate: string | null,
  occurredAt: Date,
): { clockDate: string; move: HorizonMove } {
  const eventDate = utcDateOf(occurredAt);
  if (clockDate !== null && eventDate <= clockDate) {
    const current = horizonOn(clockDate);
    return { clockDate, move: { horizon: current, previous: current, entered: [] } };
  }
  const previous = clockDate === null ? null : horizonOn(clockDate);
  const horizon = horizonOn(eventDate);
  return { clockDate: eventDate, move: { horizon, previous, entered: datesEntering(previous, horizon) } };
}

/** The clock dates of the tenants that have one. */
export async function selectClockDates(
  sql: Sql,
  table: string,
  tenantIds: readonly string[],
): Promise<Map<string, string>> {
  const { rows } = await sql.query<{ tenant_id: string; clock_date: string }>(
    `select tenant_id, clock_date from ${table} where tenant_id = any($1::text[])`,
    [tenantIds],
  );
  return new Map(rows.map((row) => [row.tenant_id, row.clock_date]));
}

export async function saveClockDates(
  sql: Sql,
  table: string,
  clocks: ReadonlyMap<string, string>,
): Promise<void> {
  if (clocks.size === 0) return;
  await sql.query(
    `insert into ${table} (tenant_id, clock_date) select * from unnest($1::text[], $2::text[])
      on conflict (tenant_id) do update set clock_date = excluded.clock_date`,
    [[...clocks.keys()], [...clocks.values()]],
  );
}

export async function selectHorizon(sql: Sql, table: string, tenantId: string): Promise<Horizon | null> {
  const clockDate = await selectClockDate(sql, table, tenantId);
  return clockDate === null ? null : horizonOn(clockDate);
}

async function selectClockDate(sql: Sql, table: string, tenantId: string): Promise<string | null> {
  const { rows } = await sql.query<{ clock_date: string }>(
    `select clock_date from ${table} where tenant_id = $1`,
    [tenantId],
  );
  return rows[0]?.clock_date ?? null;
}
