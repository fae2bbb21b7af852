// The `dual-control` calculator: a league's, city's or the region's energy intensity, its change,
// progress against the five-year plan, the barometer grade and a plan-end forecast
// (energy/dual_control.h), with the year's exclusions from data/energy/dual-control-rules.json.
#include <cmath>
#include <nlohmann/json.hpp>

#include "calc/calculator.h"
#include "calc/energy_rules.h"
#include "calc/json_input.h"
#include "core/assert.h"
#include "calc/data_file.h"
#include "energy/dual_control.h"
#include "energy/physical_units.h"

namespace greenloop::calc {
namespace {

const std::vector<energy::DualControlYearRules>& DualControlRulesData() {
  static const std::vector<energy::DualControlYearRules> rules = [] {
    const nlohmann::json doc = ReadDataFile("data/energy/dual-control-rules.json");
    std::vector<energy::DualControlYearRules> out;
    for (const nlohmann::json& row : doc["items"]) {
      energy::DualControlYearRules r;
      r.year = row.at("year").get<int>();
      r.feedstock_excluded = row.at("feedstock_excluded").get<bool>();
      r.new_renewable_excluded_from_total = row.at("new_renewable_excluded_from_total").get<bool>();
      r.new_renewable_excluded_from_intensity = row.at("new_renewable_excluded_from_intensity").get<bool>();
      r.nonfossil_excluded = row.at("nonfossil_excluded").get<bool>();
      r.gec_cap_share = DataDecimal(row.at("gec_cap_share"));
      GL_ASSERT(!r.gec_cap_share.is_negative() && r.gec_cap_share <= Decimal::FromInt(1));
      r.tag = row.at("tag").get<std::string>();
      r.source = row.at("source").get<std::string>();
      out.push_back(std::move(r));
    }
    return out;
  }();
  return rules;
}

Status ReadGdp(const JsonInput& year, std::optional<int>* price_base, Decimal* out) {
  std::optional<JsonInput> gdp;
  GL_RETURN_IF_ERROR(year.Object("gdp", true, &gdp));
  std::string prices;
  GL_RETURN_IF_ERROR(gdp->Choice("prices", {"constant", "current"}, true, &prices));
  if (prices != "constant") {
    return Status::Invalid("gdp_not_constant_prices",
                           "intensity is computed on GDP at constant prices; a current-price GDP mixes price changes "
                           "into the intensity: give it at the plan's constant prices",
                           gdp->PathOf("prices"));
  }
  int base_year = 0;
  GL_RETURN_IF_ERROR(gdp->RequiredInt("price_base_year", 1950, 2100, &base_year));
  if (*price_base && **price_base != base_year) {
    return Status::Invalid("mixed_price_bases",
                           "GDP is at " + std::to_string(base_year) + " prices here but at " +
                               std::to_string(**price_base) + " prices in an earlier year: use one price base",
                           gdp->PathOf("price_base_year"));
  }
  *price_base = base_year;
  std::optional<Decimal> value;
  GL_RETURN_IF_ERROR(ReadEnergyQuantity(year, "gdp", energy::Dimension::kMoney, true, &value));
  *out = *value;
  return Status::OK();
}

const char* GradeName(energy::BarometerRule rule, int grade) {
  if (rule == energy::BarometerRule::kNdrc2021) {
    return grade == 1 ? "一级预警 grade 1: intensity rose" : grade == 2 ? "二级预警 grade 2: fell, behind progress"
                                                                       : "三级 grade 3: on track";
  }
  return grade == 1 ? "红色 red" : grade == 2 ? "黄色 yellow" : "绿色 green";
}

Json Pct(const std::optional<Decimal>& d) { return d ? ToJsonNumber(*d) : Json(nullptr); }
Json Tce(const Exact& e) { return ToJsonNumber(*e.Round(energy::kIntensityDecimals, Rounding::kHalfUp)); }
Json Rounded2(double v) { return std::round(v * 100.0) / 100.0; }

Result<Json> RunDualControl(const Json& input) {
  JsonInput top(input, "");
  GL_RETURN_IF_ERROR(top.ExpectObject({"region", "options", "plan", "years"}));
  energy::DualControlOptions options;
  std::optional<JsonInput> opts;
  GL_RETURN_IF_ERROR(top.Object("options", false, &opts));
  std::string path = "linear", barometer = "ndrc-2021-629";
  if (opts) {
    GL_RETURN_IF_ERROR(opts->ExpectObject({"path", "barometer", "caixin_gap_share"}));
    GL_RETURN_IF_ERROR(opts->Choice("path", {"linear", "geometric"}, false, &path));
    GL_RETURN_IF_ERROR(opts->Choice("barometer", {"ndrc-2021-629", "caixin-2021-q1"}, false, &barometer));
    std::optional<Decimal> share;
    GL_RETURN_IF_ERROR(opts->OptionalDecimal("caixin_gap_share", &share));
    if (share) {
      if (share->is_negative() || *share > Decimal::FromInt(1)) {
        return Status::Invalid("out_of_range", "caixin_gap_share is a share between 0 and 1", opts->PathOf("caixin_gap_share"));
      }
      options.caixin_gap_share = *share;
    }
  }
  options.path = path == "linear" ? energy::ProgressPath::kLinear : energy::ProgressPath::kGeometric;
  options.barometer = barometer == "ndrc-2021-629" ? energy::BarometerRule::kNdrc2021 : energy::BarometerRule::kCaixin2021Q1;

  std::optional<JsonInput> p;
  GL_RETURN_IF_ERROR(top.Object("plan", true, &p));
  GL_RETURN_IF_ERROR(p->ExpectObject({"name", "base_year", "end_year", "basic_reduction_pct", "incentive_reduction_pct",
                                      "carbon_intensity_reduction_pct", "total_caps"}));
  energy::DualControlPlan plan;
  GL_RETURN_IF_ERROR(p->RequiredInt("base_year", 2000, 2100, &plan.base_year));
  GL_RETURN_IF_ERROR(p->RequiredInt("end_year", 2000, 2100, &plan.end_year));
  GL_RETURN_IF_ERROR(p->RequiredDecimal("basic_reduction_pct", &plan.basic_reduction_pct));
  GL_RETURN_IF_ERROR(p->OptionalDecimal("incentive_reduction_pct", &plan.incentive_reduction_pct));
  GL_RETURN_IF_ERROR(p->OptionalDecimal("carbon_intensity_reduction_pct", &plan.carbon_intensity_reduction_pct));
  std::vector<JsonInput> caps;
  GL_RETURN_IF_ERROR(p->Array("total_caps", false, &caps));
  for (const JsonInput& c : caps) {
    GL_RETURN_IF_ERROR(c.ExpectObject({"year", "energy"}));
    energy::DualControlPlan::TotalCap cap;
    GL_RETURN_IF_ERROR(c.RequiredInt("year", 2000, 2100, &cap.year));
    std::optional<Decimal> tce;
    GL_RETURN_IF_ERROR(ReadEnergyQuantity(c, "energy", energy::Dimension::kStandardCoal, true, &tce));
    cap.tce = *tce;
    plan.total_caps.push_back(cap);
  }

  std::vector<JsonInput> year_inputs;
  GL_RETURN_IF_ERROR(top.Array("years", true, &year_inputs));
  std::vector<energy::DualControlYear> years;
  std::optional<int> price_base;
  for (const JsonInput& y : year_inputs) {
    GL_RETURN_IF_ERROR(y.ExpectObject({"year", "energy", "gdp", "feedstock", "renewable_electricity", "nonfossil",
                                       "gec_nonfossil", "carbon"}));
    energy::DualControlYear year;
    GL_RETURN_IF_ERROR(y.RequiredInt("year", 2000, 2100, &year.year));
    std::optional<Decimal> q;
    GL_RETURN_IF_ERROR(ReadEnergyQuantity(y, "energy", energy::Dimension::kStandardCoal, true, &q));
    year.energy_tce = *q;
    GL_RETURN_IF_ERROR(ReadGdp(y, &price_base, &year.gdp_10k_yuan));
    GL_RETURN_IF_ERROR(ReadEnergyQuantity(y, "feedstock", energy::Dimension::kStandardCoal, false, &q));
    year.feedstock_tce = q.value_or(Decimal());
    GL_RETURN_IF_ERROR(ReadEnergyQuantity(y, "renewable_electricity", energy::Dimension::kStandardCoal, false, &q));
    year.renewable_electricity_tce = q.value_or(Decimal());
    GL_RETURN_IF_ERROR(ReadEnergyQuantity(y, "nonfossil", energy::Dimension::kStandardCoal, false, &q));
    year.nonfossil_tce = q.value_or(Decimal());
    GL_RETURN_IF_ERROR(ReadEnergyQuantity(y, "gec_nonfossil", energy::Dimension::kStandardCoal, false, &q));
    year.gec_nonfossil_tce = q.value_or(Decimal());
    GL_RETURN_IF_ERROR(ReadEnergyQuantity(y, "carbon", energy::Dimension::kMass, false, &year.carbon_t));
    years.push_back(year);
  }
  Result<energy::DualControlResult> result = energy::AssessDualControl(plan, years, DualControlRulesData(), options);
  if (!result.ok()) return result.status();

  Json assessed = Json::array();
  for (const energy::YearAssessment& a : result.value().years) {
    Json warnings = Json::array();
    for (const std::string& w : a.warnings) warnings.push_back(w);
    assessed.push_back({{"year", a.year},
                        {"intensity", ToJsonNumber(a.intensity)},
                        {"base_intensity", ToJsonNumber(a.base_intensity)},
                        {"change_pct", Pct(a.change_pct)},
                        {"cumulative_change_pct", ToJsonNumber(a.cumulative_change_pct)},
                        {"required_reduction_pct", ToJsonNumber(a.required_reduction_pct)},
                        {"incentive_required_pct", Pct(a.incentive_required_pct)},
                        {"basic_on_track", a.basic_on_track},
                        {"incentive_on_track", a.incentive_on_track},
                        {"grade", a.grade},
                        {"grade_name", GradeName(options.barometer, a.grade)},
                        {"warnings", warnings},
                        {"intensity_energy_tce", Tce(a.intensity_energy_tce)},
                        {"total_energy_tce", Tce(a.total_energy_tce)},
                        {"total_cap_tce", Pct(a.total_cap_tce)},
                        {"total_within_cap", a.total_within_cap ? Json(*a.total_within_cap) : Json(nullptr)},
                        {"total_exempt", a.total_exempt},
                        {"gec_deduction_tce", Tce(a.gec_deduction_tce)},
                        {"gec_capped", a.gec_capped},
                        {"carbon_intensity", Pct(a.carbon_intensity)},
                        {"rules",
                         {{"feedstock_excluded", a.rules->feedstock_excluded},
                          {"new_renewable_excluded_from_total", a.rules->new_renewable_excluded_from_total},
                          {"new_renewable_excluded_from_intensity", a.rules->new_renewable_excluded_from_intensity},
                          {"nonfossil_excluded", a.rules->nonfossil_excluded},
                          {"gec_cap_share", ToJsonNumber(a.rules->gec_cap_share)},
                          {"tag", a.rules->tag},
                          {"source", a.rules->source}}}});
  }
  const energy::PlanForecast& f = result.value().forecast;
  Json forecast = {{"available", f.available}, {"points", f.points}, {"method", f.method},
                   {"estimate", "a statistical estimate in floating point, not a figure any rule defines"}};
  if (f.available) {
    forecast["end_year"] = plan.end_year;
    forecast["end_cumulative_change_pct"] = Rounded2(f.end_cumulative_change_pct);
    forecast["low_pct"] = f.low_pct ? Rounded2(*f.low_pct) : Json(nullptr);
    forecast["high_pct"] = f.high_pct ? Rounded2(*f.high_pct) : Json(nullptr);
    forecast["basic_target_within_reach"] = f.basic_target_within_reach;
  }
  Json out;
  out["calculator"] = "dual-control";
  if (input.contains("region")) out["region"] = input["region"];
  out["method"] = "intensity = energy ÷ GDP at constant prices (tce per 10^4 yuan), half up to 4 decimals before any "
                  "ratio; change % = (I_t ÷ I_earlier − 1) × 100, half up to 2 decimals (statistics bureaus' method)";
  out["options"] = {{"path", path}, {"barometer", barometer}, {"caixin_gap_share", ToJsonNumber(options.caixin_gap_share)}};
  out["plan"] = {{"base_year", plan.base_year},
                 {"end_year", plan.end_year},
                 {"basic_reduction_pct", ToJsonNumber(plan.basic_reduction_pct)},
                 {"incentive_reduction_pct", Pct(plan.incentive_reduction_pct)}};
  out["gdp_price_base_year"] = *price_base;
  out["years"] = assessed;
  out["forecast"] = forecast;
  return out;
}

}  // namespace

Calculator DualControlCalculator() {
  Calculator c;
  c.name = "dual-control";
  c.title_zh = "能耗双控评价";
  c.title_en = "Energy dual control";
  c.description =
      "A league's, city's or the region's energy intensity (4 decimals before ratios), change against the previous and "
      "the base year, progress on the plan's path, basic and incentive targets, total against its cap, the barometer "
      "grade (629号 or the Caixin-reported rule), warnings and a plan-end forecast; exclusions per year from "
      "data/energy/dual-control-rules.json";
  c.example_file = "docs/calc/dual-control.json";
  c.run = RunDualControl;
  return c;
}

}  // namespace greenloop::calc
