/**
 * Legal holds: while one is active (placed, not released, `until` not yet passed) the patient's data key
 * must not be destroyed (GDPR 17(3), DPDP §8(7), medico-legal cases). Reasons are case references written by
 * staff and must not contain patient data.
 */
import { uuidV7 } from '../shared/uuid-v7.ts';
import type { Sql } from '../store/engines/engine.ts';
import type { Actor } from '../store/envelope.ts';
import { requireText } from './require-text.ts';

export interface LegalHoldRequest {
  readonly tenantId: string;
  readonly patientId: string;
  /** A case or policy reference, e.g. "MLC-2026-114"; never patient data. */
  readonly reason: string;
  readonly placedBy: Actor;
  /** The hold lapses at this instant; omitted, it lasts until released. */
  readonly until?: Date;
}

export interface ActiveHold {
  readonly holdId: string;
  readonly until: Date | null;
}

/**
 * Places a hold and returns its id.
 *
 * @example
 * const holdId = await placeLegalHold(engine, {
 *   tenantId: 't1', patientId: 'p-42', reason: 'MLC-2026-114', placedBy: auditor, until: new Date('2033-01-01') });
 */
export async function placeLegalHold(sql: Sql, request: LegalHoldRequest): Promise<string> {
  const holdId = uuidV7();
  await sql.query(
    `insert into mymedic.legal_holds (hold_id, tenant_id, patient_id, reason, placed_by, until)
     values ($1, $2, $3, $4, $5, $6)`,
    [
      holdId,
      requireText('tenantId', request.tenantId),
      requireText('patientId', request.patientId),
      requireText('reason', request.reason),
      JSON.stringify(request.placedBy),
      request.until ?? null,
    ],
  );
  return holdId;
}

/** Releases a hold of the tenant; false when no such unreleased hold exists. */
export async function releaseLegalHold(
  sql: Sql,
  tenantId: string,
  holdId: string,
  releasedBy: Actor,
): Promise<boolean> {
  const { rowCount } = await sql.query(
    `update mymedic.legal_holds set released_at = now(), released_by = $3
     where tenant_id = $1 and hold_id = $2 and released_at is null`,
    [tenantId, holdId, JSON.stringify(releasedBy)],
  );
  return rowCount === 1;
}

export async function activeLegalHolds(sql: Sql, tenantId: string, patientId: string): Promise<ActiveHold[]> {
  const { rows } = await sql.query<{ hold_id: string; until: Date | null }>(
    `select hold_id, until from mymedic.legal_holds
     where tenant_id = $1 and patient_id = $2 and released_at is null and (until is null or until > now())
     order by placed_at`,
    [tenantId, patientId],
  );
  return rows.map((row) => ({ holdId: row.hold_id, until: row.until }));
}
