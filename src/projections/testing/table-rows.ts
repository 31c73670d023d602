/** Test helper: a table's rows as text, sorted, so two states of a model compare byte for byte. */
import type { Sql } from '../../store/engines/engine.ts';

export async function tableRows(sql: Sql, table: string, tenantIds?: readonly string[]): Promise<string[]> {
  const { rows } = await sql.query<{ row: string }>(
    `select t::text as row from ${table} t where $1::text[] is null or t.tenant_id = any($1) order by 1`,
    [tenantIds ?? null],
  );
  return rows.map((row) => row.row);
}
