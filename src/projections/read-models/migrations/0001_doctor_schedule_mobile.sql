-- Doctor mobile's own fields on its schedule (seed §7: "last-write-wins only for view models"). They are not
-- derived from events, so they are not a table of the doctor_schedule_view projection: a rebuild drops and
-- recreates the projection's tables but never this one, and the schedule query joins it by booking.
-- Each field is a last-write-wins register: the value with the newest client clock wins (on equal clocks the
-- larger value), so devices converge whatever order their updates arrive in. No patient data: ids and flags.
create table read.doctor_schedule_mobile (
  tenant_id text not null,
  doctor_id text not null,
  booking_id text not null,
  note_flag boolean,
  note_flag_clock timestamptz,
  seen_at timestamptz,
  seen_at_clock timestamptz,
  primary key (tenant_id, doctor_id, booking_id),
  constraint doctor_schedule_mobile_note_flag_ck check ((note_flag is null) = (note_flag_clock is null)),
  constraint doctor_schedule_mobile_seen_at_ck check (seen_at is null or seen_at_clock is not null)
);

select mymedic.enable_tenant_isolation('read.doctor_schedule_mobile');

-- Written by the request path (the doctor's device), read with the schedule.
grant select, insert, update on read.doctor_schedule_mobile to mymedic_app;
