#include "service/carbon_operations.h"

#include <algorithm>
#include <map>

#include "calc/carbon_rules.h"
#include "calc/json_input.h"
#include "core/time.h"
#include "mrv/records.h"
#include "service/operations.h"

namespace greenloop {
namespace {

using calc::Json;

int HoursInYear(int year) {
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return (leap ? 366 : 365) * 24;
}

Decimal JsonDecimal(const Json& value) {
  if (value.is_number_integer()) return Decimal::FromInt(value.get<std::int64_t>());
  std::optional<Decimal> d = Decimal::FromDouble(value.get<double>());
  GL_ASSERT(d.has_value());
  return *d;
}

// ratio = numerator / denominator to 4 decimals, half up; 0 when the denominator is 0.
Decimal Ratio4(Decimal numerator, Decimal denominator) {
  if (denominator.micros() <= 0) return Decimal();
  Exact r = Exact::Of(numerator);
  const bool ok = r.Divide(Exact::Of(denominator));
  GL_ASSERT(ok);
  return *r.Round(4, Rounding::kHalfUp);
}

// The verified report body of a facility-year, if the year is confirmed.
Status VerifiedBody(Store& store, const mrv::Facility& facility, int year, std::optional<Json>* body, std::string* status) {
  body->reset();
  std::optional<mrv::Case> c;
  GL_RETURN_IF_ERROR(store.GetCase(facility.id, year, &c));
  if (!c) {
    *status = "not submitted";
    return Status::OK();
  }
  *status = mrv::CaseStatusName(c->status);
  if (c->status != mrv::CaseStatus::kConfirmed) return Status::OK();
  std::vector<mrv::Report> reports;
  GL_RETURN_IF_ERROR(store.ListReports(facility.id, year, &reports));
  for (const mrv::Report& r : reports) {
    if (r.version == c->current_version) *body = Json::parse(r.body_json, nullptr, false);
  }
  if (!*body || (*body)->is_discarded()) return Status::Corruption("the verified report of facility " + std::to_string(facility.id) + " is unreadable");
  return Status::OK();
}

struct UnitYear {
  Json unit;
  Decimal generation, supply, heat, scope_t;
};

std::vector<UnitYear> UnitYears(const Json& body, bool electricity_counts) {
  std::vector<UnitYear> out;
  for (const Json& u : body["units"]) {
    for (const Json& y : body["unit_years"]) {
      if (y["unit_id"] != u["id"]) continue;
      out.push_back({u, JsonDecimal(y["generation_mwh"]), JsonDecimal(y["supply_mwh"]), JsonDecimal(y["heat_supplied_gj"]),
                     JsonDecimal(electricity_counts ? y["total_t"] : y["combustion_t"])});
    }
  }
  return out;
}

// Differentiated allowances still held in each provincial account for an enterprise-year.
std::map<AccountId, quantity_t> Parked(const std::vector<compliance::AllocationRecord>& records,
                                       const std::vector<compliance::ReleaseRecord>& releases) {
  std::map<AccountId, quantity_t> parked;
  for (const compliance::AllocationRecord& a : records) {
    if (a.differentiated && a.kind != "claw_back") parked[a.account_id] += a.quantity;
  }
  for (const compliance::ReleaseRecord& r : releases) parked[r.from_account_id] -= r.quantity;
  for (const auto& [account, quantity] : parked) GL_ASSERT(quantity >= 0);
  return parked;
}

quantity_t NetIssued(const std::vector<compliance::AllocationRecord>& records) {
  quantity_t net = 0;
  for (const compliance::AllocationRecord& a : records) net += a.kind == "claw_back" ? -a.quantity : a.quantity;
  return net;
}

Status HoldingAccount(WriteContext& ctx, OrgId org_id, const Account** out) {
  *out = nullptr;
  std::vector<Account> accounts;
  AccountFilter filter;
  filter.org_id = org_id;
  filter.kind = AccountKind::kHolding;
  GL_RETURN_IF_ERROR(ctx.store().ListAccounts(filter, &accounts));
  for (const Account& a : accounts) {
    const Account* live = ctx.ledger().FindAccount(a.id);
    if (live != nullptr && live->status != AccountStatus::kClosed) {
      *out = live;
      return Status::OK();
    }
  }
  return Status::Refused("no_account", "organization " + std::to_string(org_id) + " has no open holding account", "org_id");
}

Status ProvincialAccount(WriteContext& ctx, const Principal& principal, const Account** out) {
  std::vector<Account> accounts;
  AccountFilter filter;
  filter.kind = AccountKind::kReserve;
  GL_RETURN_IF_ERROR(ctx.store().ListAccounts(filter, &accounts));
  const Account* chosen = nullptr;
  for (const Account& a : accounts) {
    const Account* live = ctx.ledger().FindAccount(a.id);
    if (live == nullptr || live->status != AccountStatus::kOpen) continue;
    if (chosen == nullptr || (principal.org_id() && a.org_id == *principal.org_id())) chosen = live;
  }
  if (chosen == nullptr) return Status::Refused("no_account", "there is no open government reserve account for differentiated issuance");
  *out = chosen;
  return Status::OK();
}

// The allocation of an enterprise's power facilities under the year's power plan.
Status PowerAllocation(Store& store, int year, AllocationKind kind, const Organization& org,
                       const std::vector<mrv::Facility>& org_facilities, AllocationPlanItem* item_out) {
  Result<allocation::PowerPlan> plan = calc::PowerPlanFor(year);
  if (!plan.ok()) {
    item_out->not_ready_reason = plan.status().message();
    return Status::OK();
  }
  const bool electricity_counts = plan.value().purchased_electricity_counts;
  const int basis_year = kind == AllocationKind::kPre ? year - 1 : year;
  Result<allocation::PowerPlan> basis_plan = calc::PowerPlanFor(basis_year);
  const bool basis_electricity_counts = basis_plan.ok() ? basis_plan.value().purchased_electricity_counts : electricity_counts;
  const OrgId org_id = org.id;
  AllocationPlanItem& item = *item_out;
  Json units = Json::array();
  std::string missing;
  for (const mrv::Facility& f : org_facilities) {
    std::optional<Json> body;
    std::string status;
    GL_RETURN_IF_ERROR(VerifiedBody(store, f, basis_year, &body, &status));
    if (!body) {
      missing += (missing.empty() ? "" : "; ") + f.name + ": the " + std::to_string(basis_year) + " report is " + status;
      continue;
    }
    for (const UnitYear& u : UnitYears(*body, kind == AllocationKind::kPre ? basis_electricity_counts : electricity_counts)) {
      Json unit = u.unit;
      unit["id"] = "F" + std::to_string(f.id) + "/" + u.unit["id"].get<std::string>();
      const Decimal capacity = JsonDecimal(u.unit["capacity_mw"]);
      Exact available_mwh = Exact::Of(capacity);
      const bool fits = available_mwh.MultiplyRatio(HoursInYear(basis_year), 1);
      GL_ASSERT(fits);
      unit["generation_mwh"] = calc::ToJsonNumber(u.generation);
      unit["supply_mwh"] = calc::ToJsonNumber(u.supply);
      unit["heat_supplied_gj"] = calc::ToJsonNumber(u.heat);
      unit["load_rate"] = calc::ToJsonNumber(Ratio4(u.generation, *available_mwh.Round(6, Rounding::kHalfUp)));
      // 供热比 as heat out over heat plus electricity supplied, both in GJ (GreenLoop's derivation
      // for the 2019–2022 heat-supply factor; the plans' own definition is not in an accessible text).
      Exact electricity_gj = Exact::Of(u.supply);
      const bool fits_gj = electricity_gj.Multiply(Decimal::FromMicros(3'600'000));
      GL_ASSERT(fits_gj);
      unit["heat_ratio"] = calc::ToJsonNumber(Ratio4(u.heat, u.heat + *electricity_gj.Round(6, Rounding::kHalfUp)));
      unit["verified_emissions_t"] = calc::ToJsonNumber(u.scope_t);
      if (kind == AllocationKind::kPre) {
        unit["previous_verified_emissions_t"] = calc::ToJsonNumber(u.scope_t);
        unit["previous_generation_mwh"] = calc::ToJsonNumber(u.generation);
        unit["previous_supply_mwh"] = calc::ToJsonNumber(u.supply);
        unit["previous_heat_supplied_gj"] = calc::ToJsonNumber(u.heat);
      }
      units.push_back(std::move(unit));
    }
  }
  if (!missing.empty() || units.empty()) {
    item.not_ready_reason = missing.empty() ? "no verified report" : missing;
    return Status::OK();
  }
  Json input = {{"plan_year", year}, {"entity", org.name_zh}, {"units", units}};
  if (kind == AllocationKind::kFinal) {
    std::vector<compliance::PenaltyRecord> penalties;
    GL_RETURN_IF_ERROR(store.ListPenalties(CarbonFilter{year - 1, org_id}, &penalties));
    quantity_t deduction = 0;
    for (const compliance::PenaltyRecord& p : penalties) deduction += p.deduction_t;
    if (deduction > 0) input["deduction_t"] = deduction;
    input["pre_allocation_issued_t"] = item.issued_t;
  }
  const calc::Calculator* calculator = calc::FindCalculator("power-allocation");
  GL_ASSERT(calculator != nullptr);
  Result<Json> result = calculator->run(input);
  if (!result.ok()) {
    item.not_ready_reason = "the allocation cannot be computed: " + result.status().message();
    return Status::OK();
  }
  item.calculation = result.value();
  const Json& entity = item.calculation["entity_allowance"];
  if (kind == AllocationKind::kPre) {
    item.target_t = entity["pre_allocation_t"].is_null() ? 0 : entity["pre_allocation_t"].get<quantity_t>();
    item.to_issue_t = std::max<quantity_t>(0, item.target_t - item.issued_t);
  } else {
    item.target_t = entity["final_t"].get<quantity_t>();
    item.to_issue_t = item.target_t - item.issued_t;
  }
  item.ready = true;
  return Status::OK();
}

// The allocation of an enterprise's industrial facilities under the year's industry plan.
Status IndustryAllocation(Store& store, int year, AllocationKind kind, const Organization& org,
                          const std::vector<mrv::Facility>& org_facilities, AllocationPlanItem* item) {
  Result<allocation::IndustryPlan> plan = calc::IndustryPlanFor(year);
  if (!plan.ok()) {
    item->not_ready_reason = plan.status().message();
    return Status::OK();
  }
  // A rule the plan does not have, or cannot be computed from the data, says so before any report.
  if (kind == AllocationKind::kPre && !plan.value().pre_allocation_share) {
    item->not_ready_reason = "the " + std::to_string(year) + " plan of the industrial sectors has no pre-allocation";
    return Status::OK();
  }
  if (kind == AllocationKind::kFinal && plan.value().final_method != allocation::IndustryFinalMethod::kVerifiedEmissions) {
    item->not_ready_reason = plan.value().final_not_available;
    return Status::OK();
  }
  const int basis_year = kind == AllocationKind::kPre ? year - 1 : year;
  Json facilities = Json::array();
  std::string missing;
  for (const mrv::Facility& f : org_facilities) {
    std::optional<mrv::Case> c;
    GL_RETURN_IF_ERROR(store.GetCase(f.id, basis_year, &c));
    if (!c || c->status != mrv::CaseStatus::kConfirmed || !c->verified_scope_t) {
      missing += (missing.empty() ? "" : "; ") + f.name + ": the " + std::to_string(basis_year) + " report is " +
                 (c ? mrv::CaseStatusName(c->status) : "not submitted");
      continue;
    }
    facilities.push_back(Json{{"facility_id", f.id},
                              {"name", f.name},
                              {"sector", mrv::SectorName(f.sector)},
                              {"verified_emissions_t", calc::ToJsonNumber(*c->verified_scope_t)}});
  }
  if (!missing.empty()) {
    item->not_ready_reason = missing;
    return Status::OK();
  }
  // The same calculator as `greenloop calc industry-allocation`.
  const calc::Calculator* calculator = calc::FindCalculator("industry-allocation");
  GL_ASSERT(calculator != nullptr);
  Result<Json> result = calculator->run(Json{{"plan_year", year},
                                             {"kind", kind == AllocationKind::kPre ? "pre" : "final"},
                                             {"entity", org.name_zh},
                                             {"facilities", facilities}});
  if (!result.ok()) {
    item->not_ready_reason = result.status().message();
    return Status::OK();
  }
  item->calculation = result.value();
  const Json& entity = item->calculation["entity_allowance"];
  const quantity_t allowance = entity[kind == AllocationKind::kPre ? "pre_allocation_t" : "final_t"].get<quantity_t>();
  item->target_t = allowance;
  item->to_issue_t = kind == AllocationKind::kPre ? std::max<quantity_t>(0, allowance - item->issued_t)
                                                  : allowance - item->issued_t;
  item->ready = true;
  return Status::OK();
}

}  // namespace

Status ComputeAllocations(Store& store, int year, AllocationKind kind, const std::optional<OrgId>& only_org,
                          const std::string& today, std::vector<AllocationPlanItem>* out) {
  Result<allocation::PowerPlan> power_plan = calc::PowerPlanFor(year);
  if (!power_plan.ok() && !calc::IndustryPlanFor(year).ok()) return power_plan.status();
  FacilityFilter filter;
  filter.org_id = only_org;
  std::vector<mrv::Facility> facilities;
  GL_RETURN_IF_ERROR(store.ListFacilities(filter, &facilities));
  std::map<OrgId, std::vector<mrv::Facility>> by_org;
  for (const mrv::Facility& f : facilities) by_org[f.org_id].push_back(f);
  out->clear();
  std::vector<ComplianceRow> previous;
  Status prev = ComplianceStatus(store, year - 1, today, &previous);
  if (!prev.ok() && prev.code() != "no_rule") return prev;
  for (const auto& [org_id, org_facilities] : by_org) {
    AllocationPlanItem item;
    item.org_id = org_id;
    Organization org;
    GL_RETURN_IF_ERROR(store.GetOrganization(org_id, &org));
    item.org_name = org.name_zh;
    item.region = org.region.value_or("");
    std::vector<compliance::AllocationRecord> records;
    GL_RETURN_IF_ERROR(store.ListAllocations(CarbonFilter{year, org_id}, &records));
    item.issued_t = NetIssued(records);
    std::vector<compliance::ReleaseRecord> releases;
    GL_RETURN_IF_ERROR(store.ListReleases(CarbonFilter{year, org_id}, &releases));
    for (const auto& [account, quantity] : Parked(records, releases)) item.parked_t += quantity;
    const bool power = std::any_of(org_facilities.begin(), org_facilities.end(),
                                   [](const mrv::Facility& f) { return f.sector == mrv::Sector::kPower; });
    const bool industry = std::any_of(org_facilities.begin(), org_facilities.end(),
                                      [](const mrv::Facility& f) { return f.sector != mrv::Sector::kPower; });
    if (power && industry) {
      item.not_ready_reason = "the enterprise has power and industrial facilities; the plans allocate each sector's "
                              "entities separately, so register them under separate enterprises";
    } else if (industry) {
      GL_RETURN_IF_ERROR(IndustryAllocation(store, year, kind, org, org_facilities, &item));
    } else {
      GL_RETURN_IF_ERROR(PowerAllocation(store, year, kind, org, org_facilities, &item));
    }
    if (!item.ready) {
      out->push_back(std::move(item));
      continue;
    }
    for (const ComplianceRow& row : previous) {
      if (row.org_id == org_id && row.standing == compliance::Standing::kOverdue) {
        item.differentiated = true;
        item.differentiated_reason = "did not surrender fully for " + std::to_string(year - 1) + " (" +
                                     std::to_string(row.outstanding_t) + " t outstanding)";
      }
    }
    out->push_back(std::move(item));
  }
  return Status::OK();
}

Status IssueAllocations(WriteContext& ctx, const Principal& principal, int year, AllocationKind kind,
                        const std::vector<OrgId>& only_orgs, std::vector<compliance::AllocationRecord>* issued) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kRegulator}, "issue allocations"));
  const std::string instrument = "CEA-" + std::to_string(year);
  if (ctx.ledger().FindInstrument(instrument) == nullptr) {
    return Status::Refused("no_instrument", "create the instrument " + instrument + " before allocating " + std::to_string(year),
                           "year");
  }
  std::vector<AllocationPlanItem> items;
  GL_RETURN_IF_ERROR(ComputeAllocations(ctx.store(), year, kind, std::nullopt, FormatTimestamp(ctx.now()).substr(0, 10), &items));
  MrvIds ids;
  GL_RETURN_IF_ERROR(ctx.store().GetMrvIds(&ids));
  const SystemAccounts system = ctx.ledger().system_accounts();
  issued->clear();
  for (const AllocationPlanItem& item : items) {
    if (!only_orgs.empty() && std::find(only_orgs.begin(), only_orgs.end(), item.org_id) == only_orgs.end()) continue;
    if (!item.ready) {
      if (!only_orgs.empty()) {
        return Status::Refused("not_ready", item.org_name + ": " + item.not_ready_reason, "org_ids");
      }
      continue;
    }
    if (item.to_issue_t == 0) continue;
    const Account* holding = nullptr;
    GL_RETURN_IF_ERROR(HoldingAccount(ctx, item.org_id, &holding));
    bool differentiated = item.differentiated;
    std::string reason = item.differentiated_reason;
    if (holding->status == AccountStatus::kFrozen) {
      differentiated = true;
      reason = "its holding account is frozen (judicial freeze)";
    }
    compliance::AllocationRecord record;
    record.id = ++ids.allocation;
    record.org_id = item.org_id;
    record.year = year;
    record.instrument = instrument;
    record.plan = item.calculation["plan"]["plan"].get<std::string>();
    record.calculation_json = item.calculation.dump();
    record.created_by = principal.user.id;
    record.created_at_us = ctx.now();
    Movement movement;
    movement.instrument = instrument;
    const std::string what = kind == AllocationKind::kPre ? "预分配 pre-allocation" : "核定 final allocation";
    if (item.to_issue_t > 0) {
      const Account* target = holding;
      if (differentiated) GL_RETURN_IF_ERROR(ProvincialAccount(ctx, principal, &target));
      movement.kind = EntryKind::kIssue;
      movement.to_account = target->id;
      movement.quantity = item.to_issue_t;
      record.kind = kind == AllocationKind::kPre ? "pre_allocation" : "true_up";
      record.account_id = target->id;
      record.differentiated = differentiated;
    } else {
      movement.kind = EntryKind::kTransfer;
      movement.from_account = holding->id;
      movement.to_account = system.issuance;
      movement.quantity = -item.to_issue_t;
      record.kind = "claw_back";
      record.account_id = holding->id;
    }
    movement.memo = std::to_string(year) + "年度配额" + what + " — " + item.org_name + "; allocation record " +
                    std::to_string(record.id) + " (" + record.plan + " plan)" +
                    (differentiated && item.to_issue_t > 0 ? "; 差异化发放 to the provincial account: " + reason : "");
    record.quantity = movement.quantity;
    Entry entry;
    Status st = ApplyMovement(ctx, principal, movement, &entry);
    if (!st.ok()) return Status::Refused(st.code(), item.org_name + ": " + st.message(), st.field());
    record.entry_id = entry.id;
    ctx.mrv().allocations.push_back(record);
    issued->push_back(record);
  }
  ctx.Audit(principal.user.id, "carbon.allocation.issue", std::to_string(year),
            Json{{"kind", kind == AllocationKind::kPre ? "pre" : "final"}, {"records", issued->size()}}.dump());
  return Status::OK();
}

Status ReleaseDifferentiated(WriteContext& ctx, const Principal& principal, int year, OrgId org_id,
                             std::vector<compliance::ReleaseRecord>* released) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kRegulator}, "release differentiated allowances"));
  released->clear();
  Organization org;
  Status st = ctx.store().GetOrganization(org_id, &org);
  if (st.IsNotFound()) return Status::Invalid("not_found", "organization " + std::to_string(org_id) + " does not exist", "org_id");
  GL_RETURN_IF_ERROR(st);
  std::vector<compliance::AllocationRecord> records;
  GL_RETURN_IF_ERROR(ctx.store().ListAllocations(CarbonFilter{year, org_id}, &records));
  std::vector<compliance::ReleaseRecord> releases;
  GL_RETURN_IF_ERROR(ctx.store().ListReleases(CarbonFilter{year, org_id}, &releases));
  std::map<AccountId, quantity_t> parked = Parked(records, releases);
  quantity_t total = 0;
  for (const auto& [account, quantity] : parked) total += quantity;
  if (total == 0) {
    return Status::Conflict("nothing_parked", "no differentiated " + std::to_string(year) + " allowances of " + org.name_zh +
                                                  " are held in the provincial account");
  }
  // The cause must be gone: the previous year settled, the holding account open.
  const std::string today = FormatTimestamp(ctx.now()).substr(0, 10);
  std::vector<ComplianceRow> previous;
  Status prev = ComplianceStatus(ctx.store(), year - 1, today, &previous);
  if (!prev.ok() && !prev.IsNotFound() && prev.code() != "no_rule") return prev;
  for (const ComplianceRow& row : previous) {
    if (row.org_id == org_id && row.outstanding_t > 0 && row.standing == compliance::Standing::kOverdue) {
      return Status::Conflict("still_unsettled", org.name_zh + " still owes " + std::to_string(row.outstanding_t) +
                                                     " t for " + std::to_string(year - 1) + "; surrender them first");
    }
  }
  const Account* holding = nullptr;
  GL_RETURN_IF_ERROR(HoldingAccount(ctx, org_id, &holding));
  if (holding->status != AccountStatus::kOpen) {
    return Status::Conflict("account_frozen", "the holding account " + std::to_string(holding->id) + " of " + org.name_zh +
                                                  " is frozen; unfreeze it before releasing");
  }
  MrvIds ids;
  GL_RETURN_IF_ERROR(ctx.store().GetMrvIds(&ids));
  const std::string instrument = "CEA-" + std::to_string(year);
  for (const auto& [account, quantity] : parked) {
    if (quantity == 0) continue;
    compliance::ReleaseRecord record;
    record.id = ++ids.release;
    record.org_id = org_id;
    record.year = year;
    record.instrument = instrument;
    record.quantity = quantity;
    record.from_account_id = account;
    record.to_account_id = holding->id;
    record.reason = std::to_string(year - 1) + " settled and holding account open";
    record.created_by = principal.user.id;
    record.created_at_us = ctx.now();
    Movement movement;
    movement.kind = EntryKind::kTransfer;
    movement.from_account = account;
    movement.to_account = holding->id;
    movement.instrument = instrument;
    movement.quantity = quantity;
    movement.memo = std::to_string(year) + "年度差异化发放配额释放 release of differentiated allowances — " + org.name_zh +
                    "; release record " + std::to_string(record.id);
    Entry entry;
    GL_RETURN_IF_ERROR(ApplyMovement(ctx, principal, movement, &entry));
    record.entry_id = entry.id;
    ctx.mrv().releases.push_back(record);
    released->push_back(record);
  }
  ctx.Audit(principal.user.id, "carbon.allocation.release", std::to_string(year) + "/org:" + std::to_string(org_id),
            Json{{"records", released->size()}, {"quantity", total}}.dump());
  return Status::OK();
}

Status ComplianceStatus(Store& store, int year, const std::string& today, std::vector<ComplianceRow>* out) {
  out->clear();
  Result<compliance::ComplianceRules> rules = calc::ComplianceRulesFor(year);
  if (!rules.ok()) return rules.status();
  std::vector<mrv::Facility> facilities;
  GL_RETURN_IF_ERROR(store.ListFacilities(FacilityFilter{}, &facilities));
  std::map<OrgId, ComplianceRow> rows;
  for (const mrv::Facility& f : facilities) {
    // The industrial sectors are covered from data year 2024.
    if (f.sector != mrv::Sector::kPower && !calc::ReportingDeadlinesFor(f.sector, year).ok()) continue;
    std::optional<mrv::Case> c;
    GL_RETURN_IF_ERROR(store.GetCase(f.id, year, &c));
    ComplianceRow& row = rows[f.org_id];
    row.org_id = f.org_id;
    if (c && c->status == mrv::CaseStatus::kConfirmed && c->verified_scope_t) {
      row.verified_scope_t = row.verified_scope_t + *c->verified_scope_t;
      row.facilities_confirmed++;
    } else {
      row.facilities_pending++;
    }
  }
  std::vector<compliance::SurrenderRecord> surrenders;
  GL_RETURN_IF_ERROR(store.ListSurrenders(CarbonFilter{year, std::nullopt}, &surrenders));
  std::vector<compliance::PenaltyRecord> penalties;
  GL_RETURN_IF_ERROR(store.ListPenalties(CarbonFilter{year, std::nullopt}, &penalties));
  for (auto& [org_id, row] : rows) {
    if (row.facilities_confirmed == 0) continue;
    Organization org;
    GL_RETURN_IF_ERROR(store.GetOrganization(org_id, &org));
    row.org_name = org.name_zh;
    row.region = org.region.value_or("");
    row.industry = org.industry.value_or("");
    row.obligation_t = compliance::ObligationTonnes(row.verified_scope_t);
    for (const compliance::SurrenderRecord& s : surrenders) {
      if (s.org_id != org_id) continue;
      (s.family == "CEA" ? row.surrendered.cea_t : row.surrendered.ccer_t) += s.quantity;
    }
    row.outstanding_t = std::max<quantity_t>(0, row.obligation_t - row.surrendered.total());
    row.standing = compliance::StandingOf(row.obligation_t, row.surrendered, rules.value(), today);
    for (const compliance::PenaltyRecord& p : penalties) {
      if (p.org_id == org_id) row.penalty = p;
    }
    out->push_back(row);
  }
  return Status::OK();
}

Status Surrender(WriteContext& ctx, const Principal& principal, const SurrenderInput& input,
                 compliance::SurrenderRecord* out, Entry* entry) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kEnterprise, Role::kRegulator}, "surrender allowances"));
  Result<compliance::ComplianceRules> rules = calc::ComplianceRulesFor(input.year);
  if (!rules.ok()) return rules.status();
  const Account* account = ctx.ledger().FindAccount(input.account);
  if (account == nullptr || (principal.role() == Role::kEnterprise && principal.org_id() != account->org_id)) {
    return Status::NotFound("account " + std::to_string(input.account) + " does not exist or is not visible to you", "account");
  }
  const Instrument* instrument = ctx.ledger().FindInstrument(input.instrument);
  if (instrument == nullptr) return Status::Invalid("not_found", "instrument '" + input.instrument + "' does not exist", "instrument");
  std::vector<ComplianceRow> rows;
  GL_RETURN_IF_ERROR(ComplianceStatus(ctx.store(), input.year, FormatTimestamp(ctx.now()).substr(0, 10), &rows));
  auto row = std::find_if(rows.begin(), rows.end(), [&](const ComplianceRow& r) { return r.org_id == account->org_id; });
  if (row == rows.end()) {
    return Status::Refused("no_obligation", "the organization has no confirmed verified emissions for " + std::to_string(input.year),
                           "year");
  }
  compliance::SurrenderRequest request;
  request.family = instrument->family;
  request.vintage = instrument->vintage;
  request.quantity = input.quantity;
  request.project_in_ets = instrument->attributes_json.find("\"project_in_ets\":true") != std::string::npos;
  GL_RETURN_IF_ERROR(compliance::CheckSurrender(row->obligation_t, row->surrendered, request, rules.value()));
  Movement movement;
  movement.kind = EntryKind::kRetire;
  movement.from_account = input.account;
  movement.instrument = input.instrument;
  movement.quantity = input.quantity;
  movement.memo = std::to_string(input.year) + "年度清缴履约 surrender for " + std::to_string(input.year) + " emissions — " +
                  row->org_name;
  GL_RETURN_IF_ERROR(ApplyMovement(ctx, principal, movement, entry));
  MrvIds ids;
  GL_RETURN_IF_ERROR(ctx.store().GetMrvIds(&ids));
  *out = compliance::SurrenderRecord{ids.surrender + 1, account->org_id, input.year, input.instrument, instrument->family,
                                     input.quantity, input.account, entry->id, principal.user.id, ctx.now()};
  ctx.mrv().surrenders.push_back(*out);
  return Status::OK();
}

Status DecidePenalty(WriteContext& ctx, const Principal& principal, OrgId org_id, int year, std::int64_t amount_fen,
                     std::optional<std::int64_t> average_price_fen, compliance::PenaltyRecord* out) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kRegulator}, "decide penalties"));
  Result<compliance::ComplianceRules> rules = calc::ComplianceRulesFor(year);
  if (!rules.ok()) return rules.status();
  std::vector<ComplianceRow> rows;
  GL_RETURN_IF_ERROR(ComplianceStatus(ctx.store(), year, FormatTimestamp(ctx.now()).substr(0, 10), &rows));
  auto row = std::find_if(rows.begin(), rows.end(), [&](const ComplianceRow& r) { return r.org_id == org_id; });
  if (row == rows.end()) return Status::NotFound("organization " + std::to_string(org_id) + " has no obligation for " + std::to_string(year), "org_id");
  if (row->standing != compliance::Standing::kOverdue) {
    return Status::Conflict("invalid_state", "a penalty follows a shortfall after the deadline " + rules.value().deadline +
                                                 "; the organization is " + compliance::StandingName(row->standing));
  }
  if (row->penalty) return Status::Conflict("duplicate", "a penalty for " + std::to_string(year) + " is decided already");
  Result<compliance::PenaltyRange> range = compliance::PenaltyFor(row->outstanding_t, rules.value(), average_price_fen);
  if (!range.ok()) return range.status();
  if (amount_fen < range.value().min_fen || amount_fen > range.value().max_fen) {
    // In yuan with the fen, so that the bounds quoted are amounts the rule accepts.
    auto yuan = [](std::int64_t fen) { return Decimal::FromMicros(fen * 10'000).ToString(2); };
    return Status::Refused("out_of_range", "the rules allow " + yuan(range.value().min_fen) + "–" +
                                               yuan(range.value().max_fen) + " yuan for this shortfall (" +
                                               range.value().basis + ")",
                           "amount_yuan");
  }
  MrvIds ids;
  GL_RETURN_IF_ERROR(ctx.store().GetMrvIds(&ids));
  *out = compliance::PenaltyRecord{ids.penalty + 1, org_id, year, row->outstanding_t, amount_fen, range.value().deduction_t,
                                   range.value().basis, principal.user.id, ctx.now()};
  ctx.mrv().penalties.push_back(*out);
  ctx.Audit(principal.user.id, "carbon.penalty.decide", "org:" + std::to_string(org_id) + "/" + std::to_string(year),
            Json{{"amount_fen", amount_fen}, {"shortfall_t", row->outstanding_t}}.dump());
  return Status::OK();
}

}  // namespace greenloop
