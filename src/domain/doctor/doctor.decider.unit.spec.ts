import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { branches } from '../booking/testing/world.ts';
import {
  definitionProblems,
  given,
  replay,
  runCommands,
  throughStore,
} from '../shared/testing/decider-harness.ts';
import type { DoctorCommand } from './commands.ts';
import { doctorDecider } from './decider.ts';
import { events, type AvailabilityWindow, type DoctorEvent } from './events.ts';
import { minuteOfDay } from './local-time.ts';

const now = new Date('2026-11-01T00:00:00Z');
const branch = (branchId: string) => branches[branchId] ?? { status: 'none' as const };

const onboard: DoctorCommand = {
  type: 'OnboardDoctor',
  doctorId: 'dr-1',
  name: 'Dr. Meera Iyer',
  registrationNumber: 'KMC-104233',
  specialties: ['general_medicine'],
  timeZone: 'Asia/Kolkata',
  now,
};
const assign = (branchId: string, branchState = branch(branchId)): DoctorCommand => ({
  type: 'AssignDoctorToBranch',
  doctorId: 'dr-1',
  branchId,
  branch: branchState,
  now,
});
const availability = (branchId: string, windows: AvailabilityWindow[]): DoctorCommand => ({
  type: 'UpdateDoctorAvailability',
  doctorId: 'dr-1',
  branchId,
  windows,
  now,
});
const block = (blockId: string, startsAt: string, endsAt: string): DoctorCommand => ({
  type: 'AddDoctorBlock',
  doctorId: 'dr-1',
  blockId,
  startsAt: new Date(startsAt),
  endsAt: new Date(endsAt),
  reasonCode: 'leave',
  now,
});
const window = (weekday: number, start: string, end: string, slotMinutes = 15): AvailabilityWindow => ({
  weekday,
  start,
  end,
  slotMinutes,
});

const historyOf = (...commands: DoctorCommand[]): DoctorEvent[] => {
  const run = runCommands(doctorDecider, commands);
  const refusal = run.outcomes.find((outcome) => outcome.refusal !== null)?.refusal;
  if (refusal) throw refusal;
  return run.history;
};
const atTwoBranches = () => historyOf(onboard, assign('br-1'), assign('br-2'));

describe('doctor', () => {
  it('has well-formed events', () => {
    assert.deepEqual(definitionProblems(events, 'doctor'), []);
  });

  it('is onboarded once, in a time zone the system knows', () => {
    assert.equal(given(doctorDecider, []).when(onboard)[0]?.type, 'doctor.onboarded');
    assert.throws(() => given(doctorDecider, historyOf(onboard)).when(onboard), {
      code: 'INVALID_TRANSITION',
    });
    assert.throws(() => given(doctorDecider, []).when({ ...onboard, timeZone: 'Asia/Atlantis' }), {
      code: 'VALIDATION_FAILED',
      field: 'timeZone',
    });
    assert.throws(() => given(doctorDecider, []).when(assign('br-1')), { code: 'INVALID_TRANSITION' });
  });

  it('is assigned once to each active branch', () => {
    assert.deepEqual(given(doctorDecider, historyOf(onboard)).when(assign('br-1')), [
      { type: 'doctor.branch.assigned', data: { doctorId: 'dr-1', branchId: 'br-1' } },
    ]);
    assert.throws(() => given(doctorDecider, historyOf(onboard, assign('br-1'))).when(assign('br-1')), {
      code: 'DOCTOR_ALREADY_ASSIGNED',
    });
    assert.throws(() => given(doctorDecider, historyOf(onboard)).when(assign('br-3')), {
      code: 'BRANCH_REMOVED',
    });
    assert.throws(() => given(doctorDecider, historyOf(onboard)).when(assign('br-unknown')), {
      code: 'BRANCH_NOT_FOUND',
    });
    assert.throws(() => given(doctorDecider, historyOf(onboard)).when(assign('br-1', branch('br-2'))), {
      code: 'INPUT_STATE_MISMATCH',
    });
  });

  it('publishes weekly availability per assigned branch, sorted', () => {
    const decided = given(doctorDecider, atTwoBranches()).when(
      availability('br-1', [
        window(3, '09:00', '13:00'),
        window(1, '14:00', '15:00'),
        window(1, '09:00', '13:00'),
      ]),
    );
    assert.deepEqual(
      decided[0]?.type === 'doctor.availability.updated' &&
        decided[0].data.windows.map((w) => `${w.weekday} ${w.start}`),
      ['1 09:00', '1 14:00', '3 09:00'],
    );
    assert.throws(() => given(doctorDecider, historyOf(onboard)).when(availability('br-1', [])), {
      code: 'DOCTOR_NOT_ASSIGNED_TO_BRANCH',
    });
  });

  it('refuses windows that overlap, at one branch or across branches; touching is fine', () => {
    const monday = atTwoBranches().concat(
      given(doctorDecider, atTwoBranches()).when(availability('br-1', [window(1, '09:00', '13:00')])),
    );
    assert.throws(
      () => given(doctorDecider, monday).when(availability('br-2', [window(1, '12:45', '17:00', 20)])),
      {
        code: 'AVAILABILITY_OVERLAP',
      },
    );
    assert.throws(
      () =>
        given(doctorDecider, atTwoBranches()).when(
          availability('br-1', [window(2, '09:00', '11:00'), window(2, '10:30', '12:00')]),
        ),
      { code: 'AVAILABILITY_OVERLAP' },
    );
    assert.equal(
      given(doctorDecider, monday).when(availability('br-2', [window(1, '13:00', '17:00', 20)])).length,
      1,
    );
    // Replacing br-1's own windows is not an overlap with themselves.
    assert.equal(
      given(doctorDecider, monday).when(availability('br-1', [window(1, '10:00', '12:00')])).length,
      1,
    );
  });

  it('refuses windows that hold no slot or are malformed', () => {
    const bad = [
      window(1, '09:00', '09:10'),
      window(8, '09:00', '10:00'),
      window(1, '9:00', '10:00'),
      window(1, '10:00', '09:00'),
      window(1, '09:00', '10:00', 1),
    ];
    for (const w of bad) {
      assert.throws(
        () => given(doctorDecider, atTwoBranches()).when(availability('br-1', [w])),
        { code: 'VALIDATION_FAILED' },
        JSON.stringify(w),
      );
    }
    assert.equal(
      given(doctorDecider, atTwoBranches()).when(availability('br-1', [window(1, '23:00', '24:00', 60)]))
        .length,
      1,
    );
  });

  it('adds and removes blocks by id', () => {
    const added = given(doctorDecider, historyOf(onboard)).when(
      block('blk-1', '2026-12-09T04:30:00Z', '2026-12-09T05:30:00Z'),
    );
    assert.deepEqual(added, [
      {
        type: 'doctor.block.added',
        data: {
          doctorId: 'dr-1',
          blockId: 'blk-1',
          startsAt: '2026-12-09T04:30:00.000Z',
          endsAt: '2026-12-09T05:30:00.000Z',
          reasonCode: 'leave',
        },
      },
    ]);
    const withBlock = [...historyOf(onboard), ...added];
    assert.throws(
      () =>
        given(doctorDecider, withBlock).when(block('blk-1', '2026-12-10T04:30:00Z', '2026-12-10T05:30:00Z')),
      {
        code: 'DOCTOR_BLOCK_EXISTS',
      },
    );
    assert.throws(
      () =>
        given(doctorDecider, withBlock).when(block('blk-2', '2026-10-01T04:30:00Z', '2026-10-01T05:30:00Z')),
      {
        code: 'DOCTOR_BLOCK_IN_PAST',
      },
    );
    assert.throws(
      () =>
        given(doctorDecider, withBlock).when(block('blk-2', '2026-12-10T05:30:00Z', '2026-12-10T04:30:00Z')),
      {
        code: 'VALIDATION_FAILED',
        field: 'endsAt',
      },
    );
    const removed = given(doctorDecider, withBlock).when({
      type: 'RemoveDoctorBlock',
      doctorId: 'dr-1',
      blockId: 'blk-1',
      now,
    });
    assert.deepEqual(removed, [
      { type: 'doctor.block.removed', data: { doctorId: 'dr-1', blockId: 'blk-1' } },
    ]);
    assert.throws(
      () =>
        given(doctorDecider, [...withBlock, ...removed]).when({
          type: 'RemoveDoctorBlock',
          doctorId: 'dr-1',
          blockId: 'blk-1',
          now,
        }),
      {
        code: 'DOCTOR_BLOCK_NOT_FOUND',
      },
    );
  });

  it('never holds overlapping windows, whatever is asked, and replays to the same state', () => {
    const time = fc.integer({ min: 6 * 4, max: 22 * 4 }).map((quarter) => quarter * 15);
    const hhmm = (minutes: number) =>
      `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    const windowArb = fc
      .record({
        weekday: fc.integer({ min: 1, max: 3 }),
        from: time,
        length: fc.integer({ min: 1, max: 16 }),
        slotMinutes: fc.constantFrom(15, 20, 30),
      })
      .map(({ weekday, from, length, slotMinutes }) =>
        window(weekday, hhmm(from), hhmm(Math.min(from + length * 30, 24 * 60)), slotMinutes),
      );
    const commandArb: fc.Arbitrary<DoctorCommand> = fc.oneof(
      fc.constantFrom(onboard, assign('br-1'), assign('br-2'), assign('br-3')),
      {
        weight: 3,
        arbitrary: fc
          .record({
            branchId: fc.constantFrom('br-1', 'br-2'),
            windows: fc.array(windowArb, { maxLength: 3 }),
          })
          .map(({ branchId, windows }) => availability(branchId, windows)),
      },
      fc.constantFrom(block('b1', '2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z'), {
        type: 'RemoveDoctorBlock' as const,
        doctorId: 'dr-1',
        blockId: 'b1',
        now,
      }),
    );
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 20 }), (commands) => {
        const run = runCommands(doctorDecider, [onboard, assign('br-1'), assign('br-2'), ...commands]);
        assert.deepEqual(
          replay(
            doctorDecider,
            run.history.map((event) => throughStore(events, event)),
          ),
          run.state,
        );
        if (run.state.status !== 'onboarded') return;
        const all = Object.values(run.state.availability).flat();
        for (const [index, a] of all.entries()) {
          for (const b of all.slice(index + 1)) {
            const overlap =
              a.weekday === b.weekday &&
              minuteOfDay(a.start) < minuteOfDay(b.end) &&
              minuteOfDay(b.start) < minuteOfDay(a.end);
            assert.ok(!overlap, `${JSON.stringify(a)} overlaps ${JSON.stringify(b)}`);
          }
        }
        assert.ok(
          Object.keys(run.state.availability).every(
            (branchId) => run.state.status === 'onboarded' && run.state.branchIds.includes(branchId),
          ),
        );
      }),
      { numRuns: 200 },
    );
  });
});
