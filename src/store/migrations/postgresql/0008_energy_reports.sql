-- GreenLoop energy schema, version 8 (PostgreSQL; same tables and meaning as the SQLite migration of the same number): monthly energy reports of key energy-consuming
-- units (重点用能单位). Every revision is kept; a correction is a new revision of the same month.
-- The body is the month as submitted, the result the energy calculator's accounting of it
-- (GB/T 2589); the four totals are kept as integers of 10^-6 tce (`_u`) for aggregation.
CREATE TABLE energy_reports (
  id BIGINT PRIMARY KEY,
  org_id BIGINT NOT NULL REFERENCES organizations(id),
  year BIGINT NOT NULL,
  month BIGINT NOT NULL CHECK (month BETWEEN 1 AND 12),
  revision BIGINT NOT NULL CHECK (revision >= 1),
  channel TEXT NOT NULL,
  body TEXT NOT NULL,
  result TEXT NOT NULL,
  comprehensive_tce_u BIGINT NOT NULL,
  comprehensive_equal_tce_u BIGINT NOT NULL,
  feedstock_tce_u BIGINT NOT NULL,
  renewable_tce_u BIGINT NOT NULL,
  submitted_by BIGINT NOT NULL,
  submitted_at_us BIGINT NOT NULL,
  UNIQUE (org_id, year, month, revision)
);
CREATE INDEX energy_reports_period ON energy_reports(year, month, org_id);
