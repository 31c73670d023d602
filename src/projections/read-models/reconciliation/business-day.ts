/**
 * The business day of an instant: its calendar date in the business time zone. Branch events carry no time
 * zone, so every finance read model dates money movements in one fixed zone, India Standard Time (UTC+05:30,
 * no daylight saving). Changing it changes every date in the read models: bump their versions so they rebuild.
 */
import { localDateOf } from '../shared/calendar-dates.ts';

export const BUSINESS_TIME_ZONE = 'Asia/Kolkata';

/** `YYYY-MM-DD` of the instant (an ISO string from a payload, or a Date) in the business time zone. */
export function businessDateOf(instant: string | Date): string {
  return localDateOf(instant, BUSINESS_TIME_ZONE);
}
