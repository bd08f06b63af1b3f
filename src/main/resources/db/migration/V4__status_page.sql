-- The status page colours a day "degraded" when any probe of the component was slow that day;
-- slow minutes are rare, so a partial index finds 90 days of them without scanning the rollups.
CREATE INDEX probe_rollup_minute_degraded ON probe_rollup_minute (minute) WHERE degraded > 0;

-- Single-use tenant sign-in: a token's hash is kept until it expires, so a replay is refused.
CREATE TABLE sso_tokens_used (
  token_hash bytea PRIMARY KEY,
  expires_at timestamptz NOT NULL
);

-- Tenant sessions after sign-in; the cookie carries only the random id.
CREATE TABLE tenant_sessions (
  id         text PRIMARY KEY,
  tenant_id  text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
