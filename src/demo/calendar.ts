/**
 * Calendar arithmetic for the simulation, on the wall clock of the demo's tenants (India, no daylight saving,
 * but computed through the same zone rules the domain uses). Dates are `YYYY-MM-DD` local dates.
 */
import { localToEpochMs, minuteOfDay } from '../domain/doctor/local-time.ts';

export const DEMO_TIME_ZONE = 'Asia/Kolkata';
/** A Monday: the first simulated day of every demo history. */
export const DEMO_START_DATE = '2026-01-05';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** A booking's or payment's last command (a dispute's resolution) is at most this long after its visit. */
export const RETIRE_AFTER_DAYS = 45;

export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The instant the local clock shows `time` (`HH:MM`, or minutes past midnight) on `date`. */
export function localInstant(date: string, time: string | number): number {
  return localToEpochMs(date, typeof time === 'number' ? time : minuteOfDay(time), DEMO_TIME_ZONE);
}

const dateFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: DEMO_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The local date at an instant. */
export function localDateOf(epochMs: number): string {
  return dateFormatter.format(new Date(epochMs));
}

/** Minutes past local midnight at an instant. */
export function localMinuteOf(epochMs: number): number {
  return Math.round((epochMs - localInstant(localDateOf(epochMs), 0)) / MINUTE_MS);
}
