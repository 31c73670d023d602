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

describeEachEngine('booking command endpoints', (db, kind) => {
  let bed: CommandTestbed;
  before(async () => {
    bed = await openCommandTestbed(db().engine, `bookings-${kind}`);
    await setUpClinic(bed);
  });
  after(() => bed.close());

  it('books a slot: 201, ETag, the events appended, and the caller and correlation id on every event', async () => {
    const response = await bed.post('desk', '/v1/bookings/bk-1', bookingBody('10:00'), {
      'x-correlation-id': 'flow-bk-1',
    });
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.headers['etag'], '"1"');
    const ledger = await bed.events('slot_ledger', `dr-1:${MONDAY}`);
    const [created] = await bed.events('booking', 'bk-1');
    assert.deepEqual(response.json(), {
      bookingId: 'bk-1',
      version: 1,
      events: ['booking.created', 'slot.reserved'],
      tenantSeq: Math.max(created!.tenantSeq, ledger[0]!.tenantSeq),
    });
    for (const event of [...(await bed.events('booking', 'bk-1')), ...ledger]) {
      assert.deepEqual(
        [event.actor, event.correlationId, event.causationId],
        [{ id: 'fd-1', kind: 'staff', role: 'front_desk' }, 'flow-bk-1', response.headers['x-request-id']],
      );
    }
    assert.equal(ledger.length, 1);
  });

  it('refuses bad input with 400 naming the field, and writes nothing', async () => {
    const cases: [object, string][] = [
      [{ ...bookingBody('10:30'), slot: { date: MONDAY, start: '25:00' } }, 'slot.start'],
      [{ ...bookingBody('10:30'), channel: 'portal' }, 'channel'],
      [{ ...bookingBody('10:30'), patientId: 'no spaces' }, 'patientId'],
      [{ ...bookingBody('10:30'), extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const response = await bed.post('desk', '/v1/bookings/bk-bad', body);
      assert.deepEqual([response.statusCode, response.json().field], [400, field]);
    }
    const badId = await bed.post('desk', '/v1/bookings/bad%20id', bookingBody('10:30'));
    assert.deepEqual([badId.statusCode, badId.json().field], [400, 'bookingId']);
    const ifMatch = await bed.post('desk', '/v1/bookings/bk-bad', bookingBody('10:30'), {
      'if-match': '"0"',
    });
    assert.deepEqual([ifMatch.statusCode, ifMatch.json().field], [400, 'If-Match']);
    assert.deepEqual(await bed.events('booking', 'bk-bad'), []);
  });

  it('answers a taken slot, and a repeated booking id, with 409 and a stable code', async () => {
    const taken = await bed.post('desk', '/v1/bookings/bk-2', bookingBody('10:00', 'pt-2'));
    assert.deepEqual([taken.statusCode, taken.json().code], [409, 'SLOT_ALREADY_BOOKED']);
    const again = await bed.post('desk', '/v1/bookings/bk-1', bookingBody('11:00'));
    assert.deepEqual([again.statusCode, again.json().code], [409, 'INVALID_TRANSITION']);
    assert.deepEqual(await bed.events('booking', 'bk-2'), []);
  });

  it('updates on the version the caller saw, and answers a stale If-Match with 412 and the actual version', async () => {
    const url = '/v1/bookings/bk-1/update';
    const ok = await bed.post('desk', url, { notes: 'wheelchair access' }, { 'if-match': '"1"' });
    assert.deepEqual(
      [ok.statusCode, ok.headers['etag'], ok.json().events],
      [200, '"2"', ['booking.updated']],
    );
    const stale = await bed.post('desk', url, { notes: 'lost update' }, { 'if-match': '"1"' });
    assert.deepEqual(
      [stale.statusCode, stale.json().code, stale.json().actual, stale.headers['etag']],
      [412, 'CONCURRENCY_CONFLICT', 2, '"2"'],
    );
    const unpinned = await bed.post('desk', url, { reasonForVisit: 'fever' });
    assert.deepEqual([unpinned.statusCode, unpinned.json().version], [200, 3]);
    const missing = await bed.post(
      'desk',
      '/v1/bookings/bk-none/update',
      { notes: 'x' },
      { 'if-match': '*' },
    );
    assert.deepEqual([missing.statusCode, missing.json().actual], [412, 0]);
  });

  it('runs the reschedule cycle: request, complete to a free slot, request again and refuse', async () => {
    const base = '/v1/bookings/bk-1/reschedules';
    const requested = await bed.post('pt1', `${base}/rs-1`, { requestedBy: 'patient' });
    assert.deepEqual([requested.statusCode, requested.json().events], [200, ['reschedule.requested']]);
    const completed = await bed.post('desk', `${base}/rs-1/complete`, {
      slot: { date: MONDAY, start: '12:00' },
    });
    assert.deepEqual(
      [completed.statusCode, completed.json().events],
      [200, ['slot.released', 'slot.reserved', 'reschedule.completed']],
    );
    await bed.post('desk', `${base}/rs-2`, { requestedBy: 'clinic', preferredSlot: null });
    const refused = await bed.post('desk', `${base}/rs-2/refuse`, { reasonCode: 'NO_FREE_SLOT' });
    assert.deepEqual([refused.statusCode, refused.json().events], [200, ['reschedule.refused']]);
    const notPending = await bed.post('desk', `${base}/rs-2/refuse`, { reasonCode: 'NO_FREE_SLOT' });
    assert.deepEqual([notPending.statusCode, notPending.json().code], [409, 'RESCHEDULE_NOT_PENDING']);
  });

  it('lets a patient act on their own bookings only, and only as the patient', async () => {
    const forOther = await bed.post('pt1', '/v1/bookings/bk-p', bookingBody('09:00', 'pt-2'));
    assert.deepEqual([forOther.statusCode, forOther.json().code], [403, 'NOT_OWN_RECORD']);
    const mine = await bed.post('pt2', '/v1/bookings/bk-p2', bookingBody('09:00', 'pt-2'));
    assert.equal(mine.statusCode, 201, mine.body);
    const cancelOther = { initiatedBy: 'patient', reasonCode: 'patient_request' };
    for (const url of ['/v1/bookings/bk-1/cancel', '/v1/bookings/bk-unknown/cancel']) {
      const refused = await bed.post('pt2', url, cancelOther);
      assert.deepEqual([refused.statusCode, refused.json().code], [403, 'NOT_OWN_RECORD']);
    }
    const asClinic = await bed.post('pt2', '/v1/bookings/bk-p2/cancel', {
      ...cancelOther,
      initiatedBy: 'clinic',
    });
    assert.deepEqual([asClinic.statusCode, asClinic.json().field], [400, 'initiatedBy']);
    const cancelled = await bed.post('pt2', '/v1/bookings/bk-p2/cancel', cancelOther);
    assert.deepEqual(
      [cancelled.statusCode, cancelled.json().events],
      [200, ['booking.cancelled', 'slot.released']],
    );
    const stored = await bed.events('booking', 'bk-1');
    assert.ok(stored.every((event) => event.eventType !== 'booking.cancelled'));
  });

  it('refuses roles without bookings:write, before reading the body', async () => {
    for (const caller of ['doctor', 'auditor', 'admin'] as const) {
      const response = await bed.post(caller, '/v1/bookings/bk-r', bookingBody('09:15'));
      assert.deepEqual([response.statusCode, response.json().code], [403, 'PERMISSION_DENIED']);
    }
  });

  it('records a no-show only once the slot has started', async () => {
    const early = await bed.post('desk', '/v1/bookings/bk-1/no-show');
    assert.deepEqual([early.statusCode, early.json().code], [409, 'BOOKING_NOT_STARTED']);
    bed.now = new Date(`${MONDAY}T07:00:00.000Z`); // 12:30 in Kolkata: the 12:00 slot has started
    const noShow = await bed.post('desk', '/v1/bookings/bk-1/no-show');
    assert.deepEqual([noShow.statusCode, noShow.json().events], [200, ['booking.no_show']]);
  });
});
