/**
 * Which events a replay reads and what it may do with the result. Full, tenant and branch replays rebuild
 * (part of) the live model and may swap into it; aggregate, stream and time-window slices are forensic: they
 * build a model from only those events, which is never the live model, so they are reported, never swapped.
 */
import { ValidationError } from '../shared/errors.ts';
import type { Projection } from '../projections/projection.ts';

export interface ReplaySlice {
  readonly tenantId?: string;
  /** Needs `tenantId` and the projection's `sliceColumns.branch`. */
  readonly branchId?: string;
  readonly aggregateType?: string;
  /** The aggregate id of one stream; needs `tenantId` (streams are per tenant). */
  readonly aggregateId?: string;
  /** Time window [from, to) on `timeField`. */
  readonly from?: Date;
  readonly to?: Date;
  /** recorded_at (commit time, default) or occurred_at (business time). */
  readonly timeField?: 'recorded' | 'occurred';
}

export type ReplayKind = 'full' | 'tenant' | 'branch' | 'forensic';

/** The rows a slice owns in every table of the projection. */
export interface RowScope {
  readonly tenantId?: string;
  readonly branch?: { readonly column: string; readonly value: string };
}

/** @throws ValidationError when the slice is not one this projection supports. */
export function classifySlice(projection: Projection, slice: ReplaySlice = {}): ReplayKind {
  const { tenantId, branchId, aggregateType, aggregateId, from, to } = slice;
  for (const [field, date] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (date !== undefined && (!(date instanceof Date) || Number.isNaN(date.getTime()))) {
      throw new ValidationError(`slice.${field}`, 'must be a valid date');
    }
  }
  if (from && to && from >= to) throw new ValidationError('slice.to', 'must be after from');
  if (branchId !== undefined && tenantId === undefined) {
    throw new ValidationError('slice.branchId', 'a branch replay needs its tenant');
  }
  if (aggregateId !== undefined && tenantId === undefined) {
    throw new ValidationError('slice.aggregateId', 'a stream replay needs its tenant');
  }
  if (aggregateType !== undefined || aggregateId !== undefined || from !== undefined || to !== undefined) {
    return 'forensic';
  }
  if (branchId !== undefined) {
    if (!projection.sliceColumns?.branch) {
      throw new ValidationError('slice.branchId', `${projection.name} declares no branch column`);
    }
    return 'branch';
  }
  return tenantId !== undefined ? 'tenant' : 'full';
}

export function rowScopeOf(projection: Projection, slice: ReplaySlice = {}): RowScope {
  const column = projection.sliceColumns?.branch;
  return {
    ...(slice.tenantId !== undefined ? { tenantId: slice.tenantId } : {}),
    ...(slice.branchId !== undefined && column ? { branch: { column, value: slice.branchId } } : {}),
  };
}

/** `where` text for a row scope, with its parameters numbered from `firstParam`. */
export function scopeCondition(
  scope: RowScope,
  alias: string,
  firstParam = 1,
): { sql: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (scope.tenantId !== undefined) {
    params.push(scope.tenantId);
    conditions.push(`${alias}.tenant_id = $${firstParam + params.length - 1}`);
  }
  if (scope.branch) {
    params.push(scope.branch.value);
    conditions.push(`${alias}.${scope.branch.column} = $${firstParam + params.length - 1}`);
  }
  return { sql: conditions.length === 0 ? 'true' : conditions.join(' and '), params };
}
