// Worked examples of energy dual control (energy/dual_control.h) with the year rules of
// data/energy/dual-control-rules.json: the statistics bureaus' intensity method (green-rights.md
// §1.4), the exclusions of 803号 and the 2024 notice with its certificate cap (§1.7), the incentive
// exemption of 1310号 (§1.5) and both barometer rules (§1.6).
#include <gtest/gtest.h>

#include "calc/calculator.h"
#include "energy/dual_control.h"

namespace greenloop::energy {
namespace {

Decimal D(const char* text) { return *Decimal::Parse(text); }

DualControlYearRules Rules(int year, bool nonfossil = false) {
  DualControlYearRules r;
  r.year = year;
  r.feedstock_excluded = true;
  r.new_renewable_excluded_from_total = true;
  r.nonfossil_excluded = nonfossil;
  r.gec_cap_share = D("0.5");
  return r;
}

std::vector<DualControlYearRules> FourteenthPlanRules() {
  return {Rules(2021), Rules(2022), Rules(2023), Rules(2024, true), Rules(2025, true)};
}

DualControlYear Year(int year, const char* energy, const char* gdp) {
  DualControlYear y;
  y.year = year;
  y.energy_tce = D(energy);
  y.gdp_10k_yuan = D(gdp);
  return y;
}

DualControlPlan Plan(const char* basic, std::optional<Decimal> incentive = std::nullopt) {
  DualControlPlan p;
  p.base_year = 2020;
  p.end_year = 2025;
  p.basic_reduction_pct = D(basic);
  p.incentive_reduction_pct = incentive;
  return p;
}

DualControlResult Assess(const DualControlPlan& plan, const std::vector<DualControlYear>& years,
                         DualControlOptions options = {}) {
  Result<DualControlResult> r = AssessDualControl(plan, years, FourteenthPlanRules(), options);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value() : DualControlResult();
}

TEST(DualControlTest, ReproducesTheNationalBulletinOf2021) {
  // NBS statistical bulletins: energy consumption 49.8 (2020) and 52.4 (2021) 10^8 tce; GDP 2020
  // 1,015,986 10^8 yuan, 2021 growth 8.1 % at constant prices; the 2021 bulletin: energy per 10^4
  // yuan of GDP fell 2.7 %. In 10^4 yuan, 2020 GDP is 10,159,860,000 and 2021 10,982,808,660.
  const DualControlResult r = Assess(Plan("13.5"), {Year(2020, "4980000000", "10159860000"),
                                                     Year(2021, "5240000000", "10982808660")});
  ASSERT_EQ(r.years.size(), 1u);
  EXPECT_EQ(r.years[0].base_intensity, D("0.4902"));  // 0.490164…
  EXPECT_EQ(r.years[0].intensity, D("0.4771"));       // 0.477110…
  EXPECT_EQ(*r.years[0].change_pct, D("-2.67"));      // the bulletin prints −2.7
}

TEST(DualControlTest, EachYearsIntensityIsRoundedBeforeTheRatio) {
  // 0.123449 and 0.123351 both round to 0.1234: no change, where the unrounded ratio is −0.079 %.
  const DualControlResult r = Assess(Plan("10"), {Year(2020, "123449", "1000000"), Year(2021, "123351", "1000000")});
  EXPECT_EQ(r.years[0].intensity, D("0.1234"));
  EXPECT_EQ(*r.years[0].change_pct, D("0"));
  EXPECT_EQ(ChangePct(D("0.4902"), D("0.4771")), D("-2.67"));
}

TEST(DualControlTest, FeedstockLeavesBothYearsAndGdpIsUnchanged) {
  DualControlYear base = Year(2020, "1000", "1000");
  base.feedstock_tce = D("200");
  DualControlYear later = Year(2021, "1100", "1100");
  later.feedstock_tce = D("300");
  const DualControlResult r = Assess(Plan("10"), {base, later});
  EXPECT_EQ(r.years[0].base_intensity, D("0.8"));        // (1000 − 200) ÷ 1000
  EXPECT_EQ(r.years[0].intensity, D("0.7273"));          // (1100 − 300) ÷ 1100 = 0.72727…
  EXPECT_EQ(r.years[0].cumulative_change_pct, D("-9.09"));  // 0.7273 ÷ 0.8 − 1 = −9.0875 %
  // Without the exclusion the intensity would not have moved (1000/1000 = 1100/1100).
}

TEST(DualControlTest, CertificateDeductionsAreCappedAtHalfTheSavingsNeeded) {
  // 2024 deducts non-fossil energy. Base intensity 1.0; the linear path asks 10 % × 4/5 = 8 % by
  // 2024, i.e. at most 0.92 × 1,000 = 920 tce; 1,000 tce now → 80 tce to save, certificates may
  // cover half of it: 40 of the 100 tce they prove.
  DualControlYear y = Year(2024, "1000", "1000");
  y.nonfossil_tce = D("100");
  y.gec_nonfossil_tce = D("100");
  const DualControlResult r = Assess(Plan("10"), {Year(2020, "1000", "1000"), y});
  const YearAssessment& a = r.years[0];
  EXPECT_EQ(a.required_reduction_pct, D("8"));
  EXPECT_EQ(a.gec_deduction_tce, Exact::OfInt(40));
  EXPECT_TRUE(a.gec_capped);
  EXPECT_EQ(a.intensity, D("0.96"));
  EXPECT_EQ(a.cumulative_change_pct, D("-4"));
  EXPECT_FALSE(a.basic_on_track);
  EXPECT_EQ(a.grade, 2);  // fell, but behind the 8 % required
  EXPECT_NE(std::find(a.warnings.begin(), a.warnings.end(), "gec_deduction_capped"), a.warnings.end());
  // Physical non-fossil energy is deducted in full, in the base year too.
  DualControlYear physical = y;
  physical.gec_nonfossil_tce = D("0");
  DualControlYear base = Year(2020, "1000", "1000");
  base.nonfossil_tce = D("50");
  const DualControlResult p = Assess(Plan("10"), {base, physical});
  EXPECT_EQ(p.years[0].base_intensity, D("0.95"));
  EXPECT_EQ(p.years[0].intensity, D("0.9"));
}

TEST(DualControlTest, TheIncentiveTargetExemptsTheTotalCheck) {
  DualControlPlan plan = Plan("13.5", D("14.5"));
  plan.total_caps = {{2025, D("950")}};
  // 1,000 ÷ 1,000 = 1.0 in 2020; 2025: 980 ÷ 1,150 = 0.8522 → −14.78 %: incentive met, total 980 > 950 exempt.
  const DualControlResult met = Assess(plan, {Year(2020, "1000", "1000"), Year(2025, "980", "1150")});
  EXPECT_TRUE(met.years[0].incentive_on_track);
  EXPECT_TRUE(met.years[0].total_exempt);
  EXPECT_FALSE(met.years[0].total_within_cap.has_value());
  // 980 ÷ 1,120 = 0.875 → −12.5 %: basic missed, no exemption, over the cap.
  const DualControlResult missed = Assess(plan, {Year(2020, "1000", "1000"), Year(2025, "980", "1120")});
  EXPECT_FALSE(missed.years[0].total_exempt);
  ASSERT_TRUE(missed.years[0].total_within_cap.has_value());
  EXPECT_FALSE(*missed.years[0].total_within_cap);
  const auto& w = missed.years[0].warnings;
  EXPECT_NE(std::find(w.begin(), w.end(), "total_over_cap"), w.end());
}

TEST(DualControlTest, BarometerGradesUnderBothRules) {
  const std::vector<DualControlYear> rose = {Year(2020, "1000", "1000"), Year(2021, "1010", "1000")};
  EXPECT_EQ(Assess(Plan("10"), rose).years[0].grade, 1);  // 629号: rose → grade 1
  const std::vector<DualControlYear> on_track = {Year(2020, "1000", "1000"), Year(2021, "970", "1000")};
  EXPECT_EQ(Assess(Plan("10"), on_track).years[0].grade, 3);  // −3 % against 2 % required
  // Caixin-reported rule, 10 % of the requirement as the tolerated gap. 2022 requires 4 %.
  DualControlOptions caixin;
  caixin.barometer = BarometerRule::kCaixin2021Q1;
  const std::vector<DualControlYear> slightly = {Year(2020, "1000", "1000"), Year(2022, "962", "1000")};
  EXPECT_EQ(Assess(Plan("10"), slightly, caixin).years[0].grade, 2);  // gap 0.2 ≤ 0.4: yellow
  const std::vector<DualControlYear> far = {Year(2020, "1000", "1000"), Year(2022, "980", "1000")};
  EXPECT_EQ(Assess(Plan("10"), far, caixin).years[0].grade, 1);  // gap 2 > 0.4: red
}

TEST(DualControlTest, ProgressPathIsLinearOrGeometric) {
  DualControlOptions geometric;
  geometric.path = ProgressPath::kGeometric;
  const std::vector<DualControlYear> years = {Year(2020, "1000", "1000"), Year(2022, "950", "1000")};
  EXPECT_EQ(Assess(Plan("13.5"), years).years[0].required_reduction_pct, D("5.4"));  // 13.5 × 2/5
  // 1 − 0.865^(2/5) = 5.63599… % → 5.636
  EXPECT_EQ(Assess(Plan("13.5"), years, geometric).years[0].required_reduction_pct, D("5.636"));
}

TEST(DualControlTest, ForecastsThePlanEndFromTheTrend) {
  // −2 % a year exactly: the line reaches −10 % in 2025, no residuals, a band of zero width.
  const DualControlResult r = Assess(Plan("9"), {Year(2020, "1000", "1000"), Year(2021, "980", "1000"),
                                                 Year(2022, "960", "1000"), Year(2023, "940", "1000")});
  ASSERT_TRUE(r.forecast.available);
  EXPECT_NEAR(r.forecast.end_cumulative_change_pct, -10.0, 1e-9);
  ASSERT_TRUE(r.forecast.low_pct.has_value());
  EXPECT_NEAR(*r.forecast.low_pct, -10.0, 1e-9);
  EXPECT_TRUE(r.forecast.basic_target_within_reach);
  const DualControlResult one = Assess(Plan("9"), {Year(2020, "1000", "1000"), Year(2021, "980", "1000")});
  EXPECT_FALSE(one.forecast.available);
}

TEST(DualControlTest, RefusesBadInputNamingTheField) {
  Result<DualControlResult> no_base = AssessDualControl(Plan("10"), {Year(2021, "1", "1")}, FourteenthPlanRules(), {});
  ASSERT_FALSE(no_base.ok());
  EXPECT_EQ(no_base.status().field(), "years");
  Result<DualControlResult> no_rules = AssessDualControl(Plan("10"), {Year(2020, "1", "1"), Year(2021, "1", "1")},
                                                         {Rules(2022)}, {});
  ASSERT_FALSE(no_rules.ok());
  EXPECT_EQ(no_rules.status().code(), "unknown_year");
  EXPECT_EQ(no_rules.status().field(), "years[1].year");
  DualControlYear bad = Year(2021, "100", "1");
  bad.feedstock_tce = D("101");
  Result<DualControlResult> too_much = AssessDualControl(Plan("10"), {Year(2020, "1", "1"), bad}, FourteenthPlanRules(), {});
  ASSERT_FALSE(too_much.ok());
  EXPECT_EQ(too_much.status().field(), "years[1].feedstock");
  Result<DualControlResult> pct = AssessDualControl(Plan("100"), {Year(2020, "1", "1")}, FourteenthPlanRules(), {});
  EXPECT_EQ(pct.status().field(), "plan.basic_reduction_pct");
}

// Through the calculator's JSON: units and GDP prices are checked before any arithmetic.
TEST(DualControlTest, CalculatorRefusesCurrentPricesMixedBasesAndWrongUnits) {
  const calc::Calculator* c = calc::FindCalculator("dual-control");
  ASSERT_NE(c, nullptr);
  auto year = [](int y, const char* prices, int base, const char* energy_unit) {
    return calc::Json{{"year", y},
                      {"energy", {{"value", 100}, {"unit", energy_unit}}},
                      {"gdp", {{"value", 200}, {"unit", "10^8 yuan"}, {"prices", prices}, {"price_base_year", base}}}};
  };
  auto run = [&](calc::Json years) {
    return c->run(calc::Json{{"plan", {{"base_year", 2020}, {"end_year", 2025}, {"basic_reduction_pct", 14}}},
                             {"years", years}});
  };
  ASSERT_TRUE(run({year(2020, "constant", 2020, "10^4 tce"), year(2021, "constant", 2020, "万吨标准煤")}).ok());
  Result<calc::Json> current = run({year(2020, "constant", 2020, "10^4 tce"), year(2021, "current", 2020, "10^4 tce")});
  EXPECT_EQ(current.status().code(), "gdp_not_constant_prices");
  EXPECT_EQ(current.status().field(), "years[1].gdp.prices");
  Result<calc::Json> mixed = run({year(2020, "constant", 2020, "10^4 tce"), year(2021, "constant", 2015, "10^4 tce")});
  EXPECT_EQ(mixed.status().code(), "mixed_price_bases");
  EXPECT_EQ(mixed.status().field(), "years[1].gdp.price_base_year");
  Result<calc::Json> unit = run({year(2020, "constant", 2020, "10^4 tce"), year(2021, "constant", 2020, "10^4 kWh")});
  EXPECT_EQ(unit.status().code(), "invalid_unit");
  EXPECT_EQ(unit.status().field(), "years[1].energy.unit");
  Result<calc::Json> later = run({year(2020, "constant", 2020, "10^4 tce"), year(2026, "constant", 2020, "10^4 tce")});
  EXPECT_EQ(later.status().field(), "years[1].year");
}

}  // namespace
}  // namespace greenloop::energy
