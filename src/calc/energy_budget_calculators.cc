// The energy budget calculators (energy/energy_budget.h): `energy-review` (who reviews a
// project's energy use, 节能审查), `energy-budget` (a league's or city's budget ledger, 用能预算) and
// `energy-use-rights` (initial rights and the year's reconciliation, 用能权确权与清缴).
#include <nlohmann/json.hpp>

#include "calc/calculator.h"
#include "calc/energy_rules.h"
#include "calc/json_input.h"
#include "core/assert.h"
#include "calc/data_file.h"
#include "energy/energy_budget.h"

namespace greenloop::calc {
namespace {

// The rule files of this calculator hold one rule each.
nlohmann::json DataRow(const char* path) {
  const nlohmann::json doc = ReadDataFile(path);
  GL_ASSERT(doc["items"].size() == 1);
  return doc["items"][0];
}

const energy::ReviewRules& ReviewRulesData() {
  static const energy::ReviewRules rules = [] {
    const nlohmann::json row = DataRow("data/energy/energy-review-rules.json");
    energy::ReviewRules r;
    r.effective_from = row.at("effective_from").get<std::string>();
    r.provincial_min_tce = DataDecimal(row.at("provincial_min_tce"));
    r.exempt_below_tce = DataDecimal(row.at("exempt_below_tce"));
    r.exempt_below_kwh = DataDecimal(row.at("exempt_below_kwh"));
    r.two_high_guidance_tce = DataDecimal(row.at("two_high_guidance_tce"));
    GL_ASSERT(r.exempt_below_tce < r.provincial_min_tce);
    r.tag = row.at("tag").get<std::string>();
    r.source = row.at("source").get<std::string>();
    return r;
  }();
  return rules;
}

const energy::HenanFormula& HenanData() {
  static const energy::HenanFormula formula = [] {
    const nlohmann::json row = DataRow("data/energy/energy-use-rights-rules.json");
    energy::HenanFormula f;
    f.b_min = DataDecimal(row.at("b_min"));
    f.b_max = DataDecimal(row.at("b_max"));
    GL_ASSERT(f.b_min <= f.b_max);
    return f;
  }();
  return formula;
}

// A {value, unit} figure in kgce (energy) — the budget's integer unit.
Status ReadKgce(const JsonInput& parent, const std::string& name, bool required, energy::kgce_t* out) {
  std::optional<Decimal> tce;
  GL_RETURN_IF_ERROR(ReadEnergyQuantity(parent, name, energy::Dimension::kStandardCoal, required, &tce));
  if (!tce) {
    *out = 0;
    return Status::OK();
  }
  if (tce->is_negative()) return Status::Invalid("out_of_range", "cannot be negative", parent.PathOf(name));
  Result<energy::kgce_t> kg = energy::KgceOf(*tce, parent.PathOf(name));
  if (!kg.ok()) return kg.status();
  *out = kg.value();
  return Status::OK();
}

Result<Json> RunReview(const Json& input) {
  JsonInput top(input, "");
  GL_RETURN_IF_ERROR(top.ExpectObject({"project", "annual_energy", "annual_electricity", "two_high", "rebuild_same_site",
                                       "existing_energy", "existing_electricity"}));
  energy::ProjectEnergyUse p;
  std::optional<Decimal> q;
  GL_RETURN_IF_ERROR(ReadEnergyQuantity(top, "annual_energy", energy::Dimension::kStandardCoal, true, &q));
  p.annual_tce = *q;
  GL_RETURN_IF_ERROR(ReadEnergyQuantity(top, "annual_electricity", energy::Dimension::kElectricity, true, &q));
  p.annual_kwh = *q;
  GL_RETURN_IF_ERROR(top.OptionalBool("two_high", &p.two_high));
  GL_RETURN_IF_ERROR(top.OptionalBool("rebuild_same_site", &p.rebuild_same_site));
  GL_RETURN_IF_ERROR(ReadEnergyQuantity(top, "existing_energy", energy::Dimension::kStandardCoal, p.rebuild_same_site, &q));
  p.existing_tce = q.value_or(Decimal());
  GL_RETURN_IF_ERROR(ReadEnergyQuantity(top, "existing_electricity", energy::Dimension::kElectricity, false, &q));
  p.existing_kwh = q.value_or(Decimal());
  const energy::ReviewRules& rules = ReviewRulesData();
  Result<energy::ReviewDecision> d = energy::ClassifyReview(p, rules);
  if (!d.ok()) return d.status();
  Json out;
  out["calculator"] = "energy-review";
  if (input.contains("project")) out["project"] = input["project"];
  out["tier"] = energy::ReviewTierName(d.value().tier);
  out["reason"] = d.value().reason;
  out["counted_tce"] = ToJsonNumber(d.value().counted_tce);
  out["counted_kwh"] = ToJsonNumber(d.value().counted_kwh);
  out["two_high"] = p.two_high;
  out["national_window_guidance"] = d.value().national_guidance;
  out["rules"] = {{"effective_from", rules.effective_from},
                  {"provincial_min_tce", ToJsonNumber(rules.provincial_min_tce)},
                  {"exempt_below_tce", ToJsonNumber(rules.exempt_below_tce)},
                  {"exempt_below_kwh", ToJsonNumber(rules.exempt_below_kwh)},
                  {"two_high_guidance_tce", ToJsonNumber(rules.two_high_guidance_tce)},
                  {"tag", rules.tag},
                  {"source", rules.source}};
  return out;
}

Status ReadAcquisition(const JsonInput& event, energy::AcquisitionInput* out) {
  std::optional<JsonInput> a;
  GL_RETURN_IF_ERROR(event.Object("acquisition", false, &a));
  out->formula = "shortfall";
  if (!a) return Status::OK();
  GL_RETURN_IF_ERROR(a->ExpectObject({"formula", "a", "b", "c_tce_per_10k_yuan", "average_tce_per_10k_yuan"}));
  GL_RETURN_IF_ERROR(a->Choice("formula", {"shortfall", "henan-2022"}, true, &out->formula));
  if (out->formula == "shortfall") return Status::OK();
  std::optional<Decimal> q;
  GL_RETURN_IF_ERROR(ReadEnergyQuantity(*a, "a", energy::Dimension::kStandardCoal, true, &q));
  out->a_tce = *q;
  GL_RETURN_IF_ERROR(a->RequiredDecimal("b", &out->b));
  GL_RETURN_IF_ERROR(a->RequiredDecimal("c_tce_per_10k_yuan", &out->c_tce_per_10k_yuan));
  GL_RETURN_IF_ERROR(a->RequiredDecimal("average_tce_per_10k_yuan", &out->average_tce_per_10k_yuan));
  return Status::OK();
}

Result<Json> RunBudget(const Json& input) {
  JsonInput top(input, "");
  GL_RETURN_IF_ERROR(top.ExpectObject({"region", "year", "room", "room_method", "events"}));
  int year = 0;
  GL_RETURN_IF_ERROR(top.RequiredInt("year", 2000, 2100, &year));
  std::string method;
  GL_RETURN_IF_ERROR(top.RequiredString("room_method", &method));
  energy::BudgetLedger ledger;
  GL_RETURN_IF_ERROR(ReadKgce(top, "room", true, &ledger.room_kgce));
  std::vector<JsonInput> event_inputs;
  GL_RETURN_IF_ERROR(top.Array("events", false, &event_inputs));
  std::vector<energy::BudgetEvent> events;
  for (const JsonInput& e : event_inputs) {
    GL_RETURN_IF_ERROR(e.ExpectObject({"kind", "project", "quantity", "rights_held", "acquisition", "memo"}));
    energy::BudgetEvent event;
    std::string kind;
    GL_RETURN_IF_ERROR(e.Choice("kind", {"allocate", "approve", "commission", "release"}, true, &kind));
    event.kind = kind == "allocate"     ? energy::BudgetEventKind::kAllocate
                 : kind == "approve"    ? energy::BudgetEventKind::kApprove
                 : kind == "commission" ? energy::BudgetEventKind::kCommission
                                        : energy::BudgetEventKind::kRelease;
    if (event.kind != energy::BudgetEventKind::kAllocate) GL_RETURN_IF_ERROR(e.RequiredString("project", &event.project));
    const bool needs_quantity = event.kind == energy::BudgetEventKind::kAllocate || event.kind == energy::BudgetEventKind::kApprove;
    GL_RETURN_IF_ERROR(ReadKgce(e, "quantity", needs_quantity, &event.quantity_kgce));
    GL_RETURN_IF_ERROR(ReadKgce(e, "rights_held", false, &event.rights_kgce));
    GL_RETURN_IF_ERROR(ReadAcquisition(e, &event.acquisition));
    events.push_back(std::move(event));
  }
  Status st = energy::ApplyBudgetEvents(events, HenanData(), &ledger);
  if (!st.ok()) return st;
  Json projects = Json::array();
  for (const energy::BudgetProject& p : ledger.projects) {
    projects.push_back({{"project", p.project},
                        {"status", energy::ProjectStatusName(p.status)},
                        {"quantity_kgce", p.quantity_kgce},
                        {"from_budget_kgce", p.from_budget_kgce},
                        {"rights_required_kgce", p.rights_required_kgce},
                        {"rights_held_kgce", p.rights_held_kgce}});
  }
  Json out;
  out["calculator"] = "energy-budget";
  if (input.contains("region")) out["region"] = input["region"];
  out["year"] = year;
  out["room_method"] = method;
  out["unit"] = "kgce (the EUR instrument's smallest unit; tce figures rounded half up to the kgce)";
  out["room_kgce"] = ledger.room_kgce;
  out["allocated_kgce"] = ledger.allocated_kgce;
  out["budget_kgce"] = ledger.budget();
  out["approved_kgce"] = ledger.approved_kgce;
  out["commissioned_kgce"] = ledger.commissioned_kgce;
  out["remaining_kgce"] = ledger.remaining();
  out["exhausted"] = ledger.remaining() == 0;
  out["projects"] = projects;
  return out;
}

Result<Json> RunRights(const Json& input) {
  JsonInput top(input, "");
  GL_RETURN_IF_ERROR(top.ExpectObject({"enterprise", "method", "first_year", "history", "output", "benchmark_tce_per_unit",
                                       "actual", "held"}));
  std::string method;
  GL_RETURN_IF_ERROR(top.Choice("method", {"historical", "benchmark"}, true, &method));
  Json out;
  out["calculator"] = "energy-use-rights";
  if (input.contains("enterprise")) out["enterprise"] = input["enterprise"];
  out["method"] = method;
  Result<energy::kgce_t> rights = energy::kgce_t{0};
  if (method == "historical") {
    int first_year = 0;
    GL_RETURN_IF_ERROR(top.RequiredInt("first_year", 2000, 2100, &first_year));
    std::vector<JsonInput> history;
    GL_RETURN_IF_ERROR(top.Array("history", true, &history));
    std::vector<std::optional<Decimal>> yearly;
    for (size_t i = 0; i < history.size(); ++i) {
      // A year without figures is null: the method refuses gaps rather than averaging fewer years.
      const Json& raw = input["history"][i];
      std::optional<Decimal> tce;
      if (!raw.is_null()) {
        const JsonInput& row = history[i];
        GL_RETURN_IF_ERROR(row.ExpectObject({"value", "unit"}));
        Decimal value;
        GL_RETURN_IF_ERROR(row.RequiredDecimal("value", &value));
        std::string unit;
        GL_RETURN_IF_ERROR(row.RequiredString("unit", &unit));
        Result<Exact> base = energy::ToBase(value, unit, energy::Dimension::kStandardCoal, row.PathOf("unit"));
        if (!base.ok()) return base.status();
        tce = base.value().Round(6, Rounding::kHalfUp);
      }
      yearly.push_back(tce);
    }
    rights = energy::HistoricalRights(yearly, first_year);
    out["first_year"] = first_year;
    out["years"] = yearly.size();
    out["rule"] = "the average of the years' comprehensive energy consumption, down to the kgce (历史法, Henan 2019 [C])";
  } else {
    Decimal output, benchmark;
    GL_RETURN_IF_ERROR(top.RequiredDecimal("output", &output));
    GL_RETURN_IF_ERROR(top.RequiredDecimal("benchmark_tce_per_unit", &benchmark));
    rights = energy::BenchmarkRights(output, benchmark);
    out["rule"] = "output × benchmark energy use per unit, down to the kgce (基准法, Henan 2019 [C])";
  }
  if (!rights.ok()) return rights.status();
  out["rights_kgce"] = rights.value();
  if (top.Has("actual")) {
    std::optional<Decimal> actual;
    GL_RETURN_IF_ERROR(ReadEnergyQuantity(top, "actual", energy::Dimension::kStandardCoal, true, &actual));
    energy::kgce_t held = rights.value();
    if (top.Has("held")) GL_RETURN_IF_ERROR(ReadKgce(top, "held", true, &held));
    Result<energy::Reconciliation> r = energy::Reconcile(*actual, held);
    if (!r.ok()) return r.status();
    out["reconciliation"] = {{"actual_kgce", r.value().actual_kgce},
                             {"held_kgce", r.value().held_kgce},
                             {"surplus_kgce", r.value().surplus_kgce},
                             {"shortfall_kgce", r.value().shortfall_kgce}};
  }
  return out;
}

}  // namespace

std::vector<Calculator> EnergyBudgetCalculators() {
  Calculator review;
  review.name = "energy-review";
  review.title_zh = "节能审查分级";
  review.title_en = "Energy conservation review tier";
  review.description =
      "NDRC Order 2023 No. 2: ≥ 10,000 tce a year reviewed by the region, < 1,000 tce and < 5,000,000 kWh not "
      "separately, otherwise the league or city; a same-site rebuild counts the increment; two-high projects ≥ 50,000 tce "
      "get national window guidance (1310号)";
  review.example_file = "docs/calc/energy-review.json";
  review.run = RunReview;
  Calculator budget;
  budget.name = "energy-budget";
  budget.title_zh = "用能预算台账";
  budget.title_en = "Energy budget ledger";
  budget.description =
      "A league's or city's annual energy budget (room left by its targets + regional allocations) as a ledger of "
      "approvals, commissioning and releases in kgce; beyond the budget a project must hold the energy-use rights the "
      "chosen formula requires (shortfall, or Henan 2022 A × B × C ÷ average)";
  budget.example_file = "docs/calc/energy-budget.json";
  budget.run = RunBudget;
  Calculator rights;
  rights.name = "energy-use-rights";
  rights.title_zh = "用能权确权与清缴";
  rights.title_en = "Energy-use rights: initial allocation and reconciliation";
  rights.description =
      "Initial rights of an existing enterprise by the historical (average of consecutive years) or the benchmark method "
      "(output × benchmark), down to the kgce; with `actual`, the year's surplus or shortfall against the rights held";
  rights.example_file = "docs/calc/energy-use-rights.json";
  rights.run = RunRights;
  return {review, budget, rights};
}

}  // namespace greenloop::calc
