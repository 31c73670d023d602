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
grant select, insert on mymedic.events to mymedic_app;
grant select, insert, update on mymedic.streams, mymedic.tenant_heads, mymedic.subscription_checkpoints
  to mymedic_app;
grant usage on sequence mymedic.global_position_seq to mymedic_app;
grant execute on function mymedic.append_events(text, jsonb, jsonb) to mymedic_app;
