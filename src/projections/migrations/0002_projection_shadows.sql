-- Shadows being built. A replay claims its shadow here in the transaction that creates the shadow's tables,
-- renews the claim after every page and deletes it when it drops or swaps the shadow, so the shadows of a
-- replay that died (a crash, a kill -9) are the ones whose claim went stale — found and dropped by
-- `mymedic replay <projection|all> --drop-stale-shadows` without touching a rebuild another process is running.
create table mymedic.projection_shadows (
  -- name~id, as in projection_positions and projection_parked_events.
  target text primary key,
  projection text not null,
  -- {logical table name: concrete shadow name}
  tables jsonb not null,
  created_at timestamptz not null default now(),
  renewed_at timestamptz not null default now()
);

grant select, insert, update, delete on mymedic.projection_shadows to mymedic_worker;
