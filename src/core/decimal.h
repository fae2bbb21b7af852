// src/core/decimal.h
//
// Exact decimal arithmetic for the calculators (emissions, allocation, penalties). Rules state
// their figures in decimals (NCV 20.908 GJ/t, benchmark 0.8218 tCO2/MWh) and say where to round
// (half up to two decimals, down to a whole tonne). Binary floating point cannot hold 20.908 or
// round 1789.705 reliably, so:
//
//   Decimal  an input or a rounded figure: an integer count of millionths (6 decimals).
//   Exact    an intermediate: an integer count of 10^-15, wide enough for a chain of products
//            (consumption × NCV × carbon content × oxidation × 44/12) without losing a digit
//            that any rule rounds to. Overflow is reported, never wrapped.
//
// A figure is rounded once, where the rule says, from its Exact value.
#ifndef GREENLOOP_CORE_DECIMAL_H_
#define GREENLOOP_CORE_DECIMAL_H_

#include <cstdint>
#include <optional>
#include <string>

namespace greenloop {

// GCC and Clang's 128-bit integer; __extension__ keeps -Wpedantic quiet about it.
__extension__ typedef __int128 int128_t;
__extension__ typedef unsigned __int128 uint128_t;

enum class Rounding {
  kHalfUp,  // 四舍五入: halves away from zero
  kDown,    // toward zero (rules say 向下取整 of positive figures)
};

class Decimal {
 public:
  static constexpr int kScale = 6;
  static constexpr std::int64_t kOne = 1'000'000;
  // Magnitudes the calculators accept: beyond this an input is a unit mistake, not a figure.
  static constexpr double kMaxMagnitude = 1e12;

  constexpr Decimal() = default;
  static constexpr Decimal FromMicros(std::int64_t micros) { return Decimal(micros); }
  static constexpr Decimal FromInt(std::int64_t whole) { return Decimal(whole * kOne); }
  // Parses decimal text such as "-12.5", "0.02858" or "1e3"; nullopt when it is not a number,
  // has more than six decimals of precision, or is larger than kMaxMagnitude.
  static std::optional<Decimal> Parse(const std::string& text);
  // A JSON number arrives as a double: the nearest value with six decimals. nullopt when not
  // finite or larger than kMaxMagnitude.
  static std::optional<Decimal> FromDouble(double value);

  constexpr std::int64_t micros() const { return micros_; }
  double ToDouble() const { return static_cast<double>(micros_) / kOne; }
  // Fixed-point text with exactly `decimals` (0..6) fractional digits, rounded half up.
  std::string ToString(int decimals) const;
  // Shortest text that is exact ("0.8218", "12", "-3.5").
  std::string ToShortString() const;

  constexpr bool is_negative() const { return micros_ < 0; }
  constexpr bool is_zero() const { return micros_ == 0; }
  friend constexpr bool operator==(Decimal a, Decimal b) { return a.micros_ == b.micros_; }
  friend constexpr auto operator<=>(Decimal a, Decimal b) { return a.micros_ <=> b.micros_; }
  friend constexpr Decimal operator+(Decimal a, Decimal b) { return Decimal(a.micros_ + b.micros_); }
  friend constexpr Decimal operator-(Decimal a, Decimal b) { return Decimal(a.micros_ - b.micros_); }

 private:
  constexpr explicit Decimal(std::int64_t micros) : micros_(micros) {}
  std::int64_t micros_ = 0;
};

class Exact {
 public:
  static constexpr int kScale = 15;

  Exact() = default;
  static Exact Of(Decimal d);
  static Exact OfInt(std::int64_t whole);

  // Each returns false on overflow and then leaves the value unchanged.
  [[nodiscard]] bool Multiply(Decimal factor);
  // Multiplies by numerator/denominator (44/12, a percentage): exact up to 10^-15, halves up.
  [[nodiscard]] bool MultiplyRatio(std::int64_t numerator, std::int64_t denominator);
  [[nodiscard]] bool Add(const Exact& other);
  [[nodiscard]] bool Subtract(const Exact& other);
  // this / divisor, to 10^-15 (halves up); false when the divisor is zero or on overflow.
  [[nodiscard]] bool Divide(const Exact& divisor);

  // Rounds to `decimals` (0..6) fractional digits; nullopt when the result exceeds a Decimal.
  std::optional<Decimal> Round(int decimals, Rounding mode) const;
  double ToDouble() const;
  bool is_negative() const { return units_ < 0; }
  bool is_zero() const { return units_ == 0; }
  friend bool operator==(const Exact& a, const Exact& b) { return a.units_ == b.units_; }
  friend auto operator<=>(const Exact& a, const Exact& b) { return a.units_ <=> b.units_; }

 private:
  int128_t units_ = 0;  // value × 10^15
};

}  // namespace greenloop

#endif  // GREENLOOP_CORE_DECIMAL_H_
