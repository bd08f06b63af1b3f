-- Several instances on one PostgreSQL, probe locations and a quorum (issue 15).

-- Every serve instance registers here and beats; agents appear through their pushes. A serve
-- member also holds a session advisory lock (classid 1515, objid lock_key) on its membership
-- connection: a killed process loses it at once, long before its heartbeat goes stale.
CREATE SEQUENCE member_lock_keys AS int MINVALUE 1 CYCLE;
CREATE TABLE members (
  id           uuid PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('serve', 'agent')),
  location     text NOT NULL,
  name         text NOT NULL,
  lock_key     int,
  started_at   timestamptz NOT NULL,
  heartbeat_at timestamptz NOT NULL,
  cells_owned  int NOT NULL DEFAULT 0,
  CHECK ((kind = 'serve') = (lock_key IS NOT NULL))
);
CREATE INDEX members_by_location ON members (location, heartbeat_at);

-- Each location's damped health of each cell, written with the results that decided it. The
-- judge reads what changed since its last look by transaction id (xid): rows of transactions
-- still running when it looked are read again next time, so commit order never hides a change.
CREATE TABLE location_health (
  check_id int NOT NULL REFERENCES checks (id),
  location text NOT NULL,
  state    text NOT NULL CHECK (state IN ('healthy', 'failing')),
  since    timestamptz NOT NULL,
  degraded boolean NOT NULL,
  at       timestamptz NOT NULL,
  xid      xid8 NOT NULL DEFAULT pg_current_xact_id(),
  PRIMARY KEY (check_id, location)
);
CREATE INDEX location_health_by_xid ON location_health (xid);

-- A failure seen from fewer locations than the quorum is a network event: an outage row the SLA
-- excludes as "network" from the start, one open per component at a time like probe outages.
ALTER TABLE outages DROP CONSTRAINT outages_source_check;
ALTER TABLE outages ADD CONSTRAINT outages_source_check
  CHECK (source IN ('probe', 'manual', 'network'));
ALTER TABLE outages ADD CONSTRAINT outages_network_excluded
  CHECK (source <> 'network' OR exclusion IS NOT NULL) NOT VALID;
CREATE UNIQUE INDEX outages_one_open_network ON outages (component)
  WHERE ended_at IS NULL AND source = 'network';

-- Agents push results with a token of their own role.
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_role_check;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_role_check
  CHECK (role IN ('operator', 'billing', 'viewer', 'agent'));

-- Batches an agent pushed, by the id it gave them: a batch sent again (its answer was lost) is
-- acknowledged without writing anything twice. Kept as long as raw results.
CREATE TABLE agent_batches (
  id          uuid PRIMARY KEY,
  location    text NOT NULL,
  results     int NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agent_batches_by_time ON agent_batches (received_at);
