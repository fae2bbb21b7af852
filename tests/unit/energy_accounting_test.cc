// Worked examples of GB/T 2589-2020 comprehensive energy consumption with the coefficients of
// data/energy/carriers.json (the reference table reproduced in ../shared/reference/green-rights.md
// §1.2), and the unit conversions of energy/physical_units.h that statistics forms need.
#include <gtest/gtest.h>

#include "calc/energy_rules.h"
#include "energy/energy_accounting.h"
#include "energy/physical_units.h"

namespace greenloop::energy {
namespace {

Decimal D(const char* text) { return *Decimal::Parse(text); }
std::string Tce(const Exact& e) { return e.Round(kTceDecimals, Rounding::kHalfUp)->ToShortString(); }

EnergyItem Item(const char* carrier, const char* quantity, const char* unit, EnergyUse use = EnergyUse::kProduction) {
  EnergyItem item;
  item.carrier = carrier;
  item.quantity = D(quantity);
  item.unit = unit;
  item.use = use;
  return item;
}

Result<AccountingResult> OneMonth(std::vector<EnergyItem> items, std::optional<Decimal> equal = D("0.3")) {
  AccountingInput input;
  input.year = 2025;
  input.electricity_equal_kgce_per_kwh = equal;
  input.months.push_back(EnergyMonth{3, std::move(items)});
  return AccountEnergy(input, calc::EnergyCarriersData());
}

std::string Comprehensive(std::vector<EnergyItem> items) {
  Result<AccountingResult> r = OneMonth(std::move(items));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? Tce(r.value().year_totals.comprehensive_tce) : "";
}

TEST(PhysicalUnitsTest, ConvertsStatisticsUnitsToTheBaseUnit) {
  EXPECT_EQ(ToBase(D("1"), "10^4 kWh", Dimension::kElectricity, "q").value(), Exact::OfInt(10'000));
  EXPECT_EQ(ToBase(D("1"), "万千瓦时", Dimension::kElectricity, "q").value(), Exact::OfInt(10'000));
  EXPECT_EQ(ToBase(D("2.5"), "亿千瓦时", Dimension::kElectricity, "q").value(), Exact::OfInt(250'000'000));
  EXPECT_EQ(ToBase(D("1500"), "kg", Dimension::kMass, "q").value(), Exact::Of(D("1.5")));
  EXPECT_EQ(ToBase(D("3"), "万吨", Dimension::kMass, "q").value(), Exact::OfInt(30'000));
  EXPECT_EQ(ToBase(D("7"), "m³", Dimension::kVolume, "q").value(), Exact::OfInt(7));
  EXPECT_EQ(ToBase(D("1.2"), "亿元", Dimension::kMoney, "gdp").value(), Exact::OfInt(12'000));  // 10^4 yuan
  EXPECT_EQ(ToBase(D("500"), "MJ", Dimension::kHeat, "q").value(), Exact::Of(D("0.5")));
}

TEST(PhysicalUnitsTest, RefusesUnknownUnitsAndUnitsOfAnotherDimension) {
  Result<Exact> wrong = ToBase(D("1"), "t", Dimension::kElectricity, "months[0].items[2].unit");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), "invalid_unit");
  EXPECT_EQ(wrong.status().field(), "months[0].items[2].unit");
  EXPECT_NE(wrong.status().message().find("10^4 kWh"), std::string::npos) << wrong.status().message();
  Result<Exact> unknown = ToBase(D("1"), "kwh", Dimension::kElectricity, "unit");  // case matters: kWh
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), "invalid_unit");
}

TEST(EnergyAccountingTest, TableCoefficientsGiveTheTableFigures) {
  // 1,000 t raw coal × 0.7143 kgce/kg = 714.3 tce.
  EXPECT_EQ(Comprehensive({Item("raw_coal", "1000", "t")}), "714.3");
  // 10^4 kWh × 0.1229 kgce/kWh = 1,229 kgce = 1.229 tce (equivalent value).
  EXPECT_EQ(Comprehensive({Item("electricity", "1", "10^4 kWh")}), "1.229");
  EXPECT_EQ(Comprehensive({Item("electricity", "10000", "kWh")}), "1.229");
  // Gas-field natural gas 10^4 m3 × 1.2143 kgce/m3 = 12.143 tce (statistics tables: 12.1430 tce per 10^4 m3).
  EXPECT_EQ(Comprehensive({Item("natural_gas_gas_field", "1", "10^4 m3")}), "12.143");
  EXPECT_EQ(Comprehensive({Item("natural_gas_oil_field", "1", "10^4 m3")}), "13.3");
  // Heat at 0.03412 kgce/MJ: 1,000 GJ = 34.12 tce.
  EXPECT_EQ(Comprehensive({Item("heat", "1000", "GJ")}), "34.12");
}

TEST(EnergyAccountingTest, ElectricityAtTheEqualValueOfTheYear) {
  Result<AccountingResult> r = OneMonth({Item("electricity", "100", "10^4 kWh")}, D("0.3055"));
  ASSERT_TRUE(r.ok());
  // 10^6 kWh × 0.1229 = 122.9 tce (当量值); × 0.3055 = 305.5 tce (等价值).
  EXPECT_EQ(Tce(r.value().year_totals.comprehensive_tce), "122.9");
  EXPECT_EQ(Tce(r.value().year_totals.comprehensive_equal_tce), "305.5");
  Result<AccountingResult> missing = OneMonth({Item("electricity", "1", "kWh")}, std::nullopt);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().field(), "electricity_equal_kgce_per_kwh");
  Result<AccountingResult> grams = OneMonth({Item("electricity", "1", "kWh")}, D("305.5"));  // gce/kWh by mistake
  ASSERT_FALSE(grams.ok());
  EXPECT_EQ(grams.status().code(), "out_of_range");
}

TEST(EnergyAccountingTest, AnEnterpriseMonthCountsProductionSubtractsSuppliedOutAndLeavesOutLiving) {
  EnergyItem pv = Item("electricity", "50", "10^4 kWh");
  pv.renewable = true;
  Result<AccountingResult> r = OneMonth({
      Item("raw_coal", "2", "10^4 t"),                                    // 14,286 tce
      Item("natural_gas_gas_field", "300", "10^4 m3", EnergyUse::kFeedstock),  // 3,642.9 tce
      Item("electricity", "800", "10^4 kWh"),                             // 983.2 tce (2,400 at 0.3)
      pv,                                                                 // 61.45 tce (150 at 0.3)
      Item("electricity", "10", "10^4 kWh", EnergyUse::kResidential),     // 12.29 tce, not counted
      Item("heat", "20000", "GJ", EnergyUse::kSuppliedOut),               // 682.4 tce subtracted
  });
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const EnergyTotals& t = r.value().year_totals;
  EXPECT_EQ(Tce(t.consumed_tce), "18973.55");  // 14,286 + 3,642.9 + 983.2 + 61.45
  EXPECT_EQ(Tce(t.comprehensive_tce), "18291.15");  // − 682.4
  EXPECT_EQ(Tce(t.comprehensive_equal_tce), "19796.5");  // 14,286 + 3,642.9 + 2,400 + 150 − 682.4
  EXPECT_EQ(Tce(t.feedstock_tce), "3642.9");
  EXPECT_EQ(Tce(t.renewable_tce), "61.45");
  EXPECT_EQ(Tce(t.not_counted_tce), "12.29");
  EXPECT_EQ(Tce(t.supplied_out_tce), "682.4");
}

TEST(EnergyAccountingTest, MeasuredHeatValueGivesTheCoefficient) {
  // 4,200 kcal/m3 ÷ 7,000 = 0.6 kgce/m3; 5,000 kcal/kg ÷ 7,000 = 0.714285… → 0.7143 (the table's raw coal).
  EXPECT_EQ(CoefficientFromHeatValue(D("4200")), D("0.6"));
  EXPECT_EQ(CoefficientFromHeatValue(D("5000")), D("0.7143"));
  EnergyItem gas = Item("coke_oven_gas", "100", "10^4 m3");
  gas.measured_kcal_per_unit = D("4200");
  EXPECT_EQ(Comprehensive({gas}), "600");
  EnergyItem coal = Item("raw_coal", "1000", "t");
  coal.measured_kcal_per_unit = D("5500");  // 0.7857
  Result<AccountingResult> r = OneMonth({coal});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().months[0].items[0].measured);
  EXPECT_EQ(Tce(r.value().year_totals.comprehensive_tce), "785.7");
}

TEST(EnergyAccountingTest, AmbiguousOrVariableCarriersAreNeverDefaulted) {
  Result<AccountingResult> gas = OneMonth({Item("natural_gas", "1", "m3")});
  ASSERT_FALSE(gas.ok());
  EXPECT_EQ(gas.status().code(), "ambiguous_carrier");
  EXPECT_EQ(gas.status().field(), "months[0].items[0].carrier");
  EXPECT_NE(gas.status().message().find("natural_gas_gas_field"), std::string::npos);
  EXPECT_NE(gas.status().message().find("natural_gas_oil_field"), std::string::npos);
  Result<AccountingResult> slime = OneMonth({Item("coal_slime", "1", "t")});
  ASSERT_FALSE(slime.ok());
  EXPECT_EQ(slime.status().field(), "months[0].items[0].measured_kcal_per_unit");
  Result<AccountingResult> unknown = OneMonth({Item("natural_gass", "1", "m3")});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), "unknown_carrier");
  EXPECT_NE(unknown.status().message().find("natural_gas_gas_field"), std::string::npos);
}

TEST(EnergyAccountingTest, BadInputIsRefusedWithItsField) {
  Result<AccountingResult> negative = OneMonth({Item("diesel", "-3", "t")});
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.status().field(), "months[0].items[0].quantity");
  Result<AccountingResult> wrong_unit = OneMonth({Item("diesel", "3", "kWh")});
  ASSERT_FALSE(wrong_unit.ok());
  EXPECT_EQ(wrong_unit.status().code(), "invalid_unit");
  EXPECT_EQ(wrong_unit.status().field(), "months[0].items[0].unit");
  EnergyItem coal = Item("raw_coal", "1", "t");
  coal.renewable = true;
  EXPECT_EQ(OneMonth({coal}).status().field(), "months[0].items[0].renewable");
  AccountingInput twice;
  twice.year = 2025;
  twice.months = {EnergyMonth{4, {Item("diesel", "1", "t")}}, EnergyMonth{4, {Item("diesel", "1", "t")}}};
  Result<AccountingResult> dup = AccountEnergy(twice, calc::EnergyCarriersData());
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), "duplicate");
  EXPECT_EQ(dup.status().field(), "months[1].month");
}

TEST(EnergyAccountingTest, TheYearIsTheExactSumOfItsMonthsRoundedOnce) {
  AccountingInput input;
  input.year = 2025;
  // Each month 1 kg of diesel = 1.4571 kgce = 0.0014571 tce, 0.0015 rounded; the year of 3 months
  // is 0.0043713 → 0.0044, not 3 × 0.0015 = 0.0045.
  for (int m = 1; m <= 3; ++m) input.months.push_back(EnergyMonth{m, {Item("diesel", "1", "kg")}});
  Result<AccountingResult> r = AccountEnergy(input, calc::EnergyCarriersData());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Tce(r.value().months[0].totals.comprehensive_tce), "0.0015");
  EXPECT_EQ(Tce(r.value().year_totals.comprehensive_tce), "0.0044");
}

}  // namespace
}  // namespace greenloop::energy
