/** The portal's horizon: which dates are listed for a tenant clock, and which enter as the clock moves on. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays, datesFrom } from '../shared/calendar-dates.ts';
import { datesEntering, horizonOn, PORTAL_HORIZON_DAYS, type Horizon } from './horizon.ts';

describe('portal horizon', () => {
  it('covers the day before the clock date through PORTAL_HORIZON_DAYS after it', () => {
    assert.deepEqual(horizonOn('2026-12-31'), {
      firstDate: '2026-12-30',
      lastDate: addDays('2026-12-31', PORTAL_HORIZON_DAYS),
    });
    assert.equal(datesFrom(horizonOn('2026-02-27').firstDate, horizonOn('2026-02-27').lastDate).length, 62);
  });

  it('lists every date of the horizon exactly once however the clock advances', () => {
    const advances = fc.array(fc.integer({ min: 0, max: 90 }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(advances, (steps) => {
        let clock = '2026-11-01';
        let horizon: Horizon | null = null;
        const listed: string[] = [];
        for (const step of steps) {
          clock = addDays(clock, step);
          const next = horizonOn(clock);
          listed.push(...datesEntering(horizon, next));
          horizon = next;
        }
        assert.equal(new Set(listed).size, listed.length, 'a date entered twice');
        const final = horizon as Horizon;
        const current = new Set(listed.filter((date) => date >= final.firstDate));
        assert.deepEqual([...current].sort(), datesFrom(final.firstDate, final.lastDate));
      }),
    );
  });
});
