#include "core/time.h"

#include <chrono>
#include <cstdio>

namespace greenloop {
namespace {

class RealClock : public Clock {
 public:
  time_us NowMicros() override {
    auto now = std::chrono::system_clock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::microseconds>(now).count();
  }
};

bool ReadDigits(std::string_view text, size_t pos, size_t count, int* out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (size_t i = 0; i < count; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

std::optional<std::int64_t> CivilToDays(int year, int month, int day) {
  if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                  std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days{ymd}.time_since_epoch().count();
}

}  // namespace

Clock* SystemClock() {
  static RealClock clock;
  return &clock;
}

std::string FormatDateDays(std::int64_t days) {
  std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string FormatTimestamp(time_us t) {
  std::int64_t days = t / kMicrosPerDay;
  time_us rest = t % kMicrosPerDay;
  if (rest < 0) {
    rest += kMicrosPerDay;
    days -= 1;
  }
  std::int64_t ms = rest / 1000;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%sT%02lld:%02lld:%02lld.%03lldZ", FormatDateDays(days).c_str(),
                static_cast<long long>(ms / 3'600'000), static_cast<long long>(ms / 60'000 % 60),
                static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
  return buf;
}

std::optional<std::int64_t> ParseDateDays(std::string_view text) {
  int year = 0, month = 0, day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (!ReadDigits(text, 0, 4, &year) || !ReadDigits(text, 5, 2, &month) ||
      !ReadDigits(text, 8, 2, &day)) {
    return std::nullopt;
  }
  return CivilToDays(year, month, day);
}

std::optional<time_us> ParseTimestamp(std::string_view text) {
  if (text.size() == 10) {
    auto days = ParseDateDays(text);
    if (!days) return std::nullopt;
    return *days * kMicrosPerDay;
  }
  if (text.size() < 20 || (text[10] != 'T' && text[10] != 't' && text[10] != ' ')) return std::nullopt;
  auto days = ParseDateDays(text.substr(0, 10));
  int hour = 0, minute = 0, second = 0;
  if (!days || !ReadDigits(text, 11, 2, &hour) || text[13] != ':' || !ReadDigits(text, 14, 2, &minute) ||
      text[16] != ':' || !ReadDigits(text, 17, 2, &second)) {
    return std::nullopt;
  }
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  size_t pos = 19;
  time_us fraction_us = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    time_us scale = 100'000;
    size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) fraction_us += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
      ++digits;
    }
    if (digits == 0 || digits > 9) return std::nullopt;
  }
  time_us offset_us = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos + 6 == text.size() && (text[pos] == '+' || text[pos] == '-') && text[pos + 3] == ':') {
    int off_h = 0, off_m = 0;
    if (!ReadDigits(text, pos + 1, 2, &off_h) || !ReadDigits(text, pos + 4, 2, &off_m)) return std::nullopt;
    if (off_h > 23 || off_m > 59) return std::nullopt;
    offset_us = (off_h * 3600LL + off_m * 60LL) * 1'000'000LL;
    if (text[pos] == '-') offset_us = -offset_us;
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  time_us t = *days * kMicrosPerDay + (hour * 3600LL + minute * 60LL + second) * 1'000'000LL + fraction_us;
  return t - offset_us;
}

}  // namespace greenloop
