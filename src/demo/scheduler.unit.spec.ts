import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Scheduler } from './scheduler.ts';

describe('the simulated clock', () => {
  it('runs actions in time order, ties in the order they were scheduled, each at its own time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 40 }), async (times) => {
        const clock = new Scheduler(0);
        const ran: [number, number, number][] = [];
        times.forEach((at, index) => clock.at(at, async () => void ran.push([at, index, clock.nowMs()])));
        await clock.runUntil(100);
        const expected = times
          .map((at, index) => [at, index, at])
          .sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
        assert.deepEqual(ran, expected);
      }),
    );
  });

  it('runs what actions schedule, never in the past, and keeps later actions for the next run', async () => {
    const clock = new Scheduler(1_000);
    const ran: string[] = [];
    clock.at(2_000, async () => {
      ran.push(`first@${clock.nowMs()}`);
      clock.at(500, async () => void ran.push(`late@${clock.nowMs()}`));
      clock.after(10, async () => void ran.push(`after@${clock.nowMs()}`));
      clock.at(9_000, async () => void ran.push(`tomorrow@${clock.nowMs()}`));
    });
    await clock.runUntil(5_000);
    assert.deepEqual(ran, ['first@2000', 'late@2000', 'after@2010']);
    assert.equal(clock.nowMs(), 5_000);
    assert.equal(clock.pending, 1);
    await clock.runUntil(10_000);
    assert.deepEqual(ran.at(-1), 'tomorrow@9000');
  });
});
