import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../shared/canonical-json.ts';
import { ValidationError } from '../shared/errors.ts';
import type { RecordedEvent } from '../store/envelope.ts';
import { UpcastError, UpcasterRegistry } from './upcaster-registry.ts';

const event = (eventType: string, schemaVersion: number, payload: JsonValue): RecordedEvent => ({
  eventId: '01890000-0000-7000-8000-000000000001',
  eventType,
  schemaVersion,
  tenantId: 't1',
  branchId: null,
  aggregateType: 'booking',
  aggregateId: 'b1',
  version: 1,
  occurredAt: new Date(0),
  recordedAt: new Date(0),
  causationId: null,
  correlationId: null,
  actor: { id: 'a', kind: 'staff', role: 'r' },
  payload,
  tenantSeq: 1,
  globalPosition: 1,
  txId: 1,
});

const registry = () =>
  new UpcasterRegistry([
    { eventType: 'x.done', fromSchemaVersion: 2, upcast: (p) => ({ ...(p as object), c: 3 }) },
    { eventType: 'x.done', fromSchemaVersion: 1, upcast: (p) => ({ ...(p as object), b: 2 }) },
  ]);

describe('UpcasterRegistry', () => {
  it('upcasts step by step to the latest version, whatever order the steps were registered in', () => {
    const upcast = registry().upcast(event('x.done', 1, { a: 1 }));
    assert.equal(upcast.schemaVersion, 3);
    assert.deepEqual(upcast.payload, { a: 1, b: 2, c: 3 });
    assert.equal(registry().latestVersion('x.done'), 3);
  });

  it('returns current events and types without upcasters untouched', () => {
    const current = event('x.done', 3, { a: 1 });
    assert.equal(registry().upcast(current), current);
    const other = event('y.done', 4, { a: 1 });
    assert.equal(registry().upcast(other), other);
  });

  it('leaves the original event alone', () => {
    const original = event('x.done', 2, { a: 1 });
    registry().upcast(original);
    assert.deepEqual(original.payload, { a: 1 });
    assert.equal(original.schemaVersion, 2);
  });

  it('refuses a missing step and a step registered twice', () => {
    const gap = new UpcasterRegistry([{ eventType: 'x.done', fromSchemaVersion: 2, upcast: (p) => p }]);
    assert.throws(() => gap.upcast(event('x.done', 1, {})), UpcastError);
    assert.throws(
      () => registry().register({ eventType: 'x.done', fromSchemaVersion: 1, upcast: (p) => p }),
      ValidationError,
    );
    assert.throws(
      () => new UpcasterRegistry([{ eventType: 'x.done', fromSchemaVersion: 0, upcast: (p) => p }]),
      ValidationError,
    );
  });
});
