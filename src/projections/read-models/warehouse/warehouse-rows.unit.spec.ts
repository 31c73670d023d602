import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { daysBetween, minutesBetween } from './warehouse-rows.ts';

describe('warehouse arithmetic, as PostgreSQL does it', () => {
  it('counts days between dates as date - date does, across months and daylight saving', () => {
    assert.equal(daysBetween('2026-12-30', '2027-01-02'), 3);
    assert.equal(daysBetween('2026-03-28', '2026-03-30'), 2);
    assert.equal(daysBetween('2026-05-10', '2026-05-09'), -1);
  });

  it('counts whole minutes rounded down, null when an end is unknown', () => {
    assert.equal(minutesBetween('2026-12-01T09:00:00Z', '2026-12-01T09:14:59.999Z'), 14);
    assert.equal(minutesBetween(new Date('2026-12-01T09:00:00Z'), '2026-12-01T14:30:00+05:30'), 0);
    assert.equal(minutesBetween('2026-12-01T09:00:30Z', '2026-12-01T09:00:00Z'), -1);
    assert.equal(minutesBetween(null, '2026-12-01T09:00:00Z'), null);
  });
});
