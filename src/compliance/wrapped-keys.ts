/**
 * Patient data keys at rest: generated here, wrapped (AES-256-GCM) under a master key with tenant, patient
 * and key id bound as AAD, and stored one row per (tenant, patient) in `mymedic.patient_keys`.
 */
import { createSecretKey, randomBytes } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json.ts';
import type { Sql } from '../store/engines/engine.ts';
import { KEY_BYTES, openAesGcm, sealAesGcm, type Sealed } from './aes-gcm.ts';
import { DecryptionFailedError, MasterKeyUnknownError } from './errors.ts';
import type { DataKey } from './field-envelope.ts';
import type { MasterKey, MasterKeys } from './master-key.ts';

export interface WrappedKeyRow {
  readonly tenant_id: string;
  readonly patient_id: string;
  readonly key_id: string;
  readonly master_key_id: string;
  readonly wrap_iv: Buffer;
  readonly wrapped_key: Buffer;
}

const COLUMNS = 'tenant_id, patient_id, key_id, master_key_id, wrap_iv, wrapped_key';

export function selectWrappedKey(
  sql: Sql,
  tenantId: string,
  patientId: string,
): Promise<WrappedKeyRow | undefined> {
  return sql
    .query<WrappedKeyRow>(
      `select ${COLUMNS} from mymedic.patient_keys where tenant_id = $1 and patient_id = $2`,
      [tenantId, patientId],
    )
    .then(({ rows }) => rows[0]);
}

/**
 * Stores a fresh wrapped key unless the patient already has one. Concurrent first uses all insert; exactly
 * one row wins and every caller must re-read it.
 */
export async function insertNewWrappedKey(
  sql: Sql,
  master: MasterKey,
  tenantId: string,
  patientId: string,
): Promise<void> {
  const keyId = `dk_${randomBytes(16).toString('base64url')}`;
  const raw = randomBytes(KEY_BYTES);
  const { iv, ct } = wrap(master, { tenant_id: tenantId, patient_id: patientId, key_id: keyId }, raw);
  raw.fill(0);
  await sql.query(
    `insert into mymedic.patient_keys (${COLUMNS}) values ($1, $2, $3, $4, $5, $6) on conflict do nothing`,
    [tenantId, patientId, keyId, master.id, iv, ct],
  );
}

/** The row's data key; throws if its master key is not configured or the row was altered. */
export function unwrapDataKey(masterKeys: MasterKeys, row: WrappedKeyRow): DataKey {
  const master = findMasterKey(masterKeys, row.master_key_id);
  const raw = openAesGcm(master.key, { iv: row.wrap_iv, ct: row.wrapped_key }, wrapAad(row));
  if (raw?.length !== KEY_BYTES) {
    throw new DecryptionFailedError('wrapped data key', { tenantId: row.tenant_id, keyId: row.key_id });
  }
  const key = createSecretKey(raw);
  raw.fill(0);
  return { kid: row.key_id, key };
}

/** The row's data key wrapped afresh under `master` (the key itself does not change). */
export function rewrap(masterKeys: MasterKeys, row: WrappedKeyRow, master: MasterKey): Sealed {
  const raw = unwrapDataKey(masterKeys, row).key.export();
  const sealed = wrap(master, row, raw);
  raw.fill(0);
  return sealed;
}

export function findMasterKey(masterKeys: MasterKeys, id: string): MasterKey {
  const found = [masterKeys.current, ...masterKeys.previous].find((key) => key.id === id);
  if (!found) throw new MasterKeyUnknownError(id);
  return found;
}

type KeyIdentity = Pick<WrappedKeyRow, 'tenant_id' | 'patient_id' | 'key_id'>;

function wrap(master: MasterKey, identity: KeyIdentity, raw: Uint8Array): Sealed {
  return sealAesGcm(master.key, raw, wrapAad(identity));
}

function wrapAad(identity: KeyIdentity): Buffer {
  // Binding the owner means a wrapped key copied onto another patient's row does not unwrap.
  return Buffer.from(
    canonicalJson(['mymedic.data-key.v1', identity.tenant_id, identity.patient_id, identity.key_id]),
  );
}
