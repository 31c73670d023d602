/**
 * Bulk loads into a table without its indexes: PostgreSQL builds an index over a full table (one sort) far
 * faster than it maintains it row by row. The primary key and unique constraints are dropped and added back
 * by their definitions, the other indexes by theirs, all in the caller's transaction — so a failure leaves the
 * table as it was.
 */
import type { Sql } from '../store/engines/engine.ts';

export async function loadWithoutIndexes<T>(sql: Sql, table: string, load: () => Promise<T>): Promise<T> {
  const { rows: constraints } = await sql.query<{ name: string; definition: string }>(
    `select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint
      where conrelid = $1::regclass and contype in ('p', 'u') order by conname`,
    [table],
  );
  const { rows: indexes } = await sql.query<{ name: string; definition: string }>(
    `select c.relname as name, pg_get_indexdef(i.indexrelid) as definition
      from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid = $1::regclass
        and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
      order by c.relname`,
    [table],
  );
  const schema = table.includes('.') ? `${table.slice(0, table.indexOf('.'))}.` : '';
  for (const { name } of constraints) await sql.query(`alter table ${table} drop constraint ${quoted(name)}`);
  for (const { name } of indexes) await sql.query(`drop index ${schema}${quoted(name)}`);
  const result = await load();
  for (const { name, definition } of constraints) {
    await sql.query(`alter table ${table} add constraint ${quoted(name)} ${definition}`);
  }
  for (const { definition } of indexes) await sql.query(definition);
  return result;
}

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
