import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { auditLog } from './log-audit.ts';

describe('auditLog', () => {
  it('finds nothing wrong when every stored event was seen once, in any order', () => {
    assert.deepEqual(auditLog([3, 1, 2], [1, 2, 3]), { stored: 3, seen: 3, missed: 0, duplicated: 0 });
  });

  it('counts stored events never seen, and repeated sightings', () => {
    // Positions 4 and 6 were skipped; 2 was delivered three times.
    assert.deepEqual(auditLog([1, 2, 3, 2, 5, 2], [1, 2, 3, 4, 5, 6]), {
      stored: 6,
      seen: 6,
      missed: 2,
      duplicated: 2,
    });
  });

  it('refuses a reader that saw an event the store does not hold', () => {
    assert.throws(() => auditLog([1, 9], [1, 2]), /position 9/);
  });

  it('seen = stored - missed + duplicated, for any sighting of the stored log', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 1 }),
        fc.array(fc.nat()),
        (stored, picks) => {
          const seen = picks.map((pick) => stored[pick % stored.length] as number);
          const audit = auditLog(seen, stored);
          assert.equal(audit.seen, stored.length - audit.missed + audit.duplicated);
          assert.equal(audit.missed, stored.filter((position) => !seen.includes(position)).length);
        },
      ),
    );
  });
});
