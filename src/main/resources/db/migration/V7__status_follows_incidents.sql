-- Each incident says how it affects each of its components, as Statuspage incidents do; the page
-- shows the worst of what the probes see and what open incidents say.
ALTER TABLE incidents ADD COLUMN impacts jsonb NOT NULL DEFAULT '{}';
UPDATE incidents SET impacts = (
  SELECT coalesce(jsonb_object_agg(c, CASE WHEN outage_class = 'major' THEN 'major_outage'
    ELSE 'partial_outage' END), '{}') FROM unnest(components) c);

-- A mistaken incident is hidden from the public page and feeds, never deleted; a postmortem is
-- written once the dust settles.
ALTER TABLE incidents ADD COLUMN hidden_at timestamptz;
ALTER TABLE incidents ADD COLUMN hidden_reason text;
ALTER TABLE incidents ADD COLUMN postmortem_en text;
ALTER TABLE incidents ADD COLUMN postmortem_ko text;
ALTER TABLE incidents ADD CONSTRAINT incidents_hidden_with_reason
  CHECK ((hidden_at IS NULL) = (hidden_reason IS NULL));

-- A component's status set by hand, until it expires by itself.
CREATE TABLE component_status_overrides (
  component text PRIMARY KEY,
  status    text NOT NULL CHECK (status IN ('operational', 'degraded_performance',
    'partial_outage', 'major_outage', 'under_maintenance')),
  until     timestamptz NOT NULL,
  note      text,
  set_by    text NOT NULL,
  set_at    timestamptz NOT NULL
);
