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
import type { PortalRequestCommand } from './commands.ts';
import { portalRequestDecider } from './decider.ts';
import { events, portalBookingRequested } from './events.ts';

const now = new Date('2026-12-01T06:00:00Z');
const bookingRequest: PortalRequestCommand = {
  type: 'RequestPortalBooking',
  requestId: 'pr-1',
  patientId: 'pt-1',
  doctorId: 'dr-1',
  branchId: 'br-1',
  consultationType: 'in_person',
  slot: { date: '2026-12-07', start: '09:00' },
  reasonForVisit: 'persistent cough',
  now,
};
const rescheduleRequest: PortalRequestCommand = {
  type: 'RequestPortalReschedule',
  requestId: 'pr-1',
  patientId: 'pt-1',
  bookingId: 'bk-1',
  preferredSlot: { date: '2026-12-08', start: '11:00' },
  now,
};
const cancellationRequest: PortalRequestCommand = {
  type: 'RequestPortalCancellation',
  requestId: 'pr-1',
  patientId: 'pt-1',
  bookingId: 'bk-1',
  now,
};
const accept = (bookingId: string): PortalRequestCommand => ({
  type: 'AcceptPortalRequest',
  requestId: 'pr-1',
  bookingId,
  now,
});
const refuse = (reasonCode: string): PortalRequestCommand => ({
  type: 'RefusePortalRequest',
  requestId: 'pr-1',
  reasonCode,
  now,
});
const historyOf = (...commands: PortalRequestCommand[]) =>
  runCommands(portalRequestDecider, commands).history;

describe('portal requests', () => {
  it('have well-formed events; the reason for a visit is clinical', () => {
    assert.deepEqual(definitionProblems(events, 'portal_request'), []);
    assert.deepEqual(portalBookingRequested.sensitive, { reasonForVisit: 'clinical' });
  });

  it('record what the patient asked for', () => {
    assert.deepEqual(given(portalRequestDecider, []).when(bookingRequest), [
      {
        type: 'portal.booking.requested',
        data: {
          requestId: 'pr-1',
          patientId: 'pt-1',
          doctorId: 'dr-1',
          branchId: 'br-1',
          consultationType: 'in_person',
          slot: { date: '2026-12-07', start: '09:00' },
          reasonForVisit: 'persistent cough',
        },
      },
    ]);
    assert.equal(
      given(portalRequestDecider, []).when(rescheduleRequest)[0]?.type,
      'portal.reschedule.requested',
    );
    assert.equal(
      given(portalRequestDecider, []).when(cancellationRequest)[0]?.type,
      'portal.cancellation.requested',
    );
    assert.throws(() => given(portalRequestDecider, historyOf(bookingRequest)).when(cancellationRequest), {
      code: 'INVALID_TRANSITION',
    });
    assert.throws(
      () =>
        given(portalRequestDecider, []).when({
          ...bookingRequest,
          slot: { date: '2026-12-07', start: '9am' },
        }),
      {
        code: 'VALIDATION_FAILED',
        field: 'slot.start',
      },
    );
  });

  it('end accepted with the booking they produced or touched', () => {
    assert.deepEqual(given(portalRequestDecider, historyOf(bookingRequest)).when(accept('bk-7')), [
      {
        type: 'portal.request.accepted',
        data: { requestId: 'pr-1', patientId: 'pt-1', kind: 'booking', bookingId: 'bk-7' },
      },
    ]);
    assert.equal(
      given(portalRequestDecider, historyOf(cancellationRequest)).when(accept('bk-1'))[0]?.type,
      'portal.request.accepted',
    );
    assert.throws(() => given(portalRequestDecider, historyOf(rescheduleRequest)).when(accept('bk-2')), {
      code: 'PORTAL_BOOKING_MISMATCH',
    });
  });

  it('end refused with the code of the rule that refused them', () => {
    assert.deepEqual(
      given(portalRequestDecider, historyOf(bookingRequest)).when(refuse('SLOT_ALREADY_BOOKED')),
      [
        {
          type: 'portal.request.refused',
          data: { requestId: 'pr-1', patientId: 'pt-1', kind: 'booking', reasonCode: 'SLOT_ALREADY_BOOKED' },
        },
      ],
    );
    assert.throws(() => given(portalRequestDecider, historyOf(bookingRequest)).when(refuse('slot taken')), {
      code: 'VALIDATION_FAILED',
    });
    assert.throws(() => given(portalRequestDecider, []).when(refuse('SLOT_ALREADY_BOOKED')), {
      code: 'INVALID_TRANSITION',
    });
  });

  it('are resolved at most once and replay to the same state', () => {
    const commandArb = fc.constantFrom(
      bookingRequest,
      rescheduleRequest,
      cancellationRequest,
      accept('bk-1'),
      accept('bk-2'),
      refuse('SLOT_IN_PAST'),
    );
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 8 }), (commands) => {
        const run = runCommands(portalRequestDecider, commands);
        assert.ok(run.history.length <= 2);
        assert.ok(
          run.history
            .slice(1)
            .every(
              (event) => event.type === 'portal.request.accepted' || event.type === 'portal.request.refused',
            ),
        );
        assert.deepEqual(
          replay(
            portalRequestDecider,
            run.history.map((event) => throughStore(events, event)),
          ),
          run.state,
        );
      }),
    );
  });
});
