-- GreenLoop carbon market schema, version 5 (PostgreSQL; same tables and meaning as the SQLite migration of the same number): releases of differentiated allowances. An
-- enterprise whose previous year was unsettled (or whose holding account was frozen) has its
-- allowances issued to the provincial account (差异化发放); once the cause is gone the regulator
-- releases them to its holding account, one journal entry per release.
CREATE TABLE carbon_releases (
  id BIGINT PRIMARY KEY,
  org_id BIGINT NOT NULL REFERENCES organizations(id),
  year BIGINT NOT NULL,
  instrument TEXT NOT NULL,
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  from_account_id BIGINT NOT NULL,
  to_account_id BIGINT NOT NULL,
  entry_id BIGINT NOT NULL,
  reason TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at_us BIGINT NOT NULL
);
CREATE INDEX carbon_releases_year ON carbon_releases(year, org_id);
