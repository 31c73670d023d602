-- The projection runtime's bookkeeping, and the schema `read` that holds every read model's tables.
-- A "target" is one set of read-model tables: a projection's live tables (target = the projection's name)
-- or a rebuild's shadow tables (target = name~rebuild id), so live and shadow keep separate books.

create schema if not exists read;

-- One row per installed projection: the version its live tables were built by, and their concrete names.
create table mymedic.projection_state (
  name text primary key,
  version integer not null,
  -- {logical table name: concrete name}, e.g. {"payments_view": "read.payments_view"}
  tables jsonb not null,
  -- 'live' normally; 'upgrading' while a new version rebuilds beside the old one.
  status text not null default 'live',
  -- Bumped by every swap, so a report can tell which build of the tables it looked at.
  generation integer not null default 1,
  updated_at timestamptz not null default now(),
  constraint projection_state_status_ck check (status in ('live', 'upgrading')),
  constraint projection_state_version_ck check (version >= 1)
);

-- Redelivery protection: the last tenant_seq each target has processed per tenant. Apply skips anything at or
-- below it, so an event delivered twice (a retry, a reset checkpoint, a replay overlapping live) applies once.
create table mymedic.projection_positions (
  target text not null,
  tenant_id text not null,
  last_tenant_seq bigint not null,
  -- recorded_at of that event: "last applied at" in the lag report.
  last_recorded_at timestamptz not null,
  constraint projection_positions_pk primary key (target, tenant_id)
);

-- Events a projection could not apply after its retries. Envelope facts and the error only: never the
-- payload, which may carry patient references the error report has no business copying.
create table mymedic.projection_parked_events (
  parked_id bigint generated always as identity primary key,
  projection text not null,
  target text not null,
  tenant_id text not null,
  branch_id text,
  event_id uuid not null,
  event_type text not null,
  tenant_seq bigint not null,
  global_position bigint not null,
  error_code text not null,
  error_message text not null,
  attempts integer not null,
  parked_at timestamptz not null default now(),
  constraint projection_parked_events_uq unique (target, event_id)
);

create index projection_parked_events_tenant_idx
  on mymedic.projection_parked_events (target, tenant_id, tenant_seq);

-- The runtime and replays run as the worker role (every tenant): they keep these books, and they create,
-- rename and drop read-model tables (blue/green swaps), so the tables they create in `read` are theirs. The
-- request path reads read models through the grants and policies each table gets when it is created.
grant select, insert, update, delete
  on mymedic.projection_state, mymedic.projection_positions, mymedic.projection_parked_events
  to mymedic_worker;
grant usage, create on schema read to mymedic_worker;
grant usage on schema read to mymedic_app;

select mymedic.enable_tenant_isolation(t)
  from unnest(array['mymedic.projection_positions', 'mymedic.projection_parked_events']::regclass[]) as t;
