-- API tokens: only a SHA-256 of each token is kept; the token itself is shown once at creation.
CREATE TABLE api_tokens (
  id         serial PRIMARY KEY,
  name       text NOT NULL,
  role       text NOT NULL CHECK (role IN ('operator', 'billing', 'viewer')),
  token_hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

-- What people read: opened by the outage tracker or by an operator, updated by operators.
CREATE TABLE incidents (
  id           bigserial PRIMARY KEY,
  title_en     text NOT NULL,
  title_ko     text,
  components   text[] NOT NULL,
  outage_class text NOT NULL CHECK (outage_class IN ('major', 'partial')),
  status       text NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved')),
  source       text NOT NULL CHECK (source IN ('probe', 'manual')),
  started_at   timestamptz NOT NULL,
  resolved_at  timestamptz,
  created_at   timestamptz NOT NULL,
  CHECK (resolved_at IS NULL OR resolved_at > started_at)
);

CREATE TABLE incident_updates (
  id          bigserial PRIMARY KEY,
  incident_id bigint NOT NULL REFERENCES incidents (id),
  status      text NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved')),
  message_en  text NOT NULL,
  message_ko  text,
  created_at  timestamptz NOT NULL
);
CREATE INDEX incident_updates_by_incident ON incident_updates (incident_id, id);

-- The facts the SLA is computed from, kept forever. A class change splits an outage into
-- consecutive rows; at most one probe outage per component is open at a time, which is what
-- makes opening idempotent across restarts.
CREATE TABLE outages (
  id             bigserial PRIMARY KEY,
  component      text NOT NULL,
  outage_class   text NOT NULL CHECK (outage_class IN ('major', 'partial')),
  started_at     timestamptz NOT NULL,
  ended_at       timestamptz,
  cells          text[] NOT NULL,
  source         text NOT NULL CHECK (source IN ('probe', 'manual')),
  incident_id    bigint REFERENCES incidents (id),
  exclusion      text CHECK (exclusion IN ('force_majeure', 'customer_caused', 'network')),
  exclusion_note text,
  CHECK (ended_at IS NULL OR ended_at > started_at),
  CHECK ((exclusion IS NULL) = (exclusion_note IS NULL))
);
CREATE UNIQUE INDEX outages_one_open_probe ON outages (component) WHERE ended_at IS NULL AND source = 'probe';
CREATE INDEX outages_by_time ON outages (started_at);

-- Scheduled maintenance: one-off, or a series when rrule is set (occurrences are computed,
-- never stored). Cancelling keeps the row; occurrences from cancelled_at on are gone.
CREATE TABLE maintenance_windows (
  id             bigserial PRIMARY KEY,
  title_en       text NOT NULL,
  title_ko       text,
  description_en text NOT NULL,
  description_ko text,
  components     text[] NOT NULL,
  starts_at      timestamptz NOT NULL,
  ends_at        timestamptz NOT NULL,
  rrule          text,
  created_at     timestamptz NOT NULL,
  cancelled_at   timestamptz,
  CHECK (ends_at > starts_at)
);

-- Who changed what, before and after; written in the same transaction as the change.
CREATE TABLE audit_log (
  id        bigserial PRIMARY KEY,
  at        timestamptz NOT NULL,
  actor     text NOT NULL,
  action    text NOT NULL,
  entity    text NOT NULL,
  entity_id text NOT NULL,
  before    jsonb,
  after     jsonb
);

-- Months whose SLA figures a change may have moved; month close re-evaluates them.
CREATE TABLE sla_months_to_reevaluate (
  month     text PRIMARY KEY CHECK (month ~ '^\d{4}-\d{2}$'),
  marked_at timestamptz NOT NULL
);
