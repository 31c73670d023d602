/**
 * Per-target, per-tenant last processed tenant_seq: what makes apply redelivery-proof. The global feed
 * delivers each tenant's events in tenant_seq order, so "at or below the position" means "already done".
 */
import type { Sql } from '../store/engines/engine.ts';
import { toSafeInteger } from '../store/event-row.ts';

export interface TenantPosition {
  readonly tenantSeq: number;
  readonly recordedAt: Date;
}

export async function loadPositions(
  tx: Sql,
  target: string,
  tenantIds: readonly string[],
): Promise<Map<string, number>> {
  const { rows } = await tx.query<{ tenant_id: string; last_tenant_seq: string }>(
    `select tenant_id, last_tenant_seq from mymedic.projection_positions
      where target = $1 and tenant_id = any($2::text[])`,
    [target, tenantIds],
  );
  return new Map(rows.map((row) => [row.tenant_id, toSafeInteger(row.last_tenant_seq)]));
}

/** The position of one tenant (0 when the target never processed any of its events). */
export async function positionOf(tx: Sql, target: string, tenantId: string): Promise<number> {
  return (await loadPositions(tx, target, [tenantId])).get(tenantId) ?? 0;
}

export async function savePositions(
  tx: Sql,
  target: string,
  positions: ReadonlyMap<string, TenantPosition>,
): Promise<void> {
  if (positions.size === 0) return;
  const tenants = [...positions.keys()];
  const values = [...positions.values()];
  await tx.query(
    `insert into mymedic.projection_positions (target, tenant_id, last_tenant_seq, last_recorded_at)
      select $1, t, s, r from unnest($2::text[], $3::bigint[], $4::timestamptz[]) as u(t, s, r)
      on conflict (target, tenant_id) do update
        set last_tenant_seq = excluded.last_tenant_seq, last_recorded_at = excluded.last_recorded_at`,
    [target, tenants, values.map((value) => value.tenantSeq), values.map((value) => value.recordedAt)],
  );
}
