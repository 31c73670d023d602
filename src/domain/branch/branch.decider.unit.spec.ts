import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  definitionProblems,
  given,
  replay,
  runCommands,
  throughStore,
} from '../shared/testing/decider-harness.ts';
import type { BranchCommand } from './commands.ts';
import { branchDecider } from './decider.ts';
import { events, type BranchEvent } from './events.ts';
import { requireActiveBranch } from './guards.ts';

const now = new Date('2026-11-01T00:00:00Z');
const add: BranchCommand = {
  type: 'AddBranch',
  branchId: 'br-1',
  name: 'Koramangala',
  pricingPolicyId: 'pp-1',
  now,
};
const remove: BranchCommand = { type: 'RemoveBranch', branchId: 'br-1', reasonCode: 'closed', now };
const added: BranchEvent[] = [
  { type: 'branch.added', data: { branchId: 'br-1', name: 'Koramangala', pricingPolicyId: 'pp-1' } },
];

describe('branch', () => {
  it('has well-formed events', () => {
    assert.deepEqual(definitionProblems(events, 'branch'), []);
  });

  it('is added once, under a pricing policy', () => {
    assert.deepEqual(given(branchDecider, []).when(add), added);
    assert.throws(() => given(branchDecider, added).when(add), { code: 'INVALID_TRANSITION' });
    assert.throws(() => given(branchDecider, []).when({ ...add, name: '  ' }), {
      code: 'VALIDATION_FAILED',
      field: 'name',
    });
  });

  it('is removed once, and then takes no bookings', () => {
    const removed = given(branchDecider, added).when(remove);
    assert.deepEqual(removed, [{ type: 'branch.removed', data: { branchId: 'br-1', reasonCode: 'closed' } }]);
    assert.throws(() => given(branchDecider, [...added, ...removed]).when(remove), {
      code: 'INVALID_TRANSITION',
    });
    assert.throws(() => given(branchDecider, []).when(remove), { code: 'INVALID_TRANSITION' });
    assert.throws(() => requireActiveBranch(replay(branchDecider, [...added, ...removed]), 'br-1'), {
      code: 'BRANCH_REMOVED',
    });
    assert.equal(requireActiveBranch(replay(branchDecider, added), 'br-1').pricingPolicyId, 'pp-1');
  });

  it('replays to the state its commands built, and never changes after removal', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(add, remove, { ...add, name: 'Indiranagar' }), { maxLength: 8 }),
        (commands) => {
          const run = runCommands(branchDecider, commands);
          assert.deepEqual(
            replay(
              branchDecider,
              run.history.map((event) => throughStore(events, event)),
            ),
            run.state,
          );
          const removal = run.history.findIndex((event) => event.type === 'branch.removed');
          assert.ok(removal === -1 || removal === run.history.length - 1);
        },
      ),
    );
  });
});
