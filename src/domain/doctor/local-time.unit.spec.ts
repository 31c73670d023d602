import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  formatMinuteOfDay,
  isoWeekday,
  isTimeZone,
  localDayClock,
  localToEpochMs,
  minuteOfDay,
} from './local-time.ts';

const iso = (epochMs: number) => new Date(epochMs).toISOString();

/** The wall clock of `timeZone` at an instant, as `YYYY-MM-DD HH:MM` (written with Intl's sv-SE format). */
const wallAt = (epochMs: number, timeZone: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(
    new Date(epochMs),
  );

describe('local time of a doctor', () => {
  it('turns India’s wall clock into UTC (+05:30, no DST)', () => {
    assert.equal(
      iso(localToEpochMs('2026-12-07', minuteOfDay('09:00'), 'Asia/Kolkata')),
      '2026-12-07T03:30:00.000Z',
    );
    assert.equal(iso(localToEpochMs('2026-12-07', 0, 'Asia/Kolkata')), '2026-12-06T18:30:00.000Z');
    assert.equal(iso(localToEpochMs('2026-12-07', 24 * 60, 'Asia/Kolkata')), '2026-12-07T18:30:00.000Z');
  });

  it('returns NaN for a time the clock skips and the earlier instant for one it repeats', () => {
    // New York: 2026-03-08 02:00 → 03:00; 2026-11-01 02:00 → 01:00.
    assert.ok(Number.isNaN(localToEpochMs('2026-03-08', minuteOfDay('02:30'), 'America/New_York')));
    assert.equal(
      iso(localToEpochMs('2026-03-08', minuteOfDay('03:00'), 'America/New_York')),
      '2026-03-08T07:00:00.000Z',
    );
    assert.equal(
      iso(localToEpochMs('2026-11-01', minuteOfDay('01:30'), 'America/New_York')),
      '2026-11-01T05:30:00.000Z',
    );
    // Berlin (east of UTC): 2026-10-25 03:00 → 02:00; 02:30 happens first at 00:30Z.
    assert.equal(
      iso(localToEpochMs('2026-10-25', minuteOfDay('02:30'), 'Europe/Berlin')),
      '2026-10-25T00:30:00.000Z',
    );
  });

  it('round-trips through the zone’s own clock for any time that exists', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2020-01-01T00:00:00Z'),
          max: new Date('2035-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 24 * 60 - 1 }),
        fc.constantFrom(
          'Asia/Kolkata',
          'America/New_York',
          'Europe/Berlin',
          'Australia/Adelaide',
          'Asia/Kathmandu',
        ),
        (day, minutes, timeZone) => {
          const date = day.toISOString().slice(0, 10);
          const instant = localToEpochMs(date, minutes, timeZone);
          if (Number.isNaN(instant)) return;
          assert.equal(wallAt(instant, timeZone), `${date} ${formatMinuteOfDay(minutes)}`);
          assert.equal(localDayClock(date, timeZone)(minutes), instant);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names weekdays the ISO way and knows real zones', () => {
    assert.deepEqual(['2026-12-07', '2026-12-12', '2026-12-13'].map(isoWeekday), [1, 6, 7]);
    assert.equal(formatMinuteOfDay(24 * 60), '24:00');
    assert.equal(isTimeZone('Asia/Kolkata'), true);
    assert.equal(isTimeZone('Mars/Olympus_Mons'), false);
  });
});
