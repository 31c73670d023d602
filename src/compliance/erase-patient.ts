/**
 * Crypto-shredding: destroying a patient's data key makes every field ever encrypted under it unreadable,
 * in the event log and in every copy of it, while the hash chain (taken over ciphertext) still verifies.
 * Each attempt, refused or not, leaves an append-only audit row: who, when, why — ids only.
 */
import { uuidV7 } from '../shared/uuid-v7.ts';
import type { Engine, Sql } from '../store/engines/engine.ts';
import type { Actor } from '../store/envelope.ts';
import { LegalHoldError } from './errors.ts';
import { activeLegalHolds } from './legal-holds.ts';
import { requireText } from './require-text.ts';

/** A retention rule outside the legal_holds table (e.g. an open medico-legal case, a clinical retention period). */
export interface RetentionBlock {
  /** Names the rule, e.g. "clinical-retention-10y"; never patient data. */
  readonly rule: string;
  readonly until?: Date;
}

export type RetentionCheck = (context: {
  readonly sql: Sql;
  readonly tenantId: string;
  readonly patientId: string;
}) => Promise<RetentionBlock | undefined>;

export interface ErasureRequest {
  /** Why, e.g. "GDPR art. 17 request REQ-2026-0042"; stored in the audit, so never patient data. */
  readonly reason: string;
  readonly actor: Actor;
  /** Extra retention rules, checked in the erasing transaction after the legal_holds table. */
  readonly legalHoldCheck?: RetentionCheck;
}

export interface ErasureReport {
  readonly erasureId: string;
  /** The destroyed key, or null when the patient had none (never encrypted, or already erased). */
  readonly destroyedKeyId: string | null;
}

type Outcome = ErasureReport | { readonly refused: LegalHoldError };

/**
 * Destroys the patient's data key unless a legal hold or retention rule applies (then throws LegalHoldError,
 * code LEGAL_HOLD, after auditing the refusal). Prefer `PatientKeyring.erasePatient`, which also evicts the key
 * from that keyring's cache.
 */
export async function destroyPatientKey(
  engine: Engine,
  tenantId: string,
  patientId: string,
  request: ErasureRequest,
): Promise<ErasureReport> {
  requireText('tenantId', tenantId);
  requireText('patientId', patientId);
  const reason = requireText('reason', request.reason);
  const outcome = await engine.transaction(async (sql): Promise<Outcome> => {
    const erasureId = uuidV7();
    const audit = (outcome: 'erased' | 'refused', keyId: string | null, refusedBy: unknown) =>
      sql.query(
        `insert into mymedic.patient_erasures
           (erasure_id, tenant_id, patient_id, outcome, key_id, reason, actor, refused_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [erasureId, tenantId, patientId, outcome, keyId, reason, JSON.stringify(request.actor), refusedBy],
      );
    const holds = await activeLegalHolds(sql, tenantId, patientId);
    const retention = await request.legalHoldCheck?.({ sql, tenantId, patientId });
    if (holds.length > 0 || retention) {
      const refusedBy = {
        holds,
        retentionRule: retention?.rule ?? null,
        retentionUntil: retention?.until ?? null,
      };
      await audit('refused', null, JSON.stringify(refusedBy));
      return { refused: new LegalHoldError(tenantId, patientId, { erasureId, ...refusedBy }) };
    }
    const { rows } = await sql.query<{ key_id: string }>(
      'delete from mymedic.patient_keys where tenant_id = $1 and patient_id = $2 returning key_id',
      [tenantId, patientId],
    );
    const destroyedKeyId = rows[0]?.key_id ?? null;
    await audit('erased', destroyedKeyId, null);
    return { erasureId, destroyedKeyId };
  });
  if ('refused' in outcome) throw outcome.refused;
  return outcome;
}
