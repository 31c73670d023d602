-- The append, rewritten for cost per call and per event (bench/RESULTS.md has the measurements):
--   * the events of an append are inserted by one INSERT … SELECT instead of one INSERT per event;
--   * reads that only served the old row-by-row loop are gone; the tenant head is read without a row lock
--     (the advisory lock already serialises a tenant's appends) and written once, before the events;
--   * every plan inside the function is generic and cached for the session, and none may scan a table:
--     each access is a point lookup by a key, and a plan made while a table was still small must not turn
--     into a scan of it once it has grown.
-- The chain itself is unchanged: link_i = SHA-256(link_{i-1} ‖ tenant_seq ‖ version ‖ recorded_at ms ‖ content_i),
-- computed here in tenant_seq order from the content hashes the writer sent, and verified by `mymedic verify`.

-- tenant_heads and streams rows are updated by nearly every append. With full pages, each update chains a new
-- row version behind the old ones until the page is pruned, and every lookup walks that chain; free space on
-- the page lets pruning keep the chains short.
alter table mymedic.tenant_heads set (fillfactor = 10);
alter table mymedic.streams set (fillfactor = 50);

create or replace function mymedic.append_events(p_tenant_id text, p_streams jsonb, p_events jsonb)
returns jsonb language plpgsql security definer
set search_path = pg_catalog, pg_temp
set plan_cache_mode = force_generic_plan
set enable_seqscan = off
as $$
declare
  v_scope text := current_setting('mymedic.tenant_id', true);
  v_event_count integer := jsonb_array_length(p_events);
  v_stream_count integer := jsonb_array_length(p_streams);
  v_xid xid8;
  v_now timestamptz;
  v_now_ms bytea;
  v_last_seq bigint;
  v_hash bytea;
  v_last_xid xid8;
  v_replay boolean;
  v_stream jsonb;
  v_stored bigint;
  v_expected text;
  v_s integer;
  -- per stream, in the order of p_streams
  v_types text[] := '{}';
  v_aggregates text[] := '{}';
  v_current bigint[] := '{}';
  v_versions bigint[];
  -- per event, in the order of p_events (= tenant_seq order)
  v_stream_of integer[];
  v_content bytea[];
  v_event_versions bigint[] := '{}';
  v_links bytea[] := '{}';
  v_positions bigint[];
begin
  -- Running with the owner's rights, the function re-checks what row-level security would: a request
  -- scoped to one tenant cannot append to, or learn the stream versions of, another.
  if v_scope <> '' and v_scope <> p_tenant_id then
    raise exception 'append to tenant % refused in a transaction scoped to another tenant', p_tenant_id
      using errcode = '42501';
  end if;

  -- The tenant's append lock. An advisory lock needs no transaction id, so the id is drawn only once the
  -- lock is held: later than that of every append of this tenant that committed before. Every statement
  -- below takes a snapshot after the lock, so it sees the previous holder's commit.
  perform pg_advisory_xact_lock(727274002, hashtext(p_tenant_id));
  v_xid := pg_current_xact_id();
  v_now := date_trunc('milliseconds', clock_timestamp());
  v_now_ms := int8send((extract(epoch from v_now) * 1000)::bigint);

  select last_seq, last_hash, last_tx_id into v_last_seq, v_hash, v_last_xid
    from mymedic.tenant_heads where tenant_id = p_tenant_id;
  if not found then
    insert into mymedic.tenant_heads (tenant_id) values (p_tenant_id);
    v_last_seq := 0;
    v_hash := '\x'::bytea;
  end if;
  -- A transaction that got its id before the tenant's last committed append would land before it in the
  -- global feed while holding a later tenant_seq.
  if v_last_xid > v_xid then
    raise exception 'tenant order race' using errcode = 'MMORD', detail = p_tenant_id;
  end if;

  select array_agg((e ->> 'stream_index')::integer + 1 order by ord),
         array_agg(decode(e ->> 'content_hash', 'hex') order by ord),
         exists (select 1 from mymedic.events stored
                  where stored.event_id = any (array_agg((e ->> 'event_id')::uuid)))
    into v_stream_of, v_content, v_replay
    from jsonb_array_elements(p_events) with ordinality as t(e, ord);
  -- Idempotency: a retry of an append that already committed returns the original result.
  if v_replay then
    return mymedic.original_append_result(p_tenant_id, p_streams, p_events);
  end if;

  -- Every expectation is checked before anything is written, so a conflict writes nothing.
  for v_s in 1 .. v_stream_count loop
    v_stream := p_streams -> (v_s - 1);
    v_types[v_s] := v_stream ->> 'aggregate_type';
    v_aggregates[v_s] := v_stream ->> 'aggregate_id';
    select version into v_stored from mymedic.streams
      where tenant_id = p_tenant_id and aggregate_type = v_types[v_s] and aggregate_id = v_aggregates[v_s];
    v_current[v_s] := coalesce(v_stored, 0);
    v_expected := v_stream ->> 'expected';
    if (v_expected = 'no_stream' and v_current[v_s] <> 0)
      or (v_expected = 'stream_exists' and v_current[v_s] = 0)
      or (v_expected = 'exact' and v_current[v_s] <> (v_stream ->> 'expected_version')::bigint) then
      return jsonb_build_object('status', 'conflict', 'stream_index', v_s - 1, 'actual', v_current[v_s]);
    end if;
  end loop;

  v_versions := v_current;
  for i in 1 .. v_event_count loop
    v_s := v_stream_of[i];
    v_versions[v_s] := v_versions[v_s] + 1;
    v_event_versions[i] := v_versions[v_s];
    v_hash := sha256(v_hash || int8send(v_last_seq + i) || int8send(v_versions[v_s]) || v_now_ms || v_content[i]);
    v_links[i] := v_hash;
  end loop;

  -- The head first: under REPEATABLE READ, an append whose snapshot predates the tenant's last append fails
  -- here with a serialization error (retryable) rather than on a taken tenant_seq.
  update mymedic.tenant_heads set last_seq = v_last_seq + v_event_count, last_hash = v_hash, last_tx_id = v_xid
    where tenant_id = p_tenant_id;

  for v_s in 1 .. v_stream_count loop
    if v_versions[v_s] > v_current[v_s] then
      if v_current[v_s] = 0 then
        insert into mymedic.streams (tenant_id, aggregate_type, aggregate_id, version)
          values (p_tenant_id, v_types[v_s], v_aggregates[v_s], v_versions[v_s]);
      else
        update mymedic.streams set version = v_versions[v_s]
          where tenant_id = p_tenant_id and aggregate_type = v_types[v_s] and aggregate_id = v_aggregates[v_s];
      end if;
    end if;
  end loop;

  -- Rows are produced, and global positions drawn, in tenant_seq order. Fields are taken with -> and ->>,
  -- not jsonb_to_recordset, which would turn a JSON null payload into SQL NULL.
  with inserted as (
    insert into mymedic.events (
      tx_id, tenant_id, tenant_seq, branch_id, aggregate_type, aggregate_id, version, event_id, event_type,
      schema_version, occurred_at, recorded_at, causation_id, correlation_id, actor, payload, chain_hash)
    select v_xid, p_tenant_id, v_last_seq + t.ord, t.e ->> 'branch_id', v_types[v_stream_of[t.ord]],
           v_aggregates[v_stream_of[t.ord]], v_event_versions[t.ord], (t.e ->> 'event_id')::uuid,
           t.e ->> 'event_type', (t.e ->> 'schema_version')::integer, (t.e ->> 'occurred_at')::timestamptz, v_now,
           t.e ->> 'causation_id', t.e ->> 'correlation_id', t.e -> 'actor', t.e -> 'payload', v_links[t.ord]
      from jsonb_array_elements(p_events) with ordinality as t(e, ord)
    returning global_position)
  select array_agg(global_position order by global_position) into v_positions from inserted;

  return jsonb_build_object(
    'status', 'ok', 'first_tenant_seq', v_last_seq + 1, 'last_tenant_seq', v_last_seq + v_event_count,
    'global_positions', to_jsonb(coalesce(v_positions, '{}')), 'tx_id', v_xid::text, 'recorded_at', v_now,
    'versions', to_jsonb(v_versions));
end;
$$;

-- The answer to an append whose event ids are already stored: the original result when all of them were
-- stored together for this tenant (a retry), EVENT_ID_REUSED (MMDUP) otherwise. Called by append_events only.
create function mymedic.original_append_result(p_tenant_id text, p_streams jsonb, p_events jsonb)
returns jsonb language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  v_ids uuid[] := array(select (e ->> 'event_id')::uuid from jsonb_array_elements(p_events) as e);
begin
  if (select count(*) from mymedic.events where event_id = any (v_ids) and tenant_id = p_tenant_id)
      = cardinality(v_ids) then
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
          from jsonb_array_elements(p_streams) with ordinality as t(s, ord)))
      from mymedic.events where event_id = any (v_ids));
  end if;
  raise exception 'event ids reused' using errcode = 'MMDUP',
    detail = (select string_agg(event_id::text, ',') from mymedic.events where event_id = any (v_ids));
end;
$$;
revoke all on function mymedic.original_append_result(text, jsonb, jsonb) from public;
