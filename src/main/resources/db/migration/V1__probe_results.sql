-- Every probed cell, one row per (component, cell); ids keep the result tables narrow.
CREATE TABLE checks (
  id         serial PRIMARY KEY,
  component  text NOT NULL,
  cell       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (component, cell)
);

-- Raw results, partitioned by UTC day and dropped after retention_days. The primary key makes a
-- retried batch a no-op, so a write whose commit answer was lost can be sent again safely.
CREATE TABLE probe_results (
  check_id   int NOT NULL,
  location   text NOT NULL,
  probed_at  timestamptz NOT NULL,
  outcome    text NOT NULL CHECK (outcome IN ('up', 'degraded', 'down')),
  latency_ms int NOT NULL CHECK (latency_ms >= 0),
  error      text,
  PRIMARY KEY (check_id, location, probed_at)
) PARTITION BY RANGE (probed_at);

-- Catches rows whose day partition does not exist yet, so a late partition job never loses data.
CREATE TABLE probe_results_default PARTITION OF probe_results DEFAULT;

-- Per-check minute rollups, kept forever: SLA disputes outlive raw retention.
CREATE TABLE probe_rollup_minute (
  check_id       int NOT NULL REFERENCES checks (id),
  location       text NOT NULL,
  minute         timestamptz NOT NULL,
  up             int NOT NULL,
  degraded       int NOT NULL,
  down           int NOT NULL,
  latency_sum_ms bigint NOT NULL,
  latency_max_ms int NOT NULL,
  last_at        timestamptz NOT NULL,
  PRIMARY KEY (check_id, location, minute)
);

-- Spans with no samples: the monitor was not running, or results overflowed the write buffer.
-- Never downtime, never green.
CREATE TABLE monitoring_gaps (
  id         bigserial PRIMARY KEY,
  check_id   int NOT NULL REFERENCES checks (id),
  location   text NOT NULL,
  started_at timestamptz NOT NULL,
  ended_at   timestamptz NOT NULL,
  reason     text NOT NULL CHECK (reason IN ('monitor_down', 'buffer_overflow')),
  UNIQUE (check_id, location, started_at),
  CHECK (ended_at > started_at)
);

-- Creates day partitions from yesterday to days_ahead and drops those wholly older than
-- retention. Serialised by an advisory lock so several instances can all call it.
CREATE FUNCTION maintain_probe_partitions(retention_days int, days_ahead int)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  day date;
  part record;
  upper_bound timestamptz;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('maintain_probe_partitions'));
  FOR day IN SELECT generate_series((now() AT TIME ZONE 'UTC')::date - 1,
                                    (now() AT TIME ZONE 'UTC')::date + days_ahead,
                                    interval '1 day')::date LOOP
    IF to_regclass('probe_results_' || to_char(day, 'YYYYMMDD')) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE %I PARTITION OF probe_results FOR VALUES FROM (%L) TO (%L)',
        'probe_results_' || to_char(day, 'YYYYMMDD'),
        (day::timestamp AT TIME ZONE 'UTC'), ((day + 1)::timestamp AT TIME ZONE 'UTC'));
    END IF;
  END LOOP;
  FOR part IN
    SELECT c.relname AS name
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'probe_results'::regclass AND c.relname ~ '^probe_results_\d{8}$'
  LOOP
    upper_bound := (to_date(substr(part.name, 15), 'YYYYMMDD') + 1)::timestamp AT TIME ZONE 'UTC';
    IF upper_bound < now() - make_interval(days => retention_days) THEN
      EXECUTE format('DROP TABLE %I', part.name);
    END IF;
  END LOOP;
END $$;
