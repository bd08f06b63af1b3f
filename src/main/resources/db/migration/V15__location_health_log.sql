-- Every state change of each location's health of each cell, as written (issue 15): the judge
-- reads location_health for what each location says now, and this log for the runs that began
-- and ended between two of its looks (an agent's buffered batch that holds a failure and its
-- recovery), so a failure it never saw live is still judged at the time it happened. A batch
-- sent again writes nothing twice: a state change is its cell, location, state and start.
-- V15, not V12: databases already at V14 would refuse a lower version as out of order.
CREATE TABLE location_health_log (
  check_id int NOT NULL REFERENCES checks (id),
  location text NOT NULL,
  state    text NOT NULL CHECK (state IN ('healthy', 'failing')),
  since    timestamptz NOT NULL,
  at       timestamptz NOT NULL,
  xid      xid8 NOT NULL DEFAULT pg_current_xact_id(),
  PRIMARY KEY (check_id, location, since, state)
);
CREATE INDEX location_health_log_by_xid ON location_health_log (xid);
CREATE INDEX location_health_log_by_since ON location_health_log (since);
