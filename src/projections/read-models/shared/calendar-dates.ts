/**
 * Calendar dates (`YYYY-MM-DD`) for read models: which local date an instant falls on in a doctor's zone, and
 * date arithmetic. Zone rules come from Intl, as in the domain's local-time helpers; they are the same for every
 * replay on one Node version, and everything the domain decided is already in the events.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The date the clock of `timeZone` shows at `instant`. */
export function localDateOf(instant: Date | string, timeZone: string): string {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    // en-CA formats dates as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter.format(typeof instant === 'string' ? new Date(instant) : instant);
}

export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** Every date from `first` through `last` (none when last < first). */
export function datesFrom(first: string, last: string): string[] {
  const dates: string[] = [];
  for (let date = first; date <= last; date = addDays(date, 1)) dates.push(date);
  return dates;
}

/** The UTC date of an instant. */
export function utcDateOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}
