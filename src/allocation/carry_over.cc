#include "allocation/carry_over.h"

#include <algorithm>

#include "core/assert.h"

namespace greenloop::allocation {

Result<CarryOverResult> ComputeCarryOver(const CarryOverInput& input, const CarryOverRule& rule) {
  GL_ASSERT(rule.base_t >= 0 && !rule.net_sales_ratio.is_negative());
  for (const auto& [value, name] : {std::pair{input.holding_t, "holding_t"}, std::pair{input.pending_deductions_t, "pending_deductions_t"},
                                    std::pair{input.sold_t, "sold_t"}, std::pair{input.bought_t, "bought_t"}}) {
    if (value < 0) return Status::Invalid("out_of_range", std::string(name) + " cannot be negative", name);
  }
  if (!input.complied_on_time) {
    return Status::Refused("not_eligible", "an entity that did not complete its compliance on time may not carry allowances over (" +
                                               rule.plan + " plan)",
                           "complied_on_time");
  }
  CarryOverResult out;
  out.net_sales_t = std::max<quantity_t>(0, input.sold_t - input.bought_t);
  Exact formula = Exact::OfInt(out.net_sales_t);
  const bool fits = formula.Multiply(rule.net_sales_ratio) && formula.Add(Exact::OfInt(rule.base_t));
  if (!fits) return Status::Invalid("out_of_range", "the quantities are too large", "sold_t");
  std::optional<Decimal> floored = formula.Round(0, Rounding::kDown);
  if (!floored) return Status::Invalid("out_of_range", "the quantities are too large", "sold_t");
  out.formula_t = floored->micros() / Decimal::kOne;
  out.cap_t = std::max<quantity_t>(0, input.holding_t - input.pending_deductions_t);
  out.carry_over_t = std::min(out.formula_t, out.cap_t);
  return out;
}

}  // namespace greenloop::allocation
