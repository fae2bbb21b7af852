#include "mrv/aluminium.h"

#include <set>
#include <utility>

#include "core/assert.h"

namespace greenloop::mrv {
namespace {

using industry::AddDecimalTo;
using industry::AddTo;
using industry::CheckFullYear;
using industry::MakeFigure;
using industry::Notes;
using industry::OutOfRange;
using industry::Overflow;
using industry::ProductOf;
using industry::RatioOf;
using industry::RequireFraction;
using industry::RequireNonNegative;
using industry::RoundHalfUp;
using industry::ValidateDataYear;
using industry::ValidateMonth;

// GreenLoop plausibility bounds, not rules. They refuse unit mistakes (kg for t, % for a
// fraction, g for kg) while leaving every real smelter far inside.
const Decimal kMaxNetAnode = Decimal::FromInt(1);             // t per t Al; net use is about 0.4
const Decimal kMaxAnodeImpurity = Decimal::FromMicros(100'000);  // S or ash fraction: anodes are > 90 % carbon
const Decimal kMaxPfcFactor = Decimal::FromInt(10);           // kg per t Al; the defaults are 0.034 and below
const Decimal kMaxAem = Decimal::FromInt(1440);               // minutes in a cell-day: a physical bound
const Decimal kMaxCarbonateEf = Decimal::FromInt(1);          // tCO2 per t; pure carbonates release ≤ 0.53

std::string Index(const std::string& name, size_t i) { return name + "[" + std::to_string(i) + "]"; }

Status InRange(Decimal value, Decimal min, bool min_exclusive, Decimal max, const std::string& field,
               const std::string& what, const std::string& unit_hint) {
  const bool low = min_exclusive ? value <= min : value < min;
  if (low || value > max) {
    return OutOfRange(field, what + " must be " + (min_exclusive ? "above " : "at least ") + min.ToShortString() +
                                 " and at most " + max.ToShortString() + " (got " + value.ToShortString() + ")" +
                                 unit_hint);
  }
  return Status::OK();
}

struct Accounting {
  const AluminiumInput& input;
  const AluminiumRules& rules;
  AluminiumResult result;
  Notes notes;
  FuelYearTotals fuel_years;
  MaterialYearTotals carbonate_years;

  // The month's value, else the year's input, else the default: noted when not [P] and it
  // multiplies a quantity that is not zero (`matters`).
  UsedValue Pick(const std::optional<Decimal>& month_value, const std::optional<Decimal>& year_value,
                 const SourcedValue& default_value, const std::string& what, const std::string& unit, bool matters) {
    if (month_value) return UsedValue{*month_value, ValueBasis::kMeasured, "", "measured in the month"};
    if (year_value) return UsedValue{*year_value, ValueBasis::kInput, "", "given for the year in parameters"};
    if (matters && default_value.tag != "P") {
      notes.Add("default [" + default_value.tag + "] used: " + what + " = " + default_value.value.ToShortString() +
                (unit.empty() ? "" : " " + unit) + " (" + default_value.source + ")");
    }
    return UsedValue::Default(default_value);
  }

  Status ValidateOverrides() {
    const AluminiumOverrides& p = input.parameters;
    const std::string prefix = "parameters.";
    if (p.net_anode_t_per_t_al) {
      GL_RETURN_IF_ERROR(InRange(*p.net_anode_t_per_t_al, Decimal(), true, kMaxNetAnode, prefix + "net_anode_t_per_t_al",
                                 "net anode consumption", " t per t Al; give tonnes, not kg"));
    }
    for (const auto& [value, name] : {std::pair{p.anode_sulfur_fraction, "anode_sulfur_fraction"},
                                      std::pair{p.anode_ash_fraction, "anode_ash_fraction"}}) {
      if (value) {
        GL_RETURN_IF_ERROR(InRange(*value, Decimal(), false, kMaxAnodeImpurity, prefix + name, name,
                                   "; write 2 % as 0.02"));
      }
    }
    for (const auto& [value, name] : {std::pair{p.ef_cf4_kg_per_t_al, "ef_cf4_kg_per_t_al"},
                                      std::pair{p.ef_c2f6_kg_per_t_al, "ef_c2f6_kg_per_t_al"}}) {
      if (value) GL_RETURN_IF_ERROR(InRange(*value, Decimal(), false, kMaxPfcFactor, prefix + name, name, " kg per t Al"));
    }
    if (p.aem_slope) {
      GL_RETURN_IF_ERROR(InRange(*p.aem_slope, Decimal(), true, kMaxPfcFactor, prefix + "aem_slope", "aem_slope", ""));
    }
    if (p.c2f6_cf4_ratio) {
      GL_RETURN_IF_ERROR(RequireFraction(*p.c2f6_cf4_ratio, false, prefix + "c2f6_cf4_ratio", "the C2F6/CF4 ratio"));
    }
    for (const auto& [value, name] : {std::pair{p.gwp_cf4, "gwp_cf4"}, std::pair{p.gwp_c2f6, "gwp_c2f6"}}) {
      if (value && value->micros() <= 0) return OutOfRange(prefix + name, std::string(name) + " must be above 0");
    }
    for (const auto& [code, ef] : p.carbonate_ef_t_per_t) {
      const std::string field = prefix + "carbonate_ef." + code;
      if (!rules.carbonates.count(code)) return UnknownCarbonate(code, field);
      GL_RETURN_IF_ERROR(InRange(ef, Decimal(), true, kMaxCarbonateEf, field, "a carbonate EF", " tCO2 per t"));
    }
    return Status::OK();
  }

  Status UnknownCarbonate(const std::string& code, const std::string& field) const {
    std::string known;
    for (const auto& [c, spec] : rules.carbonates) known += (known.empty() ? "" : ", ") + c;
    return Status::Invalid("unknown_material", "unknown carbonate '" + code + "'; known: " + known, field);
  }

  Status Anode(const AluminiumMonth& month, const std::string& prefix, AluminiumMonthResult* out) {
    const bool produced = !month.liquid_aluminium_t.is_zero();
    const AluminiumOverrides& p = input.parameters;
    const AluminiumParameters& d = rules.defaults;
    if (month.net_anode_t_per_t_al) {
      GL_RETURN_IF_ERROR(InRange(*month.net_anode_t_per_t_al, Decimal(), true, kMaxNetAnode,
                                 prefix + "net_anode_t_per_t_al", "net anode consumption", " t per t Al; give tonnes, not kg"));
    }
    for (const auto& [value, name] : {std::pair{month.anode_sulfur_fraction, "anode_sulfur_fraction"},
                                      std::pair{month.anode_ash_fraction, "anode_ash_fraction"}}) {
      if (value) {
        GL_RETURN_IF_ERROR(InRange(*value, Decimal(), false, kMaxAnodeImpurity, prefix + name, name, "; write 2 % as 0.02"));
      }
    }
    out->net_anode_t_per_t_al = Pick(month.net_anode_t_per_t_al, p.net_anode_t_per_t_al, d.net_anode_t_per_t_al,
                                     "net anode consumption", "t/t Al", produced);
    out->anode_sulfur_fraction = Pick(month.anode_sulfur_fraction, p.anode_sulfur_fraction, d.anode_sulfur_fraction,
                                      "anode sulfur content", "", produced);
    out->anode_ash_fraction =
        Pick(month.anode_ash_fraction, p.anode_ash_fraction, d.anode_ash_fraction, "anode ash content", "", produced);
    const Decimal carbon_fraction =
        Decimal::FromInt(1) - out->anode_sulfur_fraction.value - out->anode_ash_fraction.value;
    if (carbon_fraction.micros() <= 0) {
      return OutOfRange(prefix + "anode_ash_fraction", "sulfur and ash leave no carbon in the anode");
    }
    Exact anode;
    GL_RETURN_IF_ERROR(ProductOf(month.liquid_aluminium_t, {out->net_anode_t_per_t_al.value, carbon_fraction},
                                 prefix + "liquid_aluminium_t", &anode));
    if (!anode.MultiplyRatio(44, 12)) return Overflow(prefix + "liquid_aluminium_t");
    out->anode = MakeFigure(anode, rules.precision.emissions);
    return Status::OK();
  }

  Status Pfc(const AluminiumMonth& month, const std::string& prefix, AluminiumMonthResult* out) {
    const bool produced = !month.liquid_aluminium_t.is_zero();
    const AluminiumOverrides& p = input.parameters;
    const AluminiumParameters& d = rules.defaults;
    const std::string field = prefix + "liquid_aluminium_t";
    Exact ef_cf4, ef_c2f6;  // kg per t Al, exact: slope × AEM may have more than six decimals
    if (month.anode_effect_minutes) {
      const std::string aem_field = prefix + "anode_effect_minutes";
      GL_RETURN_IF_ERROR(InRange(*month.anode_effect_minutes, Decimal(), false, kMaxAem, aem_field,
                                 "anode-effect minutes per cell-day", ""));
      for (const auto& [given, name] : {std::pair{p.ef_cf4_kg_per_t_al, "ef_cf4_kg_per_t_al"},
                                        std::pair{p.ef_c2f6_kg_per_t_al, "ef_c2f6_kg_per_t_al"}}) {
        if (given) {
          return Status::Invalid("conflicting_fields",
                                 std::string("parameters.") + name +
                                     " is given for the year and anode-effect minutes for this month; give either the "
                                     "factors or the minutes",
                                 aem_field);
        }
      }
      out->pfc_method = PfcMethod::kAnodeEffectMinutes;
      out->anode_effect_minutes = month.anode_effect_minutes;
      out->aem_slope =
          Pick(std::nullopt, p.aem_slope, d.aem_slope, "anode-effect slope (EF_CF4 = slope × AEM)", "", produced);
      out->c2f6_cf4_ratio = Pick(std::nullopt, p.c2f6_cf4_ratio, d.c2f6_cf4_ratio, "C2F6/CF4 ratio", "", produced);
      ef_cf4 = Exact::Of(out->aem_slope->value);
      if (!ef_cf4.Multiply(*month.anode_effect_minutes)) return Overflow(aem_field);
      ef_c2f6 = ef_cf4;
      if (!ef_c2f6.Multiply(out->c2f6_cf4_ratio->value)) return Overflow(aem_field);
      out->ef_cf4_kg_per_t_al = {RoundHalfUp(ef_cf4, Decimal::kScale), ValueBasis::kDerived, "",
                                 "slope × anode-effect minutes"};
      out->ef_c2f6_kg_per_t_al = {RoundHalfUp(ef_c2f6, Decimal::kScale), ValueBasis::kDerived, "",
                                  "C2F6/CF4 ratio × EF_CF4"};
    } else {
      out->pfc_method = PfcMethod::kFactors;
      out->ef_cf4_kg_per_t_al =
          Pick(std::nullopt, p.ef_cf4_kg_per_t_al, d.ef_cf4_kg_per_t_al, "EF_CF4", "kg/t Al", produced);
      out->ef_c2f6_kg_per_t_al =
          Pick(std::nullopt, p.ef_c2f6_kg_per_t_al, d.ef_c2f6_kg_per_t_al, "EF_C2F6", "kg/t Al", produced);
      ef_cf4 = Exact::Of(out->ef_cf4_kg_per_t_al.value);
      ef_c2f6 = Exact::Of(out->ef_c2f6_kg_per_t_al.value);
    }
    out->gwp_cf4 = Pick(std::nullopt, p.gwp_cf4, d.gwp_cf4, "GWP of CF4", "", produced);
    out->gwp_c2f6 = Pick(std::nullopt, p.gwp_c2f6, d.gwp_c2f6, "GWP of C2F6", "", produced);
    out->cf4_kg = ef_cf4;
    out->c2f6_kg = ef_c2f6;
    if (!out->cf4_kg.Multiply(month.liquid_aluminium_t) || !out->c2f6_kg.Multiply(month.liquid_aluminium_t)) {
      return Overflow(field);
    }
    Exact cf4_co2e = out->cf4_kg, c2f6_co2e = out->c2f6_kg;
    if (!cf4_co2e.Multiply(out->gwp_cf4.value) || !c2f6_co2e.Multiply(out->gwp_c2f6.value) || !cf4_co2e.Add(c2f6_co2e) ||
        !cf4_co2e.MultiplyRatio(1, 1000)) {
      return Overflow(field);
    }
    out->pfc = MakeFigure(cf4_co2e, rules.precision.emissions);
    return Status::OK();
  }

  Status Carbonates(const AluminiumMonth& month, const std::string& prefix, AluminiumMonthResult* out) {
    std::set<std::string> seen;
    Exact sum;
    for (size_t i = 0; i < month.carbonates.size(); ++i) {
      const MaterialUse& use = month.carbonates[i];
      const std::string path = prefix + Index("carbonates", i);
      auto spec = rules.carbonates.find(use.material);
      if (spec == rules.carbonates.end()) return UnknownCarbonate(use.material, path + ".material");
      if (!seen.insert(use.material).second) {
        return Status::Invalid("duplicate", "'" + use.material + "' is listed twice in the month", path + ".material");
      }
      GL_RETURN_IF_ERROR(RequireNonNegative(use.quantity_t, path + ".quantity_t", "the quantity"));
      auto given = input.parameters.carbonate_ef_t_per_t.find(use.material);
      std::optional<Decimal> year_value;
      if (given != input.parameters.carbonate_ef_t_per_t.end()) year_value = given->second;
      MaterialLine line;
      line.material = use.material;
      line.role = "carbonate";
      line.quantity_t = use.quantity_t;
      line.factor = Pick(std::nullopt, year_value, spec->second.ef_t_per_t, "EF of " + use.material, "tCO2/t",
                         !use.quantity_t.is_zero());
      Exact emissions;
      GL_RETURN_IF_ERROR(ProductOf(use.quantity_t, {line.factor.value}, path + ".quantity_t", &emissions));
      line.emissions = MakeFigure(emissions, rules.precision.emissions);
      GL_RETURN_IF_ERROR(AddTo(&sum, emissions, path + ".quantity_t"));
      GL_RETURN_IF_ERROR(carbonate_years.Add(line, path + ".quantity_t"));
      out->carbonates.push_back(std::move(line));
    }
    out->carbonate = MakeFigure(sum, rules.precision.emissions);
    return Status::OK();
  }

  Status ComputeMonth(size_t mi) {
    const AluminiumMonth& month = input.months[mi];
    const std::string prefix = Index("months", mi) + ".";
    GL_RETURN_IF_ERROR(ValidateMonth(month.month, prefix + "month"));
    GL_RETURN_IF_ERROR(RequireNonNegative(month.liquid_aluminium_t, prefix + "liquid_aluminium_t", "liquid aluminium output"));
    GL_RETURN_IF_ERROR(RequireNonNegative(month.purchased_electricity_mwh, prefix + "purchased_electricity_mwh",
                                          "purchased electricity"));
    GL_RETURN_IF_ERROR(RequireNonNegative(month.electrolysis_ac_mwh, prefix + "electrolysis_ac_mwh",
                                          "electrolysis AC consumption"));
    AluminiumMonthResult out;
    out.month = month.month;
    out.liquid_aluminium_t = month.liquid_aluminium_t;
    out.purchased_electricity_mwh = month.purchased_electricity_mwh;
    out.electrolysis_ac_mwh = month.electrolysis_ac_mwh;
    const FuelPolicy policy{true, true, true, rules.precision.emissions};
    std::set<std::string> seen;
    Exact fuel;
    for (size_t i = 0; i < month.fuels.size(); ++i) {
      const std::string path = prefix + Index("fuels", i);
      if (!seen.insert(month.fuels[i].fuel).second) {
        return Status::Invalid("duplicate", "fuel '" + month.fuels[i].fuel + "' is listed twice in the month", path + ".fuel");
      }
      FuelEmissionLine line;
      GL_RETURN_IF_ERROR(ComputeFuelEmission(month.fuels[i], rules.fuels, policy, path, &line, &notes));
      GL_RETURN_IF_ERROR(AddTo(&fuel, line.emissions.exact, path + ".consumption"));
      GL_RETURN_IF_ERROR(fuel_years.Add(line, path));
      out.fuels.push_back(std::move(line));
    }
    out.fuel = MakeFigure(fuel, rules.precision.emissions);
    GL_RETURN_IF_ERROR(Anode(month, prefix, &out));
    GL_RETURN_IF_ERROR(Pfc(month, prefix, &out));
    GL_RETURN_IF_ERROR(Carbonates(month, prefix, &out));
    Exact total = out.fuel.exact;
    if (!total.Add(out.anode.exact) || !total.Add(out.pfc.exact) || !total.Add(out.carbonate.exact)) {
      return Overflow(prefix + "liquid_aluminium_t");
    }
    out.total = MakeFigure(total, rules.precision.emissions);
    result.months.push_back(std::move(out));
    return Status::OK();
  }

  Status SumYear() {
    Exact fuel, anode, pfc, carbonate, total, cf4, c2f6;
    Decimal aluminium, purchased, ac;
    for (const AluminiumMonthResult& m : result.months) {
      if (!fuel.Add(m.fuel.exact) || !anode.Add(m.anode.exact) || !pfc.Add(m.pfc.exact) ||
          !carbonate.Add(m.carbonate.exact) || !total.Add(m.total.exact) || !cf4.Add(m.cf4_kg) || !c2f6.Add(m.c2f6_kg)) {
        return Overflow("months");
      }
      GL_RETURN_IF_ERROR(AddDecimalTo(&aluminium, m.liquid_aluminium_t, "months"));
      GL_RETURN_IF_ERROR(AddDecimalTo(&purchased, m.purchased_electricity_mwh, "months"));
      GL_RETURN_IF_ERROR(AddDecimalTo(&ac, m.electrolysis_ac_mwh, "months"));
    }
    const int d = rules.precision.emissions;
    result.fuel = MakeFigure(fuel, d);
    result.anode = MakeFigure(anode, d);
    result.pfc = MakeFigure(pfc, d);
    result.carbonate = MakeFigure(carbonate, d);
    result.total = MakeFigure(total, d);
    result.total_integer_t = RoundHalfUp(total, rules.precision.total);
    result.liquid_aluminium_t = RoundHalfUp(Exact::Of(aluminium), rules.precision.quantity);
    result.intensity_t_per_t = RatioOf(total, aluminium, rules.precision.intensity);
    if (!cf4.MultiplyRatio(1, 1000) || !c2f6.MultiplyRatio(1, 1000)) return Overflow("months");
    result.cf4_t = RoundHalfUp(cf4, Decimal::kScale);
    result.c2f6_t = RoundHalfUp(c2f6, Decimal::kScale);
    result.purchased_electricity_mwh = RoundHalfUp(Exact::Of(purchased), rules.precision.electricity);
    result.electrolysis_ac_mwh = RoundHalfUp(Exact::Of(ac), rules.precision.electricity);
    result.fuels = fuel_years.Finish(rules.precision.ncv, d);
    result.carbonates = carbonate_years.Finish(d);
    return Status::OK();
  }

  Status Run() {
    GL_RETURN_IF_ERROR(ValidateDataYear(input.data_year));
    if (input.months.empty()) return Status::Invalid("missing_field", "report the enterprise's months", "months");
    if (input.months.size() > 12) return OutOfRange("months", "a year has at most 12 months");
    GL_RETURN_IF_ERROR(ValidateOverrides());
    result.data_year = input.data_year;
    std::set<int> months;
    for (size_t mi = 0; mi < input.months.size(); ++mi) {
      if (!months.insert(input.months[mi].month).second) {
        return Status::Invalid("duplicate", "month " + std::to_string(input.months[mi].month) + " is reported twice",
                               Index("months", mi) + ".month");
      }
      GL_RETURN_IF_ERROR(ComputeMonth(mi));
    }
    GL_RETURN_IF_ERROR(CheckFullYear(months, input.allow_partial_year, input.data_year, "the enterprise", "months",
                                     &result.months_missing, &notes));
    GL_RETURN_IF_ERROR(SumYear());
    notes.Add("purchased electricity and the electrolysis AC consumption are auxiliary report items: reported, not "
              "counted in the emissions");
    result.notes = notes.list();
    return Status::OK();
  }
};

}  // namespace

const char* PfcMethodName(PfcMethod method) {
  switch (method) {
    case PfcMethod::kFactors: return "emission_factors";
    case PfcMethod::kAnodeEffectMinutes: return "anode_effect_minutes";
  }
  return "unknown";
}

Result<AluminiumResult> AccountAluminiumEmissions(const AluminiumInput& input, const AluminiumRules& rules) {
  Accounting accounting{input, rules, {}, {}, {}, {}};
  Status st = accounting.Run();
  if (!st.ok()) return st;
  return std::move(accounting.result);
}

}  // namespace greenloop::mrv
