import assert from 'node:assert/strict';
import { createSecretKey, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  decryptField,
  encryptField,
  isEncryptedField,
  type DataKey,
  type EncryptedField,
  type FieldContext,
} from './field-envelope.ts';

const dataKey = (): DataKey => ({
  kid: `dk_${randomBytes(4).toString('hex')}`,
  key: createSecretKey(randomBytes(32)),
});
const context: FieldContext = { tenantId: 't1', patientId: 'p1', path: 'name' };

function flip(base64url: string, byteIndex: number): string {
  const bytes = Buffer.from(base64url, 'base64url');
  bytes[byteIndex] = (bytes[byteIndex] ?? 0) ^ 0x01;
  return bytes.toString('base64url');
}

function rejects(key: DataKey, ctx: FieldContext, field: EncryptedField): void {
  assert.throws(() => decryptField(key, ctx, field), { code: 'DECRYPTION_FAILED' });
}

describe('field envelope', () => {
  it('round-trips a value and has the v1 shape', () => {
    const key = dataKey();
    const field = encryptField(key, context, 'Asha Verghese');
    assert.equal(field.$enc, 'v1');
    assert.equal(field.kid, key.kid);
    assert.ok(isEncryptedField(field));
    assert.equal(decryptField(key, context, field), 'Asha Verghese');
    assert.ok(!JSON.stringify(field).includes('Asha'));
  });

  it('uses a fresh IV for every encryption', () => {
    const key = dataKey();
    const a = encryptField(key, context, 'same');
    const b = encryptField(key, context, 'same');
    assert.notEqual(a.iv, b.iv);
    assert.notEqual(a.ct, b.ct);
  });

  it('pads so short values of similar length give equal ciphertext lengths', () => {
    const key = dataKey();
    assert.equal(
      encryptField(key, context, 'Asha').ct.length,
      encryptField(key, context, 'Asha Verghese').ct.length,
    );
  });

  it('fails when the iv, the ciphertext or the tag is altered', () => {
    const key = dataKey();
    const field = encryptField(key, context, { given: 'Asha' });
    const ctBytes = Buffer.from(field.ct, 'base64url').length;
    rejects(key, context, { ...field, iv: flip(field.iv, 0) });
    rejects(key, context, { ...field, ct: flip(field.ct, 0) });
    rejects(key, context, { ...field, ct: flip(field.ct, ctBytes - 1) });
    rejects(key, context, {
      ...field,
      ct: Buffer.from(field.ct, 'base64url').subarray(0, 10).toString('base64url'),
    });
  });

  it('fails when moved to another patient, field or tenant (AAD), even under the same key', () => {
    const key = dataKey();
    const field = encryptField(key, context, '+91 98765 43210');
    rejects(key, { ...context, patientId: 'p2' }, field);
    rejects(key, { ...context, path: 'contacts.*.phone' }, field);
    rejects(key, { ...context, tenantId: 't2' }, field);
  });

  it("fails under another patient's key and when the key id is swapped", () => {
    const field = encryptField(dataKey(), context, 'x');
    rejects(dataKey(), context, field);
    const key = dataKey();
    rejects({ ...key, kid: 'dk_other' }, context, { ...encryptField(key, context, 'x'), kid: 'dk_other' });
  });

  it('recognises only the exact envelope shape', () => {
    assert.ok(!isEncryptedField({ $enc: 'v1', kid: 'k', iv: 'AA', ct: 'AA', extra: 1 }));
    assert.ok(!isEncryptedField({ $enc: 'v2', kid: 'k', iv: 'AA', ct: 'AA' }));
    assert.ok(!isEncryptedField({ $enc: 'v1', kid: 'k', iv: 'A A', ct: 'AA' }));
    assert.ok(!isEncryptedField('Asha'));
    assert.ok(!isEncryptedField([{ $enc: 'v1' }]));
  });
});
