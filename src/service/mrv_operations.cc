#include "service/mrv_operations.h"

#include <algorithm>
#include <map>
#include <set>

#include "calc/carbon_rules.h"
#include "calc/industry_facility.h"
#include "calc/power_calculators.h"
#include "core/time.h"
#include "mrv/verification.h"
#include "service/operations.h"

namespace greenloop {
namespace {

using calc::Json;

Status NotVisible(std::int64_t facility_id) {
  return Status::NotFound("facility " + std::to_string(facility_id) + " does not exist", "facility");
}

bool IsAssignedVerifier(Store& store, const Principal& principal, std::int64_t facility_id) {
  if (principal.role() != Role::kVerifier || !principal.org_id()) return false;
  CaseFilter filter;
  filter.verifier_org_id = principal.org_id();
  std::vector<mrv::Case> cases;
  if (!store.ListCases(filter, &cases).ok()) return false;
  return std::any_of(cases.begin(), cases.end(), [&](const mrv::Case& c) {
    return c.facility_id == facility_id && c.status != mrv::CaseStatus::kConfirmed;
  });
}

std::string RegionOf(const Principal& principal) {
  return principal.org && principal.org->region ? *principal.org->region : "";
}

Status LoadCase(Store& store, std::int64_t facility_id, int year, mrv::Case* out) {
  std::optional<mrv::Case> c;
  GL_RETURN_IF_ERROR(store.GetCase(facility_id, year, &c));
  if (!c) return Status::NotFound("no " + std::to_string(year) + " report has been submitted for this facility", "year");
  *out = *c;
  return Status::OK();
}

Status CheckYear(int year, time_us now_us) {
  const int current_year = std::stoi(FormatTimestamp(now_us).substr(0, 4));
  if (year < 2013 || year > current_year) {
    return Status::Invalid("out_of_range", "year must be between 2013 and " + std::to_string(current_year), "year");
  }
  return Status::OK();
}

Status CheckMonthEnded(int year, int month, time_us now_us, const std::string& field) {
  const std::string today = FormatTimestamp(now_us);
  const int current_year = std::stoi(today.substr(0, 4));
  const int current_month = std::stoi(today.substr(5, 2));
  if (year == current_year && month >= current_month) {
    return Status::Invalid("out_of_range",
                           "month " + std::to_string(month) + " of " + std::to_string(year) + " has not ended yet", field);
  }
  return Status::OK();
}

Json ProfileOf(const mrv::Facility& facility) {
  if (facility.profile_json.empty()) return Json(nullptr);
  Json profile = Json::parse(facility.profile_json, nullptr, false);
  GL_ASSERT(!profile.is_discarded());
  return profile;
}

// The months of an industrial facility-year as documents, with each adjustment applied.
Status SectorMonthDocuments(Store& store, std::int64_t facility_id, int year,
                            const std::vector<mrv::Adjustment>& adjustments, std::vector<Json>* out) {
  std::vector<mrv::StoredSectorMonth> months;
  GL_RETURN_IF_ERROR(store.ListSectorMonths(facility_id, year, &months));
  out->clear();
  for (const mrv::StoredSectorMonth& m : months) {
    Json doc = Json::parse(m.body_json, nullptr, false);
    GL_ASSERT(!doc.is_discarded());
    out->push_back(std::move(doc));
  }
  for (const mrv::Adjustment& a : adjustments) {
    auto it = std::find_if(months.begin(), months.end(), [&](const mrv::StoredSectorMonth& m) { return m.month == a.month; });
    if (it == months.end()) {
      return Status::Invalid("not_found", "month " + std::to_string(a.month) + " has no data to adjust", "adjustment.month");
    }
    GL_RETURN_IF_ERROR(calc::ApplyIndustryAdjustment(a.path, a.value, &(*out)[it - months.begin()]));
  }
  return Status::OK();
}

// Scope of compliance in the rules of the year: from 2023 purchased electricity does not count.
Decimal ScopeOf(const Json& result, int year) {
  Result<allocation::PowerPlan> plan = calc::PowerPlanFor(year);
  const bool counts_electricity = !plan.ok() || plan.value().purchased_electricity_counts;
  const Json& totals = result["totals"];
  const char* field = counts_electricity ? "total_t" : "combustion_t";
  return *Decimal::FromDouble(totals[field].get<double>());
}

Json ToInput(int year, const std::vector<mrv::GeneratingUnit>& units, const std::vector<mrv::StoredUnitMonth>& months,
             bool allow_partial) {
  Json units_json = Json::array();
  for (const mrv::GeneratingUnit& u : units) units_json.push_back(calc::GeneratingUnitToJson(u));
  Json months_json = Json::array();
  for (const mrv::StoredUnitMonth& m : months) months_json.push_back(calc::UnitMonthToJson(m.data));
  return Json{{"data_year", year}, {"allow_partial_year", allow_partial}, {"units", units_json}, {"months", months_json}};
}

Status StoreReport(WriteContext& ctx, const Principal& principal, std::int64_t facility_id, int year, const Json& result,
                   const std::string& kind, int version, mrv::Report* report) {
  report->facility_id = facility_id;
  report->year = year;
  report->version = version;
  report->kind = kind;
  if (result.contains("totals")) {
    report->total_t = *Decimal::FromDouble(result["totals"]["total_t"].get<double>());
    report->scope_t = ScopeOf(result, year);
  } else {
    // The industrial sectors' totals are their direct emissions, which is what the ETS covers
    // (purchased electricity and heat are outside it).
    report->total_t = *Decimal::FromDouble(result["total_t"].get<double>());
    report->scope_t = report->total_t;
  }
  report->body_json = result.dump();
  report->created_by = principal.user.id;
  report->created_at_us = ctx.now();
  ctx.mrv().reports.push_back(*report);
  return Status::OK();
}

int NextReportVersion(Store& store, std::int64_t facility_id, int year) {
  std::vector<mrv::Report> reports;
  if (!store.ListReports(facility_id, year, &reports).ok() || reports.empty()) return 1;
  return reports.back().version + 1;
}

}  // namespace

Status VisibleFacility(Store& store, const Principal& principal, std::int64_t facility_id, mrv::Facility* out) {
  Status st = store.GetFacility(facility_id, out);
  if (st.IsNotFound()) return NotVisible(facility_id);
  GL_RETURN_IF_ERROR(st);
  switch (principal.role()) {
    case Role::kRegulator: return Status::OK();
    case Role::kRegion:
      return !out->region.empty() && out->region == RegionOf(principal) ? Status::OK() : NotVisible(facility_id);
    case Role::kEnterprise:
      return principal.org_id() == out->org_id ? Status::OK() : NotVisible(facility_id);
    case Role::kVerifier:
      return IsAssignedVerifier(store, principal, facility_id) ? Status::OK() : NotVisible(facility_id);
    case Role::kExchange:
    case Role::kPublic: return NotVisible(facility_id);
  }
  return NotVisible(facility_id);
}

Status CheckMayEditFacility(const Principal& principal, const mrv::Facility& facility) {
  if (principal.role() == Role::kRegulator) return Status::OK();
  if (principal.role() == Role::kEnterprise && principal.org_id() == facility.org_id) return Status::OK();
  if (principal.role() == Role::kVerifier) {
    return Status::Forbidden("a verifier does not edit the data it verifies; raise a finding with an adjustment instead");
  }
  return Status::Forbidden("only the enterprise that owns the facility (or the regulator) may change its data");
}

Status ListVisibleFacilities(Store& store, const Principal& principal, FacilityFilter filter,
                             std::vector<mrv::Facility>* out) {
  switch (principal.role()) {
    case Role::kRegulator: return store.ListFacilities(filter, out);
    case Role::kRegion:
      filter.region = RegionOf(principal);
      return store.ListFacilities(filter, out);
    case Role::kEnterprise:
      filter.org_id = principal.org_id().value_or(-1);
      return store.ListFacilities(filter, out);
    case Role::kVerifier: {
      std::vector<mrv::Facility> all;
      GL_RETURN_IF_ERROR(store.ListFacilities(filter, &all));
      out->clear();
      for (const mrv::Facility& f : all) {
        if (IsAssignedVerifier(store, principal, f.id)) out->push_back(f);
      }
      return Status::OK();
    }
    case Role::kExchange:
    case Role::kPublic: out->clear(); return Status::OK();
  }
  return Status::OK();
}

Status ListVisibleCases(Store& store, const Principal& principal, CaseFilter filter, std::vector<mrv::Case>* out) {
  switch (principal.role()) {
    case Role::kRegulator: break;
    case Role::kRegion: filter.region = RegionOf(principal); break;
    case Role::kEnterprise: filter.org_id = principal.org_id().value_or(-1); break;
    case Role::kVerifier: filter.verifier_org_id = principal.org_id().value_or(-1); break;
    case Role::kExchange:
    case Role::kPublic: out->clear(); return Status::OK();
  }
  GL_RETURN_IF_ERROR(store.ListCases(filter, out));
  if (principal.role() == Role::kVerifier) {
    // An assignment ends with the regulator's confirmation; so does the verifier's view.
    out->erase(std::remove_if(out->begin(), out->end(),
                              [](const mrv::Case& c) { return c.status == mrv::CaseStatus::kConfirmed; }),
               out->end());
  }
  return Status::OK();
}

Status CreateFacility(WriteContext& ctx, const Principal& principal, mrv::Facility facility,
                      const std::vector<mrv::GeneratingUnit>& units, const calc::Json& profile, mrv::Facility* out) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kRegulator, Role::kEnterprise}, "register facilities"));
  if (principal.role() == Role::kEnterprise && principal.org_id() != facility.org_id) {
    return Status::Forbidden("an enterprise registers facilities of its own organization only");
  }
  Organization owner;
  Status st = ctx.store().GetOrganization(facility.org_id, &owner);
  if (st.IsNotFound()) return Status::Invalid("not_found", "organization " + std::to_string(facility.org_id) + " does not exist", "org_id");
  GL_RETURN_IF_ERROR(st);
  if (owner.kind != OrgKind::kEnterprise) {
    return Status::Invalid("invalid_field", "a facility belongs to an enterprise; organization " +
                                                std::to_string(facility.org_id) + " is a " + std::string(ToString(owner.kind)),
                           "org_id");
  }
  if (facility.name.empty()) return Status::Invalid("missing_field", "name the facility", "name");
  if (calc::IsIndustrySector(facility.sector)) {
    if (!units.empty()) {
      return Status::Invalid("invalid_field", "an industrial facility has no generating units; describe it in profile",
                             "units");
    }
    GL_RETURN_IF_ERROR(calc::CheckIndustryProfile(facility.sector, profile));
    facility.profile_json = profile.is_null() ? "" : profile.dump();
  } else {
    if (!profile.is_null()) {
      return Status::Invalid("invalid_field", "a power facility is described by its generating units, not a profile",
                             "profile");
    }
    if (units.empty()) return Status::Invalid("missing_field", "list the facility's generating units", "units");
  }
  std::set<std::string> ids;
  for (size_t i = 0; i < units.size(); ++i) {
    if (!ids.insert(units[i].id).second) {
      return Status::Invalid("duplicate", "unit id '" + units[i].id + "' appears twice", "units[" + std::to_string(i) + "].id");
    }
    if (units[i].capacity_mw.micros() <= 0 || units[i].capacity_mw > Decimal::FromInt(2000)) {
      return Status::Invalid("out_of_range", "rated capacity must be above 0 and at most 2000 MW; give it in MW, not kW",
                             "units[" + std::to_string(i) + "].capacity_mw");
    }
  }
  MrvIds ids_in_use;
  GL_RETURN_IF_ERROR(ctx.store().GetMrvIds(&ids_in_use));
  facility.id = ids_in_use.facility + 1;
  facility.region = owner.region.value_or("");
  facility.created_at_us = ctx.now();
  ctx.mrv().facilities.push_back(facility);
  for (const mrv::GeneratingUnit& u : units) ctx.mrv().units.emplace_back(facility.id, u);
  ctx.Audit(principal.user.id, "mrv.facility.create", "facility:" + std::to_string(facility.id),
            Json{{"name", facility.name}, {"org_id", facility.org_id}}.dump());
  *out = facility;
  return Status::OK();
}

Status PutUnit(WriteContext& ctx, const Principal& principal, std::int64_t facility_id, const mrv::GeneratingUnit& unit) {
  mrv::Facility facility;
  GL_RETURN_IF_ERROR(VisibleFacility(ctx.store(), principal, facility_id, &facility));
  GL_RETURN_IF_ERROR(CheckMayEditFacility(principal, facility));
  if (calc::IsIndustrySector(facility.sector)) {
    return Status::Invalid("invalid_field", "an industrial facility has no generating units", "unit");
  }
  if (unit.capacity_mw.micros() <= 0 || unit.capacity_mw > Decimal::FromInt(2000)) {
    return Status::Invalid("out_of_range", "rated capacity must be above 0 and at most 2000 MW; give it in MW, not kW",
                           "capacity_mw");
  }
  ctx.mrv().units.emplace_back(facility_id, unit);
  ctx.Audit(principal.user.id, "mrv.unit.put", "facility:" + std::to_string(facility_id) + "/unit:" + unit.id,
            calc::GeneratingUnitToJson(unit).dump());
  return Status::OK();
}

Status PutMonthlyData(WriteContext& ctx, const Principal& principal, std::int64_t facility_id, int year,
                      const MonthlyDataWrite& write, std::vector<mrv::StoredUnitMonth>* stored) {
  GL_ASSERT(write.months.size() == write.bodies_json.size());
  mrv::Facility facility;
  GL_RETURN_IF_ERROR(VisibleFacility(ctx.store(), principal, facility_id, &facility));
  GL_RETURN_IF_ERROR(CheckMayEditFacility(principal, facility));
  GL_RETURN_IF_ERROR(CheckYear(year, ctx.now()));
  GL_ASSERT(!calc::IsIndustrySector(facility.sector));
  if (write.months.empty()) return Status::Invalid("missing_field", "send at least one unit-month", "months");
  std::optional<mrv::Case> existing;
  GL_RETURN_IF_ERROR(ctx.store().GetCase(facility_id, year, &existing));
  GL_RETURN_IF_ERROR(mrv::CheckDataEditable(existing));
  for (size_t i = 0; i < write.months.size(); ++i) {
    GL_RETURN_IF_ERROR(CheckMonthEnded(year, write.months[i].month, ctx.now(), "months[" + std::to_string(i) + "].month"));
  }
  // Validate through the accounting engine: unit references, ranges and scale mistakes, with the
  // errors naming months[i]… as sent.
  mrv::PowerAccountingInput check;
  check.data_year = year;
  check.allow_partial_year = true;
  GL_RETURN_IF_ERROR(ctx.store().ListUnits(facility_id, &check.units));
  if (check.units.empty()) {
    return Status::Invalid("missing_field", "register the facility's generating units before entering data", "units");
  }
  check.months = write.months;
  Result<mrv::PowerAccountingResult> validated = mrv::AccountPowerEmissions(check, calc::PowerAccountingRulesData());
  if (!validated.ok()) return validated.status();

  std::vector<mrv::StoredUnitMonth> current;
  GL_RETURN_IF_ERROR(ctx.store().ListUnitMonths(facility_id, year, &current));
  std::map<std::pair<std::string, int>, int> revisions;
  for (const mrv::StoredUnitMonth& m : current) revisions[{m.data.unit_id, m.data.month}] = m.revision;
  MrvIds ids;
  GL_RETURN_IF_ERROR(ctx.store().GetMrvIds(&ids));
  stored->clear();
  for (size_t i = 0; i < write.months.size(); ++i) {
    mrv::StoredUnitMonth m;
    m.facility_id = facility_id;
    m.year = year;
    m.data = write.months[i];
    m.revision = revisions[{m.data.unit_id, m.data.month}] + 1;
    m.entered_by = principal.user.id;
    m.entered_at_us = ctx.now();
    mrv::DataVersion version;
    version.id = ++ids.data_version;
    version.facility_id = facility_id;
    version.year = year;
    version.unit_id = m.data.unit_id;
    version.month = m.data.month;
    version.revision = m.revision;
    version.channel = write.channel;
    version.body_json = write.bodies_json[i];
    version.entered_by = m.entered_by;
    version.entered_at_us = m.entered_at_us;
    ctx.mrv().unit_months.push_back(m);
    ctx.mrv().data_versions.push_back(std::move(version));
    stored->push_back(std::move(m));
  }
  ctx.Audit(principal.user.id, "mrv.data.put", "facility:" + std::to_string(facility_id) + "/" + std::to_string(year),
            Json{{"months", write.months.size()}, {"channel", write.channel}}.dump());
  return Status::OK();
}

Status PutSectorMonths(WriteContext& ctx, const Principal& principal, std::int64_t facility_id, int year,
                       const SectorDataWrite& write, std::vector<mrv::StoredSectorMonth>* stored) {
  mrv::Facility facility;
  GL_RETURN_IF_ERROR(VisibleFacility(ctx.store(), principal, facility_id, &facility));
  GL_RETURN_IF_ERROR(CheckMayEditFacility(principal, facility));
  GL_RETURN_IF_ERROR(CheckYear(year, ctx.now()));
  GL_ASSERT(calc::IsIndustrySector(facility.sector));
  Result<calc::ReportingDeadlines> covered = calc::ReportingDeadlinesFor(facility.sector, year);
  if (!covered.ok()) return covered.status();
  if (write.months.empty()) return Status::Invalid("missing_field", "send at least one month", "months");
  std::optional<mrv::Case> existing;
  GL_RETURN_IF_ERROR(ctx.store().GetCase(facility_id, year, &existing));
  GL_RETURN_IF_ERROR(mrv::CheckDataEditable(existing));
  // The engine checks the months as sent (duplicates, fields, ranges, scale mistakes); its
  // errors name months[i]… of the request.
  Result<Json> checked = calc::RunIndustryYear(facility.sector, ProfileOf(facility), year, write.months, true);
  if (!checked.ok()) return checked.status();
  std::vector<mrv::StoredSectorMonth> current;
  GL_RETURN_IF_ERROR(ctx.store().ListSectorMonths(facility_id, year, &current));
  std::map<int, int> revisions;
  for (const mrv::StoredSectorMonth& m : current) revisions[m.month] = m.revision;
  MrvIds ids;
  GL_RETURN_IF_ERROR(ctx.store().GetMrvIds(&ids));
  stored->clear();
  for (size_t i = 0; i < write.months.size(); ++i) {
    const int month = write.months[i]["month"].get<int>();
    GL_RETURN_IF_ERROR(CheckMonthEnded(year, month, ctx.now(), "months[" + std::to_string(i) + "].month"));
    mrv::StoredSectorMonth m{facility_id, year, month, write.months[i].dump(), revisions[month] + 1, principal.user.id,
                             ctx.now()};
    mrv::DataVersion version;
    version.id = ++ids.data_version;
    version.facility_id = facility_id;
    version.year = year;
    version.month = month;
    version.revision = m.revision;
    version.channel = write.channel;
    version.body_json = m.body_json;
    version.entered_by = m.entered_by;
    version.entered_at_us = m.entered_at_us;
    ctx.mrv().sector_months.push_back(m);
    ctx.mrv().data_versions.push_back(std::move(version));
    stored->push_back(std::move(m));
  }
  ctx.Audit(principal.user.id, "mrv.data.put", "facility:" + std::to_string(facility_id) + "/" + std::to_string(year),
            Json{{"months", write.months.size()}, {"channel", write.channel}}.dump());
  return Status::OK();
}

Result<calc::Json> ComputeFacilityYear(Store& store, std::int64_t facility_id, int year,
                                                   const std::vector<mrv::Adjustment>& adjustments,
                                                   bool allow_partial_year) {
  mrv::Facility facility;
  GL_RETURN_IF_ERROR(store.GetFacility(facility_id, &facility));
  if (calc::IsIndustrySector(facility.sector)) {
    std::vector<Json> documents;
    GL_RETURN_IF_ERROR(SectorMonthDocuments(store, facility_id, year, adjustments, &documents));
    if (documents.empty()) return Status::Invalid("missing_months", "no month of " + std::to_string(year) + " has data", "months");
    return calc::RunIndustryYear(facility.sector, ProfileOf(facility), year, documents, allow_partial_year);
  }
  std::vector<mrv::GeneratingUnit> units;
  GL_RETURN_IF_ERROR(store.ListUnits(facility_id, &units));
  std::vector<mrv::StoredUnitMonth> months;
  GL_RETURN_IF_ERROR(store.ListUnitMonths(facility_id, year, &months));
  if (units.empty()) return Status::Invalid("missing_field", "the facility has no generating units", "units");
  if (!adjustments.empty()) {
    mrv::PowerAccountingInput input;
    for (const mrv::StoredUnitMonth& m : months) input.months.push_back(m.data);
    for (const mrv::Adjustment& a : adjustments) GL_RETURN_IF_ERROR(mrv::ApplyAdjustment(a, &input));
    for (size_t i = 0; i < months.size(); ++i) months[i].data = input.months[i];
  }
  const calc::Calculator* calculator = calc::FindCalculator("power-emissions");
  GL_ASSERT(calculator != nullptr);
  return calculator->run(ToInput(year, units, months, allow_partial_year));
}

Status SubmitReport(WriteContext& ctx, const Principal& principal, std::int64_t facility_id, int year,
                    mrv::Report* report, mrv::Case* updated) {
  mrv::Facility facility;
  GL_RETURN_IF_ERROR(VisibleFacility(ctx.store(), principal, facility_id, &facility));
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kEnterprise}, "submit annual emission reports"));
  GL_RETURN_IF_ERROR(CheckMayEditFacility(principal, facility));
  GL_RETURN_IF_ERROR(CheckYear(year, ctx.now()));
  std::optional<mrv::Case> existing;
  GL_RETURN_IF_ERROR(ctx.store().GetCase(facility_id, year, &existing));
  GL_RETURN_IF_ERROR(mrv::CheckMaySubmit(existing));
  Result<Json> result = ComputeFacilityYear(ctx.store(), facility_id, year, {}, false);
  if (!result.ok()) {
    const Status& s = result.status();
    if (s.code() == "missing_months") {
      const std::string message = s.message().substr(0, s.message().find("; report every month"));
      return Status::Invalid(s.code(), message + "; enter every month before submitting the annual report", s.field());
    }
    return s;
  }
  const int version = NextReportVersion(ctx.store(), facility_id, year);
  GL_RETURN_IF_ERROR(StoreReport(ctx, principal, facility_id, year, result.value(), "submitted", version, report));
  mrv::Case c = existing.value_or(mrv::Case{});
  if (!existing) {
    c.facility_id = facility_id;
    c.year = year;
    c.status = mrv::CaseStatus::kSubmitted;
    c.submitted_at_us = ctx.now();
  }
  c.current_version = version;
  c.updated_at_us = ctx.now();
  ctx.mrv().cases.push_back(c);
  ctx.Audit(principal.user.id, "mrv.report.submit", "facility:" + std::to_string(facility_id) + "/" + std::to_string(year),
            Json{{"version", version}, {"total_t", report->total_t.ToString(2)}}.dump());
  *updated = c;
  return Status::OK();
}

Status AssignVerifier(WriteContext& ctx, const Principal& principal, std::int64_t facility_id, int year,
                      OrgId verifier_org_id, mrv::Case* updated) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kRegulator}, "assign verifiers"));
  mrv::Facility facility;
  GL_RETURN_IF_ERROR(VisibleFacility(ctx.store(), principal, facility_id, &facility));
  mrv::Case c;
  GL_RETURN_IF_ERROR(LoadCase(ctx.store(), facility_id, year, &c));
  Organization verifier;
  Status st = ctx.store().GetOrganization(verifier_org_id, &verifier);
  if (st.IsNotFound() || (st.ok() && verifier.kind != OrgKind::kVerifier)) {
    return Status::Invalid("invalid_field", "organization " + std::to_string(verifier_org_id) + " is not a verification body",
                           "verifier_org_id");
  }
  GL_RETURN_IF_ERROR(st);
  std::vector<mrv::VerifierConflict> conflicts;
  GL_RETURN_IF_ERROR(ctx.store().ListConflicts(&conflicts));
  GL_RETURN_IF_ERROR(mrv::CheckMayAssign(c, verifier_org_id, facility.org_id, conflicts));
  c.status = mrv::CaseStatus::kAssigned;
  c.verifier_org_id = verifier_org_id;
  c.updated_at_us = ctx.now();
  ctx.mrv().cases.push_back(c);
  ctx.Audit(principal.user.id, "mrv.case.assign", "facility:" + std::to_string(facility_id) + "/" + std::to_string(year),
            Json{{"verifier_org_id", verifier_org_id}}.dump());
  *updated = c;
  return Status::OK();
}

Status RaiseFinding(WriteContext& ctx, const Principal& principal, std::int64_t facility_id, int year,
                    const std::string& description, const std::optional<mrv::Adjustment>& adjustment,
                    mrv::Finding* out) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kVerifier}, "raise verification findings"));
  mrv::Facility facility;
  GL_RETURN_IF_ERROR(VisibleFacility(ctx.store(), principal, facility_id, &facility));
  mrv::Case c;
  GL_RETURN_IF_ERROR(LoadCase(ctx.store(), facility_id, year, &c));
  GL_RETURN_IF_ERROR(mrv::CheckMayRaiseFinding(c, principal.org_id().value_or(-1)));
  if (description.empty()) return Status::Invalid("missing_field", "describe the finding", "description");
  std::vector<mrv::Finding> findings;
  GL_RETURN_IF_ERROR(ctx.store().ListFindings(facility_id, year, &findings));
  if (adjustment && calc::IsIndustrySector(facility.sector) != !adjustment->path.empty()) {
    return Status::Invalid("invalid_field",
                           calc::IsIndustrySector(facility.sector)
                               ? "an industrial facility's value is named by month and path (\"fuels[0].consumption\")"
                               : "a power facility's value is named by unit_id, month, fuel and field",
                           "adjustment");
  }
  if (adjustment) {
    // The adjustment must apply, and the adjusted data must still pass the engine's checks.
    std::vector<mrv::Adjustment> all;
    for (const mrv::Finding& f : findings) {
      if (f.adjustment) all.push_back(*f.adjustment);
    }
    all.push_back(*adjustment);
    Result<Json> recomputed = ComputeFacilityYear(ctx.store(), facility_id, year, all, false);
    if (!recomputed.ok()) {
      const Status& s = recomputed.status();
      return Status::Invalid(s.code(), "the adjustment cannot be applied: " + s.message(),
                             s.field().rfind("adjustment", 0) == 0 ? s.field() : "adjustment.value");
    }
  }
  MrvIds ids;
  GL_RETURN_IF_ERROR(ctx.store().GetMrvIds(&ids));
  mrv::Finding f;
  f.id = ids.finding + 1;
  f.facility_id = facility_id;
  f.year = year;
  f.verifier_org_id = *principal.org_id();
  f.description = description;
  f.adjustment = adjustment;
  f.status = mrv::FindingStatus::kOpen;
  f.created_by = principal.user.id;
  f.created_at_us = ctx.now();
  ctx.mrv().findings.push_back(f);
  if (c.status == mrv::CaseStatus::kAssigned) {
    c.status = mrv::CaseStatus::kInReview;
    c.updated_at_us = ctx.now();
    ctx.mrv().cases.push_back(c);
  }
  ctx.Audit(principal.user.id, "mrv.finding.raise", "facility:" + std::to_string(facility_id) + "/" + std::to_string(year),
            Json{{"finding", f.id}, {"adjusts", adjustment.has_value()}}.dump());
  *out = f;
  return Status::OK();
}

Status RespondToFinding(WriteContext& ctx, const Principal& principal, std::int64_t facility_id, int year,
                        std::int64_t finding_id, const std::string& response, mrv::Finding* out) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kEnterprise}, "respond to verification findings"));
  mrv::Facility facility;
  GL_RETURN_IF_ERROR(VisibleFacility(ctx.store(), principal, facility_id, &facility));
  mrv::Case c;
  GL_RETURN_IF_ERROR(LoadCase(ctx.store(), facility_id, year, &c));
  if (response.empty()) return Status::Invalid("missing_field", "write the response", "response");
  std::vector<mrv::Finding> findings;
  GL_RETURN_IF_ERROR(ctx.store().ListFindings(facility_id, year, &findings));
  auto it = std::find_if(findings.begin(), findings.end(), [&](const mrv::Finding& f) { return f.id == finding_id; });
  if (it == findings.end()) return Status::NotFound("finding " + std::to_string(finding_id) + " does not exist", "finding");
  GL_RETURN_IF_ERROR(mrv::CheckMayRespond(c, *it));
  mrv::Finding f = *it;
  f.response = response;
  f.status = mrv::FindingStatus::kResponded;
  f.responded_by = principal.user.id;
  f.responded_at_us = ctx.now();
  ctx.mrv().findings.push_back(f);
  ctx.Audit(principal.user.id, "mrv.finding.respond", "finding:" + std::to_string(finding_id), "{}");
  *out = f;
  return Status::OK();
}

Status ConcludeVerification(WriteContext& ctx, const Principal& principal, std::int64_t facility_id, int year,
                            const std::string& conclusion, mrv::Case* updated, mrv::Report* verified) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kVerifier}, "conclude verifications"));
  mrv::Facility facility;
  GL_RETURN_IF_ERROR(VisibleFacility(ctx.store(), principal, facility_id, &facility));
  mrv::Case c;
  GL_RETURN_IF_ERROR(LoadCase(ctx.store(), facility_id, year, &c));
  std::vector<mrv::Finding> findings;
  GL_RETURN_IF_ERROR(ctx.store().ListFindings(facility_id, year, &findings));
  GL_RETURN_IF_ERROR(mrv::CheckMayConclude(c, principal.org_id().value_or(-1), findings));
  if (conclusion.empty()) return Status::Invalid("missing_field", "state the verification conclusion", "conclusion");
  std::vector<mrv::Adjustment> adjustments;
  for (mrv::Finding& f : findings) {
    if (f.adjustment) adjustments.push_back(*f.adjustment);
    if (f.status != mrv::FindingStatus::kClosed) {
      f.status = mrv::FindingStatus::kClosed;
      ctx.mrv().findings.push_back(f);
    }
  }
  std::vector<mrv::Report> reports;
  GL_RETURN_IF_ERROR(ctx.store().ListReports(facility_id, year, &reports));
  if (adjustments.empty()) {
    GL_ASSERT(!reports.empty());
    *verified = reports.back();
  } else {
    Result<Json> recomputed = ComputeFacilityYear(ctx.store(), facility_id, year, adjustments, false);
    if (!recomputed.ok()) return recomputed.status();
    GL_RETURN_IF_ERROR(StoreReport(ctx, principal, facility_id, year, recomputed.value(), "adjusted",
                                   reports.back().version + 1, verified));
  }
  c.status = mrv::CaseStatus::kConcluded;
  c.current_version = verified->version;
  c.verified_total_t = verified->total_t;
  c.verified_scope_t = verified->scope_t;
  c.conclusion = conclusion;
  c.updated_at_us = ctx.now();
  ctx.mrv().cases.push_back(c);
  ctx.Audit(principal.user.id, "mrv.case.conclude", "facility:" + std::to_string(facility_id) + "/" + std::to_string(year),
            Json{{"version", verified->version}, {"verified_total_t", verified->total_t.ToString(2)}}.dump());
  *updated = c;
  return Status::OK();
}

Status ConfirmVerification(WriteContext& ctx, const Principal& principal, std::int64_t facility_id, int year,
                           mrv::Case* updated) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kRegulator}, "confirm verifications"));
  mrv::Facility facility;
  GL_RETURN_IF_ERROR(VisibleFacility(ctx.store(), principal, facility_id, &facility));
  mrv::Case c;
  GL_RETURN_IF_ERROR(LoadCase(ctx.store(), facility_id, year, &c));
  GL_RETURN_IF_ERROR(mrv::CheckMayConfirm(c));
  c.status = mrv::CaseStatus::kConfirmed;
  c.updated_at_us = ctx.now();
  ctx.mrv().cases.push_back(c);
  ctx.Audit(principal.user.id, "mrv.case.confirm", "facility:" + std::to_string(facility_id) + "/" + std::to_string(year),
            "{}");
  *updated = c;
  return Status::OK();
}

Status RecordConflict(WriteContext& ctx, const Principal& principal, const mrv::VerifierConflict& conflict) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kRegulator}, "record conflicts of interest"));
  Organization verifier, enterprise;
  Status st = ctx.store().GetOrganization(conflict.verifier_org_id, &verifier);
  if (!st.ok() || verifier.kind != OrgKind::kVerifier) {
    return Status::Invalid("invalid_field", "not a verification body", "verifier_org_id");
  }
  st = ctx.store().GetOrganization(conflict.enterprise_org_id, &enterprise);
  if (!st.ok() || enterprise.kind != OrgKind::kEnterprise) {
    return Status::Invalid("invalid_field", "not an enterprise", "enterprise_org_id");
  }
  if (conflict.reason.empty()) return Status::Invalid("missing_field", "say what the relationship is", "reason");
  mrv::VerifierConflict c = conflict;
  c.recorded_at_us = ctx.now();
  ctx.mrv().conflicts.push_back(c);
  ctx.Audit(principal.user.id, "mrv.conflict.record",
            "verifier:" + std::to_string(c.verifier_org_id) + "/enterprise:" + std::to_string(c.enterprise_org_id), "{}");
  return Status::OK();
}

Status ReportingCalendar(Store& store, std::int64_t facility_id, int year, time_us now_us,
                         std::vector<CalendarItem>* out) {
  mrv::Facility facility;
  GL_RETURN_IF_ERROR(store.GetFacility(facility_id, &facility));
  Result<calc::ReportingDeadlines> deadlines = calc::ReportingDeadlinesFor(facility.sector, year);
  if (!deadlines.ok()) return deadlines.status();
  std::vector<mrv::DataVersion> versions;
  GL_RETURN_IF_ERROR(store.ListDataVersions(facility_id, year, &versions));
  // A month is complete when every generating unit (power) or the facility's document
  // (industrial sectors) has data for it.
  size_t parts_per_month = 1;
  if (!calc::IsIndustrySector(facility.sector)) {
    std::vector<mrv::GeneratingUnit> units;
    GL_RETURN_IF_ERROR(store.ListUnits(facility_id, &units));
    parts_per_month = units.size();
  }
  std::optional<mrv::Case> c;
  GL_RETURN_IF_ERROR(store.GetCase(facility_id, year, &c));
  const std::int64_t today = now_us / kMicrosPerDay;
  auto status_of = [&](std::int64_t due, std::optional<std::int64_t> done) -> std::string {
    if (done) return *done <= due ? "done" : "done_late";
    if (today > due) return "late";
    return today >= due - 10 ? "due" : "open";
  };
  out->clear();
  for (int month = 1; month <= 12; ++month) {
    // Its date is when the last part's first version arrived.
    std::optional<std::int64_t> done;
    std::set<std::string> reported;
    std::int64_t last_first_entry = 0;
    for (const mrv::DataVersion& v : versions) {
      if (v.month != month || reported.count(v.unit_id)) continue;
      reported.insert(v.unit_id);
      last_first_entry = std::max(last_first_entry, v.entered_at_us / kMicrosPerDay);
    }
    if (parts_per_month > 0 && reported.size() >= parts_per_month) done = last_first_entry;
    if (!deadlines.value().monthly_required) {
      CalendarItem item{"month", month, "", "not_required", std::nullopt};
      if (done) item.done_date = FormatDateDays(*done);
      out->push_back(item);
      continue;
    }
    std::int64_t due = 0;
    if (month <= deadlines.value().backfill_through_month) {
      due = *ParseDateDays(deadlines.value().backfill_due);
    } else {
      // Due 40 natural days after the month ends: the first day of the next month + 39.
      const int next_year = month == 12 ? year + 1 : year;
      const int next_month = month == 12 ? 1 : month + 1;
      const std::string first =
          std::to_string(next_year) + (next_month < 10 ? "-0" : "-") + std::to_string(next_month) + "-01";
      due = *ParseDateDays(first) + 39;
    }
    CalendarItem item{"month", month, FormatDateDays(due), status_of(due, done), std::nullopt};
    if (done) item.done_date = FormatDateDays(*done);
    out->push_back(item);
  }
  const std::int64_t report_due = *ParseDateDays(deadlines.value().annual_report_due);
  const std::int64_t verification_due = *ParseDateDays(deadlines.value().verification_due);
  std::optional<std::int64_t> submitted, verified;
  if (c) {
    submitted = c->submitted_at_us / kMicrosPerDay;
    if (c->status == mrv::CaseStatus::kConcluded || c->status == mrv::CaseStatus::kConfirmed) {
      verified = c->updated_at_us / kMicrosPerDay;
    }
  }
  CalendarItem report{"annual_report", 0, FormatDateDays(report_due), status_of(report_due, submitted), std::nullopt};
  if (submitted) report.done_date = FormatDateDays(*submitted);
  out->push_back(report);
  CalendarItem verification{"verification", 0, FormatDateDays(verification_due), status_of(verification_due, verified),
                            std::nullopt};
  if (verified) verification.done_date = FormatDateDays(*verified);
  out->push_back(verification);
  return Status::OK();
}

}  // namespace greenloop
