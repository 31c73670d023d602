/**
 * Exports one tenant's warehouse (seed §15) as files a warehouse loads directly: one NDJSON file per table
 * (`<table>.ndjson`, one JSON object per row, in primary-key order) and a `manifest.json` listing each file
 * with its row count and SHA-256. The export reads every table in one transaction (one consistent snapshot);
 * instants are written in UTC and money as integer minor units, so the same model always exports to the same
 * bytes. Loading: Snowflake / BigQuery / Redshift / ClickHouse all read NDJSON (`JSONEachRow` in ClickHouse).
 */
import { createHash } from 'node:crypto';
import { mkdir, open, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError } from '../shared/errors.ts';
import type { Engine, Sql } from '../store/engines/engine.ts';
import type { TableNames } from '../projections/projection.ts';
import { WAREHOUSE_SPECS, WAREHOUSE_TABLES } from '../projections/read-models/warehouse/warehouse-tables.ts';
import { requireTenantId } from '../projections/read-models/shared/query-input.ts';
import { analyticsTables } from './analytics-query.ts';

export interface ExportOptions {
  readonly tenantId: string;
  /** NDJSON only; Parquet would need DuckDB, which is not a dependency. */
  readonly format: 'ndjson';
  /** Created if missing; existing files of the same names are replaced. */
  readonly directory: string;
  /** Rows fetched per round trip (default 1,000). */
  readonly batchSize?: number;
}

export interface ExportedFile {
  readonly table: string;
  readonly file: string;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
}

export interface ExportReport {
  readonly tenantId: string;
  readonly format: 'ndjson';
  readonly files: readonly ExportedFile[];
}

const CURSOR = 'mymedic_warehouse_export';

export async function exportWarehouse(
  engine: Pick<Engine, 'transaction'>,
  options: ExportOptions,
  tables?: TableNames,
): Promise<ExportReport> {
  if (options.format !== 'ndjson') throw new ValidationError('format', 'only ndjson is supported');
  requireTenantId(options.tenantId);
  const t = analyticsTables(tables);
  await mkdir(options.directory, { recursive: true });
  const files = await engine.transaction(async (tx) => {
    // Local to this transaction (a pooled connection keeps no trace); JSON instants then end in +00:00.
    await tx.query(`select set_config('TimeZone', 'UTC', true)`);
    const written: ExportedFile[] = [];
    for (const table of WAREHOUSE_TABLES) {
      const file = `${table}.ndjson`;
      const spec = WAREHOUSE_SPECS[table];
      const counts = await writeTable(tx, t[table], spec.key, options, join(options.directory, file));
      written.push({ table, file, ...counts });
    }
    return written;
  });
  const report: ExportReport = { tenantId: options.tenantId, format: 'ndjson', files };
  await writeAtomically(join(options.directory, 'manifest.json'), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

/** Streams the tenant's rows of one table into `path` (through a `.partial` file renamed at the end). */
async function writeTable(
  tx: Sql,
  table: string,
  key: readonly string[],
  options: ExportOptions,
  path: string,
): Promise<Omit<ExportedFile, 'table' | 'file'>> {
  const batchSize = options.batchSize ?? 1_000;
  const hash = createHash('sha256');
  const handle = await open(`${path}.partial`, 'w');
  let rows = 0;
  let bytes = 0;
  try {
    await tx.query(
      `declare ${CURSOR} no scroll cursor for
        select row_to_json(r)::text as line from ${table} r where r.tenant_id = $1 order by ${key.join(', ')}`,
      [options.tenantId],
    );
    for (;;) {
      const batch = await tx.query<{ line: string }>(`fetch forward ${batchSize} from ${CURSOR}`);
      if (batch.rows.length > 0) {
        const chunk = Buffer.from(batch.rows.map((row) => `${row.line}\n`).join(''));
        hash.update(chunk);
        await handle.write(chunk);
        rows += batch.rows.length;
        bytes += chunk.length;
      }
      if (batch.rows.length < batchSize) break;
    }
    await tx.query(`close ${CURSOR}`);
  } finally {
    await handle.close();
  }
  await rename(`${path}.partial`, path);
  return { rows, bytes, sha256: hash.digest('hex') };
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await writeFile(`${path}.partial`, text);
  await rename(`${path}.partial`, path);
}
