import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { definitionProblems, given } from '../shared/testing/decider-harness.ts';
import type { VisitCommand } from './commands.ts';
import { visitDecider } from './decider.ts';
import { events, type VisitEvent } from './events.ts';

const now = new Date('2026-11-27T04:30:00.000Z');
const later = new Date('2026-11-27T05:00:00.000Z');

const arrive: VisitCommand = {
  type: 'RecordArrival',
  visitId: 'v1',
  bookingId: 'b1',
  patientId: 'p1',
  doctorId: 'd1',
  branchId: 'br1',
  tele: false,
  now,
};
const arrived: VisitEvent = {
  type: 'visit.arrived',
  data: {
    visitId: 'v1',
    bookingId: 'b1',
    patientId: 'p1',
    doctorId: 'd1',
    branchId: 'br1',
    tele: false,
    arrivedAt: '2026-11-27T04:30:00.000Z',
  },
};
const started: VisitEvent = {
  type: 'visit.started',
  data: { visitId: 'v1', startedAt: '2026-11-27T04:35:00.000Z' },
};
const completed: VisitEvent = {
  type: 'visit.completed',
  data: { visitId: 'v1', patientId: 'p1', completedAt: '2026-11-27T04:50:00.000Z', notes: null },
};
const scheduled: VisitEvent = {
  type: 'followup.scheduled',
  data: {
    visitId: 'v1',
    followUpId: 'f1',
    patientId: 'p1',
    doctorId: 'd1',
    dueOn: '2026-12-04',
    reason: 'review wound',
    scheduledAt: '2026-11-27T04:51:00.000Z',
  },
};
const scheduleFollowUp: VisitCommand = {
  type: 'ScheduleFollowUp',
  visitId: 'v1',
  followUpId: 'f1',
  dueOn: '2026-12-04',
  reason: 'review wound',
  now: later,
};
const completeFollowUp: VisitCommand = {
  type: 'CompleteFollowUp',
  visitId: 'v1',
  followUpId: 'f1',
  fulfilledByVisitId: 'v2',
  now: later,
};

describe('visit decider', () => {
  it('registers its events with sensitive paths that exist and a subject', () => {
    assert.deepEqual(definitionProblems(events, 'visit'), []);
  });

  it('records a booked arrival', () => {
    assert.deepEqual(given(visitDecider, []).when(arrive), [arrived]);
  });

  it('records a walk-in tele arrival without booking', () => {
    const [event] = given(visitDecider, []).when({ ...arrive, bookingId: null, tele: true });
    assert.equal(event?.type, 'visit.arrived');
    assert.deepEqual(event?.data, { ...arrived.data, bookingId: null, tele: true });
  });

  it('goes arrived → started → completed, carrying the patient and the clinical notes', () => {
    assert.deepEqual(given(visitDecider, [arrived]).when({ type: 'StartVisit', visitId: 'v1', now }), [
      { type: 'visit.started', data: { visitId: 'v1', startedAt: '2026-11-27T04:30:00.000Z' } },
    ]);
    assert.deepEqual(
      given(visitDecider, [arrived, started]).when({
        type: 'CompleteVisit',
        visitId: 'v1',
        notes: 'BP fine',
        now,
      }),
      [
        {
          type: 'visit.completed',
          data: { visitId: 'v1', patientId: 'p1', completedAt: now.toISOString(), notes: 'BP fine' },
        },
      ],
    );
  });

  for (const [name, history, command] of [
    ['start before arrival', [], { type: 'StartVisit', visitId: 'v1', now }],
    ['complete before start', [arrived], { type: 'CompleteVisit', visitId: 'v1', notes: null, now }],
    ['arrive twice', [arrived], arrive],
    ['start twice', [arrived, started], { type: 'StartVisit', visitId: 'v1', now }],
    [
      'complete twice',
      [arrived, started, completed],
      { type: 'CompleteVisit', visitId: 'v1', notes: null, now },
    ],
    ['follow-up from an open visit', [arrived, started], scheduleFollowUp],
  ] as const satisfies readonly (readonly [string, readonly VisitEvent[], VisitCommand])[]) {
    it(`refuses to ${name}`, () => {
      assert.throws(() => given(visitDecider, history).when(command), { code: 'INVALID_TRANSITION' });
    });
  }

  it('records a no-show for a booking and then refuses an arrival', () => {
    const noShow = given(visitDecider, []).when({
      type: 'RecordNoShow',
      visitId: 'v1',
      bookingId: 'b1',
      patientId: 'p1',
      doctorId: 'd1',
      branchId: 'br1',
      slotStartsAt: '2026-11-27T04:00:00.000Z',
      now,
    });
    assert.equal(noShow[0]?.type, 'visit.no_show.recorded');
    assert.throws(() => given(visitDecider, noShow).when(arrive), {
      code: 'INVALID_TRANSITION',
      facts: { aggregateType: 'visit', status: 'no_show', command: 'RecordArrival' },
    });
  });

  it('schedules a follow-up from a completed visit, with the patient and doctor of the visit', () => {
    assert.deepEqual(given(visitDecider, [arrived, started, completed]).when(scheduleFollowUp), [
      { ...scheduled, data: { ...scheduled.data, scheduledAt: later.toISOString() } },
    ]);
  });

  it('refuses a second follow-up with the same id', () => {
    assert.throws(
      () => given(visitDecider, [arrived, started, completed, scheduled]).when(scheduleFollowUp),
      {
        code: 'FOLLOWUP_ALREADY_SCHEDULED',
      },
    );
  });

  it('completes a follow-up once', () => {
    const history = [arrived, started, completed, scheduled];
    const done = given(visitDecider, history).when(completeFollowUp);
    assert.deepEqual(done, [
      {
        type: 'followup.completed',
        data: { visitId: 'v1', followUpId: 'f1', fulfilledByVisitId: 'v2', completedAt: later.toISOString() },
      },
    ]);
    assert.throws(() => given(visitDecider, [...history, ...done]).when(completeFollowUp), {
      code: 'FOLLOWUP_ALREADY_COMPLETED',
    });
  });

  it('refuses to complete a follow-up that was never scheduled', () => {
    assert.throws(() => given(visitDecider, [arrived, started, completed]).when(completeFollowUp), {
      code: 'FOLLOWUP_NOT_FOUND',
    });
  });
});
