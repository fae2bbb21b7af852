// Monthly energy reports of key energy-consuming units (docs/api.md, "Energy reports"): an
// enterprise submits a month of its energy use, accounted by the `energy` calculator before it is
// stored; every revision is kept. service/energy_operations.h checks role and owner.
#include <nlohmann/json.hpp>

#include "calc/json_input.h"
#include "core/time.h"
#include "http/api.h"
#include "http/market_json.h"
#include "http/request_body.h"
#include "service/energy_operations.h"

namespace greenloop {
namespace {

using calc::Json;

Json ReportJson(const energy::StoredEnergyReport& r, bool with_result) {
  Json out = {{"id", r.id},
              {"org_id", r.org_id},
              {"year", r.year},
              {"month", r.month},
              {"revision", r.revision},
              {"channel", r.channel},
              {"comprehensive_tce", calc::ToJsonNumber(r.comprehensive_tce)},
              {"comprehensive_equal_value_tce", calc::ToJsonNumber(r.comprehensive_equal_tce)},
              {"feedstock_tce", calc::ToJsonNumber(r.feedstock_tce)},
              {"renewable_tce", calc::ToJsonNumber(r.renewable_tce)},
              {"submitted_by", r.submitted_by},
              {"submitted_at", FormatTimestamp(r.submitted_at_us)}};
  if (with_result) {
    out["report"] = Json::parse(r.body_json, nullptr, false);
    out["accounting"] = Json::parse(r.result_json, nullptr, false);
  }
  return out;
}

// {org_id, year, month, electricity_equal_kgce_per_kwh?, items:[…]} → the calculator's one-month input.
Status ReportBody(const Json& body, OrgId* org_id, Json* month_input) {
  calc::JsonInput top(body, "");
  GL_RETURN_IF_ERROR(top.ExpectObject({"org_id", "year", "month", "electricity_equal_kgce_per_kwh", "items"}));
  if (!body.contains("org_id") || !body["org_id"].is_number_integer()) {
    return Status::Invalid("missing_field", "org_id is required (the reporting enterprise)", "org_id");
  }
  *org_id = body["org_id"].get<OrgId>();
  int month = 0;
  GL_RETURN_IF_ERROR(top.RequiredInt("month", 1, 12, &month));
  if (!body.contains("items")) return Status::Invalid("missing_field", "items is required", "items");
  *month_input = {{"year", body.contains("year") ? body["year"] : Json(nullptr)},
                  {"months", Json::array({{{"month", month}, {"items", body["items"]}}})}};
  if (body.contains("electricity_equal_kgce_per_kwh")) {
    (*month_input)["electricity_equal_kgce_per_kwh"] = body["electricity_equal_kgce_per_kwh"];
  }
  return Status::OK();
}

// Errors of the one-month input name the body's fields: months[0].items[2].unit → items[2].unit.
Status InBodyTerms(const Status& st) {
  const std::string prefix = "months[0].";
  if (st.field().rfind(prefix, 0) == 0) return st.Restated(st.message(), st.field().substr(prefix.size()));
  return st;
}

}  // namespace

void Api::RegisterEnergyRoutes() {
  const std::string v1 = "/api/v1";
  Add("POST", v1 + "/energy/reports",
      "Submit a month of a key energy-consuming unit's energy use (重点用能单位月报; enterprise, own organization): "
      "{org_id, year, month, electricity_equal_kgce_per_kwh?, items:[{carrier, use?, quantity, unit, …}]}; accounted "
      "per GB/T 2589 and kept as a new revision",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        if (!st.ok()) return ErrorResponse(st);
        Json body = Json::parse(r.body, nullptr, false);
        if (body.is_discarded() || !body.is_object()) {
          return ErrorResponse(Status::Invalid("invalid_json", "the body must be a JSON object"));
        }
        OrgId org_id = 0;
        Json month_input;
        st = ReportBody(body, &org_id, &month_input);
        if (!st.ok()) return ErrorResponse(st);
        return RunJob(
            r, principal, CanonicalJson(nlohmann::json::parse(r.body)),
            [=](WriteContext& ctx) {
              energy::StoredEnergyReport stored;
              Status s = SubmitEnergyReport(ctx, principal, org_id, month_input, "api", &stored);
              if (!s.ok()) return ErrorReply(InBodyTerms(s));
              return Reply{201, ReportJson(stored, true).dump()};
            },
            /*exclusive=*/true);
      });
  Add("GET", v1 + "/energy/reports",
      "Energy reports the caller may see, the latest revision of each month; filters org, year, month, "
      "all_revisions=true",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        EnergyReportFilter filter;
        std::int64_t number = 0;
        if (st.ok() && r.Query("org")) {
          st = market_json::IdParam(*r.Query("org"), "org", &number);
          filter.org_id = number;
        }
        if (st.ok() && r.Query("year")) {
          st = market_json::IdParam(*r.Query("year"), "year", &number);
          if (st.ok() && (number < 2000 || number > 2100)) st = Status::Invalid("out_of_range", "year is 2000–2100", "year");
          filter.year = static_cast<int>(number);
        }
        if (st.ok() && r.Query("month")) {
          st = market_json::IdParam(*r.Query("month"), "month", &number);
          if (st.ok() && number > 12) st = Status::Invalid("out_of_range", "month is 1–12", "month");
          filter.month = static_cast<int>(number);
        }
        if (st.ok() && r.Query("all_revisions")) {
          const std::string& v = *r.Query("all_revisions");
          if (v != "true" && v != "false") st = Status::Invalid("invalid_field", "all_revisions is true or false", "all_revisions");
          filter.all_revisions = v == "true";
        }
        std::vector<energy::StoredEnergyReport> reports;
        if (st.ok()) st = ListVisibleEnergyReports(service_->store(), principal, filter, &reports);
        if (!st.ok()) return ErrorResponse(st);
        Json items = Json::array();
        for (const energy::StoredEnergyReport& e : reports) items.push_back(ReportJson(e, false));
        return HttpResponse{200, Json{{"items", items}}.dump()};
      });
  Add("GET", v1 + "/energy/reports/{id}", "One energy report revision with its accounting (GB/T 2589)",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::int64_t id = 0;
        if (st.ok()) st = market_json::IdParam(p[0], "id", &id);
        energy::StoredEnergyReport report;
        if (st.ok()) st = VisibleEnergyReport(service_->store(), principal, id, &report);
        if (!st.ok()) return ErrorResponse(st);
        return HttpResponse{200, ReportJson(report, true).dump()};
      });
}

}  // namespace greenloop
