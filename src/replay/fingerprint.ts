/**
 * A checksum of a read model per tenant, independent of row order and physical layout: per table, the row
 * count and the exact sum of a 64-bit hash of each row's text, folded per tenant with SHA-256. Equal models give equal fingerprints on any engine, so
 * drift between live tables and a fresh rebuild shows without shipping rows around. md5 per row is enough
 * here: this detects drift, it is not tamper evidence (the event log's hash chain is).
 */
import { createHash } from 'node:crypto';
import type { Sql } from '../store/engines/engine.ts';
import type { Projection, TableNames } from '../projections/projection.ts';
import { tableOf } from '../projections/table-names.ts';
import { scopeCondition, type RowScope } from './replay-slice.ts';
import { fixRowTextSettings } from './row-text.ts';

export interface TableFingerprint {
  readonly rows: number;
  /** Decimal sum of the rows' 64-bit hashes. */
  readonly sum: string;
}

export interface TenantFingerprint {
  readonly tenantId: string;
  readonly rows: number;
  /** Hex SHA-256 over the tables' (name, rows, sum): equal iff the tenant's rows are (almost surely) equal. */
  readonly hash: string;
  readonly tables: Readonly<Record<string, TableFingerprint>>;
}

/**
 * Fingerprints of every tenant with rows in scope, sorted by tenant. Call it inside a transaction: it sets the
 * time zone (UTC) and date style for the rest of it, so the row text of timestamps never depends on a session.
 */
export async function fingerprint(
  tx: Sql,
  projection: Projection,
  tables: TableNames,
  scope: RowScope = {},
): Promise<TenantFingerprint[]> {
  await fixRowTextSettings(tx);
  const perTenant = new Map<string, Record<string, TableFingerprint>>();
  for (const logical of projection.tables) {
    const where = scopeCondition(scope, 't');
    const { rows } = await tx.query<{ tenant_id: string; rows: number; sum: string }>(
      `select t.tenant_id, count(*)::int as rows,
          sum(('x' || left(md5(t::text), 16))::bit(64)::bigint)::text as sum
        from ${tableOf(tables, logical)} t where ${where.sql} group by t.tenant_id`,
      where.params,
    );
    for (const row of rows) {
      const entry = perTenant.get(row.tenant_id) ?? {};
      entry[logical] = { rows: row.rows, sum: row.sum };
      perTenant.set(row.tenant_id, entry);
    }
  }
  return [...perTenant.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([tenantId, byTable]) => {
      const hash = createHash('sha256');
      let rows = 0;
      for (const logical of projection.tables) {
        const table = byTable[logical] ?? { rows: 0, sum: '0' };
        rows += table.rows;
        hash.update(`${logical}\u0000${table.rows}\u0000${table.sum}\u0000`);
      }
      return { tenantId, rows, hash: hash.digest('hex'), tables: byTable };
    });
}

/** Tenants whose fingerprints differ (or exist on one side only), sorted. */
export function driftedTenants(
  live: readonly TenantFingerprint[],
  replayed: readonly TenantFingerprint[],
): string[] {
  const liveHashes = new Map(live.map((entry) => [entry.tenantId, entry.hash]));
  const replayedHashes = new Map(replayed.map((entry) => [entry.tenantId, entry.hash]));
  const tenants = new Set([...liveHashes.keys(), ...replayedHashes.keys()]);
  return [...tenants].filter((tenant) => liveHashes.get(tenant) !== replayedHashes.get(tenant)).sort();
}
