#include "compliance/compliance.h"

#include <algorithm>

#include "core/assert.h"

namespace greenloop::compliance {

quantity_t ObligationTonnes(Decimal verified_scope_t) {
  GL_ASSERT(!verified_scope_t.is_negative());
  std::optional<Decimal> rounded = Exact::Of(verified_scope_t).Round(0, Rounding::kHalfUp);
  GL_ASSERT(rounded.has_value());
  return rounded->micros() / Decimal::kOne;
}

quantity_t CcerCapTonnes(quantity_t obligation_t, const ComplianceRules& rules) {
  Exact cap = Exact::OfInt(obligation_t);
  const bool fits = cap.Multiply(rules.ccer_max_percent) && cap.MultiplyRatio(1, 100);
  GL_ASSERT(fits);
  return cap.Round(0, Rounding::kDown)->micros() / Decimal::kOne;
}

Status CheckSurrender(quantity_t obligation_t, const Surrendered& already, const SurrenderRequest& request,
                      const ComplianceRules& rules) {
  if (request.quantity <= 0) return Status::Invalid("invalid_quantity", "surrender a positive number of tonnes", "quantity");
  const quantity_t outstanding = obligation_t - already.total();
  if (outstanding <= 0) {
    return Status::Refused("nothing_owed", "the " + std::to_string(rules.year) + " obligation of " +
                                               std::to_string(obligation_t) + " t is fully surrendered", "quantity");
  }
  if (request.quantity > outstanding) {
    return Status::Refused("over_surrender", "only " + std::to_string(outstanding) + " t of the " + std::to_string(rules.year) +
                                                 " obligation are outstanding; surrender at most that",
                           "quantity");
  }
  if (request.family == "CEA") {
    if (!request.vintage || std::find(rules.cea_vintages.begin(), rules.cea_vintages.end(), *request.vintage) ==
                                rules.cea_vintages.end()) {
      std::string list;
      for (int v : rules.cea_vintages) list += (list.empty() ? "" : ", ") + std::to_string(v);
      return Status::Refused("ineligible_vintage",
                             "allowances of vintage " + (request.vintage ? std::to_string(*request.vintage) : "?") +
                                 " cannot settle " + std::to_string(rules.year) + " emissions; eligible vintages: " + list,
                             "instrument");
    }
    return Status::OK();
  }
  if (request.family == "CCER") {
    if (request.project_in_ets) {
      return Status::Refused("ineligible_offset",
                             "CCER from projects inside national ETS allocation management cannot be surrendered", "instrument");
    }
    const quantity_t cap = CcerCapTonnes(obligation_t, rules);
    if (already.ccer_t + request.quantity > cap) {
      return Status::Refused("ccer_limit_exceeded",
                             "CCER may settle at most " + rules.ccer_max_percent.ToShortString() + " % of the obligation (" +
                                 std::to_string(cap) + " t); " + std::to_string(already.ccer_t) + " t are surrendered already",
                             "quantity");
    }
    return Status::OK();
  }
  return Status::Refused("ineligible_instrument", "only CEA and CCER settle emissions", "instrument");
}

const char* StandingName(Standing standing) {
  switch (standing) {
    case Standing::kCompliant: return "compliant";
    case Standing::kOpen: return "open";
    case Standing::kOverdue: return "overdue";
  }
  return "unknown";
}

Standing StandingOf(quantity_t obligation_t, const Surrendered& surrendered, const ComplianceRules& rules,
                    const std::string& today) {
  if (surrendered.total() >= obligation_t) return Standing::kCompliant;
  return today > rules.deadline ? Standing::kOverdue : Standing::kOpen;
}

Result<PenaltyRange> PenaltyFor(quantity_t shortfall_t, const ComplianceRules& rules,
                                std::optional<std::int64_t> average_price_fen) {
  GL_ASSERT(shortfall_t >= 0);
  PenaltyRange out;
  if (shortfall_t == 0) {
    out.basis = "no shortfall";
    return out;
  }
  const PenaltyRegime& p = rules.penalty;
  if (p.fine_min_yuan && p.fine_max_yuan) {
    out.min_fen = p.fine_min_yuan->micros() / Decimal::kOne * 100;
    out.max_fen = p.fine_max_yuan->micros() / Decimal::kOne * 100;
    out.basis = p.name_zh + ": fine " + p.fine_min_yuan->ToShortString() + "–" + p.fine_max_yuan->ToShortString() + " yuan";
  } else {
    GL_ASSERT(p.price_multiple_min && p.price_multiple_max);
    if (average_price_fen && *average_price_fen <= 0) {
      return Status::Invalid("out_of_range", "average_price_yuan must be above 0: the average transaction price per tonne",
                             "average_price_yuan");
    }
    if (!average_price_fen) {
      return Status::Invalid("missing_field",
                             "the " + p.name_zh + " sets the fine from the average price of the month before the deadline: "
                                 "give average_price_yuan",
                             "average_price_yuan");
    }
    auto multiple = [&](Decimal m) {
      Exact fine = Exact::OfInt(shortfall_t);
      const bool fits = fine.MultiplyRatio(*average_price_fen, 1) && fine.Multiply(m);
      GL_ASSERT(fits);
      return fine.Round(0, Rounding::kHalfUp)->micros() / Decimal::kOne;
    };
    out.min_fen = multiple(*p.price_multiple_min);
    out.max_fen = multiple(*p.price_multiple_max);
    out.basis = p.name_zh + ": " + p.price_multiple_min->ToShortString() + "–" + p.price_multiple_max->ToShortString() +
                " × average price × " + std::to_string(shortfall_t) + " t";
  }
  if (rules.deduct_shortfall_next_year) out.deduction_t = shortfall_t;
  return out;
}

}  // namespace greenloop::compliance
