import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { businessDateOf } from './business-day.ts';

describe('businessDateOf', () => {
  it('dates an instant in India Standard Time, whatever the process time zone', () => {
    assert.equal(businessDateOf('2026-12-06T18:29:59.999Z'), '2026-12-06');
    assert.equal(businessDateOf('2026-12-06T18:30:00.000Z'), '2026-12-07');
    assert.equal(businessDateOf(new Date('2026-12-31T20:00:00.000Z')), '2027-01-01');
  });
});
