// src/core/time.h
//
// Time is passed in, never read from inside the domain: a Clock gives "now" so that tests can
// fix it. All times are UTC; dates (YYYY-MM-DD) name whole UTC days.
#ifndef GREENLOOP_CORE_TIME_H_
#define GREENLOOP_CORE_TIME_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/types.h"

namespace greenloop {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual time_us NowMicros() = 0;
};

// The machine's real-time clock.
Clock* SystemClock();

// A clock that tests move by hand.
class ManualClock : public Clock {
 public:
  explicit ManualClock(time_us now_us) : now_us_(now_us) {}
  time_us NowMicros() override { return now_us_; }
  void Set(time_us now_us) { now_us_ = now_us; }
  void Advance(time_us delta_us) { now_us_ += delta_us; }

 private:
  time_us now_us_;
};

// Another clock moved by a fixed offset: a server started "as of" another moment (a rehearsal of a
// trading day outside market hours, the browser and API tests of the exchange) keeps real time's
// pace from there.
class OffsetClock : public Clock {
 public:
  OffsetClock(Clock* base, time_us offset_us) : base_(base), offset_us_(offset_us) {}
  time_us NowMicros() override { return base_->NowMicros() + offset_us_; }

 private:
  Clock* base_;
  time_us offset_us_;
};

// "2026-11-21T21:40:00.123Z" (millisecond precision).
std::string FormatTimestamp(time_us t);
// Accepts RFC 3339 with 'Z' or an offset, optional fraction; also a bare date (midnight UTC).
std::optional<time_us> ParseTimestamp(std::string_view text);

// Days since 1970-01-01 for a valid YYYY-MM-DD, nullopt otherwise.
std::optional<std::int64_t> ParseDateDays(std::string_view text);
std::string FormatDateDays(std::int64_t days);
inline constexpr time_us kMicrosPerDay = 86'400'000'000LL;

}  // namespace greenloop

#endif  // GREENLOOP_CORE_TIME_H_
