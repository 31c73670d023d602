-- The application's role: it may read and append events, never change or remove them. Roles are
-- cluster-wide, so creating it tolerates a concurrent creator.
do $$
begin
  create role mymedic_app nologin;
exception when duplicate_object or unique_violation then
  null;
end;
$$;

revoke all on all tables in schema mymedic from public;
grant usage on schema mymedic to mymedic_app;
-- Appends go through mymedic.append_events (security definer) only: no direct writes to the log, the
-- stream versions or the chain heads.
grant select on mymedic.events, mymedic.streams, mymedic.tenant_heads to mymedic_app;
grant select, insert, update on mymedic.subscription_checkpoints to mymedic_app;
revoke all on function mymedic.append_events(text, jsonb, jsonb) from public;
grant execute on function mymedic.append_events(text, jsonb, jsonb) to mymedic_app;
