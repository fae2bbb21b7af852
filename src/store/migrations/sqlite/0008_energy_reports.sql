-- GreenLoop energy schema, version 8 (SQLite): monthly energy reports of key energy-consuming
-- units (重点用能单位). Every revision is kept; a correction is a new revision of the same month.
-- The body is the month as submitted, the result the energy calculator's accounting of it
-- (GB/T 2589); the four totals are kept as integers of 10^-6 tce (`_u`) for aggregation.
CREATE TABLE energy_reports (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations(id),
  year INTEGER NOT NULL,
  month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
  revision INTEGER NOT NULL CHECK (revision >= 1),
  channel TEXT NOT NULL,
  body TEXT NOT NULL,
  result TEXT NOT NULL,
  comprehensive_tce_u INTEGER NOT NULL,
  comprehensive_equal_tce_u INTEGER NOT NULL,
  feedstock_tce_u INTEGER NOT NULL,
  renewable_tce_u INTEGER NOT NULL,
  submitted_by INTEGER NOT NULL,
  submitted_at_us INTEGER NOT NULL,
  UNIQUE (org_id, year, month, revision)
) STRICT;
CREATE INDEX energy_reports_period ON energy_reports(year, month, org_id);
