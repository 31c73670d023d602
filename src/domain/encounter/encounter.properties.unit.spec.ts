import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { commandSequences, replay, runCommands, throughStore } from '../shared/testing/decider-harness.ts';
import type { EncounterCommand } from './commands.ts';
import { encounterDecider } from './decider.ts';
import { events, type EncounterEvent } from './events.ts';

const now = fc.date({
  min: new Date('2026-01-01T00:00:00Z'),
  max: new Date('2027-01-01T00:00:00Z'),
  noInvalidDate: true,
});
const encounterId = fc.constant('e1');
const prose = fc.string({ minLength: 1, maxLength: 20 });

const open = fc.record({
  type: fc.constant('OpenEncounter' as const),
  encounterId,
  patientId: fc.constant('p1'),
  doctorId: fc.constant('d1'),
  branchId: fc.constant('br1'),
  setting: fc.constantFrom('opd' as const, 'tele' as const, 'ipd' as const, 'emergency' as const),
  visitId: fc.option(fc.constant('v1'), { nil: null, freq: 4 }),
  admissionId: fc.option(fc.constant('a1'), { nil: null, freq: 4 }),
  now,
});
const startPlan = fc.record({
  type: fc.constant('StartTreatmentPlan' as const),
  encounterId,
  planId: fc.constantFrom('plan1', 'plan2'),
  planCode: fc.option(fc.constant('DM2-STD'), { nil: null }),
  summary: prose,
  now,
});
const updateCarePath = fc.record({
  type: fc.constant('UpdateCarePath' as const),
  encounterId,
  carePathId: fc.constant('cp1'),
  step: fc.constantFrom('INTAKE', 'REVIEW'),
  note: fc.option(prose, { nil: null }),
  now,
});
const referOut = fc.record({
  type: fc.constant('ReferOut' as const),
  encounterId,
  referralId: fc.constantFrom('ref1', 'ref2'),
  toProvider: fc.constant('City Eye Hospital'),
  specialty: fc.constant('ophthalmology'),
  urgency: fc.constantFrom('routine' as const, 'urgent' as const),
  reason: prose,
  now,
});
const close = fc.record({
  type: fc.constant('CloseEncounter' as const),
  encounterId,
  summary: fc.option(prose, { nil: null }),
  now,
});
const command: fc.Arbitrary<EncounterCommand> = fc.oneof(open, startPlan, updateCarePath, referOut, close);
const commands = commandSequences<EncounterCommand>(
  [open, startPlan, referOut, updateCarePath, startPlan, close],
  command,
);

const SIGNALS: readonly EncounterEvent['type'][] = [
  'treatment.plan.started',
  'carepath.updated',
  'referral.outbound',
];

describe('encounter decider properties', () => {
  it('replaying the stored events of any command sequence rebuilds the live state', () => {
    fc.assert(
      fc.property(commands, (sequence) => {
        const { state, history } = runCommands(encounterDecider, sequence);
        assert.deepEqual(
          replay(
            encounterDecider,
            history.map((event) => throughStore(events, event)),
          ),
          state,
        );
      }),
    );
  });

  it('every stream is opened, then signals, then at most one close; ids of plans and referrals are unique', () => {
    fc.assert(
      fc.property(commands, (sequence) => {
        const { history } = runCommands(encounterDecider, sequence);
        if (history.length === 0) return;
        assert.equal(history[0]?.type, 'encounter.opened');
        const closedAt = history.findIndex((event) => event.type === 'encounter.closed');
        assert.ok(closedAt === -1 || closedAt === history.length - 1, 'nothing after close');
        const middle = history.slice(1, closedAt === -1 ? undefined : closedAt);
        assert.ok(
          middle.every((event) => SIGNALS.includes(event.type)),
          'only signals while open',
        );
        const ids = middle.flatMap((event) =>
          event.type === 'treatment.plan.started'
            ? [`plan:${event.data.planId}`]
            : event.type === 'referral.outbound'
              ? [`referral:${event.data.referralId}`]
              : [],
        );
        assert.equal(new Set(ids).size, ids.length);
      }),
    );
  });
});
