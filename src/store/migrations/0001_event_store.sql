-- The event store: one append-only table, per-stream versions, per-tenant heads of the hash chain,
-- and durable subscription checkpoints. One SQL dialect for PostgreSQL 15+ and PGlite.

create sequence mymedic.global_position_seq as bigint;

create table mymedic.events (
  global_position bigint not null default nextval('mymedic.global_position_seq'),
  -- The writer's transaction id: the global feed orders by (tx_id, global_position) and only reads below
  -- the oldest running transaction, so out-of-order commits are never skipped.
  tx_id xid8 not null default pg_current_xact_id(),
  tenant_id text not null,
  tenant_seq bigint not null,
  branch_id text,
  aggregate_type text not null,
  aggregate_id text not null,
  version bigint not null,
  event_id uuid not null,
  event_type text not null,
  schema_version integer not null,
  occurred_at timestamptz not null,
  recorded_at timestamptz not null,
  causation_id text,
  correlation_id text,
  actor jsonb not null,
  payload jsonb not null,
  chain_hash bytea not null,
  constraint events_pk primary key (tenant_id, tenant_seq),
  constraint events_stream_version_uq unique (tenant_id, aggregate_type, aggregate_id, version),
  constraint events_event_id_uq unique (event_id),
  constraint events_version_positive check (version >= 1),
  constraint events_tenant_seq_positive check (tenant_seq >= 1),
  -- The chain hashes times at millisecond precision; finer digits would be changeable unseen.
  constraint events_occurred_at_ms check (occurred_at = date_trunc('milliseconds', occurred_at)),
  constraint events_recorded_at_ms check (recorded_at = date_trunc('milliseconds', recorded_at))
);

create index events_feed_idx on mymedic.events (tx_id, global_position);
create index events_branch_idx on mymedic.events (tenant_id, branch_id, tenant_seq) where branch_id is not null;
create index events_type_idx on mymedic.events (tenant_id, event_type, tenant_seq);

create table mymedic.streams (
  tenant_id text not null,
  aggregate_type text not null,
  aggregate_id text not null,
  version bigint not null,
  constraint streams_pk primary key (tenant_id, aggregate_type, aggregate_id)
);

-- One row per tenant: the head of the tenant's hash chain and sequence. Appends of a tenant are serialised
-- (an advisory lock, then this row's lock), so tenant_seq is gapless and in commit order.
create table mymedic.tenant_heads (
  tenant_id text primary key,
  last_seq bigint not null default 0,
  last_hash bytea not null default '\x'::bytea,
  last_tx_id xid8
);

create table mymedic.subscription_checkpoints (
  subscription_id text primary key,
  tx_id xid8 not null default '0'::xid8,
  global_position bigint not null default 0,
  tenant_seq bigint not null default 0,
  updated_at timestamptz not null default now()
);

-- Immutability: no UPDATE, DELETE or TRUNCATE of events, whoever asks (privileges stop the application
-- role first; the triggers stop the owner too).
create function mymedic.refuse_event_mutation() returns trigger language plpgsql as $$
begin
  raise exception 'events are immutable: % refused on mymedic.events', tg_op
    using errcode = 'MMIMM';
end;
$$;

create trigger events_no_update_delete before update or delete on mymedic.events
  for each row execute function mymedic.refuse_event_mutation();
create trigger events_no_truncate before truncate on mymedic.events
  for each statement execute function mymedic.refuse_event_mutation();

-- Appends one or more streams of one tenant atomically. Holding the tenant's lock until commit makes
-- tenant_seq gapless and commit-ordered, and makes every expectation check race-free.
-- p_streams: [{aggregate_type, aggregate_id, expected: 'any'|'no_stream'|'stream_exists'|'exact', expected_version}]
-- p_events:  [{stream_index, event_id, event_type, schema_version, branch_id, occurred_at, causation_id,
--              correlation_id, actor, payload, content_hash (hex)}] in stream order.
-- SECURITY DEFINER: the application role may append only through this function, never insert directly.
create function mymedic.append_events(p_tenant_id text, p_streams jsonb, p_events jsonb)
returns jsonb language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_xid xid8;
  v_head mymedic.tenant_heads%rowtype;
  v_now timestamptz := date_trunc('milliseconds', clock_timestamp());
  v_now_ms bigint;
  v_stream jsonb;
  v_i integer;
  v_current bigint;
  v_expected text;
  v_versions bigint[] := '{}';
  v_ev jsonb;
  v_idx integer;
  v_seq bigint;
  v_hash bytea;
  v_version bigint;
  v_position bigint;
  v_positions bigint[] := '{}';
  v_n integer := jsonb_array_length(p_events);
  v_existing integer;
  v_ids uuid[];
begin
  v_now_ms := (extract(epoch from v_now) * 1000)::bigint;

  -- Running with the owner's rights, the function re-checks what row-level security would: a request
  -- scoped to one tenant cannot append to, or learn the stream versions of, another.
  if current_setting('mymedic.tenant_id', true) is not null
    and current_setting('mymedic.tenant_id', true) <> ''
    and current_setting('mymedic.tenant_id', true) <> p_tenant_id then
    raise exception 'append to tenant % refused in a transaction scoped to another tenant', p_tenant_id
      using errcode = '42501';
  end if;

  -- The tenant's append lock. An advisory lock needs no transaction id, so the id is drawn only once the
  -- lock is held: later than that of every append of this tenant that committed before.
  perform pg_advisory_xact_lock(727274002, hashtext(p_tenant_id));
  v_xid := pg_current_xact_id();

  select * into v_head from mymedic.tenant_heads where tenant_id = p_tenant_id for update;
  if not found then
    insert into mymedic.tenant_heads (tenant_id) values (p_tenant_id) on conflict do nothing;
    select * into v_head from mymedic.tenant_heads where tenant_id = p_tenant_id for update;
  end if;

  -- A transaction that got its id before the tenant's last committed append would land before it in the
  -- global feed while holding a later tenant_seq.
  if v_head.last_tx_id is not null and v_head.last_tx_id > v_xid then
    raise exception 'tenant order race' using errcode = 'MMORD', detail = p_tenant_id;
  end if;

  -- Idempotency: a retry of an append that already committed returns the original result.
  select array_agg((e ->> 'event_id')::uuid) into v_ids from jsonb_array_elements(p_events) e;
  select count(*) into v_existing from mymedic.events where event_id = any (v_ids);
  if v_existing > 0 then
    if v_existing = v_n and not exists (
      select 1 from mymedic.events where event_id = any (v_ids) and tenant_id <> p_tenant_id
    ) then
      return (
        select jsonb_build_object(
          'status', 'duplicate',
          'first_tenant_seq', min(tenant_seq), 'last_tenant_seq', max(tenant_seq),
          'global_positions', jsonb_agg(global_position order by tenant_seq),
          'tx_id', max(tx_id::text), 'recorded_at', max(recorded_at),
          'versions', (
            select jsonb_agg(
              (select max(ev.version) from mymedic.events ev
                where ev.event_id = any (v_ids)
                  and ev.aggregate_type = s ->> 'aggregate_type' and ev.aggregate_id = s ->> 'aggregate_id')
              order by ord)
            from jsonb_array_elements(p_streams) with ordinality as t(s, ord)
          ))
        from mymedic.events where event_id = any (v_ids)
      );
    end if;
    raise exception 'event ids reused' using errcode = 'MMDUP',
      detail = (select string_agg(event_id::text, ',') from mymedic.events where event_id = any (v_ids));
  end if;

  -- Every expectation is checked before anything is written, so a conflict writes nothing.
  v_i := 0;
  for v_stream in select value from jsonb_array_elements(p_streams) loop
    select version into v_current from mymedic.streams
      where tenant_id = p_tenant_id
        and aggregate_type = v_stream ->> 'aggregate_type'
        and aggregate_id = v_stream ->> 'aggregate_id';
    v_current := coalesce(v_current, 0);
    v_expected := v_stream ->> 'expected';
    if (v_expected = 'no_stream' and v_current <> 0)
      or (v_expected = 'stream_exists' and v_current = 0)
      or (v_expected = 'exact' and v_current <> (v_stream ->> 'expected_version')::bigint) then
      return jsonb_build_object('status', 'conflict', 'stream_index', v_i, 'actual', v_current);
    end if;
    v_versions := v_versions || v_current;
    v_i := v_i + 1;
  end loop;

  v_seq := v_head.last_seq;
  v_hash := v_head.last_hash;
  for v_ev in select value from jsonb_array_elements(p_events) loop
    v_idx := (v_ev ->> 'stream_index')::integer + 1;
    v_versions[v_idx] := v_versions[v_idx] + 1;
    v_version := v_versions[v_idx];
    v_seq := v_seq + 1;
    v_hash := sha256(v_hash || int8send(v_seq) || int8send(v_version) || int8send(v_now_ms)
      || decode(v_ev ->> 'content_hash', 'hex'));
    v_stream := p_streams -> (v_idx - 1);
    insert into mymedic.events (
      tx_id, tenant_id, tenant_seq, branch_id, aggregate_type, aggregate_id, version, event_id, event_type,
      schema_version, occurred_at, recorded_at, causation_id, correlation_id, actor, payload, chain_hash
    ) values (
      v_xid, p_tenant_id, v_seq, v_ev ->> 'branch_id', v_stream ->> 'aggregate_type',
      v_stream ->> 'aggregate_id', v_version, (v_ev ->> 'event_id')::uuid, v_ev ->> 'event_type',
      (v_ev ->> 'schema_version')::integer, (v_ev ->> 'occurred_at')::timestamptz, v_now,
      v_ev ->> 'causation_id', v_ev ->> 'correlation_id', v_ev -> 'actor', v_ev -> 'payload', v_hash
    ) returning global_position into v_position;
    v_positions := v_positions || v_position;
  end loop;

  v_i := 0;
  for v_stream in select value from jsonb_array_elements(p_streams) loop
    v_i := v_i + 1;
    if v_versions[v_i] > 0 then
      insert into mymedic.streams (tenant_id, aggregate_type, aggregate_id, version)
        values (p_tenant_id, v_stream ->> 'aggregate_type', v_stream ->> 'aggregate_id', v_versions[v_i])
        on conflict (tenant_id, aggregate_type, aggregate_id) do update set version = excluded.version;
    end if;
  end loop;

  update mymedic.tenant_heads
    set last_seq = v_seq, last_hash = v_hash, last_tx_id = v_xid
    where tenant_id = p_tenant_id;

  return jsonb_build_object(
    'status', 'ok',
    'first_tenant_seq', v_head.last_seq + 1, 'last_tenant_seq', v_seq,
    'global_positions', to_jsonb(v_positions), 'tx_id', v_xid::text, 'recorded_at', v_now,
    'versions', to_jsonb(v_versions));
end;
$$;
