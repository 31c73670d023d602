-- What the deposit process manager remembers between events: which payment holds each booking's deposit.
create table mymedic.pm_booking_deposits (
  tenant_id text not null,
  booking_id text not null,
  payment_id text not null,
  primary key (tenant_id, booking_id)
);
grant select, insert, update on mymedic.pm_booking_deposits to mymedic_app;
select mymedic.enable_tenant_isolation('mymedic.pm_booking_deposits');
