// The MRV workflow's SQL (schema: migrations/*/0002_mrv.sql), beside the registry's in
// sql_store.cc. Decimals are stored as integer millionths (columns ending in _u).
#include <nlohmann/json.hpp>

#include "store/sql_store.h"

namespace greenloop {
namespace {

SqlValue OptDecimal(const std::optional<Decimal>& d) { return d ? SqlValue(d->micros()) : SqlValue(); }
SqlValue OptInt(const std::optional<std::int64_t>& v) { return v ? SqlValue(*v) : SqlValue(); }
SqlValue Text(std::string_view v) { return SqlValue(std::string(v)); }
std::optional<Decimal> ReadOptDecimal(const SqlRow& r, int column) {
  if (r.IsNull(column)) return std::nullopt;
  return Decimal::FromMicros(r.Int(column));
}

std::string AdjustmentText(const mrv::Adjustment& a) {
  nlohmann::json j{{"unit_id", a.unit_id}, {"month", a.month}, {"fuel", a.fuel}, {"field", a.field},
                   {"value_u", a.value.micros()}};
  if (!a.path.empty()) j["path"] = a.path;
  return j.dump();
}

std::optional<mrv::Adjustment> ReadAdjustment(const SqlRow& r, int column) {
  if (r.IsNull(column)) return std::nullopt;
  nlohmann::json j = nlohmann::json::parse(r.Text(column), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  mrv::Adjustment a;
  a.unit_id = j.value("unit_id", "");
  a.month = j.value("month", 0);
  a.fuel = j.value("fuel", "");
  a.field = j.value("field", "");
  a.path = j.value("path", "");
  a.value = Decimal::FromMicros(j.value("value_u", std::int64_t{0}));
  return a;
}

const char* kCaseColumns =
    "c.facility_id, c.year, c.status, c.verifier_org_id, c.current_version, c.verified_total_t_u, c.verified_scope_t_u, "
    "c.conclusion, c.submitted_at_us, c.updated_at_us";

mrv::Case ReadCase(const SqlRow& r) {
  mrv::Case c;
  c.facility_id = r.Int(0);
  c.year = static_cast<int>(r.Int(1));
  c.status = mrv::ParseCaseStatus(r.Text(2)).value_or(mrv::CaseStatus::kSubmitted);
  if (!r.IsNull(3)) c.verifier_org_id = r.Int(3);
  c.current_version = static_cast<int>(r.Int(4));
  c.verified_total_t = ReadOptDecimal(r, 5);
  c.verified_scope_t = ReadOptDecimal(r, 6);
  c.conclusion = r.IsNull(7) ? "" : r.Text(7);
  c.submitted_at_us = r.Int(8);
  c.updated_at_us = r.Int(9);
  return c;
}

mrv::Facility ReadFacility(const SqlRow& r) {
  mrv::Facility f;
  f.id = r.Int(0);
  f.org_id = r.Int(1);
  f.name = r.Text(2);
  f.sector = mrv::ParseSector(r.Text(3)).value_or(mrv::Sector::kPower);
  f.region = r.IsNull(4) ? "" : r.Text(4);
  f.created_at_us = r.Int(5);
  f.profile_json = r.IsNull(6) ? "" : r.Text(6);
  return f;
}

mrv::UnitFuelType ParseFuelType(const std::string& text) {
  if (text == "gas") return mrv::UnitFuelType::kGas;
  if (text == "coal_unconventional") return mrv::UnitFuelType::kCoalUnconventional;
  return mrv::UnitFuelType::kCoalConventional;
}

}  // namespace

Status SqlStore::WriteMrv(const MrvBatch& b) {
  SqlConnection& db = *writer_;
  std::vector<SqlParams> rows;
  auto run = [&](const char* sql) {
    Status st = db.ExecRows(sql, rows);
    rows.clear();
    return st;
  };
  for (const mrv::Facility& f : b.facilities) {
    rows.push_back({f.id, f.org_id, f.name, Text(mrv::SectorName(f.sector)),
                    f.region.empty() ? SqlValue() : SqlValue(f.region), f.created_at_us,
                    f.profile_json.empty() ? SqlValue() : SqlValue(f.profile_json)});
  }
  GL_RETURN_IF_ERROR(run("INSERT INTO mrv_facilities (id, org_id, name, sector, region, created_at_us, profile) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                         "region = excluded.region, profile = excluded.profile"));
  for (const auto& [facility_id, u] : b.units) {
    rows.push_back({facility_id, u.id, u.name, Text(mrv::UnitFuelTypeName(u.fuel_type)),
                    std::int64_t{u.circulating_fluidized_bed ? 1 : 0}, u.capacity_mw.micros(),
                    Text(mrv::CoolingMethodName(u.cooling)), std::int64_t{u.supplies_heat ? 1 : 0}});
  }
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO mrv_units (facility_id, unit_id, name, fuel_type, cfb, capacity_mw_u, cooling, supplies_heat) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (facility_id, unit_id) DO UPDATE SET name = excluded.name, "
      "fuel_type = excluded.fuel_type, cfb = excluded.cfb, capacity_mw_u = excluded.capacity_mw_u, "
      "cooling = excluded.cooling, supplies_heat = excluded.supplies_heat"));
  for (const mrv::StoredUnitMonth& m : b.unit_months) {
    rows.push_back({m.facility_id, std::int64_t{m.year}, m.data.unit_id, std::int64_t{m.data.month}});
  }
  GL_RETURN_IF_ERROR(run("DELETE FROM mrv_fuel_months WHERE facility_id = ? AND year = ? AND unit_id = ? AND month = ?"));
  for (const mrv::StoredUnitMonth& m : b.unit_months) {
    const mrv::UnitMonth& d = m.data;
    rows.push_back({m.facility_id, std::int64_t{m.year}, d.unit_id, std::int64_t{d.month}, d.generation_mwh.micros(),
                    d.supply_mwh.micros(), d.heat_supplied_gj.micros(), d.purchased_electricity_mwh.micros(),
                    OptDecimal(d.load_rate), d.meter_evidence, std::int64_t{m.revision}, m.entered_by, m.entered_at_us});
  }
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO mrv_unit_months (facility_id, year, unit_id, month, generation_mwh_u, supply_mwh_u, heat_gj_u, "
      "purchased_mwh_u, load_rate_u, meter_evidence, revision, entered_by, entered_at_us) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (facility_id, year, unit_id, month) DO UPDATE SET "
      "generation_mwh_u = excluded.generation_mwh_u, supply_mwh_u = excluded.supply_mwh_u, heat_gj_u = excluded.heat_gj_u, "
      "purchased_mwh_u = excluded.purchased_mwh_u, load_rate_u = excluded.load_rate_u, "
      "meter_evidence = excluded.meter_evidence, revision = excluded.revision, entered_by = excluded.entered_by, "
      "entered_at_us = excluded.entered_at_us"));
  for (const mrv::StoredUnitMonth& m : b.unit_months) {
    for (const mrv::FuelUse& f : m.data.fuels) {
      rows.push_back({m.facility_id, std::int64_t{m.year}, m.data.unit_id, std::int64_t{m.data.month}, f.fuel,
                      f.consumption.micros(), OptDecimal(f.ncv), f.ncv_evidence, OptDecimal(f.carbon_tc_per_gj),
                      f.carbon_evidence, OptDecimal(f.oxidation_rate)});
    }
  }
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO mrv_fuel_months (facility_id, year, unit_id, month, fuel, consumption_u, ncv_u, ncv_evidence, "
      "carbon_u, carbon_evidence, oxidation_u) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  for (const mrv::StoredSectorMonth& m : b.sector_months) {
    rows.push_back({m.facility_id, std::int64_t{m.year}, std::int64_t{m.month}, m.body_json, std::int64_t{m.revision},
                    m.entered_by, m.entered_at_us});
  }
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO mrv_sector_months (facility_id, year, month, body, revision, entered_by, entered_at_us) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (facility_id, year, month) DO UPDATE SET body = excluded.body, "
      "revision = excluded.revision, entered_by = excluded.entered_by, entered_at_us = excluded.entered_at_us"));
  for (const mrv::DataVersion& v : b.data_versions) {
    rows.push_back({v.id, v.facility_id, std::int64_t{v.year}, v.unit_id, std::int64_t{v.month}, std::int64_t{v.revision},
                    v.channel, v.body_json, v.entered_by, v.entered_at_us});
  }
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO mrv_data_versions (id, facility_id, year, unit_id, month, revision, channel, body, entered_by, "
      "entered_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  for (const mrv::Report& r : b.reports) {
    rows.push_back({r.facility_id, std::int64_t{r.year}, std::int64_t{r.version}, r.kind, r.total_t.micros(),
                    r.scope_t.micros(), r.body_json, r.created_by, r.created_at_us});
  }
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO mrv_reports (facility_id, year, version, kind, total_t_u, scope_t_u, body, created_by, created_at_us) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  for (const mrv::Case& c : b.cases) {
    rows.push_back({c.facility_id, std::int64_t{c.year}, Text(mrv::CaseStatusName(c.status)), OptInt(c.verifier_org_id),
                    std::int64_t{c.current_version}, OptDecimal(c.verified_total_t), OptDecimal(c.verified_scope_t),
                    c.conclusion.empty() ? SqlValue() : SqlValue(c.conclusion), c.submitted_at_us, c.updated_at_us});
  }
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO mrv_cases (facility_id, year, status, verifier_org_id, current_version, verified_total_t_u, "
      "verified_scope_t_u, conclusion, submitted_at_us, updated_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (facility_id, year) DO UPDATE SET status = excluded.status, verifier_org_id = excluded.verifier_org_id, "
      "current_version = excluded.current_version, verified_total_t_u = excluded.verified_total_t_u, "
      "verified_scope_t_u = excluded.verified_scope_t_u, conclusion = excluded.conclusion, "
      "updated_at_us = excluded.updated_at_us"));
  for (const mrv::Finding& f : b.findings) {
    rows.push_back({f.id, f.facility_id, std::int64_t{f.year}, f.verifier_org_id, f.description,
                    f.adjustment ? SqlValue(AdjustmentText(*f.adjustment)) : SqlValue(),
                    f.response.empty() ? SqlValue() : SqlValue(f.response), Text(mrv::FindingStatusName(f.status)),
                    f.created_by, f.created_at_us, OptInt(f.responded_by), OptInt(f.responded_at_us)});
  }
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO mrv_findings (id, facility_id, year, verifier_org_id, description, adjustment, response, "
      "status, created_by, created_at_us, responded_by, responded_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (id) DO UPDATE SET response = excluded.response, status = excluded.status, "
      "responded_by = excluded.responded_by, responded_at_us = excluded.responded_at_us"));
  for (const mrv::VerifierConflict& c : b.conflicts) {
    rows.push_back({c.verifier_org_id, c.enterprise_org_id, c.reason, c.recorded_at_us});
  }
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO verifier_conflicts (verifier_org_id, enterprise_org_id, reason, recorded_at_us) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (verifier_org_id, enterprise_org_id) DO UPDATE SET reason = excluded.reason"));
  for (const compliance::AllocationRecord& a : b.allocations) {
    rows.push_back({a.id, a.org_id, std::int64_t{a.year}, a.kind, a.quantity, a.instrument, a.account_id,
                    std::int64_t{a.differentiated ? 1 : 0}, a.entry_id, a.plan, a.calculation_json, a.created_by,
                    a.created_at_us});
  }
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO carbon_allocations (id, org_id, year, kind, quantity, instrument, account_id, differentiated, entry_id, "
      "plan, calculation, created_by, created_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  for (const compliance::SurrenderRecord& s : b.surrenders) {
    rows.push_back({s.id, s.org_id, std::int64_t{s.year}, s.instrument, s.family, s.quantity, s.account_id, s.entry_id,
                    s.created_by, s.created_at_us});
  }
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO carbon_surrenders (id, org_id, year, instrument, family, quantity, account_id, entry_id, created_by, "
      "created_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  for (const compliance::PenaltyRecord& p : b.penalties) {
    rows.push_back({p.id, p.org_id, std::int64_t{p.year}, p.shortfall_t, p.amount_fen, p.deduction_t, p.basis, p.decided_by,
                    p.decided_at_us});
  }
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO carbon_penalties (id, org_id, year, shortfall_t, amount_fen, deduction_t, basis, decided_by, "
      "decided_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  for (const compliance::ReleaseRecord& r : b.releases) {
    rows.push_back({r.id, r.org_id, std::int64_t{r.year}, r.instrument, r.quantity, r.from_account_id, r.to_account_id,
                    r.entry_id, r.reason, r.created_by, r.created_at_us});
  }
  return run(
      "INSERT INTO carbon_releases (id, org_id, year, instrument, quantity, from_account_id, to_account_id, entry_id, "
      "reason, created_by, created_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
}

Status SqlStore::ListFacilities(const FacilityFilter& filter, std::vector<mrv::Facility>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  std::string sql = "SELECT id, org_id, name, sector, region, created_at_us, profile FROM mrv_facilities WHERE 1 = 1";
  SqlParams params;
  if (filter.org_id) {
    sql += " AND org_id = ?";
    params.push_back(*filter.org_id);
  }
  if (filter.region) {
    sql += " AND region = ?";
    params.push_back(*filter.region);
  }
  if (filter.sector) {
    sql += " AND sector = ?";
    params.push_back(Text(mrv::SectorName(*filter.sector)));
  }
  sql += " ORDER BY id";
  return (*db)->Exec(sql, params, [&](const SqlRow& r) { out->push_back(ReadFacility(r)); });
}

Status SqlStore::GetFacility(std::int64_t id, mrv::Facility* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  bool found = false;
  GL_RETURN_IF_ERROR((*db)->Exec("SELECT id, org_id, name, sector, region, created_at_us, profile FROM mrv_facilities WHERE id = ?",
                                 {id}, [&](const SqlRow& r) {
                                   *out = ReadFacility(r);
                                   found = true;
                                 }));
  return found ? Status::OK() : Status::NotFound("facility " + std::to_string(id) + " does not exist", "facility");
}

Status SqlStore::ListUnits(std::int64_t facility_id, std::vector<mrv::GeneratingUnit>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  return (*db)->Exec(
      "SELECT unit_id, name, fuel_type, cfb, capacity_mw_u, cooling, supplies_heat FROM mrv_units WHERE facility_id = ? "
      "ORDER BY unit_id",
      {facility_id}, [&](const SqlRow& r) {
        mrv::GeneratingUnit u;
        u.id = r.Text(0);
        u.name = r.Text(1);
        u.fuel_type = ParseFuelType(r.Text(2));
        u.circulating_fluidized_bed = r.Int(3) != 0;
        u.capacity_mw = Decimal::FromMicros(r.Int(4));
        u.cooling = r.Text(5) == "air" ? mrv::CoolingMethod::kAir : mrv::CoolingMethod::kWater;
        u.supplies_heat = r.Int(6) != 0;
        out->push_back(u);
      });
}

Status SqlStore::ListSectorMonths(std::int64_t facility_id, int year, std::vector<mrv::StoredSectorMonth>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  return (*db)->Exec(
      "SELECT month, body, revision, entered_by, entered_at_us FROM mrv_sector_months WHERE facility_id = ? AND year = ? "
      "ORDER BY month",
      {facility_id, std::int64_t{year}}, [&](const SqlRow& r) {
        out->push_back(mrv::StoredSectorMonth{facility_id, year, static_cast<int>(r.Int(0)), r.Text(1),
                                              static_cast<int>(r.Int(2)), r.Int(3), r.Int(4)});
      });
}

Status SqlStore::ListUnitMonths(std::int64_t facility_id, int year, std::vector<mrv::StoredUnitMonth>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  GL_RETURN_IF_ERROR((*db)->Exec(
      "SELECT unit_id, month, generation_mwh_u, supply_mwh_u, heat_gj_u, purchased_mwh_u, load_rate_u, meter_evidence, "
      "revision, entered_by, entered_at_us FROM mrv_unit_months WHERE facility_id = ? AND year = ? ORDER BY unit_id, month",
      {facility_id, std::int64_t{year}}, [&](const SqlRow& r) {
        mrv::StoredUnitMonth m;
        m.facility_id = facility_id;
        m.year = year;
        m.data.unit_id = r.Text(0);
        m.data.month = static_cast<int>(r.Int(1));
        m.data.generation_mwh = Decimal::FromMicros(r.Int(2));
        m.data.supply_mwh = Decimal::FromMicros(r.Int(3));
        m.data.heat_supplied_gj = Decimal::FromMicros(r.Int(4));
        m.data.purchased_electricity_mwh = Decimal::FromMicros(r.Int(5));
        m.data.load_rate = ReadOptDecimal(r, 6);
        m.data.meter_evidence = r.Text(7);
        m.revision = static_cast<int>(r.Int(8));
        m.entered_by = r.Int(9);
        m.entered_at_us = r.Int(10);
        out->push_back(std::move(m));
      }));
  // Fuel rows come in the same order as the months, so one pass attaches them.
  size_t index = 0;
  return (*db)->Exec(
      "SELECT unit_id, month, fuel, consumption_u, ncv_u, ncv_evidence, carbon_u, carbon_evidence, oxidation_u "
      "FROM mrv_fuel_months WHERE facility_id = ? AND year = ? ORDER BY unit_id, month, fuel",
      {facility_id, std::int64_t{year}}, [&](const SqlRow& r) {
        const std::string unit_id = r.Text(0);
        const int month = static_cast<int>(r.Int(1));
        while (index < out->size() &&
               ((*out)[index].data.unit_id != unit_id || (*out)[index].data.month != month)) {
          ++index;
        }
        if (index == out->size()) return;  // a fuel row without its month cannot exist (foreign key)
        mrv::FuelUse f;
        f.fuel = r.Text(2);
        f.consumption = Decimal::FromMicros(r.Int(3));
        f.ncv = ReadOptDecimal(r, 4);
        f.ncv_evidence = r.Text(5);
        f.carbon_tc_per_gj = ReadOptDecimal(r, 6);
        f.carbon_evidence = r.Text(7);
        f.oxidation_rate = ReadOptDecimal(r, 8);
        (*out)[index].data.fuels.push_back(std::move(f));
      });
}

Status SqlStore::ListDataVersions(std::int64_t facility_id, int year, std::vector<mrv::DataVersion>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  return (*db)->Exec(
      "SELECT id, unit_id, month, revision, channel, body, entered_by, entered_at_us FROM mrv_data_versions "
      "WHERE facility_id = ? AND year = ? ORDER BY id",
      {facility_id, std::int64_t{year}}, [&](const SqlRow& r) {
        mrv::DataVersion v;
        v.id = r.Int(0);
        v.facility_id = facility_id;
        v.year = year;
        v.unit_id = r.Text(1);
        v.month = static_cast<int>(r.Int(2));
        v.revision = static_cast<int>(r.Int(3));
        v.channel = r.Text(4);
        v.body_json = r.Text(5);
        v.entered_by = r.Int(6);
        v.entered_at_us = r.Int(7);
        out->push_back(std::move(v));
      });
}

Status SqlStore::ListReports(std::int64_t facility_id, int year, std::vector<mrv::Report>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  return (*db)->Exec(
      "SELECT version, kind, total_t_u, scope_t_u, body, created_by, created_at_us FROM mrv_reports "
      "WHERE facility_id = ? AND year = ? ORDER BY version",
      {facility_id, std::int64_t{year}}, [&](const SqlRow& r) {
        mrv::Report report;
        report.facility_id = facility_id;
        report.year = year;
        report.version = static_cast<int>(r.Int(0));
        report.kind = r.Text(1);
        report.total_t = Decimal::FromMicros(r.Int(2));
        report.scope_t = Decimal::FromMicros(r.Int(3));
        report.body_json = r.Text(4);
        report.created_by = r.Int(5);
        report.created_at_us = r.Int(6);
        out->push_back(std::move(report));
      });
}

Status SqlStore::GetCase(std::int64_t facility_id, int year, std::optional<mrv::Case>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->reset();
  return (*db)->Exec(std::string("SELECT ") + kCaseColumns + " FROM mrv_cases c WHERE c.facility_id = ? AND c.year = ?",
                     {facility_id, std::int64_t{year}}, [&](const SqlRow& r) { *out = ReadCase(r); });
}

Status SqlStore::ListCases(const CaseFilter& filter, std::vector<mrv::Case>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  std::string sql = std::string("SELECT ") + kCaseColumns +
                    " FROM mrv_cases c JOIN mrv_facilities f ON f.id = c.facility_id WHERE 1 = 1";
  SqlParams params;
  if (filter.year) {
    sql += " AND c.year = ?";
    params.push_back(std::int64_t{*filter.year});
  }
  if (filter.status) {
    sql += " AND c.status = ?";
    params.push_back(Text(mrv::CaseStatusName(*filter.status)));
  }
  if (filter.verifier_org_id) {
    sql += " AND c.verifier_org_id = ?";
    params.push_back(*filter.verifier_org_id);
  }
  if (filter.org_id) {
    sql += " AND f.org_id = ?";
    params.push_back(*filter.org_id);
  }
  if (filter.region) {
    sql += " AND f.region = ?";
    params.push_back(*filter.region);
  }
  sql += " ORDER BY c.year DESC, c.facility_id";
  return (*db)->Exec(sql, params, [&](const SqlRow& r) { out->push_back(ReadCase(r)); });
}

Status SqlStore::ListFindings(std::int64_t facility_id, int year, std::vector<mrv::Finding>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  return (*db)->Exec(
      "SELECT id, verifier_org_id, description, adjustment, response, status, created_by, created_at_us, responded_by, "
      "responded_at_us FROM mrv_findings WHERE facility_id = ? AND year = ? ORDER BY id",
      {facility_id, std::int64_t{year}}, [&](const SqlRow& r) {
        mrv::Finding f;
        f.id = r.Int(0);
        f.facility_id = facility_id;
        f.year = year;
        f.verifier_org_id = r.Int(1);
        f.description = r.Text(2);
        f.adjustment = ReadAdjustment(r, 3);
        f.response = r.IsNull(4) ? "" : r.Text(4);
        f.status = mrv::ParseFindingStatus(r.Text(5)).value_or(mrv::FindingStatus::kOpen);
        f.created_by = r.Int(6);
        f.created_at_us = r.Int(7);
        if (!r.IsNull(8)) f.responded_by = r.Int(8);
        if (!r.IsNull(9)) f.responded_at_us = r.Int(9);
        out->push_back(std::move(f));
      });
}

Status SqlStore::ListConflicts(std::vector<mrv::VerifierConflict>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  return (*db)->Exec(
      "SELECT verifier_org_id, enterprise_org_id, reason, recorded_at_us FROM verifier_conflicts "
      "ORDER BY verifier_org_id, enterprise_org_id",
      {}, [&](const SqlRow& r) { out->push_back({r.Int(0), r.Int(1), r.Text(2), r.Int(3)}); });
}

Status SqlStore::GetMrvIds(MrvIds* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  return (*db)->Exec(
      "SELECT (SELECT COALESCE(MAX(id), 0) FROM mrv_facilities), (SELECT COALESCE(MAX(id), 0) FROM mrv_findings), "
      "(SELECT COALESCE(MAX(id), 0) FROM mrv_data_versions), (SELECT COALESCE(MAX(id), 0) FROM carbon_allocations), "
      "(SELECT COALESCE(MAX(id), 0) FROM carbon_surrenders), (SELECT COALESCE(MAX(id), 0) FROM carbon_penalties), "
      "(SELECT COALESCE(MAX(id), 0) FROM carbon_releases)",
      {}, [&](const SqlRow& r) {
        out->facility = r.Int(0);
        out->finding = r.Int(1);
        out->data_version = r.Int(2);
        out->allocation = r.Int(3);
        out->surrender = r.Int(4);
        out->penalty = r.Int(5);
        out->release = r.Int(6);
      });
}

namespace {

std::string CarbonWhere(const CarbonFilter& filter, SqlParams* params) {
  std::string where = " WHERE 1 = 1";
  if (filter.year) {
    where += " AND year = ?";
    params->push_back(std::int64_t{*filter.year});
  }
  if (filter.org_id) {
    where += " AND org_id = ?";
    params->push_back(*filter.org_id);
  }
  return where;
}

}  // namespace

Status SqlStore::ListAllocations(const CarbonFilter& filter, std::vector<compliance::AllocationRecord>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  SqlParams params;
  const std::string where = CarbonWhere(filter, &params);
  return (*db)->Exec(
      "SELECT id, org_id, year, kind, quantity, instrument, account_id, differentiated, entry_id, plan, calculation, "
      "created_by, created_at_us FROM carbon_allocations" + where + " ORDER BY id",
      params, [&](const SqlRow& r) {
        compliance::AllocationRecord a;
        a.id = r.Int(0);
        a.org_id = r.Int(1);
        a.year = static_cast<int>(r.Int(2));
        a.kind = r.Text(3);
        a.quantity = r.Int(4);
        a.instrument = r.Text(5);
        a.account_id = r.Int(6);
        a.differentiated = r.Int(7) != 0;
        a.entry_id = r.Int(8);
        a.plan = r.Text(9);
        a.calculation_json = r.Text(10);
        a.created_by = r.Int(11);
        a.created_at_us = r.Int(12);
        out->push_back(std::move(a));
      });
}

Status SqlStore::ListSurrenders(const CarbonFilter& filter, std::vector<compliance::SurrenderRecord>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  SqlParams params;
  const std::string where = CarbonWhere(filter, &params);
  return (*db)->Exec(
      "SELECT id, org_id, year, instrument, family, quantity, account_id, entry_id, created_by, created_at_us "
      "FROM carbon_surrenders" + where + " ORDER BY id",
      params, [&](const SqlRow& r) {
        out->push_back({r.Int(0), r.Int(1), static_cast<int>(r.Int(2)), r.Text(3), r.Text(4), r.Int(5), r.Int(6), r.Int(7),
                        r.Int(8), r.Int(9)});
      });
}

Status SqlStore::ListPenalties(const CarbonFilter& filter, std::vector<compliance::PenaltyRecord>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  SqlParams params;
  const std::string where = CarbonWhere(filter, &params);
  return (*db)->Exec(
      "SELECT id, org_id, year, shortfall_t, amount_fen, deduction_t, basis, decided_by, decided_at_us "
      "FROM carbon_penalties" + where + " ORDER BY id",
      params, [&](const SqlRow& r) {
        out->push_back({r.Int(0), r.Int(1), static_cast<int>(r.Int(2)), r.Int(3), r.Int(4), r.Int(5), r.Text(6), r.Int(7),
                        r.Int(8)});
      });
}

Status SqlStore::ListReleases(const CarbonFilter& filter, std::vector<compliance::ReleaseRecord>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  SqlParams params;
  const std::string where = CarbonWhere(filter, &params);
  return (*db)->Exec(
      "SELECT id, org_id, year, instrument, quantity, from_account_id, to_account_id, entry_id, reason, created_by, "
      "created_at_us FROM carbon_releases" + where + " ORDER BY id",
      params, [&](const SqlRow& r) {
        out->push_back({r.Int(0), r.Int(1), static_cast<int>(r.Int(2)), r.Text(3), r.Int(4), r.Int(5), r.Int(6), r.Int(7),
                        r.Text(8), r.Int(9), r.Int(10)});
      });
}

}  // namespace greenloop
