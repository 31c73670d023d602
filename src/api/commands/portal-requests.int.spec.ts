import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachEngine } from '../../store/testing/test-engines.ts';
import {
  bookingBody,
  MONDAY,
  openCommandTestbed,
  setUpClinic,
  type CommandTestbed,
} from './testing/command-testbed.ts';

const bookingRequest = (patientId: string) => {
  const { channel: _channel, ...booking } = bookingBody('09:30', patientId);
  return { kind: 'booking', ...booking };
};

describeEachEngine('portal request command endpoint', (db, kind) => {
  let bed: CommandTestbed;
  before(async () => {
    bed = await openCommandTestbed(db().engine, `portal-${kind}`);
    await setUpClinic(bed);
    const booked = await bed.post('desk', '/v1/bookings/bk-1', bookingBody('10:00', 'pt-1'));
    assert.equal(booked.statusCode, 201, booked.body);
  });
  after(() => bed.close());

  it('records what the patient asked for: 201, ETag, the event with the patient as actor', async () => {
    const response = await bed.post('pt1', '/v1/portal-requests/pr-1', bookingRequest('pt-1'), {
      'x-correlation-id': 'portal-flow-1',
    });
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.headers['etag'], '"1"');
    const [event] = await bed.events('portal_request', 'pr-1');
    assert.deepEqual(response.json(), {
      portalRequestId: 'pr-1',
      version: 1,
      events: ['portal.booking.requested'],
      tenantSeq: event?.tenantSeq,
    });
    assert.deepEqual(
      [event?.actor, event?.correlationId],
      [{ id: 'pt-1', kind: 'patient', role: 'patient' }, 'portal-flow-1'],
    );
    const cancellation = { kind: 'cancellation', patientId: 'pt-1', bookingId: 'bk-1' };
    assert.equal((await bed.post('pt1', '/v1/portal-requests/pr-2', cancellation)).statusCode, 201);
    const reschedule = { kind: 'reschedule', patientId: 'pt-1', bookingId: 'bk-1' };
    const moved = await bed.post('pt1', '/v1/portal-requests/pr-3', reschedule);
    assert.deepEqual(moved.json().events, ['portal.reschedule.requested']);
  });

  it('refuses a repeated request id with 409, and If-Match on a new request with 400', async () => {
    const again = await bed.post('pt1', '/v1/portal-requests/pr-1', bookingRequest('pt-1'));
    assert.deepEqual([again.statusCode, again.json().code], [409, 'INVALID_TRANSITION']);
    const pinned = await bed.post('pt1', '/v1/portal-requests/pr-9', bookingRequest('pt-1'), {
      'if-match': '*',
    });
    assert.deepEqual([pinned.statusCode, pinned.json().field], [400, 'If-Match']);
  });

  it('names the bad field with 400 and writes nothing', async () => {
    const cases: [object, string][] = [
      [{ ...bookingRequest('pt-1'), kind: 'refund' }, 'kind'],
      [{ ...bookingRequest('pt-1'), slot: { date: '7 Dec', start: '09:30' } }, 'slot.date'],
      [{ kind: 'cancellation', patientId: 'pt-1' }, 'bookingId'],
    ];
    for (const [body, field] of cases) {
      const response = await bed.post('pt1', '/v1/portal-requests/pr-bad', body);
      assert.deepEqual([response.statusCode, response.json().field], [400, field]);
    }
    assert.deepEqual(await bed.events('portal_request', 'pr-bad'), []);
  });

  it('lets a patient ask about their own bookings only', async () => {
    const attempts = [
      bookingRequest('pt-1'),
      { kind: 'cancellation', patientId: 'pt-2', bookingId: 'bk-1' },
      {
        kind: 'reschedule',
        patientId: 'pt-2',
        bookingId: 'bk-1',
        preferredSlot: { date: MONDAY, start: '11:00' },
      },
    ];
    for (const [index, body] of attempts.entries()) {
      const response = await bed.post('pt2', `/v1/portal-requests/pr-x${index}`, body);
      assert.deepEqual([response.statusCode, response.json().code], [403, 'NOT_OWN_RECORD']);
    }
    const onBehalf = await bed.post('desk', '/v1/portal-requests/pr-x9', {
      kind: 'cancellation',
      patientId: 'pt-2',
      bookingId: 'bk-1',
    });
    assert.deepEqual([onBehalf.statusCode, onBehalf.json().code], [409, 'BOOKING_OF_ANOTHER_PATIENT']);
    assert.deepEqual(await bed.events('portal_request', 'pr-x9'), []);
  });
});
