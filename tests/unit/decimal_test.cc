#include "core/decimal.h"

#include <gtest/gtest.h>

namespace greenloop {
namespace {

Decimal D(const char* text) {
  auto d = Decimal::Parse(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d.value_or(Decimal());
}

TEST(DecimalTest, ParsesDecimalTextExactly) {
  EXPECT_EQ(D("20.908").micros(), 20'908'000);
  EXPECT_EQ(D("-0.5").micros(), -500'000);
  EXPECT_EQ(D("1e3").micros(), 1'000'000'000);
  EXPECT_EQ(D("2.5E-3").micros(), 2'500);
  EXPECT_EQ(D("0.000001").micros(), 1);
  EXPECT_FALSE(Decimal::Parse("0.0000001").has_value());  // seven decimals
  EXPECT_FALSE(Decimal::Parse("abc").has_value());
  EXPECT_FALSE(Decimal::Parse("1.2.3").has_value());
  EXPECT_FALSE(Decimal::Parse("-").has_value());
  EXPECT_FALSE(Decimal::Parse("1e").has_value());
  EXPECT_FALSE(Decimal::Parse("2e12").has_value());  // beyond the accepted magnitude
}

TEST(DecimalTest, FromDoubleRecoversTheDecimalAJsonNumberMeant) {
  // 20.908 and 0.02858 are not representable in binary; the nearest six-decimal value is.
  EXPECT_EQ(Decimal::FromDouble(20.908)->micros(), 20'908'000);
  EXPECT_EQ(Decimal::FromDouble(0.02858)->micros(), 28'580);
  EXPECT_EQ(Decimal::FromDouble(1234567.89)->micros(), 1'234'567'890'000);
  EXPECT_FALSE(Decimal::FromDouble(1.0 / 0.0).has_value());
  EXPECT_FALSE(Decimal::FromDouble(5e12).has_value());
}

TEST(DecimalTest, FormatsWithFixedAndShortDecimals) {
  EXPECT_EQ(D("1789.705").ToString(2), "1789.71");
  EXPECT_EQ(D("-1789.705").ToString(2), "-1789.71");
  EXPECT_EQ(D("0.05").ToString(0), "0");
  EXPECT_EQ(D("0.5").ToString(0), "1");
  EXPECT_EQ(D("0.8218").ToShortString(), "0.8218");
  EXPECT_EQ(D("12").ToShortString(), "12");
  EXPECT_EQ(D("-3.50").ToShortString(), "-3.5");
  EXPECT_EQ(D("0.000001").ToString(6), "0.000001");
}

TEST(DecimalTest, RoundsOnceFromTheExactValue) {
  // 2025–2026 draft plan: pre-allocation 1789.70 is rounded down to 1789.
  Exact pre = Exact::Of(D("1789.70"));
  EXPECT_EQ(pre.Round(0, Rounding::kDown)->ToShortString(), "1789");
  // A value exactly on the half rounds up (四舍五入); binary doubles would get this wrong.
  Exact half = Exact::Of(D("2.675"));
  EXPECT_EQ(half.Round(2, Rounding::kHalfUp)->ToString(2), "2.68");
  Exact negative_half = Exact::Of(D("-2.675"));
  EXPECT_EQ(negative_half.Round(2, Rounding::kHalfUp)->ToString(2), "-2.68");
  EXPECT_EQ(negative_half.Round(2, Rounding::kDown)->ToString(2), "-2.67");
}

TEST(DecimalTest, ChainsProductsWithoutLosingDigits) {
  // 1000 t coal × 20.908 GJ/t × 0.02858 tC/GJ × 0.99 × 44/12: by hand
  // 1000 × 20.908 = 20908; × 0.02858 = 597.55064; × 0.99 = 591.5751336; × 44/12 = 2169.1088232.
  Exact e = Exact::Of(D("1000"));
  ASSERT_TRUE(e.Multiply(D("20.908")));
  ASSERT_TRUE(e.Multiply(D("0.02858")));
  ASSERT_TRUE(e.Multiply(D("0.99")));
  ASSERT_TRUE(e.MultiplyRatio(44, 12));
  EXPECT_EQ(e.Round(6, Rounding::kHalfUp)->ToString(6), "2169.108823");
  EXPECT_EQ(e.Round(2, Rounding::kHalfUp)->ToString(2), "2169.11");
}

TEST(DecimalTest, DividesAndReportsOverflow) {
  Exact gap = Exact::OfInt(20);
  ASSERT_TRUE(gap.Divide(Exact::OfInt(30)));
  EXPECT_EQ(gap.Round(6, Rounding::kHalfUp)->ToString(6), "0.666667");
  Exact zero;
  EXPECT_FALSE(gap.Divide(zero));
  Exact huge = Exact::Of(D("1000000"));
  EXPECT_TRUE(huge.Multiply(D("1000000")));       // 10^12: fits the intermediate
  EXPECT_FALSE(huge.Multiply(D("999999999999")));  // 10^24 would not
  EXPECT_EQ(huge.Round(0, Rounding::kDown)->ToShortString(), "1000000000000");
  EXPECT_TRUE(huge.Multiply(D("1000")));           // 10^15 is an intermediate
  EXPECT_FALSE(huge.Round(0, Rounding::kDown).has_value());  // but not a Decimal
}

}  // namespace
}  // namespace greenloop
