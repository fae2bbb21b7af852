#include "energy/dual_control.h"

#include <algorithm>
#include <cmath>

#include "core/assert.h"

namespace greenloop::energy {
namespace {

Decimal Hundred() { return Decimal::FromInt(100); }

std::string YearPath(size_t index, const char* field) { return "years[" + std::to_string(index) + "]." + field; }

Exact Max0(Exact value) { return value.is_negative() ? Exact() : value; }

// The basic (or incentive) reduction required by `year` on the path to `target_pct` at the end.
Decimal RequiredPct(const DualControlPlan& plan, Decimal target_pct, int year, ProgressPath path) {
  const int done = year - plan.base_year;
  const int span = plan.end_year - plan.base_year;
  GL_ASSERT(span > 0 && done >= 0);
  if (done >= span) return target_pct;
  if (path == ProgressPath::kLinear) {
    Exact r = Exact::Of(target_pct);
    const bool ok = r.MultiplyRatio(done, span);
    GL_ASSERT(ok);
    return *r.Round(kPercentDecimals + 2, Rounding::kHalfUp);
  }
  // Geometric: the same yearly rate each year, 1 − (1 − r)^(done/span); an estimate of the path
  // in floating point, rounded to 4 decimals of a percent.
  const double r = target_pct.ToDouble() / 100.0;
  const double required = (1.0 - std::pow(1.0 - r, static_cast<double>(done) / span)) * 100.0;
  return *Decimal::FromDouble(std::round(required * 10'000.0) / 10'000.0);
}

struct Basis {
  const DualControlYearRules& rules;
  const DualControlYear& base;
};

Exact NewRenewable(const DualControlYear& year, const DualControlYear& base) {
  return Max0(Exact::Of(year.renewable_electricity_tce - base.renewable_electricity_tce));
}

// Energy of `year` counted in the intensity under `rules`, with the certificate cap worked out
// against `required_pct` of reduction from `base_intensity`. `is_base`: the base year itself,
// whose certificate-based part is never deducted (certificates came in with the 2024 notice).
Exact IntensityEnergy(const DualControlYear& year, const DualControlYear& base, const DualControlYearRules& rules,
                      bool is_base, std::optional<Decimal> base_intensity, Decimal required_pct, Exact* gec_applied,
                      bool* gec_capped) {
  Exact energy = Exact::Of(year.energy_tce);
  bool ok = true;
  if (rules.feedstock_excluded) ok = energy.Subtract(Exact::Of(year.feedstock_tce));
  *gec_applied = Exact();
  *gec_capped = false;
  if (rules.nonfossil_excluded) {
    ok = ok && energy.Subtract(Exact::Of(year.nonfossil_tce - year.gec_nonfossil_tce));
    if (!is_base && !year.gec_nonfossil_tce.is_zero()) {
      GL_ASSERT(base_intensity.has_value());
      // Savings needed to meet the year's requirement: energy now − target intensity × GDP.
      Exact target = Exact::Of(*base_intensity);
      ok = ok && target.Multiply(Hundred() - required_pct) && target.MultiplyRatio(1, 100) &&
           target.Multiply(year.gdp_10k_yuan);
      Exact needed = energy;
      ok = ok && needed.Subtract(target);
      Exact cap = Max0(needed);
      ok = ok && cap.Multiply(rules.gec_cap_share);
      const Exact gec = Exact::Of(year.gec_nonfossil_tce);
      *gec_applied = gec < cap ? gec : cap;
      *gec_capped = cap < gec;
      ok = ok && energy.Subtract(*gec_applied);
    }
  } else if (rules.new_renewable_excluded_from_intensity && !is_base) {
    ok = ok && energy.Subtract(NewRenewable(year, base));
  }
  GL_ASSERT(ok);  // inputs are bounded by Decimal's range
  return energy;
}

}  // namespace

std::optional<Decimal> IntensityOf(const Exact& energy_tce, Decimal gdp_10k_yuan) {
  if (gdp_10k_yuan.is_negative() || gdp_10k_yuan.is_zero()) return std::nullopt;
  Exact i = energy_tce;
  if (!i.Divide(Exact::Of(gdp_10k_yuan))) return std::nullopt;
  return i.Round(kIntensityDecimals, Rounding::kHalfUp);
}

Decimal ChangePct(Decimal earlier, Decimal later) {
  GL_ASSERT(!earlier.is_zero());
  Exact ratio = Exact::Of(later);
  bool ok = ratio.Divide(Exact::Of(earlier));
  ok = ok && ratio.Subtract(Exact::OfInt(1)) && ratio.Multiply(Hundred());
  GL_ASSERT(ok);
  return *ratio.Round(kPercentDecimals, Rounding::kHalfUp);
}

Result<DualControlResult> AssessDualControl(const DualControlPlan& plan, const std::vector<DualControlYear>& years,
                                            const std::vector<DualControlYearRules>& rules,
                                            const DualControlOptions& options) {
  if (plan.end_year <= plan.base_year) {
    return Status::Invalid("out_of_range", "the plan ends after its base year", "plan.end_year");
  }
  if (plan.basic_reduction_pct.is_negative() || plan.basic_reduction_pct.is_zero() ||
      plan.basic_reduction_pct >= Hundred()) {
    return Status::Invalid("out_of_range", "the basic intensity reduction is a percentage above 0 and below 100",
                           "plan.basic_reduction_pct");
  }
  if (plan.incentive_reduction_pct &&
      (*plan.incentive_reduction_pct < plan.basic_reduction_pct || *plan.incentive_reduction_pct >= Hundred())) {
    return Status::Invalid("out_of_range", "the incentive reduction is at least the basic one and below 100",
                           "plan.incentive_reduction_pct");
  }
  const DualControlYear* base = nullptr;
  for (size_t i = 0; i < years.size(); ++i) {
    const DualControlYear& y = years[i];
    if (i > 0 && y.year <= years[i - 1].year) {
      return Status::Invalid("invalid_field", "years are given once each, oldest first", YearPath(i, "year"));
    }
    if (y.year < plan.base_year || y.year > plan.end_year) {
      return Status::Invalid("out_of_range",
                             "year " + std::to_string(y.year) + " is outside the plan " + std::to_string(plan.base_year) +
                                 "–" + std::to_string(plan.end_year),
                             YearPath(i, "year"));
    }
    if (y.gdp_10k_yuan.is_negative() || y.gdp_10k_yuan.is_zero()) {
      return Status::Invalid("out_of_range", "GDP is positive", YearPath(i, "gdp"));
    }
    const std::pair<const char*, Decimal> non_negative[] = {{"energy", y.energy_tce},
                                                            {"feedstock", y.feedstock_tce},
                                                            {"renewable_electricity", y.renewable_electricity_tce},
                                                            {"nonfossil", y.nonfossil_tce},
                                                            {"gec_nonfossil", y.gec_nonfossil_tce}};
    for (const auto& [field, value] : non_negative) {
      if (value.is_negative()) return Status::Invalid("out_of_range", "cannot be negative", YearPath(i, field));
    }
    if (y.energy_tce.is_zero()) return Status::Invalid("out_of_range", "energy consumption is positive", YearPath(i, "energy"));
    if (y.feedstock_tce + y.nonfossil_tce > y.energy_tce) {
      return Status::Invalid("out_of_range", "feedstock and non-fossil energy together exceed the total consumption",
                             YearPath(i, "feedstock"));
    }
    if (y.gec_nonfossil_tce > y.nonfossil_tce) {
      return Status::Invalid("out_of_range", "the certificate-proven part exceeds the non-fossil energy",
                             YearPath(i, "gec_nonfossil"));
    }
    if (y.carbon_t && y.carbon_t->is_negative()) return Status::Invalid("out_of_range", "cannot be negative", YearPath(i, "carbon"));
    if (y.year == plan.base_year) base = &y;
  }
  if (base == nullptr) {
    return Status::Invalid("missing_field",
                           "the plan's base year " + std::to_string(plan.base_year) + " must be among the years",
                           "years");
  }
  DualControlResult result;
  for (size_t i = 0; i < years.size(); ++i) {
    const DualControlYear& y = years[i];
    if (y.year == plan.base_year) continue;
    auto found = std::find_if(rules.begin(), rules.end(), [&](const DualControlYearRules& r) { return r.year == y.year; });
    if (found == rules.end()) {
      return Status::Invalid("unknown_year", "no dual-control rules for " + std::to_string(y.year) +
                                                 " in data/energy/dual-control-rules.json",
                             YearPath(i, "year"));
    }
    const DualControlYearRules& r = *found;
    YearAssessment a;
    a.year = y.year;
    a.rules = &r;
    a.required_reduction_pct = RequiredPct(plan, plan.basic_reduction_pct, y.year, options.path);
    if (plan.incentive_reduction_pct) {
      a.incentive_required_pct = RequiredPct(plan, *plan.incentive_reduction_pct, y.year, options.path);
    }
    Exact unused;
    bool unused_capped = false;
    const Exact base_energy = IntensityEnergy(*base, *base, r, true, std::nullopt, Decimal(), &unused, &unused_capped);
    std::optional<Decimal> base_intensity = IntensityOf(base_energy, base->gdp_10k_yuan);
    if (!base_intensity || base_intensity->is_zero()) {
      return Status::Invalid("out_of_range", "the base year's intensity after the exclusions is zero", "years");
    }
    a.base_intensity = *base_intensity;
    a.intensity_energy_tce = IntensityEnergy(y, *base, r, false, base_intensity, a.required_reduction_pct,
                                             &a.gec_deduction_tce, &a.gec_capped);
    a.intensity = *IntensityOf(a.intensity_energy_tce, y.gdp_10k_yuan);
    a.cumulative_change_pct = ChangePct(a.base_intensity, a.intensity);
    // Against the previous year under this year's rules, when that year is given.
    if (i > 0 && years[i - 1].year == y.year - 1) {
      const DualControlYear& prev = years[i - 1];
      const bool prev_is_base = prev.year == plan.base_year;
      Exact prev_gec;
      bool prev_capped = false;
      const Exact prev_energy =
          IntensityEnergy(prev, *base, r, prev_is_base, base_intensity,
                          RequiredPct(plan, plan.basic_reduction_pct, prev.year, options.path), &prev_gec, &prev_capped);
      a.change_pct = ChangePct(*IntensityOf(prev_energy, prev.gdp_10k_yuan), a.intensity);
    }
    const Decimal achieved = Decimal() - a.cumulative_change_pct;  // a fall is a positive reduction
    a.basic_on_track = achieved >= a.required_reduction_pct;
    a.incentive_on_track = a.incentive_required_pct && achieved >= *a.incentive_required_pct;
    // Total consumption against the year's cap, unless the incentive target exempts it.
    Exact total = Exact::Of(y.energy_tce);
    bool ok = true;
    if (r.feedstock_excluded) ok = total.Subtract(Exact::Of(y.feedstock_tce));
    if (r.nonfossil_excluded) {
      ok = ok && total.Subtract(Exact::Of(y.nonfossil_tce - y.gec_nonfossil_tce)) && total.Subtract(a.gec_deduction_tce);
    } else if (r.new_renewable_excluded_from_total) {
      ok = ok && total.Subtract(NewRenewable(y, *base));
    }
    GL_ASSERT(ok);
    a.total_energy_tce = total;
    for (const DualControlPlan::TotalCap& cap : plan.total_caps) {
      if (cap.year == y.year) a.total_cap_tce = cap.tce;
    }
    a.total_exempt = a.incentive_on_track;
    if (a.total_cap_tce && !a.total_exempt) a.total_within_cap = !(Exact::Of(*a.total_cap_tce) < total);
    if (y.carbon_t) a.carbon_intensity = IntensityOf(Exact::Of(*y.carbon_t), y.gdp_10k_yuan);
    const bool rose = a.change_pct ? !a.change_pct->is_negative() && !a.change_pct->is_zero()
                                   : !a.cumulative_change_pct.is_negative() && !a.cumulative_change_pct.is_zero();
    if (options.barometer == BarometerRule::kNdrc2021) {
      a.grade = rose ? 1 : (a.basic_on_track ? 3 : 2);
    } else {
      if (a.basic_on_track) {
        a.grade = 3;
      } else {
        Exact allowed_gap = Exact::Of(a.required_reduction_pct);
        const bool ok_gap = allowed_gap.Multiply(options.caixin_gap_share);
        GL_ASSERT(ok_gap);
        const Exact gap = Exact::Of(a.required_reduction_pct - achieved);
        a.grade = allowed_gap < gap ? 1 : 2;
      }
    }
    if (rose) a.warnings.push_back("intensity_rose");
    if (!a.basic_on_track) a.warnings.push_back("behind_progress");
    if (a.total_within_cap && !*a.total_within_cap) a.warnings.push_back("total_over_cap");
    if (a.gec_capped) a.warnings.push_back("gec_deduction_capped");
    result.years.push_back(std::move(a));
  }
  // Forecast: a least-squares line through (base year, 0) and each assessed year's cumulative
  // change, read at the plan's end; the band is ±1.96 standard errors of a new observation.
  PlanForecast& f = result.forecast;
  f.method = "least-squares line through the base year (0 %) and each assessed year's cumulative change, at the "
             "plan's end year; band ±1.96 × the prediction's standard error from the residuals (from 4 points: the base year and three assessed years)";
  std::vector<std::pair<double, double>> points = {{static_cast<double>(plan.base_year), 0.0}};
  for (const YearAssessment& a : result.years) points.emplace_back(a.year, a.cumulative_change_pct.ToDouble());
  f.points = static_cast<int>(points.size());
  if (points.size() >= 3) {
    const double n = static_cast<double>(points.size());
    double mean_x = 0, mean_y = 0;
    for (const auto& [x, yv] : points) {
      mean_x += x / n;
      mean_y += yv / n;
    }
    double sxx = 0, sxy = 0;
    for (const auto& [x, yv] : points) {
      sxx += (x - mean_x) * (x - mean_x);
      sxy += (x - mean_x) * (yv - mean_y);
    }
    const double slope = sxy / sxx;
    const double x0 = plan.end_year;
    f.available = true;
    f.end_cumulative_change_pct = mean_y + slope * (x0 - mean_x);
    const double target = -plan.basic_reduction_pct.ToDouble();
    if (points.size() >= 4) {
      double sse = 0;
      for (const auto& [x, yv] : points) {
        const double fit = mean_y + slope * (x - mean_x);
        sse += (yv - fit) * (yv - fit);
      }
      const double sigma = std::sqrt(sse / (n - 2));
      const double se = sigma * std::sqrt(1 + 1 / n + (x0 - mean_x) * (x0 - mean_x) / sxx);
      f.low_pct = f.end_cumulative_change_pct - 1.96 * se;
      f.high_pct = f.end_cumulative_change_pct + 1.96 * se;
      f.basic_target_within_reach = *f.low_pct <= target;
    } else {
      f.basic_target_within_reach = f.end_cumulative_change_pct <= target;
    }
  }
  return result;
}

}  // namespace greenloop::energy
