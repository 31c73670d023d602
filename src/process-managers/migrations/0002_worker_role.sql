-- Process managers run in the service as the worker role (every tenant), not on the request path: the
-- worker keeps the deposit memory, and the request path, which never reacts to events, loses its grant (a
-- request could otherwise point a booking's forfeit at another payment).
grant select, insert, update on mymedic.pm_booking_deposits to mymedic_worker;
revoke all on mymedic.pm_booking_deposits from mymedic_app;
