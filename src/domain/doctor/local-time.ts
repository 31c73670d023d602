import { z } from 'zod';

/**
 * Wall-clock time in a doctor's IANA time zone. Availability is written as weekday + "HH:MM" in that zone and a
 * slot is named by its local date and start; these helpers turn such names into UTC instants. The zone rules come
 * from Intl, and every result the domain relies on is written into events, so replay never consults them.
 */

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const MINUTES_PER_DAY = 24 * 60;
const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = MINUTES_PER_DAY * MS_PER_MINUTE;

export const localTimeSchema = z.string().regex(HH_MM, 'must be HH:MM between 00:00 and 23:59');

/** The end of a window may be midnight, written 24:00. */
export const localEndTimeSchema = z
  .string()
  .refine((value) => HH_MM.test(value) || value === '24:00', 'must be HH:MM between 00:01 and 24:00');

/** Shape only: whether the runtime knows the zone is checked when a doctor is onboarded, never on replay. */
export const timeZoneSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/, 'must be an IANA time zone name');

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export const weekdaySchema = z.number().int().min(1).max(7);

export const minuteOfDay = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

export function formatMinuteOfDay(minutes: number): string {
  if (minutes === MINUTES_PER_DAY) return '24:00';
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

export function isoWeekday(date: string): number {
  const day = new Date(dateAtUtcMidnight(date)).getUTCDay();
  return day === 0 ? 7 : day;
}

/**
 * The UTC instant (epoch ms) at which the doctor's clock shows `minutes` past midnight of `date`. When the clock
 * shows that time twice (autumn DST change) it is the earlier instant; when it skips it (spring), NaN.
 */
export function localToEpochMs(date: string, minutes: number, timeZone: string): number {
  const wall = dateAtUtcMidnight(date) + minutes * MS_PER_MINUTE;
  // A zone changes offset at most once around a given day, so the offsets a day either side are the only candidates.
  const offsets = new Set([
    offsetMinutesAt(timeZone, wall - MS_PER_DAY),
    offsetMinutesAt(timeZone, wall + MS_PER_DAY),
  ]);
  const instants = [...offsets]
    .map((offset) => wall - offset * MS_PER_MINUTE)
    .filter((instant) => wall - instant === offsetMinutesAt(timeZone, instant) * MS_PER_MINUTE);
  return instants.length === 0 ? Number.NaN : Math.min(...instants);
}

/**
 * `localToEpochMs` for many times of one date. A day that lasts exactly 24 hours has one offset throughout (two
 * transitions cancelling out within a day do not occur), so the zone rules are consulted twice instead of per slot.
 */
export function localDayClock(date: string, timeZone: string): (minutes: number) => number {
  const midnight = localToEpochMs(date, 0, timeZone);
  if (localToEpochMs(date, MINUTES_PER_DAY, timeZone) - midnight === MS_PER_DAY) {
    return (minutes) => midnight + minutes * MS_PER_MINUTE;
  }
  return (minutes) => localToEpochMs(date, minutes, timeZone);
}

export function isTimeZone(value: string): boolean {
  try {
    formatterFor(value);
    return true;
  } catch {
    return false;
  }
}

function dateAtUtcMidnight(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

/** Minutes the zone is ahead of UTC at that instant (Asia/Kolkata: 330). */
function offsetMinutesAt(timeZone: string, epochMs: number): number {
  const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
  const parts = formatterFor(timeZone).formatToParts(new Date(wholeSeconds));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wallAsUtc = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return Math.round((wallAsUtc - wholeSeconds) / MS_PER_MINUTE);
}

// Building a DateTimeFormat costs far more than using one; the cache holds only zone rules, never patient data.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const cached = formatters.get(timeZone);
  if (cached !== undefined) return cached;
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  formatters.set(timeZone, formatter);
  return formatter;
}
