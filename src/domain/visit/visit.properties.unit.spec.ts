import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { commandSequences, replay, runCommands, throughStore } from '../shared/testing/decider-harness.ts';
import type { VisitCommand } from './commands.ts';
import { visitDecider } from './decider.ts';
import { events, type VisitEvent } from './events.ts';

const now = fc.date({
  min: new Date('2026-01-01T00:00:00Z'),
  max: new Date('2027-01-01T00:00:00Z'),
  noInvalidDate: true,
});
const followUpId = fc.constantFrom('f1', 'f2');
const text = fc.option(fc.string({ maxLength: 20 }), { nil: null });

const visitId = fc.constant('v1');
const party = { patientId: fc.constant('p1'), doctorId: fc.constant('d1'), branchId: fc.constant('br1') };

const arrive = fc.record({
  type: fc.constant('RecordArrival' as const),
  visitId,
  bookingId: fc.option(fc.constant('b1'), { nil: null }),
  ...party,
  tele: fc.boolean(),
  now,
});
const noShow = fc.record({
  type: fc.constant('RecordNoShow' as const),
  visitId,
  bookingId: fc.constant('b1'),
  ...party,
  slotStartsAt: now.map((date) => date.toISOString()),
  now,
});
const start = fc.record({ type: fc.constant('StartVisit' as const), visitId, now });
const complete = fc.record({ type: fc.constant('CompleteVisit' as const), visitId, notes: text, now });
const scheduleFollowUp = fc.record({
  type: fc.constant('ScheduleFollowUp' as const),
  visitId,
  followUpId,
  dueOn: fc.constantFrom('2026-12-01', '2027-01-15'),
  reason: text,
  now,
});
const completeFollowUp = fc.record({
  type: fc.constant('CompleteFollowUp' as const),
  visitId,
  followUpId,
  fulfilledByVisitId: fc.option(fc.constant('v2'), { nil: null }),
  now,
});
const command: fc.Arbitrary<VisitCommand> = fc.oneof(
  arrive,
  noShow,
  start,
  complete,
  scheduleFollowUp,
  completeFollowUp,
);
const commands = commandSequences<VisitCommand>(
  [arrive, start, complete, scheduleFollowUp, completeFollowUp, scheduleFollowUp, completeFollowUp],
  command,
);

/** The state machine written out independently of the decider: is this command legal after this history? */
function legal(history: readonly VisitEvent[], command: VisitCommand): boolean {
  const lifecycle = history.filter((event) => event.type.startsWith('visit.')).at(-1)?.type ?? 'none';
  const followUpEvents = (type: VisitEvent['type'], id: string) =>
    history.some(
      (event) => event.type === type && 'followUpId' in event.data && event.data.followUpId === id,
    );
  switch (command.type) {
    case 'RecordArrival':
    case 'RecordNoShow':
      return lifecycle === 'none';
    case 'StartVisit':
      return lifecycle === 'visit.arrived';
    case 'CompleteVisit':
      return lifecycle === 'visit.started';
    case 'ScheduleFollowUp':
      return lifecycle === 'visit.completed' && !followUpEvents('followup.scheduled', command.followUpId);
    case 'CompleteFollowUp':
      return (
        followUpEvents('followup.scheduled', command.followUpId) &&
        !followUpEvents('followup.completed', command.followUpId)
      );
  }
}

describe('visit decider properties', () => {
  it('replaying the stored events of any command sequence rebuilds the live state', () => {
    fc.assert(
      fc.property(commands, (sequence) => {
        const { state, history } = runCommands(visitDecider, sequence);
        assert.deepEqual(
          replay(
            visitDecider,
            history.map((event) => throughStore(events, event)),
          ),
          state,
        );
      }),
    );
  });

  it('accepts exactly the commands the state machine allows', () => {
    fc.assert(
      fc.property(commands, (sequence) => {
        const { outcomes } = runCommands(visitDecider, sequence);
        const history: VisitEvent[] = [];
        for (const outcome of outcomes) {
          assert.equal(outcome.refusal === null, legal(history, outcome.command), outcome.command.type);
          history.push(...outcome.events);
        }
      }),
    );
  });
});
