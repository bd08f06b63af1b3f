-- Published SLA versions. A month is judged by the version in force at its first second.
CREATE TABLE sla_policies (
  id                 serial PRIMARY KEY,
  timezone           text NOT NULL,
  partial_weight_num bigint NOT NULL,
  partial_weight_den bigint NOT NULL CHECK (partial_weight_den > 0),
  tiers              jsonb NOT NULL,
  text_en            text NOT NULL,
  text_ko            text NOT NULL,
  published_at       timestamptz NOT NULL,
  effective_from     timestamptz NOT NULL UNIQUE,
  published_by       text NOT NULL
);

INSERT INTO sla_policies (timezone, partial_weight_num, partial_weight_den, tiers, text_en,
  text_ko, published_at, effective_from, published_by)
VALUES ('Asia/Seoul', 3, 10,
  '[{"min_mup": "99.0", "credit_pct": 0}, {"min_mup": "95.0", "credit_pct": 10},
    {"min_mup": "90.0", "credit_pct": 25}, {"min_mup": "0", "credit_pct": 50}]',
  'We aim for a Monthly Uptime Percentage (MUP) of at least 99%. MUP = (1 - downtime / total '
  || 'scheduled service time) x 100, where downtime counts major outage minutes in full and '
  || 'partial outage minutes at 0.3. Announced scheduled maintenance and events outside our '
  || 'control (force majeure, the customer''s own systems, internet failures between us) are '
  || 'not downtime. When MUP falls below 99%, 95% or 90%, accounts in good standing receive '
  || '10%, 25% or 50% of that month''s fee as service credits, applied to the next renewal or '
  || 'upgrade. Credits are never paid in cash and expire when the account is terminated.',
  '월간 가동률(MUP) 99% 이상을 목표로 합니다. MUP = (1 - 장애 시간 / 전체 서비스 시간) x 100이며, '
  || '전면 장애는 100%, 부분 장애는 30%로 계산합니다. 사전 공지된 정기 점검과 천재지변, 고객 측 '
  || '시스템, 인터넷 구간 장애 등 회사가 통제할 수 없는 사유는 장애 시간에 포함하지 않습니다. '
  || 'MUP가 99%, 95%, 90% 미만이면 연체가 없는 고객에게 해당 월 요금의 10%, 25%, 50%를 '
  || '서비스 크레딧으로 제공하며, 다음 갱신이나 업그레이드에 적용됩니다. 크레딧은 현금으로 '
  || '지급되지 않으며 해지 시 소멸합니다.',
  '2026-01-01T00:00:00+09:00', '2026-01-01T00:00:00+09:00', 'migration');

-- Tenants as billing knows them, versioned: a month is settled with the version in force at its
-- end, and a change never rewrites the past.
CREATE TABLE tenant_versions (
  tenant_id   text NOT NULL CHECK (tenant_id ~ '^[A-Za-z0-9._-]{1,64}$'),
  valid_from  timestamptz NOT NULL,
  name        text NOT NULL,
  plan        text NOT NULL,
  members     int NOT NULL CHECK (members >= 0),
  status      text NOT NULL CHECK (status IN ('current', 'past_due', 'terminated')),
  cells       text[] NOT NULL,
  recorded_by text NOT NULL,
  PRIMARY KEY (tenant_id, valid_from)
);

-- Each close that changed a month's figures stores a new revision; earlier ones stay.
CREATE TABLE month_reports (
  month      text NOT NULL CHECK (month ~ '^\d{4}-\d{2}$'),
  revision   int NOT NULL CHECK (revision > 0),
  closed_at  timestamptz NOT NULL,
  closed_by  text NOT NULL,
  policy_id  int NOT NULL REFERENCES sla_policies (id),
  credit_pct int NOT NULL,
  report     jsonb NOT NULL,
  PRIMARY KEY (month, revision)
);

-- The service-credit ledger. Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE). Every
-- writer takes the same transaction advisory lock before inserting, so ids are handed out and
-- committed in one order and "entries after id N" is a gap-free cursor.
CREATE TABLE ledger_entries (
  id              bigserial PRIMARY KEY,
  tenant_id       text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('issue', 'adjust', 'expire', 'application')),
  amount_krw      bigint NOT NULL CHECK (amount_krw <> 0),
  month           text,
  fee_krw         bigint,
  credit_pct      int,
  invoice_ref     text,
  idempotency_key text UNIQUE,
  created_at      timestamptz NOT NULL,
  CHECK ((kind IN ('issue', 'adjust')) = (month IS NOT NULL)),
  CHECK (kind <> 'issue' OR amount_krw > 0),
  CHECK (kind <> 'expire' OR amount_krw < 0),
  CHECK (kind <> 'application' OR (amount_krw < 0 AND invoice_ref IS NOT NULL
    AND idempotency_key IS NOT NULL))
);
CREATE UNIQUE INDEX ledger_one_issue_per_month ON ledger_entries (tenant_id, month) WHERE kind = 'issue';
CREATE INDEX ledger_by_tenant ON ledger_entries (tenant_id, id);
CREATE INDEX ledger_by_month ON ledger_entries (month, tenant_id) WHERE month IS NOT NULL;

CREATE FUNCTION ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_entries is append-only: record an adjustment instead';
END $$;
CREATE TRIGGER ledger_no_update_or_delete BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_is_append_only();
