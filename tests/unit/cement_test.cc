// Goal: the cement engine computes fuel combustion (with oxidation) and process emissions
// (clinker × clinker-type EF − alternative raw materials × deduction factors) per line and month,
// takes the unconfirmed [U] defaults of data/carbon/cement-factors.json, lets the input replace
// them, lists every [U] default used, and refuses bad input — a negative process figure above all —
// naming the field. Method: hand-computed examples (arithmetic in the comments), bad inputs
// asserted by error code and field path, and the documented example run through the
// cement-emissions calculator.
#include "mrv/cement.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "calc/industry_calculators.h"

namespace greenloop {
namespace {

using mrv::CementInput;
using mrv::CementMonth;

Decimal D(const char* text) {
  auto d = Decimal::Parse(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d.value_or(Decimal());
}

const mrv::CementRules& Rules() { return calc::CementRulesFromData(); }

mrv::IndustryFuelUse Fuel(const char* code, const char* consumption) {
  mrv::IndustryFuelUse use;
  use.fuel = code;
  use.consumption = D(consumption);
  return use;
}

// Line L1 (Portland clinker); its first month is `first`, the other eleven produce nothing.
CementInput YearOf(const CementMonth& first) {
  CementInput input;
  input.data_year = 2024;
  input.lines = {{"L1", "5000 t/d", "portland"}};
  input.months.push_back(first);
  input.months.back().line_id = "L1";
  input.months.back().month = 1;
  for (int m = 2; m <= 12; ++m) {
    CementMonth empty;
    empty.line_id = "L1";
    empty.month = m;
    input.months.push_back(empty);
  }
  return input;
}

CementMonth Kiln(const char* clinker_t) {
  CementMonth month;
  month.clinker_t = D(clinker_t);
  return month;
}

mrv::CementResult Account(const CementInput& input) {
  auto result = mrv::AccountCementEmissions(input, Rules());
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? result.value() : mrv::CementResult{};
}

void ExpectError(const CementInput& input, const std::string& code, const std::string& field) {
  auto result = mrv::AccountCementEmissions(input, Rules());
  ASSERT_FALSE(result.ok()) << "expected " << code << " at " << field;
  EXPECT_EQ(result.status().code(), code) << result.status().ToString();
  EXPECT_EQ(result.status().field(), field) << result.status().ToString();
}

bool Noted(const mrv::CementResult& r, const std::string& what) {
  return std::any_of(r.notes.begin(), r.notes.end(), [&what](const std::string& n) {
    return n.rfind("default [U] used: " + what + " =", 0) == 0;
  });
}

TEST(CementTest, DataHoldsTheUnconfirmedDefaults) {
  EXPECT_EQ(Rules().clinker_types.at("portland").process_ef_t_per_t.value, D("0.535"));
  EXPECT_EQ(Rules().clinker_types.at("white_portland").process_ef_t_per_t.value, D("0.55"));
  EXPECT_EQ(Rules().clinker_types.at("sulfoaluminate").process_ef_t_per_t.value, D("0.413"));
  EXPECT_EQ(Rules().clinker_types.at("aluminate").process_ef_t_per_t.value, D("0.292"));
  EXPECT_EQ(Rules().clinker_types.at("portland").process_ef_t_per_t.tag, "U");
  EXPECT_EQ(Rules().alternative_materials.at("carbide_slag").deduction_t_per_t.value, D("0.48"));
  EXPECT_EQ(Rules().alternative_materials.at("slaked_lime").deduction_t_per_t.value, D("0.6"));
  EXPECT_EQ(Rules().alternative_materials.at("red_mud").deduction_t_per_t.value, D("0.055"));
  EXPECT_EQ(Rules().alternative_materials.size(), 30u);
}

TEST(CementTest, WorkedExample) {
  // Process: 10 000 t Portland clinker × 0.535 = 5350
  //          − carbide slag 500 × 0.480 = 240 − steel slag 200 × 0.215 = 43  → 5067
  // Fuel:    bituminous 1500 t × 23.736 × 0.02618 × 0.99 × 44/12
  //          = 35 604 GJ × 0.02618 = 932.11272 tC × 0.99 = 922.7915928 × 44/12 = 3383.5691736
  // Total:   8450.5691736 → 8450.57, summary 8451, intensity 0.8451 tCO2/t clinker
  CementMonth month = Kiln("10000");
  month.alternative_materials = {{"carbide_slag", D("500")}, {"steel_slag", D("200")}};
  month.fuels = {Fuel("bituminous", "1500")};
  mrv::CementResult r = Account(YearOf(month));
  EXPECT_EQ(r.clinker_gross.rounded, D("5350"));
  EXPECT_EQ(r.deduction.rounded, D("283"));
  EXPECT_EQ(r.process.rounded, D("5067"));
  EXPECT_EQ(r.fuel.rounded, D("3383.57"));
  EXPECT_EQ(r.total.rounded, D("8450.57"));
  EXPECT_EQ(r.total_integer_t, D("8451"));
  EXPECT_EQ(r.intensity_t_per_t, D("0.8451"));
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].process_intensity_t_per_t, D("0.5067"));
  EXPECT_TRUE(Noted(r, "process EF of portland clinker"));
  EXPECT_TRUE(Noted(r, "deduction factor of carbide_slag"));
  EXPECT_TRUE(Noted(r, "oxidation rate of bituminous"));
  EXPECT_TRUE(Noted(r, "NCV of bituminous"));
}

TEST(CementTest, InputReplacesTheDefaults) {
  // clinker EF 0.52 and carbide slag 0.45 given:
  //   10 000 × 0.52 = 5200 − (500 × 0.45 = 225 + 200 × 0.215 = 43) = 4932
  // and a measured NCV 22.5 with oxidation 0.98 for 1500 t bituminous:
  //   1500 × 22.5 × 0.02618 × 0.98 × 44/12 = 883.575 × 0.98 = 865.9035 × 44/12 = 3174.9795 → 3174.98
  CementMonth month = Kiln("10000");
  month.alternative_materials = {{"carbide_slag", D("500")}, {"steel_slag", D("200")}};
  month.fuels = {Fuel("bituminous", "1500")};
  month.fuels[0].ncv = D("22.5");
  month.fuels[0].ncv_evidence = "YS-2024-01";
  month.fuels[0].oxidation_rate = D("0.98");
  CementInput input = YearOf(month);
  input.parameters.clinker_process_ef_t_per_t["portland"] = D("0.52");
  input.parameters.deduction_t_per_t["carbide_slag"] = D("0.45");
  mrv::CementResult r = Account(input);
  EXPECT_EQ(r.process.rounded, D("4932"));
  EXPECT_EQ(r.fuel.rounded, D("3174.98"));
  EXPECT_EQ(r.months[0].process_ef_t_per_t.basis, mrv::ValueBasis::kInput);
  EXPECT_FALSE(Noted(r, "process EF of portland clinker"));
  EXPECT_FALSE(Noted(r, "deduction factor of carbide_slag"));
  EXPECT_TRUE(Noted(r, "deduction factor of steel_slag"));
  EXPECT_FALSE(Noted(r, "NCV of bituminous"));
}

TEST(CementTest, LinesOfDifferentClinkerSumToTheEnterprise) {
  // L1 Portland 1000 t × 0.535 = 535; L2 white 1000 t × 0.550 = 550 → 1085.
  CementInput input = YearOf(Kiln("1000"));
  input.lines.push_back({"L2", "white", "white_portland"});
  for (int m = 1; m <= 12; ++m) {
    CementMonth month = Kiln(m == 1 ? "1000" : "0");
    month.line_id = "L2";
    month.month = m;
    input.months.push_back(month);
  }
  mrv::CementResult r = Account(input);
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0].process.rounded, D("535"));
  EXPECT_EQ(r.lines[1].process.rounded, D("550"));
  EXPECT_EQ(r.process.rounded, D("1085"));
  EXPECT_EQ(r.clinker_t, D("2000"));
  EXPECT_EQ(r.intensity_t_per_t, D("0.5425"));
}

TEST(CementTest, RefusesANegativeProcessFigureInsteadOfFlooringIt) {
  // 100 t × 0.535 = 53.5 < 500 t carbide slag × 0.48 = 240: a unit mistake, not a real line.
  CementMonth month = Kiln("100");
  month.alternative_materials = {{"carbide_slag", D("500")}};
  ExpectError(YearOf(month), "negative_process_emissions", "months[0].alternative_materials");
}

TEST(CementTest, RefusesBadInput) {
  CementMonth month = Kiln("1000");
  month.alternative_materials = {{"limestone", D("10")}};  // a carbonate, not an alternative
  ExpectError(YearOf(month), "unknown_material", "months[0].alternative_materials[0].material");

  month = Kiln("1000");
  month.fuels = {Fuel("bituminous", "100")};
  month.fuels[0].oxidation_rate = D("1.01");
  ExpectError(YearOf(month), "out_of_range", "months[0].fuels[0].oxidation_rate");

  month.fuels[0].oxidation_rate.reset();
  month.fuels[0].ncv = D("5600");  // kcal/kg
  month.fuels[0].ncv_evidence = "YS-1";
  ExpectError(YearOf(month), "out_of_range", "months[0].fuels[0].ncv");

  ExpectError(YearOf(Kiln("-1")), "out_of_range", "months[0].clinker_t");

  CementInput input = YearOf(Kiln("1000"));
  input.lines[0].clinker_type = "magnesia";
  ExpectError(input, "unknown_clinker_type", "lines[0].clinker_type");

  input = YearOf(Kiln("1000"));
  input.months[3].line_id = "L9";
  ExpectError(input, "unknown_line", "months[3].line_id");

  input = YearOf(Kiln("1000"));
  input.months.pop_back();
  ExpectError(input, "missing_months", "months");

  input = YearOf(Kiln("1000"));
  input.parameters.clinker_process_ef_t_per_t["portland"] = D("535");  // kg/t
  ExpectError(input, "out_of_range", "parameters.clinker_process_ef.portland");

  input = YearOf(Kiln("1000"));
  input.parameters.deduction_t_per_t["sand"] = D("0.1");
  ExpectError(input, "unknown_material", "parameters.deduction_factors.sand");
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

TEST(CementCalculatorTest, RunsTheDocumentedExample) {
  const calc::Calculator& cement = Find("cement-emissions");
  EXPECT_EQ(cement.example_file, "docs/calc/cement-emissions.json");
  calc::Json input = ReadExample(cement.example_file);
  ASSERT_FALSE(input.is_discarded());
  Result<calc::Json> result = cement.run(input);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const calc::Json& out = result.value();
  // The figures worked out in docs/calc/industry.md.
  EXPECT_EQ(Num(out["total_t"]), D("1355370.35"));
  EXPECT_EQ(Num(out["total_integer_t"]), D("1355370"));
  EXPECT_EQ(Num(out["intensity_t_per_t_clinker"]), D("0.7756"));
  EXPECT_EQ(Num(out["lines"][0]["total_t"]), D("1137940.99"));
  EXPECT_EQ(Num(out["lines"][1]["total_t"]), D("217429.37"));
  EXPECT_EQ(Num(out["lines"][0]["process_intensity_t_per_t_clinker"]), D("0.4981"));
  EXPECT_EQ(out["months"][4]["process_ef_t_per_t"]["tag"], "U");
}

TEST(CementCalculatorTest, NamesTheFieldOfANegativeProcessFigure) {
  const calc::Calculator& cement = Find("cement-emissions");
  calc::Json input = ReadExample(cement.example_file);
  input["months"][6]["alternative_materials"][0]["quantity_t"] = 900000;  // kg entered as t
  Result<calc::Json> result = cement.run(input);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), "negative_process_emissions");
  EXPECT_EQ(result.status().field(), "months[6].alternative_materials");
}

}  // namespace
}  // namespace greenloop
