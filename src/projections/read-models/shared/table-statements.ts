/**
 * The multi-row statements a read-model table is written with: each takes a whole set of rows (or keys) as one
 * array parameter per column, so writing a thousand rows costs one round trip.
 */
import type { Sql } from '../../../store/engines/engine.ts';

export type ColumnType = 'text' | 'integer' | 'bigint' | 'boolean' | 'timestamptz' | 'date' | 'text[]';

/**
 * A row in memory: timestamptz as Date (or ISO text), date as `YYYY-MM-DD` text, bigint as a number (money in
 * minor units fits exactly), text[] as an array, the rest as node-postgres returns them.
 */
export type Row = Readonly<Record<string, unknown>>;

/** A table's name, every column with its type (the order of the table's DDL is not needed), and its key. */
export interface TableShape<R extends Row> {
  readonly table: string;
  readonly columns: Readonly<Record<keyof R & string, ColumnType>>;
  readonly key: readonly (keyof R & string)[];
}

export async function insertRows<R extends Row>(
  sql: Sql,
  shape: TableShape<R>,
  rows: readonly R[],
): Promise<void> {
  const names = columnNames(shape);
  await sql.query(
    `insert into ${shape.table} (${names.join(', ')})
      select ${names.map((name) => valueOf(shape, name)).join(', ')}
      from unnest(${arrayParams(shape, names)}) as u(${names.join(', ')})`,
    arrays(shape, names, rows),
  );
}

/**
 * Like insertRows, for many rows: they travel as one JSON text (serialised natively, where array parameters
 * are escaped value by value in JavaScript) that the server turns into rows of the table's own type.
 */
export async function insertRowsAsJson<R extends Row>(
  sql: Sql,
  shape: TableShape<R>,
  rows: readonly R[],
): Promise<void> {
  const names = columnNames(shape).join(', ');
  await sql.query(
    `insert into ${shape.table} (${names})
      select ${names} from json_populate_recordset(null::${shape.table}, $1::json)`,
    [JSON.stringify(rows)],
  );
}

export async function updateRows<R extends Row>(
  sql: Sql,
  shape: TableShape<R>,
  rows: readonly R[],
): Promise<void> {
  const names = columnNames(shape);
  const values = names.filter((name) => !shape.key.includes(name));
  await sql.query(
    `update ${shape.table} t set ${values.map((name) => `${name} = ${valueOf(shape, name)}`).join(', ')}
      from unnest(${arrayParams(shape, names)}) as u(${names.join(', ')})
      where ${shape.key.map((column) => `t.${column} = u.${column}`).join(' and ')}`,
    arrays(shape, names, rows),
  );
}

/** Deletes the rows with these keys (each the key's values, in the key's order). */
export async function deleteKeys<R extends Row>(
  sql: Sql,
  shape: TableShape<R>,
  keys: readonly (readonly unknown[])[],
): Promise<void> {
  await sql.query(
    `delete from ${shape.table} t using unnest(${shape.key
      .map((column, i) => `$${i + 1}::${elementType(shape.columns[column])}[]`)
      .join(', ')}) as k(${shape.key.join(', ')})
      where ${shape.key.map((column) => `t.${column} = k.${column}`).join(' and ')}`,
    shape.key.map((_, i) => keys.map((key) => key[i])),
  );
}

export function elementType(type: ColumnType): string {
  return type === 'text[]' ? 'text' : type;
}

function columnNames<R extends Row>(shape: TableShape<R>): (keyof R & string)[] {
  return Object.keys(shape.columns) as (keyof R & string)[];
}

/** One array parameter per column; a text[] value travels as its array literal (unnest would flatten it). */
function arrays<R extends Row>(
  shape: TableShape<R>,
  names: readonly (keyof R & string)[],
  rows: readonly R[],
): unknown[][] {
  return names.map((name) =>
    rows.map((row) => {
      const value = row[name] ?? null;
      return shape.columns[name] === 'text[]' && value !== null
        ? arrayLiteral(value as readonly string[])
        : value;
    }),
  );
}

function arrayParams<R extends Row>(shape: TableShape<R>, names: readonly (keyof R & string)[]): string {
  return names.map((name, i) => `$${i + 1}::${elementType(shape.columns[name])}[]`).join(', ');
}

function valueOf<R extends Row>(shape: TableShape<R>, name: keyof R & string): string {
  return shape.columns[name] === 'text[]' ? `u.${name}::text[]` : `u.${name}`;
}

/** A PostgreSQL array literal of text values, every element quoted. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}
