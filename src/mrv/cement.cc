#include "mrv/cement.h"

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
using industry::RequireNonNegative;
using industry::RoundHalfUp;
using industry::ValidateDataYear;
using industry::ValidateMonth;

// GreenLoop plausibility bound, not a rule: a clinker of pure CaO made from CaCO3 would release
// 44/56 = 0.786 tCO2 per t, so no process EF or deduction factor per t reaches 1. It refuses
// kg/t given as t/t.
const Decimal kMaxFactor = Decimal::FromInt(1);

std::string Index(const std::string& name, size_t i) { return name + "[" + std::to_string(i) + "]"; }

template <typename Spec>
std::string KnownCodes(const std::map<std::string, Spec>& specs) {
  std::string known;
  for (const auto& [code, spec] : specs) known += (known.empty() ? "" : ", ") + code;
  return known;
}

Status FactorInRange(Decimal value, bool positive, const std::string& field, const std::string& what) {
  const bool low = positive ? value.micros() <= 0 : value.is_negative();
  if (low || value > kMaxFactor) {
    return OutOfRange(field, what + " must be " + (positive ? "above 0" : "at least 0") +
                                 " and at most 1 tCO2 per t (got " + value.ToShortString() + "); give tonnes, not kg");
  }
  return Status::OK();
}

struct Accounting {
  const CementInput& input;
  const CementRules& rules;
  CementResult result;
  Notes notes;
  FuelYearTotals fuel_years;
  MaterialYearTotals deduction_years;

  // The year's input, else the default: noted when not [P] and it multiplies a quantity that is
  // not zero (`matters`).
  UsedValue Resolve(const std::map<std::string, Decimal>& given, const std::string& code, const SourcedValue& d,
                    const std::string& what, bool matters) {
    auto it = given.find(code);
    if (it != given.end()) return UsedValue{it->second, ValueBasis::kInput, "", "given for the year in parameters"};
    if (matters && d.tag != "P") {
      notes.Add("default [" + d.tag + "] used: " + what + " = " + d.value.ToShortString() + " tCO2/t (" + d.source + ")");
    }
    return UsedValue::Default(d);
  }

  Status ValidateOverrides() {
    for (const auto& [code, value] : input.parameters.clinker_process_ef_t_per_t) {
      const std::string field = "parameters.clinker_process_ef." + code;
      if (!rules.clinker_types.count(code)) {
        return Status::Invalid("unknown_clinker_type",
                               "unknown clinker type '" + code + "'; known: " + KnownCodes(rules.clinker_types), field);
      }
      GL_RETURN_IF_ERROR(FactorInRange(value, true, field, "a clinker process EF"));
    }
    for (const auto& [code, value] : input.parameters.deduction_t_per_t) {
      const std::string field = "parameters.deduction_factors." + code;
      if (!rules.alternative_materials.count(code)) {
        return Status::Invalid("unknown_material",
                               "unknown alternative raw material '" + code + "'; known: " +
                                   KnownCodes(rules.alternative_materials),
                               field);
      }
      GL_RETURN_IF_ERROR(FactorInRange(value, false, field, "a deduction factor"));
    }
    return Status::OK();
  }

  Status ValidateLines() {
    if (input.lines.empty()) return Status::Invalid("missing_field", "list at least one clinker line", "lines");
    std::set<std::string> ids;
    for (size_t i = 0; i < input.lines.size(); ++i) {
      const CementLine& line = input.lines[i];
      const std::string prefix = Index("lines", i) + ".";
      if (line.id.empty()) return Status::Invalid("missing_field", "each line needs an id", prefix + "id");
      if (!ids.insert(line.id).second) {
        return Status::Invalid("duplicate", "line id '" + line.id + "' appears twice", prefix + "id");
      }
      if (!rules.clinker_types.count(line.clinker_type)) {
        return Status::Invalid("unknown_clinker_type",
                               "unknown clinker type '" + line.clinker_type + "'; known: " + KnownCodes(rules.clinker_types),
                               prefix + "clinker_type");
      }
    }
    return Status::OK();
  }

  const CementLine* FindLine(const std::string& id) const {
    for (const CementLine& line : input.lines) {
      if (line.id == id) return &line;
    }
    return nullptr;
  }

  Status Deductions(const CementMonth& month, const std::string& prefix, CementMonthResult* out) {
    std::set<std::string> seen;
    Exact sum;
    for (size_t i = 0; i < month.alternative_materials.size(); ++i) {
      const MaterialUse& use = month.alternative_materials[i];
      const std::string path = prefix + Index("alternative_materials", i);
      auto spec = rules.alternative_materials.find(use.material);
      if (spec == rules.alternative_materials.end()) {
        return Status::Invalid("unknown_material",
                               "'" + use.material + "' is not a listed non-carbonate alternative raw material; known: " +
                                   KnownCodes(rules.alternative_materials),
                               path + ".material");
      }
      if (!seen.insert(use.material).second) {
        return Status::Invalid("duplicate", "'" + use.material + "' is listed twice in the month", path + ".material");
      }
      GL_RETURN_IF_ERROR(RequireNonNegative(use.quantity_t, path + ".quantity_t", "the quantity"));
      MaterialLine line;
      line.material = use.material;
      line.role = "deduction";
      line.quantity_t = use.quantity_t;
      line.factor = Resolve(input.parameters.deduction_t_per_t, use.material, spec->second.deduction_t_per_t,
                            "deduction factor of " + use.material, !use.quantity_t.is_zero());
      Exact emissions;
      GL_RETURN_IF_ERROR(ProductOf(use.quantity_t, {line.factor.value}, path + ".quantity_t", &emissions));
      line.emissions = MakeFigure(emissions, rules.precision.emissions);
      GL_RETURN_IF_ERROR(AddTo(&sum, emissions, path + ".quantity_t"));
      GL_RETURN_IF_ERROR(deduction_years.Add(line, path + ".quantity_t"));
      out->deductions.push_back(std::move(line));
    }
    out->deduction = MakeFigure(sum, rules.precision.emissions);
    return Status::OK();
  }

  Status Process(const CementMonth& month, const CementLine& line, const std::string& prefix, CementMonthResult* out) {
    const ClinkerTypeSpec& type = rules.clinker_types.at(line.clinker_type);
    out->process_ef_t_per_t = Resolve(input.parameters.clinker_process_ef_t_per_t, type.code, type.process_ef_t_per_t,
                                      "process EF of " + type.code + " clinker", !month.clinker_t.is_zero());
    Exact gross;
    GL_RETURN_IF_ERROR(ProductOf(month.clinker_t, {out->process_ef_t_per_t.value}, prefix + "clinker_t", &gross));
    out->clinker_gross = MakeFigure(gross, rules.precision.emissions);
    GL_RETURN_IF_ERROR(Deductions(month, prefix, out));
    Exact process = gross;
    if (!process.Subtract(out->deduction.exact)) return Overflow(prefix + "alternative_materials");
    if (process.is_negative()) {
      return Status::Invalid("negative_process_emissions",
                             "the deductions (" + out->deduction.rounded.ToShortString() +
                                 " tCO2) exceed the clinker's process emissions (" + out->clinker_gross.rounded.ToShortString() +
                                 " tCO2) for line '" + line.id + "' in month " + std::to_string(month.month) +
                                 ": check the alternative raw materials' quantities and units and the clinker output",
                             prefix + "alternative_materials");
    }
    out->process = MakeFigure(process, rules.precision.emissions);
    return Status::OK();
  }

  Status ComputeMonth(size_t mi) {
    const CementMonth& month = input.months[mi];
    const std::string prefix = Index("months", mi) + ".";
    const CementLine* line = FindLine(month.line_id);
    if (line == nullptr) {
      return Status::Invalid("unknown_line", "line '" + month.line_id + "' is not among the lines", prefix + "line_id");
    }
    GL_RETURN_IF_ERROR(ValidateMonth(month.month, prefix + "month"));
    GL_RETURN_IF_ERROR(RequireNonNegative(month.clinker_t, prefix + "clinker_t", "clinker output"));
    CementMonthResult out;
    out.line_id = month.line_id;
    out.month = month.month;
    out.clinker_t = month.clinker_t;
    const FuelPolicy policy{true, true, true, rules.precision.emissions};
    std::set<std::string> seen;
    Exact fuel;
    for (size_t i = 0; i < month.fuels.size(); ++i) {
      const std::string path = prefix + Index("fuels", i);
      if (!seen.insert(month.fuels[i].fuel).second) {
        return Status::Invalid("duplicate", "fuel '" + month.fuels[i].fuel + "' is listed twice in the month", path + ".fuel");
      }
      FuelEmissionLine fuel_line;
      GL_RETURN_IF_ERROR(ComputeFuelEmission(month.fuels[i], rules.fuels, policy, path, &fuel_line, &notes));
      GL_RETURN_IF_ERROR(AddTo(&fuel, fuel_line.emissions.exact, path + ".consumption"));
      GL_RETURN_IF_ERROR(fuel_years.Add(fuel_line, path));
      out.fuels.push_back(std::move(fuel_line));
    }
    out.fuel = MakeFigure(fuel, rules.precision.emissions);
    GL_RETURN_IF_ERROR(Process(month, *line, prefix, &out));
    Exact total = fuel;
    if (!total.Add(out.process.exact)) return Overflow(prefix + "clinker_t");
    out.total = MakeFigure(total, rules.precision.emissions);
    result.months.push_back(std::move(out));
    return Status::OK();
  }

  Status SumLine(size_t li, Exact* fuel, Exact* gross, Exact* deduction, Exact* process, Decimal* clinker) {
    const CementLine& line = input.lines[li];
    CementLineYear year;
    year.line_id = line.id;
    year.name = line.name;
    year.clinker_type = line.clinker_type;
    Exact f, g, d, p;
    Decimal c;
    std::set<int> months;
    const std::string field = Index("lines", li);
    for (const CementMonthResult& m : result.months) {
      if (m.line_id != line.id) continue;
      months.insert(m.month);
      if (!f.Add(m.fuel.exact) || !g.Add(m.clinker_gross.exact) || !d.Add(m.deduction.exact) || !p.Add(m.process.exact)) {
        return Overflow(field);
      }
      GL_RETURN_IF_ERROR(AddDecimalTo(&c, m.clinker_t, field));
    }
    GL_RETURN_IF_ERROR(CheckFullYear(months, input.allow_partial_year, input.data_year, "line '" + line.id + "'", "months",
                                     &year.months_missing, &notes));
    Exact total = f;
    if (!total.Add(p)) return Overflow(field);
    const int dp = rules.precision.emissions;
    year.fuel = MakeFigure(f, dp);
    year.clinker_gross = MakeFigure(g, dp);
    year.deduction = MakeFigure(d, dp);
    year.process = MakeFigure(p, dp);
    year.total = MakeFigure(total, dp);
    year.clinker_t = RoundHalfUp(Exact::Of(c), rules.precision.quantity);
    year.intensity_t_per_t = RatioOf(total, c, rules.precision.intensity);
    year.process_intensity_t_per_t = RatioOf(p, c, rules.precision.intensity);
    if (!fuel->Add(f) || !gross->Add(g) || !deduction->Add(d) || !process->Add(p)) return Overflow(field);
    GL_RETURN_IF_ERROR(AddDecimalTo(clinker, c, field));
    result.lines.push_back(std::move(year));
    return Status::OK();
  }

  Status SumYear() {
    Exact fuel, gross, deduction, process;
    Decimal clinker;
    for (size_t li = 0; li < input.lines.size(); ++li) {
      GL_RETURN_IF_ERROR(SumLine(li, &fuel, &gross, &deduction, &process, &clinker));
    }
    Exact total = fuel;
    if (!total.Add(process)) return Overflow("months");
    const int d = rules.precision.emissions;
    result.fuel = MakeFigure(fuel, d);
    result.clinker_gross = MakeFigure(gross, d);
    result.deduction = MakeFigure(deduction, d);
    result.process = MakeFigure(process, d);
    result.total = MakeFigure(total, d);
    result.total_integer_t = RoundHalfUp(total, rules.precision.total);
    result.clinker_t = RoundHalfUp(Exact::Of(clinker), rules.precision.quantity);
    result.intensity_t_per_t = RatioOf(total, clinker, rules.precision.intensity);
    result.fuels = fuel_years.Finish(rules.precision.ncv, d);
    result.deductions = deduction_years.Finish(d);
    return Status::OK();
  }

  Status Run() {
    GL_RETURN_IF_ERROR(ValidateDataYear(input.data_year));
    GL_RETURN_IF_ERROR(ValidateLines());
    GL_RETURN_IF_ERROR(ValidateOverrides());
    if (input.months.empty()) return Status::Invalid("missing_field", "report the lines' months", "months");
    if (input.months.size() > 12 * input.lines.size()) {
      return OutOfRange("months", "more months than 12 per line");
    }
    result.data_year = input.data_year;
    std::set<std::pair<std::string, int>> seen;
    for (size_t mi = 0; mi < input.months.size(); ++mi) {
      if (!seen.insert({input.months[mi].line_id, input.months[mi].month}).second) {
        return Status::Invalid("duplicate", "line '" + input.months[mi].line_id + "' month " +
                                                std::to_string(input.months[mi].month) + " is reported twice",
                               Index("months", mi) + ".month");
      }
      GL_RETURN_IF_ERROR(ComputeMonth(mi));
    }
    GL_RETURN_IF_ERROR(SumYear());
    notes.Add("process emissions follow the clinker-EF-minus-deductions method seen only in third-party "
              "implementations; the guideline's own formula is unconfirmed [U]");
    result.notes = notes.list();
    return Status::OK();
  }
};

}  // namespace

Result<CementResult> AccountCementEmissions(const CementInput& input, const CementRules& rules) {
  Accounting accounting{input, rules, {}, {}, {}, {}};
  Status st = accounting.Run();
  if (!st.ok()) return st;
  return std::move(accounting.result);
}

}  // namespace greenloop::mrv
