/**
 * One read-model table while a batch of events is applied: the rows the batch may touch are loaded with one
 * statement (by key, or by a leading part of the key), changed in memory with the meaning of the SQL they
 * replace — an insert of an existing key fails, an update or delete of an absent row does nothing — and
 * written back with at most three multi-row statements (deletes, updates, inserts). A batch then costs a few
 * round trips per table instead of one or more per event.
 * On a table a replay holds in memory (ResidentTable), the rows are that table's: nothing is loaded or
 * written per batch.
 */
import { MyMedicError } from '../../../shared/errors.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import { toSafeInteger } from '../../../store/event-row.ts';
import { KEY_SEPARATOR as SEPARATOR, residentTable, type ResidentTable } from './resident-table.ts';
import {
  deleteKeys,
  elementType,
  insertRows,
  updateRows,
  type ColumnType,
  type Row,
  type TableShape,
} from './table-statements.ts';

export type { ColumnType, Row } from './table-statements.ts';

export class RowBuffer<R extends Row> {
  /** The rows as they are now, by key (unless resident). */
  private readonly rows = new Map<string, R>();
  private readonly resident: ResidentTable | undefined;
  private readonly shape: TableShape<R>;
  /** Keys the table held when they were loaded (or last written). */
  private readonly stored = new Set<string>();
  private readonly changed = new Set<string>();
  /** Loaded key prefixes: `${length}:${prefix}`. */
  private readonly loaded = new Set<string>();
  /** The key values of rows deleted since the last flush. */
  private readonly deletedKeys = new Map<string, readonly unknown[]>();

  /**
   * @param columns every column, with its type (the order of the table's DDL is not needed)
   * @param key the primary key's columns, in order
   */
  constructor(
    private readonly table: string,
    private readonly columns: Readonly<Record<keyof R & string, ColumnType>>,
    private readonly key: readonly (keyof R & string)[],
  ) {
    this.shape = { table, columns, key };
    this.resident = residentTable(table);
    this.resident?.describe(this.shape as TableShape<Row>);
  }

  /**
   * Loads every row whose first `prefixes[i].length` key columns equal the given values (all prefixes of one
   * call have the same length). Prefixes loaded before are not asked for again.
   */
  async load(sql: Sql, prefixes: readonly (readonly unknown[])[]): Promise<void> {
    if (this.resident) return;
    const length = prefixes[0]?.length ?? 0;
    const wanted = new Map<string, readonly unknown[]>();
    for (const prefix of prefixes) {
      const id = `${length}:${this.keyText(prefix)}`;
      if (!this.loaded.has(id)) wanted.set(id, prefix);
    }
    if (wanted.size === 0) return;
    const by = this.key.slice(0, length);
    const names = Object.keys(this.columns);
    const { rows } = await sql.query<R>(
      `select ${names.map((name) => this.selected(name)).join(', ')} from ${this.table} t
        join unnest(${by.map((column, i) => `$${i + 1}::${elementType(this.columns[column])}[]`).join(', ')})
          as k(${by.join(', ')}) on ${by.map((column) => `t.${column} = k.${column}`).join(' and ')}`,
      by.map((_, i) => [...wanted.values()].map((prefix) => prefix[i])),
    );
    for (const id of wanted.keys()) this.loaded.add(id);
    for (const row of rows.map((loaded) => this.fromDatabase(loaded))) {
      const key = this.keyOf(row);
      // A row changed in memory since an earlier load of another prefix keeps its changes.
      if (this.changed.has(key)) continue;
      this.rows.set(key, row);
      this.stored.add(key);
    }
  }

  /**
   * Loads the rows whose `columns` (outside the key, e.g. an indexed reference) equal one of `tuples`; each
   * row found counts as loaded by its key. Rows that match in memory only are found by `filter`.
   */
  async loadBy(
    sql: Sql,
    columns: readonly (keyof R & string)[],
    tuples: readonly (readonly unknown[])[],
  ): Promise<void> {
    if (tuples.length === 0 || this.resident) return;
    const names = Object.keys(this.columns);
    const { rows } = await sql.query<R>(
      `select ${names.map((name) => this.selected(name)).join(', ')} from ${this.table} t
        join unnest(${columns.map((column, i) => `$${i + 1}::${elementType(this.columns[column])}[]`).join(', ')})
          as k(${columns.join(', ')}) on ${columns.map((column) => `t.${column} = k.${column}`).join(' and ')}`,
      columns.map((_, i) => tuples.map((tuple) => tuple[i])),
    );
    for (const row of rows.map((loaded) => this.fromDatabase(loaded))) {
      const key = this.keyOf(row);
      this.loaded.add(`${this.key.length}:${key}`);
      if (this.changed.has(key)) continue;
      this.rows.set(key, row);
      this.stored.add(key);
    }
  }

  /** The rows held now (loaded or written in this batch) that pass `test`. */
  filter(test: (row: R) => boolean): R[] {
    return [...((this.resident?.values() as IterableIterator<R> | undefined) ?? this.rows.values())].filter(
      test,
    );
  }

  /** The row with this key, if any; its key (or a prefix of it) must have been loaded. */
  get(key: readonly unknown[]): R | undefined {
    this.requireLoaded(key);
    const text = this.keyText(key);
    return (this.resident?.get(text) as R | undefined) ?? this.rows.get(text);
  }

  /** Rows whose key starts with `prefix`, which must have been loaded (or a shorter prefix of it). */
  where(prefix: readonly unknown[]): R[] {
    this.requireLoaded(prefix);
    const text = this.keyText(prefix);
    if (this.resident) return this.resident.under(text, prefix.length) as R[];
    const within = text + SEPARATOR;
    return [...this.rows.entries()]
      .filter(([key]) => key === text || key.startsWith(within))
      .map(([, row]) => row);
  }

  /** Like INSERT: fails when the key is taken. */
  insert(row: R): void {
    const key = this.keyOf(row);
    this.requireLoaded(this.key.map((column) => row[column]));
    if (this.resident?.has(key) ?? this.rows.has(key)) {
      throw new MyMedicError('READ_MODEL_DUPLICATE_ROW', `${this.table} already has a row with key ${key}`, {
        table: this.table,
      });
    }
    this.set(key, row);
  }

  /** Like UPDATE … WHERE key = …: changes the row if there is one; says whether there was. */
  update(key: readonly unknown[], changes: Partial<R>): boolean {
    const row = this.get(key);
    if (row === undefined) return false;
    this.set(this.keyText(key), { ...row, ...changes });
    return true;
  }

  /** Like DELETE … WHERE key = …. */
  delete(key: readonly unknown[]): void {
    this.requireLoaded(key);
    const text = this.keyText(key);
    if (this.resident) {
      this.resident.delete(text);
      return;
    }
    const row = this.rows.get(text);
    if (row === undefined) return;
    this.deletedKeys.set(
      text,
      this.key.map((column) => row[column]),
    );
    this.rows.delete(text);
    this.changed.add(text);
  }

  /** Writes the changes: deletes of rows gone, updates of rows stored before, inserts of new ones. */
  async flush(sql: Sql): Promise<void> {
    if (this.resident) return;
    const deleted: string[] = [];
    const updated: R[] = [];
    const inserted: R[] = [];
    for (const key of this.changed) {
      const row = this.rows.get(key);
      if (row === undefined) {
        if (this.stored.has(key)) deleted.push(key);
      } else if (this.stored.has(key)) updated.push(row);
      else inserted.push(row);
    }
    this.changed.clear();
    if (deleted.length > 0) {
      await deleteKeys(
        sql,
        this.shape,
        deleted.map((key) => this.deletedKeys.get(key) as readonly unknown[]),
      );
    }
    if (updated.length > 0) await updateRows(sql, this.shape, updated);
    if (inserted.length > 0) await insertRows(sql, this.shape, inserted);
    for (const key of deleted) this.stored.delete(key);
    this.deletedKeys.clear();
    for (const row of inserted) this.stored.add(this.keyOf(row));
  }

  private set(key: string, row: R): void {
    if (this.resident) {
      this.resident.set(key, row);
      return;
    }
    this.rows.set(key, row);
    this.changed.add(key);
  }

  /** Dates and bigints are read as text, so they reach memory as `YYYY-MM-DD` and as exact numbers. */
  private selected(name: keyof R & string): string {
    const type = this.columns[name];
    return type === 'date' || type === 'bigint' ? `t.${name}::text as ${name}` : `t.${name}`;
  }

  private fromDatabase(row: R): R {
    const bigints = (Object.keys(this.columns) as (keyof R & string)[]).filter(
      (name) => this.columns[name] === 'bigint' && row[name] !== null,
    );
    if (bigints.length === 0) return row;
    return {
      ...row,
      ...Object.fromEntries(bigints.map((name) => [name, toSafeInteger(row[name] as string)])),
    };
  }

  private keyOf(row: R): string {
    return this.keyText(this.key.map((column) => row[column]));
  }

  /** Key values joined in one string; instants as epoch milliseconds, so a Date and its ISO text are one key. */
  private keyText(values: readonly unknown[]): string {
    let text = '';
    for (let i = 0; i < values.length; i++) {
      if (i > 0) text += SEPARATOR;
      text += this.keyPart(i, values[i]);
    }
    return text;
  }

  private keyPart(index: number, value: unknown): string {
    if (this.columns[this.key[index] as keyof R & string] === 'timestamptz') return `t${instantOf(value)}`;
    if (typeof value === 'string' && !value.includes(SEPARATOR)) return `s${value}`;
    return `j${JSON.stringify(value)}`;
  }

  private requireLoaded(key: readonly unknown[]): void {
    if (this.resident) return;
    let prefix = '';
    for (let length = 1; length <= key.length; length++) {
      prefix += (length > 1 ? SEPARATOR : '') + this.keyPart(length - 1, key[length - 1]);
      if (this.loaded.has(`${length}:${prefix}`)) return;
    }
    throw new MyMedicError(
      'READ_MODEL_ROWS_NOT_LOADED',
      `${this.table}: rows for ${prefix} were not loaded`,
      {
        table: this.table,
      },
    );
  }
}

function instantOf(value: unknown): number {
  return value instanceof Date ? value.getTime() : Date.parse(String(value));
}
