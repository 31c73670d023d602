/**
 * One read-model table while a batch of events is applied: the rows the batch may touch are loaded with one
 * statement (by key, or by a leading part of the key), changed in memory with the meaning of the SQL they
 * replace — an insert of an existing key fails, an update or delete of an absent row does nothing — and
 * written back with at most three multi-row statements (deletes, updates, inserts). A batch then costs a few
 * round trips per table instead of one or more per event.
 */
import { MyMedicError } from '../../../shared/errors.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import { toSafeInteger } from '../../../store/event-row.ts';

export type ColumnType = 'text' | 'integer' | 'bigint' | 'boolean' | 'timestamptz' | 'date' | 'text[]';

/**
 * A row in memory: timestamptz as Date (or ISO text), date as `YYYY-MM-DD` text, bigint as a number (money in
 * minor units fits exactly), text[] as an array, the rest as node-postgres returns them.
 */
export type Row = Readonly<Record<string, unknown>>;

export class RowBuffer<R extends Row> {
  /** The rows as they are now, by key. */
  private readonly rows = new Map<string, R>();
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
  ) {}

  /**
   * Loads every row whose first `prefixes[i].length` key columns equal the given values (all prefixes of one
   * call have the same length). Prefixes loaded before are not asked for again.
   */
  async load(sql: Sql, prefixes: readonly (readonly unknown[])[]): Promise<void> {
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
    if (tuples.length === 0) return;
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
    return [...this.rows.values()].filter(test);
  }

  /** The row with this key, if any; its key (or a prefix of it) must have been loaded. */
  get(key: readonly unknown[]): R | undefined {
    this.requireLoaded(key);
    return this.rows.get(this.keyText(key));
  }

  /** Rows whose key starts with `prefix`, which must have been loaded (or a shorter prefix of it). */
  where(prefix: readonly unknown[]): R[] {
    this.requireLoaded(prefix);
    const text = this.keyText(prefix);
    const within = text + SEPARATOR;
    return [...this.rows.entries()]
      .filter(([key]) => key === text || key.startsWith(within))
      .map(([, row]) => row);
  }

  /** Like INSERT: fails when the key is taken. */
  insert(row: R): void {
    const key = this.keyOf(row);
    this.requireLoaded(this.key.map((column) => row[column]));
    if (this.rows.has(key)) {
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
    if (deleted.length > 0) await this.deleteKeys(sql, deleted);
    if (updated.length > 0) await this.updateRows(sql, updated);
    if (inserted.length > 0) await this.insertRows(sql, inserted);
    for (const key of deleted) this.stored.delete(key);
    this.deletedKeys.clear();
    for (const row of inserted) this.stored.add(this.keyOf(row));
  }

  private set(key: string, row: R): void {
    this.rows.set(key, row);
    this.changed.add(key);
  }

  private async deleteKeys(sql: Sql, keys: readonly string[]): Promise<void> {
    const tuples = keys.map((key) => this.deletedKeys.get(key) as readonly unknown[]);
    await sql.query(
      `delete from ${this.table} t using unnest(${this.key
        .map((column, i) => `$${i + 1}::${elementType(this.columns[column])}[]`)
        .join(', ')}) as k(${this.key.join(', ')})
        where ${this.key.map((column) => `t.${column} = k.${column}`).join(' and ')}`,
      this.key.map((_, i) => tuples.map((tuple) => tuple[i])),
    );
  }

  private async updateRows(sql: Sql, rows: readonly R[]): Promise<void> {
    const names = Object.keys(this.columns) as (keyof R & string)[];
    const values = names.filter((name) => !this.key.includes(name));
    await sql.query(
      `update ${this.table} t set ${values.map((name) => `${name} = ${this.valueOf(name)}`).join(', ')}
        from unnest(${this.arrayParams(names)}) as u(${names.join(', ')})
        where ${this.key.map((column) => `t.${column} = u.${column}`).join(' and ')}`,
      this.arrays(names, rows),
    );
  }

  private async insertRows(sql: Sql, rows: readonly R[]): Promise<void> {
    const names = Object.keys(this.columns) as (keyof R & string)[];
    await sql.query(
      `insert into ${this.table} (${names.join(', ')})
        select ${names.map((name) => this.valueOf(name)).join(', ')}
        from unnest(${this.arrayParams(names)}) as u(${names.join(', ')})`,
      this.arrays(names, rows),
    );
  }

  /** One array parameter per column; a text[] value travels as its array literal (unnest would flatten it). */
  private arrays(names: readonly (keyof R & string)[], rows: readonly R[]): unknown[][] {
    return names.map((name) =>
      rows.map((row) => {
        const value = row[name] ?? null;
        return this.columns[name] === 'text[]' && value !== null
          ? arrayLiteral(value as readonly string[])
          : value;
      }),
    );
  }

  private arrayParams(names: readonly (keyof R & string)[]): string {
    return names.map((name, i) => `$${i + 1}::${elementType(this.columns[name])}[]`).join(', ');
  }

  private valueOf(name: keyof R & string): string {
    return this.columns[name] === 'text[]' ? `u.${name}::text[]` : `u.${name}`;
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

/** Between the parts of a key's text; a value containing it is written as JSON instead. */
const SEPARATOR = '\u0001';

function elementType(type: ColumnType): string {
  return type === 'text[]' ? 'text' : type;
}

/** A PostgreSQL array literal of text values, every element quoted. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}

function instantOf(value: unknown): number {
  return value instanceof Date ? value.getTime() : Date.parse(String(value));
}
