#include "allocation/industry_allocation.h"

#include "core/assert.h"

namespace greenloop::allocation {
namespace {

Status SumVerified(const std::vector<IndustryFacilityEmissions>& facilities, Decimal* total) {
  if (facilities.empty()) return Status::Invalid("missing_field", "no facility with verified emissions", "facilities");
  Exact sum;
  for (size_t i = 0; i < facilities.size(); ++i) {
    if (facilities[i].verified_t.micros() < 0) {
      return Status::Invalid("out_of_range", "verified emissions cannot be negative",
                             "facilities[" + std::to_string(i) + "].verified_t");
    }
    if (!sum.Add(Exact::Of(facilities[i].verified_t))) return Status::Invalid("overflow", "verified emissions overflow", "facilities");
  }
  std::optional<Decimal> exact = sum.Round(6, Rounding::kHalfUp);
  if (!exact) return Status::Invalid("overflow", "verified emissions overflow", "facilities");
  *total = *exact;
  return Status::OK();
}

quantity_t WholeTonnes(const Exact& value, Rounding rounding) {
  std::optional<Decimal> rounded = value.Round(0, rounding);
  GL_ASSERT(rounded.has_value());
  GL_ASSERT(rounded->micros() % 1'000'000 == 0);
  return rounded->micros() / 1'000'000;
}

void NoteRounding(const IndustryPlan& plan, std::vector<std::string>* notes) {
  if (plan.rounding_tag == "U") notes->push_back("unconfirmed [U]: " + plan.rounding_source);
}

}  // namespace

Result<IndustryAllocationResult> AllocateIndustryFinal(const IndustryPlan& plan,
                                                       const std::vector<IndustryFacilityEmissions>& facilities) {
  if (plan.final_method != IndustryFinalMethod::kVerifiedEmissions) {
    return Status::Refused("not_computable", plan.final_not_available.empty()
                                                 ? "the " + std::to_string(plan.year) + " final allocation method has no values"
                                                 : plan.final_not_available,
                           "year");
  }
  IndustryAllocationResult out;
  GL_RETURN_IF_ERROR(SumVerified(facilities, &out.verified_total_t));
  out.allowance_t = WholeTonnes(Exact::Of(out.verified_total_t), plan.final_rounding);
  out.notes.push_back(std::to_string(plan.year) + " allowance = verified emissions (等量分配) [" + plan.tag + "]: " +
                      plan.source);
  NoteRounding(plan, &out.notes);
  return out;
}

Result<IndustryAllocationResult> AllocateIndustryPre(const IndustryPlan& plan,
                                                     const std::vector<IndustryFacilityEmissions>& previous_year) {
  if (!plan.pre_allocation_share) {
    return Status::Refused("not_computable", "the " + std::to_string(plan.year) + " plan has no pre-allocation", "kind");
  }
  GL_ASSERT(plan.pre_allocation_share->micros() > 0 && plan.pre_allocation_share->micros() <= 1'000'000);
  IndustryAllocationResult out;
  GL_RETURN_IF_ERROR(SumVerified(previous_year, &out.verified_total_t));
  Exact share = Exact::Of(out.verified_total_t);
  if (!share.Multiply(*plan.pre_allocation_share)) return Status::Invalid("overflow", "pre-allocation overflows", "facilities");
  out.allowance_t = WholeTonnes(share, plan.pre_allocation_rounding);
  out.notes.push_back("pre-allocation = " + plan.pre_allocation_share->ToShortString() + " × verified emissions of " +
                      std::to_string(plan.year - 1) + " [" + plan.tag + "]: " + plan.source);
  NoteRounding(plan, &out.notes);
  return out;
}

}  // namespace greenloop::allocation
