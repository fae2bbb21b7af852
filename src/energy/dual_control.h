// src/energy/dual_control.h
//
// Energy dual control (能耗双控) of a league, a city or the region: energy intensity (单位GDP能耗)
// and its change computed as the statistics bureaus do, the exclusions the year's rules make
// (feedstock, new renewable electricity, non-fossil energy with the cap on certificate-based
// deductions), progress against the five-year plan's path, basic and incentive targets, the
// barometer (晴雨表) grade, early warnings, and a forecast of the plan-end attainment.
//
// Figures a rule defines are exact: intensity is tce per 10^4 yuan of GDP at constant prices,
// rounded half up to 4 decimals before any ratio (the Hunan statistics bureau's method,
// green-rights.md §1.4); percentages are rounded half up to 2 decimals at the end. The forecast is
// an estimate and uses doubles.
#ifndef GREENLOOP_ENERGY_DUAL_CONTROL_H_
#define GREENLOOP_ENERGY_DUAL_CONTROL_H_

#include <optional>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"

namespace greenloop::energy {

constexpr int kIntensityDecimals = 4;
constexpr int kPercentDecimals = 2;

// What a year's assessment excludes (data/energy/dual-control-rules.json).
struct DualControlYearRules {
  int year = 0;
  bool feedstock_excluded = false;               // 803号: from energy in base and assessed year
  bool new_renewable_excluded_from_total = false;  // 2022 notice: the increase over the 2020 base
  bool new_renewable_excluded_from_intensity = false;
  bool nonfossil_excluded = false;               // 2024 notice: from total and intensity
  Decimal gec_cap_share;                         // certificate-based deduction ≤ share × savings needed
  std::string tag;
  std::string source;
};

enum class ProgressPath { kLinear, kGeometric };
enum class BarometerRule {
  kNdrc2021,     // 发改办环资〔2021〕629号: 1 rose, 2 fell but behind, 3 otherwise
  kCaixin2021Q1  // red/yellow/green by the gap against a share of the requirement [S, U]
};

struct DualControlPlan {
  int base_year = 0;  // 2020 for the 14th five-year plan
  int end_year = 0;   // 2025
  Decimal basic_reduction_pct;                      // intensity, e.g. 13.5
  std::optional<Decimal> incentive_reduction_pct;   // meeting it exempts the total check (1310号)
  std::optional<Decimal> carbon_intensity_reduction_pct;
  struct TotalCap {
    int year = 0;
    Decimal tce;
  };
  std::vector<TotalCap> total_caps;  // total energy consumption allowed in a year, where set
};

struct DualControlYear {
  int year = 0;
  Decimal energy_tce;        // total energy consumption
  Decimal gdp_10k_yuan;      // GDP at constant prices of the plan's price base
  Decimal feedstock_tce;
  Decimal renewable_electricity_tce;  // renewable electricity consumed, in tce as the statistics convert it
  Decimal nonfossil_tce;              // non-fossil energy consumed (renewable and nuclear)
  Decimal gec_nonfossil_tce;          // the part of nonfossil_tce proven by certificates bought from elsewhere
  std::optional<Decimal> carbon_t;    // CO2 emissions, where known
};

struct DualControlOptions {
  ProgressPath path = ProgressPath::kLinear;
  BarometerRule barometer = BarometerRule::kNdrc2021;
  Decimal caixin_gap_share = Decimal::FromMicros(100'000);  // 10 %
};

struct YearAssessment {
  int year = 0;
  const DualControlYearRules* rules = nullptr;  // null for the base year and years without rules
  Exact intensity_energy_tce;   // energy counted in the intensity, after the exclusions
  Exact total_energy_tce;       // energy counted against the total, after the exclusions
  Decimal intensity;            // tce per 10^4 yuan, 4 decimals
  Decimal base_intensity;       // the base year's under the same exclusions
  std::optional<Decimal> change_pct;      // against the previous year (same exclusions for both)
  Decimal cumulative_change_pct;          // against the base year
  Decimal required_reduction_pct;         // on the path to the basic target by this year
  std::optional<Decimal> incentive_required_pct;
  bool basic_on_track = false;
  bool incentive_on_track = false;  // exempts the total check (1310号)
  Exact gec_deduction_tce;          // certificate-based deduction applied, after the cap
  bool gec_capped = false;
  std::optional<Decimal> total_cap_tce;
  std::optional<bool> total_within_cap;  // nullopt: no cap for the year, or exempt
  bool total_exempt = false;
  std::optional<Decimal> carbon_intensity;   // t CO2 per 10^4 yuan, 4 decimals
  int grade = 0;                  // barometer grade 1..3
  std::vector<std::string> warnings;  // intensity_rose, behind_progress, total_over_cap, gec_deduction_capped
};

struct PlanForecast {
  bool available = false;   // needs two assessed years after the base year
  int points = 0;
  double end_cumulative_change_pct = 0;  // point estimate for the plan's end year
  std::optional<double> low_pct;         // ~95 % band from the residuals (needs 3 assessed years)
  std::optional<double> high_pct;
  bool basic_target_within_reach = false;  // the band (or the point) reaches the basic target
  std::string method;
};

struct DualControlResult {
  std::vector<YearAssessment> years;  // the years after the base year, in order
  PlanForecast forecast;
};

// `years` must include the plan's base year; every year after it needs rules. Errors name the
// field: "years[2].gdp", "plan.basic_reduction_pct".
Result<DualControlResult> AssessDualControl(const DualControlPlan& plan, const std::vector<DualControlYear>& years,
                                            const std::vector<DualControlYearRules>& rules,
                                            const DualControlOptions& options);

// Intensity = energy ÷ GDP, half up to 4 decimals; nullopt when GDP is not positive.
std::optional<Decimal> IntensityOf(const Exact& energy_tce, Decimal gdp_10k_yuan);
// (later ÷ earlier − 1) × 100, half up to 2 decimals.
Decimal ChangePct(Decimal earlier, Decimal later);

}  // namespace greenloop::energy

#endif  // GREENLOOP_ENERGY_DUAL_CONTROL_H_
