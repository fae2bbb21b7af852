// The energy reports' SQL (schema: migrations/*/0008_energy_reports.sql), beside the registry's in
// sql_store.cc. Totals are stored as integers of 10^-6 tce (Decimal micros).
#include "store/sql_store.h"

namespace greenloop {
namespace {

const char* const kReportColumns =
    "e.id, e.org_id, e.year, e.month, e.revision, e.channel, e.body, e.result, e.comprehensive_tce_u, "
    "e.comprehensive_equal_tce_u, e.feedstock_tce_u, e.renewable_tce_u, e.submitted_by, e.submitted_at_us";

energy::StoredEnergyReport ReadReport(const SqlRow& r) {
  energy::StoredEnergyReport e;
  e.id = r.Int(0);
  e.org_id = r.Int(1);
  e.year = static_cast<int>(r.Int(2));
  e.month = static_cast<int>(r.Int(3));
  e.revision = static_cast<int>(r.Int(4));
  e.channel = r.Text(5);
  e.body_json = r.Text(6);
  e.result_json = r.Text(7);
  e.comprehensive_tce = Decimal::FromMicros(r.Int(8));
  e.comprehensive_equal_tce = Decimal::FromMicros(r.Int(9));
  e.feedstock_tce = Decimal::FromMicros(r.Int(10));
  e.renewable_tce = Decimal::FromMicros(r.Int(11));
  e.submitted_by = r.Int(12);
  e.submitted_at_us = r.Int(13);
  return e;
}

}  // namespace

Status SqlStore::WriteEnergyReports(const std::vector<energy::StoredEnergyReport>& reports) {
  std::vector<SqlParams> rows;
  for (const energy::StoredEnergyReport& e : reports) {
    rows.push_back({e.id, e.org_id, std::int64_t{e.year}, std::int64_t{e.month}, std::int64_t{e.revision}, e.channel,
                    e.body_json, e.result_json, e.comprehensive_tce.micros(), e.comprehensive_equal_tce.micros(),
                    e.feedstock_tce.micros(), e.renewable_tce.micros(), e.submitted_by, e.submitted_at_us});
  }
  return writer_->ExecRows(
      "INSERT INTO energy_reports (id, org_id, year, month, revision, channel, body, result, comprehensive_tce_u, "
      "comprehensive_equal_tce_u, feedstock_tce_u, renewable_tce_u, submitted_by, submitted_at_us) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      rows);
}

Status SqlStore::ListEnergyReports(const EnergyReportFilter& filter, std::vector<energy::StoredEnergyReport>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  std::string sql = std::string("SELECT ") + kReportColumns + " FROM energy_reports e";
  SqlParams params;
  params.reserve(4);  // also spares g++ 12 a false -Wmaybe-uninitialized on the variant's reallocation
  if (filter.region) sql += " JOIN organizations o ON o.id = e.org_id";
  sql += " WHERE 1 = 1";
  if (filter.region) {
    sql += " AND o.region = ?";
    params.push_back(SqlValue(std::string(*filter.region)));
  }
  if (filter.org_id) {
    sql += " AND e.org_id = ?";
    params.emplace_back(std::in_place_type<std::int64_t>, *filter.org_id);
  }
  if (filter.year) {
    sql += " AND e.year = ?";
    params.emplace_back(std::in_place_type<std::int64_t>, *filter.year);
  }
  if (filter.month) {
    sql += " AND e.month = ?";
    params.emplace_back(std::in_place_type<std::int64_t>, *filter.month);
  }
  if (!filter.all_revisions) {
    sql += " AND e.revision = (SELECT MAX(x.revision) FROM energy_reports x WHERE x.org_id = e.org_id AND "
           "x.year = e.year AND x.month = e.month)";
  }
  sql += " ORDER BY e.year DESC, e.month DESC, e.org_id, e.revision";
  return (*db)->Exec(sql, params, [&](const SqlRow& r) { out->push_back(ReadReport(r)); });
}

Status SqlStore::GetEnergyReport(std::int64_t id, energy::StoredEnergyReport* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  bool found = false;
  GL_RETURN_IF_ERROR((*db)->Exec(std::string("SELECT ") + kReportColumns + " FROM energy_reports e WHERE e.id = ?", {id},
                                 [&](const SqlRow& r) {
                                   *out = ReadReport(r);
                                   found = true;
                                 }));
  return found ? Status::OK() : Status::NotFound("energy report " + std::to_string(id) + " does not exist", "id");
}

Status SqlStore::MaxEnergyReportId(std::int64_t* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  return (*db)->Exec("SELECT COALESCE(MAX(id), 0) FROM energy_reports", {}, [&](const SqlRow& r) { *out = r.Int(0); });
}

}  // namespace greenloop
