/**
 * Test helper of the finance read models' suites: a build of a read model in fresh shadow tables where every
 * event of a tenant is delivered twice (overlapping batches through the runtime's own applier), to compare
 * with the live, incrementally built tables; and a model's rows of some tenants as comparable text.
 */
import { ProjectionApplier } from '../../projections/projection-applier.ts';
import type { Projection, TableNames } from '../../projections/projection.ts';
import { liveTableNames } from '../../projections/table-names.ts';
import { tableRows } from '../../projections/testing/table-rows.ts';
import { UpcasterRegistry } from '../../projections/upcaster-registry.ts';
import { createShadow, dropShadow } from '../../replay/shadow.ts';
import type { Engine } from '../../store/engines/engine.ts';
import { PgEventStore } from '../../store/pg-event-store.ts';
import { collect } from '../../store/testing/event-factory.ts';

/** Every table's rows (of these tenants), keyed by logical name. */
export async function modelRows(
  engine: Engine,
  projection: Projection,
  tenantIds: readonly string[],
  tables: TableNames = liveTableNames(projection),
): Promise<Record<string, string[]>> {
  const rows: Record<string, string[]> = {};
  for (const logical of projection.tables)
    rows[logical] = await tableRows(engine, tables[logical]!, tenantIds);
  return rows;
}

/**
 * Builds the tenant's model into fresh shadow tables from batches of `batch` events that overlap by half,
 * so every event arrives twice; returns the rows and how many deliveries were skipped as already applied.
 */
export async function buildWithEveryEventTwice(
  engine: Engine,
  projection: Projection,
  tenantId: string,
  batch = 8,
): Promise<{ rows: Record<string, string[]>; applied: number; skipped: number }> {
  const events = await collect(new PgEventStore(engine).readTenantLog(tenantId));
  const shadow = await createShadow(engine, projection);
  const applier = new ProjectionApplier(
    { id: shadow.target, projection, tables: shadow.tables },
    new UpcasterRegistry(),
  );
  let applied = 0;
  let skipped = 0;
  try {
    const step = batch / 2;
    for (let start = -step; start < events.length; start += step) {
      const counts = await engine.transaction((tx) =>
        applier.applyBatch(events.slice(Math.max(0, start), start + batch), tx),
      );
      applied += counts.applied;
      skipped += counts.skipped;
    }
    return { rows: await modelRows(engine, projection, [tenantId], shadow.tables), applied, skipped };
  } finally {
    await engine.transaction((tx) => dropShadow(tx, shadow));
  }
}
