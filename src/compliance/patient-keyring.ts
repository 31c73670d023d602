/**
 * The compliance module's port for the command shell: encrypts an event's sensitive fields under the
 * patient's own data key before the event is hashed and appended, decrypts them after a read, and destroys
 * the key on erasure. Unwrapped keys are cached briefly so a replay does not unwrap once per event.
 */
import type { JsonValue } from '../shared/canonical-json.ts';
import { MyMedicError, ValidationError } from '../shared/errors.ts';
import type { EventDefinition } from '../domain/shared/event-definition.ts';
import type { Engine } from '../store/engines/engine.ts';
import { destroyPatientKey, type ErasureReport, type ErasureRequest } from './erase-patient.ts';
import type { DataKey } from './field-envelope.ts';
import { LruCache } from './lru-cache.ts';
import type { MasterKeys } from './master-key.ts';
import { decryptPayload, encryptPayload, keyIdsOf, type PayloadSubject } from './payload-cipher.ts';
import { compileSensitivity, countSensitiveValues, readSubject } from './sensitive-paths.ts';
import { insertNewWrappedKey, selectWrappedKey, unwrapDataKey } from './wrapped-keys.ts';

export interface PatientKeyringOptions {
  /** Unwrapped keys kept in memory at most (default 10 000, a few MB). */
  readonly cacheSize?: number;
  /**
   * How long an unwrapped key stays cached (default 60 s). It bounds how long this keyring may keep using a
   * key that another process destroyed; fields it encrypts in that window read as erased.
   */
  readonly cacheTtlMs?: number;
  readonly now?: () => number;
}

/**
 * @example
 * const keyring = new PatientKeyring(engine, await loadMasterKeys());
 * // before append: the stored (and hashed) payload holds envelopes instead of the name and phone
 * const stored = await keyring.protectPayload(patientRegistered, tenantId, payload);
 * // after read: plaintext, or { $erased: true } for fields of an erased patient
 * const plain = await keyring.revealPayload(patientRegistered, tenantId, event.payload);
 * await keyring.erasePatient(tenantId, patientId, { reason: 'GDPR art. 17, REQ-42', actor });
 *
 * Calls run their own statements on `engine`. A keyring that outlives a transaction must not be given that
 * transaction's engine (its cached key would outlive a rolled-back creation), and on PGlite, which has one
 * connection, it must not be called from inside `engine.transaction`. A keyring made for one transaction and
 * dropped with it (as the HTTP command path does) may run inside it: the key then commits with the events.
 */
export class PatientKeyring {
  private readonly keys: LruCache<string, DataKey>;
  // Key ids found destroyed. Ids are random and never reused, so "destroyed" is final and safe to remember.
  private readonly destroyed: LruCache<string, true>;
  private readonly loading = new Map<string, Promise<DataKey>>();

  constructor(
    private readonly engine: Engine,
    private readonly masterKeys: MasterKeys,
    options: PatientKeyringOptions = {},
  ) {
    const size = options.cacheSize ?? 10_000;
    this.keys = new LruCache(size, options.cacheTtlMs ?? 60_000, options.now);
    this.destroyed = new LruCache(size, Number.POSITIVE_INFINITY, options.now);
  }

  /**
   * The payload with every value at the definition's sensitive paths replaced by an encrypted envelope,
   * creating the patient's key on first use. Payloads without sensitive values come back unchanged.
   */
  async protectPayload(
    definition: EventDefinition,
    tenantId: string,
    payload: JsonValue,
  ): Promise<JsonValue> {
    const sensitivity = compileSensitivity(definition);
    if (countSensitiveValues(payload, sensitivity) === 0) return payload;
    const subject = subjectOf(definition, tenantId, payload);
    return encryptPayload(sensitivity, subject, payload, await this.currentKey(subject));
  }

  /**
   * The payload with every envelope decrypted. Fields whose key was destroyed read as `{ "$erased": true }`;
   * an altered envelope or plaintext at a sensitive path throws DecryptionFailedError.
   */
  async revealPayload(definition: EventDefinition, tenantId: string, payload: JsonValue): Promise<JsonValue> {
    const sensitivity = compileSensitivity(definition);
    if (countSensitiveValues(payload, sensitivity) === 0) return payload;
    const subject = subjectOf(definition, tenantId, payload);
    const keys = new Map<string, DataKey>();
    for (const kid of keyIdsOf(sensitivity, subject, payload)) {
      const key = await this.keyById(subject, kid);
      if (key) keys.set(kid, key);
    }
    return decryptPayload(sensitivity, subject, payload, keys);
  }

  /**
   * Crypto-shreds the patient: destroys their data key and audits who, when and why. Throws LegalHoldError
   * (code LEGAL_HOLD) while a legal hold or `legalHoldCheck` rule applies. Other processes' keyrings may use
   * a cached copy for up to `cacheTtlMs`; read models holding plaintext must be purged separately.
   */
  async erasePatient(tenantId: string, patientId: string, request: ErasureRequest): Promise<ErasureReport> {
    const report = await destroyPatientKey(this.engine, tenantId, patientId, request);
    const cacheKey = keyOf({ tenantId, patientId });
    const cached = this.keys.get(cacheKey);
    if (cached) this.destroyed.set(`${cacheKey}\u0000${cached.kid}`, true);
    if (report.destroyedKeyId) this.destroyed.set(`${cacheKey}\u0000${report.destroyedKeyId}`, true);
    this.keys.delete(cacheKey);
    return report;
  }

  /** The patient's key by id, or undefined when it was destroyed. */
  private async keyById(subject: PayloadSubject, kid: string): Promise<DataKey | undefined> {
    if (this.destroyed.get(`${keyOf(subject)}\u0000${kid}`)) return undefined;
    const cached = this.keys.get(keyOf(subject));
    if (cached?.kid === kid) return cached;
    const row = await selectWrappedKey(this.engine, subject.tenantId, subject.patientId);
    if (row?.key_id !== kid) {
      this.destroyed.set(`${keyOf(subject)}\u0000${kid}`, true);
      return undefined;
    }
    return this.remember(subject, unwrapDataKey(this.masterKeys, row));
  }

  /** The patient's live key, created on first use; concurrent first uses, here or elsewhere, agree on one. */
  private currentKey(subject: PayloadSubject): Promise<DataKey> {
    const cacheKey = keyOf(subject);
    const cached = this.keys.get(cacheKey);
    if (cached) return Promise.resolve(cached);
    let pending = this.loading.get(cacheKey);
    if (!pending) {
      pending = this.loadOrCreate(subject).finally(() => this.loading.delete(cacheKey));
      this.loading.set(cacheKey, pending);
    }
    return pending;
  }

  private async loadOrCreate(subject: PayloadSubject): Promise<DataKey> {
    // Two rounds cover an erasure landing between our insert and our re-read.
    for (let attempt = 0; attempt < 2; attempt++) {
      let row = await selectWrappedKey(this.engine, subject.tenantId, subject.patientId);
      if (!row) {
        await insertNewWrappedKey(this.engine, this.masterKeys.current, subject.tenantId, subject.patientId);
        row = await selectWrappedKey(this.engine, subject.tenantId, subject.patientId);
      }
      if (row) return this.remember(subject, unwrapDataKey(this.masterKeys, row));
    }
    throw new MyMedicError(
      'PATIENT_KEY_UNAVAILABLE',
      'the patient key was destroyed while it was being created',
      {
        ...subject,
      },
    );
  }

  private remember(subject: PayloadSubject, key: DataKey): DataKey {
    // A read that raced an erasure must not put the destroyed key back into the cache.
    if (!this.destroyed.get(`${keyOf(subject)}\u0000${key.kid}`)) this.keys.set(keyOf(subject), key);
    return key;
  }
}

function subjectOf(definition: EventDefinition, tenantId: string, payload: JsonValue): PayloadSubject {
  if (typeof tenantId !== 'string' || tenantId === '')
    throw new ValidationError('tenantId', 'must be non-empty');
  const patientId = readSubject(payload, compileSensitivity(definition));
  if (patientId === undefined) {
    throw new ValidationError(definition.subjectPath ?? 'subjectPath', 'must hold the patient id', {
      eventType: definition.type,
    });
  }
  return { tenantId, patientId };
}

function keyOf(subject: PayloadSubject): string {
  return `${subject.tenantId}\u0000${subject.patientId}`;
}
