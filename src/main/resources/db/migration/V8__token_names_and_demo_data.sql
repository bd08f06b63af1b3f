-- A token's name is how operators list and revoke it and how audit rows name its holder, so it
-- names one token, revoked ones included. Names repeated before this rule keep their first
-- holder; later ones get their id appended.
UPDATE api_tokens t SET name = t.name || '-' || t.id
WHERE EXISTS (SELECT 1 FROM api_tokens o WHERE o.name = t.name AND o.id < t.id);
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_name_key UNIQUE (name);

-- When a token was last looked up (the service caches lookups, so to within 30 s).
ALTER TABLE api_tokens ADD COLUMN last_used_at timestamptz;

-- A revoked (or deleted) token must stop working at once in every running service, though each
-- caches lookups: they listen on this channel and forget their cache.
CREATE FUNCTION api_tokens_announce_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('statusdesk_token_revoked', OLD.id::text);
  RETURN NULL;
END $$;
CREATE TRIGGER api_tokens_revoked AFTER UPDATE OF revoked_at ON api_tokens
  FOR EACH ROW WHEN (NEW.revoked_at IS DISTINCT FROM OLD.revoked_at)
  EXECUTE FUNCTION api_tokens_announce_revocation();
CREATE TRIGGER api_tokens_deleted AFTER DELETE ON api_tokens
  FOR EACH ROW EXECUTE FUNCTION api_tokens_announce_revocation();

-- What `serve --demo` recorded for each month it seeded, so demo rows are known for what they
-- are (and can be deleted) and a restart seeds nothing twice: the month's row is written first,
-- in the seeding transaction, and a month that has one is never seeded again.
CREATE TABLE demo_seeds (
  month       text PRIMARY KEY CHECK (month ~ '^\d{4}-\d{2}$'),
  seeded_at   timestamptz NOT NULL,
  tenants     text[] NOT NULL DEFAULT '{}',
  incidents   bigint[] NOT NULL DEFAULT '{}',
  outages     bigint[] NOT NULL DEFAULT '{}',
  maintenance bigint[] NOT NULL DEFAULT '{}',
  checks      int[] NOT NULL DEFAULT '{}'
);
