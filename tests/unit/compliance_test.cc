// Worked examples of the compliance rules shipped in data/carbon/compliance-rules.json:
// CCER ≤ 5 % of the obligation (2021 Measures Art 29), eligible vintages (2023-2024 plan 附5),
// penalties under the 2021 Measures Art 40 (20,000–30,000 yuan) and the 2024 Regulations Art 24
// (5–10 × the average price of the month before the deadline × the shortfall).
#include <gtest/gtest.h>

#include "calc/carbon_rules.h"
#include "compliance/compliance.h"

namespace greenloop::compliance {
namespace {

ComplianceRules Rules(int year) {
  Result<ComplianceRules> r = calc::ComplianceRulesFor(year);
  EXPECT_TRUE(r.ok()) << year;
  return r.value();
}

SurrenderRequest Cea(int vintage, quantity_t q) { return SurrenderRequest{"CEA", vintage, false, q}; }
SurrenderRequest Ccer(quantity_t q, bool in_ets = false) { return SurrenderRequest{"CCER", std::nullopt, in_ets, q}; }

TEST(ComplianceTest, ObligationIsTheVerifiedFigureInWholeTonnes) {
  EXPECT_EQ(ObligationTonnes(*Decimal::Parse("51373.25")), 51373);
  EXPECT_EQ(ObligationTonnes(*Decimal::Parse("51373.50")), 51374);  // 四舍五入
  // 5 % of 4,517,592 = 225,879.6 → at most 225,879 t of CCER
  EXPECT_EQ(CcerCapTonnes(4'517'592, Rules(2024)), 225'879);
}

TEST(ComplianceTest, VintagesOffsetsAndAmountsAreChecked) {
  const ComplianceRules r2024 = Rules(2024);
  Surrendered none;
  EXPECT_TRUE(CheckSurrender(100'000, none, Cea(2024, 60'000), r2024).ok());
  EXPECT_TRUE(CheckSurrender(100'000, none, Cea(2019, 60'000), r2024).ok());
  Status future = CheckSurrender(100'000, none, Cea(2025, 10), r2024);
  EXPECT_EQ(future.code(), "ineligible_vintage");
  EXPECT_EQ(future.field(), "instrument");
  // From 2025 the 2019–2024 allowances no longer settle emissions.
  EXPECT_EQ(CheckSurrender(100'000, none, Cea(2024, 10), Rules(2025)).code(), "ineligible_vintage");
  EXPECT_TRUE(CheckSurrender(100'000, none, Ccer(5'000), r2024).ok());
  Status too_much_ccer = CheckSurrender(100'000, Surrendered{90'000, 4'000}, Ccer(1'001), r2024);
  EXPECT_EQ(too_much_ccer.code(), "ccer_limit_exceeded");
  EXPECT_EQ(too_much_ccer.field(), "quantity");
  EXPECT_EQ(CheckSurrender(100'000, none, Ccer(10, true), r2024).code(), "ineligible_offset");
  EXPECT_EQ(CheckSurrender(100'000, Surrendered{99'000, 0}, Cea(2024, 1'001), r2024).code(), "over_surrender");
  EXPECT_EQ(CheckSurrender(100'000, Surrendered{100'000, 0}, Cea(2024, 1), r2024).code(), "nothing_owed");
  EXPECT_EQ(CheckSurrender(100'000, none, Cea(2024, 0), r2024).code(), "invalid_quantity");
  EXPECT_EQ(CheckSurrender(100'000, none, SurrenderRequest{"GEC", std::nullopt, false, 5}, r2024).code(),
            "ineligible_instrument");
}

TEST(ComplianceTest, StandingTurnsOverdueAfterTheDeadline) {
  const ComplianceRules r = Rules(2024);  // deadline 2025-12-31
  EXPECT_EQ(StandingOf(100, Surrendered{60, 0}, r, "2025-12-31"), Standing::kOpen);
  EXPECT_EQ(StandingOf(100, Surrendered{60, 0}, r, "2026-01-01"), Standing::kOverdue);
  EXPECT_EQ(StandingOf(100, Surrendered{95, 5}, r, "2026-01-01"), Standing::kCompliant);
}

TEST(ComplianceTest, PenaltiesFollowTheRulesInForceAtTheDeadline) {
  // 2022 (deadline 2023-12-31): the 2021 Measures, a fine of 20,000–30,000 yuan and the shortfall
  // deducted from the next allocation.
  Result<PenaltyRange> measures = PenaltyFor(1'234, Rules(2022), std::nullopt);
  ASSERT_TRUE(measures.ok());
  EXPECT_EQ(measures.value().min_fen, 2'000'000);
  EXPECT_EQ(measures.value().max_fen, 3'000'000);
  EXPECT_EQ(measures.value().deduction_t, 1'234);
  // 2024 (deadline 2025-12-31): the 2024 Regulations, 5–10 × 92.37 yuan × 67,592 t =
  // 31,217,365.20 – 62,434,730.40 yuan.
  Result<PenaltyRange> regulations = PenaltyFor(67'592, Rules(2024), 9'237);
  ASSERT_TRUE(regulations.ok());
  EXPECT_EQ(regulations.value().min_fen, 3'121'736'520);
  EXPECT_EQ(regulations.value().max_fen, 6'243'473'040);
  Result<PenaltyRange> no_price = PenaltyFor(10, Rules(2024), std::nullopt);
  ASSERT_FALSE(no_price.ok());
  EXPECT_EQ(no_price.status().field(), "average_price_yuan");
  Result<PenaltyRange> zero_price = PenaltyFor(10, Rules(2024), 0);
  ASSERT_FALSE(zero_price.ok());
  EXPECT_EQ(zero_price.status().code(), "out_of_range");
  EXPECT_EQ(zero_price.status().field(), "average_price_yuan");
  EXPECT_EQ(PenaltyFor(0, Rules(2024), std::nullopt).value().max_fen, 0);
}

}  // namespace
}  // namespace greenloop::compliance
