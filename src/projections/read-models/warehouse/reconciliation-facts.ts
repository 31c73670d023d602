/**
 * `wh_fact_reconciliation`: one row per branch business day that was reconciled — opened, and once settled
 * the day's final expected and collected totals, the variance and its reason (seed §12 branch variance).
 */
import { reconciliationOpened, reconciliationSettled } from '../../../domain/reconciliation/events.ts';
import { on, type EventHandler } from '../payments/event-handlers.ts';
import { requireFactRow } from './require-fact-row.ts';
import { ensureDates } from './warehouse-dimensions.ts';
import { warehouseTables } from './warehouse-tables.ts';

export function reconciliationHandlers(): EventHandler[] {
  return [
    on(reconciliationOpened, async (p, event, tx, tables) => {
      const t = warehouseTables(tables);
      await tx.query(
        `insert into ${t.wh_fact_reconciliation} (tenant_id, reconciliation_id, branch_id, business_date, currency,
            status, opened_at)
          values ($1, $2, $3, $4::date, $5, 'open', $6)`,
        [event.tenantId, p.reconciliationId, p.branchId, p.businessDate, p.currency, p.openedAt],
      );
      await ensureDates(tx, tables, event.tenantId, [p.businessDate]);
    }),
    on(reconciliationSettled, async (p, event, tx, tables) => {
      const t = warehouseTables(tables);
      const { rowCount } = await tx.query(
        `update ${t.wh_fact_reconciliation} set status = 'settled', expected_minor = $3, collected_minor = $4,
            variance_minor = $5, variance_reason = $6, settled_at = $7
          where tenant_id = $1 and reconciliation_id = $2`,
        [
          event.tenantId,
          p.reconciliationId,
          p.expected.amountMinor,
          p.collected.amountMinor,
          p.variance.amountMinor,
          p.varianceReasonCode,
          p.settledAt,
        ],
      );
      requireFactRow(rowCount, event, 'reconciliation');
    }),
  ];
}
