// src/core/types.h
//
// Fixed-width names for the quantities the ledger handles. Units go last in names elsewhere
// (created_at_us, price_fen); these aliases say what an integer counts.
#ifndef GREENLOOP_CORE_TYPES_H_
#define GREENLOOP_CORE_TYPES_H_

#include <cstdint>
#include <limits>

namespace greenloop {

// A ledger quantity in the instrument's smallest unit (tCO2e, kg, 0.001 tce, m3, MWh, fen).
using quantity_t = std::int64_t;
using EntryId = std::int64_t;
using AccountId = std::int64_t;
using OrgId = std::int64_t;
using UserId = std::int64_t;
// Microseconds since the Unix epoch, UTC.
using time_us = std::int64_t;

inline constexpr quantity_t kQuantityMax = std::numeric_limits<quantity_t>::max();
static_assert(sizeof(quantity_t) == 8, "quantities are 64-bit integers");

// Adds without overflow; returns false (and leaves *out alone) when the sum would not fit.
inline bool CheckedAdd(quantity_t a, quantity_t b, quantity_t* out) {
  quantity_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return false;
  *out = sum;
  return true;
}

}  // namespace greenloop

#endif  // GREENLOOP_CORE_TYPES_H_
