import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachEngine } from '../../store/testing/test-engines.ts';
import { honoursCommandContract } from './testing/command-endpoint-contract.ts';
import { openCareTestbed, type CareTestbed } from './testing/care-and-finance-testbed.ts';

const party = { patientId: 'pt-1', doctorId: 'dr-1', branchId: 'br-1' };
const forbidden = ['auditor', 'finance', 'pt1'] as const;

describeEachEngine('visit command endpoints', (db, kind) => {
  let bed: CareTestbed;
  before(async () => {
    bed = await openCareTestbed(db().engine, `visits-${kind}`);
    bed.now = new Date('2026-12-07T04:25:00.000Z');
  });
  after(() => bed.close());

  honoursCommandContract(() => bed, {
    title: 'check a booked patient in',
    caller: 'desk',
    url: '/v1/visits/v-1/arrival',
    body: { bookingId: 'bk-1', ...party },
    stream: ['visit', 'v-1'],
    creates: true,
    events: ['visit.arrived'],
    forbidden,
    invalid: { body: { bookingId: 'bk 1', ...party }, field: 'bookingId' },
    refusal: { code: 'INVALID_TRANSITION' },
  });

  it('refuses an arrival for another patient’s booking, and lets a walk-in arrive without one', async () => {
    const count = await bed.eventCount();
    const theirs = await bed.post('desk', '/v1/visits/v-x/arrival', {
      bookingId: 'bk-1',
      ...party,
      patientId: 'pt-2',
    });
    assert.deepEqual([theirs.statusCode, theirs.json().code], [409, 'BOOKING_OF_ANOTHER_PATIENT']);
    assert.equal(await bed.eventCount(), count);
    const walkIn = await bed.post('desk', '/v1/visits/v-walk-in/arrival', {
      bookingId: null,
      ...party,
      patientId: 'pt-2',
      tele: true,
    });
    assert.equal(walkIn.statusCode, 201, walkIn.body);
    const arrived = await bed.payloadOf('visit', 'v-walk-in', 'visit.arrived');
    assert.deepEqual(
      [arrived['bookingId'], arrived['tele'], arrived['arrivedAt']],
      [null, true, bed.now.toISOString()],
    );
  });

  honoursCommandContract(() => bed, {
    title: 'record a no-show',
    caller: 'desk',
    url: '/v1/visits/v-2/no-show',
    body: { bookingId: 'bk-1', ...party, slotStartsAt: '2026-12-07T10:00:00+05:30' },
    stream: ['visit', 'v-2'],
    creates: true,
    events: ['visit.no_show.recorded'],
    forbidden,
    invalid: {
      body: { bookingId: 'bk-1', ...party, slotStartsAt: '2026-12-07 10:00' },
      field: 'slotStartsAt',
    },
    refusal: { code: 'INVALID_TRANSITION' },
  });

  it('stores the no-show’s slot as a UTC instant', async () => {
    const noShow = await bed.payloadOf('visit', 'v-2', 'visit.no_show.recorded');
    assert.equal(noShow['slotStartsAt'], '2026-12-07T04:30:00.000Z');
  });

  honoursCommandContract(() => bed, {
    title: 'start the consultation',
    caller: 'doctor',
    url: '/v1/visits/v-1/start',
    stream: ['visit', 'v-1'],
    creates: false,
    events: ['visit.started'],
    forbidden,
    invalid: { url: '/v1/visits/v%201/start', field: 'visitId' },
    refusal: { code: 'INVALID_TRANSITION' },
  });

  honoursCommandContract(() => bed, {
    title: 'complete the consultation',
    caller: 'doctor',
    url: '/v1/visits/v-1/complete',
    body: { notes: 'BP 150/95; start amlodipine' },
    stream: ['visit', 'v-1'],
    creates: false,
    events: ['visit.completed'],
    forbidden,
    invalid: { body: { notes: 42 }, field: 'notes' },
    refusal: { code: 'INVALID_TRANSITION' },
  });

  it('never stores the visit notes in plaintext', async () => {
    const completed = (await bed.events('visit', 'v-1')).find(
      (event) => event.eventType === 'visit.completed',
    );
    assert.ok(completed);
    assert.doesNotMatch(JSON.stringify(completed.payload), /amlodipine/);
  });

  honoursCommandContract(() => bed, {
    title: 'schedule a follow-up',
    caller: 'doctor',
    url: '/v1/visits/v-1/follow-ups/fu-1',
    body: { dueOn: '2026-12-21', reason: 'review blood pressure' },
    stream: ['visit', 'v-1'],
    creates: false,
    events: ['followup.scheduled'],
    forbidden,
    invalid: { body: { dueOn: '21/12/2026' }, field: 'dueOn' },
    refusal: { code: 'FOLLOWUP_ALREADY_SCHEDULED' },
  });

  honoursCommandContract(() => bed, {
    title: 'complete a follow-up',
    caller: 'desk',
    url: '/v1/visits/v-1/follow-ups/fu-1/complete',
    body: { fulfilledByVisitId: 'v-walk-in' },
    stream: ['visit', 'v-1'],
    creates: false,
    events: ['followup.completed'],
    forbidden,
    invalid: { body: { fulfilledByVisitId: '' }, field: 'fulfilledByVisitId' },
    refusal: { code: 'FOLLOWUP_ALREADY_COMPLETED' },
  });
});
