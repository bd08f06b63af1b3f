-- Plan prices are versioned (docs/sla.md, rule 8): a month is settled with the price in force at
-- its end, and a change never takes effect in the past, so a closed month's fees never move.
-- checks.yaml's `plans:` records a new version when it changes; billing may schedule one ahead.
CREATE TABLE plan_prices (
  plan                 text NOT NULL CHECK (plan ~ '^[a-z0-9_-]{1,32}$'),
  effective_from       timestamptz NOT NULL,
  price_per_member_krw bigint NOT NULL CHECK (price_per_member_krw >= 0),
  max_members          int CHECK (max_members IS NULL OR max_members >= 0),
  recorded_at          timestamptz NOT NULL,
  recorded_by          text NOT NULL,
  from_config          boolean NOT NULL,
  PRIMARY KEY (plan, effective_from)
);

-- Why a month must be settled again: each mark keeps the changes behind it, and the entries a
-- re-close writes carry them.
ALTER TABLE sla_months_to_reevaluate ADD COLUMN reasons text[] NOT NULL DEFAULT '{}';

-- Every entry says which report revision it settles and why it exists. `unrecovered` records the
-- part of a downward correction that could not be taken back because the points were already
-- spent or expired (negative), or its reversal when a later correction restores the credit
-- (positive): it never moves the balance, which never goes below zero.
ALTER TABLE ledger_entries ADD COLUMN revision int;
ALTER TABLE ledger_entries ADD COLUMN reason text;
ALTER TABLE ledger_entries ADD COLUMN invoice_total_krw bigint;
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
  CHECK (kind IN ('issue', 'adjust', 'expire', 'application', 'unrecovered'));
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_month_check
  CHECK ((kind IN ('issue', 'adjust', 'unrecovered')) = (month IS NOT NULL));

-- Idempotency keys belong to a tenant; one invoice is credited at most once.
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_idempotency_key_key;
CREATE UNIQUE INDEX ledger_idempotency_per_tenant ON ledger_entries (tenant_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE UNIQUE INDEX ledger_one_application_per_invoice ON ledger_entries (tenant_id, invoice_ref)
  WHERE kind = 'application';

-- A tenant's recorded state may be back-dated; who recorded it and when stays visible.
ALTER TABLE tenant_versions ADD COLUMN recorded_at timestamptz;

-- Incidents recorded in error can be excluded as such (docs/sla.md, rule 4).
ALTER TABLE outages DROP CONSTRAINT outages_exclusion_check;
ALTER TABLE outages ADD CONSTRAINT outages_exclusion_check
  CHECK (exclusion IN ('force_majeure', 'customer_caused', 'network', 'mistaken'));
