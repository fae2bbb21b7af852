// Worked examples of the 2023–2024 plan's carry-over rule (附5): T = 10,000 + 1.5 × net sales,
// capped by the holding, rounded down; entities late with 2023 or 2024 compliance are excluded.
#include <gtest/gtest.h>

#include "allocation/carry_over.h"

namespace greenloop::allocation {
namespace {

CarryOverRule Rule() { return CarryOverRule{"2023-2024", 10'000, *Decimal::Parse("1.5"), 2025, "P", "附5"}; }

TEST(CarryOverTest, BasePlusOneAndAHalfTimesNetSalesCappedByTheHolding) {
  // NS = 120,000 − 30,000 = 90,000; T = 10,000 + 135,000 = 145,000 ≤ 180,000 − 5,000
  Result<CarryOverResult> r = ComputeCarryOver({180'000, 5'000, 120'000, 30'000, true}, Rule());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().net_sales_t, 90'000);
  EXPECT_EQ(r.value().formula_t, 145'000);
  EXPECT_EQ(r.value().carry_over_t, 145'000);
  // Capped: holding 100,000 less 5,000 pending
  EXPECT_EQ(ComputeCarryOver({100'000, 5'000, 120'000, 30'000, true}, Rule()).value().carry_over_t, 95'000);
  // A net buyer keeps the base: NS is floored at 0
  EXPECT_EQ(ComputeCarryOver({50'000, 0, 10'000, 30'000, true}, Rule()).value().carry_over_t, 10'000);
  // Rounded down: NS = 3 → 10,000 + 4.5 = 10,004
  EXPECT_EQ(ComputeCarryOver({50'000, 0, 3, 0, true}, Rule()).value().carry_over_t, 10'004);
}

TEST(CarryOverTest, LateComplianceAndNegativeFiguresAreRefused) {
  Result<CarryOverResult> late = ComputeCarryOver({50'000, 0, 10, 0, false}, Rule());
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.status().code(), "not_eligible");
  Result<CarryOverResult> negative = ComputeCarryOver({-1, 0, 10, 0, true}, Rule());
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.status().field(), "holding_t");
}

}  // namespace
}  // namespace greenloop::allocation
