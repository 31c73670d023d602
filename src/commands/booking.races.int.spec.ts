/**
 * The seed's reason for optimistic concurrency (§7): however a booking arrives — portal, staff console, tele
 * prepay, chain override — one slot of a doctor is booked once.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DomainRuleError } from '../domain/shared/domain-rule-error.ts';
import { PgEventStore } from '../store/pg-event-store.ts';
import { describeEachEngine } from '../store/testing/test-engines.ts';
import { collect } from '../store/testing/event-factory.ts';
import { BOOKING_TIME, buildClinic, metadataFor, MONDAY } from './testing/clinic-fixture.ts';
import { BOOKING_CHANNELS } from '../domain/booking/events.ts';

describeEachEngine('booking one slot from every channel at once', (db) => {
  it('lets exactly one of 50 concurrent bookings of a slot through', async () => {
    const tenantId = `clinic-race-${Date.now()}`;
    const commands = await buildClinic(db().engine, tenantId);
    const attempts = Array.from({ length: 50 }, (_, index) => {
      const channel = BOOKING_CHANNELS[index % BOOKING_CHANNELS.length]!;
      return commands.book(
        {
          type: 'CreateBooking',
          bookingId: `bk-${index}`,
          patientId: 'pt-1',
          doctorId: 'dr-1',
          branchId: 'br-1',
          channel,
          consultationType: 'in_person',
          slot: { date: MONDAY, start: '10:00' },
          reasonForVisit: null,
          portalRequestId: channel === 'portal' ? `pr-${index}` : null,
          now: BOOKING_TIME,
        },
        metadataFor(tenantId, BOOKING_TIME),
      );
    });
    const results = await Promise.allSettled(attempts);
    const booked = results.filter((result) => result.status === 'fulfilled');
    assert.equal(booked.length, 1);
    for (const result of results) {
      if (result.status === 'rejected') {
        assert.ok(result.reason instanceof DomainRuleError, String(result.reason));
      }
    }
    const store = new PgEventStore(db().engine);
    const created = await collect(store.readTenantLog(tenantId, { eventTypes: ['booking.created'] }));
    const reserved = await collect(store.readTenantLog(tenantId, { eventTypes: ['slot.reserved'] }));
    assert.equal(created.length, 1);
    assert.equal(reserved.length, 1);
  });

  it('stores patient data encrypted, and the name is not readable in the database without the key', async () => {
    const tenantId = `clinic-pii-${Date.now()}`;
    await buildClinic(db().engine, tenantId);
    const { rows } = await db().engine.query<{ payload: unknown }>(
      `select payload from mymedic.events where tenant_id = $1 and event_type = 'patient.registered'`,
      [tenantId],
    );
    assert.equal(rows.length, 1);
    const stored = JSON.stringify(rows[0]!.payload);
    assert.ok(!stored.includes('Asha'), 'the name is stored in plaintext');
    assert.ok(!stored.includes('9812345678'), 'the phone is stored in plaintext');
    assert.ok(stored.includes('$enc'));
  });
});
