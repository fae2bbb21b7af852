-- GreenLoop carbon MRV schema, version 2 (PostgreSQL; same tables and meaning as the SQLite migration of the same number): facilities, their units, monthly monitoring
-- data, annual reports (every version kept), verification cases, findings and adjustments.
-- Decimal figures are integers in millionths (columns ending in _u): 20.908 GJ/t is 20908000.
CREATE TABLE mrv_facilities (
  id BIGINT PRIMARY KEY,
  org_id BIGINT NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL,
  sector TEXT NOT NULL CHECK (sector IN ('power', 'steel', 'aluminium', 'cement')),
  region TEXT,
  created_at_us BIGINT NOT NULL
);
CREATE INDEX mrv_facilities_org ON mrv_facilities(org_id);

CREATE TABLE mrv_units (
  facility_id BIGINT NOT NULL REFERENCES mrv_facilities(id),
  unit_id TEXT NOT NULL,
  name TEXT NOT NULL,
  fuel_type TEXT NOT NULL CHECK (fuel_type IN ('coal_conventional', 'coal_unconventional', 'gas')),
  cfb BIGINT NOT NULL CHECK (cfb IN (0, 1)),
  capacity_mw_u BIGINT NOT NULL CHECK (capacity_mw_u > 0),
  cooling TEXT NOT NULL CHECK (cooling IN ('water', 'air')),
  supplies_heat BIGINT NOT NULL CHECK (supplies_heat IN (0, 1)),
  PRIMARY KEY (facility_id, unit_id)
);

-- The current monthly data of a unit; earlier versions stay in mrv_data_versions.
CREATE TABLE mrv_unit_months (
  facility_id BIGINT NOT NULL,
  year BIGINT NOT NULL,
  unit_id TEXT NOT NULL,
  month BIGINT NOT NULL CHECK (month BETWEEN 1 AND 12),
  generation_mwh_u BIGINT NOT NULL,
  supply_mwh_u BIGINT NOT NULL,
  heat_gj_u BIGINT NOT NULL,
  purchased_mwh_u BIGINT NOT NULL,
  load_rate_u BIGINT,
  meter_evidence TEXT NOT NULL,
  revision BIGINT NOT NULL CHECK (revision >= 1),
  entered_by BIGINT NOT NULL,
  entered_at_us BIGINT NOT NULL,
  PRIMARY KEY (facility_id, year, unit_id, month),
  FOREIGN KEY (facility_id, unit_id) REFERENCES mrv_units(facility_id, unit_id)
);

CREATE TABLE mrv_fuel_months (
  facility_id BIGINT NOT NULL,
  year BIGINT NOT NULL,
  unit_id TEXT NOT NULL,
  month BIGINT NOT NULL,
  fuel TEXT NOT NULL,
  consumption_u BIGINT NOT NULL CHECK (consumption_u >= 0),
  ncv_u BIGINT,
  ncv_evidence TEXT NOT NULL,
  carbon_u BIGINT,
  carbon_evidence TEXT NOT NULL,
  oxidation_u BIGINT,
  PRIMARY KEY (facility_id, year, unit_id, month, fuel),
  FOREIGN KEY (facility_id, year, unit_id, month) REFERENCES mrv_unit_months(facility_id, year, unit_id, month)
);

-- Every version of every unit-month as it was entered or adjusted, with who and how.
CREATE TABLE mrv_data_versions (
  id BIGINT PRIMARY KEY,
  facility_id BIGINT NOT NULL,
  year BIGINT NOT NULL,
  unit_id TEXT NOT NULL,
  month BIGINT NOT NULL,
  revision BIGINT NOT NULL,
  channel TEXT NOT NULL,
  body TEXT NOT NULL,
  entered_by BIGINT NOT NULL,
  entered_at_us BIGINT NOT NULL
);
CREATE INDEX mrv_data_versions_month ON mrv_data_versions(facility_id, year, unit_id, month);

-- Annual emission reports: each submission and each verifier adjustment is a new version.
CREATE TABLE mrv_reports (
  facility_id BIGINT NOT NULL,
  year BIGINT NOT NULL,
  version BIGINT NOT NULL CHECK (version >= 1),
  kind TEXT NOT NULL CHECK (kind IN ('submitted', 'adjusted')),
  total_t_u BIGINT NOT NULL,
  scope_t_u BIGINT NOT NULL,
  body TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at_us BIGINT NOT NULL,
  PRIMARY KEY (facility_id, year, version)
);

CREATE TABLE mrv_cases (
  facility_id BIGINT NOT NULL,
  year BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('submitted', 'assigned', 'in_review', 'concluded', 'confirmed')),
  verifier_org_id BIGINT,
  current_version BIGINT NOT NULL,
  verified_total_t_u BIGINT,
  verified_scope_t_u BIGINT,
  conclusion TEXT,
  submitted_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL,
  PRIMARY KEY (facility_id, year)
);

CREATE TABLE mrv_findings (
  id BIGINT PRIMARY KEY,
  facility_id BIGINT NOT NULL,
  year BIGINT NOT NULL,
  verifier_org_id BIGINT NOT NULL,
  description TEXT NOT NULL,
  adjustment TEXT,
  response TEXT,
  status TEXT NOT NULL CHECK (status IN ('open', 'responded', 'closed')),
  created_by BIGINT NOT NULL,
  created_at_us BIGINT NOT NULL,
  responded_by BIGINT,
  responded_at_us BIGINT
);
CREATE INDEX mrv_findings_case ON mrv_findings(facility_id, year);

-- A verifier that consulted for an enterprise may not verify it (conflict of interest).
CREATE TABLE verifier_conflicts (
  verifier_org_id BIGINT NOT NULL REFERENCES organizations(id),
  enterprise_org_id BIGINT NOT NULL REFERENCES organizations(id),
  reason TEXT NOT NULL,
  recorded_at_us BIGINT NOT NULL,
  PRIMARY KEY (verifier_org_id, enterprise_org_id)
);
