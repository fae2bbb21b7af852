#include "allocation/power_allocation.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/assert.h"

namespace greenloop::allocation {
namespace {

std::string UnitPath(size_t i, const std::string& field) { return "units[" + std::to_string(i) + "]." + field; }

Status Overflow(const std::string& field) {
  return Status::Invalid("out_of_range", "the figures are too large to compute; check the units", field);
}

// For arithmetic that validation has already bounded; the call itself always runs.
void MustSucceed(bool ok) { GL_ASSERT(ok); }

Decimal Round(const Exact& value, int decimals, Rounding mode) {
  std::optional<Decimal> rounded = value.Round(decimals, mode);
  GL_ASSERT(rounded.has_value());  // inputs are bounded by validation
  return *rounded;
}

bool AppliesTo(const CorrectionFactor& factor, UnitCategory category) {
  return factor.applies &&
         std::find(factor.categories.begin(), factor.categories.end(), category) != factor.categories.end();
}

double EvaluateTier(const FactorTier& tier, double rate) {
  const double a = tier.a.ToDouble(), b = tier.b.ToDouble(), c = tier.c.ToDouble();
  switch (tier.kind) {
    case FactorTier::Kind::kConstant: return a;
    case FactorTier::Kind::kLinear: return a + b * (c - 100.0 * rate);
    case FactorTier::Kind::kPower: return std::pow(a, b - c * rate);
    case FactorTier::Kind::kDraft2025: {
      const double percent = 100.0 * rate;
      return 7.254 - 0.633 * (1.0 - std::exp(-percent / 29.822)) - 5.643 * (1.0 - std::exp(-percent / 6.871));
    }
  }
  return 1.0;
}

Decimal TieredFactor(const CorrectionFactor& factor, Decimal rate, std::string* tier_tag) {
  GL_ASSERT(!factor.tiers.empty());
  const FactorTier* chosen = &factor.tiers.back();
  for (const FactorTier& tier : factor.tiers) {
    if (rate >= tier.min_rate) {
      chosen = &tier;
      break;
    }
  }
  *tier_tag = chosen->tag;
  double value = EvaluateTier(*chosen, rate.ToDouble());
  double scale = std::pow(10.0, factor.decimals);
  std::optional<Decimal> rounded = Decimal::FromDouble(std::floor(value * scale + 0.5) / scale);
  GL_ASSERT(rounded.has_value());  // factors are near 1
  return *rounded;
}

}  // namespace

const char* UnitCategoryName(UnitCategory category) {
  switch (category) {
    case UnitCategory::kI: return "I";
    case UnitCategory::kII: return "II";
    case UnitCategory::kIII: return "III";
    case UnitCategory::kIV: return "IV";
  }
  return "?";
}

UnitCategory CategoryOf(const mrv::GeneratingUnit& unit, const PowerPlan& plan) {
  if (unit.fuel_type == mrv::UnitFuelType::kGas) return UnitCategory::kIV;
  if (unit.fuel_type == mrv::UnitFuelType::kCoalUnconventional || unit.circulating_fluidized_bed) {
    return UnitCategory::kIII;
  }
  return unit.capacity_mw >= plan.category_i_min_capacity_mw ? UnitCategory::kI : UnitCategory::kII;
}

namespace {

struct Allocation {
  const PowerAllocationInput& input;
  const PowerPlan& plan;
  PowerAllocationResult result;
  std::set<std::string> notes;

  Rounding UnitRounding() const { return plan.allowance_rounding_stated ? plan.allowance_rounding : Rounding::kHalfUp; }
  int UnitDecimals() const { return plan.allowance_rounding_stated ? 0 : Decimal::kScale; }

  Status Validate() {
    if (input.units.empty()) return Status::Invalid("missing_field", "list at least one generating unit", "units");
    std::set<std::string> ids;
    for (size_t i = 0; i < input.units.size(); ++i) {
      const UnitAllocationInput& u = input.units[i];
      if (u.unit.id.empty()) return Status::Invalid("missing_field", "each unit needs an id", UnitPath(i, "id"));
      if (!ids.insert(u.unit.id).second) {
        return Status::Invalid("duplicate", "unit id '" + u.unit.id + "' appears twice", UnitPath(i, "id"));
      }
      if (u.unit.capacity_mw.micros() <= 0 || u.unit.capacity_mw > Decimal::FromInt(2000)) {
        return Status::Invalid("out_of_range", "rated capacity must be above 0 and at most 2000 MW; give it in MW, not kW",
                               UnitPath(i, "capacity_mw"));
      }
      for (const auto& [value, name] :
           {std::pair{std::optional<Decimal>(u.generation_mwh), "generation_mwh"},
            std::pair{std::optional<Decimal>(u.supply_mwh), "supply_mwh"},
            std::pair{std::optional<Decimal>(u.heat_supplied_gj), "heat_supplied_gj"},
            std::pair{u.verified_emissions_t, "verified_emissions_t"},
            std::pair{u.previous_verified_emissions_t, "previous_verified_emissions_t"},
            std::pair{u.previous_generation_mwh, "previous_generation_mwh"},
            std::pair{u.previous_supply_mwh, "previous_supply_mwh"},
            std::pair{u.previous_heat_supplied_gj, "previous_heat_supplied_gj"}}) {
        if (value && value->is_negative()) {
          return Status::Invalid("out_of_range", std::string(name) + " cannot be negative", UnitPath(i, name));
        }
      }
      // A year has at most 8,784 hours; 10 % margin over rated output.
      Exact max_generation = Exact::Of(u.unit.capacity_mw);
      const bool fits = max_generation.MultiplyRatio(8784 * 11, 10);
      GL_ASSERT(fits);
      if (Exact::Of(u.generation_mwh) > max_generation) {
        return Status::Invalid("out_of_range",
                               "annual generation " + u.generation_mwh.ToShortString() + " MWh exceeds what a " +
                                   u.unit.capacity_mw.ToShortString() + " MW unit can produce in a year; give it in MWh, not kWh",
                               UnitPath(i, "generation_mwh"));
      }
      if (u.supply_mwh > u.generation_mwh) {
        return Status::Invalid("out_of_range", "power supplied cannot exceed power generated", UnitPath(i, "supply_mwh"));
      }
      for (const auto& [rate, name] : {std::pair{u.load_rate, "load_rate"}, std::pair{u.heat_ratio, "heat_ratio"}}) {
        if (rate && (rate->is_negative() || rate->micros() > Decimal::kOne)) {
          return Status::Invalid("out_of_range", std::string(name) + " is a fraction 0–1 (write 75 % as 0.75)",
                                 UnitPath(i, name));
        }
      }
    }
    if (input.deduction_t.is_negative()) {
      return Status::Invalid("out_of_range", "deduction_t cannot be negative", "deduction_t");
    }
    if (input.pre_allocation_issued_t && input.pre_allocation_issued_t->is_negative()) {
      return Status::Invalid("out_of_range", "pre_allocation_issued_t cannot be negative", "pre_allocation_issued_t");
    }
    return Status::OK();
  }

  Status Factors(size_t i, const UnitAllocationInput& u, UnitCategory category, std::vector<AppliedFactor>* out) {
    for (const CorrectionFactor& factor : plan.corrections) {
      if (!AppliesTo(factor, category)) continue;
      AppliedFactor applied;
      applied.name = factor.name;
      applied.tag = factor.tag;
      applied.rounding_stated = factor.rounding_stated;
      if (factor.name == "cooling") {
        GL_ASSERT(factor.air_cooled.has_value());
        applied.value = u.unit.cooling == mrv::CoolingMethod::kAir ? *factor.air_cooled : Decimal::FromInt(1);
      } else if (factor.name == "heat_supply") {
        Decimal ratio;
        if (u.unit.supplies_heat || !u.heat_supplied_gj.is_zero()) {
          if (!u.heat_ratio) {
            return Status::Invalid("missing_field", "the " + plan.plan + " plan corrects for heat supply: give heat_ratio (供热比)",
                                   UnitPath(i, "heat_ratio"));
          }
          ratio = *u.heat_ratio;
        }
        const std::optional<Decimal>& coefficient =
            category == UnitCategory::kIV ? factor.gas_coefficient : factor.coal_coefficient;
        GL_ASSERT(coefficient.has_value());
        Exact value = Exact::Of(ratio);
        MustSucceed(value.Multiply(*coefficient));
        Exact one = Exact::OfInt(1);
        MustSucceed(one.Subtract(value));
        applied.rate = ratio;
        applied.value = Round(one, factor.decimals, Rounding::kHalfUp);
      } else {
        if (!u.load_rate) {
          return Status::Invalid("missing_field",
                                 "the " + plan.plan + " plan applies the " + factor.name + " factor: give load_rate (负荷率)",
                                 UnitPath(i, "load_rate"));
        }
        applied.rate = *u.load_rate;
        std::string tier_tag;
        applied.value = TieredFactor(factor, *u.load_rate, &tier_tag);
        if (tier_tag == "U" && factor.tag != "U") {
          applied.tag = "U";
          notes.insert("the " + factor.name + " factor's tier for rate " + u.load_rate->ToShortString() + " in the " + plan.plan +
                       " plan is unconfirmed [U]: " + factor.source);
        }
      }
      if (factor.tag == "U") {
        notes.insert("the " + factor.name + " factor of the " + plan.plan + " plan is unconfirmed [U]: " + factor.source);
      }
      out->push_back(std::move(applied));
    }
    return Status::OK();
  }

  Status Unit(size_t i, Exact* entity_initial, Exact* entity_verified, bool* all_verified, Exact* pre_allocation,
              bool* pre_allocation_known) {
    const UnitAllocationInput& u = input.units[i];
    UnitAllocation out;
    out.unit_id = u.unit.id;
    out.category = CategoryOf(u.unit, plan);
    const int category_index = static_cast<int>(out.category);
    out.output_mwh = plan.basis == OutputBasis::kSupply ? u.supply_mwh : u.generation_mwh;
    out.benchmark_electricity = plan.benchmark_electricity[category_index];
    out.benchmark_heat = out.category == UnitCategory::kIV ? plan.benchmark_heat_gas : plan.benchmark_heat_coal;
    GL_RETURN_IF_ERROR(Factors(i, u, out.category, &out.factors));

    Exact electricity = Exact::Of(out.output_mwh);
    if (!electricity.Multiply(out.benchmark_electricity)) return Overflow(UnitPath(i, "generation_mwh"));
    for (const AppliedFactor& f : out.factors) {
      if (!electricity.Multiply(f.value)) return Overflow(UnitPath(i, "generation_mwh"));
    }
    Exact heat = Exact::Of(u.heat_supplied_gj);
    if (!heat.Multiply(out.benchmark_heat)) return Overflow(UnitPath(i, "heat_supplied_gj"));
    out.electricity_allowance_t = Round(electricity, UnitDecimals(), UnitRounding());
    out.heat_allowance_t = Round(heat, UnitDecimals(), UnitRounding());
    out.initial_allowance_t = out.electricity_allowance_t + out.heat_allowance_t;
    out.final_allowance_t = out.initial_allowance_t;

    if (u.verified_emissions_t) {
      if (!entity_verified->Add(Exact::Of(*u.verified_emissions_t))) return Overflow(UnitPath(i, "verified_emissions_t"));
    } else {
      *all_verified = false;
    }
    if (out.category == UnitCategory::kIV && plan.gas_topup_to_verified) {
      if (!u.verified_emissions_t) {
        return Status::Invalid("missing_field",
                               "the " + plan.plan + " plan tops gas units up to verified emissions: give verified_emissions_t",
                               UnitPath(i, "verified_emissions_t"));
      }
      if (out.initial_allowance_t < *u.verified_emissions_t) {
        out.gas_topup_t = *u.verified_emissions_t - out.initial_allowance_t;
        out.final_allowance_t = *u.verified_emissions_t;
      }
    }
    if (!entity_initial->Add(Exact::Of(out.final_allowance_t))) return Overflow(UnitPath(i, "generation_mwh"));

    // Pre-allocation of the unit.
    Exact pre;
    bool known = true;
    if (plan.pre_allocation_basis == PowerPlan::PreAllocationBasis::kPreviousVerified) {
      if (u.previous_verified_emissions_t) {
        pre = Exact::Of(*u.previous_verified_emissions_t);
      } else {
        known = false;
      }
    } else {
      std::optional<Decimal> previous_output =
          plan.basis == OutputBasis::kSupply ? u.previous_supply_mwh : u.previous_generation_mwh;
      if (previous_output) {
        pre = Exact::Of(*previous_output);
        if (!pre.Multiply(out.benchmark_electricity)) return Overflow(UnitPath(i, "previous_generation_mwh"));
        Exact previous_heat = Exact::Of(u.previous_heat_supplied_gj.value_or(Decimal()));
        if (!previous_heat.Multiply(out.benchmark_heat) || !pre.Add(previous_heat)) {
          return Overflow(UnitPath(i, "previous_heat_supplied_gj"));
        }
      } else {
        known = false;
      }
    }
    if (known) {
      if (!pre.Multiply(plan.pre_allocation_share)) return Overflow(UnitPath(i, "previous_verified_emissions_t"));
      out.pre_allocation_t = Round(pre, UnitDecimals(), plan.allowance_rounding_stated ? Rounding::kDown : Rounding::kHalfUp);
      if (!pre_allocation->Add(Exact::Of(*out.pre_allocation_t))) return Overflow(UnitPath(i, "previous_verified_emissions_t"));
    } else {
      *pre_allocation_known = false;
    }
    result.units.push_back(std::move(out));
    return Status::OK();
  }

  Status Run() {
    GL_RETURN_IF_ERROR(Validate());
    result.plan = plan.plan;
    result.year = plan.year;
    result.draft = plan.draft;
    if (plan.draft) notes.insert("the " + plan.plan + " plan is a draft for comment, not in force: " + plan.status_note);
    if (plan.benchmark_tag != "P") {
      notes.insert("the " + std::to_string(plan.year) + " benchmarks are from a secondary source [" + plan.benchmark_tag +
                   "]: " + plan.benchmark_source);
    }
    if (plan.category_threshold_tag == "U") {
      notes.insert("category I/II boundary (" + plan.category_threshold_text + ") read as rated capacity ≥ " +
                   plan.category_i_min_capacity_mw.ToShortString() + " MW [U]");
    }
    Exact initial, verified, pre_allocation;
    bool all_verified = true, pre_allocation_known = true;
    for (size_t i = 0; i < input.units.size(); ++i) {
      GL_RETURN_IF_ERROR(Unit(i, &initial, &verified, &all_verified, &pre_allocation, &pre_allocation_known));
    }
    result.initial_allowance_t = Round(initial, Decimal::kScale, Rounding::kHalfUp);
    Exact final_exact = initial;
    if (all_verified) result.verified_emissions_t = Round(verified, Decimal::kScale, Rounding::kHalfUp);
    if (plan.gap_cap_min_share) {
      if (!all_verified) {
        result.provisional = true;
        notes.insert("provisional: the " + plan.plan + " plan caps the entity's gap against verified emissions, which are "
                     "not given for every unit; the gap cap is not applied");
      }
    }
    if (plan.gap_cap_min_share && all_verified) {
      Exact floor = verified;
      if (!floor.Multiply(*plan.gap_cap_min_share)) return Overflow("units");
      if (initial < floor) {
        Exact topup = floor;
        MustSucceed(topup.Subtract(initial));
        result.gap_cap_topup_t = Round(topup, UnitDecimals(), plan.allowance_rounding_stated ? Rounding::kDown : Rounding::kHalfUp);
        MustSucceed(final_exact.Add(Exact::Of(result.gap_cap_topup_t)));
      }
    }
    result.deduction_t = input.deduction_t;
    if (!input.deduction_t.is_zero()) {
      notes.insert("deducted " + input.deduction_t.ToShortString() + " t for an earlier shortfall (等量核减)");
      if (!final_exact.Subtract(Exact::Of(input.deduction_t))) return Overflow("deduction_t");
      if (final_exact.is_negative()) {
        notes.insert("the deduction exceeds the year's allowance; the rest is carried to the next allocation");
        final_exact = Exact();
      }
    }
    result.final_allowance_t = Round(final_exact, 0, plan.allowance_rounding);
    if (!plan.allowance_rounding_stated) {
      notes.insert("the " + plan.plan + " plan states no rounding; GreenLoop issues whole tonnes rounded down");
    }
    if (all_verified && !verified.is_zero()) {
      Exact gap = verified;
      MustSucceed(gap.Subtract(Exact::Of(result.final_allowance_t)));
      MustSucceed(gap.MultiplyRatio(100, 1));
      MustSucceed(gap.Divide(verified));
      result.gap_rate_percent = Round(gap, plan.gap_rate_percent_decimals, Rounding::kHalfUp);
    }
    if (pre_allocation_known) {
      result.pre_allocation_t = Round(pre_allocation, 0, Rounding::kDown);
    }
    std::optional<Decimal> issued = input.pre_allocation_issued_t ? input.pre_allocation_issued_t : result.pre_allocation_t;
    if (issued) result.true_up_t = result.final_allowance_t - *issued;
    result.notes.assign(notes.begin(), notes.end());
    return Status::OK();
  }
};

}  // namespace

Result<PowerAllocationResult> AllocatePower(const PowerAllocationInput& input, const PowerPlan& plan) {
  GL_ASSERT(plan.year > 0);
  Allocation allocation{input, plan, {}, {}};
  Status st = allocation.Run();
  if (!st.ok()) return st;
  return std::move(allocation.result);
}

}  // namespace greenloop::allocation
