/**
 * The doctor mobile's own fields on its schedule: a note flag and when the doctor saw the booking. Seed §7
 * allows last-write-wins for view models only, and these are the only fields of the view a device writes; no
 * event ever does. They live in `read.doctor_schedule_mobile` (a migration's table, not the projection's), so a
 * rebuild of the schedule drops none of them: the schedule query joins them by booking, before and after.
 *
 * Each field is a last-write-wins register on the device's clock: an update wins when its client timestamp is
 * newer than the stored one, and on equal timestamps the larger value wins (true over false, later over
 * earlier), so devices converge to one state whatever order their updates arrive in.
 */
import { MyMedicError, ValidationError } from '../../../shared/errors.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import type { TableNames } from '../../projection.ts';
import { liveTableNames } from '../../table-names.ts';
import { requireId, requireInstant, requireTenantId } from '../shared/query-input.ts';
import { isoOrNull } from '../shared/sql-values.ts';
import { doctorScheduleTables, doctorScheduleView } from './doctor-schedule-projection.ts';

export const MOBILE_FIELDS_TABLE = 'read.doctor_schedule_mobile';

/** How far a device clock may run ahead of the server's: a clock far in the future would win forever. */
export const MAX_CLIENT_CLOCK_LEAD_MS = 5 * 60_000;

export interface MobileFields {
  readonly noteFlag: boolean | null;
  readonly seenAt: string | null;
}

export type MobileField = keyof MobileFields;

export interface MobileUpdate {
  readonly tenantId: string;
  readonly doctorId: string;
  readonly bookingId: string;
  /** The fields to set (at least one); seenAt null clears it. */
  readonly fields: { readonly noteFlag?: boolean; readonly seenAt?: Date | null };
  /** When the device made the change, on its own clock. */
  readonly clientTimestamp: Date;
}

export interface MobileUpdateResult {
  /** The fields as stored after the update. */
  readonly fields: MobileFields;
  /** Fields this update set; the others given were superseded by a newer write. */
  readonly applied: readonly MobileField[];
  readonly superseded: readonly MobileField[];
}

/** The booking is not on this doctor's schedule (or the schedule has not caught up with it yet). */
export class ScheduleEntryNotFoundError extends MyMedicError {
  constructor(doctorId: string, bookingId: string) {
    super('NOT_FOUND', "no such booking on the doctor's schedule", {
      resource: 'doctor_schedule_entry',
      doctorId,
      bookingId,
    });
    this.name = 'ScheduleEntryNotFoundError';
  }
}

interface FieldColumns {
  readonly column: string;
  readonly clock: string;
  /** Orders values for the tie-break on equal clocks; null sorts lowest. */
  readonly rank: (alias: string) => string;
}

const COLUMNS: Readonly<Record<MobileField, FieldColumns>> = {
  noteFlag: { column: 'note_flag', clock: 'note_flag_clock', rank: (alias) => `${alias}.note_flag` },
  seenAt: {
    column: 'seen_at',
    clock: 'seen_at_clock',
    rank: (alias) => `coalesce(${alias}.seen_at, '-infinity'::timestamptz)`,
  },
};

function lastWriteWins({ column, clock, rank }: FieldColumns): string {
  const wins = `excluded.${clock} is not null
    and (m.${clock} is null or (excluded.${clock}, ${rank('excluded')}) > (m.${clock}, ${rank('m')}))`;
  return `${column} = case when ${wins} then excluded.${column} else m.${column} end,
    ${clock} = case when ${wins} then excluded.${clock} else m.${clock} end`;
}

const UPSERT = `insert into ${MOBILE_FIELDS_TABLE} as m
    (tenant_id, doctor_id, booking_id, note_flag, note_flag_clock, seen_at, seen_at_clock)
  values ($1, $2, $3, $4, $5, $6, $7)
  on conflict (tenant_id, doctor_id, booking_id) do update set
    ${lastWriteWins(COLUMNS.noteFlag)},
    ${lastWriteWins(COLUMNS.seenAt)}
  returning note_flag, note_flag_clock, seen_at, seen_at_clock`;

interface MobileRow {
  note_flag: boolean | null;
  note_flag_clock: Date | null;
  seen_at: Date | null;
  seen_at_clock: Date | null;
}

/**
 * Applies a device's update to its doctor's own fields of one booking, last write wins per field.
 *
 * @example
 * await applyMobileUpdate(sql, {
 *   tenantId, doctorId: 'dr-1', bookingId: 'bk-1',
 *   fields: { noteFlag: true }, clientTimestamp: new Date('2026-12-07T03:40:00Z'),
 * });
 * @throws ValidationError for bad input or a client clock more than MAX_CLIENT_CLOCK_LEAD_MS ahead of `now`.
 * @throws ScheduleEntryNotFoundError when the booking is not on the doctor's schedule.
 */
export async function applyMobileUpdate(
  sql: Sql,
  update: MobileUpdate,
  options: { readonly tables?: TableNames; readonly now?: Date } = {},
): Promise<MobileUpdateResult> {
  const tenantId = requireTenantId(update.tenantId);
  const doctorId = requireId(update.doctorId, 'doctorId');
  const bookingId = requireId(update.bookingId, 'bookingId');
  const clock = requireInstant(update.clientTimestamp, 'clientTimestamp');
  const now = options.now ?? new Date();
  if (clock.getTime() > now.getTime() + MAX_CLIENT_CLOCK_LEAD_MS) {
    throw new ValidationError('clientTimestamp', 'is ahead of the server clock', {
      serverTime: now.toISOString(),
    });
  }
  const given = givenFields(update.fields);
  const { appointments } = doctorScheduleTables(options.tables ?? liveTableNames(doctorScheduleView));
  const { rows: entries } = await sql.query(
    `select 1 from ${appointments} where tenant_id = $1 and doctor_id = $2 and booking_id = $3 limit 1`,
    [tenantId, doctorId, bookingId],
  );
  if (entries.length === 0) throw new ScheduleEntryNotFoundError(doctorId, bookingId);

  const { noteFlag, seenAt } = update.fields;
  const { rows } = await sql.query<MobileRow>(UPSERT, [
    tenantId,
    doctorId,
    bookingId,
    noteFlag ?? null,
    noteFlag === undefined ? null : clock,
    seenAt ?? null,
    seenAt === undefined ? null : clock,
  ]);
  const row = rows[0] as MobileRow;
  const kept = (field: MobileField): boolean => {
    const storedClock = field === 'noteFlag' ? row.note_flag_clock : row.seen_at_clock;
    const sameValue =
      field === 'noteFlag' ? row.note_flag === noteFlag : row.seen_at?.getTime() === seenAt?.getTime();
    return storedClock?.getTime() === clock.getTime() && sameValue;
  };
  return {
    fields: toMobileFields(row),
    applied: given.filter(kept),
    superseded: given.filter((field) => !kept(field)),
  };
}

function givenFields(fields: MobileUpdate['fields']): MobileField[] {
  if (typeof fields !== 'object' || fields === null) throw new ValidationError('fields', 'must be an object');
  const unknown = Object.keys(fields).filter((key) => !(key in COLUMNS));
  if (unknown.length > 0) throw new ValidationError(`fields.${unknown[0]}`, 'is not a mobile field');
  if (fields.noteFlag !== undefined && typeof fields.noteFlag !== 'boolean') {
    throw new ValidationError('fields.noteFlag', 'must be true or false');
  }
  if (fields.seenAt !== undefined && fields.seenAt !== null) requireInstant(fields.seenAt, 'fields.seenAt');
  const given = (Object.keys(COLUMNS) as MobileField[]).filter((field) => fields[field] !== undefined);
  if (given.length === 0) throw new ValidationError('fields', 'must set at least one field');
  return given;
}

/** The mobile fields of the doctor's bookings; bookings never touched by the device are absent. */
export async function selectMobileFields(
  sql: Sql,
  filter: { tenantId: string; doctorId: string; bookingIds: readonly string[] },
): Promise<Map<string, MobileFields>> {
  const { rows } = await sql.query<MobileRow & { booking_id: string }>(
    `select booking_id, note_flag, note_flag_clock, seen_at, seen_at_clock from ${MOBILE_FIELDS_TABLE}
      where tenant_id = $1 and doctor_id = $2 and booking_id = any($3::text[])`,
    [filter.tenantId, filter.doctorId, filter.bookingIds],
  );
  return new Map(rows.map((row) => [row.booking_id, toMobileFields(row)]));
}

export const NO_MOBILE_FIELDS: MobileFields = { noteFlag: null, seenAt: null };

function toMobileFields(row: MobileRow): MobileFields {
  return { noteFlag: row.note_flag, seenAt: isoOrNull(row.seen_at) };
}
