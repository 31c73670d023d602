import assert from 'node:assert/strict';
import { createSecretKey, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalJson, type JsonValue } from '../shared/canonical-json.ts';
import { ERASED_FIELD, isEncryptedField, type DataKey } from './field-envelope.ts';
import { decryptPayload, encryptPayload, keyIdsOf } from './payload-cipher.ts';
import { compileSensitivity, mapSensitiveValues } from './sensitive-paths.ts';
import { samplePatientRegistered } from './testing/sample-definitions.ts';

const sensitivity = compileSensitivity(samplePatientRegistered);
const subject = { tenantId: 't1', patientId: 'p1' };
const dataKey: DataKey = { kid: 'dk_test', key: createSecretKey(randomBytes(32)) };
// What PostgreSQL jsonb and JSON itself can hold (e.g. -0 becomes 0).
const asStored = (value: JsonValue): JsonValue => JSON.parse(JSON.stringify(value)) as JsonValue;

const payloads = fc.record({
  patientId: fc.constant('p1'),
  clinicId: fc.jsonValue(),
  name: fc.jsonValue(),
  birthDate: fc.jsonValue(),
  contacts: fc.array(fc.record({ kind: fc.string(), phone: fc.jsonValue() }), { maxLength: 3 }),
  clinical: fc.record({ notes: fc.jsonValue() }),
}) as fc.Arbitrary<JsonValue>;

describe('payload cipher', () => {
  it('round-trips arbitrary JSON values at every sensitive path, through stored JSON', () => {
    fc.assert(
      fc.property(payloads, (payload) => {
        const stored = asStored(encryptPayload(sensitivity, subject, payload, dataKey));
        let envelopes = 0;
        mapSensitiveValues(stored, sensitivity, (value) => {
          assert.ok(isEncryptedField(value));
          envelopes++;
          return value;
        });
        assert.equal(envelopes, 3 + (payload as { contacts: unknown[] }).contacts.length);
        assert.doesNotThrow(() => canonicalJson(stored));
        assert.deepEqual(keyIdsOf(sensitivity, subject, stored), new Set([dataKey.kid]));
        const revealed = decryptPayload(sensitivity, subject, stored, new Map([[dataKey.kid, dataKey]]));
        assert.deepEqual(revealed, asStored(payload));
      }),
    );
  });

  it('leaves non-sensitive fields byte-identical', () => {
    fc.assert(
      fc.property(payloads, (payload) => {
        const stored = encryptPayload(sensitivity, subject, payload, dataKey) as Record<string, JsonValue>;
        const original = payload as Record<string, JsonValue>;
        assert.equal(stored['patientId'], original['patientId']);
        assert.equal(stored['clinicId'], original['clinicId']);
      }),
    );
  });

  it('reads fields whose key is gone as erased, without throwing', () => {
    const payload = {
      patientId: 'p1',
      clinicId: 'c1',
      name: 'Asha',
      contacts: [{ kind: 'home', phone: '1' }],
    };
    const stored = encryptPayload(sensitivity, subject, payload, dataKey);
    assert.deepEqual(decryptPayload(sensitivity, subject, stored, new Map()), {
      patientId: 'p1',
      clinicId: 'c1',
      name: ERASED_FIELD,
      contacts: [{ kind: 'home', phone: ERASED_FIELD }],
    });
  });

  it('refuses plaintext found at a sensitive path', () => {
    const plaintext = { patientId: 'p1', name: 'Asha' };
    assert.throws(() => keyIdsOf(sensitivity, subject, plaintext), { code: 'DECRYPTION_FAILED' });
    assert.throws(() => decryptPayload(sensitivity, subject, plaintext, new Map()), {
      code: 'DECRYPTION_FAILED',
    });
  });
});
