/**
 * Accounting of disclosures (HIPAA §164.528-style): every read of patient data leaves a row saying who read
 * which patient's data, when, why and through which endpoint, never the data itself. Rows are append-only
 * (triggers refuse UPDATE, DELETE, TRUNCATE) and tenant-isolated like every tenant table.
 */
import { uuidV7 } from '../shared/uuid-v7.ts';
import type { Sql } from '../store/engines/engine.ts';
import type { Actor } from '../store/envelope.ts';
import type { PurposeOfUse } from './purpose-of-use.ts';

export interface Disclosure {
  readonly actor: Actor;
  readonly credentialId: string;
  readonly purpose: PurposeOfUse;
  /** Method and route pattern, e.g. `GET /v1/streams/:aggregateType/:aggregateId/events`. */
  readonly endpoint: string;
  readonly requestId: string;
  readonly correlationId: string;
}

export interface DisclosureRecord extends Disclosure {
  readonly disclosureId: string;
  readonly patientId: string;
  readonly disclosedAt: Date;
}

export interface DisclosureFilter {
  readonly patientId?: string;
  readonly actorId?: string;
  readonly from?: Date;
  readonly to?: Date;
  /** Disclosure id after which to continue (the previous page's last). */
  readonly after?: string;
  readonly limit: number;
}

/** Records one disclosure per distinct patient, in the caller's transaction. */
export async function recordDisclosures(
  sql: Sql,
  tenantId: string,
  patientIds: Iterable<string>,
  disclosure: Disclosure,
): Promise<void> {
  const patients = [...new Set(patientIds)];
  if (patients.length === 0) return;
  await sql.query(
    `insert into mymedic.disclosures (disclosure_id, tenant_id, patient_id, actor, credential_id, purpose,
       endpoint, request_id, correlation_id)
     select d.id, $2, d.patient_id, $3::jsonb, $4, $5, $6, $7, $8
       from unnest($1::uuid[], $9::text[]) as d(id, patient_id)`,
    [
      patients.map(() => uuidV7()),
      tenantId,
      JSON.stringify(disclosure.actor),
      disclosure.credentialId,
      disclosure.purpose,
      disclosure.endpoint,
      disclosure.requestId,
      disclosure.correlationId,
      patients,
    ],
  );
}

/** One page of the tenant's disclosures, oldest first. */
export async function listDisclosures(
  sql: Sql,
  tenantId: string,
  filter: DisclosureFilter,
): Promise<DisclosureRecord[]> {
  const { rows } = await sql.query<{
    disclosure_id: string;
    patient_id: string;
    actor: Actor;
    credential_id: string;
    purpose: PurposeOfUse;
    endpoint: string;
    request_id: string;
    correlation_id: string;
    disclosed_at: Date;
  }>(
    `select disclosure_id, patient_id, actor, credential_id, purpose, endpoint, request_id, correlation_id,
            disclosed_at
       from mymedic.disclosures
      where tenant_id = $1
        and ($2::text is null or patient_id = $2)
        and ($3::text is null or actor ->> 'id' = $3)
        and ($4::timestamptz is null or disclosed_at >= $4)
        and ($5::timestamptz is null or disclosed_at < $5)
        and ($6::uuid is null or disclosure_id > $6)
      order by disclosure_id limit $7`,
    [
      tenantId,
      filter.patientId ?? null,
      filter.actorId ?? null,
      filter.from ?? null,
      filter.to ?? null,
      filter.after ?? null,
      filter.limit,
    ],
  );
  return rows.map((row) => ({
    disclosureId: row.disclosure_id,
    patientId: row.patient_id,
    actor: row.actor,
    credentialId: row.credential_id,
    purpose: row.purpose,
    endpoint: row.endpoint,
    requestId: row.request_id,
    correlationId: row.correlation_id,
    disclosedAt: row.disclosed_at,
  }));
}
