-- Every instant the service accepts lies between 2000-01-01 and 2100-01-01 (the API refuses the
-- rest with 400). The database enforces the same bounds on new rows as a second line, so a row
-- such as effective_from = 'infinity' can never be stored again. NOT VALID: rows written before
-- this rule are left for the readers, which skip what they cannot place on a calendar.
ALTER TABLE sla_policies ADD CONSTRAINT sla_policies_effective_from_bounded
  CHECK (effective_from >= '2000-01-01T00:00:00Z' AND effective_from < '2100-01-01T00:00:00Z')
  NOT VALID;
ALTER TABLE maintenance_windows ADD CONSTRAINT maintenance_windows_bounded
  CHECK (starts_at >= '2000-01-01T00:00:00Z' AND ends_at < '2100-01-01T00:00:00Z') NOT VALID;
ALTER TABLE outages ADD CONSTRAINT outages_bounded
  CHECK (started_at >= '2000-01-01T00:00:00Z'
    AND (ended_at IS NULL OR ended_at < '2100-01-01T00:00:00Z')) NOT VALID;
ALTER TABLE incidents ADD CONSTRAINT incidents_bounded
  CHECK (started_at >= '2000-01-01T00:00:00Z'
    AND (resolved_at IS NULL OR resolved_at < '2100-01-01T00:00:00Z')) NOT VALID;
