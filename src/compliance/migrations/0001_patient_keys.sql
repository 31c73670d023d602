-- Crypto-shredding: one data key per (tenant, patient), stored only wrapped under the master key; the
-- append-only record of erasures; legal holds that forbid erasure. No table holds patient data.

create table mymedic.patient_keys (
  tenant_id text not null,
  patient_id text not null,
  -- Names the key in every field envelope; random, never reused, so a destroyed key can never come back.
  key_id text not null,
  -- Fingerprint of the master key that wrapped this row; rotation rewraps rows whose id is not current.
  master_key_id text not null,
  wrap_format smallint not null default 1,
  wrap_iv bytea not null,
  wrapped_key bytea not null,
  created_at timestamptz not null default now(),
  rewrapped_at timestamptz,
  constraint patient_keys_pk primary key (tenant_id, patient_id),
  constraint patient_keys_key_id_uq unique (key_id)
);

create index patient_keys_master_key_idx on mymedic.patient_keys (master_key_id);

-- Who erased which patient's key, when and why (and refused attempts). Holds ids, never patient data.
create table mymedic.patient_erasures (
  erasure_id uuid primary key,
  tenant_id text not null,
  patient_id text not null,
  outcome text not null,
  -- The destroyed key's id: proves which envelopes became unreadable. Null when there was no key.
  key_id text,
  reason text not null,
  actor jsonb not null,
  refused_by jsonb,
  recorded_at timestamptz not null default now(),
  constraint patient_erasures_outcome_ck check (outcome in ('erased', 'refused'))
);

create index patient_erasures_patient_idx on mymedic.patient_erasures (tenant_id, patient_id);

create table mymedic.legal_holds (
  hold_id uuid primary key,
  tenant_id text not null,
  patient_id text not null,
  reason text not null,
  placed_by jsonb not null,
  placed_at timestamptz not null default now(),
  -- Null: until released.
  until timestamptz,
  released_by jsonb,
  released_at timestamptz
);

create index legal_holds_patient_idx on mymedic.legal_holds (tenant_id, patient_id);

create function mymedic.refuse_erasure_mutation() returns trigger language plpgsql as $$
begin
  raise exception 'the erasure audit is append-only: % refused on %', tg_op, tg_table_name
    using errcode = 'MMIMM';
end;
$$;

create trigger patient_erasures_no_update_delete before update or delete on mymedic.patient_erasures
  for each row execute function mymedic.refuse_erasure_mutation();
create trigger patient_erasures_no_truncate before truncate on mymedic.patient_erasures
  for each statement execute function mymedic.refuse_erasure_mutation();

revoke all on mymedic.patient_keys, mymedic.patient_erasures, mymedic.legal_holds from public;
grant select, insert, update, delete on mymedic.patient_keys to mymedic_app;
grant select, insert on mymedic.patient_erasures to mymedic_app;
grant select, insert, update on mymedic.legal_holds to mymedic_app;
