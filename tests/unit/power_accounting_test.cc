// Worked examples for the power-generation accounting guideline's formula
//   E = consumption × NCV × carbon content per unit heat × oxidation rate × 44/12
//       + purchased MWh × grid factor
// with the rule data shipped in data/carbon/ (grid factor 0.5703 for 2022 data, coal oxidation
// 99 %, unmeasured-coal default 0.03085 tC/GJ from April 2022). Each expected figure is derived by
// hand in the comment beside it.
#include <gtest/gtest.h>

#include "calc/carbon_rules.h"
#include "mrv/power_accounting.h"

namespace greenloop::mrv {
namespace {

Decimal D(const char* text) { return *Decimal::Parse(text); }

class PowerAccountingTest : public ::testing::Test {
 protected:
  PowerAccountingInput OneUnitYear() {
    PowerAccountingInput in;
    in.data_year = 2022;
    GeneratingUnit unit;
    unit.id = "#1";
    unit.capacity_mw = D("600");
    in.units.push_back(unit);
    for (int m = 1; m <= 12; ++m) {
      UnitMonth month;
      month.unit_id = "#1";
      month.month = m;
      month.generation_mwh = D("2000");
      month.supply_mwh = D("1900");
      month.purchased_electricity_mwh = m == 4 ? D("120") : Decimal();
      FuelUse coal;
      coal.fuel = "bituminous";
      coal.consumption = D("1000");
      coal.ncv = D("20.908");
      coal.ncv_evidence = "LAB-N";
      coal.carbon_tc_per_gj = D("0.02758");
      coal.carbon_evidence = "CNAS-1";
      month.fuels.push_back(coal);
      in.months.push_back(month);
    }
    return in;
  }
  const PowerAccountingRules& rules_ = calc::PowerAccountingRulesData();
};

TEST_F(PowerAccountingTest, MonthYearAndFacilityFollowTheGuidelineFormula) {
  Result<PowerAccountingResult> r = AccountPowerEmissions(OneUnitYear(), rules_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // 1000 × 20.908 × 0.02758 × 0.99 (coal default) × 44/12 = 2093.2127832 → 2093.21
  const UnitMonthResult& january = r.value().unit_months[0];
  EXPECT_EQ(january.fuels[0].emissions_t.ToString(2), "2093.21");
  EXPECT_TRUE(january.fuels[0].oxidation_default);
  EXPECT_EQ(january.fuels[0].oxidation_rate.ToShortString(), "0.99");
  EXPECT_EQ(january.fuels[0].carbon_basis, CarbonBasis::kMeasured);
  // 12 × 2093.2127832 = 25118.5533984 → 25118.55 (the sum of rounded months would be 25118.52)
  const UnitYearResult& year = r.value().unit_years[0];
  EXPECT_EQ(year.combustion_t.ToString(2), "25118.55");
  // 120 MWh × 0.5703 (2022 grid factor) = 68.436 → 68.44
  EXPECT_EQ(year.electricity_t.ToString(2), "68.44");
  // 25118.5533984 + 68.436 = 25186.9893984 → 25186.99
  EXPECT_EQ(r.value().total_t.ToString(2), "25186.99");
  // 25118.5533984 / 24000 MWh = 1.04660639… → 1.0466 tCO2/MWh
  ASSERT_TRUE(year.combustion_per_mwh_generated.has_value());
  EXPECT_EQ(year.combustion_per_mwh_generated->ToString(4), "1.0466");
  EXPECT_EQ(r.value().grid_factor.t_per_mwh.ToShortString(), "0.5703");
  EXPECT_TRUE(year.months_missing.empty());
}

TEST_F(PowerAccountingTest, UnmeasuredCoalTakesTheYearsDefaultAndSaysItIsUnconfirmed) {
  PowerAccountingInput in = OneUnitYear();
  in.months[6].fuels[0].carbon_tc_per_gj.reset();       // July: not measured
  in.months[7].fuels[0].carbon_evidence.clear();        // August: measured, but no test report
  Result<PowerAccountingResult> r = AccountPowerEmissions(in, rules_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // 1000 × 20.908 × 0.03085 × 0.99 × 44/12 = 2341.392834 → 2341.39
  EXPECT_EQ(r.value().unit_months[6].fuels[0].emissions_t.ToString(2), "2341.39");
  EXPECT_EQ(r.value().unit_months[6].fuels[0].carbon_basis, CarbonBasis::kDefaultNotMeasured);
  EXPECT_EQ(r.value().unit_months[7].fuels[0].carbon_basis, CarbonBasis::kDefaultNoEvidence);
  EXPECT_EQ(r.value().unit_months[7].fuels[0].carbon_tc_per_gj.ToShortString(), "0.03085");
  EXPECT_EQ(r.value().unit_months[6].fuels[0].carbon_tag, "U");
  bool noted = false;
  for (const std::string& note : r.value().notes) noted = noted || note.find("[U]") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST_F(PowerAccountingTest, FuelDefaultsApplyWhereTheFuelHasThem) {
  PowerAccountingInput in = OneUnitYear();
  FuelUse diesel;
  diesel.fuel = "diesel";
  diesel.consumption = D("1.2");
  in.months[0].fuels.push_back(diesel);
  Result<PowerAccountingResult> r = AccountPowerEmissions(in, rules_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // 1.2 t × 42.652 GJ/t × 0.02020 tC/GJ × 0.98 × 44/12 = 3.7150915648 → 3.72
  const FuelEmission& e = r.value().unit_months[0].fuels[1];
  EXPECT_EQ(e.emissions_t.ToString(2), "3.72");
  EXPECT_TRUE(e.ncv_default);
  EXPECT_EQ(e.carbon_basis, CarbonBasis::kFuelDefault);
  // January: 2093.2127832 + 3.7150915648 = 2096.9278747648 → 2096.93
  EXPECT_EQ(r.value().unit_months[0].combustion_t.ToString(2), "2096.93");
}

struct BadInput {
  const char* name;
  void (*mutate)(PowerAccountingInput*);
  const char* code;
  const char* field;
};

TEST_F(PowerAccountingTest, ImpossibleOrMisScaledValuesAreRefusedNamingTheField) {
  const BadInput cases[] = {
      {"negative fuel", [](PowerAccountingInput* in) { in->months[0].fuels[0].consumption = D("-5"); }, "out_of_range",
       "months[0].fuels[0].consumption"},
      {"NCV in kcal/kg", [](PowerAccountingInput* in) { in->months[1].fuels[0].ncv = D("5000"); }, "out_of_range",
       "months[1].fuels[0].ncv"},
      {"oxidation as a percentage", [](PowerAccountingInput* in) { in->months[2].fuels[0].oxidation_rate = D("99"); },
       "out_of_range", "months[2].fuels[0].oxidation_rate"},
      {"generation in kWh", [](PowerAccountingInput* in) { in->months[3].generation_mwh = D("2000000000"); }, "out_of_range",
       "months[3].generation_mwh"},
      {"coal in kt", [](PowerAccountingInput* in) { in->months[4].fuels[0].consumption = D("1"); }, "out_of_range",
       "months[4].fuels[0].consumption"},
      {"coal in kg", [](PowerAccountingInput* in) { in->months[4].fuels[0].consumption = D("1000000"); }, "out_of_range",
       "months[4].fuels[0].consumption"},
      {"supply above generation", [](PowerAccountingInput* in) { in->months[5].supply_mwh = D("2500"); }, "out_of_range",
       "months[5].supply_mwh"},
      {"carbon content in kgC/GJ", [](PowerAccountingInput* in) { in->months[0].fuels[0].carbon_tc_per_gj = D("27.58"); },
       "out_of_range", "months[0].fuels[0].carbon_tc_per_gj"},
      {"missing month", [](PowerAccountingInput* in) { in->months.pop_back(); }, "missing_months", "months"},
      {"month twice", [](PowerAccountingInput* in) { in->months[1].month = 1; }, "duplicate", "months[1].month"},
      {"unknown fuel", [](PowerAccountingInput* in) { in->months[0].fuels[0].fuel = "peat"; }, "unknown_fuel",
       "months[0].fuels[0].fuel"},
      {"unknown unit", [](PowerAccountingInput* in) { in->months[0].unit_id = "#9"; }, "unknown_unit", "months[0].unit_id"},
      {"capacity in kW", [](PowerAccountingInput* in) { in->units[0].capacity_mw = D("600000"); }, "out_of_range",
       "units[0].capacity_mw"},
      {"no grid factor for 2023", [](PowerAccountingInput* in) { in->data_year = 2023; }, "no_rule", "data_year"},
  };
  for (const BadInput& c : cases) {
    PowerAccountingInput in = OneUnitYear();
    c.mutate(&in);
    Result<PowerAccountingResult> r = AccountPowerEmissions(in, rules_);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.status().code(), c.code) << c.name << ": " << r.status().ToString();
    EXPECT_EQ(r.status().field(), c.field) << c.name << ": " << r.status().ToString();
  }
}

TEST_F(PowerAccountingTest, APartialYearIsComputedOnlyWhenAskedAndListsTheGaps) {
  PowerAccountingInput in = OneUnitYear();
  in.months.resize(10);
  in.allow_partial_year = true;
  Result<PowerAccountingResult> r = AccountPowerEmissions(in, rules_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r.value().unit_years[0].months_missing, (std::vector<int>{11, 12}));
  // 10 × 2093.2127832 = 20932.127832 → 20932.13
  EXPECT_EQ(r.value().unit_years[0].combustion_t.ToString(2), "20932.13");
}

}  // namespace
}  // namespace greenloop::mrv
