-- GreenLoop MRV schema, version 4 (SQLite): the industrial sectors of the national ETS (steel,
-- aluminium, cement) in the workflow. Their guidelines account a facility as a whole, so a month
-- is one document in the sector calculator's month format (docs/calc/industry.md) rather than
-- rows per generating unit; earlier versions stay in mrv_data_versions with unit_id ''.
-- `profile`: what describes such a facility beyond its name (cement clinker lines, steel captive
-- power units, aluminium enterprise parameters), as JSON; NULL for power facilities.
ALTER TABLE mrv_facilities ADD COLUMN profile TEXT;

CREATE TABLE mrv_sector_months (
  facility_id INTEGER NOT NULL REFERENCES mrv_facilities(id),
  year INTEGER NOT NULL,
  month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
  body TEXT NOT NULL,
  revision INTEGER NOT NULL CHECK (revision >= 1),
  entered_by INTEGER NOT NULL,
  entered_at_us INTEGER NOT NULL,
  PRIMARY KEY (facility_id, year, month)
) STRICT;
