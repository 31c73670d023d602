import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { commandSequences, replay, runCommands, throughStore } from '../shared/testing/decider-harness.ts';
import type { ClaimCommand } from './commands.ts';
import { claimDecider } from './decider.ts';
import { events, type ClaimEvent } from './events.ts';

const now = fc.date({
  min: new Date('2026-01-01T00:00:00Z'),
  max: new Date('2027-01-01T00:00:00Z'),
  noInvalidDate: true,
});
const claimId = fc.constant('c1');
const money = fc.record({
  amountMinor: fc.constantFrom(0, 500, 1_000, 1_001),
  currency: fc.oneof({ arbitrary: fc.constant('INR'), weight: 9 }, fc.constant('USD')),
});
const text = fc.option(fc.string({ maxLength: 20 }), { nil: null });

const create = fc.record({
  type: fc.constant('CreateClaim' as const),
  claimId,
  patientId: fc.constant('p1'),
  payerId: fc.constant('tpa1'),
  policyNumber: fc.constant('POL-1'),
  episode: fc.oneof(
    fc.record({ kind: fc.constant('visit' as const), visitId: fc.constant('v1') }),
    fc.record({ kind: fc.constant('admission' as const), admissionId: fc.constant('a1') }),
  ),
  // Commands come from parsed JSON, so nested objects have the usual prototype (fast-check may drop it).
  claimed: fc.record(
    { amountMinor: fc.constantFrom(0, 1_000), currency: fc.constant('INR') },
    { noNullPrototype: true },
  ),
  diagnosisSummary: text,
  now,
});
const submit = fc.record({
  type: fc.constant('SubmitClaim' as const),
  claimId,
  payerReference: fc.option(fc.constant('X-1'), { nil: null }),
  now,
});
const settle = fc.record({
  type: fc.constant('SettleClaim' as const),
  claimId,
  settled: money,
  payerReference: fc.constant(null),
  now,
});
const deny = fc.record({
  type: fc.constant('DenyClaim' as const),
  claimId,
  reasonCode: fc.constant('EXCL-4'),
  note: text,
  now,
});
const command: fc.Arbitrary<ClaimCommand> = fc.oneof(create, submit, settle, deny);
const commands = commandSequences<ClaimCommand>([create, submit, fc.oneof(settle, deny)], command);

/** The claim's state machine written out independently of the decider. */
const allowedAfter: Record<string, readonly ClaimCommand['type'][]> = {
  none: ['CreateClaim'],
  'claim.created': ['SubmitClaim'],
  'claim.submitted': ['SettleClaim', 'DenyClaim'],
  'claim.settled': [],
  'claim.denied': [],
};

describe('claim decider properties', () => {
  it('replaying the stored events of any command sequence rebuilds the live state', () => {
    fc.assert(
      fc.property(commands, (sequence) => {
        const { state, history } = runCommands(claimDecider, sequence);
        assert.deepEqual(
          replay(
            claimDecider,
            history.map((event) => throughStore(events, event)),
          ),
          state,
        );
      }),
    );
  });

  it('accepts only legal transitions, and never settles for more than was claimed', () => {
    fc.assert(
      fc.property(commands, (sequence) => {
        const { outcomes } = runCommands(claimDecider, sequence);
        const history: ClaimEvent[] = [];
        for (const outcome of outcomes) {
          const last = history.at(-1)?.type ?? 'none';
          if (outcome.refusal === null)
            assert.ok(
              allowedAfter[last]?.includes(outcome.command.type),
              `${outcome.command.type} after ${last}`,
            );
          history.push(...outcome.events);
        }
        for (const event of history) {
          if (event.type === 'claim.settled') {
            assert.ok(event.data.settled.amountMinor <= event.data.claimed.amountMinor);
            assert.equal(event.data.settled.currency, event.data.claimed.currency);
          }
        }
      }),
    );
  });
});
