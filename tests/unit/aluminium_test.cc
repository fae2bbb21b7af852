// Goal: the aluminium engine computes fuel, anode, anode-effect (PFC) and carbonate emissions by
// the formulas public secondary sources give for CETS—AG—04.01—V01—2024, takes the "2024-style"
// candidate defaults of data/carbon/aluminium-factors.json, lets the input replace each of them,
// lists every unconfirmed [U] default it used, and refuses bad input naming the field. Method:
// hand-computed examples (arithmetic in the comments), bad inputs asserted by error code and field
// path, and the documented example run through the aluminium-emissions calculator.
#include "mrv/aluminium.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "calc/industry_calculators.h"

namespace greenloop {
namespace {

using mrv::AluminiumInput;
using mrv::AluminiumMonth;

Decimal D(const char* text) {
  auto d = Decimal::Parse(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d.value_or(Decimal());
}

const mrv::AluminiumRules& Rules() { return calc::AluminiumRulesFromData(); }

// A year whose first month is `first`, the other eleven with no output.
AluminiumInput YearOf(const AluminiumMonth& first) {
  AluminiumInput input;
  input.data_year = 2024;
  input.months.push_back(first);
  input.months.back().month = 1;
  for (int m = 2; m <= 12; ++m) {
    AluminiumMonth empty;
    empty.month = m;
    input.months.push_back(empty);
  }
  return input;
}

AluminiumMonth Smelted(const char* tonnes) {
  AluminiumMonth month;
  month.liquid_aluminium_t = D(tonnes);
  return month;
}

mrv::AluminiumResult Account(const AluminiumInput& input) {
  auto result = mrv::AccountAluminiumEmissions(input, Rules());
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? result.value() : mrv::AluminiumResult{};
}

void ExpectError(const AluminiumInput& input, const std::string& code, const std::string& field) {
  auto result = mrv::AccountAluminiumEmissions(input, Rules());
  ASSERT_FALSE(result.ok()) << "expected " << code << " at " << field;
  EXPECT_EQ(result.status().code(), code) << result.status().ToString();
  EXPECT_EQ(result.status().field(), field) << result.status().ToString();
}

bool Noted(const mrv::AluminiumResult& r, const std::string& what) {
  return std::any_of(r.notes.begin(), r.notes.end(), [&what](const std::string& n) {
    return n.rfind("default [U] used: " + what + " =", 0) == 0;
  });
}

TEST(AluminiumTest, DataLoadsThe2024StyleSetAllUnconfirmed) {
  const mrv::AluminiumParameters& d = Rules().defaults;
  EXPECT_EQ(d.net_anode_t_per_t_al.value, D("0.411"));
  EXPECT_EQ(d.anode_sulfur_fraction.value, D("0.02"));
  EXPECT_EQ(d.anode_ash_fraction.value, D("0.004"));
  EXPECT_EQ(d.ef_cf4_kg_per_t_al.value, D("0.034"));
  EXPECT_EQ(d.ef_c2f6_kg_per_t_al.value, D("0.0034"));
  EXPECT_EQ(d.gwp_cf4.value, D("6630"));
  EXPECT_EQ(d.gwp_c2f6.value, D("11100"));
  EXPECT_EQ(d.aem_slope.value, D("0.143"));
  EXPECT_EQ(d.c2f6_cf4_ratio.value, D("0.1"));
  for (const mrv::SourcedValue* v : {&d.net_anode_t_per_t_al, &d.gwp_cf4, &d.c2f6_cf4_ratio}) EXPECT_EQ(v->tag, "U");
  EXPECT_EQ(Rules().carbonates.at("soda_ash").ef_t_per_t.value, D("0.411"));
  EXPECT_EQ(Rules().fuels.at("natural_gas").ncv.tag, "U");  // borrowed from the steel guideline
}

TEST(AluminiumTest, DefaultsWorkedExample) {
  // 1000 t liquid Al, every default:
  //   anode = 1000 × 0.411 × (1 − 0.02 − 0.004) × 44/12 = 401.136 × 44/12 = 1470.832 → 1470.83
  //   PFC   = 1000 × (0.034 × 6630 + 0.0034 × 11100) / 1000 = 225.42 + 37.74 = 263.16
  //   total = 1733.992 → 1733.99, summary 1734, intensity 1.7340 tCO2e/t Al
  mrv::AluminiumResult r = Account(YearOf(Smelted("1000")));
  EXPECT_EQ(r.anode.rounded, D("1470.83"));
  EXPECT_EQ(r.pfc.rounded, D("263.16"));
  EXPECT_EQ(r.total.rounded, D("1733.99"));
  EXPECT_EQ(r.total_integer_t, D("1734"));
  EXPECT_EQ(r.intensity_t_per_t, D("1.734"));
  // CF4 1000 × 0.034 kg = 34 kg = 0.034 t; C2F6 3.4 kg = 0.0034 t.
  EXPECT_EQ(r.cf4_t, D("0.034"));
  EXPECT_EQ(r.c2f6_t, D("0.0034"));
  EXPECT_EQ(r.months[0].pfc_method, mrv::PfcMethod::kFactors);
  // Every [U] default used is listed; the slope and ratio were not used.
  for (const char* what : {"net anode consumption", "anode sulfur content", "anode ash content", "EF_CF4", "EF_C2F6",
                           "GWP of CF4", "GWP of C2F6"}) {
    EXPECT_TRUE(Noted(r, what)) << what;
  }
  EXPECT_FALSE(Noted(r, "anode-effect slope (EF_CF4 = slope × AEM)"));
}

TEST(AluminiumTest, AnodeEffectMinutesGiveTheFactors) {
  // AEM 0.05 min/cell-day: EF_CF4 = 0.143 × 0.05 = 0.00715 kg/t; EF_C2F6 = 0.1 × 0.00715 = 0.000715
  //   PFC = 1000 × (0.00715 × 6630 + 0.000715 × 11100) / 1000 = 47.4045 + 7.9365 = 55.341 → 55.34
  AluminiumMonth month = Smelted("1000");
  month.anode_effect_minutes = D("0.05");
  mrv::AluminiumResult r = Account(YearOf(month));
  EXPECT_EQ(r.months[0].pfc_method, mrv::PfcMethod::kAnodeEffectMinutes);
  EXPECT_EQ(r.months[0].ef_cf4_kg_per_t_al.value, D("0.00715"));
  EXPECT_EQ(r.months[0].ef_cf4_kg_per_t_al.basis, mrv::ValueBasis::kDerived);
  EXPECT_EQ(r.months[0].ef_c2f6_kg_per_t_al.value, D("0.000715"));
  EXPECT_EQ(r.pfc.rounded, D("55.34"));
  EXPECT_TRUE(Noted(r, "anode-effect slope (EF_CF4 = slope × AEM)"));
  EXPECT_TRUE(Noted(r, "C2F6/CF4 ratio"));
  EXPECT_FALSE(Noted(r, "EF_CF4"));

  // The derived factor keeps all its digits: AEM 0.123457 → EF_CF4 = 0.017654351 kg/t,
  //   PFC = 0.017654351 × 6630 + 0.0017654351 × 11100 = 117.04834713 + 19.59632961 = 136.64467674
  month.anode_effect_minutes = D("0.123457");
  EXPECT_EQ(Account(YearOf(month)).pfc.rounded, D("136.64"));
}

TEST(AluminiumTest, InputReplacesEachDefault) {
  // Year: GWP 6500 / 9200 (the 2013-style set); limestone EF 0.44.
  // Month: net anode 0.405 and sulfur 0.018 measured.
  //   anode = 1000 × 0.405 × (1 − 0.018 − 0.004) × 44/12 = 396.09 × 44/12 = 1452.33
  //   PFC   = 0.034 × 6500 + 0.0034 × 9200 = 221 + 31.28 = 252.28
  //   carbonates: limestone 10 × 0.44 = 4.4; soda ash 10 × 0.411 = 4.11 (default) → 8.51
  //   total = 1452.33 + 252.28 + 8.51 = 1713.12
  AluminiumMonth month = Smelted("1000");
  month.net_anode_t_per_t_al = D("0.405");
  month.anode_sulfur_fraction = D("0.018");
  month.carbonates = {{"limestone", D("10")}, {"soda_ash", D("10")}};
  month.purchased_electricity_mwh = D("13500");
  AluminiumInput input = YearOf(month);
  input.parameters.gwp_cf4 = D("6500");
  input.parameters.gwp_c2f6 = D("9200");
  input.parameters.carbonate_ef_t_per_t["limestone"] = D("0.44");
  mrv::AluminiumResult r = Account(input);
  EXPECT_EQ(r.anode.rounded, D("1452.33"));
  EXPECT_EQ(r.pfc.rounded, D("252.28"));
  EXPECT_EQ(r.carbonate.rounded, D("8.51"));
  EXPECT_EQ(r.total.rounded, D("1713.12"));
  EXPECT_EQ(r.months[0].net_anode_t_per_t_al.basis, mrv::ValueBasis::kMeasured);
  EXPECT_EQ(r.months[0].gwp_cf4.basis, mrv::ValueBasis::kInput);
  EXPECT_EQ(r.months[0].anode_ash_fraction.basis, mrv::ValueBasis::kDefault);
  EXPECT_FALSE(Noted(r, "GWP of CF4"));
  EXPECT_FALSE(Noted(r, "net anode consumption"));
  EXPECT_TRUE(Noted(r, "anode ash content"));
  EXPECT_TRUE(Noted(r, "EF of soda_ash"));
  EXPECT_FALSE(Noted(r, "EF of limestone"));
  // Purchased electricity is reported, never counted.
  EXPECT_EQ(r.purchased_electricity_mwh, D("13500"));
}

TEST(AluminiumTest, FuelsBurnWithTheOxidationRate) {
  // Natural gas 10 × 10^4 Nm3, defaults: 10 × 389.31 × 0.01532 × 0.99 × 44/12
  //   = 59.642292 tC × 0.99 = 59.04586908 × 44/12 = 216.50151996 → 216.50
  // With an oxidation rate 0.995 given: 59.642292 × 0.995 × 44/12 = 217.59496198 → 217.59
  AluminiumMonth month;
  mrv::IndustryFuelUse gas;
  gas.fuel = "natural_gas";
  gas.consumption = D("10");
  month.fuels = {gas};
  mrv::AluminiumResult r = Account(YearOf(month));
  EXPECT_EQ(r.fuel.rounded, D("216.5"));
  EXPECT_TRUE(Noted(r, "NCV of natural_gas"));
  EXPECT_TRUE(Noted(r, "carbon content of natural_gas"));
  EXPECT_TRUE(Noted(r, "oxidation rate of natural_gas"));
  month.fuels[0].oxidation_rate = D("0.995");
  r = Account(YearOf(month));
  EXPECT_EQ(r.fuel.rounded, D("217.59"));
  EXPECT_EQ(r.months[0].fuels[0].oxidation->basis, mrv::ValueBasis::kInput);
}

TEST(AluminiumTest, RefusesBadInput) {
  AluminiumMonth month = Smelted("-1");
  ExpectError(YearOf(month), "out_of_range", "months[0].liquid_aluminium_t");

  mrv::IndustryFuelUse gas;
  gas.fuel = "natural_gas";
  gas.consumption = D("10");
  gas.oxidation_rate = D("1.2");
  month = Smelted("1000");
  month.fuels = {gas};
  ExpectError(YearOf(month), "out_of_range", "months[0].fuels[0].oxidation_rate");

  gas.oxidation_rate.reset();
  gas.carbon_tc_per_gj = D("15.32");  // kgC/GJ, not tC/GJ
  gas.carbon_evidence = "LAB-7";
  month.fuels = {gas};
  ExpectError(YearOf(month), "out_of_range", "months[0].fuels[0].carbon_tc_per_gj");

  month = Smelted("1000");
  month.anode_sulfur_fraction = D("2");  // 2 %, written as a percentage
  ExpectError(YearOf(month), "out_of_range", "months[0].anode_sulfur_fraction");

  month = Smelted("1000");
  month.carbonates = {{"dolomite", D("5")}};
  ExpectError(YearOf(month), "unknown_material", "months[0].carbonates[0].material");

  AluminiumInput input = YearOf(Smelted("1000"));
  input.parameters.net_anode_t_per_t_al = D("411");  // kg per t
  ExpectError(input, "out_of_range", "parameters.net_anode_t_per_t_al");

  input = YearOf(Smelted("1000"));
  input.parameters.carbonate_ef_t_per_t["magnesite"] = D("0.5");
  ExpectError(input, "unknown_material", "parameters.carbonate_ef.magnesite");

  month = Smelted("1000");
  month.anode_effect_minutes = D("0.05");
  input = YearOf(month);
  input.parameters.ef_cf4_kg_per_t_al = D("0.03");
  ExpectError(input, "conflicting_fields", "months[0].anode_effect_minutes");

  input = YearOf(Smelted("1000"));
  input.months.erase(input.months.begin() + 5);  // June
  ExpectError(input, "missing_months", "months");
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

TEST(AluminiumCalculatorTest, RunsTheDocumentedExample) {
  const calc::Calculator& aluminium = Find("aluminium-emissions");
  EXPECT_EQ(aluminium.example_file, "docs/calc/aluminium-emissions.json");
  calc::Json input = ReadExample(aluminium.example_file);
  ASSERT_FALSE(input.is_discarded());
  Result<calc::Json> result = aluminium.run(input);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const calc::Json& out = result.value();
  // The figures worked out in docs/calc/industry.md.
  EXPECT_EQ(Num(out["total_t"]), D("827112.26"));
  EXPECT_EQ(Num(out["total_integer_t"]), D("827112"));
  EXPECT_EQ(Num(out["intensity_t_per_t_al"]), D("1.6418"));
  EXPECT_EQ(Num(out["sources"]["anode_t"]), D("741003.69"));
  EXPECT_EQ(Num(out["sources"]["anode_effect_t"]), D("51680.48"));
  EXPECT_EQ(Num(out["auxiliary"]["purchased_electricity_mwh"]), D("6811362.48"));
  EXPECT_EQ(out["months"][0]["anode_effect"]["method"], "emission_factors");
  EXPECT_EQ(out["months"][3]["anode_effect"]["method"], "anode_effect_minutes");
  EXPECT_EQ(Num(out["candidate_defaults"]["parameters"]["gwp_cf4"]["other_sets"][0]["value"]), D("6500"));
  EXPECT_FALSE(out["notes"].empty());
}

TEST(AluminiumCalculatorTest, RefusesUnknownParameters) {
  const calc::Calculator& aluminium = Find("aluminium-emissions");
  calc::Json input = ReadExample(aluminium.example_file);
  input["parameters"] = {{"gwp_sf6", 23500}};
  Result<calc::Json> result = aluminium.run(input);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), "unknown_field");
  EXPECT_EQ(result.status().field(), "parameters.gwp_sf6");

  input["parameters"] = {{"carbonate_ef", {{"soda_ash", "much"}}}};
  result = aluminium.run(input);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().field(), "parameters.carbonate_ef.soda_ash");
}

}  // namespace
}  // namespace greenloop
