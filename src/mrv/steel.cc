#include "mrv/steel.h"

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

// Electricity and heat out cannot exceed the fuels' heat in. 0.95 is a GreenLoop plausibility
// bound (the one the power engine uses): room for metering error, none for kWh given as MWh.
const Decimal kMaxOverallEfficiency = Decimal::FromMicros(950'000);
const Decimal kGjPerMwh = Decimal::FromMicros(3'600'000);

std::string Index(const std::string& name, size_t i) { return name + "[" + std::to_string(i) + "]"; }

std::string RoleList(SteelMaterialRole role) {
  switch (role) {
    case SteelMaterialRole::kCarbonate: return "carbonates";
    case SteelMaterialRole::kElectrode: return "electrodes_t";
    case SteelMaterialRole::kCarbonInput: return "carbon_inputs";
    case SteelMaterialRole::kCarbonProduct: return "carbon_products";
    case SteelMaterialRole::kCrudeSteel: return "crude_steel_t";
  }
  return "?";
}

bool HasRole(const SteelMaterialSpec& spec, SteelMaterialRole role) {
  for (SteelMaterialRole r : spec.roles) {
    if (r == role) return true;
  }
  return false;
}

struct Accounting {
  const SteelInput& input;
  const SteelRules& rules;
  SteelResult result;
  Notes notes;
  FuelYearTotals fuel_years;
  MaterialYearTotals material_years;

  FuelPolicy EnterprisePolicy() const {
    // Formula (1) has no oxidation term, and CC always takes the A.1 default (§6.2.3).
    return FuelPolicy{false, false, false, rules.precision.emissions};
  }
  FuelPolicy PowerUnitPolicy() const {
    // Formula (3) multiplies by OF, which takes the A.1 default (§7.2.2.4).
    return FuelPolicy{true, false, false, rules.precision.emissions};
  }

  std::string KnownMaterials(SteelMaterialRole role) const {
    std::string known;
    for (const auto& [code, spec] : rules.materials) {
      if (HasRole(spec, role)) known += (known.empty() ? "" : ", ") + code;
    }
    return known;
  }

  Status Material(const std::string& code, Decimal quantity_t, SteelMaterialRole role, const std::string& material_field,
                  const std::string& quantity_field, MaterialLine* out) {
    auto it = rules.materials.find(code);
    if (it == rules.materials.end()) {
      return Status::Invalid("unknown_material",
                             "'" + code + "' is not in table A.2 of the guideline, so it cannot be accounted (§6.2.4); " +
                                 RoleList(role) + " takes: " + KnownMaterials(role),
                             material_field);
    }
    const SteelMaterialSpec& spec = it->second;
    if (!HasRole(spec, role)) {
      std::string where;
      for (SteelMaterialRole r : spec.roles) where += (where.empty() ? "" : " or ") + RoleList(r);
      return Status::Invalid("wrong_material_kind",
                             "'" + code + "' is not a " + SteelMaterialRoleName(role) + " term of formula (1); report it in " +
                                 where,
                             material_field);
    }
    GL_RETURN_IF_ERROR(RequireNonNegative(quantity_t, quantity_field, "the quantity"));
    out->material = spec.code;
    out->role = SteelMaterialRoleName(role);
    out->quantity_t = quantity_t;
    out->factor = UsedValue::Default(spec.ef_t_per_t);
    if (spec.ef_t_per_t.tag != "P" && !quantity_t.is_zero()) {
      notes.Add("default [" + spec.ef_t_per_t.tag + "] used: EF of " + spec.code + " = " +
                spec.ef_t_per_t.value.ToShortString() + " tCO2/t (" + spec.ef_t_per_t.source + ")");
    }
    Exact emissions;
    GL_RETURN_IF_ERROR(ProductOf(quantity_t, {spec.ef_t_per_t.value}, quantity_field, &emissions));
    out->emissions = MakeFigure(emissions, rules.precision.emissions);
    return Status::OK();
  }

  Status MaterialList(const std::vector<MaterialUse>& uses, SteelMaterialRole role, const std::string& prefix,
                      SteelMonthResult* month, Exact* sum) {
    std::set<std::string> seen;
    for (size_t i = 0; i < uses.size(); ++i) {
      const std::string path = prefix + Index(RoleList(role), i);
      if (!seen.insert(uses[i].material).second) {
        return Status::Invalid("duplicate", "'" + uses[i].material + "' is listed twice in the month", path + ".material");
      }
      MaterialLine line;
      GL_RETURN_IF_ERROR(Material(uses[i].material, uses[i].quantity_t, role, path + ".material", path + ".quantity_t", &line));
      GL_RETURN_IF_ERROR(AddTo(sum, line.emissions.exact, path + ".quantity_t"));
      month->materials.push_back(std::move(line));
    }
    return Status::OK();
  }

  Status SingleMaterial(const std::string& code, Decimal quantity_t, SteelMaterialRole role, const std::string& field,
                        SteelMonthResult* month, Exact* sum) {
    auto it = rules.materials.find(code);
    GL_ASSERT(it != rules.materials.end());  // the rules loader requires the A.2 row
    MaterialLine line;
    GL_RETURN_IF_ERROR(Material(code, quantity_t, role, field, field, &line));
    GL_RETURN_IF_ERROR(AddTo(sum, line.emissions.exact, field));
    month->materials.push_back(std::move(line));
    return Status::OK();
  }

  Status Fuels(const std::vector<IndustryFuelUse>& uses, const FuelPolicy& policy, const std::string& prefix,
               std::vector<FuelEmissionLine>* lines, Exact* sum) {
    std::set<std::string> seen;
    for (size_t i = 0; i < uses.size(); ++i) {
      const std::string path = prefix + Index("fuels", i);
      if (!seen.insert(uses[i].fuel).second) {
        return Status::Invalid("duplicate", "fuel '" + uses[i].fuel + "' is listed twice in the month", path + ".fuel");
      }
      FuelEmissionLine line;
      GL_RETURN_IF_ERROR(ComputeFuelEmission(uses[i], rules.fuels, policy, path, &line, &notes));
      GL_RETURN_IF_ERROR(AddTo(sum, line.emissions.exact, path + ".consumption"));
      lines->push_back(std::move(line));
    }
    return Status::OK();
  }

  // Rounds the terms and sets the total, the exact signed sum of formula (1).
  Status Sources(const Exact& fuels, const Exact& carbonates, const Exact& electrodes, const Exact& carbon_inputs,
                 const Exact& carbon_products, const Exact& crude_steel, const std::string& field,
                 SteelSources* out) const {
    const int d = rules.precision.emissions;
    Exact total = fuels;
    if (!total.Add(carbonates) || !total.Add(electrodes) || !total.Add(carbon_inputs) ||
        !total.Subtract(carbon_products) || !total.Subtract(crude_steel)) {
      return Overflow(field);
    }
    *out = SteelSources{MakeFigure(fuels, d),           MakeFigure(carbonates, d),  MakeFigure(electrodes, d),
                        MakeFigure(carbon_inputs, d),   MakeFigure(carbon_products, d), MakeFigure(crude_steel, d),
                        MakeFigure(total, d)};
    return Status::OK();
  }

  Status ComputeMonth(size_t mi) {
    const SteelMonth& month = input.months[mi];
    const std::string prefix = Index("months", mi) + ".";
    GL_RETURN_IF_ERROR(ValidateMonth(month.month, prefix + "month"));
    SteelMonthResult out;
    out.month = month.month;
    out.crude_steel_t = month.crude_steel_t;
    Exact fuels, carbonates, electrodes, inputs, products, crude_steel;
    GL_RETURN_IF_ERROR(Fuels(month.fuels, EnterprisePolicy(), prefix, &out.fuels, &fuels));
    GL_RETURN_IF_ERROR(MaterialList(month.carbonates, SteelMaterialRole::kCarbonate, prefix, &out, &carbonates));
    if (!month.electrodes_t.is_zero()) {
      GL_RETURN_IF_ERROR(SingleMaterial("electrode", month.electrodes_t, SteelMaterialRole::kElectrode,
                                        prefix + "electrodes_t", &out, &electrodes));
    }
    GL_RETURN_IF_ERROR(MaterialList(month.carbon_inputs, SteelMaterialRole::kCarbonInput, prefix, &out, &inputs));
    GL_RETURN_IF_ERROR(MaterialList(month.carbon_products, SteelMaterialRole::kCarbonProduct, prefix, &out, &products));
    GL_RETURN_IF_ERROR(SingleMaterial("crude_steel", month.crude_steel_t, SteelMaterialRole::kCrudeSteel,
                                      prefix + "crude_steel_t", &out, &crude_steel));
    GL_RETURN_IF_ERROR(Sources(fuels, carbonates, electrodes, inputs, products, crude_steel, prefix + "fuels", &out.sources));
    for (size_t i = 0; i < out.fuels.size(); ++i) {
      GL_RETURN_IF_ERROR(fuel_years.Add(out.fuels[i], prefix + Index("fuels", i)));
    }
    for (const MaterialLine& line : out.materials) GL_RETURN_IF_ERROR(material_years.Add(line, prefix + "materials"));
    result.months.push_back(std::move(out));
    return Status::OK();
  }

  // §6.2.2.2: the NCV method of a solid fuel is fixed for the year; once measured, never the default.
  Status CheckSolidNcvMethod(const std::vector<std::pair<std::string, const std::vector<IndustryFuelUse>*>>& months) {
    std::map<std::string, std::string> measured_at, default_at;
    for (const auto& [prefix, fuels] : months) {
      for (size_t fi = 0; fi < fuels->size(); ++fi) {
        const IndustryFuelUse& use = (*fuels)[fi];
        auto spec = rules.fuels.find(use.fuel);
        if (spec == rules.fuels.end() || spec->second.state != FuelState::kSolid || spec->second.ncv_default_only) continue;
        const std::string path = prefix + Index("fuels", fi) + ".ncv";
        if (use.ncv) {
          measured_at.emplace(use.fuel, path);
        } else if (!use.consumption.is_zero()) {
          default_at.emplace(use.fuel, path);
        }
      }
    }
    for (const auto& [fuel, path] : default_at) {
      auto measured = measured_at.find(fuel);
      if (measured == measured_at.end()) continue;
      return Status::Invalid("ncv_method_mixed",
                             "the NCV of " + fuel + " is measured at " + measured->second +
                                 " but missing here; a solid fuel's NCV method is fixed for the year, and a measured "
                                 "fuel cannot fall back to the default (§6.2.2.2)",
                             path);
    }
    return Status::OK();
  }

  Status EnterpriseYear() {
    std::set<int> months;
    std::vector<std::pair<std::string, const std::vector<IndustryFuelUse>*>> fuel_months;
    for (size_t mi = 0; mi < input.months.size(); ++mi) {
      if (!months.insert(input.months[mi].month).second) {
        return Status::Invalid("duplicate", "month " + std::to_string(input.months[mi].month) + " is reported twice",
                               Index("months", mi) + ".month");
      }
      GL_RETURN_IF_ERROR(ComputeMonth(mi));
      fuel_months.emplace_back(Index("months", mi) + ".", &input.months[mi].fuels);
    }
    GL_RETURN_IF_ERROR(CheckSolidNcvMethod(fuel_months));
    GL_RETURN_IF_ERROR(CheckFullYear(months, input.allow_partial_year, input.data_year, "the enterprise", "months",
                                     &result.months_missing, &notes));
    Exact fuels, carbonates, electrodes, inputs, products, crude_steel;
    Decimal crude_steel_t;
    for (const SteelMonthResult& m : result.months) {
      const SteelSources& s = m.sources;
      if (!fuels.Add(s.fuels.exact) || !carbonates.Add(s.carbonates.exact) || !electrodes.Add(s.electrodes.exact) ||
          !inputs.Add(s.carbon_inputs.exact) || !products.Add(s.carbon_products.exact) ||
          !crude_steel.Add(s.crude_steel.exact)) {
        return Overflow("months");
      }
      GL_RETURN_IF_ERROR(AddDecimalTo(&crude_steel_t, m.crude_steel_t, "months"));
    }
    GL_RETURN_IF_ERROR(Sources(fuels, carbonates, electrodes, inputs, products, crude_steel, "months", &result.sources));
    const Exact& total = result.sources.total.exact;
    if (total.is_negative()) {
      return Status::Invalid("negative_emissions",
                             "the year's mass balance is negative: the carbon deducted for products exceeds the "
                             "carbon of fuels and materials in; check the units and that fuels are net consumption",
                             "months");
    }
    result.total_integer_t = RoundHalfUp(total, rules.precision.total);
    result.crude_steel_t = RoundHalfUp(Exact::Of(crude_steel_t), rules.precision.quantity);
    result.intensity_t_per_t = RatioOf(total, crude_steel_t, rules.precision.intensity);
    result.fuels = fuel_years.Finish(rules.precision.ncv, rules.precision.emissions);
    result.materials = material_years.Finish(rules.precision.emissions);
    return Status::OK();
  }

  Status PowerUnitMonth(const SteelPowerUnitMonth& month, const std::string& prefix, FuelYearTotals* years,
                        SteelPowerUnitMonthResult* out) {
    GL_RETURN_IF_ERROR(ValidateMonth(month.month, prefix + "month"));
    GL_RETURN_IF_ERROR(RequireNonNegative(month.generation_mwh, prefix + "generation_mwh", "generation"));
    GL_RETURN_IF_ERROR(RequireNonNegative(month.heat_supplied_gj, prefix + "heat_supplied_gj", "heat supplied"));
    out->month = month.month;
    out->generation_mwh = month.generation_mwh;
    out->heat_supplied_gj = month.heat_supplied_gj;
    Exact emissions;
    GL_RETURN_IF_ERROR(Fuels(month.fuels, PowerUnitPolicy(), prefix, &out->fuels, &emissions));
    out->emissions = MakeFigure(emissions, rules.precision.emissions);
    Exact heat_in, heat_out;
    for (size_t i = 0; i < out->fuels.size(); ++i) {
      GL_RETURN_IF_ERROR(AddTo(&heat_in, out->fuels[i].heat_gj, prefix + "fuels"));
      GL_RETURN_IF_ERROR(years->Add(out->fuels[i], prefix + Index("fuels", i)));
    }
    GL_RETURN_IF_ERROR(ProductOf(month.generation_mwh, {kGjPerMwh}, prefix + "generation_mwh", &heat_out));
    GL_RETURN_IF_ERROR(AddTo(&heat_out, Exact::Of(month.heat_supplied_gj), prefix + "heat_supplied_gj"));
    Exact max_out = heat_in;
    if (!max_out.Multiply(kMaxOverallEfficiency)) return Overflow(prefix + "fuels");
    if (heat_out > max_out) {
      return OutOfRange(prefix + "generation_mwh",
                        "the electricity and heat produced (" + RoundHalfUp(heat_out, 0).ToShortString() +
                            " GJ) exceed 95 % of the fuels' heat (" + RoundHalfUp(heat_in, 0).ToShortString() +
                            " GJ): is generation in kWh instead of MWh, or a fuel missing?");
    }
    return Status::OK();
  }

  Status PowerUnit(size_t ui, std::set<std::string>* ids) {
    const SteelPowerUnit& unit = input.power_units[ui];
    const std::string prefix = Index("power_units", ui) + ".";
    if (unit.id.empty()) return Status::Invalid("missing_field", "each power unit needs an id", prefix + "id");
    if (!ids->insert(unit.id).second) {
      return Status::Invalid("duplicate", "power unit id '" + unit.id + "' appears twice", prefix + "id");
    }
    SteelPowerUnitResult out;
    out.id = unit.id;
    out.name = unit.name;
    FuelYearTotals years;
    std::set<int> months;
    std::vector<std::pair<std::string, const std::vector<IndustryFuelUse>*>> fuel_months;
    Exact emissions;
    Decimal generation, heat;
    for (size_t mi = 0; mi < unit.months.size(); ++mi) {
      const std::string month_prefix = prefix + Index("months", mi) + ".";
      if (!months.insert(unit.months[mi].month).second) {
        return Status::Invalid("duplicate", "month " + std::to_string(unit.months[mi].month) + " is reported twice",
                               month_prefix + "month");
      }
      SteelPowerUnitMonthResult month;
      GL_RETURN_IF_ERROR(PowerUnitMonth(unit.months[mi], month_prefix, &years, &month));
      GL_RETURN_IF_ERROR(AddTo(&emissions, month.emissions.exact, month_prefix + "fuels"));
      GL_RETURN_IF_ERROR(AddDecimalTo(&generation, month.generation_mwh, month_prefix + "generation_mwh"));
      GL_RETURN_IF_ERROR(AddDecimalTo(&heat, month.heat_supplied_gj, month_prefix + "heat_supplied_gj"));
      fuel_months.emplace_back(month_prefix, &unit.months[mi].fuels);
      out.months.push_back(std::move(month));
    }
    GL_RETURN_IF_ERROR(CheckSolidNcvMethod(fuel_months));
    GL_RETURN_IF_ERROR(CheckFullYear(months, input.allow_partial_year, input.data_year, "power unit '" + unit.id + "'",
                                     prefix + "months", &out.months_missing, &notes));
    out.fuels = years.Finish(rules.precision.ncv, rules.precision.emissions);
    out.emissions = MakeFigure(emissions, rules.precision.emissions);
    out.generation_mwh = RoundHalfUp(Exact::Of(generation), rules.precision.electricity);
    out.heat_supplied_gj = RoundHalfUp(Exact::Of(heat), rules.precision.heat);
    GL_RETURN_IF_ERROR(AddTo(&result.power_units_total.exact, emissions, prefix + "months"));
    result.power_units.push_back(std::move(out));
    return Status::OK();
  }

  Status Run() {
    GL_RETURN_IF_ERROR(ValidateDataYear(input.data_year));
    if (input.months.empty()) return Status::Invalid("missing_field", "report the enterprise's months", "months");
    if (input.months.size() > 12) return OutOfRange("months", "a year has at most 12 months");
    result.data_year = input.data_year;
    GL_RETURN_IF_ERROR(EnterpriseYear());
    std::set<std::string> ids;
    for (size_t ui = 0; ui < input.power_units.size(); ++ui) {
      if (input.power_units[ui].months.size() > 12) {
        return OutOfRange(Index("power_units", ui) + ".months", "a year has at most 12 months");
      }
      GL_RETURN_IF_ERROR(PowerUnit(ui, &ids));
    }
    result.power_units_total = MakeFigure(result.power_units_total.exact, rules.precision.emissions);
    if (!input.power_units.empty()) {
      notes.Add("power units (formula (3)) are a process-level breakdown: their emissions are part of the "
                "enterprise total of formula (1), not added to it");
    }
    notes.Add("the enterprise total is rounded once from the exact sum of its terms; whether the guideline sums "
              "2-decimal line items instead is unconfirmed [U]");
    result.notes = notes.list();
    return Status::OK();
  }
};

}  // namespace

const char* SteelMaterialRoleName(SteelMaterialRole role) {
  switch (role) {
    case SteelMaterialRole::kCarbonate: return "carbonate";
    case SteelMaterialRole::kElectrode: return "electrode";
    case SteelMaterialRole::kCarbonInput: return "carbon_input";
    case SteelMaterialRole::kCarbonProduct: return "carbon_product";
    case SteelMaterialRole::kCrudeSteel: return "crude_steel";
  }
  return "unknown";
}

Result<SteelResult> AccountSteelEmissions(const SteelInput& input, const SteelRules& rules) {
  Accounting accounting{input, rules, {}, {}, {}, {}};
  Status st = accounting.Run();
  if (!st.ok()) return st;
  return std::move(accounting.result);
}

}  // namespace greenloop::mrv
