// Goal: the steel engine computes formula (1) (mass balance, no oxidation term) and formula (3)
// (power units, with oxidation) exactly as CETS—AG—03.01—V01—2024 writes them, with the A.1/A.2
// defaults of data/carbon/steel-factors.json, rounds once to the guideline's precision, and
// refuses bad input naming the field. Method: small inputs whose results are worked out by hand
// in the comments, each bad input asserted by error code and field path, and the documented
// example run through the steel-emissions calculator against the figures in docs/calc/industry.md.
#include "mrv/steel.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "calc/industry_calculators.h"

namespace greenloop {
namespace {

using mrv::IndustryFuelUse;
using mrv::MaterialUse;
using mrv::SteelInput;
using mrv::SteelMonth;

Decimal D(const char* text) {
  auto d = Decimal::Parse(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d.value_or(Decimal());
}

const mrv::SteelRules& Rules() { return calc::SteelRulesFromData(); }

IndustryFuelUse Fuel(const char* code, const char* consumption) {
  IndustryFuelUse use;
  use.fuel = code;
  use.consumption = D(consumption);
  return use;
}

IndustryFuelUse Measured(const char* code, const char* consumption, const char* ncv) {
  IndustryFuelUse use = Fuel(code, consumption);
  use.ncv = D(ncv);
  use.ncv_evidence = "LAB-2024-001";
  return use;
}

// A year whose first month is `first` and whose other eleven months report nothing.
SteelInput YearOf(const SteelMonth& first) {
  SteelInput input;
  input.data_year = 2024;
  input.months.push_back(first);
  input.months.back().month = 1;
  for (int m = 2; m <= 12; ++m) {
    SteelMonth empty;
    empty.month = m;
    input.months.push_back(empty);
  }
  return input;
}

mrv::SteelResult Account(const SteelInput& input) {
  auto result = mrv::AccountSteelEmissions(input, Rules());
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? result.value() : mrv::SteelResult{};
}

void ExpectError(const SteelInput& input, const std::string& code, const std::string& field) {
  auto result = mrv::AccountSteelEmissions(input, Rules());
  ASSERT_FALSE(result.ok()) << "expected " << code << " at " << field;
  EXPECT_EQ(result.status().code(), code) << result.status().ToString();
  EXPECT_EQ(result.status().field(), field) << result.status().ToString();
}

TEST(SteelTest, DataHoldsTheAppendixADefaults) {
  const mrv::IndustryFuelSpec& coke = Rules().fuels.at("coke");
  EXPECT_EQ(coke.ncv.value, D("28.435"));
  EXPECT_EQ(coke.carbon_tc_per_gj.value, D("0.02942"));
  EXPECT_EQ(coke.ncv.tag, "P");
  EXPECT_TRUE(coke.ncv_default_only);
  EXPECT_EQ(Rules().fuels.at("bf_gas").ncv.value, D("33"));
  EXPECT_EQ(Rules().fuels.at("bf_gas").unit, "1e4Nm3");
  // The oxidation column spans rows in the PDF: its reading is unconfirmed.
  EXPECT_EQ(Rules().fuels.at("diesel").oxidation.value, D("0.98"));
  EXPECT_EQ(Rules().fuels.at("diesel").oxidation.tag, "U");
  EXPECT_EQ(Rules().materials.at("dolomite").ef_t_per_t.value, D("0.476"));
  EXPECT_EQ(Rules().materials.at("crude_benzene").ef_t_per_t.value, D("3.382"));
  EXPECT_EQ(Rules().precision.total, 0);
  EXPECT_EQ(Rules().precision.intensity, 4);
}

TEST(SteelTest, CokeUsesTheDefaultNcvAndNoOxidationRate) {
  // 1000 t coke × 28.435 GJ/t × 0.02942 tC/GJ × 44/12
  //   = 28 435 GJ × 0.02942 = 836.5577 tC × 44/12 = 3067.378233… → 3067.38 tCO2
  // (with the oxidation rate 0.99 it would be 3036.70: formula (1) has none).
  SteelMonth month;
  month.fuels.push_back(Fuel("coke", "1000"));
  mrv::SteelResult r = Account(YearOf(month));
  ASSERT_EQ(r.months[0].fuels.size(), 1u);
  const mrv::FuelEmissionLine& line = r.months[0].fuels[0];
  EXPECT_EQ(line.ncv.basis, mrv::ValueBasis::kDefault);
  EXPECT_FALSE(line.oxidation.has_value());
  EXPECT_EQ(line.emissions.rounded, D("3067.38"));
  EXPECT_EQ(r.sources.total.rounded, D("3067.38"));
  EXPECT_EQ(r.total_integer_t, D("3067"));
  EXPECT_FALSE(r.intensity_t_per_t.has_value());  // no crude steel
}

TEST(SteelTest, MassBalanceWorkedExample) {
  // Fuels:      coking coal 1000 t, measured NCV 26.5: 1000 × 26.5 × 0.02541 × 44/12
  //               = 673.365 tC × 44/12 = 2469.005 (exactly; rounds half up to 2469.01)
  //             natural gas 10 × 10^4 Nm3: 10 × 389.31 × 0.01532 × 44/12
  //               = 59.642292 tC × 44/12 = 218.688404
  //             fuels = 2687.693404
  // Carbonates: limestone 500 × 0.440 = 220; dolomite 100 × 0.476 = 47.6   → 267.6
  // Electrodes: 2 × 3.663 = 7.326
  // Inputs:     scrap 1000 × 0.037 = 37
  // Products:   tar 50 × 2.699 = 134.95; crude benzene 10 × 3.382 = 33.82 → 168.77
  // Crude steel 1000 × 0.037 = 37
  // E = 2687.693404 + 267.6 + 7.326 + 37 − 168.77 − 37 = 2793.849404
  //   → 2793.85 tCO2, summary 2794, intensity 2793.849404 / 1000 = 2.7938 tCO2/t
  SteelMonth month;
  month.fuels = {Measured("coking_coal", "1000", "26.5"), Fuel("natural_gas", "10")};
  month.carbonates = {{"limestone", D("500")}, {"dolomite", D("100")}};
  month.electrodes_t = D("2");
  month.carbon_inputs = {{"scrap", D("1000")}};
  month.carbon_products = {{"tar", D("50")}, {"crude_benzene", D("10")}};
  month.crude_steel_t = D("1000");
  mrv::SteelResult r = Account(YearOf(month));
  EXPECT_EQ(r.months[0].fuels[0].emissions.rounded, D("2469.01"));
  EXPECT_EQ(r.months[0].fuels[0].ncv.basis, mrv::ValueBasis::kMeasured);
  EXPECT_EQ(r.months[0].fuels[0].ncv.source, "LAB-2024-001");
  EXPECT_EQ(r.months[0].fuels[1].emissions.rounded, D("218.69"));
  EXPECT_EQ(r.sources.fuels.rounded, D("2687.69"));
  EXPECT_EQ(r.sources.carbonates.rounded, D("267.6"));
  EXPECT_EQ(r.sources.electrodes.rounded, D("7.33"));
  EXPECT_EQ(r.sources.carbon_inputs.rounded, D("37"));
  EXPECT_EQ(r.sources.carbon_products.rounded, D("168.77"));
  EXPECT_EQ(r.sources.crude_steel.rounded, D("37"));
  EXPECT_EQ(r.sources.total.rounded, D("2793.85"));
  EXPECT_EQ(r.total_integer_t, D("2794"));
  EXPECT_EQ(r.crude_steel_t, D("1000"));
  ASSERT_TRUE(r.intensity_t_per_t.has_value());
  EXPECT_EQ(*r.intensity_t_per_t, D("2.7938"));
}

TEST(SteelTest, TotalsAreRoundedOnceFromExactValues) {
  // Each month: 0.0125 t limestone × 0.44 = 0.0055 tCO2, shown as 0.01. Twelve months exactly
  // 0.066 → 0.07, not 12 × 0.01 = 0.12; the summary integer of 0.066 is 0.
  SteelInput input;
  input.data_year = 2024;
  for (int m = 1; m <= 12; ++m) {
    SteelMonth month;
    month.month = m;
    month.carbonates = {{"limestone", D("0.0125")}};
    input.months.push_back(month);
  }
  mrv::SteelResult r = Account(input);
  EXPECT_EQ(r.months[0].sources.total.rounded, D("0.01"));
  EXPECT_EQ(r.sources.total.rounded, D("0.07"));
  EXPECT_EQ(r.total_integer_t, D("0"));
  // Half up to an integer: 12.5 t × 0.44 = 5.5 → 6.
  SteelMonth half;
  half.carbonates = {{"limestone", D("12.5")}};
  EXPECT_EQ(Account(YearOf(half)).total_integer_t, D("6"));
}

TEST(SteelTest, AnnualNcvIsWeightedByConsumption) {
  // (100 × 23.0 + 300 × 24.0) / 400 = 9500 / 400 = 23.750 GJ/t
  SteelInput input = YearOf(SteelMonth{});
  input.months[0].fuels = {Measured("bituminous", "100", "23.0")};
  input.months[1].fuels = {Measured("bituminous", "300", "24.0")};
  mrv::SteelResult r = Account(input);
  ASSERT_EQ(r.fuels.size(), 1u);
  EXPECT_EQ(r.fuels[0].consumption, D("400"));
  EXPECT_EQ(r.fuels[0].ncv_weighted, D("23.75"));
  EXPECT_TRUE(r.fuels[0].ncv_measured);
  EXPECT_FALSE(r.fuels[0].ncv_default);
}

TEST(SteelTest, PowerUnitsUseTheOxidationRateAndStayInsideTheEnterpriseTotal) {
  // BF gas 1000 × 10^4 Nm3: 1000 × 33 × 0.0708 × 0.99 × 44/12
  //   = 2336.4 tC × 0.99 = 2313.036 × 44/12 = 8481.132 → 8481.13 tCO2
  // Heat in 33 000 GJ; out 2500 MWh × 3.6 = 9000 GJ: plausible.
  SteelMonth steel;
  steel.fuels = {Fuel("coke", "1000")};
  SteelInput input = YearOf(steel);
  mrv::SteelPowerUnit unit;
  unit.id = "CHP-1";
  for (int m = 1; m <= 12; ++m) {
    mrv::SteelPowerUnitMonth month;
    month.month = m;
    if (m == 1) {
      month.fuels = {Fuel("bf_gas", "1000")};
      month.generation_mwh = D("2500");
    }
    unit.months.push_back(month);
  }
  input.power_units.push_back(unit);
  mrv::SteelResult r = Account(input);
  ASSERT_EQ(r.power_units.size(), 1u);
  const mrv::FuelEmissionLine& line = r.power_units[0].months[0].fuels[0];
  ASSERT_TRUE(line.oxidation.has_value());
  EXPECT_EQ(line.oxidation->value, D("0.99"));
  EXPECT_EQ(line.oxidation->tag, "U");
  EXPECT_EQ(r.power_units[0].emissions.rounded, D("8481.13"));
  EXPECT_EQ(r.power_units_total.rounded, D("8481.13"));
  EXPECT_EQ(r.power_units[0].generation_mwh, D("2500"));
  EXPECT_EQ(r.sources.total.rounded, D("3067.38"));  // the coke alone: not added
  bool noted = false;
  for (const std::string& note : r.notes) noted = noted || note.find("oxidation rate of bf_gas") != std::string::npos;
  EXPECT_TRUE(noted) << "the [U] oxidation default must be listed in the notes";
}

TEST(SteelTest, RefusesBadFuelInput) {
  SteelMonth month;
  month.fuels = {Fuel("bituminous", "-5")};
  ExpectError(YearOf(month), "out_of_range", "months[0].fuels[0].consumption");

  month.fuels = {Measured("bituminous", "100", "5000")};  // kcal/kg, not GJ/t
  ExpectError(YearOf(month), "out_of_range", "months[0].fuels[0].ncv");

  month.fuels = {Measured("bf_gas", "100", "3.3")};  // MJ/Nm3, not GJ/10^4 Nm3
  ExpectError(YearOf(month), "out_of_range", "months[0].fuels[0].ncv");

  month.fuels = {Measured("coke", "100", "28.9")};
  ExpectError(YearOf(month), "default_only", "months[0].fuels[0].ncv");

  month.fuels = {Fuel("bituminous", "100")};
  month.fuels[0].ncv = D("23.5");
  ExpectError(YearOf(month), "missing_evidence", "months[0].fuels[0].ncv_evidence");

  month.fuels = {Fuel("bituminous", "100")};
  month.fuels[0].carbon_tc_per_gj = D("0.026");
  month.fuels[0].carbon_evidence = "LAB-1";
  ExpectError(YearOf(month), "default_only", "months[0].fuels[0].carbon_tc_per_gj");

  month.fuels = {Fuel("peat", "100")};
  ExpectError(YearOf(month), "unknown_fuel", "months[0].fuels[0].fuel");

  month.fuels = {Fuel("coke", "100"), Fuel("coke", "5")};
  ExpectError(YearOf(month), "duplicate", "months[0].fuels[1].fuel");
}

TEST(SteelTest, RefusesMaterialsOutsideTableA2OrInTheWrongTerm) {
  SteelMonth month;
  month.carbonates = {{"magnesite", D("10")}};
  ExpectError(YearOf(month), "unknown_material", "months[0].carbonates[0].material");

  month.carbonates = {{"tar", D("10")}};
  ExpectError(YearOf(month), "wrong_material_kind", "months[0].carbonates[0].material");

  month.carbonates = {};
  month.carbon_products = {{"scrap", D("10")}};  // scrap is an input, never deducted
  ExpectError(YearOf(month), "wrong_material_kind", "months[0].carbon_products[0].material");

  month.carbon_products = {};
  month.carbon_inputs = {{"dri", D("-1")}};
  ExpectError(YearOf(month), "out_of_range", "months[0].carbon_inputs[0].quantity_t");

  month.carbon_inputs = {};
  month.electrodes_t = D("-2");
  ExpectError(YearOf(month), "out_of_range", "months[0].electrodes_t");
}

TEST(SteelTest, MissingMonthsAreAnErrorUnlessAPartialYearIsAsked) {
  SteelInput input = YearOf(SteelMonth{});
  input.months.pop_back();  // December
  ExpectError(input, "missing_months", "months");
  input.allow_partial_year = true;
  mrv::SteelResult r = Account(input);
  EXPECT_EQ(r.months_missing, std::vector<int>{12});
  bool noted = false;
  for (const std::string& note : r.notes) noted = noted || note.rfind("partial year", 0) == 0;
  EXPECT_TRUE(noted);

  SteelInput twice = YearOf(SteelMonth{});
  twice.months[1].month = 1;
  ExpectError(twice, "duplicate", "months[1].month");

  SteelInput bad_month = YearOf(SteelMonth{});
  bad_month.months[11].month = 13;
  ExpectError(bad_month, "out_of_range", "months[11].month");
}

TEST(SteelTest, AMeasuredSolidFuelCannotFallBackToTheDefault) {
  // §6.2.2.2: the NCV method is fixed for the year.
  SteelInput input = YearOf(SteelMonth{});
  input.months[0].fuels = {Measured("anthracite", "100", "25.1")};
  input.months[1].fuels = {Fuel("anthracite", "100")};
  ExpectError(input, "ncv_method_mixed", "months[1].fuels[0].ncv");
  // Gases may use the default in a month without a measurement.
  input.months[0].fuels = {Measured("natural_gas", "10", "390")};
  input.months[1].fuels = {Fuel("natural_gas", "10")};
  EXPECT_TRUE(mrv::AccountSteelEmissions(input, Rules()).ok());
}

TEST(SteelTest, RefusesImplausiblePowerUnitsAndANegativeYear) {
  SteelInput input = YearOf(SteelMonth{});
  mrv::SteelPowerUnit unit;
  unit.id = "CHP-1";
  for (int m = 1; m <= 12; ++m) {
    mrv::SteelPowerUnitMonth month;
    month.month = m;
    unit.months.push_back(month);
  }
  // 100 × 10^4 Nm3 BF gas = 3300 GJ cannot make 2500 MWh = 9000 GJ (kWh given as MWh?).
  unit.months[0].fuels = {Fuel("bf_gas", "100")};
  unit.months[0].generation_mwh = D("2500");
  input.power_units = {unit};
  ExpectError(input, "out_of_range", "power_units[0].months[0].generation_mwh");

  unit.months[0].generation_mwh = D("500");
  unit.months.pop_back();
  input.power_units = {unit};
  ExpectError(input, "missing_months", "power_units[0].months");

  SteelMonth sold_only;
  sold_only.carbon_products = {{"tar", D("1000")}};
  ExpectError(YearOf(sold_only), "negative_emissions", "months");
}

// ---- the calculator

calc::Json ReadExample(const std::string& relative) {
  const std::filesystem::path root = std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
  std::ifstream file(root / relative);
  EXPECT_TRUE(file.good()) << (root / relative);
  return calc::Json::parse(file, nullptr, false);
}

const calc::Calculator& Find(const std::string& name) {
  static const std::vector<calc::Calculator> calculators = calc::IndustryCalculators();
  for (const calc::Calculator& c : calculators) {
    if (c.name == name) return c;
  }
  ADD_FAILURE() << name << " is not among IndustryCalculators()";
  return calculators.front();
}

Decimal Num(const calc::Json& value) {
  EXPECT_TRUE(value.is_number()) << value.dump();
  if (!value.is_number()) return Decimal();
  return Decimal::FromDouble(value.get<double>()).value_or(Decimal());
}

TEST(SteelCalculatorTest, RunsTheDocumentedExample) {
  const calc::Calculator& steel = Find("steel-emissions");
  EXPECT_EQ(steel.example_file, "docs/calc/steel-emissions.json");
  calc::Json input = ReadExample(steel.example_file);
  ASSERT_FALSE(input.is_discarded());
  Result<calc::Json> result = steel.run(input);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const calc::Json& out = result.value();
  // The figures worked out in docs/calc/industry.md.
  EXPECT_EQ(Num(out["total_t"]), D("5946854.59"));
  EXPECT_EQ(Num(out["total_integer_t"]), D("5946855"));
  EXPECT_EQ(Num(out["intensity_t_per_t_crude_steel"]), D("1.967"));
  EXPECT_EQ(Num(out["sources"]["fuels_t"]), D("5992000.67"));
  EXPECT_EQ(Num(out["power_units_total_t"]), D("1663784.26"));
  EXPECT_EQ(out["months"].size(), 12u);
  EXPECT_EQ(out["fuels"][0]["fuel"], "coking_coal");
  EXPECT_EQ(Num(out["fuels"][0]["ncv_weighted_gj_per_unit"]), D("26.385"));
  EXPECT_EQ(out["months"][0]["fuels"][3]["ncv_gj_per_unit"]["tag"], "P");
}

TEST(SteelCalculatorTest, RefusesUnknownFieldsWithTheirPath) {
  const calc::Calculator& steel = Find("steel-emissions");
  calc::Json input = ReadExample(steel.example_file);
  input["months"][2]["fuels"][0]["oxidation_rate"] = 0.9;  // formula (1) has none
  Result<calc::Json> result = steel.run(input);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), "unknown_field");
  EXPECT_EQ(result.status().field(), "months[2].fuels[0].oxidation_rate");

  input = ReadExample(steel.example_file);
  input["months"][4]["carbonates"][1]["material"] = "magnesite";
  result = steel.run(input);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), "unknown_material");
  EXPECT_EQ(result.status().field(), "months[4].carbonates[1].material");
}

}  // namespace
}  // namespace greenloop
