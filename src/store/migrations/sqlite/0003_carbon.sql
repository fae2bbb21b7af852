-- GreenLoop carbon market schema, version 3 (SQLite): allowance allocations issued into the
-- registry with their calculation, surrenders against verified emissions, penalty decisions.
-- Quantities are whole tonnes (1 allowance = 1 tCO2); money in fen.
CREATE TABLE carbon_allocations (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations(id),
  year INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('pre_allocation', 'true_up', 'claw_back')),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  instrument TEXT NOT NULL,
  account_id INTEGER NOT NULL,
  differentiated INTEGER NOT NULL CHECK (differentiated IN (0, 1)),
  entry_id INTEGER NOT NULL,
  plan TEXT NOT NULL,
  calculation TEXT NOT NULL,
  created_by INTEGER NOT NULL,
  created_at_us INTEGER NOT NULL
) STRICT;
CREATE INDEX carbon_allocations_year ON carbon_allocations(year, org_id);

CREATE TABLE carbon_surrenders (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations(id),
  year INTEGER NOT NULL,
  instrument TEXT NOT NULL,
  family TEXT NOT NULL CHECK (family IN ('CEA', 'CCER')),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  account_id INTEGER NOT NULL,
  entry_id INTEGER NOT NULL,
  created_by INTEGER NOT NULL,
  created_at_us INTEGER NOT NULL
) STRICT;
CREATE INDEX carbon_surrenders_year ON carbon_surrenders(year, org_id);

CREATE TABLE carbon_penalties (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations(id),
  year INTEGER NOT NULL,
  shortfall_t INTEGER NOT NULL CHECK (shortfall_t > 0),
  amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
  deduction_t INTEGER NOT NULL CHECK (deduction_t >= 0),
  basis TEXT NOT NULL,
  decided_by INTEGER NOT NULL,
  decided_at_us INTEGER NOT NULL,
  UNIQUE (org_id, year)
) STRICT;
