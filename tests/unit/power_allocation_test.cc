// Worked examples for the national power-sector allocation plans as shipped in
// data/carbon/power-plans.json. Benchmarks: 2023 I 0.7950, II 0.8090, IV 0.3305, heat coal
// 0.1038, gas 0.0536 (2023-2024 plan 附2); 2021 I 0.8218, heat coal 0.1111 [S]; 2025 (draft) I
// 0.7902. Each expected figure is derived by hand beside it.
#include <gtest/gtest.h>

#include "allocation/power_allocation.h"
#include "calc/carbon_rules.h"

namespace greenloop::allocation {
namespace {

Decimal D(const char* text) { return *Decimal::Parse(text); }

UnitAllocationInput Unit(const char* id, mrv::UnitFuelType type, const char* capacity_mw, const char* generation_mwh) {
  UnitAllocationInput u;
  u.unit.id = id;
  u.unit.fuel_type = type;
  u.unit.capacity_mw = D(capacity_mw);
  u.generation_mwh = D(generation_mwh);
  u.supply_mwh = D(generation_mwh);
  return u;
}

PowerPlan Plan(int year) {
  Result<PowerPlan> plan = calc::PowerPlanFor(year);
  EXPECT_TRUE(plan.ok()) << year;
  return plan.value();
}

bool HasNoteContaining(const PowerAllocationResult& r, const std::string& text) {
  for (const std::string& n : r.notes) {
    if (n.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(PowerAllocationTest, CategoriesFollowEachPlansThreshold) {
  mrv::GeneratingUnit unit;
  unit.capacity_mw = D("350");
  EXPECT_EQ(CategoryOf(unit, Plan(2023)), UnitCategory::kII);  // < 400 MW
  EXPECT_EQ(CategoryOf(unit, Plan(2021)), UnitCategory::kII);  // in the 300 MW class
  unit.capacity_mw = D("400");
  EXPECT_EQ(CategoryOf(unit, Plan(2023)), UnitCategory::kI);   // ≥ 400 MW
  unit.circulating_fluidized_bed = true;
  EXPECT_EQ(CategoryOf(unit, Plan(2023)), UnitCategory::kIII);
  unit.fuel_type = mrv::UnitFuelType::kGas;
  EXPECT_EQ(CategoryOf(unit, Plan(2023)), UnitCategory::kIV);
}

TEST(PowerAllocationTest, Plan2023CoalUnitWithPeakRegulationAndHeat) {
  PowerAllocationInput in;
  UnitAllocationInput u = Unit("#1", mrv::UnitFuelType::kCoalConventional, "600", "2950000");
  u.heat_supplied_gj = D("2500000");
  u.load_rate = D("0.5613");
  in.units.push_back(u);
  Result<PowerAllocationResult> r = AllocatePower(in, Plan(2023));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const UnitAllocation& a = r.value().units[0];
  EXPECT_EQ(a.category, UnitCategory::kI);
  // Ff = 1.015^(16 − 20 × 0.5613) = 1.015^4.774 = 1.0736652… → 1.073665 (6 decimals)
  ASSERT_EQ(a.factors.size(), 1u);
  EXPECT_EQ(a.factors[0].name, "peak_regulation");
  EXPECT_EQ(a.factors[0].value.ToShortString(), "1.073665");
  // Ae = 2,950,000 MWh generated × 0.7950 × 1.073665 = 2,518,012.84125
  EXPECT_EQ(a.electricity_allowance_t.ToShortString(), "2518012.84125");
  // Ah = 2,500,000 GJ × 0.1038 = 259,500
  EXPECT_EQ(a.heat_allowance_t.ToShortString(), "259500");
  // The plan states no rounding: the entity gets whole tonnes rounded down: 2,777,512
  EXPECT_EQ(r.value().final_allowance_t.ToShortString(), "2777512");
  EXPECT_TRUE(HasNoteContaining(r.value(), "states no rounding"));
  // Without verified emissions the 80 % gap cap cannot be checked: an estimate, said so.
  EXPECT_TRUE(r.value().provisional);
}

TEST(PowerAllocationTest, Plan2023GasUnitIsToppedUpToItsVerifiedEmissions) {
  PowerAllocationInput in;
  UnitAllocationInput u = Unit("#3", mrv::UnitFuelType::kGas, "200", "310000");
  u.heat_supplied_gj = D("150000");
  u.verified_emissions_t = D("120500.5");
  in.units.push_back(u);
  Result<PowerAllocationResult> r = AllocatePower(in, Plan(2023));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const UnitAllocation& a = r.value().units[0];
  EXPECT_TRUE(a.factors.empty());  // gas units carry no peak-regulation factor
  // 310,000 × 0.3305 = 102,455; 150,000 × 0.0536 = 8,040; together 110,495 < 120,500.5
  EXPECT_EQ(a.initial_allowance_t.ToShortString(), "110495");
  EXPECT_EQ(a.gas_topup_t.ToShortString(), "10005.5");
  EXPECT_EQ(a.final_allowance_t.ToShortString(), "120500.5");
}

TEST(PowerAllocationTest, Plan2023GapCapPreAllocationAndTrueUp) {
  PowerAllocationInput in;
  UnitAllocationInput u = Unit("#2", mrv::UnitFuelType::kCoalConventional, "300", "1000000");
  u.load_rate = D("0.70");  // ≥ 65 %: Ff = 1, a row the copy of the plan does not show [U]
  u.verified_emissions_t = D("1100000");
  u.previous_verified_emissions_t = D("1000000");
  in.units.push_back(u);
  Result<PowerAllocationResult> r = AllocatePower(in, Plan(2023));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // Ae = 1,000,000 × 0.8090 × 1 = 809,000 < 80 % × 1,100,000 = 880,000: topped up by 71,000
  EXPECT_EQ(r.value().initial_allowance_t.ToShortString(), "809000");
  EXPECT_EQ(r.value().gap_cap_topup_t.ToShortString(), "71000");
  EXPECT_EQ(r.value().final_allowance_t.ToShortString(), "880000");
  // gap rate = (1,100,000 − 880,000) / 1,100,000 = 20.00 %
  EXPECT_EQ(r.value().gap_rate_percent->ToString(2), "20.00");
  // pre-allocation = 70 % × 1,000,000 = 700,000; true-up (多退少补) = 880,000 − 700,000
  EXPECT_EQ(r.value().pre_allocation_t->ToShortString(), "700000");
  EXPECT_EQ(r.value().true_up_t->ToShortString(), "180000");
  EXPECT_EQ(r.value().units[0].factors[0].tag, "U");
  EXPECT_TRUE(HasNoteContaining(r.value(), "unconfirmed [U]"));
}

TEST(PowerAllocationTest, TrueUpClawsBackWhenMoreWasPreAllocated) {
  PowerAllocationInput in;
  UnitAllocationInput u = Unit("#2", mrv::UnitFuelType::kCoalConventional, "300", "1000000");
  u.load_rate = D("0.70");
  u.verified_emissions_t = D("800000");
  in.units.push_back(u);
  in.pre_allocation_issued_t = D("850000");
  Result<PowerAllocationResult> r = AllocatePower(in, Plan(2023));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // 809,000 ≥ 80 % × 800,000, so no top-up; 809,000 − 850,000 = −41,000 is clawed back
  EXPECT_EQ(r.value().final_allowance_t.ToShortString(), "809000");
  EXPECT_EQ(r.value().true_up_t->ToShortString(), "-41000");
}

TEST(PowerAllocationTest, Draft2025RoundsDownAsTheDraftSays) {
  PowerAllocationInput in;
  UnitAllocationInput u = Unit("#1", mrv::UnitFuelType::kCoalConventional, "600", "1234567.891");
  u.load_rate = D("0.30");
  u.previous_verified_emissions_t = D("3579.4");
  in.units.push_back(u);
  Result<PowerAllocationResult> r = AllocatePower(in, Plan(2025));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r.value().draft);
  // Ff(30 %) = 7.254 − 0.633 (1 − e^(−30/29.822)) − 5.643 (1 − e^(−30/6.871)) = 1.2811463… → 1.281146
  EXPECT_EQ(r.value().units[0].factors[0].value.ToShortString(), "1.281146");
  // Ae = 1,234,567.891 × 0.7902 × 1.281146 = 1,249,829.087… rounded down to 1,249,829
  EXPECT_EQ(r.value().units[0].electricity_allowance_t.ToShortString(), "1249829");
  // Pre-allocation 50 % × 3,579.4 = 1,789.70 → 1,789 (the draft's own example)
  EXPECT_EQ(r.value().pre_allocation_t->ToShortString(), "1789");
  EXPECT_TRUE(HasNoteContaining(r.value(), "draft"));
}

TEST(PowerAllocationTest, Plan2021UsesSupplyAndTheThreeCorrectionFactors) {
  PowerAllocationInput in;
  UnitAllocationInput u = Unit("#1", mrv::UnitFuelType::kCoalConventional, "600", "950000");
  u.supply_mwh = D("900000");
  u.unit.cooling = mrv::CoolingMethod::kAir;
  u.unit.supplies_heat = true;
  u.heat_supplied_gj = D("100000");
  u.heat_ratio = D("0.1");
  u.load_rate = D("0.78");
  in.units.push_back(u);
  Result<PowerAllocationResult> r = AllocatePower(in, Plan(2021));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const UnitAllocation& a = r.value().units[0];
  EXPECT_EQ(a.output_mwh.ToShortString(), "900000");  // power supplied, not generated
  ASSERT_EQ(a.factors.size(), 3u);
  EXPECT_EQ(a.factors[0].value.ToShortString(), "1.05");    // air-cooled
  EXPECT_EQ(a.factors[1].value.ToShortString(), "0.978");   // 1 − 0.22 × 0.1
  EXPECT_EQ(a.factors[2].value.ToShortString(), "1.0102");  // 1.007 + 0.0016 × (80 − 78)
  // Ae = 900,000 × 0.8218 × 1.05 × 0.978 × 1.0102 = 767,262.8389356; Ah = 100,000 × 0.1111
  EXPECT_EQ(a.electricity_allowance_t.ToShortString(), "767262.838936");
  EXPECT_EQ(a.heat_allowance_t.ToShortString(), "11110");
  EXPECT_EQ(r.value().final_allowance_t.ToShortString(), "778372");
  EXPECT_TRUE(HasNoteContaining(r.value(), "secondary source"));
}

TEST(PowerAllocationTest, MissingOrImpossibleInputsAreRefusedNamingTheField) {
  PowerAllocationInput no_load;
  no_load.units.push_back(Unit("#1", mrv::UnitFuelType::kCoalConventional, "600", "1000000"));
  Result<PowerAllocationResult> r = AllocatePower(no_load, Plan(2023));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "missing_field");
  EXPECT_EQ(r.status().field(), "units[0].load_rate");

  PowerAllocationInput kwh;
  kwh.units.push_back(Unit("#1", mrv::UnitFuelType::kCoalConventional, "600", "3000000000"));
  kwh.units[0].load_rate = D("0.5");
  r = AllocatePower(kwh, Plan(2023));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "units[0].generation_mwh");

  PowerAllocationInput percent;
  percent.units.push_back(Unit("#1", mrv::UnitFuelType::kCoalConventional, "600", "1000000"));
  percent.units[0].load_rate = D("56");
  r = AllocatePower(percent, Plan(2023));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "units[0].load_rate");

  PowerAllocationInput gas;
  gas.units.push_back(Unit("#1", mrv::UnitFuelType::kGas, "200", "100000"));
  r = AllocatePower(gas, Plan(2023));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "units[0].verified_emissions_t");

  EXPECT_FALSE(calc::PowerPlanFor(2018).ok());
  EXPECT_EQ(calc::PowerPlanFor(2018).status().field(), "plan_year");
}

}  // namespace
}  // namespace greenloop::allocation
