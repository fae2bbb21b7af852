#include "calc/energy_rules.h"

#include <nlohmann/json.hpp>

#include "calc/json_input.h"
#include "core/assert.h"
#include "calc/data_file.h"

namespace greenloop::calc {
namespace {

energy::Dimension DataDimension(const std::string& name) {
  if (name == "mass") return energy::Dimension::kMass;
  if (name == "volume") return energy::Dimension::kVolume;
  if (name == "electricity") return energy::Dimension::kElectricity;
  GL_ASSERT(name == "heat");
  return energy::Dimension::kHeat;
}

Json Rounded(const Exact& value, int decimals = energy::kTceDecimals) {
  std::optional<Decimal> d = value.Round(decimals, Rounding::kHalfUp);
  GL_ASSERT(d.has_value());  // every total is bounded by the inputs' magnitude checks
  return ToJsonNumber(*d);
}

Json TotalsJson(const energy::EnergyTotals& t) {
  Exact excluding_feedstock = t.comprehensive_tce;
  Exact excluding_renewable = t.comprehensive_tce;
  const bool ok = excluding_feedstock.Subtract(t.feedstock_tce) && excluding_renewable.Subtract(t.renewable_tce);
  GL_ASSERT(ok);
  return {{"comprehensive_tce", Rounded(t.comprehensive_tce)},
          {"comprehensive_equal_value_tce", Rounded(t.comprehensive_equal_tce)},
          {"consumed_tce", Rounded(t.consumed_tce)},
          {"supplied_out_tce", Rounded(t.supplied_out_tce)},
          {"feedstock_tce", Rounded(t.feedstock_tce)},
          {"renewable_tce", Rounded(t.renewable_tce)},
          {"renewable_equal_value_tce", Rounded(t.renewable_equal_tce)},
          {"excluding_feedstock_tce", Rounded(excluding_feedstock)},
          {"excluding_renewable_tce", Rounded(excluding_renewable)},
          {"not_counted_tce", Rounded(t.not_counted_tce)},
          {"electricity_kwh", Rounded(t.electricity_kwh, 3)}};
}

}  // namespace

const std::vector<energy::Carrier>& EnergyCarriersData() {
  static const std::vector<energy::Carrier> carriers = [] {
    const nlohmann::json doc = ReadDataFile("data/energy/carriers.json");
    std::vector<energy::Carrier> out;
    for (const nlohmann::json& row : doc["items"]) {
      energy::Carrier c;
      c.code = row.at("code").get<std::string>();
      c.name_zh = row.at("name_zh").get<std::string>();
      c.name_en = row.at("name_en").get<std::string>();
      c.dimension = DataDimension(row.at("dimension").get<std::string>());
      GL_ASSERT(row.at("coefficient_unit").get<std::string>() == energy::CoefficientUnit(c.dimension));
      if (!row.at("coefficient").is_null()) c.kgce_per_unit = DataDecimal(row["coefficient"]);
      if (row.contains("kinds")) c.kinds = row["kinds"].get<std::vector<std::string>>();
      if (row.contains("range")) {
        c.range_low = DataDecimal(row["range"].at(0));
        c.range_high = DataDecimal(row["range"].at(1));
      }
      // Exactly one way to find the coefficient: the table's, a kind to name, or a measurement.
      GL_ASSERT(c.kgce_per_unit.has_value() + !c.kinds.empty() + c.range_low.has_value() == 1);
      c.tag = row.at("tag").get<std::string>();
      c.source = row.at("source").get<std::string>();
      out.push_back(std::move(c));
    }
    return out;
  }();
  return carriers;
}

Status ReadEnergyAccountingInput(const Json& input, energy::AccountingInput* out) {
  JsonInput top(input, "");
  GL_RETURN_IF_ERROR(top.ExpectObject({"year", "organization", "electricity_equal_kgce_per_kwh", "months"}));
  GL_RETURN_IF_ERROR(top.RequiredInt("year", 2000, 2100, &out->year));
  GL_RETURN_IF_ERROR(top.OptionalDecimal("electricity_equal_kgce_per_kwh", &out->electricity_equal_kgce_per_kwh));
  std::vector<JsonInput> months;
  GL_RETURN_IF_ERROR(top.Array("months", true, &months));
  for (const JsonInput& m : months) {
    GL_RETURN_IF_ERROR(m.ExpectObject({"month", "items"}));
    energy::EnergyMonth month;
    GL_RETURN_IF_ERROR(m.RequiredInt("month", 1, 12, &month.month));
    std::vector<JsonInput> items;
    GL_RETURN_IF_ERROR(m.Array("items", true, &items));
    for (const JsonInput& i : items) {
      GL_RETURN_IF_ERROR(i.ExpectObject({"carrier", "use", "quantity", "unit", "measured_kcal_per_unit", "renewable", "memo"}));
      energy::EnergyItem item;
      GL_RETURN_IF_ERROR(i.RequiredString("carrier", &item.carrier));
      std::string use = "production";
      GL_RETURN_IF_ERROR(i.Choice("use", {"production", "feedstock", "residential", "construction", "supplied_out"}, false,
                                  &use));
      item.use = *energy::ParseEnergyUse(use);
      GL_RETURN_IF_ERROR(i.RequiredDecimal("quantity", &item.quantity));
      GL_RETURN_IF_ERROR(i.RequiredString("unit", &item.unit));
      GL_RETURN_IF_ERROR(i.OptionalDecimal("measured_kcal_per_unit", &item.measured_kcal_per_unit));
      GL_RETURN_IF_ERROR(i.OptionalBool("renewable", &item.renewable));
      month.items.push_back(std::move(item));
    }
    out->months.push_back(std::move(month));
  }
  return Status::OK();
}

Status ReadEnergyQuantity(const JsonInput& parent, const std::string& name, energy::Dimension dimension, bool required,
                    std::optional<Decimal>* out) {
  out->reset();
  std::optional<JsonInput> q;
  GL_RETURN_IF_ERROR(parent.Object(name, false, &q));
  if (!q) {
    if (!required) return Status::OK();
    return Status::Invalid("missing_field",
                           parent.PathOf(name) + " is required as {value, unit}, the unit one of " +
                               energy::UnitsOf(dimension),
                           parent.PathOf(name));
  }
  GL_RETURN_IF_ERROR(dimension == energy::Dimension::kMoney ? q->ExpectObject({"value", "unit", "prices", "price_base_year"})
                                                           : q->ExpectObject({"value", "unit"}));
  Decimal value;
  GL_RETURN_IF_ERROR(q->RequiredDecimal("value", &value));
  std::string unit;
  GL_RETURN_IF_ERROR(q->RequiredString("unit", &unit));
  Result<Exact> base = energy::ToBase(value, unit, dimension, q->PathOf("unit"));
  if (!base.ok()) return base.status();
  std::optional<Decimal> rounded = base.value().Round(6, Rounding::kHalfUp);
  if (!rounded) return Status::Invalid("out_of_range", "too large in " + unit, q->PathOf("value"));
  *out = rounded;
  return Status::OK();
}

Json EnergyAccountingJson(const energy::AccountingInput& input, const energy::AccountingResult& result) {
  Json months = Json::array();
  for (const energy::MonthResult& m : result.months) {
    Json items = Json::array();
    for (const energy::ItemResult& r : m.items) {
      const energy::Carrier& c = *r.carrier;
      Json item = {{"carrier", c.code},
                   {"name_zh", c.name_zh},
                   {"use", energy::EnergyUseName(r.item.use)},
                   {"counted", r.counted},
                   {"quantity", ToJsonNumber(r.item.quantity)},
                   {"unit", r.item.unit},
                   {"base_quantity", Rounded(r.base_quantity, 6)},
                   {"base_unit", std::string(energy::BaseUnit(c.dimension))},
                   {"coefficient", ToJsonNumber(r.kgce_per_unit)},
                   {"coefficient_unit", energy::CoefficientUnit(c.dimension)},
                   {"coefficient_basis", r.measured ? "measured_heat_value" : "table"},
                   {"coefficient_tag", r.measured ? "measured" : c.tag},
                   {"tce", Rounded(r.tce)}};
      if (r.item.measured_kcal_per_unit) item["measured_kcal_per_unit"] = ToJsonNumber(*r.item.measured_kcal_per_unit);
      if (r.item.renewable) item["renewable"] = true;
      if (c.dimension == energy::Dimension::kElectricity) item["tce_equal_value"] = Rounded(r.tce_equal);
      items.push_back(std::move(item));
    }
    months.push_back({{"month", m.month}, {"items", items}, {"totals", TotalsJson(m.totals)}});
  }
  Json out;
  out["calculator"] = "energy";
  out["standard"] = "GB/T 2589-2020 综合能耗计算通则";
  out["year"] = result.year;
  out["electricity_equivalent_kgce_per_kwh"] = "0.1229";
  out["electricity_equal_kgce_per_kwh"] =
      input.electricity_equal_kgce_per_kwh ? ToJsonNumber(*input.electricity_equal_kgce_per_kwh) : Json(nullptr);
  out["rounding"] = "exact sums; each total half up to 4 decimals of tce (GreenLoop's choice: the standard gives none)";
  out["months"] = months;
  out["year_totals"] = TotalsJson(result.year_totals);
  out["month_count"] = result.months.size();
  return out;
}

}  // namespace greenloop::calc
