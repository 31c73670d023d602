/**
 * The warehouse's tables while a batch of events is applied: one RowBuffer per table (its columns and key
 * from WAREHOUSE_SPECS), loaded with what the batch's handlers declare they touch, plus the business days the
 * facts refer to, which only ever gain rows and are added at the end (`on conflict do nothing`).
 */
import type { EventDefinition, PayloadOf } from '../../../domain/shared/event-definition.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import type { TableNames } from '../../projection.ts';
import { handle as handleEvent, type BatchHandler, type BatchRows } from '../shared/batch-handlers.ts';
import { RowBuffer, type ColumnType, type Row } from '../shared/row-buffer.ts';
import { WAREHOUSE_SPECS, warehouseTables, type WarehouseTable } from './warehouse-tables.ts';

/** A table row in memory; handlers read the columns they know the types of. */
export type FactRow = Record<string, unknown>;

/** A row (full key) or rows (a leading part of the key) a handler reads or writes. */
export type Needed = readonly [table: Exclude<WarehouseTable, 'wh_dim_date'>, key: readonly unknown[]];

export type WarehouseHandler = BatchHandler<WarehouseRows, Needed>;

/** A warehouse handler: the rows it needs, and what it does to them. */
export function handle<D extends EventDefinition>(
  definition: D,
  needs: (payload: PayloadOf<D>, event: RecordedEvent) => readonly Needed[],
  apply: (payload: PayloadOf<D>, event: RecordedEvent, rows: WarehouseRows) => void,
): WarehouseHandler {
  return handleEvent(definition, needs, apply);
}

export class WarehouseRows implements BatchRows<Needed> {
  private readonly buffers = new Map<WarehouseTable, RowBuffer<FactRow & Row>>();
  private readonly dates = new Map<string, readonly [string, string]>();
  private readonly names: Readonly<Record<WarehouseTable, string>>;

  constructor(tables: TableNames) {
    this.names = warehouseTables(tables);
  }

  table(table: Exclude<WarehouseTable, 'wh_dim_date'>): RowBuffer<FactRow & Row> {
    let buffer = this.buffers.get(table);
    if (!buffer) {
      const spec = WAREHOUSE_SPECS[table];
      buffer = new RowBuffer<FactRow & Row>(this.names[table], columnTypes(spec.columns), spec.key);
      this.buffers.set(table, buffer);
    }
    return buffer;
  }

  /** Loads what the handlers need: one statement per table and key length. */
  async load(sql: Sql, needed: readonly Needed[]): Promise<void> {
    const groups = new Map<string, { table: Needed[0]; keys: (readonly unknown[])[] }>();
    for (const [table, key] of needed) {
      const id = `${table}/${key.length}`;
      let group = groups.get(id);
      if (!group) groups.set(id, (group = { table, keys: [] }));
      group.keys.push(key);
    }
    for (const { table, keys } of groups.values()) await this.table(table).load(sql, keys);
  }

  /** Adds the date dimension's rows for these business days (`YYYY-MM-DD`; nulls ignored). */
  ensureDates(tenantId: string, dates: readonly (string | null)[]): void {
    for (const date of dates) if (date !== null) this.dates.set(`${tenantId}\u0000${date}`, [tenantId, date]);
  }

  /** Records that a patient (by key) appeared on `date`; the first appearance stays. */
  seePatient(tenantId: string, patientKey: string, date: string): void {
    const patients = this.table('wh_dim_patient');
    if (patients.get([tenantId, patientKey]) === undefined) {
      patients.insert({
        tenant_id: tenantId,
        patient_key: patientKey,
        registered_date: null,
        first_seen_date: date,
      });
    }
    this.ensureDates(tenantId, [date]);
  }

  async flush(sql: Sql): Promise<void> {
    for (const buffer of this.buffers.values()) await buffer.flush(sql);
    if (this.dates.size === 0) return;
    const pairs = [...this.dates.values()];
    this.dates.clear();
    await sql.query(
      `insert into ${this.names.wh_dim_date} (tenant_id, date_key, year, quarter, month, day_of_month, iso_year,
          iso_week, iso_weekday, is_weekend)
        select t, d, extract(year from d), extract(quarter from d), extract(month from d), extract(day from d),
          extract(isoyear from d), extract(week from d), extract(isodow from d), extract(isodow from d) >= 6
        from unnest($1::text[], $2::date[]) as u(t, d)
        on conflict (tenant_id, date_key) do nothing`,
      [pairs.map(([tenantId]) => tenantId), pairs.map(([, date]) => date)],
    );
  }
}

/** `tenant_id` and each `name type …` of a spec's column list. */
function columnTypes(columns: string): Record<string, ColumnType> {
  const types: Record<string, ColumnType> = { tenant_id: 'text' };
  for (const definition of columns.split(',')) {
    const [, name, type] = /^\s*(\w+)\s+(text\[\]|\w+)/.exec(definition) ?? [];
    if (name === undefined) continue;
    types[name] = type as ColumnType;
  }
  return types;
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`), as `to::date - from::date` counts them. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Whole minutes from `from` to `to`, rounded down (null if either is unknown), as SQL's floor(epoch / 60). */
export function minutesBetween(from: unknown, to: unknown): number | null {
  if (from === null || from === undefined || to === null || to === undefined) return null;
  const ms = new Date(to as string | Date).getTime() - new Date(from as string | Date).getTime();
  return Math.floor(ms / 60_000);
}
