/**
 * `wh_fact_reconciliation`: one row per branch business day that was reconciled — opened, and once settled
 * the day's final expected and collected totals, the variance and its reason (seed §12 branch variance).
 */
import { reconciliationOpened, reconciliationSettled } from '../../../domain/reconciliation/events.ts';
import { requireFactRow } from './require-fact-row.ts';
import { handle, type WarehouseHandler } from './warehouse-rows.ts';

export function reconciliationHandlers(): WarehouseHandler[] {
  return [
    handle(
      reconciliationOpened,
      (p, event) => [['wh_fact_reconciliation', [event.tenantId, p.reconciliationId]]],
      (p, event, rows) => {
        rows.table('wh_fact_reconciliation').insert({
          tenant_id: event.tenantId,
          reconciliation_id: p.reconciliationId,
          branch_id: p.branchId,
          business_date: p.businessDate,
          currency: p.currency,
          status: 'open',
          expected_minor: null,
          collected_minor: null,
          variance_minor: null,
          variance_reason: null,
          opened_at: p.openedAt,
          settled_at: null,
        });
        rows.ensureDates(event.tenantId, [p.businessDate]);
      },
    ),
    handle(
      reconciliationSettled,
      (p, event) => [['wh_fact_reconciliation', [event.tenantId, p.reconciliationId]]],
      (p, event, rows) => {
        const updated = rows.table('wh_fact_reconciliation').update([event.tenantId, p.reconciliationId], {
          status: 'settled',
          expected_minor: p.expected.amountMinor,
          collected_minor: p.collected.amountMinor,
          variance_minor: p.variance.amountMinor,
          variance_reason: p.varianceReasonCode,
          settled_at: p.settledAt,
        });
        requireFactRow(updated ? 1 : 0, event, 'reconciliation');
      },
    ),
  ];
}
