import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { canonicalJson, type JsonValue } from '../shared/canonical-json.ts';
import { canonicalContent, canonicalParts, type HashedContent } from './chain-hash.ts';
import { ACTOR_KINDS } from './envelope.ts';

const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const nullableText = fc.option(text, { nil: null });

const hashedContent: fc.Arbitrary<HashedContent> = fc.record({
  eventId: fc.uuid(),
  eventType: text,
  schemaVersion: fc.integer({ min: 1, max: 1_000 }),
  tenantId: text,
  branchId: nullableText,
  aggregateType: text,
  aggregateId: text,
  occurredAt: fc.date({ min: new Date(0), max: new Date('2200-01-01T00:00:00.000Z'), noInvalidDate: true }),
  causationId: nullableText,
  correlationId: nullableText,
  actor: fc.record({ id: text, kind: fc.constantFrom(...ACTOR_KINDS), role: text }),
  payload: fc.jsonValue() as fc.Arbitrary<JsonValue>,
});

it('writes the envelope exactly as RFC 8785 canonicalisation of the whole object does', () => {
  fc.assert(
    fc.property(hashedContent, (event) => {
      const generic = canonicalJson({
        actor: event.actor,
        aggregate_id: event.aggregateId,
        aggregate_type: event.aggregateType,
        branch_id: event.branchId,
        causation_id: event.causationId,
        correlation_id: event.correlationId,
        event_id: event.eventId,
        event_type: event.eventType,
        occurred_at: event.occurredAt.toISOString(),
        payload: event.payload,
        schema_version: event.schemaVersion,
        tenant_id: event.tenantId,
      });
      assert.equal(canonicalContent(event), generic);
      assert.equal(canonicalContent(event, canonicalParts(event)), generic);
    }),
  );
});
