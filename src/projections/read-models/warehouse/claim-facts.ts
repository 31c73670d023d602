/**
 * `wh_fact_claim`: one row per insurance/TPA claim (accumulating snapshot): payer, episode (and the visit's
 * branch), claimed and settled amounts, status, and how long it took to close. The policy number and
 * diagnosis stay in the (encrypted) log.
 */
import { claimCreated, claimDenied, claimSettled, claimSubmitted } from '../../../domain/claim/events.ts';
import { on, type EventHandler } from '../payments/event-handlers.ts';
import { businessDateOf } from '../reconciliation/business-day.ts';
import { requireFactRow } from './require-fact-row.ts';
import { ensureDates, seePatient, type WarehouseContext } from './warehouse-dimensions.ts';
import { warehouseTables } from './warehouse-tables.ts';

export function claimHandlers(context: WarehouseContext): EventHandler[] {
  return [
    on(claimCreated, async (p, event, tx, tables) => {
      const t = warehouseTables(tables);
      const date = businessDateOf(p.createdAt);
      const patientKey = context.patientKey(event.tenantId, p.patientId);
      const visitId = p.episode.kind === 'visit' ? p.episode.visitId : null;
      await tx.query(
        `insert into ${t.wh_fact_claim} (tenant_id, claim_id, payer_id, patient_key, episode_kind, visit_id,
            admission_id, branch_id, currency, claimed_minor, status, created_at, created_date)
          values ($1, $2, $3, $4, $5, $6, $7,
            (select branch_id from ${t.wh_fact_visit} where tenant_id = $1 and visit_id = $6),
            $8, $9, 'created', $10, $11::date)`,
        [
          event.tenantId,
          p.claimId,
          p.payerId,
          patientKey,
          p.episode.kind,
          visitId,
          p.episode.kind === 'admission' ? p.episode.admissionId : null,
          p.claimed.currency,
          p.claimed.amountMinor,
          p.createdAt,
          date,
        ],
      );
      await seePatient(tx, tables, event.tenantId, patientKey, date);
    }),
    on(claimSubmitted, async (p, event, tx, tables) => {
      const t = warehouseTables(tables);
      const { rowCount } = await tx.query(
        `update ${t.wh_fact_claim} set status = 'submitted', submitted_at = $3 where tenant_id = $1 and claim_id = $2`,
        [event.tenantId, p.claimId, p.submittedAt],
      );
      requireFactRow(rowCount, event, 'claim');
    }),
    on(claimSettled, async (p, event, tx, tables) => {
      const t = warehouseTables(tables);
      const date = businessDateOf(p.settledAt);
      const { rowCount } = await tx.query(
        `update ${t.wh_fact_claim} set status = 'settled', claimed_minor = $3, settled_minor = $4, closed_at = $5,
            closed_date = $6::date, days_to_close = $6::date - created_date
          where tenant_id = $1 and claim_id = $2`,
        [event.tenantId, p.claimId, p.claimed.amountMinor, p.settled.amountMinor, p.settledAt, date],
      );
      requireFactRow(rowCount, event, 'claim');
      await ensureDates(tx, tables, event.tenantId, [date]);
    }),
    on(claimDenied, async (p, event, tx, tables) => {
      const t = warehouseTables(tables);
      const date = businessDateOf(p.deniedAt);
      const { rowCount } = await tx.query(
        `update ${t.wh_fact_claim} set status = 'denied', denial_reason = $3, closed_at = $4, closed_date = $5::date,
            days_to_close = $5::date - created_date
          where tenant_id = $1 and claim_id = $2`,
        [event.tenantId, p.claimId, p.reasonCode, p.deniedAt, date],
      );
      requireFactRow(rowCount, event, 'claim');
      await ensureDates(tx, tables, event.tenantId, [date]);
    }),
  ];
}
