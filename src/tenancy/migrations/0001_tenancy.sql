-- Tenancy: tenants, their credentials (API keys stored only as hashes, JWT issuers' public keys), the
-- append-only accounting of disclosures of patient data, and row-level security on every tenant table.

-- Background workers and operator commands see every tenant through this role: an explicit policy below
-- rather than BYPASSRLS, which only a superuser may grant and which would also bypass future policies.
do $$
begin
  create role mymedic_worker nologin;
exception when duplicate_object or unique_violation then
  null;
end;
$$;

-- The login role (owner and migrator) switches to these roles per transaction; a superuser already can, a
-- plain owner needs the membership.
do $$
begin
  if not pg_has_role(current_user, 'mymedic_app', 'member') then
    execute format('grant mymedic_app to %I', current_user);
  end if;
  if not pg_has_role(current_user, 'mymedic_worker', 'member') then
    execute format('grant mymedic_worker to %I', current_user);
  end if;
end;
$$;

create table mymedic.tenants (
  tenant_id text primary key,
  name text not null,
  created_at timestamptz not null default now(),
  constraint tenants_name_ck check (length(name) between 1 and 200)
);

-- One row per credential, always of one tenant. An API key acts as one actor and is stored only as the
-- SHA-256 of the key text (the key is random, 256 bits, so a fast hash is enough). A JWT issuer is an
-- Ed25519 public key; the tokens it signs name their actor. Revocation sets revoked_at; rows are never deleted.
create table mymedic.credentials (
  credential_id text primary key,
  tenant_id text not null references mymedic.tenants (tenant_id),
  credential_type text not null,
  actor_id text,
  actor_kind text,
  actor_role text,
  secret_sha256 bytea,
  public_key_pem text,
  label text,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  constraint credentials_shape_ck check (
    (credential_type = 'api_key' and actor_id is not null and actor_kind is not null
      and actor_role is not null and secret_sha256 is not null and public_key_pem is null)
    or (credential_type = 'jwt_issuer' and actor_id is null and actor_kind is null and actor_role is null
      and secret_sha256 is null and public_key_pem is not null))
);

create index credentials_tenant_idx on mymedic.credentials (tenant_id, created_at);

-- Accounting of disclosures: who read which patient's data, when, why and through which endpoint. Never the
-- data itself. disclosure_id is a UUIDv7, so it orders rows by time and serves as the paging cursor.
create table mymedic.disclosures (
  disclosure_id uuid primary key,
  tenant_id text not null,
  patient_id text not null,
  actor jsonb not null,
  credential_id text not null,
  purpose text not null,
  endpoint text not null,
  request_id text not null,
  correlation_id text not null,
  disclosed_at timestamptz not null default now()
);

create index disclosures_tenant_idx on mymedic.disclosures (tenant_id, disclosure_id);
create index disclosures_patient_idx on mymedic.disclosures (tenant_id, patient_id, disclosure_id);

create function mymedic.refuse_audit_mutation() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = 'MMIMM';
end;
$$;

create trigger disclosures_no_update_delete before update or delete on mymedic.disclosures
  for each row execute function mymedic.refuse_audit_mutation();
create trigger disclosures_no_truncate before truncate on mymedic.disclosures
  for each statement execute function mymedic.refuse_audit_mutation();

-- The one definition of tenant isolation, for every table with a tenant_id column: RLS enabled and forced
-- (so the owner is bound too), rows visible and writable only when tenant_id equals the transaction's
-- `mymedic.tenant_id`, and every row for mymedic_worker. Idempotent. Must be run by the table's owner.
create function mymedic.enable_tenant_isolation(p_table regclass) returns void language plpgsql as $$
begin
  execute format('alter table %s enable row level security', p_table);
  execute format('alter table %s force row level security', p_table);
  execute format('drop policy if exists tenant_isolation on %s', p_table);
  execute format(
    'create policy tenant_isolation on %s'
    ' using (tenant_id = current_setting(''mymedic.tenant_id'', true))'
    ' with check (tenant_id = current_setting(''mymedic.tenant_id'', true))', p_table);
  execute format('drop policy if exists all_tenants_for_workers on %s', p_table);
  execute format(
    'create policy all_tenants_for_workers on %s to mymedic_worker using (true) with check (true)', p_table);
end;
$$;

select mymedic.enable_tenant_isolation(t)
  from unnest(array[
    'mymedic.events', 'mymedic.streams', 'mymedic.tenant_heads',
    'mymedic.patient_keys', 'mymedic.patient_erasures', 'mymedic.legal_holds',
    'mymedic.tenants', 'mymedic.credentials', 'mymedic.disclosures'
  ]::regclass[]) as t;

-- Row-level security does not reach inside a SECURITY DEFINER function whose owner is a superuser (always
-- so on PGlite), and mymedic.append_events is one. Rows it writes are therefore checked here against the
-- caller's scope: the request path (role mymedic_app) and any transaction with a tenant set may write only
-- that tenant's rows; workers and unscoped owner sessions (migrations, operator tools) are not limited.
create function mymedic.enforce_tenant_scope() returns trigger language plpgsql as $$
declare
  v_role text := current_setting('role');
  v_tenant text := nullif(current_setting('mymedic.tenant_id', true), '');
begin
  if v_role <> 'mymedic_worker' and (v_tenant is not null or v_role = 'mymedic_app')
    and new.tenant_id is distinct from v_tenant then
    raise exception 'a row of another tenant is outside this transaction''s tenant scope'
      using errcode = '42501';
  end if;
  return new;
end;
$$;

create trigger events_tenant_scope before insert on mymedic.events
  for each row execute function mymedic.enforce_tenant_scope();
create trigger streams_tenant_scope before insert or update on mymedic.streams
  for each row execute function mymedic.enforce_tenant_scope();
create trigger tenant_heads_tenant_scope before insert or update on mymedic.tenant_heads
  for each row execute function mymedic.enforce_tenant_scope();

-- The request path (mymedic_app): reads its tenant, appends (through mymedic.append_events), manages its own
-- credentials, records disclosures. Only revoked_at of a credential may change.
revoke all on mymedic.tenants, mymedic.credentials, mymedic.disclosures from public;
grant select on mymedic.tenants to mymedic_app;
grant select, insert on mymedic.credentials to mymedic_app;
grant update (revoked_at) on mymedic.credentials to mymedic_app;
grant select, insert on mymedic.disclosures to mymedic_app;

-- Background workers and operator commands (mymedic_worker): what the application may do, for every
-- tenant, plus creating tenants and looking credentials up before the tenant is known.
grant usage on schema mymedic to mymedic_worker;
grant select on mymedic.events, mymedic.streams, mymedic.tenant_heads to mymedic_worker;
grant select, insert, update on mymedic.subscription_checkpoints to mymedic_worker;
grant execute on function mymedic.append_events(text, jsonb, jsonb) to mymedic_worker;
grant select, insert, update, delete on mymedic.patient_keys to mymedic_worker;
grant select, insert on mymedic.patient_erasures to mymedic_worker;
grant select, insert, update on mymedic.legal_holds to mymedic_worker;
grant select, insert on mymedic.tenants to mymedic_worker;
grant update (name) on mymedic.tenants to mymedic_worker;
grant select, insert on mymedic.credentials to mymedic_worker;
grant update (revoked_at) on mymedic.credentials to mymedic_worker;
grant select, insert on mymedic.disclosures to mymedic_worker;
