-- GreenLoop carbon market schema, version 5 (SQLite): releases of differentiated allowances. An
-- enterprise whose previous year was unsettled (or whose holding account was frozen) has its
-- allowances issued to the provincial account (差异化发放); once the cause is gone the regulator
-- releases them to its holding account, one journal entry per release.
CREATE TABLE carbon_releases (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations(id),
  year INTEGER NOT NULL,
  instrument TEXT NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  from_account_id INTEGER NOT NULL,
  to_account_id INTEGER NOT NULL,
  entry_id INTEGER NOT NULL,
  reason TEXT NOT NULL,
  created_by INTEGER NOT NULL,
  created_at_us INTEGER NOT NULL
) STRICT;
CREATE INDEX carbon_releases_year ON carbon_releases(year, org_id);
