/**
 * The difference between a rebuilt model and the live one, table by table: rows added, removed and changed,
 * matched on each table's primary key (on the whole row when it has none), with the keys of the first few.
 */
import type { Sql } from '../store/engines/engine.ts';
import { quoteIdentifier } from '../store/engines/pooled-engine.ts';
import type { JsonValue } from '../shared/canonical-json.ts';
import type { Projection, TableNames } from '../projections/projection.ts';
import { tableOf } from '../projections/table-names.ts';
import { scopeCondition, type RowScope } from './replay-slice.ts';
import { fixRowTextSettings } from './row-text.ts';

export interface TableDiff {
  readonly table: string;
  /** The primary key's columns, or [] when rows are matched on their whole content. */
  readonly keyColumns: readonly string[];
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  /** Keys (values of keyColumns, or the row hash) of up to `maxKeys` rows of each kind. */
  readonly keys: {
    readonly added: readonly JsonValue[];
    readonly removed: readonly JsonValue[];
    readonly changed: readonly JsonValue[];
  };
}

type Change = 'added' | 'removed' | 'changed';

export function isEmptyDiff(diffs: readonly TableDiff[]): boolean {
  return diffs.every((diff) => diff.added === 0 && diff.removed === 0 && diff.changed === 0);
}

/** Compares `rebuilt` (the "after") with `live` (the "before") over the rows in `scope`. Call inside a transaction. */
export async function diffTables(
  tx: Sql,
  projection: Projection,
  live: TableNames,
  rebuilt: TableNames,
  scope: RowScope,
  maxKeys = 20,
): Promise<TableDiff[]> {
  await fixRowTextSettings(tx);
  const result: TableDiff[] = [];
  for (const logical of projection.tables) {
    const liveTable = tableOf(live, logical);
    const rebuiltTable = tableOf(rebuilt, logical);
    const keyColumns = await primaryKeyColumns(tx, rebuiltTable);
    const key =
      keyColumns.length > 0
        ? `jsonb_build_array(${keyColumns.map((column) => `t.${quoteIdentifier(column)}`).join(', ')})`
        : 'to_jsonb(md5(t::text))';
    const where = scopeCondition(scope, 't', 2);
    const { rows } = await tx.query<{ change: Change; n: number; k: JsonValue }>(
      `with r as (select ${key} as k, md5(t::text) as h from ${rebuiltTable} t where ${where.sql}),
            l as (select ${key} as k, md5(t::text) as h from ${liveTable} t where ${where.sql}),
            d as (
              select coalesce(r.k, l.k) as k,
                case when l.k is null then 'added' when r.k is null then 'removed' else 'changed' end as change
              from r full join l on r.k = l.k
              where r.h is distinct from l.h),
            ranked as (
              select change, k, row_number() over (partition by change order by k) as rn,
                count(*) over (partition by change) as n
              from d)
        select change, n::int as n, k from ranked where rn <= $1 order by change, rn`,
      [maxKeys, ...where.params],
    );
    const of = (change: Change) => rows.filter((row) => row.change === change);
    result.push({
      table: logical,
      keyColumns,
      added: of('added')[0]?.n ?? 0,
      removed: of('removed')[0]?.n ?? 0,
      changed: of('changed')[0]?.n ?? 0,
      keys: {
        added: of('added').map((row) => row.k),
        removed: of('removed').map((row) => row.k),
        changed: of('changed').map((row) => row.k),
      },
    });
  }
  return result;
}

async function primaryKeyColumns(tx: Sql, table: string): Promise<string[]> {
  const { rows } = await tx.query<{ column: string }>(
    `select a.attname::text as column
      from pg_index i
      join lateral unnest(i.indkey::int2[]) with ordinality as k(attnum, ord) on true
      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
      where i.indrelid = $1::regclass and i.indisprimary
      order by k.ord`,
    [table],
  );
  return rows.map((row) => row.column);
}
