import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { actorClaims, newTestIssuer, signJwt } from '../testing/sign-jwt.ts';
import { hashesEqual, issueApiKey, parseApiKey } from './api-key.ts';
import { decodeJwt, ed25519PublicKey, MAX_TOKEN_LIFETIME_S, signatureValid, tokenActor } from './jwt.ts';

const KID = 'a'.repeat(24);
const NOW = new Date('2026-11-27T10:00:00Z');
const ACTOR = { id: 'dr-1', kind: 'doctor', role: 'doctor' };

describe('API keys', () => {
  it('parse back to their id and to the hash that was stored; any change to the key changes the hash', () => {
    const issued = issueApiKey();
    const parsed = parseApiKey(issued.key);
    assert.equal(parsed?.credentialId, issued.credentialId);
    assert.ok(parsed && hashesEqual(parsed.sha256, issued.sha256));
    const tampered = issued.key.slice(0, -1) + (issued.key.endsWith('A') ? 'B' : 'A');
    const other = parseApiKey(tampered);
    assert.ok(other && !hashesEqual(other.sha256, issued.sha256));
  });

  it('are unique and never parse from arbitrary text', () => {
    assert.notEqual(issueApiKey().key, issueApiKey().key);
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (text) => {
        assert.equal(parseApiKey(`x${text}`), undefined);
      }),
      { numRuns: 500 },
    );
  });
});

describe('EdDSA JWTs', () => {
  const issuer = newTestIssuer();
  const key = ed25519PublicKey(issuer.publicKeyPem)!;
  const token = (
    claims: Record<string, unknown>,
    header: Record<string, unknown> = { alg: 'EdDSA', kid: KID },
  ) => signJwt(issuer.privateKey, header, claims);

  it('verify with the issuer key and name the actor', () => {
    const decoded = decodeJwt(token(actorClaims('acme', ACTOR, NOW)));
    assert.equal(decoded.kid, KID);
    assert.ok(signatureValid(decoded, key));
    assert.deepEqual(tokenActor(decoded.claims, 'acme', NOW), { tenantId: 'acme', ...ACTOR });
  });

  it('fail verification under another key or with a changed claim', () => {
    const other = ed25519PublicKey(newTestIssuer().publicKeyPem)!;
    const text = token(actorClaims('acme', ACTOR, NOW));
    assert.equal(signatureValid(decodeJwt(text), other), false);
    const [header, , signature] = text.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...actorClaims('acme', ACTOR, NOW), role: 'auditor' }),
    ).toString('base64url');
    assert.equal(signatureValid(decodeJwt(`${header}.${forged}.${signature}`), key), false);
  });

  it('refuse any algorithm but EdDSA, and a missing kid', () => {
    for (const header of [{ alg: 'none', kid: KID }, { alg: 'HS256', kid: KID }, { alg: 'EdDSA' }]) {
      assert.throws(() => decodeJwt(token(actorClaims('acme', ACTOR, NOW), header)), {
        code: 'CREDENTIAL_INVALID',
      });
    }
  });

  it('refuse another tenant, unknown kinds or roles, a role not allowed for the kind, and long lifetimes', () => {
    const base = actorClaims('acme', ACTOR, NOW);
    const refused = [
      { ...base, tid: 'other' },
      { ...base, kind: 'system' },
      { ...base, role: 'superuser' },
      { ...base, kind: 'patient', role: 'doctor' },
      { ...base, sub: 'not an id' },
      { ...base, exp: Number(base['iat']) + MAX_TOKEN_LIFETIME_S + 1 },
      { ...base, iat: undefined },
      { ...base, iat: Number(base['iat']) + 3600, exp: Number(base['iat']) + 3700 },
    ];
    for (const claims of refused) {
      assert.throws(
        () => tokenActor(claims, 'acme', NOW),
        { code: 'CREDENTIAL_INVALID' },
        JSON.stringify(claims),
      );
    }
  });

  it('expire at exp (with a minute of clock skew)', () => {
    const claims = actorClaims('acme', ACTOR, NOW, 600);
    assert.doesNotThrow(() => tokenActor(claims, 'acme', new Date(NOW.getTime() + 600_000 + 59_000)));
    assert.throws(() => tokenActor(claims, 'acme', new Date(NOW.getTime() + 600_000 + 60_000)), {
      code: 'CREDENTIAL_EXPIRED',
    });
  });

  it('accept only Ed25519 public keys as issuers', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    assert.equal(ed25519PublicKey(rsa.toString()), undefined);
    assert.equal(ed25519PublicKey('not a pem'), undefined);
    assert.ok(ed25519PublicKey(issuer.publicKeyPem));
  });

  it('never throw anything but CREDENTIAL_INVALID on garbage', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), (a, b) => {
        for (const text of [
          `${a}.${b}.x`,
          `${Buffer.from(a).toString('base64url')}.${Buffer.from(b).toString('base64url')}.AA`,
        ]) {
          try {
            decodeJwt(text);
          } catch (error) {
            assert.equal((error as { code?: string }).code, 'CREDENTIAL_INVALID');
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
