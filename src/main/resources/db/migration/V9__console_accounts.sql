-- People who use the web console. A password (Argon2id, PHC string) and a TOTP secret are set
-- through a one-time set-up link; until then both are null and the account cannot sign in.
-- Failed sign-ins back off exponentially per account (locked_until); totp_last_step refuses a code
-- that was already used, so a code seen over a shoulder cannot be replayed within its step.
CREATE TABLE accounts (
  id             bigserial PRIMARY KEY,
  email          text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  role           text NOT NULL CHECK (role IN ('admin', 'operator', 'billing', 'viewer')),
  password_hash  text,
  totp_secret    bytea,
  totp_last_step bigint NOT NULL DEFAULT 0,
  failed_signins int NOT NULL DEFAULT 0,
  locked_until   timestamptz,
  disabled_at    timestamptz,
  created_at     timestamptz NOT NULL,
  created_by     text NOT NULL,
  CHECK ((password_hash IS NULL) = (totp_secret IS NULL))
);
CREATE UNIQUE INDEX accounts_by_email ON accounts (lower(email));

-- One-time set-up links (new accounts, reset second factors). Only a hash of the link's token is
-- kept; the TOTP secret the person enrols is fixed with the link, so reloading the page shows the
-- same QR code.
CREATE TABLE account_setup_links (
  token_hash  bytea PRIMARY KEY,
  account_id  bigint NOT NULL REFERENCES accounts (id),
  totp_secret bytea NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX account_setup_links_by_account ON account_setup_links (account_id);

-- Ten single-use recovery codes per account, hashed; a used one keeps its row with used_at.
CREATE TABLE recovery_codes (
  account_id bigint NOT NULL REFERENCES accounts (id),
  code_hash  bytea NOT NULL,
  used_at    timestamptz,
  PRIMARY KEY (account_id, code_hash)
);

-- Console sessions, so they work across instances and survive restarts. The cookie carries a
-- random id; only its hash is stored. A session ends 30 minutes after it was last seen, 12 hours
-- after sign-in, or at sign-out.
CREATE TABLE console_sessions (
  id_hash      bytea PRIMARY KEY,
  account_id   bigint NOT NULL REFERENCES accounts (id),
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL
);
CREATE INDEX console_sessions_by_account ON console_sessions (account_id);
CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_at);

-- API tokens managed in the console: an optional expiry, who made it, and when it was last used
-- (noted on each lookup, which the service caches for 30 s). IF NOT EXISTS: another migration may
-- add last_used_at too.
ALTER TABLE api_tokens ADD COLUMN IF NOT EXISTS last_used_at timestamptz;
ALTER TABLE api_tokens ADD COLUMN IF NOT EXISTS expires_at timestamptz;
ALTER TABLE api_tokens ADD COLUMN IF NOT EXISTS created_by text;

-- The console's keyset-paged lists and filters.
CREATE INDEX audit_log_by_actor ON audit_log (actor, id);
CREATE INDEX audit_log_by_action ON audit_log (action, id);
CREATE INDEX audit_log_by_at ON audit_log (at, id);
CREATE INDEX ledger_by_kind ON ledger_entries (kind, id);
-- Tenant search by any part of the id or name: trigram indexes (pg_trgm is a trusted extension,
-- so the database's owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX tenant_versions_id_trgm ON tenant_versions USING gin (lower(tenant_id) gin_trgm_ops);
CREATE INDEX tenant_versions_name_trgm ON tenant_versions USING gin (lower(name) gin_trgm_ops);
CREATE INDEX monitoring_gaps_by_start ON monitoring_gaps (started_at);
CREATE INDEX incidents_by_start ON incidents (started_at, id);
