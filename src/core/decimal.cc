#include "core/decimal.h"

#include <cmath>
#include <cstdio>

#include "core/assert.h"

namespace greenloop {
namespace {

constexpr int128_t Pow10(int n) {
  int128_t result = 1;
  for (int i = 0; i < n; ++i) result *= 10;
  return result;
}

constexpr int128_t kExactPerMicro = Pow10(Exact::kScale - Decimal::kScale);
// |value| ≤ 10^12 at 10^-15 resolution, times a factor of up to 10^12: stays below 2^127.
constexpr int128_t kMaxMicros = static_cast<int128_t>(Decimal::kMaxMagnitude) * Decimal::kOne;

// a / b rounded half away from zero.
int128_t DivideHalfUp(int128_t a, int128_t b) {
  GL_ASSERT(b > 0);
  int128_t q = a / b;
  int128_t r = a % b;
  if (r < 0) r = -r;
  if (r * 2 >= b) q += (a < 0) ? -1 : 1;
  return q;
}

std::string FormatUnsigned(uint128_t v) {
  if (v == 0) return "0";
  std::string digits;
  while (v > 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return digits;
}

}  // namespace

std::optional<Decimal> Decimal::Parse(const std::string& text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  int128_t mantissa = 0;
  int fraction_digits = 0;
  int digits = 0;
  bool in_fraction = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !in_fraction) {
      in_fraction = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    if (digits > 30) return std::nullopt;
    mantissa = mantissa * 10 + (c - '0');
    if (mantissa != 0) ++digits;
    if (in_fraction) ++fraction_digits;
  }
  if (i == 0 || (i == 1 && (text[0] == '-' || text[0] == '+'))) return std::nullopt;
  int exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) exp_negative = text[i++] == '-';
    size_t start = i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (exponent > 40) return std::nullopt;
      exponent = exponent * 10 + (text[i] - '0');
    }
    if (i == start) return std::nullopt;
    if (exp_negative) exponent = -exponent;
  }
  if (i != text.size()) return std::nullopt;
  // value = mantissa × 10^(exponent − fraction_digits); we need mantissa × 10^(shift) micros.
  int shift = kScale + exponent - fraction_digits;
  int128_t micros = mantissa;
  if (shift >= 0) {
    if (shift > 30) return mantissa == 0 ? std::optional<Decimal>(Decimal()) : std::nullopt;
    micros *= Pow10(shift);
  } else {
    int128_t divisor = Pow10(-shift > 38 ? 38 : -shift);
    if (micros % divisor != 0) return std::nullopt;  // more precision than six decimals
    micros /= divisor;
  }
  if (micros > kMaxMicros) return std::nullopt;
  return Decimal(static_cast<std::int64_t>(negative ? -micros : micros));
}

std::optional<Decimal> Decimal::FromDouble(double value) {
  if (!std::isfinite(value) || std::fabs(value) > kMaxMagnitude) return std::nullopt;
  // printf rounds the double's exact binary value correctly to six decimals, so 20.908 (stored
  // as 20.9079999…) becomes 20.908000 exactly.
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6f", value);
  return Parse(buffer);
}

std::string Decimal::ToString(int decimals) const {
  GL_ASSERT(decimals >= 0 && decimals <= kScale);
  int128_t scaled = DivideHalfUp(micros_, Pow10(kScale - decimals));
  bool negative = scaled < 0;
  uint128_t magnitude = static_cast<uint128_t>(negative ? -scaled : scaled);
  std::string digits = FormatUnsigned(magnitude);
  if (decimals > 0) {
    if (digits.size() <= static_cast<size_t>(decimals)) digits.insert(0, decimals + 1 - digits.size(), '0');
    digits.insert(digits.size() - decimals, ".");
  }
  return negative ? "-" + digits : digits;
}

std::string Decimal::ToShortString() const {
  std::string text = ToString(kScale);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text == "-0" ? "0" : text;
}

Exact Exact::Of(Decimal d) {
  Exact e;
  e.units_ = static_cast<int128_t>(d.micros()) * kExactPerMicro;
  return e;
}

Exact Exact::OfInt(std::int64_t whole) { return Of(Decimal::FromInt(whole)); }

bool Exact::Multiply(Decimal factor) {
  int128_t product = 0;
  if (__builtin_mul_overflow(units_, static_cast<int128_t>(factor.micros()), &product)) return false;
  units_ = DivideHalfUp(product, Decimal::kOne);
  return true;
}

bool Exact::MultiplyRatio(std::int64_t numerator, std::int64_t denominator) {
  GL_ASSERT(denominator > 0);
  int128_t product = 0;
  if (__builtin_mul_overflow(units_, static_cast<int128_t>(numerator), &product)) return false;
  units_ = DivideHalfUp(product, denominator);
  return true;
}

bool Exact::Add(const Exact& other) {
  int128_t sum = 0;
  if (__builtin_add_overflow(units_, other.units_, &sum)) return false;
  units_ = sum;
  return true;
}

bool Exact::Subtract(const Exact& other) {
  int128_t difference = 0;
  if (__builtin_sub_overflow(units_, other.units_, &difference)) return false;
  units_ = difference;
  return true;
}

bool Exact::Divide(const Exact& divisor) {
  if (divisor.units_ == 0) return false;
  // Long division, one decimal digit at a time, so that neither operand is scaled up whole.
  const bool negative = (units_ < 0) != (divisor.units_ < 0);
  int128_t a = units_ < 0 ? -units_ : units_;
  int128_t b = divisor.units_ < 0 ? -divisor.units_ : divisor.units_;
  if (b > Pow10(36)) return false;
  int128_t quotient = a / b;
  int128_t remainder = a % b;
  for (int i = 0; i < kScale; ++i) {
    if (__builtin_mul_overflow(quotient, static_cast<int128_t>(10), &quotient)) return false;
    remainder *= 10;
    quotient += remainder / b;
    remainder %= b;
  }
  if (remainder * 2 >= b) ++quotient;
  units_ = negative ? -quotient : quotient;
  return true;
}

std::optional<Decimal> Exact::Round(int decimals, Rounding mode) const {
  GL_ASSERT(decimals >= 0 && decimals <= Decimal::kScale);
  const int128_t divisor = Pow10(kScale - decimals);
  int128_t q = mode == Rounding::kHalfUp ? DivideHalfUp(units_, divisor) : units_ / divisor;
  int128_t micros = q * Pow10(Decimal::kScale - decimals);
  if (micros > static_cast<int128_t>(INT64_MAX) || micros < static_cast<int128_t>(INT64_MIN)) return std::nullopt;
  return Decimal::FromMicros(static_cast<std::int64_t>(micros));
}

double Exact::ToDouble() const { return static_cast<double>(units_) / static_cast<double>(Pow10(kScale)); }

}  // namespace greenloop
