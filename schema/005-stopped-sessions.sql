-- truegreen schema version 5: a session that stopped early says so.
--
-- pytest -x (or --maxfail N) stops the session after its first (N-th)
-- failure and prints "stopping after N failures": the tests it collected
-- and did not reach never ran.  stopped_after keeps that N (NULL: the
-- log did not say so), so a report can tell tests that vanished from
-- tests that a fail-fast run never reached.
ALTER TABLE sessions ADD COLUMN stopped_after INTEGER;
