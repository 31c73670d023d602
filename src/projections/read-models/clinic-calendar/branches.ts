/** The clinic calendar's branches table: each branch's name and whether it still takes bookings. */
import { branchAdded, branchRemoved } from '../../../domain/branch/events.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import { payloadOf } from '../shared/event-payload.ts';
import { RowBuffer, type Row } from '../shared/row-buffer.ts';

export const BRANCH_EVENT_TYPES = [branchAdded.type, branchRemoved.type] as const;

export interface CalendarBranch {
  readonly name: string;
  /** removed: takes no new bookings; existing ones stay on the calendar. */
  readonly status: 'active' | 'removed';
}

export function branchesDdl(table: string): string {
  return `create table ${table} (
    tenant_id text not null,
    branch_id text not null,
    name text not null,
    status text not null,
    primary key (tenant_id, branch_id)
  );`;
}

/** A row of the branches table, as applied in memory (schedule-batch.ts). */
export interface BranchRecord extends Row {
  readonly tenant_id: string;
  readonly branch_id: string;
  readonly name: string;
  readonly status: CalendarBranch['status'];
}

export function branchRows(table: string): RowBuffer<BranchRecord> {
  return new RowBuffer<BranchRecord>(
    table,
    { tenant_id: 'text', branch_id: 'text', name: 'text', status: 'text' },
    ['tenant_id', 'branch_id'],
  );
}

/** The branch an event writes: the key to load. */
export function branchKeyOf(event: RecordedEvent): readonly unknown[] | undefined {
  if (!(BRANCH_EVENT_TYPES as readonly string[]).includes(event.eventType)) return undefined;
  return [event.tenantId, (event.payload as { branchId: string }).branchId];
}

export function applyToBranches(event: RecordedEvent, rows: RowBuffer<BranchRecord>): void {
  if (event.eventType === branchAdded.type) {
    const { branchId, name } = payloadOf(event, branchAdded);
    rows.insert({ tenant_id: event.tenantId, branch_id: branchId, name, status: 'active' });
  } else if (event.eventType === branchRemoved.type) {
    rows.update([event.tenantId, payloadOf(event, branchRemoved).branchId], { status: 'removed' });
  }
}

export async function selectBranch(
  sql: Sql,
  table: string,
  tenantId: string,
  branchId: string,
): Promise<CalendarBranch | null> {
  const { rows } = await sql.query<CalendarBranch>(
    `select name, status from ${table} where tenant_id = $1 and branch_id = $2`,
    [tenantId, branchId],
  );
  return rows[0] ?? null;
}
