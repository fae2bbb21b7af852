#include "calc/carbon_rules.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "core/assert.h"
#include "calc/data_file.h"

namespace greenloop::calc {
namespace {

using json = nlohmann::json;

json ReadData(const std::string& path) { return ReadDataFile(path); }

Decimal D(const json& value) { return DataDecimal(value); }

std::optional<Decimal> OptionalD(const json& row, const char* name) {
  if (!row.contains(name) || row[name].is_null()) return std::nullopt;
  return D(row[name]);
}

std::string S(const json& row, const char* name) {
  if (!row.contains(name) || row[name].is_null()) return "";
  GL_ASSERT(row[name].is_string());
  return row[name].get<std::string>();
}

int MonthIndex(const std::string& year_month) {
  GL_ASSERT(year_month.size() == 7 && year_month[4] == '-');
  return std::stoi(year_month.substr(0, 4)) * 12 + std::stoi(year_month.substr(5, 2)) - 1;
}

allocation::UnitCategory Category(const std::string& name) {
  if (name == "I") return allocation::UnitCategory::kI;
  if (name == "II") return allocation::UnitCategory::kII;
  if (name == "III") return allocation::UnitCategory::kIII;
  GL_ASSERT(name == "IV");
  return allocation::UnitCategory::kIV;
}

allocation::CorrectionFactor Correction(const json& row) {
  allocation::CorrectionFactor f;
  f.name = S(row, "name");
  f.applies = true;
  for (const json& c : row["categories"]) f.categories.push_back(Category(c.get<std::string>()));
  f.air_cooled = OptionalD(row, "air_cooled");
  f.coal_coefficient = OptionalD(row, "coal_coefficient");
  f.gas_coefficient = OptionalD(row, "gas_coefficient");
  f.decimals = row.value("decimals", 6);
  f.rounding_stated = row.value("rounding_stated", false);
  f.tag = S(row, "tag");
  f.source = S(row, "source");
  if (row.contains("tiers")) {
    for (const json& t : row["tiers"]) {
      allocation::FactorTier tier;
      tier.min_rate = D(t["min_rate"]);
      const std::string kind = S(t, "kind");
      if (kind == "constant") tier.kind = allocation::FactorTier::Kind::kConstant;
      else if (kind == "linear") tier.kind = allocation::FactorTier::Kind::kLinear;
      else if (kind == "power") tier.kind = allocation::FactorTier::Kind::kPower;
      else {
        GL_ASSERT(kind == "draft2025");
        tier.kind = allocation::FactorTier::Kind::kDraft2025;
      }
      tier.a = OptionalD(t, "a").value_or(Decimal());
      tier.b = OptionalD(t, "b").value_or(Decimal());
      tier.c = OptionalD(t, "c").value_or(Decimal());
      tier.tag = S(t, "tag");
      f.tiers.push_back(tier);
    }
  }
  // Each factor is fully described by its data: a cooling factor needs its air-cooled value, …
  GL_ASSERT(f.name != "cooling" || f.air_cooled.has_value());
  GL_ASSERT(f.name != "heat_supply" || (f.coal_coefficient && f.gas_coefficient));
  GL_ASSERT(f.name == "cooling" || f.name == "heat_supply" || !f.tiers.empty());
  return f;
}

mrv::PowerAccountingRules LoadAccountingRules() {
  mrv::PowerAccountingRules rules;
  const json fuels = ReadData("data/carbon/power-fuels.json");
  for (const json& row : fuels["items"]) {
    mrv::FuelSpec spec;
    spec.code = S(row, "code");
    spec.name_zh = S(row, "name_zh");
    spec.name_en = S(row, "name_en");
    const std::string state = S(row, "state");
    spec.state = state == "gas" ? mrv::FuelState::kGas : state == "liquid" ? mrv::FuelState::kLiquid : mrv::FuelState::kSolid;
    spec.unit = S(row, "unit");
    spec.ncv_default = OptionalD(row, "ncv_default");
    spec.ncv_min = D(row["ncv_min"]);
    spec.ncv_max = D(row["ncv_max"]);
    spec.carbon_default_tc_per_gj = OptionalD(row, "carbon_default_tc_per_gj");
    spec.oxidation_default = D(row["oxidation_default"]);
    spec.is_coal = row.value("is_coal", false);
    spec.tag = S(row, "tag");
    spec.source = S(row, "source");
    GL_ASSERT(spec.ncv_min < spec.ncv_max);
    rules.fuels.emplace(spec.code, spec);
  }
  const json unmeasured = ReadData("data/carbon/power-unmeasured-coal-carbon.json");
  for (const json& row : unmeasured["items"]) {
    rules.unmeasured_coal_carbon.push_back(
        {MonthIndex(S(row, "from")), MonthIndex(S(row, "to")), D(row["tc_per_gj"]), S(row, "tag"), S(row, "source")});
  }
  const json grid = ReadData("data/carbon/grid-emission-factors.json");
  for (const json& row : grid["items"]) {
    rules.grid_factors.push_back({row["data_year"].get<int>(), D(row["t_per_mwh"]), S(row, "tag"), S(row, "source")});
  }
  return rules;
}

std::vector<allocation::PowerPlan> LoadPlans() {
  std::vector<allocation::PowerPlan> plans;
  const json doc = ReadData("data/carbon/power-plans.json");
  for (const json& row : doc["items"]) {
    allocation::PowerPlan p;
    p.plan = S(row, "plan");
    p.year = row["year"].get<int>();
    p.draft = row.value("draft", false);
    p.document = S(row, "document");
    p.source = S(row, "benchmark_source");
    p.category_i_min_capacity_mw = D(row["category_i_min_capacity_mw"]);
    p.category_threshold_text = S(row, "category_threshold_text");
    p.category_threshold_tag = S(row, "category_threshold_tag");
    const json& b = row["benchmarks"];
    p.benchmark_electricity[0] = D(b["I"]);
    p.benchmark_electricity[1] = D(b["II"]);
    p.benchmark_electricity[2] = D(b["III"]);
    p.benchmark_electricity[3] = D(b["IV"]);
    p.benchmark_heat_coal = D(b["heat_coal"]);
    p.benchmark_heat_gas = D(b["heat_gas"]);
    p.benchmark_tag = S(row, "benchmark_tag");
    p.benchmark_source = S(row, "benchmark_source");
    p.basis = S(row, "basis") == "supply" ? allocation::OutputBasis::kSupply : allocation::OutputBasis::kGeneration;
    for (const json& c : row["corrections"]) p.corrections.push_back(Correction(c));
    p.purchased_electricity_counts = row.value("purchased_electricity_counts", false);
    p.gas_topup_to_verified = row.value("gas_topup_to_verified", false);
    p.gap_cap_min_share = OptionalD(row, "gap_cap_min_share");
    p.exemptions_tag = S(row, "exemptions_tag");
    p.pre_allocation_share = D(row["pre_allocation_share"]);
    p.pre_allocation_basis = S(row, "pre_allocation_basis") == "previous_output"
                                 ? allocation::PowerPlan::PreAllocationBasis::kPreviousOutput
                                 : allocation::PowerPlan::PreAllocationBasis::kPreviousVerified;
    p.pre_allocation_tag = S(row, "pre_allocation_tag");
    p.allowance_rounding = S(row, "allowance_rounding") == "half_up" ? Rounding::kHalfUp : Rounding::kDown;
    p.allowance_rounding_stated = row.value("allowance_rounding_stated", false);
    p.surrender_deadline = S(row, "surrender_deadline");
    p.status_note = S(row, "status_note");
    GL_ASSERT(p.year > 2000 && !p.plan.empty());
    plans.push_back(std::move(p));
  }
  return plans;
}

std::vector<compliance::ComplianceRules> LoadComplianceRules() {
  const json doc = ReadData("data/carbon/compliance-rules.json");
  std::map<std::string, compliance::PenaltyRegime> regimes;
  for (const json& r : doc["penalty_regimes"]) {
    compliance::PenaltyRegime p;
    p.code = S(r, "code");
    p.name_zh = S(r, "name_zh");
    p.fine_min_yuan = OptionalD(r, "fine_min_yuan");
    p.fine_max_yuan = OptionalD(r, "fine_max_yuan");
    p.price_multiple_min = OptionalD(r, "price_multiple_min");
    p.price_multiple_max = OptionalD(r, "price_multiple_max");
    p.tag = S(r, "tag");
    p.source = S(r, "source");
    GL_ASSERT((p.fine_min_yuan && p.fine_max_yuan) || (p.price_multiple_min && p.price_multiple_max));
    regimes[p.code] = p;
  }
  std::vector<compliance::ComplianceRules> out;
  for (const json& row : doc["items"]) {
    compliance::ComplianceRules r;
    r.year = row["year"].get<int>();
    r.deadline = S(row, "deadline");
    for (const json& v : row["cea_vintages"]) r.cea_vintages.push_back(v.get<int>());
    r.vintage_tag = S(row, "vintage_tag");
    r.ccer_max_percent = D(row["ccer_max_percent"]);
    GL_ASSERT(regimes.count(S(row, "penalty_regime")));
    r.penalty = regimes[S(row, "penalty_regime")];
    r.deduct_shortfall_next_year = row.value("deduct_shortfall_next_year", false);
    r.deduction_tag = S(row, "deduction_tag");
    r.source = S(row, "source");
    GL_ASSERT(r.deadline.size() == 10 && !r.cea_vintages.empty());
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

Result<compliance::ComplianceRules> ComplianceRulesFor(int year) {
  static const std::vector<compliance::ComplianceRules> all = LoadComplianceRules();
  std::string years;
  for (const compliance::ComplianceRules& r : all) {
    if (r.year == year) return r;
    years += (years.empty() ? "" : ", ") + std::to_string(r.year);
  }
  return Status::Invalid("no_rule", "no compliance rules are loaded for " + std::to_string(year) + "; rules exist for " + years,
                         "year");
}

const mrv::PowerAccountingRules& PowerAccountingRulesData() {
  static const mrv::PowerAccountingRules rules = LoadAccountingRules();
  return rules;
}

const std::vector<allocation::PowerPlan>& PowerPlansData() {
  static const std::vector<allocation::PowerPlan> plans = LoadPlans();
  return plans;
}

Result<allocation::PowerPlan> PowerPlanFor(int year) {
  std::string years;
  for (const allocation::PowerPlan& p : PowerPlansData()) {
    if (p.year == year) return p;
    years += (years.empty() ? "" : ", ") + std::to_string(p.year);
  }
  return Status::Invalid("no_rule", "no allocation plan is loaded for " + std::to_string(year) + "; plans exist for " + years,
                         "plan_year");
}

Result<ReportingDeadlines> ReportingDeadlinesFor(mrv::Sector sector, int year) {
  static const json file = ReadData("data/carbon/reporting-deadlines.json");
  const std::string sector_name = mrv::SectorName(sector);
  const json* chosen = nullptr;
  int latest_listed = 0;
  for (const json& row : file["items"]) {
    const json& sectors = row["sectors"];
    if (std::find(sectors.begin(), sectors.end(), sector_name) == sectors.end()) continue;
    const json& years = row["data_years"];
    if (years.is_array()) {
      for (const json& y : years) {
        latest_listed = std::max(latest_listed, y.get<int>());
        if (y.get<int>() == year) chosen = &row;
      }
    } else if (years == "all") {
      chosen = chosen ? chosen : &row;
    }
  }
  if (!chosen && latest_listed > 0 && year > latest_listed) {
    for (const json& row : file["items"]) {
      const json& sectors = row["sectors"];
      if (row["data_years"] == "later" && std::find(sectors.begin(), sectors.end(), sector_name) != sectors.end()) {
        chosen = &row;
      }
    }
  }
  if (!chosen) {
    return Status::Refused("not_covered", "the " + sector_name + " sector is in the national ETS from data year " +
                                              std::to_string(2024) + "; " + std::to_string(year) + " is not covered",
                           "year");
  }
  auto date = [year](const std::string& text) {
    return text.size() == 5 ? std::to_string(year + 1) + "-" + text : text;
  };
  ReportingDeadlines d;
  d.monthly_required = S(*chosen, "monthly") == "40_days";
  d.backfill_through_month = chosen->value("backfill_through_month", 0);
  d.backfill_due = S(*chosen, "backfill_due");
  d.annual_report_due = date(S(*chosen, "annual_report_due"));
  d.verification_due = date(S(*chosen, "verification_due"));
  d.tag = S(*chosen, "tag");
  d.source = S(*chosen, "source");
  GL_ASSERT(d.annual_report_due.size() == 10 && d.verification_due.size() == 10);
  return d;
}

Result<allocation::IndustryPlan> IndustryPlanFor(int year) {
  static const std::vector<allocation::IndustryPlan> plans = [] {
    std::vector<allocation::IndustryPlan> out;
    const json file = ReadData("data/carbon/industry-plans.json");
    for (const json& row : file["items"]) {
      allocation::IndustryPlan p;
      p.year = row.at("year").get<int>();
      p.plan = S(row, "plan");
      const std::string method = S(row, "final_method");
      GL_ASSERT(method == "verified_emissions" || method == "intensity_benchmark");
      p.final_method = method == "verified_emissions" ? allocation::IndustryFinalMethod::kVerifiedEmissions
                                                      : allocation::IndustryFinalMethod::kIntensityBenchmark;
      p.final_rounding = S(row, "final_rounding") == "down" ? Rounding::kDown : Rounding::kHalfUp;
      p.pre_allocation_share = OptionalD(row, "pre_allocation_share");
      p.pre_allocation_rounding = S(row, "pre_allocation_rounding") == "half_up" ? Rounding::kHalfUp : Rounding::kDown;
      p.final_not_available = S(row, "final_not_available");
      p.tag = S(row, "tag");
      p.source = S(row, "source");
      p.rounding_tag = S(row, "rounding_tag");
      p.rounding_source = S(row, "rounding_source");
      GL_ASSERT(p.final_method == allocation::IndustryFinalMethod::kVerifiedEmissions || !p.final_not_available.empty());
      out.push_back(std::move(p));
    }
    return out;
  }();
  std::string years;
  for (const allocation::IndustryPlan& p : plans) {
    if (p.year == year) return p;
    years += (years.empty() ? "" : ", ") + std::to_string(p.year);
  }
  return Status::NotFound("no industrial-sector allocation rule for " + std::to_string(year) + " (there are " + years + ")",
                          "year");
}

}  // namespace greenloop::calc
