/**
 * `wh_fact_claim`: one row per insurance/TPA claim (accumulating snapshot): payer, episode (and the visit's
 * branch), claimed and settled amounts, status, and how long it took to close. The policy number and
 * diagnosis stay in the (encrypted) log.
 */
import { claimCreated, claimDenied, claimSettled, claimSubmitted } from '../../../domain/claim/events.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import { businessDateOf } from '../reconciliation/business-day.ts';
import { requireFactRow } from './require-fact-row.ts';
import type { WarehouseContext } from './warehouse-dimensions.ts';
import {
  daysBetween,
  handle,
  type FactRow,
  type Needed,
  type WarehouseHandler,
  type WarehouseRows,
} from './warehouse-rows.ts';

const claim = (tenantId: string, claimId: string): Needed => ['wh_fact_claim', [tenantId, claimId]];

/** Closes the claim (settled or denied) on the business day of `at`. */
function close(
  rows: WarehouseRows,
  event: RecordedEvent,
  claimId: string,
  at: string,
  changes: FactRow,
): void {
  const claims = rows.table('wh_fact_claim');
  const row = claims.get([event.tenantId, claimId]);
  requireFactRow(row === undefined ? 0 : 1, event, 'claim');
  const date = businessDateOf(at);
  claims.update([event.tenantId, claimId], {
    ...changes,
    closed_at: at,
    closed_date: date,
    days_to_close: daysBetween(row!['created_date'] as string, date),
  });
  rows.ensureDates(event.tenantId, [date]);
}

export function claimHandlers(context: WarehouseContext): WarehouseHandler[] {
  return [
    handle(
      claimCreated,
      (p, event) => [
        claim(event.tenantId, p.claimId),
        ['wh_dim_patient', [event.tenantId, context.patientKey(event.tenantId, p.patientId)]],
        ...(p.episode.kind === 'visit'
          ? [['wh_fact_visit', [event.tenantId, p.episode.visitId]] as const]
          : []),
      ],
      (p, event, rows) => {
        const date = businessDateOf(p.createdAt);
        const patientKey = context.patientKey(event.tenantId, p.patientId);
        const visitId = p.episode.kind === 'visit' ? p.episode.visitId : null;
        const visit =
          visitId === null ? undefined : rows.table('wh_fact_visit').get([event.tenantId, visitId]);
        rows.table('wh_fact_claim').insert({
          tenant_id: event.tenantId,
          claim_id: p.claimId,
          payer_id: p.payerId,
          patient_key: patientKey,
          episode_kind: p.episode.kind,
          visit_id: visitId,
          admission_id: p.episode.kind === 'admission' ? p.episode.admissionId : null,
          branch_id: visit?.['branch_id'] ?? null,
          currency: p.claimed.currency,
          claimed_minor: p.claimed.amountMinor,
          settled_minor: null,
          status: 'created',
          denial_reason: null,
          created_at: p.createdAt,
          created_date: date,
          submitted_at: null,
          closed_at: null,
          closed_date: null,
          days_to_close: null,
        });
        rows.seePatient(event.tenantId, patientKey, date);
      },
    ),
    handle(
      claimSubmitted,
      (p, event) => [claim(event.tenantId, p.claimId)],
      (p, event, rows) => {
        const updated = rows
          .table('wh_fact_claim')
          .update([event.tenantId, p.claimId], { status: 'submitted', submitted_at: p.submittedAt });
        requireFactRow(updated ? 1 : 0, event, 'claim');
      },
    ),
    handle(
      claimSettled,
      (p, event) => [claim(event.tenantId, p.claimId)],
      (p, event, rows) =>
        close(rows, event, p.claimId, p.settledAt, {
          status: 'settled',
          claimed_minor: p.claimed.amountMinor,
          settled_minor: p.settled.amountMinor,
        }),
    ),
    handle(
      claimDenied,
      (p, event) => [claim(event.tenantId, p.claimId)],
      (p, event, rows) =>
        close(rows, event, p.claimId, p.deniedAt, { status: 'denied', denial_reason: p.reasonCode }),
    ),
  ];
}
