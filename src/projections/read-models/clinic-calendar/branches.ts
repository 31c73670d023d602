/** The clinic calendar's branches table: each branch's name and whether it still takes bookings. */
import { branchAdded, branchRemoved } from '../../../domain/branch/events.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import { payloadOf } from '../shared/event-payload.ts';

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

export async function applyToBranches(event: RecordedEvent, tx: Sql, table: string): Promise<void> {
  if (event.eventType === branchAdded.type) {
    const { branchId, name } = payloadOf(event, branchAdded);
    await tx.query(
      `insert into ${table} (tenant_id, branch_id, name, status) values ($1, $2, $3, 'active')`,
      [event.tenantId, branchId, name],
    );
  } else if (event.eventType === branchRemoved.type) {
    await tx.query(`update ${table} set status = 'removed' where tenant_id = $1 and branch_id = $2`, [
      event.tenantId,
      payloadOf(event, branchRemoved).branchId,
    ]);
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
