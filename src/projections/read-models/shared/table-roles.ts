/**
 * A read model names each of its tables by the role it plays (`appointments`, `visits`, ...); the runtime hands
 * apply and the queries concrete names (live or shadow) keyed by logical name. This maps one onto the other.
 */
import type { TableNames } from '../../projection.ts';
import { tableOf } from '../../table-names.ts';

export function tablesByRole<R extends string>(
  roles: Readonly<Record<R, string>>,
  tables: TableNames,
): Readonly<Record<R, string>> {
  const entries = (Object.entries(roles) as [R, string][]).map(([role, logical]) => [
    role,
    tableOf(tables, logical),
  ]);
  return Object.fromEntries(entries) as Record<R, string>;
}
