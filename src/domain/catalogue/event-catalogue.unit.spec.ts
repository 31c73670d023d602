import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { ValidationError } from '../../shared/errors.ts';
import { EVENT_CATALOGUE } from './event-catalogue.ts';
import { eventRegistry } from './event-registry.ts';
import { renderEventsDoc } from './events-doc.ts';

/** Every event type the seed names (§4), spelled exactly as there. */
const SEED_EVENT_TYPES = [
  'booking.created',
  'booking.updated',
  'booking.cancelled',
  'reschedule.requested',
  'reschedule.completed',
  'doctor.availability.updated',
  'doctor.block.added',
  'visit.arrived',
  'visit.started',
  'visit.completed',
  'followup.scheduled',
  'followup.completed',
  'payment.deposit.paid',
  'payment.deposit.forfeited',
  'payment.balance.paid',
  'payment.refund.requested',
  'payment.refund.issued',
  'payment.dispute.opened',
  'payment.dispute.resolved',
  'portal.booking.requested',
  'portal.reschedule.requested',
  'portal.cancellation.requested',
  'pricing.rule.changed',
  'branch.added',
  'branch.removed',
  'doctor.branch.assigned',
  'treatment.plan.started',
  'carepath.updated',
  'referral.outbound',
  'adt.order.submitted',
  'claim.created',
  'claim.submitted',
  'claim.settled',
  'claim.denied',
];

describe('event catalogue', () => {
  it('defines every event type of the seed under its exact name', () => {
    const missing = SEED_EVENT_TYPES.filter((type) => !eventRegistry.types.includes(type));
    assert.deepEqual(missing, []);
  });

  it('names every type noun.verb and defines each version once', () => {
    const keys = EVENT_CATALOGUE.map((definition) => `${definition.type}@${definition.schemaVersion}`);
    assert.equal(new Set(keys).size, keys.length);
    for (const definition of EVENT_CATALOGUE) assert.match(definition.type, /^[a-z_]+(\.[a-z_]+)+$/);
  });

  it('marks only fields that exist, and names a subject wherever a field is sensitive', () => {
    for (const definition of EVENT_CATALOGUE) {
      const json = JSON.stringify(z.toJSONSchema(definition.schema, { io: 'input', unrepresentable: 'any' }));
      for (const path of Object.keys(definition.sensitive)) {
        const leaf = path.split('.').at(-1)!;
        assert.ok(
          json.includes(`"${leaf}"`),
          `${definition.type}: sensitive path ${path} is not in the schema`,
        );
      }
      if (Object.keys(definition.sensitive).length > 0) {
        assert.ok(definition.subjectPath, `${definition.type} has sensitive fields but no subjectPath`);
      }
    }
  });

  it('refuses unknown types and names the failing field of an invalid payload', () => {
    assert.throws(() => eventRegistry.parsePayload('system.heartbeat', {}), { code: 'UNKNOWN_EVENT_TYPE' });
    assert.throws(
      () => eventRegistry.parsePayload('branch.added', { branchId: 42 }),
      (error: unknown) => error instanceof ValidationError && error.field.startsWith('payload.'),
    );
  });

  it('keeps docs/events.md in step with the schemas (npm run docs:events regenerates it)', async () => {
    const onDisk = await readFile(new URL('../../../docs/events.md', import.meta.url), 'utf8');
    assert.equal(
      onDisk,
      renderEventsDoc(EVENT_CATALOGUE),
      'docs/events.md is stale: run npm run docs:events',
    );
  });
});
