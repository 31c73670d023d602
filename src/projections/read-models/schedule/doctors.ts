/**
 * A schedule's doctors table: each doctor's name and the time zone their availability and slot dates are written
 * in. The zone decides on which local date a walk-in or a block falls.
 */
import { doctorOnboarded } from '../../../domain/doctor/events.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import { payloadOf } from '../shared/event-payload.ts';
import { RowBuffer, type Row } from '../shared/row-buffer.ts';

export const DOCTOR_EVENT_TYPES = [doctorOnboarded.type] as const;

export interface ScheduleDoctor {
  readonly doctorId: string;
  readonly name: string;
  readonly timeZone: string;
}

export function doctorsDdl(table: string): string {
  return `create table ${table} (
    tenant_id text not null,
    doctor_id text not null,
    name text not null,
    time_zone text not null,
    primary key (tenant_id, doctor_id)
  );`;
}

/** A row of the doctors table, as applied in memory (schedule-batch.ts). */
export interface DoctorRecord extends Row {
  readonly tenant_id: string;
  readonly doctor_id: string;
  readonly name: string;
  readonly time_zone: string;
}

export function doctorRows(table: string): RowBuffer<DoctorRecord> {
  return new RowBuffer<DoctorRecord>(
    table,
    { tenant_id: 'text', doctor_id: 'text', name: 'text', time_zone: 'text' },
    ['tenant_id', 'doctor_id'],
  );
}

/** The doctor an onboarding writes: the key to load. */
export function doctorKeyOf(event: RecordedEvent): readonly unknown[] | undefined {
  if (event.eventType !== doctorOnboarded.type) return undefined;
  return [event.tenantId, payloadOf(event, doctorOnboarded).doctorId];
}

export function applyToDoctors(event: RecordedEvent, rows: RowBuffer<DoctorRecord>): void {
  if (event.eventType !== doctorOnboarded.type) return;
  const { doctorId, name, timeZone } = payloadOf(event, doctorOnboarded);
  rows.insert({ tenant_id: event.tenantId, doctor_id: doctorId, name, time_zone: timeZone });
}

export async function selectDoctors(
  sql: Sql,
  table: string,
  tenantId: string,
  doctorIds: readonly string[],
): Promise<Map<string, ScheduleDoctor>> {
  const { rows } = await sql.query<{ doctor_id: string; name: string; time_zone: string }>(
    `select doctor_id, name, time_zone from ${table} where tenant_id = $1 and doctor_id = any($2::text[])`,
    [tenantId, doctorIds],
  );
  return new Map(
    rows.map((row) => [row.doctor_id, { doctorId: row.doctor_id, name: row.name, timeZone: row.time_zone }]),
  );
}
