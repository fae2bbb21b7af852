#include "mrv/power_accounting.h"

#include <algorithm>
#include <array>
#include <set>

#include "core/assert.h"

namespace greenloop::mrv {
namespace {

const Decimal kMaxCapacityMw = Decimal::FromInt(2000);
const Decimal kMinCarbonTcPerGj = Decimal::FromMicros(5'000);   // 0.005 tC/GJ
const Decimal kMaxCarbonTcPerGj = Decimal::FromMicros(50'000);  // 0.050 tC/GJ
// Electricity and heat out cannot exceed the fuels' heat in; 0.95 leaves room for measurement
// error without letting a unit mistake (kt for t, kWh for MWh) through.
const Decimal kMaxOverallEfficiency = Decimal::FromMicros(950'000);
const Decimal kGjPerMwh = Decimal::FromMicros(3'600'000);

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

std::string Path(size_t month_index, const std::string& field) {
  return "months[" + std::to_string(month_index) + "]." + field;
}

Status OutOfRange(const std::string& field, const std::string& message) {
  return Status::Invalid("out_of_range", message, field);
}

Status Overflow(const std::string& field) {
  return Status::Invalid("out_of_range", "the figures are too large to compute; check the units", field);
}

Decimal RoundOrDie(const Exact& value, int decimals) {
  std::optional<Decimal> rounded = value.Round(decimals, Rounding::kHalfUp);
  // Inputs are bounded by validation, so every product fits a Decimal.
  GL_ASSERT(rounded.has_value());
  return *rounded;
}

std::optional<Decimal> Ratio(const Exact& numerator, Decimal denominator, int decimals) {
  if (denominator.micros() <= 0) return std::nullopt;
  Exact ratio = numerator;
  if (!ratio.Divide(Exact::Of(denominator))) return std::nullopt;
  return ratio.Round(decimals, Rounding::kHalfUp);
}

}  // namespace

const char* CarbonBasisName(CarbonBasis basis) {
  switch (basis) {
    case CarbonBasis::kMeasured: return "measured";
    case CarbonBasis::kDefaultNotMeasured: return "default_not_measured";
    case CarbonBasis::kDefaultNoEvidence: return "default_not_measured_as_required";
    case CarbonBasis::kFuelDefault: return "fuel_default";
  }
  return "unknown";
}

const GridFactor* PowerAccountingRules::GridFactorFor(int data_year) const {
  for (const GridFactor& g : grid_factors) {
    if (g.data_year == data_year) return &g;
  }
  return nullptr;
}

const UnmeasuredCoalCarbon* PowerAccountingRules::UnmeasuredCoalCarbonFor(int year, int month) const {
  int index = year * 12 + (month - 1);
  for (const UnmeasuredCoalCarbon& u : unmeasured_coal_carbon) {
    if (index >= u.from_month_index && index <= u.to_month_index) return &u;
  }
  return nullptr;
}

namespace {

struct Accounting {
  const PowerAccountingInput& input;
  const PowerAccountingRules& rules;
  PowerAccountingResult result;
  std::set<std::string> notes;
  // Which defaults were used, as flags: the notes are written once at the end rather than built
  // for every fuel row (a province recomputes hundreds of thousands of rows).
  std::set<const FuelSpec*> unconfirmed_ncv_defaults;
  std::set<const FuelSpec*> unconfirmed_carbon_defaults;
  std::set<std::pair<const UnmeasuredCoalCarbon*, bool>> coal_carbon_defaults;  // bool: measured without evidence

  Status ValidateUnits() {
    if (input.units.empty()) return Status::Invalid("missing_field", "list at least one generating unit", "units");
    std::set<std::string> ids;
    for (size_t i = 0; i < input.units.size(); ++i) {
      const GeneratingUnit& unit = input.units[i];
      const std::string prefix = "units[" + std::to_string(i) + "].";
      if (unit.id.empty()) return Status::Invalid("missing_field", "each unit needs an id", prefix + "id");
      if (!ids.insert(unit.id).second) {
        return Status::Invalid("duplicate", "unit id '" + unit.id + "' appears twice", prefix + "id");
      }
      if (unit.capacity_mw.micros() <= 0 || unit.capacity_mw > kMaxCapacityMw) {
        return OutOfRange(prefix + "capacity_mw", "rated capacity must be above 0 and at most 2000 MW (got " +
                                                      unit.capacity_mw.ToShortString() + "); give it in MW, not kW");
      }
    }
    return Status::OK();
  }

  const GeneratingUnit* FindUnit(const std::string& id) const {
    for (const GeneratingUnit& u : input.units) {
      if (u.id == id) return &u;
    }
    return nullptr;
  }

  Status ComputeFuel(size_t mi, size_t fi, const UnitMonth& month, FuelEmission* out, Exact* heat_in_gj) {
    const FuelUse& use = month.fuels[fi];
    const std::string prefix = "fuels[" + std::to_string(fi) + "].";
    auto spec_it = rules.fuels.find(use.fuel);
    if (spec_it == rules.fuels.end()) {
      std::string known;
      for (const auto& [code, spec] : rules.fuels) known += (known.empty() ? "" : ", ") + code;
      return Status::Invalid("unknown_fuel", "unknown fuel '" + use.fuel + "'; known fuels: " + known,
                             Path(mi, prefix + "fuel"));
    }
    const FuelSpec& spec = spec_it->second;
    out->fuel = spec.code;
    if (use.consumption.is_negative()) {
      return OutOfRange(Path(mi, prefix + "consumption"), "fuel consumption cannot be negative (got " +
                                                              use.consumption.ToShortString() + " " + spec.unit + ")");
    }
    out->consumption = use.consumption;

    if (use.ncv) {
      if (*use.ncv < spec.ncv_min || *use.ncv > spec.ncv_max) {
        std::string hint = spec.state == FuelState::kGas ? " (NCV of a gas is in GJ per 10^4 Nm3, e.g. 389.31 for natural gas, not MJ/m3)"
                                                          : " (NCV is in GJ/t; kcal/kg or MJ/kg values are out of scale)";
        return OutOfRange(Path(mi, prefix + "ncv"), "net calorific value " + use.ncv->ToShortString() + " of " + spec.code +
                                                        " is outside its physical range " + spec.ncv_min.ToShortString() +
                                                        "–" + spec.ncv_max.ToShortString() + " GJ/" + spec.unit + hint);
      }
      out->ncv = *use.ncv;
    } else if (spec.ncv_default) {
      out->ncv = *spec.ncv_default;
      out->ncv_default = true;
      if (spec.tag == "U") unconfirmed_ncv_defaults.insert(&spec);
    } else {
      return Status::Invalid("missing_field", "the NCV of " + spec.code + " must be measured; the guideline has no default",
                             Path(mi, prefix + "ncv"));
    }

    if (use.carbon_tc_per_gj) {
      if (*use.carbon_tc_per_gj < kMinCarbonTcPerGj || *use.carbon_tc_per_gj > kMaxCarbonTcPerGj) {
        return OutOfRange(Path(mi, prefix + "carbon_tc_per_gj"),
                          "carbon content per unit heat " + use.carbon_tc_per_gj->ToShortString() +
                              " tC/GJ is outside 0.005–0.05 (coal is about 0.026–0.034, natural gas 0.0153)");
      }
    }
    const bool measured_as_required = use.carbon_tc_per_gj.has_value() && !use.carbon_evidence.empty();
    if (measured_as_required) {
      out->carbon_tc_per_gj = *use.carbon_tc_per_gj;
      out->carbon_basis = CarbonBasis::kMeasured;
    } else if (spec.is_coal) {
      const UnmeasuredCoalCarbon* fallback = rules.UnmeasuredCoalCarbonFor(input.data_year, month.month);
      if (fallback == nullptr) {
        return Status::Invalid("no_rule", "no default carbon content for unmeasured coal is set for " +
                                              std::to_string(input.data_year) + "-" + std::to_string(month.month) +
                                              "; measure it (with a test report id) or have the regulator set the default",
                               Path(mi, prefix + "carbon_tc_per_gj"));
      }
      out->carbon_tc_per_gj = fallback->tc_per_gj;
      out->carbon_basis = use.carbon_tc_per_gj ? CarbonBasis::kDefaultNoEvidence : CarbonBasis::kDefaultNotMeasured;
      out->carbon_tag = fallback->tag;
      coal_carbon_defaults.insert({fallback, use.carbon_tc_per_gj.has_value()});
    } else if (spec.carbon_default_tc_per_gj) {
      out->carbon_tc_per_gj = *spec.carbon_default_tc_per_gj;
      out->carbon_basis = CarbonBasis::kFuelDefault;
      out->carbon_tag = spec.tag;
      if (spec.tag == "U") unconfirmed_carbon_defaults.insert(&spec);
    } else {
      return Status::Invalid("missing_field", "the carbon content of " + spec.code + " must be measured",
                             Path(mi, prefix + "carbon_tc_per_gj"));
    }

    if (use.oxidation_rate) {
      if (use.oxidation_rate->micros() <= 0 || use.oxidation_rate->micros() > Decimal::kOne) {
        return OutOfRange(Path(mi, prefix + "oxidation_rate"),
                          "oxidation rate is a fraction above 0 and at most 1 (got " + use.oxidation_rate->ToShortString() +
                              "); write 99 % as 0.99");
      }
      out->oxidation_rate = *use.oxidation_rate;
    } else {
      out->oxidation_rate = spec.oxidation_default;
      out->oxidation_default = true;
    }

    Exact heat = Exact::Of(out->consumption);
    if (!heat.Multiply(out->ncv)) return Overflow(Path(mi, prefix + "consumption"));
    Exact emissions = heat;
    if (!emissions.Multiply(out->carbon_tc_per_gj) || !emissions.Multiply(out->oxidation_rate) ||
        !emissions.MultiplyRatio(44, 12)) {
      return Overflow(Path(mi, prefix + "consumption"));
    }
    if (!heat_in_gj->Add(heat)) return Overflow(Path(mi, prefix + "consumption"));
    out->emissions_exact = emissions;
    out->emissions_t = RoundOrDie(emissions, rules.emission_decimals);
    return Status::OK();
  }

  Status ComputeMonth(size_t mi, const GridFactor& grid) {
    const UnitMonth& month = input.months[mi];
    const GeneratingUnit* unit = FindUnit(month.unit_id);
    if (unit == nullptr) {
      return Status::Invalid("unknown_unit", "unit '" + month.unit_id + "' is not among the facility's units",
                             Path(mi, "unit_id"));
    }
    if (month.month < 1 || month.month > 12) {
      return OutOfRange(Path(mi, "month"), "month must be 1–12 (got " + std::to_string(month.month) + ")");
    }
    for (const auto& [value, name] : {std::pair{month.generation_mwh, "generation_mwh"},
                                      std::pair{month.supply_mwh, "supply_mwh"},
                                      std::pair{month.heat_supplied_gj, "heat_supplied_gj"},
                                      std::pair{month.purchased_electricity_mwh, "purchased_electricity_mwh"}}) {
      if (value.is_negative()) return OutOfRange(Path(mi, name), std::string(name) + " cannot be negative");
    }
    // A unit cannot generate more than its rated output for every hour of the month (10 % margin).
    Exact max_generation = Exact::Of(unit->capacity_mw);
    const bool fits = max_generation.MultiplyRatio(DaysInMonth(input.data_year, month.month) * 24 * 11, 10);
    GL_ASSERT(fits);  // capacity ≤ 2000 MW was checked
    if (Exact::Of(month.generation_mwh) > max_generation) {
      return OutOfRange(Path(mi, "generation_mwh"),
                        "generation " + month.generation_mwh.ToShortString() + " MWh exceeds what a " +
                            unit->capacity_mw.ToShortString() + " MW unit can produce in the month; give it in MWh, not kWh");
    }
    if (month.supply_mwh > month.generation_mwh) {
      return OutOfRange(Path(mi, "supply_mwh"), "power supplied (" + month.supply_mwh.ToShortString() +
                                                    " MWh) cannot exceed power generated (" +
                                                    month.generation_mwh.ToShortString() + " MWh)");
    }
    if (month.load_rate && (month.load_rate->is_negative() || month.load_rate->micros() > Decimal::kOne)) {
      return OutOfRange(Path(mi, "load_rate"), "load rate is a fraction 0–1 (write 75 % as 0.75)");
    }

    UnitMonthResult out;
    out.unit_id = month.unit_id;
    out.month = month.month;
    out.generation_mwh = month.generation_mwh;
    out.supply_mwh = month.supply_mwh;
    out.heat_supplied_gj = month.heat_supplied_gj;
    out.purchased_electricity_mwh = month.purchased_electricity_mwh;
    out.grid_factor_t_per_mwh = grid.t_per_mwh;
    if (month.fuels.empty() && !month.generation_mwh.is_zero()) {
      return Status::Invalid("missing_field", "a month with generation must report the fuels burned", Path(mi, "fuels"));
    }
    Exact heat_in_gj;
    for (size_t fi = 0; fi < month.fuels.size(); ++fi) {
      const auto earlier = month.fuels.begin() + static_cast<std::ptrdiff_t>(fi);
      if (std::any_of(month.fuels.begin(), earlier, [&](const FuelUse& f) { return f.fuel == month.fuels[fi].fuel; })) {
        return Status::Invalid("duplicate", "fuel '" + month.fuels[fi].fuel + "' is listed twice in the month",
                               Path(mi, "fuels[" + std::to_string(fi) + "].fuel"));
      }
      FuelEmission fuel;
      GL_RETURN_IF_ERROR(ComputeFuel(mi, fi, month, &fuel, &heat_in_gj));
      if (!out.combustion_exact.Add(fuel.emissions_exact)) return Overflow(Path(mi, "fuels"));
      out.fuels.push_back(std::move(fuel));
    }
    Exact heat_out_gj = Exact::Of(month.generation_mwh);
    if (!heat_out_gj.Multiply(kGjPerMwh) || !heat_out_gj.Add(Exact::Of(month.heat_supplied_gj))) {
      return Overflow(Path(mi, "generation_mwh"));
    }
    Exact max_heat_out = heat_in_gj;
    if (!max_heat_out.Multiply(kMaxOverallEfficiency)) return Overflow(Path(mi, "fuels"));
    // The other way round: fuel worth more than twenty times the energy produced (an efficiency
    // under 5 %) is a unit mistake too (kg for t, or an extra thousands digit).
    Exact min_heat_in = heat_out_gj;
    if (!min_heat_in.MultiplyRatio(20, 1)) return Overflow(Path(mi, "generation_mwh"));
    if (!heat_out_gj.is_zero() && heat_in_gj > min_heat_in) {
      return OutOfRange(Path(mi, "fuels[0].consumption"),
                        "the fuels' heat (" + RoundOrDie(heat_in_gj, 0).ToShortString() +
                            " GJ) is more than 20 times the electricity and heat produced (" +
                            RoundOrDie(heat_out_gj, 0).ToShortString() +
                            " GJ): was consumption given in kg instead of t, or with an extra digit?");
    }
    if (!month.fuels.empty() && heat_out_gj > max_heat_out) {
      return OutOfRange(Path(mi, "fuels[0].consumption"),
                        "the fuels' heat (" + RoundOrDie(heat_in_gj, 0).ToShortString() +
                            " GJ) is less than the electricity and heat produced (" + RoundOrDie(heat_out_gj, 0).ToShortString() +
                            " GJ): was consumption given in kt instead of t, or generation in kWh instead of MWh?");
    }
    out.electricity_exact = Exact::Of(month.purchased_electricity_mwh);
    if (!out.electricity_exact.Multiply(grid.t_per_mwh)) return Overflow(Path(mi, "purchased_electricity_mwh"));
    Exact total = out.combustion_exact;
    if (!total.Add(out.electricity_exact)) return Overflow(Path(mi, "purchased_electricity_mwh"));
    out.combustion_t = RoundOrDie(out.combustion_exact, rules.emission_decimals);
    out.electricity_t = RoundOrDie(out.electricity_exact, rules.emission_decimals);
    out.total_t = RoundOrDie(total, rules.emission_decimals);
    result.unit_months.push_back(std::move(out));
    return Status::OK();
  }

  Status SumYears() {
    Exact facility_combustion, facility_electricity;
    // One pass over the months into per-unit sums (units are few, months many).
    std::vector<UnitYearResult> years(input.units.size());
    std::vector<std::array<bool, 13>> reported(input.units.size(), std::array<bool, 13>{});
    for (const UnitMonthResult& m : result.unit_months) {
      const size_t u = static_cast<size_t>(FindUnit(m.unit_id) - input.units.data());
      UnitYearResult& y = years[u];
      reported[u][static_cast<size_t>(m.month)] = true;
      if (!y.combustion_exact.Add(m.combustion_exact) || !y.electricity_exact.Add(m.electricity_exact)) {
        return Overflow("months");
      }
      y.generation_mwh = y.generation_mwh + m.generation_mwh;
      y.supply_mwh = y.supply_mwh + m.supply_mwh;
      y.heat_supplied_gj = y.heat_supplied_gj + m.heat_supplied_gj;
      y.purchased_electricity_mwh = y.purchased_electricity_mwh + m.purchased_electricity_mwh;
    }
    for (size_t u = 0; u < input.units.size(); ++u) {
      const GeneratingUnit& unit = input.units[u];
      UnitYearResult year = std::move(years[u]);
      year.unit_id = unit.id;
      for (int m = 1; m <= 12; ++m) {
        (reported[u][static_cast<size_t>(m)] ? year.months_reported : year.months_missing).push_back(m);
      }
      if (!year.months_missing.empty()) {
        std::string missing;
        for (int m : year.months_missing) missing += (missing.empty() ? "" : ", ") + std::to_string(m);
        if (!input.allow_partial_year) {
          return Status::Invalid("missing_months", "unit '" + unit.id + "' has no data for month(s) " + missing + " of " +
                                                        std::to_string(input.data_year) +
                                                        "; report every month (or set allow_partial_year for an estimate)",
                                 "months");
        }
        notes.insert("partial year: unit '" + unit.id + "' lacks month(s) " + missing);
      }
      Exact total = year.combustion_exact;
      if (!total.Add(year.electricity_exact)) return Overflow("months");
      year.combustion_t = RoundOrDie(year.combustion_exact, rules.emission_decimals);
      year.electricity_t = RoundOrDie(year.electricity_exact, rules.emission_decimals);
      year.total_t = RoundOrDie(total, rules.emission_decimals);
      year.combustion_per_mwh_generated = Ratio(year.combustion_exact, year.generation_mwh, rules.intensity_decimals);
      year.combustion_per_mwh_supplied = Ratio(year.combustion_exact, year.supply_mwh, rules.intensity_decimals);
      if (!facility_combustion.Add(year.combustion_exact) || !facility_electricity.Add(year.electricity_exact)) {
        return Overflow("months");
      }
      result.unit_years.push_back(std::move(year));
    }
    Exact total = facility_combustion;
    if (!total.Add(facility_electricity)) return Overflow("months");
    result.combustion_t = RoundOrDie(facility_combustion, rules.emission_decimals);
    result.electricity_t = RoundOrDie(facility_electricity, rules.emission_decimals);
    result.total_t = RoundOrDie(total, rules.emission_decimals);
    return Status::OK();
  }

  Status Run() {
    if (input.data_year < 2013 || input.data_year > 2100) {
      return OutOfRange("data_year", "data_year must be a calendar year such as 2023");
    }
    GL_RETURN_IF_ERROR(ValidateUnits());
    const GridFactor* grid = rules.GridFactorFor(input.data_year);
    bool buys_electricity = std::any_of(input.months.begin(), input.months.end(),
                                        [](const UnitMonth& m) { return !m.purchased_electricity_mwh.is_zero(); });
    GridFactor none;
    none.data_year = input.data_year;
    if (grid == nullptr && buys_electricity) {
      return Status::Invalid("no_rule", "no grid emission factor is set for data year " + std::to_string(input.data_year) +
                                            "; the regulator must publish one before purchased electricity can be accounted",
                             "data_year");
    }
    if (grid == nullptr) grid = &none;
    result.data_year = input.data_year;
    result.grid_factor = *grid;
    // (unit index, month) pairs seen; unknown units and months are reported by ComputeMonth.
    std::vector<std::array<bool, 13>> seen(input.units.size(), std::array<bool, 13>{});
    for (size_t mi = 0; mi < input.months.size(); ++mi) {
      const UnitMonth& m = input.months[mi];
      const GeneratingUnit* unit = FindUnit(m.unit_id);
      if (unit != nullptr && m.month >= 1 && m.month <= 12) {
        bool& reported = seen[static_cast<size_t>(unit - input.units.data())][static_cast<size_t>(m.month)];
        if (reported) {
          return Status::Invalid("duplicate", "unit '" + m.unit_id + "' month " + std::to_string(m.month) + " is reported twice",
                                 Path(mi, "month"));
        }
        reported = true;
      }
      GL_RETURN_IF_ERROR(ComputeMonth(mi, *grid));
    }
    GL_RETURN_IF_ERROR(SumYears());
    if (!grid->tag.empty() && grid->tag != "P" && buys_electricity) {
      notes.insert("grid emission factor " + grid->t_per_mwh.ToShortString() + " tCO2/MWh for " +
                   std::to_string(input.data_year) + " is from a secondary source [" + grid->tag + "]: " + grid->source);
    }
    for (const FuelSpec* spec : unconfirmed_ncv_defaults) {
      notes.insert("the default NCV of " + spec->code + " is unconfirmed [U]: " + spec->source);
    }
    for (const FuelSpec* spec : unconfirmed_carbon_defaults) {
      notes.insert("the default carbon content of " + spec->code + " is unconfirmed [U]: " + spec->source);
    }
    for (const auto& [fallback, without_evidence] : coal_carbon_defaults) {
      notes.insert(std::string(without_evidence ? "coal carbon content given without a test report id"
                                                : "coal carbon content not measured") +
                   ": the guideline's default " + fallback->tc_per_gj.ToShortString() + " tC/GJ applies [" +
                   fallback->tag + "] (" + fallback->source + ")");
    }
    result.notes.assign(notes.begin(), notes.end());
    return Status::OK();
  }
};

}  // namespace

Result<PowerAccountingResult> AccountPowerEmissions(const PowerAccountingInput& input,
                                                    const PowerAccountingRules& rules) {
  Accounting accounting{input, rules, {}, {}, {}, {}, {}};
  Status st = accounting.Run();
  if (!st.ok()) return st;
  return std::move(accounting.result);
}

const char* UnitFuelTypeName(UnitFuelType type) {
  switch (type) {
    case UnitFuelType::kCoalConventional: return "coal_conventional";
    case UnitFuelType::kCoalUnconventional: return "coal_unconventional";
    case UnitFuelType::kGas: return "gas";
  }
  return "unknown";
}

const char* CoolingMethodName(CoolingMethod method) { return method == CoolingMethod::kAir ? "air" : "water"; }

const char* FuelStateName(FuelState state) {
  switch (state) {
    case FuelState::kSolid: return "solid";
    case FuelState::kLiquid: return "liquid";
    case FuelState::kGas: return "gas";
  }
  return "unknown";
}

}  // namespace greenloop::mrv
