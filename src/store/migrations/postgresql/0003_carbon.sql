-- GreenLoop carbon market schema, version 3 (PostgreSQL; same tables and meaning as the SQLite migration of the same number): allowance allocations issued into the
-- registry with their calculation, surrenders against verified emissions, penalty decisions.
-- Quantities are whole tonnes (1 allowance = 1 tCO2); money in fen.
CREATE TABLE carbon_allocations (
  id BIGINT PRIMARY KEY,
  org_id BIGINT NOT NULL REFERENCES organizations(id),
  year BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('pre_allocation', 'true_up', 'claw_back')),
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  instrument TEXT NOT NULL,
  account_id BIGINT NOT NULL,
  differentiated BIGINT NOT NULL CHECK (differentiated IN (0, 1)),
  entry_id BIGINT NOT NULL,
  plan TEXT NOT NULL,
  calculation TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at_us BIGINT NOT NULL
);
CREATE INDEX carbon_allocations_year ON carbon_allocations(year, org_id);

CREATE TABLE carbon_surrenders (
  id BIGINT PRIMARY KEY,
  org_id BIGINT NOT NULL REFERENCES organizations(id),
  year BIGINT NOT NULL,
  instrument TEXT NOT NULL,
  family TEXT NOT NULL CHECK (family IN ('CEA', 'CCER')),
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  account_id BIGINT NOT NULL,
  entry_id BIGINT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at_us BIGINT NOT NULL
);
CREATE INDEX carbon_surrenders_year ON carbon_surrenders(year, org_id);

CREATE TABLE carbon_penalties (
  id BIGINT PRIMARY KEY,
  org_id BIGINT NOT NULL REFERENCES organizations(id),
  year BIGINT NOT NULL,
  shortfall_t BIGINT NOT NULL CHECK (shortfall_t > 0),
  amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
  deduction_t BIGINT NOT NULL CHECK (deduction_t >= 0),
  basis TEXT NOT NULL,
  decided_by BIGINT NOT NULL,
  decided_at_us BIGINT NOT NULL,
  UNIQUE (org_id, year)
);
