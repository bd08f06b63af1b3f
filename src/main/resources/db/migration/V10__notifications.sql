-- The transactional outbox: every change people are told about writes its event here in the
-- transaction that makes the change, so an event exists exactly when its change committed. The
-- idempotency key makes a replayed or retried writer (a restart, a lost commit answer) add nothing.
CREATE TABLE notify_events (
  id              bigserial PRIMARY KEY,
  kind            text NOT NULL,
  subject         text NOT NULL,
  components      text[] NOT NULL DEFAULT '{}',
  payload         jsonb NOT NULL,
  occurred_at     timestamptz NOT NULL,
  idempotency_key text NOT NULL UNIQUE,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  fanned_out_at   timestamptz
);
CREATE INDEX notify_events_to_fan_out ON notify_events (id) WHERE fanned_out_at IS NULL;

-- Public subscribers: email addresses (double opt-in: pending until the link is followed) and
-- webhooks an operator added. The token is the subscriber's key to confirm, manage and leave.
CREATE TABLE notify_subscribers (
  id                 bigserial PRIMARY KEY,
  kind               text NOT NULL CHECK (kind IN ('email', 'webhook')),
  address            text NOT NULL,
  lang               text NOT NULL CHECK (lang IN ('en', 'ko')),
  components         text[] NOT NULL DEFAULT '{}',
  state              text NOT NULL CHECK (state IN ('pending', 'active')),
  token              text NOT NULL UNIQUE,
  secret             text,
  created_at         timestamptz NOT NULL,
  confirm_expires_at timestamptz,
  confirmed_at       timestamptz,
  UNIQUE (kind, address),
  CHECK ((kind = 'webhook') = (secret IS NOT NULL))
);

-- Where each tenant wants its monthly statement and SLA notices.
CREATE TABLE notify_contacts (
  id         bigserial PRIMARY KEY,
  tenant_id  text NOT NULL,
  address    text NOT NULL,
  lang       text NOT NULL CHECK (lang IN ('en', 'ko')),
  created_at timestamptz NOT NULL,
  UNIQUE (tenant_id, address)
);

-- All that is kept of an address after it unsubscribed or was erased: its SHA-256.
CREATE TABLE notify_suppressions (
  address_hash bytea PRIMARY KEY,
  reason       text NOT NULL,
  created_at   timestamptz NOT NULL
);

-- One row per event x channel x recipient. A recipient is a subscriber, a tenant contact or an
-- alert channel from checks.yaml; addresses are read from their rows when sending, so erasing a
-- subscriber or contact erases its deliveries too. A claim moves next_attempt_at a lease ahead,
-- so a delivery whose sender died is claimed again once the lease runs out (at-least-once).
CREATE TABLE notify_deliveries (
  id              bigserial PRIMARY KEY,
  event_id        bigint NOT NULL REFERENCES notify_events ON DELETE CASCADE,
  channel         text NOT NULL,
  recipient       text NOT NULL,
  subscriber_id   bigint REFERENCES notify_subscribers ON DELETE CASCADE,
  contact_id      bigint REFERENCES notify_contacts ON DELETE CASCADE,
  lang            text NOT NULL,
  collapse_key    text,
  state           text NOT NULL CHECK (state IN ('pending', 'sent', 'dead', 'collapsed')),
  attempts        int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_error      text,
  created_at      timestamptz NOT NULL,
  sent_at         timestamptz,
  UNIQUE (event_id, channel, recipient)
);
CREATE INDEX notify_deliveries_due ON notify_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX notify_deliveries_sent ON notify_deliveries (recipient, sent_at) WHERE state = 'sent';
CREATE INDEX notify_deliveries_collapsible ON notify_deliveries (collapse_key, id)
  WHERE state = 'pending' AND collapse_key IS NOT NULL;
CREATE INDEX notify_deliveries_dead ON notify_deliveries (id) WHERE state = 'dead';
CREATE INDEX notify_deliveries_subscriber ON notify_deliveries (subscriber_id)
  WHERE subscriber_id IS NOT NULL;
CREATE INDEX notify_deliveries_contact ON notify_deliveries (contact_id)
  WHERE contact_id IS NOT NULL;

-- The key that signs the public forms' tokens: made by the first instance that starts (from
-- Java's SecureRandom), then shared by every instance and kept across restarts.
CREATE TABLE notify_keys (
  name  text PRIMARY KEY,
  value bytea NOT NULL
);
