// The carbon market endpoints of docs/api.md: allocation (preview and issuance into the
// registry), compliance (status, surrender, penalties), an enterprise's history, and the public
// disclosure of verified emissions (信息披露) as a page's data and as open data (CSV).
#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>

#include "calc/carbon_rules.h"
#include "calc/json_input.h"
#include "core/time.h"
#include "http/api.h"
#include "http/json_mapping.h"
#include "http/request_body.h"
#include "io/csv.h"
#include "service/carbon_operations.h"
#include "service/mrv_operations.h"
#include "service/operations.h"
#include "service/reminders.h"

namespace greenloop {
namespace {

using calc::Json;
using calc::JsonInput;
using calc::ToJsonNumber;

HttpResponse JsonOut(int status, const Json& body) { return HttpResponse{status, body.dump()}; }

// Spreadsheet programs run a cell that starts with = + - @ as a formula; names typed by users go
// out as text.
std::string SpreadsheetText(const std::string& text) {
  if (!text.empty() && std::string("=+-@").find(text[0]) != std::string::npos) return "'" + text;
  return text;
}

Status YearParam(const std::string& text, int* out) {
  if (text.size() != 4 || text.find_first_not_of("0123456789") != std::string::npos) {
    return Status::Invalid("invalid_field", "year must be a four-digit year", "year");
  }
  *out = std::stoi(text);
  if (*out < 2013 || *out > 2100) return Status::Invalid("out_of_range", "year must be between 2013 and 2100", "year");
  return Status::OK();
}

Status BodyOf(const HttpRequest& request, Json* out, std::string* canonical) {
  *out = Json::parse(request.body.empty() ? std::string("{}") : request.body, nullptr, false);
  if (out->is_discarded() || !out->is_object()) return Status::Invalid("invalid_json", "the body must be a JSON object");
  *canonical = CanonicalJson(nlohmann::json::parse(out->dump()));
  return Status::OK();
}

// Which organizations' carbon records the principal may read: all (nullopt), a region's, or one.
struct Scope {
  bool all = false;
  std::string region;
  std::optional<OrgId> org;
  bool Allows(OrgId org_id, const std::string& org_region) const {
    if (all) return true;
    if (org) return *org == org_id;
    return !region.empty() && region == org_region;
  }
};

Status ScopeOf(const Principal& principal, Scope* out) {
  switch (principal.role()) {
    case Role::kRegulator: out->all = true; return Status::OK();
    case Role::kRegion:
      out->region = principal.org && principal.org->region ? *principal.org->region : "";
      return Status::OK();
    case Role::kEnterprise: out->org = principal.org_id().value_or(-1); return Status::OK();
    default: return Status::Forbidden("role '" + std::string(ToString(principal.role())) + "' does not see allocation and compliance records");
  }
}

// What a surrender form and a penalty dialog need to know of the year's rules.
Json ComplianceRulesJson(const compliance::ComplianceRules& rules) {
  const compliance::PenaltyRegime& p = rules.penalty;
  auto optional = [](const std::optional<Decimal>& d) { return d ? calc::ToJsonNumber(*d) : Json(nullptr); };
  return Json{{"deadline", rules.deadline},
              {"cea_vintages", rules.cea_vintages},
              {"ccer_max_percent", calc::ToJsonNumber(rules.ccer_max_percent)},
              {"deduct_shortfall_next_year", rules.deduct_shortfall_next_year},
              {"penalty", Json{{"regime", p.code},
                               {"name_zh", p.name_zh},
                               {"fine_min_yuan", optional(p.fine_min_yuan)},
                               {"fine_max_yuan", optional(p.fine_max_yuan)},
                               {"price_multiple_min", optional(p.price_multiple_min)},
                               {"price_multiple_max", optional(p.price_multiple_max)},
                               {"needs_average_price", p.price_multiple_min.has_value()},
                               {"tag", p.tag},
                               {"source", p.source}}},
              {"source", rules.source}};
}

Json AllocationRecordJson(const compliance::AllocationRecord& a, bool with_calculation) {
  Json j = {{"id", a.id},
            {"org_id", a.org_id},
            {"year", a.year},
            {"kind", a.kind},
            {"quantity", a.quantity},
            {"instrument", a.instrument},
            {"account_id", a.account_id},
            {"differentiated", a.differentiated},
            {"entry_id", a.entry_id},
            {"plan", a.plan},
            {"created_at", FormatTimestamp(a.created_at_us)}};
  if (with_calculation) j["calculation"] = Json::parse(a.calculation_json, nullptr, false);
  return j;
}

Json Yuan(std::int64_t fen) { return ToJsonNumber(Decimal::FromMicros(fen * 10'000)); }

Json ComplianceRowJson(const ComplianceRow& r) {
  Json j = {{"org_id", r.org_id},
            {"org_name", r.org_name},
            {"region", r.region},
            {"industry", r.industry},
            {"verified_emissions_t", ToJsonNumber(r.verified_scope_t)},
            {"facilities_confirmed", r.facilities_confirmed},
            {"facilities_pending", r.facilities_pending},
            {"obligation_t", r.obligation_t},
            {"surrendered_cea_t", r.surrendered.cea_t},
            {"surrendered_ccer_t", r.surrendered.ccer_t},
            {"outstanding_t", r.outstanding_t},
            {"standing", compliance::StandingName(r.standing)}};
  if (r.penalty) {
    j["penalty"] = {{"amount_yuan", Yuan(r.penalty->amount_fen)},
                    {"shortfall_t", r.penalty->shortfall_t},
                    {"deduction_t", r.penalty->deduction_t},
                    {"basis", r.penalty->basis},
                    {"decided_at", FormatTimestamp(r.penalty->decided_at_us)}};
  }
  return j;
}

Status MoneyFen(const JsonInput& in, const std::string& name, bool required, std::optional<std::int64_t>* out) {
  std::optional<Decimal> value;
  GL_RETURN_IF_ERROR(in.OptionalDecimal(name, &value));
  if (!value) {
    if (required) return Status::Invalid("missing_field", name + " is required", name);
    out->reset();
    return Status::OK();
  }
  if (value->is_negative() || value->micros() % 10'000 != 0) {
    return Status::Invalid("invalid_field", name + " is a non-negative amount in yuan with at most two decimals", name);
  }
  *out = value->micros() / 10'000;
  return Status::OK();
}

// ?year= and ?org= of the record lists.
Status CarbonFilterOf(const HttpRequest& r, CarbonFilter* filter) {
  if (r.Query("year")) {
    int year = 0;
    GL_RETURN_IF_ERROR(YearParam(*r.Query("year"), &year));
    filter->year = year;
  }
  if (r.Query("org")) {
    const std::string& org = *r.Query("org");
    if (org.empty() || org.size() > 12 || org.find_first_not_of("0123456789") != std::string::npos) {
      return Status::Invalid("invalid_field", "org must be an organization id", "org");
    }
    filter->org_id = std::stoll(org);
  }
  return Status::OK();
}

Json ReleaseRecordJson(const compliance::ReleaseRecord& r) {
  return Json{{"id", r.id},
              {"org_id", r.org_id},
              {"year", r.year},
              {"instrument", r.instrument},
              {"quantity", r.quantity},
              {"from_account_id", r.from_account_id},
              {"to_account_id", r.to_account_id},
              {"entry_id", r.entry_id},
              {"reason", r.reason},
              {"created_at", FormatTimestamp(r.created_at_us)}};
}

}  // namespace

void Api::RegisterCarbonRoutes() {
  const std::string v1 = "/api/v1";

  Add("GET", v1 + "/carbon/allocations/{year}/preview", "Allowances each enterprise would receive (kind=pre|final)",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        int year = 0;
        if (st.ok()) st = YearParam(p[0], &year);
        Scope scope;
        if (st.ok()) st = ScopeOf(principal, &scope);
        std::string kind = r.Query("kind") ? *r.Query("kind") : "final";
        if (st.ok() && kind != "pre" && kind != "final") st = Status::Invalid("invalid_field", "kind is pre or final", "kind");
        std::vector<AllocationPlanItem> items;
        if (st.ok()) {
          st = ComputeAllocations(service_->store(), year, kind == "pre" ? AllocationKind::kPre : AllocationKind::kFinal,
                                  scope.org, FormatTimestamp(service_->clock().NowMicros()).substr(0, 10), &items);
        }
        if (!st.ok()) return ErrorResponse(st);
        Json out = Json::array();
        for (const AllocationPlanItem& i : items) {
          if (!scope.Allows(i.org_id, i.region)) continue;
          Json item = {{"org_id", i.org_id},     {"org_name", i.org_name},   {"region", i.region},
                       {"ready", i.ready},       {"target_t", i.target_t},   {"issued_t", i.issued_t},
                       {"to_issue_t", i.to_issue_t}, {"differentiated", i.differentiated},
                       {"parked_t", i.parked_t}};
          if (!i.ready) item["not_ready_reason"] = i.not_ready_reason;
          if (i.differentiated) item["differentiated_reason"] = i.differentiated_reason;
          if (i.ready) item["calculation"] = i.calculation;
          out.push_back(std::move(item));
        }
        return JsonOut(200, Json{{"year", year}, {"kind", kind}, {"items", out}});
      });

  Add("POST", v1 + "/carbon/allocations/{year}/issue",
      "Issue (or claw back) allowances into the registry: {kind: pre|final, org_ids?} (regulator)",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        int year = 0;
        if (st.ok()) st = YearParam(p[0], &year);
        Json body;
        std::string canonical;
        if (st.ok()) st = BodyOf(r, &body, &canonical);
        JsonInput in(body, "");
        if (st.ok()) st = in.ExpectObject({"kind", "org_ids"});
        std::string kind;
        if (st.ok()) st = in.Choice("kind", {"pre", "final"}, true, &kind);
        std::vector<OrgId> orgs;
        std::vector<JsonInput> org_inputs;
        if (st.ok()) st = in.Array("org_ids", false, &org_inputs);
        for (size_t i = 0; st.ok() && i < org_inputs.size(); ++i) {
          if (!body["org_ids"][i].is_number_integer()) {
            st = Status::Invalid("invalid_field", "org_ids are integers", "org_ids[" + std::to_string(i) + "]");
          } else {
            orgs.push_back(body["org_ids"][i].get<OrgId>());
          }
        }
        if (!st.ok()) return ErrorResponse(st);
        const AllocationKind k = kind == "pre" ? AllocationKind::kPre : AllocationKind::kFinal;
        return RunJob(r, principal, canonical, [=](WriteContext& ctx) {
          std::vector<compliance::AllocationRecord> issued;
          Status s = IssueAllocations(ctx, principal, year, k, orgs, &issued);
          if (!s.ok()) return ErrorReply(s);
          Json items = Json::array();
          for (const compliance::AllocationRecord& a : issued) items.push_back(AllocationRecordJson(a, false));
          return Reply{200, Json{{"year", year}, {"kind", kind}, {"items", items}}.dump()};
        }, true);
      });

  Add("POST", v1 + "/carbon/allocations/{year}/release",
      "Release an enterprise's differentiated allowances from the provincial account: {org_id} (regulator)",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        int year = 0;
        if (st.ok()) st = YearParam(p[0], &year);
        Json body;
        std::string canonical;
        if (st.ok()) st = BodyOf(r, &body, &canonical);
        JsonInput in(body, "");
        if (st.ok()) st = in.ExpectObject({"org_id"});
        int org_id = 0;
        if (st.ok()) st = in.RequiredInt("org_id", 1, 1 << 30, &org_id);
        if (!st.ok()) return ErrorResponse(st);
        return RunJob(r, principal, canonical, [=](WriteContext& ctx) {
          std::vector<compliance::ReleaseRecord> released;
          Status s = ReleaseDifferentiated(ctx, principal, year, org_id, &released);
          if (!s.ok()) return ErrorReply(s);
          Json items = Json::array();
          for (const compliance::ReleaseRecord& rr : released) items.push_back(ReleaseRecordJson(rr));
          return Reply{201, Json{{"year", year}, {"items", items}}.dump()};
        }, true);
      });

  Add("GET", v1 + "/carbon/releases", "Releases of differentiated allowances; filters year, org",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        Scope scope;
        if (st.ok()) st = ScopeOf(principal, &scope);
        CarbonFilter filter;
        if (st.ok()) st = CarbonFilterOf(r, &filter);
        std::vector<compliance::ReleaseRecord> records;
        if (st.ok()) st = service_->store().ListReleases(filter, &records);
        if (!st.ok()) return ErrorResponse(st);
        Json items = Json::array();
        for (const compliance::ReleaseRecord& rr : records) {
          Organization org;
          if (!service_->store().GetOrganization(rr.org_id, &org).ok()) continue;
          if (!scope.Allows(rr.org_id, org.region.value_or(""))) continue;
          Json item = ReleaseRecordJson(rr);
          item["org_name"] = org.name_zh;
          items.push_back(std::move(item));
        }
        return JsonOut(200, Json{{"items", items}});
      });

  Add("GET", v1 + "/carbon/allocations", "Allocation records (issuances and claw-backs); filters year, org",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        Scope scope;
        if (st.ok()) st = ScopeOf(principal, &scope);
        CarbonFilter filter;
        if (st.ok()) st = CarbonFilterOf(r, &filter);
        std::vector<compliance::AllocationRecord> records;
        if (st.ok()) st = service_->store().ListAllocations(filter, &records);
        if (!st.ok()) return ErrorResponse(st);
        Json items = Json::array();
        for (const compliance::AllocationRecord& a : records) {
          Organization org;
          if (!service_->store().GetOrganization(a.org_id, &org).ok()) continue;
          if (!scope.Allows(a.org_id, org.region.value_or(""))) continue;
          Json item = AllocationRecordJson(a, false);
          item["org_name"] = org.name_zh;
          items.push_back(std::move(item));
        }
        return JsonOut(200, Json{{"items", items}});
      });

  Add("GET", v1 + "/carbon/allocations/records/{id}", "One allocation record with its calculation",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        Scope scope;
        if (st.ok()) st = ScopeOf(principal, &scope);
        std::vector<compliance::AllocationRecord> records;
        if (st.ok()) st = service_->store().ListAllocations(CarbonFilter{}, &records);
        if (!st.ok()) return ErrorResponse(st);
        for (const compliance::AllocationRecord& a : records) {
          if (std::to_string(a.id) != p[0]) continue;
          Organization org;
          if (service_->store().GetOrganization(a.org_id, &org).ok() && scope.Allows(a.org_id, org.region.value_or(""))) {
            Json out = AllocationRecordJson(a, true);
            out["org_name"] = org.name_zh;
            return JsonOut(200, out);
          }
        }
        return ErrorResponse(Status::NotFound("allocation record " + p[0] + " does not exist", "id"));
      });

  Add("GET", v1 + "/carbon/compliance/{year}", "Compliance position per enterprise, and totals by league/city and industry",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        int year = 0;
        if (st.ok()) st = YearParam(p[0], &year);
        Scope scope;
        if (st.ok()) st = ScopeOf(principal, &scope);
        std::vector<ComplianceRow> rows;
        if (st.ok()) st = ComplianceStatus(service_->store(), year, FormatTimestamp(service_->clock().NowMicros()).substr(0, 10), &rows);
        if (!st.ok()) return ErrorResponse(st);
        Result<compliance::ComplianceRules> rules = calc::ComplianceRulesFor(year);
        Json items = Json::array();
        std::map<std::string, std::array<quantity_t, 3>> by_region, by_industry;  // owed, surrendered, outstanding
        for (const ComplianceRow& row : rows) {
          if (!scope.Allows(row.org_id, row.region)) continue;
          items.push_back(ComplianceRowJson(row));
          for (auto* totals : {&by_region[row.region], &by_industry[row.industry]}) {
            (*totals)[0] += row.obligation_t;
            (*totals)[1] += row.surrendered.total();
            (*totals)[2] += row.outstanding_t;
          }
        }
        auto totals_json = [](const std::map<std::string, std::array<quantity_t, 3>>& m, const char* key) {
          Json out = Json::array();
          for (const auto& [name, t] : m) {
            out.push_back({{key, name}, {"obligation_t", t[0]}, {"surrendered_t", t[1]}, {"outstanding_t", t[2]}});
          }
          return out;
        };
        return JsonOut(200, Json{{"year", year},
                                 {"deadline", rules.ok() ? Json(rules.value().deadline) : Json(nullptr)},
                                 {"rules", rules.ok() ? ComplianceRulesJson(rules.value()) : Json(nullptr)},
                                 {"items", items},
                                 {"by_region", totals_json(by_region, "region")},
                                 {"by_industry", totals_json(by_industry, "industry")}});
      });

  Add("GET", v1 + "/reminders",
      "Deadline reminders for the caller: monthly data, reports, verifications, surrenders due within ?within_days (30)",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        int within_days = 30;
        if (st.ok() && r.Query("within_days")) {
          const std::string& text = *r.Query("within_days");
          const bool digits = !text.empty() && text.size() <= 3 && std::all_of(text.begin(), text.end(), ::isdigit);
          if (!digits || std::stoi(text) > 366) {
            st = Status::Invalid("out_of_range", "within_days is a whole number of days from 0 to 366", "within_days");
          } else {
            within_days = std::stoi(text);
          }
        }
        const time_us now = service_->clock().NowMicros();
        std::vector<Reminder> reminders;
        if (st.ok()) st = ListReminders(service_->store(), principal, now, within_days, &reminders);
        if (!st.ok()) return ErrorResponse(st);
        Json items = Json::array();
        for (const Reminder& m : reminders) {
          Json item = {{"kind", m.kind},         {"org_id", m.org_id}, {"org_name", m.org_name}, {"year", m.year},
                       {"due_date", m.due_date}, {"days_left", m.days_left}, {"overdue", m.days_left < 0}};
          if (m.facility_id) {
            item["facility_id"] = *m.facility_id;
            item["facility_name"] = m.facility_name;
          }
          if (m.month) item["month"] = *m.month;
          if (m.outstanding_t) item["outstanding_t"] = *m.outstanding_t;
          items.push_back(std::move(item));
        }
        return JsonOut(200, Json{{"as_of", FormatTimestamp(now).substr(0, 10)}, {"within_days", within_days}, {"items", items}});
      });

  Add("POST", v1 + "/carbon/surrenders",
      "Surrender CEA or CCER against a year's verified emissions: {year, account, instrument, quantity}",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        Json body;
        std::string canonical;
        if (st.ok()) st = BodyOf(r, &body, &canonical);
        RequestBody rb;
        if (st.ok()) st = RequestBody::Parse(r.body, &rb);
        if (st.ok()) st = rb.OnlyFields({"year", "account", "instrument", "quantity"});
        std::int64_t year = 0, account = 0, quantity = 0;
        std::string instrument;
        if (st.ok()) st = rb.Integer("year", &year);
        if (st.ok() && (year < 2013 || year > 2100)) st = Status::Invalid("out_of_range", "year must be between 2013 and 2100", "year");
        if (st.ok()) st = rb.Integer("account", &account);
        if (st.ok()) st = rb.String("instrument", &instrument, 64);
        if (st.ok()) st = rb.Quantity("quantity", &quantity);
        if (!st.ok()) return ErrorResponse(st);
        SurrenderInput input{static_cast<int>(year), account, instrument, quantity};
        return RunJob(r, principal, canonical, [=](WriteContext& ctx) {
          compliance::SurrenderRecord record;
          Entry entry;
          Status s = Surrender(ctx, principal, input, &record, &entry);
          if (!s.ok()) return ErrorReply(s);
          return Reply{201, Json{{"id", record.id},
                                 {"org_id", record.org_id},
                                 {"year", record.year},
                                 {"instrument", record.instrument},
                                 {"family", record.family},
                                 {"quantity", record.quantity},
                                 {"account_id", record.account_id},
                                 {"entry_id", record.entry_id}}
                                 .dump()};
        }, true);
      });

  Add("POST", v1 + "/carbon/penalties",
      "Record a penalty decision for a shortfall: {org_id, year, amount_yuan, average_price_yuan?} (regulator)",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        Json body;
        std::string canonical;
        if (st.ok()) st = BodyOf(r, &body, &canonical);
        JsonInput in(body, "");
        if (st.ok()) st = in.ExpectObject({"org_id", "year", "amount_yuan", "average_price_yuan"});
        int org = 0, year = 0;
        if (st.ok()) st = in.RequiredInt("org_id", 1, 1 << 30, &org);
        if (st.ok()) st = in.RequiredInt("year", 2013, 2100, &year);
        std::optional<std::int64_t> amount, price;
        if (st.ok()) st = MoneyFen(in, "amount_yuan", true, &amount);
        if (st.ok()) st = MoneyFen(in, "average_price_yuan", false, &price);
        if (!st.ok()) return ErrorResponse(st);
        return RunJob(r, principal, canonical, [=](WriteContext& ctx) {
          compliance::PenaltyRecord record;
          Status s = DecidePenalty(ctx, principal, org, year, *amount, price, &record);
          if (!s.ok()) return ErrorReply(s);
          return Reply{201, Json{{"id", record.id},
                                 {"org_id", record.org_id},
                                 {"year", record.year},
                                 {"shortfall_t", record.shortfall_t},
                                 {"amount_yuan", Yuan(record.amount_fen)},
                                 {"deduction_t", record.deduction_t},
                                 {"basis", record.basis}}
                                 .dump()};
        }, true);
      });

  Add("GET", v1 + "/carbon/enterprises/{org}/history", "An enterprise's verified emissions, allocations and surrenders by year",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        Scope scope;
        if (st.ok()) st = ScopeOf(principal, &scope);
        Organization org;
        if (st.ok() && (p[0].empty() || p[0].size() > 12 || p[0].find_first_not_of("0123456789") != std::string::npos)) {
          st = Status::Invalid("invalid_field", "org must be an organization id", "org");
        }
        if (st.ok()) st = service_->store().GetOrganization(std::stoll(p[0]), &org);
        if (st.ok() && !scope.Allows(org.id, org.region.value_or(""))) {
          st = Status::NotFound("organization " + p[0] + " does not exist or is not visible to you", "org");
        }
        FacilityFilter filter;
        filter.org_id = org.id;
        std::vector<mrv::Facility> facilities;
        if (st.ok()) st = service_->store().ListFacilities(filter, &facilities);
        std::vector<compliance::AllocationRecord> allocations;
        std::vector<compliance::SurrenderRecord> surrenders;
        if (st.ok()) st = service_->store().ListAllocations(CarbonFilter{std::nullopt, org.id}, &allocations);
        if (st.ok()) st = service_->store().ListSurrenders(CarbonFilter{std::nullopt, org.id}, &surrenders);
        if (!st.ok()) return ErrorResponse(st);
        std::map<int, Json> years;
        auto year_of = [&](int y) -> Json& {
          Json& j = years[y];
          if (j.is_null()) {
            j = {{"year", y}, {"facilities", Json::array()}, {"allocated_t", 0}, {"surrendered_t", 0}};
          }
          return j;
        };
        for (const mrv::Facility& f : facilities) {
          CaseFilter cf;
          cf.org_id = org.id;
          std::vector<mrv::Case> cases;
          if (!service_->store().ListCases(cf, &cases).ok()) continue;
          for (const mrv::Case& c : cases) {
            if (c.facility_id != f.id) continue;
            year_of(c.year)["facilities"].push_back({{"facility_id", f.id},
                                                     {"name", f.name},
                                                     {"status", mrv::CaseStatusName(c.status)},
                                                     {"verified_emissions_t", c.verified_scope_t ? ToJsonNumber(*c.verified_scope_t) : Json(nullptr)}});
          }
        }
        for (const compliance::AllocationRecord& a : allocations) {
          Json& y = year_of(a.year);
          y["allocated_t"] = y["allocated_t"].get<quantity_t>() + (a.kind == "claw_back" ? -a.quantity : a.quantity);
        }
        for (const compliance::SurrenderRecord& s : surrenders) {
          Json& y = year_of(s.year);
          y["surrendered_t"] = y["surrendered_t"].get<quantity_t>() + s.quantity;
        }
        Json items = Json::array();
        for (auto it = years.rbegin(); it != years.rend(); ++it) items.push_back(it->second);
        return JsonOut(200, Json{{"org_id", org.id}, {"org_name", org.name_zh}, {"items", items}});
      });

  // 信息披露: verified emissions of confirmed reports, for everyone, without signing in.
  Add("GET", v1 + "/public/disclosures", "Published verified emissions and compliance (no auth); ?year=&format=csv",
      [this](const HttpRequest& r, const Params&) {
        Status st;
        std::optional<int> year;
        if (r.Query("year")) {
          int y = 0;
          st = YearParam(*r.Query("year"), &y);
          year = y;
        }
        const bool csv = r.Query("format") && *r.Query("format") == "csv";
        if (st.ok() && r.Query("format") && !csv && *r.Query("format") != "json") {
          st = Status::Invalid("invalid_field", "format is json or csv", "format");
        }
        CaseFilter filter;
        filter.year = year;
        filter.status = mrv::CaseStatus::kConfirmed;
        std::vector<mrv::Case> cases;
        if (st.ok()) st = service_->store().ListCases(filter, &cases);
        if (!st.ok()) return ErrorResponse(st);
        const std::string today = FormatTimestamp(service_->clock().NowMicros()).substr(0, 10);
        std::map<int, std::vector<ComplianceRow>> compliance_by_year;
        Table table;
        table.header = {"year", "enterprise", "uscc", "region", "facility", "verified_emissions_t", "compliance"};
        Json items = Json::array();
        for (const mrv::Case& c : cases) {
          mrv::Facility f;
          Organization org;
          if (!service_->store().GetFacility(c.facility_id, &f).ok() || !service_->store().GetOrganization(f.org_id, &org).ok()) continue;
          if (!compliance_by_year.count(c.year)) {
            std::vector<ComplianceRow> rows;
            if (!ComplianceStatus(service_->store(), c.year, today, &rows).ok()) rows.clear();
            compliance_by_year[c.year] = rows;
          }
          std::string standing = "n/a";
          for (const ComplianceRow& row : compliance_by_year[c.year]) {
            if (row.org_id == org.id) standing = compliance::StandingName(row.standing);
          }
          const Decimal verified = c.verified_scope_t.value_or(Decimal());
          items.push_back({{"year", c.year},
                           {"org_id", org.id},
                           {"enterprise", org.name_zh},
                           {"uscc", org.uscc ? Json(*org.uscc) : Json(nullptr)},
                           {"region", f.region},
                           {"facility_id", f.id},
                           {"sector", mrv::SectorName(f.sector)},
                           {"facility", f.name},
                           {"verified_emissions_t", ToJsonNumber(verified)},
                           {"compliance", standing}});
          table.rows.push_back({std::to_string(c.year), SpreadsheetText(org.name_zh), org.uscc.value_or(""), f.region,
                                SpreadsheetText(f.name), verified.ToString(2), standing});
          table.row_numbers.push_back(static_cast<int>(table.rows.size()) + 1);
        }
        if (csv) return HttpResponse{200, std::string(kUtf8ByteOrderMark) + WriteCsv(table), "text/csv; charset=utf-8"};
        return JsonOut(200, Json{{"items", items}, {"license", "open data: reuse with attribution to the publishing authority"}});
      });
}

}  // namespace greenloop
