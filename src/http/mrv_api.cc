// The MRV endpoints (核算与核查) of docs/api.md: facilities and units, monthly data by JSON and
// by CSV/XLSX upload with a published template, annual reports and their verification. Bodies
// are read with calc::JsonInput, so decimals stay exact and errors name the field.
#include <nlohmann/json.hpp>

#include "calc/carbon_rules.h"
#include "calc/industry_facility.h"
#include "calc/power_calculators.h"
#include "core/crypto.h"
#include "core/time.h"
#include "http/api.h"
#include "http/json_mapping.h"
#include "http/mrv_upload.h"
#include "http/request_body.h"
#include "mrv/verification.h"
#include "service/mrv_operations.h"
#include "service/operations.h"

namespace greenloop {
namespace {

using calc::Json;
using calc::JsonInput;
using calc::ToJsonNumber;

Reply JsonReplyOf(int status, const Json& body) { return Reply{status, body.dump()}; }
HttpResponse JsonResponseOf(int status, const Json& body) { return HttpResponse{status, body.dump()}; }

Status ParseBody(const HttpRequest& request, Json* out, std::string* canonical) {
  *out = Json::parse(request.body.empty() ? std::string("{}") : request.body, nullptr, false);
  if (out->is_discarded() || !out->is_object()) return Status::Invalid("invalid_json", "the body must be a JSON object");
  *canonical = CanonicalJson(nlohmann::json::parse(out->dump()));
  return Status::OK();
}

Status PathId(const std::string& text, const char* what, std::int64_t* out) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) {
    return Status::Invalid("invalid_field", std::string(what) + " must be a positive integer", what);
  }
  *out = std::stoll(text);
  return Status::OK();
}

Status PathYear(const std::string& text, int* out) {
  std::int64_t year = 0;
  GL_RETURN_IF_ERROR(PathId(text, "year", &year));
  if (year < 2013 || year > 2100) return Status::Invalid("out_of_range", "year must be between 2013 and 2100", "year");
  *out = static_cast<int>(year);
  return Status::OK();
}

// The facility and year that /facilities/{id}/…/{year} names, if the principal may see it.
Status VisibleFacilityYear(Store& store, const Principal& principal, const std::vector<std::string>& path,
                           std::int64_t* id, int* year, mrv::Facility* facility) {
  GL_RETURN_IF_ERROR(PathId(path[0], "facility", id));
  GL_RETURN_IF_ERROR(PathYear(path[1], year));
  return VisibleFacility(store, principal, *id, facility);
}

Json Optional(const std::optional<Decimal>& d) { return d ? ToJsonNumber(*d) : Json(nullptr); }

Json FacilityJson(const mrv::Facility& f, const std::string& org_name) {
  return Json{{"id", f.id},
              {"org_id", f.org_id},
              {"org_name", org_name},
              {"name", f.name},
              {"sector", mrv::SectorName(f.sector)},
              {"region", f.region.empty() ? Json(nullptr) : Json(f.region)},
              {"profile", f.profile_json.empty() ? Json(nullptr) : Json::parse(f.profile_json, nullptr, false)},
              {"created_at", FormatTimestamp(f.created_at_us)}};
}

Json CaseJson(const mrv::Case& c) {
  return Json{{"facility_id", c.facility_id},
              {"year", c.year},
              {"status", mrv::CaseStatusName(c.status)},
              {"verifier_org_id", c.verifier_org_id ? Json(*c.verifier_org_id) : Json(nullptr)},
              {"current_version", c.current_version},
              {"verified_total_t", Optional(c.verified_total_t)},
              {"verified_scope_t", Optional(c.verified_scope_t)},
              {"conclusion", c.conclusion.empty() ? Json(nullptr) : Json(c.conclusion)},
              {"locked", c.status == mrv::CaseStatus::kConcluded || c.status == mrv::CaseStatus::kConfirmed},
              {"submitted_at", FormatTimestamp(c.submitted_at_us)},
              {"updated_at", FormatTimestamp(c.updated_at_us)}};
}

Json AdjustmentJson(const mrv::Adjustment& a) {
  if (!a.path.empty()) return Json{{"month", a.month}, {"path", a.path}, {"value", ToJsonNumber(a.value)}};
  Json j = {{"unit_id", a.unit_id}, {"month", a.month}, {"field", a.field}, {"value", ToJsonNumber(a.value)}};
  if (!a.fuel.empty()) j["fuel"] = a.fuel;
  return j;
}

Json FindingJson(const mrv::Finding& f) {
  return Json{{"id", f.id},
              {"verifier_org_id", f.verifier_org_id},
              {"description", f.description},
              {"adjustment", f.adjustment ? AdjustmentJson(*f.adjustment) : Json(nullptr)},
              {"response", f.response.empty() ? Json(nullptr) : Json(f.response)},
              {"status", mrv::FindingStatusName(f.status)},
              {"created_at", FormatTimestamp(f.created_at_us)},
              {"responded_at", f.responded_at_us ? Json(FormatTimestamp(*f.responded_at_us)) : Json(nullptr)}};
}

Json ReportSummaryJson(const mrv::Report& r) {
  return Json{{"version", r.version},
              {"kind", r.kind},
              {"total_t", ToJsonNumber(r.total_t)},
              {"scope_t", ToJsonNumber(r.scope_t)},
              {"created_by", r.created_by},
              {"created_at", FormatTimestamp(r.created_at_us)}};
}

// A power facility's value by unit, fuel and field; an industrial facility's by its path in the
// month document.
Status ReadAdjustment(const JsonInput& in, mrv::Adjustment* out) {
  if (in.Has("path")) {
    GL_RETURN_IF_ERROR(in.ExpectObject({"month", "path", "value"}));
    GL_RETURN_IF_ERROR(in.RequiredInt("month", 1, 12, &out->month));
    GL_RETURN_IF_ERROR(in.RequiredString("path", &out->path));
    if (out->path.empty() || out->path.size() > 200) {
      return Status::Invalid("invalid_field", "path names a value as in \"fuels[0].consumption\"", in.PathOf("path"));
    }
    return in.RequiredDecimal("value", &out->value);
  }
  GL_RETURN_IF_ERROR(in.ExpectObject({"unit_id", "month", "fuel", "field", "value"}));
  GL_RETURN_IF_ERROR(in.RequiredString("unit_id", &out->unit_id));
  GL_RETURN_IF_ERROR(in.RequiredInt("month", 1, 12, &out->month));
  GL_RETURN_IF_ERROR(in.OptionalString("fuel", &out->fuel));
  GL_RETURN_IF_ERROR(in.Choice("field",
                               {"generation_mwh", "supply_mwh", "heat_supplied_gj", "purchased_electricity_mwh", "consumption",
                                "ncv", "carbon_tc_per_gj", "oxidation_rate"},
                               true, &out->field));
  return in.RequiredDecimal("value", &out->value);
}

}  // namespace

void Api::RegisterMrvRoutes() {
  const std::string v1 = "/api/v1/mrv";

  Add("GET", v1 + "/facilities", "Facilities (排放设施) the caller may see; filters sector, region",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        FacilityFilter filter;
        if (st.ok() && r.Query("sector")) {
          filter.sector = mrv::ParseSector(*r.Query("sector"));
          if (!filter.sector) st = Status::Invalid("invalid_field", "sector is power, steel, aluminium or cement", "sector");
        }
        if (st.ok() && r.Query("region")) filter.region = *r.Query("region");
        std::vector<mrv::Facility> facilities;
        if (st.ok()) st = ListVisibleFacilities(service_->store(), principal, filter, &facilities);
        if (!st.ok()) return ErrorResponse(st);
        Json items = Json::array();
        for (const mrv::Facility& f : facilities) {
          Organization org;
          std::string org_name = service_->store().GetOrganization(f.org_id, &org).ok() ? org.name_zh : "";
          items.push_back(FacilityJson(f, org_name));
        }
        return JsonResponseOf(200, Json{{"items", items}});
      });

  Add("POST", v1 + "/facilities", "Register a facility with its generating units (enterprise: own; regulator)",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        Json body;
        std::string canonical;
        if (st.ok()) st = ParseBody(r, &body, &canonical);
        JsonInput in(body, "");
        mrv::Facility facility;
        std::vector<mrv::GeneratingUnit> units;
        if (st.ok()) st = in.ExpectObject({"org_id", "name", "sector", "units", "profile"});
        int org_id = 0;
        if (st.ok()) st = in.RequiredInt("org_id", 1, 1 << 30, &org_id);
        if (st.ok()) st = in.RequiredString("name", &facility.name);
        std::string sector = "power";
        if (st.ok()) st = in.Choice("sector", {"power", "steel", "aluminium", "cement"}, false, &sector);
        std::vector<JsonInput> unit_inputs;
        if (st.ok()) st = in.Array("units", false, &unit_inputs);
        for (size_t i = 0; st.ok() && i < unit_inputs.size(); ++i) {
          mrv::GeneratingUnit unit;
          st = calc::ReadGeneratingUnit(unit_inputs[i], &unit);
          units.push_back(unit);
        }
        const Json profile = st.ok() && body.contains("profile") ? body["profile"] : Json(nullptr);
        if (!st.ok()) return ErrorResponse(st);
        facility.org_id = org_id;
        facility.sector = *mrv::ParseSector(sector);
        return RunJob(r, principal, canonical, [=](WriteContext& ctx) {
          mrv::Facility created;
          Status s = CreateFacility(ctx, principal, facility, units, profile, &created);
          if (!s.ok()) return ErrorReply(s);
          Json units_json = Json::array();
          for (const mrv::GeneratingUnit& u : units) units_json.push_back(calc::GeneratingUnitToJson(u));
          Json out = FacilityJson(created, OrgName(ctx.store(), created.org_id));
          out["units"] = units_json;
          return JsonReplyOf(201, out);
        }, /*exclusive=*/true);
      });

  Add("GET", v1 + "/facilities/{id}", "One facility with its units", [this](const HttpRequest& r, const Params& p) {
    Principal principal;
    Status st = Authenticate(r, &principal);
    std::int64_t id = 0;
    if (st.ok()) st = PathId(p[0], "facility", &id);
    mrv::Facility facility;
    if (st.ok()) st = VisibleFacility(service_->store(), principal, id, &facility);
    std::vector<mrv::GeneratingUnit> units;
    if (st.ok()) st = service_->store().ListUnits(id, &units);
    if (!st.ok()) return ErrorResponse(st);
    Json units_json = Json::array();
    for (const mrv::GeneratingUnit& u : units) units_json.push_back(calc::GeneratingUnitToJson(u));
    Json out = FacilityJson(facility, OrgName(service_->store(), facility.org_id));
    out["units"] = units_json;
    out["may_edit"] = CheckMayEditFacility(principal, facility).ok();
    return JsonResponseOf(200, out);
  });

  Add("PUT", v1 + "/facilities/{id}/units/{unit}", "Add or change a generating unit",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::int64_t id = 0;
        if (st.ok()) st = PathId(p[0], "facility", &id);
        Json body;
        std::string canonical;
        if (st.ok()) st = ParseBody(r, &body, &canonical);
        if (st.ok() && !body.contains("id")) body["id"] = p[1];
        mrv::GeneratingUnit unit;
        if (st.ok()) st = calc::ReadGeneratingUnit(JsonInput(body, ""), &unit);
        if (st.ok() && unit.id != p[1]) st = Status::Invalid("invalid_field", "the body's id differs from the path's unit", "id");
        if (!st.ok()) return ErrorResponse(st);
        return RunJob(r, principal, canonical, [=](WriteContext& ctx) {
          Status s = PutUnit(ctx, principal, id, unit);
          if (!s.ok()) return ErrorReply(s);
          return JsonReplyOf(200, calc::GeneratingUnitToJson(unit));
        }, true);
      });

  Add("GET", v1 + "/facilities/{id}/data/{year}", "Monthly data of a year with a preview of the accounting",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::int64_t id = 0;
        int year = 0;
        mrv::Facility facility;
        if (st.ok()) st = VisibleFacilityYear(service_->store(), principal, p, &id, &year, &facility);
        // Power: one item per unit-month; industrial sectors: one per month, the document in "data".
        Json items = Json::array();
        auto add_item = [&](Json item, int revision, UserId by, time_us at) {
          item["revision"] = revision;
          item["entered_by"] = ActorName(by);
          item["entered_at"] = FormatTimestamp(at);
          items.push_back(std::move(item));
        };
        if (st.ok() && calc::IsIndustrySector(facility.sector)) {
          std::vector<mrv::StoredSectorMonth> months;
          st = service_->store().ListSectorMonths(id, year, &months);
          for (const mrv::StoredSectorMonth& m : months) {
            add_item(Json{{"month", m.month}, {"data", Json::parse(m.body_json, nullptr, false)}}, m.revision,
                     m.entered_by, m.entered_at_us);
          }
        } else if (st.ok()) {
          std::vector<mrv::StoredUnitMonth> months;
          st = service_->store().ListUnitMonths(id, year, &months);
          for (const mrv::StoredUnitMonth& m : months) {
            add_item(calc::UnitMonthToJson(m.data), m.revision, m.entered_by, m.entered_at_us);
          }
        }
        std::optional<mrv::Case> c;
        if (st.ok()) st = service_->store().GetCase(id, year, &c);
        if (!st.ok()) return ErrorResponse(st);
        Json out = {{"facility_id", id}, {"year", year}, {"sector", mrv::SectorName(facility.sector)}, {"months", items}};
        out["editable"] = mrv::CheckDataEditable(c).ok() && CheckMayEditFacility(principal, facility).ok();
        if (!items.empty()) {
          Result<Json> preview = ComputeFacilityYear(service_->store(), id, year, {}, true);
          if (preview.ok()) {
            out["preview"] = preview.value();
          } else {
            out["preview_error"] = Json{{"code", preview.status().code()}, {"message", preview.status().message()}};
          }
        }
        return JsonResponseOf(200, out);
      });

  // `source_rows` (uploads): the sheet rows of each unit-month, so that an error about months[i]
  // names the rows the official can find.
  auto relabel = [](const Status& s, const std::vector<std::string>& source_rows) {
    if (s.ok() || source_rows.empty() || s.field().rfind("months[", 0) != 0) return s;
    const size_t close = s.field().find(']');
    const size_t index = std::stoul(s.field().substr(7, close - 7));
    if (index >= source_rows.size()) return s;
    const std::string rest = close + 1 < s.field().size() ? s.field().substr(close + 2) : "";
    return s.Restated(source_rows[index] + (rest.empty() ? "" : ", " + rest) + ": " + s.message(),
                      source_rows[index] + (rest.empty() ? "" : "." + rest));
  };
  auto put_months = [this, relabel](const HttpRequest& r, const Principal& principal, std::int64_t id, int year,
                                    MonthlyDataWrite write, const std::string& canonical, std::vector<std::string> source_rows) {
    return RunJob(r, principal, canonical, [=](WriteContext& ctx) {
      std::vector<mrv::StoredUnitMonth> stored;
      Status s = relabel(PutMonthlyData(ctx, principal, id, year, write, &stored), source_rows);
      if (!s.ok()) return ErrorReply(s);
      Json items = Json::array();
      for (const mrv::StoredUnitMonth& m : stored) {
        items.push_back({{"unit_id", m.data.unit_id}, {"month", m.data.month}, {"revision", m.revision}});
      }
      return JsonReplyOf(200, Json{{"facility_id", id}, {"year", year}, {"channel", write.channel}, {"stored", items}});
    }, true);
  };

  // Industrial facilities: the same, with one document per month.
  auto put_sector_months = [this, relabel](const HttpRequest& r, const Principal& principal, std::int64_t id, int year,
                                           SectorDataWrite write, const std::string& canonical,
                                           std::vector<std::string> source_rows) {
    return RunJob(r, principal, canonical, [=](WriteContext& ctx) {
      std::vector<mrv::StoredSectorMonth> stored;
      Status s = PutSectorMonths(ctx, principal, id, year, write, &stored);
      if (!s.ok()) return ErrorReply(relabel(s, source_rows));
      Json items = Json::array();
      for (const mrv::StoredSectorMonth& m : stored) items.push_back({{"month", m.month}, {"revision", m.revision}});
      return JsonReplyOf(200, Json{{"facility_id", id}, {"year", year}, {"channel", write.channel}, {"stored", items}});
    }, true);
  };

  Add("PUT", v1 + "/facilities/{id}/data/{year}", "Enter or correct monthly data (each month a new revision)",
      [this, put_months, put_sector_months](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::int64_t id = 0;
        int year = 0;
        if (st.ok()) st = PathId(p[0], "facility", &id);
        if (st.ok()) st = PathYear(p[1], &year);
        Json body;
        std::string canonical;
        if (st.ok()) st = ParseBody(r, &body, &canonical);
        JsonInput in(body, "");
        if (st.ok()) st = in.ExpectObject({"months", "channel"});
        MonthlyDataWrite write;
        write.channel = "api";
        if (st.ok()) st = in.Choice("channel", {"api", "form"}, false, &write.channel);
        std::vector<JsonInput> months;
        if (st.ok()) st = in.Array("months", true, &months);
        if (st.ok() && months.size() > 1000) st = Status::Invalid("out_of_range", "at most 1,000 unit-months per request", "months");
        // The facility's sector decides the months' format; the job checks visibility again.
        mrv::Facility facility;
        if (st.ok()) st = VisibleFacility(service_->store(), principal, id, &facility);
        if (st.ok() && calc::IsIndustrySector(facility.sector)) {
          SectorDataWrite sector_write{{body["months"].begin(), body["months"].end()}, write.channel};
          return put_sector_months(r, principal, id, year, std::move(sector_write), canonical, {});
        }
        for (size_t i = 0; st.ok() && i < months.size(); ++i) {
          mrv::UnitMonth month;
          st = calc::ReadUnitMonth(months[i], &month);
          write.months.push_back(month);
          write.bodies_json.push_back(body["months"][i].dump());
        }
        if (!st.ok()) return ErrorResponse(st);
        return put_months(r, principal, id, year, std::move(write), canonical, {});
      });

  Add("POST", v1 + "/facilities/{id}/data/{year}/upload",
      "Upload monthly data as CSV (text/csv) or XLSX in the published template; ?file=NAME",
      [this, put_months, put_sector_months](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::int64_t id = 0;
        int year = 0;
        if (st.ok()) st = PathId(p[0], "facility", &id);
        if (st.ok()) st = PathYear(p[1], &year);
        MonthlyDataWrite write;
        std::string file = r.Query("file") ? *r.Query("file") : "upload";
        if (st.ok() && (file.size() > 120 || file.find_first_of("\r\n") != std::string::npos)) {
          st = Status::Invalid("invalid_field", "file names have at most 120 characters on one line", "file");
        }
        std::vector<std::string> source_rows;
        mrv::Facility facility;
        if (st.ok()) st = VisibleFacility(service_->store(), principal, id, &facility);
        if (st.ok() && calc::IsIndustrySector(facility.sector)) {
          SectorDataWrite sector_write;
          sector_write.channel = "upload:" + file;
          std::vector<std::string> rows;
          st = ParseSectorUpload(facility.sector, r.Header("content-type"), r.body, &sector_write.months, &rows);
          if (!st.ok()) return ErrorResponse(st);
          return put_sector_months(r, principal, id, year, std::move(sector_write), Sha256Hex(r.body) + "\n" + file, rows);
        }
        if (st.ok()) st = ParseMonthlyUpload(r.Header("content-type"), r.body, &write.months, &write.bodies_json, &source_rows);
        if (!st.ok()) return ErrorResponse(st);
        write.channel = "upload:" + file;
        const std::string canonical = Sha256Hex(r.body) + "\n" + file;
        return put_months(r, principal, id, year, std::move(write), canonical, source_rows);
      });

  // ?sector=steel|aluminium|cement gives the industrial sectors' long template; power is the default.
  auto template_sector = [](const HttpRequest& r, mrv::Sector* sector) {
    *sector = mrv::Sector::kPower;
    if (!r.Query("sector")) return Status::OK();
    std::optional<mrv::Sector> parsed = mrv::ParseSector(*r.Query("sector"));
    if (!parsed) return Status::Invalid("invalid_field", "sector is power, steel, aluminium or cement", "sector");
    *sector = *parsed;
    return Status::OK();
  };
  Add("GET", v1 + "/template.csv", "The monthly-data upload template (CSV, no auth; ?sector=)",
      [template_sector](const HttpRequest& r, const Params&) {
        mrv::Sector sector;
        Status st = template_sector(r, &sector);
        if (!st.ok()) return ErrorResponse(st);
        return HttpResponse{200, sector == mrv::Sector::kPower ? MonthlyTemplateCsv() : SectorTemplateCsv(sector),
                            "text/csv; charset=utf-8"};
      });
  Add("GET", v1 + "/template.xlsx", "The monthly-data upload template (XLSX, no auth; ?sector=)",
      [template_sector](const HttpRequest& r, const Params&) {
    mrv::Sector sector;
    Status st = template_sector(r, &sector);
    if (!st.ok()) return ErrorResponse(st);
    Result<std::string> xlsx = sector == mrv::Sector::kPower ? MonthlyTemplateXlsx() : SectorTemplateXlsx(sector);
    if (!xlsx.ok()) return ErrorResponse(xlsx.status());
    return HttpResponse{200, xlsx.value(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"};
  });

  Add("GET", v1 + "/facilities/{id}/data/{year}/versions", "Every revision of the year's monthly data",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::int64_t id = 0;
        int year = 0;
        mrv::Facility facility;
        if (st.ok()) st = VisibleFacilityYear(service_->store(), principal, p, &id, &year, &facility);
        std::vector<mrv::DataVersion> versions;
        if (st.ok()) st = service_->store().ListDataVersions(id, year, &versions);
        if (!st.ok()) return ErrorResponse(st);
        Json items = Json::array();
        for (const mrv::DataVersion& v : versions) {
          items.push_back({{"id", v.id},
                           {"unit_id", v.unit_id},
                           {"month", v.month},
                           {"revision", v.revision},
                           {"channel", v.channel},
                           {"data", Json::parse(v.body_json, nullptr, false)},
                           {"entered_by", ActorName(v.entered_by)},
                           {"entered_at", FormatTimestamp(v.entered_at_us)}});
        }
        return JsonResponseOf(200, Json{{"items", items}});
      });

  Add("GET", v1 + "/facilities/{id}/calendar/{year}",
      "Reporting calendar: monthly data within 40 days, report by 31 March, verification by 30 June",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::int64_t id = 0;
        int year = 0;
        mrv::Facility facility;
        if (st.ok()) st = VisibleFacilityYear(service_->store(), principal, p, &id, &year, &facility);
        std::vector<CalendarItem> items;
        if (st.ok()) st = ReportingCalendar(service_->store(), id, year, service_->clock().NowMicros(), &items);
        if (!st.ok()) return ErrorResponse(st);
        Json out = Json::array();
        for (const CalendarItem& i : items) {
          Json item = {{"item", i.item}, {"due_date", i.due_date.empty() ? Json(nullptr) : Json(i.due_date)},
                       {"status", i.status},
                       {"done_date", i.done_date ? Json(*i.done_date) : Json(nullptr)}};
          if (i.item == "month") item["month"] = i.month;
          out.push_back(std::move(item));
        }
        return JsonResponseOf(200, Json{{"facility_id", id}, {"year", year}, {"items", out}});
      });

  Add("POST", v1 + "/facilities/{id}/reports/{year}", "Submit the annual emission report (a new version each time)",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::int64_t id = 0;
        int year = 0;
        if (st.ok()) st = PathId(p[0], "facility", &id);
        if (st.ok()) st = PathYear(p[1], &year);
        Json body;
        std::string canonical;
        if (st.ok()) st = ParseBody(r, &body, &canonical);
        if (st.ok()) st = JsonInput(body, "").ExpectObject({});
        if (!st.ok()) return ErrorResponse(st);
        return RunJob(r, principal, canonical, [=](WriteContext& ctx) {
          mrv::Report report;
          mrv::Case c;
          Status s = SubmitReport(ctx, principal, id, year, &report, &c);
          if (!s.ok()) return ErrorReply(s);
          Json out = {{"report", ReportSummaryJson(report)}, {"case", CaseJson(c)}};
          // A late report is accepted (the regulator needs it) and said to be late.
          mrv::Facility facility;
          if (ctx.store().GetFacility(id, &facility).ok()) {
            Result<calc::ReportingDeadlines> deadlines = calc::ReportingDeadlinesFor(facility.sector, year);
            if (deadlines.ok()) {
              const std::int64_t due = *ParseDateDays(deadlines.value().annual_report_due);
              const std::int64_t today = ctx.now() / kMicrosPerDay;
              out["deadline"] = Json{{"due_date", deadlines.value().annual_report_due},
                                     {"late", today > due},
                                     {"days_late", today > due ? today - due : 0}};
            }
          }
          return JsonReplyOf(201, out);
        }, true);
      });

  Add("GET", v1 + "/facilities/{id}/reports/{year}", "The year's verification case, report versions and findings",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::int64_t id = 0;
        int year = 0;
        mrv::Facility facility;
        if (st.ok()) st = VisibleFacilityYear(service_->store(), principal, p, &id, &year, &facility);
        std::optional<mrv::Case> c;
        if (st.ok()) st = service_->store().GetCase(id, year, &c);
        std::vector<mrv::Report> reports;
        if (st.ok()) st = service_->store().ListReports(id, year, &reports);
        std::vector<mrv::Finding> findings;
        if (st.ok()) st = service_->store().ListFindings(id, year, &findings);
        if (st.ok() && !c) st = Status::NotFound("no " + std::to_string(year) + " report has been submitted", "year");
        if (!st.ok()) return ErrorResponse(st);
        Json versions = Json::array();
        for (const mrv::Report& report : reports) {
          Json v = ReportSummaryJson(report);
          v["created_by_name"] = ActorName(report.created_by);
          versions.push_back(std::move(v));
        }
        Json findings_json = Json::array();
        for (const mrv::Finding& f : findings) findings_json.push_back(FindingJson(f));
        Json out = {{"facility", FacilityJson(facility, OrgName(service_->store(), facility.org_id))},
                    {"case", CaseJson(*c)},
                    {"versions", versions},
                    {"findings", findings_json}};
        if (c->verifier_org_id) out["verifier_name"] = OrgName(service_->store(), *c->verifier_org_id);
        return JsonResponseOf(200, out);
      });

  Add("GET", v1 + "/facilities/{id}/reports/{year}/versions/{version}", "One report version with its full calculation",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::int64_t id = 0, version = 0;
        int year = 0;
        if (st.ok()) st = PathId(p[0], "facility", &id);
        if (st.ok()) st = PathYear(p[1], &year);
        if (st.ok()) st = PathId(p[2], "version", &version);
        mrv::Facility facility;
        if (st.ok()) st = VisibleFacility(service_->store(), principal, id, &facility);
        std::vector<mrv::Report> reports;
        if (st.ok()) st = service_->store().ListReports(id, year, &reports);
        if (!st.ok()) return ErrorResponse(st);
        for (const mrv::Report& report : reports) {
          if (report.version != version) continue;
          Json out = ReportSummaryJson(report);
          out["calculation"] = Json::parse(report.body_json, nullptr, false);
          return JsonResponseOf(200, out);
        }
        return ErrorResponse(Status::NotFound("version " + std::to_string(version) + " does not exist", "version"));
      });

  // Verification steps: each a POST on the year's report.
  auto step = [this, v1](const std::string& suffix, const char* summary, std::vector<std::string> fields,
                         std::function<Reply(WriteContext&, const Principal&, std::int64_t, int, const Json&,
                                             const std::vector<std::string>&)> run) {
    Add("POST", v1 + "/facilities/{id}/reports/{year}" + suffix, summary,
        [this, fields, run](const HttpRequest& r, const Params& p) {
          Principal principal;
          Status st = Authenticate(r, &principal);
          std::int64_t id = 0;
          int year = 0;
          if (st.ok()) st = PathId(p[0], "facility", &id);
          if (st.ok()) st = PathYear(p[1], &year);
          Json body;
          std::string canonical;
          if (st.ok()) st = ParseBody(r, &body, &canonical);
          if (st.ok()) st = JsonInput(body, "").ExpectObject(fields);
          if (!st.ok()) return ErrorResponse(st);
          std::vector<std::string> path_params(p.begin() + 2, p.end());
          return RunJob(r, principal, canonical + "\n" + (path_params.empty() ? "" : path_params[0]),
                        [=](WriteContext& ctx) { return run(ctx, principal, id, year, body, path_params); }, true);
        });
  };

  step("/assign", "Assign a verification body (regulator; no conflict of interest)", {"verifier_org_id"},
       [](WriteContext& ctx, const Principal& principal, std::int64_t id, int year, const Json& body,
          const std::vector<std::string>&) {
         int verifier = 0;
         Status s = JsonInput(body, "").RequiredInt("verifier_org_id", 1, 1 << 30, &verifier);
         mrv::Case c;
         if (s.ok()) s = AssignVerifier(ctx, principal, id, year, verifier, &c);
         if (!s.ok()) return ErrorReply(s);
         return JsonReplyOf(200, CaseJson(c));
       });
  step("/findings", "Raise a finding, optionally adjusting one value with the reason (assigned verifier)",
       {"description", "adjustment"},
       [](WriteContext& ctx, const Principal& principal, std::int64_t id, int year, const Json& body,
          const std::vector<std::string>&) {
         JsonInput in(body, "");
         std::string description;
         Status s = in.RequiredString("description", &description);
         std::optional<mrv::Adjustment> adjustment;
         if (s.ok() && in.Has("adjustment")) {
           mrv::Adjustment a;
           s = ReadAdjustment(JsonInput(body["adjustment"], "adjustment"), &a);
           adjustment = a;
         }
         mrv::Finding f;
         if (s.ok()) s = RaiseFinding(ctx, principal, id, year, description, adjustment, &f);
         if (!s.ok()) return ErrorReply(s);
         return JsonReplyOf(201, FindingJson(f));
       });
  Add("POST", v1 + "/facilities/{id}/reports/{year}/findings/{finding}/response",
      "Respond to a finding (the enterprise)", [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::int64_t id = 0, finding = 0;
        int year = 0;
        if (st.ok()) st = PathId(p[0], "facility", &id);
        if (st.ok()) st = PathYear(p[1], &year);
        if (st.ok()) st = PathId(p[2], "finding", &finding);
        Json body;
        std::string canonical;
        if (st.ok()) st = ParseBody(r, &body, &canonical);
        JsonInput in(body, "");
        std::string response;
        if (st.ok()) st = in.ExpectObject({"response"});
        if (st.ok()) st = in.RequiredString("response", &response);
        if (!st.ok()) return ErrorResponse(st);
        return RunJob(r, principal, canonical, [=](WriteContext& ctx) {
          mrv::Finding f;
          Status s = RespondToFinding(ctx, principal, id, year, finding, response, &f);
          if (!s.ok()) return ErrorReply(s);
          return JsonReplyOf(200, FindingJson(f));
        }, true);
      });
  step("/conclude", "Conclude the verification; adjusted values make a new version (assigned verifier)", {"conclusion"},
       [](WriteContext& ctx, const Principal& principal, std::int64_t id, int year, const Json& body,
          const std::vector<std::string>&) {
         std::string conclusion;
         Status s = JsonInput(body, "").RequiredString("conclusion", &conclusion);
         mrv::Case c;
         mrv::Report verified;
         if (s.ok()) s = ConcludeVerification(ctx, principal, id, year, conclusion, &c, &verified);
         if (!s.ok()) return ErrorReply(s);
         return JsonReplyOf(200, Json{{"case", CaseJson(c)}, {"verified_report", ReportSummaryJson(verified)}});
       });
  step("/confirm", "Confirm the verified emissions; they are locked (regulator)", {},
       [](WriteContext& ctx, const Principal& principal, std::int64_t id, int year, const Json&,
          const std::vector<std::string>&) {
         mrv::Case c;
         Status s = ConfirmVerification(ctx, principal, id, year, &c);
         if (!s.ok()) return ErrorReply(s);
         return JsonReplyOf(200, CaseJson(c));
       });

  Add("GET", v1 + "/cases", "Verification cases the caller may see; filters year, status",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        CaseFilter filter;
        if (st.ok() && r.Query("year")) {
          int year = 0;
          st = PathYear(*r.Query("year"), &year);
          filter.year = year;
        }
        if (st.ok() && r.Query("status")) {
          filter.status = mrv::ParseCaseStatus(*r.Query("status"));
          if (!filter.status) {
            st = Status::Invalid("invalid_field", "status is submitted, assigned, in_review, concluded or confirmed", "status");
          }
        }
        std::vector<mrv::Case> cases;
        if (st.ok()) st = ListVisibleCases(service_->store(), principal, filter, &cases);
        if (!st.ok()) return ErrorResponse(st);
        Json items = Json::array();
        for (const mrv::Case& c : cases) {
          Json item = CaseJson(c);
          mrv::Facility f;
          if (service_->store().GetFacility(c.facility_id, &f).ok()) {
            item["facility_name"] = f.name;
            item["org_id"] = f.org_id;
            item["org_name"] = OrgName(service_->store(), f.org_id);
            item["region"] = f.region;
          }
          if (c.verifier_org_id) item["verifier_name"] = OrgName(service_->store(), *c.verifier_org_id);
          items.push_back(std::move(item));
        }
        return JsonResponseOf(200, Json{{"items", items}});
      });

  Add("GET", v1 + "/conflicts", "Recorded conflicts of interest (regulator)", [this](const HttpRequest& r, const Params&) {
    Principal principal;
    Status st = Authenticate(r, &principal);
    if (st.ok()) st = RequireRole(principal, {Role::kRegulator}, "read conflicts of interest");
    std::vector<mrv::VerifierConflict> conflicts;
    if (st.ok()) st = service_->store().ListConflicts(&conflicts);
    if (!st.ok()) return ErrorResponse(st);
    Json items = Json::array();
    for (const mrv::VerifierConflict& c : conflicts) {
      items.push_back({{"verifier_org_id", c.verifier_org_id},
                       {"enterprise_org_id", c.enterprise_org_id},
                       {"reason", c.reason},
                       {"recorded_at", FormatTimestamp(c.recorded_at_us)}});
    }
    return JsonResponseOf(200, Json{{"items", items}});
  });

  Add("POST", v1 + "/conflicts", "Record that a verifier consulted for an enterprise (regulator)",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        Json body;
        std::string canonical;
        if (st.ok()) st = ParseBody(r, &body, &canonical);
        JsonInput in(body, "");
        int verifier = 0, enterprise = 0;
        std::string reason;
        if (st.ok()) st = in.ExpectObject({"verifier_org_id", "enterprise_org_id", "reason"});
        if (st.ok()) st = in.RequiredInt("verifier_org_id", 1, 1 << 30, &verifier);
        if (st.ok()) st = in.RequiredInt("enterprise_org_id", 1, 1 << 30, &enterprise);
        if (st.ok()) st = in.RequiredString("reason", &reason);
        if (!st.ok()) return ErrorResponse(st);
        return RunJob(r, principal, canonical, [=](WriteContext& ctx) {
          Status s = RecordConflict(ctx, principal, mrv::VerifierConflict{verifier, enterprise, reason, 0});
          if (!s.ok()) return ErrorReply(s);
          return JsonReplyOf(201, Json{{"verifier_org_id", verifier}, {"enterprise_org_id", enterprise}, {"reason", reason}});
        }, true);
      });
}

}  // namespace greenloop
