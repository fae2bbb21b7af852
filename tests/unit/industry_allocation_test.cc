// The industrial sectors' allocation rules (2024–2025 plan, as in data/carbon/industry-plans.json):
// 2024 allowance = verified emissions (等量分配), no pre-allocation; 2025 pre-allocation = 70 % of
// the 2024 verified emissions, rounded down; the 2025 final allocation is not computable without
// the benchmarks. The figures are the plan's rule applied by hand.
#include <gtest/gtest.h>

#include "allocation/industry_allocation.h"
#include "calc/carbon_rules.h"

namespace greenloop::allocation {
namespace {

Decimal D(const char* text) { return *Decimal::Parse(text); }

TEST(IndustryAllocationTest, TwentyTwentyFourAllowanceIsTheVerifiedEmissionsInWholeTonnes) {
  Result<IndustryPlan> plan = calc::IndustryPlanFor(2024);
  ASSERT_TRUE(plan.ok());
  // Two facilities of one entity: 5,946,854.59 + 120.41 = 5,946,975.00 → 5,946,975
  Result<IndustryAllocationResult> r =
      AllocateIndustryFinal(plan.value(), {{"F1", "steel", D("5946854.59")}, {"F2", "steel", D("120.41")}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().verified_total_t, D("5946975"));
  EXPECT_EQ(r.value().allowance_t, 5'946'975);
  // Half up to the tonne, as the obligation: 1,355,370.50 → 1,355,371; .49 → down
  EXPECT_EQ(AllocateIndustryFinal(plan.value(), {{"F", "cement", D("1355370.5")}}).value().allowance_t, 1'355'371);
  EXPECT_EQ(AllocateIndustryFinal(plan.value(), {{"F", "cement", D("1355370.49")}}).value().allowance_t, 1'355'370);
  // The rounding is GreenLoop's reading, and the result says so.
  bool unconfirmed_noted = false;
  for (const std::string& note : r.value().notes) unconfirmed_noted |= note.find("[U]") != std::string::npos;
  EXPECT_TRUE(unconfirmed_noted);

  Result<IndustryAllocationResult> pre = AllocateIndustryPre(plan.value(), {{"F1", "steel", D("100")}});
  ASSERT_FALSE(pre.ok());
  EXPECT_EQ(pre.status().code(), "not_computable");
}

TEST(IndustryAllocationTest, TwentyTwentyFivePreAllocationIsSeventyPercentRoundedDown) {
  Result<IndustryPlan> plan = calc::IndustryPlanFor(2025);
  ASSERT_TRUE(plan.ok());
  // 0.70 × 5,946,854.59 = 4,162,798.213 → 4,162,798
  Result<IndustryAllocationResult> r = AllocateIndustryPre(plan.value(), {{"F1", "steel", D("5946854.59")}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().allowance_t, 4'162'798);
  // 0.70 × 1,000,000.99 = 700,000.693 → 700,000 (down, not half up)
  EXPECT_EQ(AllocateIndustryPre(plan.value(), {{"F", "cement", D("1000000.99")}}).value().allowance_t, 700'000);

  Result<IndustryAllocationResult> final_2025 = AllocateIndustryFinal(plan.value(), {{"F1", "steel", D("100")}});
  ASSERT_FALSE(final_2025.ok());
  EXPECT_EQ(final_2025.status().code(), "not_computable");
  EXPECT_NE(final_2025.status().message().find("benchmark"), std::string::npos);
}

TEST(IndustryAllocationTest, BadInputIsRefusedWithTheField) {
  Result<IndustryPlan> plan = calc::IndustryPlanFor(2024);
  ASSERT_TRUE(plan.ok());
  Result<IndustryAllocationResult> none = AllocateIndustryFinal(plan.value(), {});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().field(), "facilities");
  Result<IndustryAllocationResult> negative =
      AllocateIndustryFinal(plan.value(), {{"F1", "steel", D("10")}, {"F2", "steel", D("-1")}});
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.status().field(), "facilities[1].verified_t");
  Result<IndustryPlan> unknown = calc::IndustryPlanFor(2023);
  ASSERT_FALSE(unknown.ok());
  EXPECT_TRUE(unknown.status().IsNotFound());
}

}  // namespace
}  // namespace greenloop::allocation
