#include "mrv/industry.h"

#include "core/assert.h"

namespace greenloop::mrv {
namespace {

using industry::AddDecimalTo;
using industry::AddTo;
using industry::MakeFigure;
using industry::Notes;
using industry::OutOfRange;
using industry::Overflow;
using industry::ProductOf;
using industry::RatioOf;
using industry::RequireFraction;
using industry::RequireNonNegative;

std::string UnitText(const std::string& unit) { return unit == "1e4Nm3" ? "10^4 Nm3" : unit; }

std::string NcvHint(const IndustryFuelSpec& spec) {
  if (spec.unit == "1e4Nm3") {
    return " (the NCV of a gas is in GJ per 10^4 Nm3: " + spec.ncv.value.ToShortString() + " is the default, not MJ/m3)";
  }
  return " (the NCV is in GJ/t, the same number as MJ/kg; kcal/kg and kJ/kg values are out of scale)";
}

// `notes` is null when the default multiplies nothing (a zero quantity): it then shaped no figure.
void NoteDefault(const std::string& what, const SourcedValue& value, const std::string& unit, Notes* notes) {
  if (notes == nullptr || value.tag == "P") return;
  notes->Add("default [" + value.tag + "] used: " + what + " = " + value.value.ToShortString() +
             (unit.empty() ? "" : " " + unit) + " (" + value.source + ")");
}

Status MeasuredNcv(const IndustryFuelUse& use, const IndustryFuelSpec& spec, const std::string& path, UsedValue* out) {
  if (spec.ncv_default_only) {
    return Status::Invalid("default_only",
                           "the NCV of " + spec.code + " is always the guideline's default " +
                               spec.ncv.value.ToShortString() + " GJ/" + UnitText(spec.unit) +
                               "; remove the measured value",
                           path + ".ncv");
  }
  if (*use.ncv < spec.ncv_min || *use.ncv > spec.ncv_max) {
    return OutOfRange(path + ".ncv", "net calorific value " + use.ncv->ToShortString() + " of " + spec.code +
                                         " is outside its plausible range " + spec.ncv_min.ToShortString() + "–" +
                                         spec.ncv_max.ToShortString() + " GJ/" + UnitText(spec.unit) + NcvHint(spec));
  }
  if (use.ncv_evidence.empty()) {
    return Status::Invalid("missing_evidence", "a measured NCV needs the id of its test report in ncv_evidence",
                           path + ".ncv_evidence");
  }
  *out = {*use.ncv, ValueBasis::kMeasured, "", use.ncv_evidence};
  return Status::OK();
}

Status MeasuredCarbon(const IndustryFuelUse& use, const IndustryFuelSpec& spec, const FuelPolicy& policy,
                      const std::string& path, UsedValue* out) {
  if (!policy.measured_carbon_allowed || !spec.carbon_min || !spec.carbon_max) {
    return Status::Invalid("default_only",
                           "the carbon content per unit heat of " + spec.code + " is always the default " +
                               spec.carbon_tc_per_gj.value.ToShortString() + " tC/GJ; remove the measured value",
                           path + ".carbon_tc_per_gj");
  }
  if (*use.carbon_tc_per_gj < *spec.carbon_min || *use.carbon_tc_per_gj > *spec.carbon_max) {
    return OutOfRange(path + ".carbon_tc_per_gj",
                      "carbon content per unit heat " + use.carbon_tc_per_gj->ToShortString() + " tC/GJ of " + spec.code +
                          " is outside its plausible range " + spec.carbon_min->ToShortString() + "–" +
                          spec.carbon_max->ToShortString() + " tC/GJ (give tC per GJ, not tC per t or %)");
  }
  if (use.carbon_evidence.empty()) {
    return Status::Invalid("missing_evidence",
                           "a measured carbon content needs the id of its test report in carbon_evidence",
                           path + ".carbon_evidence");
  }
  *out = {*use.carbon_tc_per_gj, ValueBasis::kMeasured, "", use.carbon_evidence};
  return Status::OK();
}

Status Oxidation(const IndustryFuelUse& use, const IndustryFuelSpec& spec, const FuelPolicy& policy,
                 const std::string& path, std::optional<UsedValue>* out, Notes* notes) {
  if (!policy.apply_oxidation) {
    if (use.oxidation_rate) {
      return Status::Invalid("invalid_field", "this formula has no oxidation rate; remove it", path + ".oxidation_rate");
    }
    out->reset();
    return Status::OK();
  }
  if (!use.oxidation_rate) {
    *out = UsedValue::Default(spec.oxidation);
    NoteDefault("oxidation rate of " + spec.code, spec.oxidation, "", notes);
    return Status::OK();
  }
  if (!policy.oxidation_input_allowed) {
    return Status::Invalid("default_only",
                           "the oxidation rate of " + spec.code + " is always the guideline's default " +
                               spec.oxidation.value.ToShortString() + "; remove the given value",
                           path + ".oxidation_rate");
  }
  GL_RETURN_IF_ERROR(RequireFraction(*use.oxidation_rate, true, path + ".oxidation_rate", "the oxidation rate"));
  *out = UsedValue{*use.oxidation_rate, ValueBasis::kInput, "", ""};
  return Status::OK();
}

}  // namespace

const char* ValueBasisName(ValueBasis basis) {
  switch (basis) {
    case ValueBasis::kDefault: return "default";
    case ValueBasis::kMeasured: return "measured";
    case ValueBasis::kInput: return "input";
    case ValueBasis::kDerived: return "derived";
  }
  return "unknown";
}

namespace industry {

void Notes::Add(const std::string& note) {
  if (seen_.insert(note).second) list_.push_back(note);
}

Decimal RoundHalfUp(const Exact& value, int decimals) {
  std::optional<Decimal> rounded = value.Round(decimals, Rounding::kHalfUp);
  GL_ASSERT(rounded.has_value());
  return *rounded;
}

Figure MakeFigure(const Exact& value, int decimals) { return Figure{value, RoundHalfUp(value, decimals)}; }

std::optional<Decimal> RatioOf(const Exact& numerator, Decimal denominator, int decimals) {
  if (denominator.micros() <= 0) return std::nullopt;
  Exact ratio = numerator;
  if (!ratio.Divide(Exact::Of(denominator))) return std::nullopt;
  return ratio.Round(decimals, Rounding::kHalfUp);
}

Status OutOfRange(const std::string& field, const std::string& message) {
  return Status::Invalid("out_of_range", message, field);
}

Status Overflow(const std::string& field) {
  return Status::Invalid("out_of_range", "the figures are too large to compute; check the units", field);
}

Status RequireNonNegative(Decimal value, const std::string& field, const std::string& what) {
  if (value.is_negative()) {
    return OutOfRange(field, what + " cannot be negative (got " + value.ToShortString() + ")");
  }
  return Status::OK();
}

Status RequireFraction(Decimal value, bool positive, const std::string& field, const std::string& what) {
  const bool low = positive ? value.micros() <= 0 : value.is_negative();
  if (low || value.micros() > Decimal::kOne) {
    return OutOfRange(field, what + " is a fraction " + (positive ? "above 0" : "from 0") + " and at most 1 (got " +
                                 value.ToShortString() + "); write 99 % as 0.99");
  }
  return Status::OK();
}

Status AddTo(Exact* sum, const Exact& part, const std::string& field) {
  if (!sum->Add(part)) return Overflow(field);
  return Status::OK();
}

Status AddDecimalTo(Decimal* sum, Decimal part, const std::string& field) {
  std::int64_t micros = 0;
  if (__builtin_add_overflow(sum->micros(), part.micros(), &micros)) return Overflow(field);
  *sum = Decimal::FromMicros(micros);
  return Status::OK();
}

Status ProductOf(Decimal value, const std::vector<Decimal>& factors, const std::string& field, Exact* out) {
  Exact product = Exact::Of(value);
  for (Decimal factor : factors) {
    if (!product.Multiply(factor)) return Overflow(field);
  }
  *out = product;
  return Status::OK();
}

Status ValidateDataYear(int data_year) {
  // The national ETS covers these sectors from the 2024 data year; 2013 keeps older reports in.
  if (data_year < 2013 || data_year > 2100) {
    return OutOfRange("data_year", "data_year must be a calendar year such as 2024 (got " +
                                       std::to_string(data_year) + ")");
  }
  return Status::OK();
}

Status ValidateMonth(int month, const std::string& field) {
  if (month < 1 || month > 12) return OutOfRange(field, "month must be 1–12 (got " + std::to_string(month) + ")");
  return Status::OK();
}

Status CheckFullYear(const std::set<int>& reported, bool allow_partial_year, int data_year, const std::string& what,
                     const std::string& field, std::vector<int>* missing, Notes* notes) {
  missing->clear();
  for (int m = 1; m <= 12; ++m) {
    if (!reported.count(m)) missing->push_back(m);
  }
  if (missing->empty()) return Status::OK();
  std::string list;
  for (int m : *missing) list += (list.empty() ? "" : ", ") + std::to_string(m);
  if (!allow_partial_year) {
    return Status::Invalid("missing_months",
                           what + " has no data for month(s) " + list + " of " + std::to_string(data_year) +
                               "; report every month (or set allow_partial_year for an estimate)",
                           field);
  }
  notes->Add("partial year: " + what + " lacks month(s) " + list + "; the totals are not a year's emissions");
  return Status::OK();
}

}  // namespace industry

Status ComputeFuelEmission(const IndustryFuelUse& use, const std::map<std::string, IndustryFuelSpec>& fuels,
                           const FuelPolicy& policy, const std::string& path, FuelEmissionLine* out,
                           Notes* notes) {
  auto spec_it = fuels.find(use.fuel);
  if (spec_it == fuels.end()) {
    std::string known;
    for (const auto& [code, spec] : fuels) known += (known.empty() ? "" : ", ") + code;
    return Status::Invalid("unknown_fuel", "unknown fuel '" + use.fuel + "'; known fuels: " + known, path + ".fuel");
  }
  const IndustryFuelSpec& spec = spec_it->second;
  GL_RETURN_IF_ERROR(RequireNonNegative(use.consumption, path + ".consumption", "fuel consumption"));
  Notes* used_notes = use.consumption.is_zero() ? nullptr : notes;
  out->fuel = spec.code;
  out->unit = spec.unit;
  out->consumption = use.consumption;

  if (use.ncv) {
    GL_RETURN_IF_ERROR(MeasuredNcv(use, spec, path, &out->ncv));
  } else if (!use.ncv_evidence.empty()) {
    return Status::Invalid("invalid_field", "ncv_evidence is given but ncv is not; give the measured value",
                           path + ".ncv");
  } else {
    out->ncv = UsedValue::Default(spec.ncv);
    NoteDefault("NCV of " + spec.code, spec.ncv, "GJ/" + UnitText(spec.unit), used_notes);
  }

  if (use.carbon_tc_per_gj) {
    GL_RETURN_IF_ERROR(MeasuredCarbon(use, spec, policy, path, &out->carbon_tc_per_gj));
  } else if (!use.carbon_evidence.empty()) {
    return Status::Invalid("invalid_field", "carbon_evidence is given but carbon_tc_per_gj is not; give the measured value",
                           path + ".carbon_tc_per_gj");
  } else {
    out->carbon_tc_per_gj = UsedValue::Default(spec.carbon_tc_per_gj);
    NoteDefault("carbon content of " + spec.code, spec.carbon_tc_per_gj, "tC/GJ", used_notes);
  }
  GL_RETURN_IF_ERROR(Oxidation(use, spec, policy, path, &out->oxidation, used_notes));

  GL_RETURN_IF_ERROR(ProductOf(out->consumption, {out->ncv.value}, path + ".consumption", &out->heat_gj));
  Exact emissions = out->heat_gj;
  if (!emissions.Multiply(out->carbon_tc_per_gj.value)) return Overflow(path + ".consumption");
  if (out->oxidation && !emissions.Multiply(out->oxidation->value)) return Overflow(path + ".consumption");
  if (!emissions.MultiplyRatio(44, 12)) return Overflow(path + ".consumption");
  out->emissions = MakeFigure(emissions, policy.emission_decimals);
  return Status::OK();
}

Status FuelYearTotals::Add(const FuelEmissionLine& line, const std::string& field) {
  FuelYearLine* year = nullptr;
  for (FuelYearLine& l : lines_) {
    if (l.fuel == line.fuel) year = &l;
  }
  if (year == nullptr) {
    lines_.push_back(FuelYearLine{});
    year = &lines_.back();
    year->fuel = line.fuel;
    year->unit = line.unit;
  }
  GL_RETURN_IF_ERROR(AddDecimalTo(&year->consumption, line.consumption, field));
  GL_RETURN_IF_ERROR(AddTo(&year->heat_gj, line.heat_gj, field));
  GL_RETURN_IF_ERROR(AddTo(&year->emissions.exact, line.emissions.exact, field));
  if (line.consumption.is_zero()) return Status::OK();
  if (line.ncv.basis == ValueBasis::kDefault) {
    year->ncv_default = true;
  } else {
    year->ncv_measured = true;
  }
  return Status::OK();
}

std::vector<FuelYearLine> FuelYearTotals::Finish(int ncv_decimals, int emission_decimals) const {
  std::vector<FuelYearLine> out = lines_;
  for (FuelYearLine& line : out) {
    line.ncv_weighted = RatioOf(line.heat_gj, line.consumption, ncv_decimals);
    line.emissions = MakeFigure(line.emissions.exact, emission_decimals);
  }
  return out;
}

Status MaterialYearTotals::Add(const MaterialLine& line, const std::string& field) {
  MaterialYearLine* year = nullptr;
  for (MaterialYearLine& l : lines_) {
    if (l.material == line.material && l.role == line.role && l.factor.value == line.factor.value &&
        l.factor.basis == line.factor.basis) {
      year = &l;
    }
  }
  if (year == nullptr) {
    lines_.push_back(MaterialYearLine{line.material, line.role, Decimal(), line.factor, Figure{}});
    year = &lines_.back();
  }
  GL_RETURN_IF_ERROR(AddDecimalTo(&year->quantity_t, line.quantity_t, field));
  return AddTo(&year->emissions.exact, line.emissions.exact, field);
}

std::vector<MaterialYearLine> MaterialYearTotals::Finish(int emission_decimals) const {
  std::vector<MaterialYearLine> out = lines_;
  for (MaterialYearLine& line : out) line.emissions = MakeFigure(line.emissions.exact, emission_decimals);
  return out;
}

}  // namespace greenloop::mrv
