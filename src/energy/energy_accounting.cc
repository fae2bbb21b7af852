#include "energy/energy_accounting.h"

#include <algorithm>
#include <set>

#include "core/assert.h"

namespace greenloop::energy {
namespace {

std::string ItemPath(size_t month_index, size_t item_index, const char* field) {
  return "months[" + std::to_string(month_index) + "].items[" + std::to_string(item_index) + "]." + field;
}

// Codes that share a word with the unknown one (natural_gas → natural_gas_gas_field …), else all.
std::string Suggestions(const std::string& unknown, const std::vector<Carrier>& catalog) {
  std::string close;
  std::string all;
  const std::string head = unknown.substr(0, unknown.find('_'));
  for (const Carrier& c : catalog) {
    all += (all.empty() ? "" : ", ") + c.code;
    if (!head.empty() && c.code.find(head) != std::string::npos) close += (close.empty() ? "" : ", ") + c.code;
  }
  return close.empty() ? all : close;
}

// Standard coal of `base` units of a dimension at `kgce_per_unit`: kg → t and MJ → GJ leave the
// figure as it is; m3 and kWh divide by 1000 (kgce → tce).
Result<Exact> ToTce(const Exact& base, Dimension dimension, Decimal kgce_per_unit, const std::string& field) {
  Exact tce = base;
  bool ok = tce.Multiply(kgce_per_unit);
  if (ok && (dimension == Dimension::kVolume || dimension == Dimension::kElectricity)) ok = tce.MultiplyRatio(1, 1000);
  if (!ok) return Status::Invalid("out_of_range", "the quantity is too large to convert to standard coal", field);
  return tce;
}

bool AddInto(Exact* sum, const Exact& value) { return sum->Add(value); }

}  // namespace

std::string CoefficientUnit(Dimension dimension) {
  switch (dimension) {
    case Dimension::kMass: return "kgce/kg";
    case Dimension::kVolume: return "kgce/m3";
    case Dimension::kElectricity: return "kgce/kWh";
    case Dimension::kHeat: return "kgce/MJ";
    case Dimension::kStandardCoal:
    case Dimension::kMoney: break;
  }
  GL_ASSERT(false);
  return "";
}

const char* EnergyUseName(EnergyUse use) {
  switch (use) {
    case EnergyUse::kProduction: return "production";
    case EnergyUse::kFeedstock: return "feedstock";
    case EnergyUse::kResidential: return "residential";
    case EnergyUse::kConstruction: return "construction";
    case EnergyUse::kSuppliedOut: return "supplied_out";
  }
  return "unknown";
}

std::optional<EnergyUse> ParseEnergyUse(const std::string& name) {
  for (EnergyUse use : {EnergyUse::kProduction, EnergyUse::kFeedstock, EnergyUse::kResidential,
                        EnergyUse::kConstruction, EnergyUse::kSuppliedOut}) {
    if (name == EnergyUseName(use)) return use;
  }
  return std::nullopt;
}

Decimal CoefficientFromHeatValue(Decimal kcal_per_unit) {
  Exact k = Exact::Of(kcal_per_unit);
  const bool ok = k.MultiplyRatio(1, kKcalPerKgce);
  GL_ASSERT(ok);  // a Decimal divided by 7000 always fits
  return *k.Round(4, Rounding::kHalfUp);
}

bool AddTotals(const EnergyTotals& o, EnergyTotals* s) {
  return AddInto(&s->comprehensive_tce, o.comprehensive_tce) &&
         AddInto(&s->comprehensive_equal_tce, o.comprehensive_equal_tce) &&
         AddInto(&s->consumed_tce, o.consumed_tce) && AddInto(&s->supplied_out_tce, o.supplied_out_tce) &&
         AddInto(&s->feedstock_tce, o.feedstock_tce) && AddInto(&s->renewable_tce, o.renewable_tce) &&
         AddInto(&s->renewable_equal_tce, o.renewable_equal_tce) &&
         AddInto(&s->not_counted_tce, o.not_counted_tce) && AddInto(&s->electricity_kwh, o.electricity_kwh);
}

Result<AccountingResult> AccountEnergy(const AccountingInput& input, const std::vector<Carrier>& catalog) {
  if (input.months.empty()) return Status::Invalid("missing_field", "give at least one month", "months");
  if (input.electricity_equal_kgce_per_kwh &&
      (input.electricity_equal_kgce_per_kwh->is_negative() || input.electricity_equal_kgce_per_kwh->is_zero() ||
       *input.electricity_equal_kgce_per_kwh > Decimal::FromInt(1))) {
    return Status::Invalid("out_of_range",
                           "the equal value of electricity is kgce per kWh, above 0 and at most 1 (about 0.3 in the "
                           "2020s); a figure in gce/kWh must be divided by 1000",
                           "electricity_equal_kgce_per_kwh");
  }
  AccountingResult result;
  result.year = input.year;
  std::set<int> seen_months;
  for (size_t m = 0; m < input.months.size(); ++m) {
    const EnergyMonth& month = input.months[m];
    const std::string month_path = "months[" + std::to_string(m) + "]";
    if (month.month < 1 || month.month > 12) {
      return Status::Invalid("out_of_range", "month is 1 to 12", month_path + ".month");
    }
    if (!seen_months.insert(month.month).second) {
      return Status::Invalid("duplicate", "month " + std::to_string(month.month) + " is reported twice",
                             month_path + ".month");
    }
    MonthResult out;
    out.month = month.month;
    for (size_t i = 0; i < month.items.size(); ++i) {
      const EnergyItem& item = month.items[i];
      auto it = std::find_if(catalog.begin(), catalog.end(), [&](const Carrier& c) { return c.code == item.carrier; });
      if (it == catalog.end()) {
        return Status::Invalid("unknown_carrier",
                               "'" + item.carrier + "' is not an energy carrier of GB/T 2589; did you mean one of: " +
                                   Suggestions(item.carrier, catalog),
                               ItemPath(m, i, "carrier"));
      }
      const Carrier& carrier = *it;
      if (!carrier.kinds.empty()) {
        std::string kinds;
        for (const std::string& k : carrier.kinds) kinds += (kinds.empty() ? "" : " or ") + k;
        return Status::Invalid("ambiguous_carrier",
                               carrier.name_zh + " (" + carrier.code + ") has different coefficients by kind: name it as " +
                                   kinds,
                               ItemPath(m, i, "carrier"));
      }
      if (item.quantity.is_negative()) {
        return Status::Invalid("out_of_range", "a quantity cannot be negative (report energy supplied out with use "
                               "supplied_out)", ItemPath(m, i, "quantity"));
      }
      Result<Exact> base = ToBase(item.quantity, item.unit, carrier.dimension, ItemPath(m, i, "unit"));
      if (!base.ok()) return base.status();
      ItemResult r;
      r.carrier = &carrier;
      r.item = item;
      r.base_quantity = base.value();
      if (item.measured_kcal_per_unit) {
        if (carrier.dimension != Dimension::kMass && carrier.dimension != Dimension::kVolume) {
          return Status::Invalid("invalid_field", "a measured heat value applies to fuels measured by mass or volume",
                                 ItemPath(m, i, "measured_kcal_per_unit"));
        }
        if (item.measured_kcal_per_unit->is_negative() || item.measured_kcal_per_unit->is_zero() ||
            *item.measured_kcal_per_unit > Decimal::FromInt(15'000)) {
          return Status::Invalid("out_of_range",
                                 "the measured low heat value is kcal per kg or m3, above 0 and at most 15,000 (a figure "
                                 "in kJ must be divided by 4.1868)",
                                 ItemPath(m, i, "measured_kcal_per_unit"));
        }
        r.kgce_per_unit = CoefficientFromHeatValue(*item.measured_kcal_per_unit);
        r.measured = true;
      } else if (carrier.kgce_per_unit) {
        r.kgce_per_unit = *carrier.kgce_per_unit;
      } else {
        return Status::Invalid("missing_field",
                               carrier.name_zh + " (" + carrier.code + ") has a coefficient between " +
                                   carrier.range_low->ToShortString() + " and " + carrier.range_high->ToShortString() + " " +
                                   CoefficientUnit(carrier.dimension) +
                                   " by its heat value: give the measured low heat value (measured_kcal_per_unit)",
                               ItemPath(m, i, "measured_kcal_per_unit"));
      }
      if (item.renewable && carrier.dimension != Dimension::kElectricity && carrier.dimension != Dimension::kHeat) {
        return Status::Invalid("invalid_field", "renewable marks electricity or heat from own wind, solar, hydro or biomass",
                               ItemPath(m, i, "renewable"));
      }
      Result<Exact> tce = ToTce(r.base_quantity, carrier.dimension, r.kgce_per_unit, ItemPath(m, i, "quantity"));
      if (!tce.ok()) return tce.status();
      r.tce = tce.value();
      r.tce_equal = r.tce;
      if (carrier.dimension == Dimension::kElectricity) {
        if (!input.electricity_equal_kgce_per_kwh) {
          return Status::Invalid("missing_field",
                                 "electricity is reported: give the year's equal value of electricity in kgce/kWh (the "
                                 "coal consumption of power supply, 等价值)",
                                 "electricity_equal_kgce_per_kwh");
        }
        Result<Exact> equal = ToTce(r.base_quantity, carrier.dimension, *input.electricity_equal_kgce_per_kwh,
                                    ItemPath(m, i, "quantity"));
        if (!equal.ok()) return equal.status();
        r.tce_equal = equal.value();
      }
      EnergyTotals& t = out.totals;
      bool ok = true;
      switch (item.use) {
        case EnergyUse::kProduction:
        case EnergyUse::kFeedstock:
          ok = t.consumed_tce.Add(r.tce) && t.comprehensive_tce.Add(r.tce) && t.comprehensive_equal_tce.Add(r.tce_equal);
          if (ok && item.use == EnergyUse::kFeedstock) ok = t.feedstock_tce.Add(r.tce);
          if (ok && item.renewable) ok = t.renewable_tce.Add(r.tce) && t.renewable_equal_tce.Add(r.tce_equal);
          if (ok && carrier.dimension == Dimension::kElectricity) ok = t.electricity_kwh.Add(r.base_quantity);
          break;
        case EnergyUse::kSuppliedOut:
          ok = t.supplied_out_tce.Add(r.tce) && t.comprehensive_tce.Subtract(r.tce) &&
               t.comprehensive_equal_tce.Subtract(r.tce_equal);
          break;
        case EnergyUse::kResidential:
        case EnergyUse::kConstruction:
          r.counted = false;
          ok = t.not_counted_tce.Add(r.tce);
          break;
      }
      if (!ok) return Status::Invalid("out_of_range", "the month's totals are too large", ItemPath(m, i, "quantity"));
      out.items.push_back(std::move(r));
    }
    if (!AddTotals(out.totals, &result.year_totals)) {
      return Status::Invalid("out_of_range", "the year's totals are too large", month_path);
    }
    result.months.push_back(std::move(out));
  }
  std::sort(result.months.begin(), result.months.end(),
            [](const MonthResult& a, const MonthResult& b) { return a.month < b.month; });
  return result;
}

}  // namespace greenloop::energy
