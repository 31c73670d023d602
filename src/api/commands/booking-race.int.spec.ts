/**
 * Issue 5's proof of optimistic concurrency over HTTP: 50 clients book the same slot at once; exactly one
 * gets 201, every other a 409 with the domain's stable code — never a 5xx, never a second reservation.
 */
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

describeEachEngine('50 concurrent HTTP bookings of one slot', (db, kind) => {
  let bed: CommandTestbed;
  before(async () => {
    bed = await openCommandTestbed(db().engine, `race-${kind}`);
    await setUpClinic(bed);
  });
  after(() => bed.close());

  it('answer exactly one 201 and 49 times 409 SLOT_ALREADY_BOOKED', async () => {
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        bed.post(index % 2 ? 'desk' : 'pt1', `/v1/bookings/race-${index}`, bookingBody('11:30')),
      ),
    );
    const outcomes = responses.map((response) =>
      response.statusCode === 201 ? 'booked' : `${response.statusCode} ${response.json().code}`,
    );
    assert.deepEqual(
      outcomes.filter((outcome) => outcome !== 'booked'),
      Array.from({ length: 49 }, () => '409 SLOT_ALREADY_BOOKED'),
    );
    const ledger = await bed.events('slot_ledger', `dr-1:${MONDAY}`);
    assert.deepEqual(
      ledger.map((event) => event.eventType),
      ['slot.reserved'],
    );
    const winner = responses.findIndex((response) => response.statusCode === 201);
    assert.equal((ledger[0]?.payload as { bookingId?: string }).bookingId, `race-${winner}`);
  });
});
