/** The concrete names of a read model's logical tables, checked once and typed by logical name. */
import type { TableNames } from '../../projection.ts';
import { tableOf } from '../../table-names.ts';

export function tableSet<const L extends readonly string[]>(
  logical: L,
  tables: TableNames,
): Readonly<Record<L[number], string>> {
  return Object.fromEntries(logical.map((name) => [name, tableOf(tables, name)])) as Record<
    L[number],
    string
  >;
}
