#include "calc/industry_calculators.h"

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "calc/json_input.h"
#include "core/assert.h"
#include "core/embedded.h"

namespace greenloop::calc {
namespace {

constexpr char kSteelData[] = "data/carbon/steel-factors.json";
constexpr char kAluminiumData[] = "data/carbon/aluminium-factors.json";
constexpr char kCementData[] = "data/carbon/cement-factors.json";
constexpr char kSteelGuideline[] = "CETS—AG—03.01—V01—2024 企业温室气体排放核算与报告指南 钢铁行业";
constexpr char kAluminiumGuideline[] = "CETS—AG—04.01—V01—2024 企业温室气体排放核算与报告指南 铝冶炼行业";
constexpr char kCementGuideline[] = "CETS—AG—02.01—V01—2024 企业温室气体排放核算与报告指南 水泥行业";

// ---- Reading the embedded data files. They ship with the binary, so a malformed row is a bug.

Json LoadDataFile(const char* path) {
  const std::string* text = FindEmbeddedData(path);
  GL_ASSERT(text != nullptr);
  Json file = Json::parse(*text, nullptr, false);
  GL_ASSERT(!file.is_discarded());
  GL_ASSERT(file.is_object());
  GL_ASSERT(file.contains("items"));
  GL_ASSERT(file["items"].is_array());
  return file;
}

const Json& Member(const Json& row, const char* key) {
  auto it = row.find(key);
  GL_ASSERT(it != row.end());
  return *it;
}

std::string DataString(const Json& row, const char* key) {
  const Json& value = Member(row, key);
  GL_ASSERT(value.is_string());
  return value.get<std::string>();
}

Decimal DataDecimal(const Json& row, const char* key) {
  const Json& value = Member(row, key);
  GL_ASSERT(value.is_number());
  std::optional<Decimal> d =
      value.is_number_float() ? Decimal::FromDouble(value.get<double>()) : Decimal::Parse(value.dump());
  GL_ASSERT(d.has_value());
  return *d;
}

int DataInt(const Json& row, const char* key) {
  const Json& value = Member(row, key);
  GL_ASSERT(value.is_number_integer());
  const auto v = value.get<std::int64_t>();
  GL_ASSERT(v >= 0 && v <= Decimal::kScale);
  return static_cast<int>(v);
}

mrv::SourcedValue DataSourced(const Json& row, const char* key) {
  mrv::SourcedValue v{DataDecimal(row, key), DataString(row, "tag"), DataString(row, "source")};
  GL_ASSERT(v.tag == "P" || v.tag == "S" || v.tag == "U");
  GL_ASSERT(!v.source.empty());
  return v;
}

bool IsKind(const Json& row, const char* kind) { return DataString(row, "kind") == kind; }

mrv::FuelState DataFuelState(const Json& row) {
  const std::string state = DataString(row, "state");
  if (state == "solid") return mrv::FuelState::kSolid;
  if (state == "liquid") return mrv::FuelState::kLiquid;
  GL_ASSERT(state == "gas");
  return mrv::FuelState::kGas;
}

std::map<std::string, mrv::IndustryFuelSpec> LoadFuels(const Json& file, bool carbon_ranges) {
  std::map<mrv::FuelState, mrv::SourcedValue> oxidation;
  for (const Json& row : file["items"]) {
    if (!IsKind(row, "oxidation_rate")) continue;
    mrv::SourcedValue rate = DataSourced(row, "value");
    GL_ASSERT(rate.value.micros() > 0 && rate.value.micros() <= Decimal::kOne);
    GL_ASSERT(oxidation.emplace(DataFuelState(row), rate).second);
  }
  std::map<std::string, mrv::IndustryFuelSpec> fuels;
  for (const Json& row : file["items"]) {
    if (!IsKind(row, "fuel")) continue;
    mrv::IndustryFuelSpec spec;
    spec.code = DataString(row, "code");
    spec.name_zh = DataString(row, "name_zh");
    spec.name_en = DataString(row, "name_en");
    spec.state = DataFuelState(row);
    spec.unit = DataString(row, "unit");
    GL_ASSERT(spec.unit == "t" || spec.unit == "1e4Nm3");
    spec.ncv = DataSourced(row, "ncv");
    spec.ncv_min = DataDecimal(row, "ncv_min");
    spec.ncv_max = DataDecimal(row, "ncv_max");
    GL_ASSERT(spec.ncv_min.micros() > 0 && spec.ncv_min < spec.ncv.value && spec.ncv.value < spec.ncv_max);
    auto default_only = row.find("ncv_default_only");
    if (default_only != row.end()) {
      GL_ASSERT(default_only->is_boolean());
      spec.ncv_default_only = default_only->get<bool>();
    }
    spec.carbon_tc_per_gj = DataSourced(row, "carbon_tc_per_gj");
    GL_ASSERT(spec.carbon_tc_per_gj.value.micros() > 0);
    if (carbon_ranges) {
      spec.carbon_min = DataDecimal(row, "carbon_min");
      spec.carbon_max = DataDecimal(row, "carbon_max");
      GL_ASSERT(*spec.carbon_min < spec.carbon_tc_per_gj.value && spec.carbon_tc_per_gj.value < *spec.carbon_max);
    }
    auto rate = oxidation.find(spec.state);
    GL_ASSERT(rate != oxidation.end());
    spec.oxidation = rate->second;
    GL_ASSERT(fuels.emplace(spec.code, spec).second);
  }
  GL_ASSERT(!fuels.empty());
  return fuels;
}

mrv::ReportingPrecision LoadPrecision(const Json& file) {
  std::optional<mrv::ReportingPrecision> precision;
  for (const Json& row : file["items"]) {
    if (!IsKind(row, "precision")) continue;
    GL_ASSERT(!precision.has_value());
    precision = mrv::ReportingPrecision{DataInt(row, "emissions_decimals"),   DataInt(row, "intensity_decimals"),
                                        DataInt(row, "total_decimals"),       DataInt(row, "ncv_decimals"),
                                        DataInt(row, "quantity_decimals"),    DataInt(row, "electricity_decimals"),
                                        DataInt(row, "heat_decimals"),        DataString(row, "tag"),
                                        DataString(row, "source")};
  }
  GL_ASSERT(precision.has_value());
  return *precision;
}

mrv::SteelMaterialRole DataRole(const Json& value) {
  GL_ASSERT(value.is_string());
  const std::string role = value.get<std::string>();
  for (mrv::SteelMaterialRole r : {mrv::SteelMaterialRole::kCarbonate, mrv::SteelMaterialRole::kElectrode,
                                   mrv::SteelMaterialRole::kCarbonInput, mrv::SteelMaterialRole::kCarbonProduct,
                                   mrv::SteelMaterialRole::kCrudeSteel}) {
    if (role == mrv::SteelMaterialRoleName(r)) return r;
  }
  GL_ASSERT(false && "unknown steel material role");
  return mrv::SteelMaterialRole::kCarbonate;
}

mrv::SteelRules LoadSteelRules() {
  const Json file = LoadDataFile(kSteelData);
  mrv::SteelRules rules;
  rules.fuels = LoadFuels(file, false);
  for (const Json& row : file["items"]) {
    if (!IsKind(row, "material")) continue;
    mrv::SteelMaterialSpec spec;
    spec.code = DataString(row, "code");
    spec.name_zh = DataString(row, "name_zh");
    spec.name_en = DataString(row, "name_en");
    for (const Json& role : Member(row, "roles")) spec.roles.push_back(DataRole(role));
    GL_ASSERT(!spec.roles.empty());
    spec.ef_t_per_t = DataSourced(row, "ef_t_per_t");
    GL_ASSERT(rules.materials.emplace(spec.code, spec).second);
  }
  // The engine looks these two up by code: formula (1) has one term each.
  GL_ASSERT(rules.materials.count("electrode") == 1);
  GL_ASSERT(rules.materials.count("crude_steel") == 1);
  rules.precision = LoadPrecision(file);
  return rules;
}

// A parameter of the aluminium defaults and the values the other candidate sets give it.
struct Alternative {
  std::string set;
  Decimal value;
  std::string unit;
  std::string source;
};

struct AluminiumData {
  mrv::AluminiumRules rules;
  std::string default_set;
  std::string default_set_source;
  std::map<std::string, std::vector<Alternative>> alternatives;  // by parameter code
  std::map<std::string, std::string> units;                       // by parameter code
};

AluminiumData LoadAluminiumData() {
  const Json file = LoadDataFile(kAluminiumData);
  AluminiumData data;
  data.default_set = DataString(file, "default_set");
  data.default_set_source = DataString(file, "default_set_source");
  mrv::AluminiumRules& rules = data.rules;
  rules.fuels = LoadFuels(file, true);
  std::map<std::string, mrv::SourcedValue> chosen;
  for (const Json& row : file["items"]) {
    if (!IsKind(row, "parameter")) continue;
    const std::string code = DataString(row, "code");
    const std::string set = DataString(row, "set");
    if (set == data.default_set) {
      GL_ASSERT(chosen.emplace(code, DataSourced(row, "value")).second);
      data.units[code] = DataString(row, "unit");
    } else {
      data.alternatives[code].push_back(
          Alternative{set, DataDecimal(row, "value"), DataString(row, "unit"), DataString(row, "source")});
    }
  }
  auto take = [&chosen](const char* code) {
    auto it = chosen.find(code);
    GL_ASSERT(it != chosen.end());
    return it->second;
  };
  mrv::AluminiumParameters& d = rules.defaults;
  d.net_anode_t_per_t_al = take("net_anode_t_per_t_al");
  d.anode_sulfur_fraction = take("anode_sulfur_fraction");
  d.anode_ash_fraction = take("anode_ash_fraction");
  d.ef_cf4_kg_per_t_al = take("ef_cf4_kg_per_t_al");
  d.ef_c2f6_kg_per_t_al = take("ef_c2f6_kg_per_t_al");
  d.aem_slope = take("aem_slope");
  d.c2f6_cf4_ratio = take("c2f6_cf4_ratio");
  d.gwp_cf4 = take("gwp_cf4");
  d.gwp_c2f6 = take("gwp_c2f6");
  GL_ASSERT(chosen.size() == 9);
  for (const Json& row : file["items"]) {
    if (!IsKind(row, "carbonate")) continue;
    mrv::AluminiumCarbonateSpec spec{DataString(row, "code"), DataString(row, "name_zh"), DataString(row, "name_en"),
                                     DataSourced(row, "ef_t_per_t")};
    GL_ASSERT(rules.carbonates.emplace(spec.code, spec).second);
  }
  rules.precision = LoadPrecision(file);
  return data;
}

const AluminiumData& AluminiumDataFromFile() {
  static const AluminiumData data = LoadAluminiumData();
  return data;
}

mrv::CementRules LoadCementRules() {
  const Json file = LoadDataFile(kCementData);
  mrv::CementRules rules;
  rules.fuels = LoadFuels(file, true);
  for (const Json& row : file["items"]) {
    if (IsKind(row, "clinker_type")) {
      mrv::ClinkerTypeSpec spec{DataString(row, "code"), DataString(row, "name_zh"), DataString(row, "name_en"),
                                DataSourced(row, "process_ef_t_per_t")};
      GL_ASSERT(rules.clinker_types.emplace(spec.code, spec).second);
    } else if (IsKind(row, "alternative_material")) {
      mrv::AlternativeMaterialSpec spec{DataString(row, "code"), DataString(row, "name_zh"), DataString(row, "name_en"),
                                        DataSourced(row, "deduction_t_per_t")};
      GL_ASSERT(rules.alternative_materials.emplace(spec.code, spec).second);
    }
  }
  GL_ASSERT(!rules.clinker_types.empty());
  rules.precision = LoadPrecision(file);
  return rules;
}

// ---- Reading the input.

Status ParseFuelUses(const JsonInput& parent, bool measured_carbon_and_oxidation, std::vector<mrv::IndustryFuelUse>* out) {
  std::vector<JsonInput> items;
  GL_RETURN_IF_ERROR(parent.Array("fuels", false, &items));
  std::vector<std::string> allowed = {"fuel", "consumption", "ncv", "ncv_evidence"};
  if (measured_carbon_and_oxidation) {
    for (const char* name : {"carbon_tc_per_gj", "carbon_evidence", "oxidation_rate"}) allowed.push_back(name);
  }
  for (const JsonInput& item : items) {
    GL_RETURN_IF_ERROR(item.ExpectObject(allowed));
    mrv::IndustryFuelUse use;
    GL_RETURN_IF_ERROR(item.RequiredString("fuel", &use.fuel));
    GL_RETURN_IF_ERROR(item.RequiredDecimal("consumption", &use.consumption));
    GL_RETURN_IF_ERROR(item.OptionalDecimal("ncv", &use.ncv));
    GL_RETURN_IF_ERROR(item.OptionalString("ncv_evidence", &use.ncv_evidence));
    if (measured_carbon_and_oxidation) {
      GL_RETURN_IF_ERROR(item.OptionalDecimal("carbon_tc_per_gj", &use.carbon_tc_per_gj));
      GL_RETURN_IF_ERROR(item.OptionalString("carbon_evidence", &use.carbon_evidence));
      GL_RETURN_IF_ERROR(item.OptionalDecimal("oxidation_rate", &use.oxidation_rate));
    }
    out->push_back(std::move(use));
  }
  return Status::OK();
}

Status ParseMaterialUses(const JsonInput& parent, const std::string& name, std::vector<mrv::MaterialUse>* out) {
  std::vector<JsonInput> items;
  GL_RETURN_IF_ERROR(parent.Array(name, false, &items));
  for (const JsonInput& item : items) {
    GL_RETURN_IF_ERROR(item.ExpectObject({"material", "quantity_t"}));
    mrv::MaterialUse use;
    GL_RETURN_IF_ERROR(item.RequiredString("material", &use.material));
    GL_RETURN_IF_ERROR(item.RequiredDecimal("quantity_t", &use.quantity_t));
    out->push_back(std::move(use));
  }
  return Status::OK();
}

// The member `key` of a JSON object, or nullptr when absent or null.
const Json* RawMember(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

// An object of code → number, such as {"carbide_slag": 0.45}.
Status ParseDecimalMap(const Json* object, const std::string& path, std::map<std::string, Decimal>* out) {
  if (object == nullptr) return Status::OK();
  if (!object->is_object()) {
    return Status::Invalid("invalid_field", path + " must be an object of code: number", path);
  }
  JsonInput in(*object, path);
  for (auto it = object->begin(); it != object->end(); ++it) {
    std::optional<Decimal> value;
    GL_RETURN_IF_ERROR(in.OptionalDecimal(it.key(), &value));
    if (!value) return Status::Invalid("invalid_field", in.PathOf(it.key()) + " must be a number", in.PathOf(it.key()));
    (*out)[it.key()] = *value;
  }
  return Status::OK();
}

Status ParseCommon(const JsonInput& in, std::string* enterprise, int* data_year, bool* allow_partial_year) {
  GL_RETURN_IF_ERROR(in.OptionalString("enterprise", enterprise));
  GL_RETURN_IF_ERROR(in.RequiredInt("data_year", 2013, 2100, data_year));
  return in.OptionalBool("allow_partial_year", allow_partial_year);
}

// ---- Writing the result.

Json Number(Decimal value) { return ToJsonNumber(value); }
Json OptionalNumber(const std::optional<Decimal>& value) { return value ? ToJsonNumber(*value) : Json(nullptr); }

Json Used(const mrv::UsedValue& v) {
  Json j = Json::object();
  j["value"] = Number(v.value);
  j["basis"] = mrv::ValueBasisName(v.basis);
  if (v.basis == mrv::ValueBasis::kDefault) {
    j["tag"] = v.tag;
    j["source"] = v.source;
  } else if (v.basis == mrv::ValueBasis::kMeasured) {
    j["evidence"] = v.source;
  } else {
    j["source"] = v.source;
  }
  return j;
}

Json Sourced(const mrv::SourcedValue& v) { return Json{{"value", Number(v.value)}, {"tag", v.tag}, {"source", v.source}}; }

Json Months(const std::vector<int>& months) {
  Json j = Json::array();
  for (int m : months) j.push_back(m);
  return j;
}

Json Notes(const std::vector<std::string>& notes) {
  Json j = Json::array();
  for (const std::string& n : notes) j.push_back(n);
  return j;
}

Json Precision(const mrv::ReportingPrecision& p) {
  return Json{{"emissions_decimals", p.emissions}, {"intensity_decimals", p.intensity}, {"total_decimals", p.total},
              {"ncv_decimals", p.ncv},             {"quantity_decimals", p.quantity},   {"electricity_decimals", p.electricity},
              {"heat_decimals", p.heat},           {"rounding", "half_up"},            {"tag", p.tag},
              {"source", p.source}};
}

Json FuelLine(const mrv::FuelEmissionLine& line) {
  Json j{{"fuel", line.fuel}, {"unit", line.unit}, {"consumption", Number(line.consumption)},
         {"ncv_gj_per_unit", Used(line.ncv)}, {"carbon_tc_per_gj", Used(line.carbon_tc_per_gj)}};
  if (line.oxidation) j["oxidation_rate"] = Used(*line.oxidation);
  j["emissions_t"] = Number(line.emissions.rounded);
  return j;
}

Json FuelLines(const std::vector<mrv::FuelEmissionLine>& lines) {
  Json j = Json::array();
  for (const auto& line : lines) j.push_back(FuelLine(line));
  return j;
}

Json FuelYears(const std::vector<mrv::FuelYearLine>& lines, const std::map<std::string, mrv::IndustryFuelSpec>& fuels) {
  Json j = Json::array();
  for (const mrv::FuelYearLine& line : lines) {
    const mrv::IndustryFuelSpec& spec = fuels.at(line.fuel);
    const char* basis = line.ncv_measured && line.ncv_default ? "mixed" : line.ncv_measured ? "measured" : "default";
    j.push_back(Json{{"fuel", line.fuel},
                     {"name_zh", spec.name_zh},
                     {"name_en", spec.name_en},
                     {"unit", line.unit},
                     {"consumption", Number(line.consumption)},
                     {"ncv_weighted_gj_per_unit", OptionalNumber(line.ncv_weighted)},
                     {"ncv_basis", basis},
                     {"ncv_default", Sourced(spec.ncv)},
                     {"carbon_default_tc_per_gj", Sourced(spec.carbon_tc_per_gj)},
                     {"emissions_t", Number(line.emissions.rounded)}});
  }
  return j;
}

Json MaterialLines(const std::vector<mrv::MaterialLine>& lines) {
  Json j = Json::array();
  for (const mrv::MaterialLine& line : lines) {
    j.push_back(Json{{"material", line.material},
                     {"role", line.role},
                     {"quantity_t", Number(line.quantity_t)},
                     {"factor_t_per_t", Used(line.factor)},
                     {"emissions_t", Number(line.emissions.rounded)}});
  }
  return j;
}

template <typename NameOf>
Json MaterialYears(const std::vector<mrv::MaterialYearLine>& lines, NameOf name_of) {
  Json j = Json::array();
  for (const mrv::MaterialYearLine& line : lines) {
    const auto [name_zh, name_en] = name_of(line.material);
    j.push_back(Json{{"material", line.material},
                     {"name_zh", name_zh},
                     {"name_en", name_en},
                     {"role", line.role},
                     {"quantity_t", Number(line.quantity_t)},
                     {"factor_t_per_t", Used(line.factor)},
                     {"emissions_t", Number(line.emissions.rounded)}});
  }
  return j;
}

Json Header(const char* calculator, const char* guideline, const std::string& enterprise, int data_year,
            bool allow_partial_year) {
  Json j = Json::object();
  j["calculator"] = calculator;
  j["guideline"] = guideline;
  j["enterprise"] = enterprise.empty() ? Json(nullptr) : Json(enterprise);
  j["data_year"] = data_year;
  j["allow_partial_year"] = allow_partial_year;
  return j;
}

// ---- steel-emissions

Status ParseSteelMonth(const JsonInput& in, mrv::SteelMonth* out) {
  GL_RETURN_IF_ERROR(in.ExpectObject(
      {"month", "fuels", "carbonates", "electrodes_t", "carbon_inputs", "carbon_products", "crude_steel_t"}));
  GL_RETURN_IF_ERROR(in.RequiredInt("month", 1, 12, &out->month));
  GL_RETURN_IF_ERROR(ParseFuelUses(in, false, &out->fuels));
  GL_RETURN_IF_ERROR(ParseMaterialUses(in, "carbonates", &out->carbonates));
  GL_RETURN_IF_ERROR(in.DecimalOrZero("electrodes_t", &out->electrodes_t));
  GL_RETURN_IF_ERROR(ParseMaterialUses(in, "carbon_inputs", &out->carbon_inputs));
  GL_RETURN_IF_ERROR(ParseMaterialUses(in, "carbon_products", &out->carbon_products));
  return in.RequiredDecimal("crude_steel_t", &out->crude_steel_t);
}

Status ParseSteelPowerUnit(const JsonInput& in, mrv::SteelPowerUnit* out) {
  GL_RETURN_IF_ERROR(in.ExpectObject({"id", "name", "months"}));
  GL_RETURN_IF_ERROR(in.RequiredString("id", &out->id));
  GL_RETURN_IF_ERROR(in.OptionalString("name", &out->name));
  std::vector<JsonInput> months;
  GL_RETURN_IF_ERROR(in.Array("months", true, &months));
  for (const JsonInput& m : months) {
    GL_RETURN_IF_ERROR(m.ExpectObject({"month", "fuels", "generation_mwh", "heat_supplied_gj"}));
    mrv::SteelPowerUnitMonth month;
    GL_RETURN_IF_ERROR(m.RequiredInt("month", 1, 12, &month.month));
    GL_RETURN_IF_ERROR(ParseFuelUses(m, false, &month.fuels));
    GL_RETURN_IF_ERROR(m.RequiredDecimal("generation_mwh", &month.generation_mwh));
    GL_RETURN_IF_ERROR(m.DecimalOrZero("heat_supplied_gj", &month.heat_supplied_gj));
    out->months.push_back(std::move(month));
  }
  return Status::OK();
}

Json SteelSourcesJson(const mrv::SteelSources& s) {
  return Json{{"fuels_t", Number(s.fuels.rounded)},
              {"carbonates_t", Number(s.carbonates.rounded)},
              {"electrodes_t", Number(s.electrodes.rounded)},
              {"carbon_inputs_t", Number(s.carbon_inputs.rounded)},
              {"carbon_products_deducted_t", Number(s.carbon_products.rounded)},
              {"crude_steel_deducted_t", Number(s.crude_steel.rounded)},
              {"total_t", Number(s.total.rounded)}};
}

Json SteelPowerUnitsJson(const mrv::SteelResult& r, const mrv::SteelRules& rules) {
  Json units = Json::array();
  for (const mrv::SteelPowerUnitResult& u : r.power_units) {
    Json months = Json::array();
    for (const mrv::SteelPowerUnitMonthResult& m : u.months) {
      months.push_back(Json{{"month", m.month},
                            {"fuels", FuelLines(m.fuels)},
                            {"generation_mwh", Number(m.generation_mwh)},
                            {"heat_supplied_gj", Number(m.heat_supplied_gj)},
                            {"emissions_t", Number(m.emissions.rounded)}});
    }
    units.push_back(Json{{"id", u.id},
                         {"name", u.name},
                         {"emissions_t", Number(u.emissions.rounded)},
                         {"generation_mwh", Number(u.generation_mwh)},
                         {"heat_supplied_gj", Number(u.heat_supplied_gj)},
                         {"months_missing", Months(u.months_missing)},
                         {"fuels", FuelYears(u.fuels, rules.fuels)},
                         {"months", months}});
  }
  return units;
}

Json SteelResultJson(const mrv::SteelResult& r, const mrv::SteelRules& rules, Json out) {
  out["months_missing"] = Months(r.months_missing);
  out["unit"] = "tCO2";
  out["total_t"] = Number(r.sources.total.rounded);
  out["total_integer_t"] = Number(r.total_integer_t);
  out["crude_steel_t"] = Number(r.crude_steel_t);
  out["intensity_t_per_t_crude_steel"] = OptionalNumber(r.intensity_t_per_t);
  out["sources"] = SteelSourcesJson(r.sources);
  out["fuels"] = FuelYears(r.fuels, rules.fuels);
  out["materials"] = MaterialYears(r.materials, [&rules](const std::string& code) {
    const mrv::SteelMaterialSpec& spec = rules.materials.at(code);
    return std::pair{spec.name_zh, spec.name_en};
  });
  out["power_units_total_t"] = Number(r.power_units_total.rounded);
  out["power_units"] = SteelPowerUnitsJson(r, rules);
  Json months = Json::array();
  for (const mrv::SteelMonthResult& m : r.months) {
    months.push_back(Json{{"month", m.month},
                          {"crude_steel_t", Number(m.crude_steel_t)},
                          {"sources", SteelSourcesJson(m.sources)},
                          {"fuels", FuelLines(m.fuels)},
                          {"materials", MaterialLines(m.materials)}});
  }
  out["months"] = months;
  out["precision"] = Precision(rules.precision);
  out["notes"] = Notes(r.notes);
  return out;
}

Result<Json> RunSteel(const Json& json) {
  JsonInput in(json, "");
  GL_RETURN_IF_ERROR(in.ExpectObject({"enterprise", "data_year", "allow_partial_year", "months", "power_units"}));
  std::string enterprise;
  mrv::SteelInput input;
  GL_RETURN_IF_ERROR(ParseCommon(in, &enterprise, &input.data_year, &input.allow_partial_year));
  std::vector<JsonInput> months, units;
  GL_RETURN_IF_ERROR(in.Array("months", true, &months));
  for (const JsonInput& m : months) {
    mrv::SteelMonth month;
    GL_RETURN_IF_ERROR(ParseSteelMonth(m, &month));
    input.months.push_back(std::move(month));
  }
  GL_RETURN_IF_ERROR(in.Array("power_units", false, &units));
  for (const JsonInput& u : units) {
    mrv::SteelPowerUnit unit;
    GL_RETURN_IF_ERROR(ParseSteelPowerUnit(u, &unit));
    input.power_units.push_back(std::move(unit));
  }
  const mrv::SteelRules& rules = SteelRulesFromData();
  Result<mrv::SteelResult> result = mrv::AccountSteelEmissions(input, rules);
  if (!result.ok()) return result.status();
  return SteelResultJson(result.value(), rules,
                         Header("steel-emissions", kSteelGuideline, enterprise, input.data_year, input.allow_partial_year));
}

// ---- aluminium-emissions

Status ParseAluminiumParameters(const Json& json, mrv::AluminiumOverrides* out) {
  const Json* raw = RawMember(json, "parameters");
  if (raw == nullptr) return Status::OK();
  JsonInput in(*raw, "parameters");
  GL_RETURN_IF_ERROR(in.ExpectObject({"net_anode_t_per_t_al", "anode_sulfur_fraction", "anode_ash_fraction",
                                      "ef_cf4_kg_per_t_al", "ef_c2f6_kg_per_t_al", "aem_slope", "c2f6_cf4_ratio",
                                      "gwp_cf4", "gwp_c2f6", "carbonate_ef"}));
  for (const auto& [name, field] :
       {std::pair{"net_anode_t_per_t_al", &out->net_anode_t_per_t_al},
        std::pair{"anode_sulfur_fraction", &out->anode_sulfur_fraction},
        std::pair{"anode_ash_fraction", &out->anode_ash_fraction}, std::pair{"ef_cf4_kg_per_t_al", &out->ef_cf4_kg_per_t_al},
        std::pair{"ef_c2f6_kg_per_t_al", &out->ef_c2f6_kg_per_t_al}, std::pair{"aem_slope", &out->aem_slope},
        std::pair{"c2f6_cf4_ratio", &out->c2f6_cf4_ratio}, std::pair{"gwp_cf4", &out->gwp_cf4},
        std::pair{"gwp_c2f6", &out->gwp_c2f6}}) {
    GL_RETURN_IF_ERROR(in.OptionalDecimal(name, field));
  }
  return ParseDecimalMap(RawMember(*raw, "carbonate_ef"), "parameters.carbonate_ef", &out->carbonate_ef_t_per_t);
}

Status ParseAluminiumMonth(const JsonInput& in, mrv::AluminiumMonth* out) {
  GL_RETURN_IF_ERROR(in.ExpectObject({"month", "liquid_aluminium_t", "fuels", "net_anode_t_per_t_al",
                                      "anode_sulfur_fraction", "anode_ash_fraction", "anode_effect_minutes",
                                      "carbonates", "purchased_electricity_mwh", "electrolysis_ac_mwh"}));
  GL_RETURN_IF_ERROR(in.RequiredInt("month", 1, 12, &out->month));
  GL_RETURN_IF_ERROR(in.RequiredDecimal("liquid_aluminium_t", &out->liquid_aluminium_t));
  GL_RETURN_IF_ERROR(ParseFuelUses(in, true, &out->fuels));
  GL_RETURN_IF_ERROR(in.OptionalDecimal("net_anode_t_per_t_al", &out->net_anode_t_per_t_al));
  GL_RETURN_IF_ERROR(in.OptionalDecimal("anode_sulfur_fraction", &out->anode_sulfur_fraction));
  GL_RETURN_IF_ERROR(in.OptionalDecimal("anode_ash_fraction", &out->anode_ash_fraction));
  GL_RETURN_IF_ERROR(in.OptionalDecimal("anode_effect_minutes", &out->anode_effect_minutes));
  GL_RETURN_IF_ERROR(ParseMaterialUses(in, "carbonates", &out->carbonates));
  GL_RETURN_IF_ERROR(in.DecimalOrZero("purchased_electricity_mwh", &out->purchased_electricity_mwh));
  return in.DecimalOrZero("electrolysis_ac_mwh", &out->electrolysis_ac_mwh);
}

// Each default parameter with the value each other candidate set gives it.
Json AluminiumCandidates(const AluminiumData& data) {
  const mrv::AluminiumParameters& d = data.rules.defaults;
  Json j = Json::object();
  j["default_set"] = data.default_set;
  j["default_set_source"] = data.default_set_source;
  Json parameters = Json::object();
  for (const auto& [code, value] :
       {std::pair{"net_anode_t_per_t_al", &d.net_anode_t_per_t_al}, std::pair{"anode_sulfur_fraction", &d.anode_sulfur_fraction},
        std::pair{"anode_ash_fraction", &d.anode_ash_fraction}, std::pair{"ef_cf4_kg_per_t_al", &d.ef_cf4_kg_per_t_al},
        std::pair{"ef_c2f6_kg_per_t_al", &d.ef_c2f6_kg_per_t_al}, std::pair{"aem_slope", &d.aem_slope},
        std::pair{"c2f6_cf4_ratio", &d.c2f6_cf4_ratio}, std::pair{"gwp_cf4", &d.gwp_cf4}, std::pair{"gwp_c2f6", &d.gwp_c2f6}}) {
    Json p = Sourced(*value);
    p["unit"] = data.units.at(code);
    Json alternatives = Json::array();
    auto it = data.alternatives.find(code);
    if (it != data.alternatives.end()) {
      for (const Alternative& a : it->second) {
        alternatives.push_back(Json{{"set", a.set}, {"value", Number(a.value)}, {"unit", a.unit}, {"source", a.source}});
      }
    }
    p["other_sets"] = alternatives;
    parameters[code] = p;
  }
  j["parameters"] = parameters;
  return j;
}

Json AluminiumMonthJson(const mrv::AluminiumMonthResult& m) {
  Json pfc{{"method", mrv::PfcMethodName(m.pfc_method)},
           {"anode_effect_minutes", OptionalNumber(m.anode_effect_minutes)},
           {"ef_cf4_kg_per_t_al", Used(m.ef_cf4_kg_per_t_al)},
           {"ef_c2f6_kg_per_t_al", Used(m.ef_c2f6_kg_per_t_al)},
           {"gwp_cf4", Used(m.gwp_cf4)},
           {"gwp_c2f6", Used(m.gwp_c2f6)},
           {"cf4_kg", Number(mrv::industry::RoundHalfUp(m.cf4_kg, Decimal::kScale))},
           {"c2f6_kg", Number(mrv::industry::RoundHalfUp(m.c2f6_kg, Decimal::kScale))},
           {"emissions_t", Number(m.pfc.rounded)}};
  if (m.aem_slope) pfc["aem_slope"] = Used(*m.aem_slope);
  if (m.c2f6_cf4_ratio) pfc["c2f6_cf4_ratio"] = Used(*m.c2f6_cf4_ratio);
  return Json{{"month", m.month},
              {"liquid_aluminium_t", Number(m.liquid_aluminium_t)},
              {"total_t", Number(m.total.rounded)},
              {"fuel_t", Number(m.fuel.rounded)},
              {"fuels", FuelLines(m.fuels)},
              {"anode", Json{{"net_anode_t_per_t_al", Used(m.net_anode_t_per_t_al)},
                             {"anode_sulfur_fraction", Used(m.anode_sulfur_fraction)},
                             {"anode_ash_fraction", Used(m.anode_ash_fraction)},
                             {"emissions_t", Number(m.anode.rounded)}}},
              {"anode_effect", pfc},
              {"carbonate_t", Number(m.carbonate.rounded)},
              {"carbonates", MaterialLines(m.carbonates)},
              {"purchased_electricity_mwh", Number(m.purchased_electricity_mwh)},
              {"electrolysis_ac_mwh", Number(m.electrolysis_ac_mwh)}};
}

Json AluminiumResultJson(const mrv::AluminiumResult& r, const AluminiumData& data, Json out) {
  const mrv::AluminiumRules& rules = data.rules;
  out["months_missing"] = Months(r.months_missing);
  out["unit"] = "tCO2e";
  out["total_t"] = Number(r.total.rounded);
  out["total_integer_t"] = Number(r.total_integer_t);
  out["liquid_aluminium_t"] = Number(r.liquid_aluminium_t);
  out["intensity_t_per_t_al"] = OptionalNumber(r.intensity_t_per_t);
  out["sources"] = Json{{"fuel_t", Number(r.fuel.rounded)},
                        {"anode_t", Number(r.anode.rounded)},
                        {"anode_effect_t", Number(r.pfc.rounded)},
                        {"carbonate_t", Number(r.carbonate.rounded)}};
  out["anode_effect_gases"] = Json{{"cf4_t", Number(r.cf4_t)}, {"c2f6_t", Number(r.c2f6_t)}};
  out["auxiliary"] = Json{{"purchased_electricity_mwh", Number(r.purchased_electricity_mwh)},
                          {"electrolysis_ac_mwh", Number(r.electrolysis_ac_mwh)},
                          {"counted", false}};
  out["fuels"] = FuelYears(r.fuels, rules.fuels);
  out["carbonates"] = MaterialYears(r.carbonates, [&rules](const std::string& code) {
    const mrv::AluminiumCarbonateSpec& spec = rules.carbonates.at(code);
    return std::pair{spec.name_zh, spec.name_en};
  });
  out["candidate_defaults"] = AluminiumCandidates(data);
  Json months = Json::array();
  for (const mrv::AluminiumMonthResult& m : r.months) months.push_back(AluminiumMonthJson(m));
  out["months"] = months;
  out["precision"] = Precision(rules.precision);
  out["notes"] = Notes(r.notes);
  return out;
}

Result<Json> RunAluminium(const Json& json) {
  JsonInput in(json, "");
  GL_RETURN_IF_ERROR(in.ExpectObject({"enterprise", "data_year", "allow_partial_year", "parameters", "months"}));
  std::string enterprise;
  mrv::AluminiumInput input;
  GL_RETURN_IF_ERROR(ParseCommon(in, &enterprise, &input.data_year, &input.allow_partial_year));
  GL_RETURN_IF_ERROR(ParseAluminiumParameters(json, &input.parameters));
  std::vector<JsonInput> months;
  GL_RETURN_IF_ERROR(in.Array("months", true, &months));
  for (const JsonInput& m : months) {
    mrv::AluminiumMonth month;
    GL_RETURN_IF_ERROR(ParseAluminiumMonth(m, &month));
    input.months.push_back(std::move(month));
  }
  const AluminiumData& data = AluminiumDataFromFile();
  Result<mrv::AluminiumResult> result = mrv::AccountAluminiumEmissions(input, data.rules);
  if (!result.ok()) return result.status();
  return AluminiumResultJson(
      result.value(), data,
      Header("aluminium-emissions", kAluminiumGuideline, enterprise, input.data_year, input.allow_partial_year));
}

// ---- cement-emissions

Status ParseCementInput(const Json& json, const JsonInput& in, mrv::CementInput* input) {
  std::vector<JsonInput> lines, months;
  GL_RETURN_IF_ERROR(in.Array("lines", true, &lines));
  for (const JsonInput& l : lines) {
    GL_RETURN_IF_ERROR(l.ExpectObject({"id", "name", "clinker_type"}));
    mrv::CementLine line;
    GL_RETURN_IF_ERROR(l.RequiredString("id", &line.id));
    GL_RETURN_IF_ERROR(l.OptionalString("name", &line.name));
    GL_RETURN_IF_ERROR(l.RequiredString("clinker_type", &line.clinker_type));
    input->lines.push_back(std::move(line));
  }
  if (const Json* raw = RawMember(json, "parameters"); raw != nullptr) {
    JsonInput parameters(*raw, "parameters");
    GL_RETURN_IF_ERROR(parameters.ExpectObject({"clinker_process_ef", "deduction_factors"}));
    GL_RETURN_IF_ERROR(ParseDecimalMap(RawMember(*raw, "clinker_process_ef"), "parameters.clinker_process_ef",
                                       &input->parameters.clinker_process_ef_t_per_t));
    GL_RETURN_IF_ERROR(ParseDecimalMap(RawMember(*raw, "deduction_factors"), "parameters.deduction_factors",
                                       &input->parameters.deduction_t_per_t));
  }
  GL_RETURN_IF_ERROR(in.Array("months", true, &months));
  for (const JsonInput& m : months) {
    GL_RETURN_IF_ERROR(m.ExpectObject({"line_id", "month", "clinker_t", "alternative_materials", "fuels"}));
    mrv::CementMonth month;
    GL_RETURN_IF_ERROR(m.RequiredString("line_id", &month.line_id));
    GL_RETURN_IF_ERROR(m.RequiredInt("month", 1, 12, &month.month));
    GL_RETURN_IF_ERROR(m.RequiredDecimal("clinker_t", &month.clinker_t));
    GL_RETURN_IF_ERROR(ParseMaterialUses(m, "alternative_materials", &month.alternative_materials));
    GL_RETURN_IF_ERROR(ParseFuelUses(m, true, &month.fuels));
    input->months.push_back(std::move(month));
  }
  return Status::OK();
}

Json CementProcessJson(const mrv::Figure& gross, const mrv::Figure& deduction, const mrv::Figure& process) {
  return Json{{"clinker_t", Number(gross.rounded)},
              {"deduction_t", Number(deduction.rounded)},
              {"process_t", Number(process.rounded)}};
}

Json CementResultJson(const mrv::CementResult& r, const mrv::CementRules& rules, Json out) {
  out["unit"] = "tCO2";
  out["total_t"] = Number(r.total.rounded);
  out["total_integer_t"] = Number(r.total_integer_t);
  out["clinker_t"] = Number(r.clinker_t);
  out["intensity_t_per_t_clinker"] = OptionalNumber(r.intensity_t_per_t);
  out["sources"] = Json{{"fuel_t", Number(r.fuel.rounded)}, {"process", CementProcessJson(r.clinker_gross, r.deduction, r.process)}};
  Json lines = Json::array();
  for (const mrv::CementLineYear& l : r.lines) {
    const mrv::ClinkerTypeSpec& type = rules.clinker_types.at(l.clinker_type);
    lines.push_back(Json{{"id", l.line_id},
                         {"name", l.name},
                         {"clinker_type", l.clinker_type},
                         {"clinker_type_zh", type.name_zh},
                         {"months_missing", Months(l.months_missing)},
                         {"clinker_t", Number(l.clinker_t)},
                         {"total_t", Number(l.total.rounded)},
                         {"fuel_t", Number(l.fuel.rounded)},
                         {"process", CementProcessJson(l.clinker_gross, l.deduction, l.process)},
                         {"intensity_t_per_t_clinker", OptionalNumber(l.intensity_t_per_t)},
                         {"process_intensity_t_per_t_clinker", OptionalNumber(l.process_intensity_t_per_t)}});
  }
  out["lines"] = lines;
  out["fuels"] = FuelYears(r.fuels, rules.fuels);
  out["deductions"] = MaterialYears(r.deductions, [&rules](const std::string& code) {
    const mrv::AlternativeMaterialSpec& spec = rules.alternative_materials.at(code);
    return std::pair{spec.name_zh, spec.name_en};
  });
  Json months = Json::array();
  for (const mrv::CementMonthResult& m : r.months) {
    months.push_back(Json{{"line_id", m.line_id},
                          {"month", m.month},
                          {"clinker_t", Number(m.clinker_t)},
                          {"total_t", Number(m.total.rounded)},
                          {"fuel_t", Number(m.fuel.rounded)},
                          {"fuels", FuelLines(m.fuels)},
                          {"process_ef_t_per_t", Used(m.process_ef_t_per_t)},
                          {"process", CementProcessJson(m.clinker_gross, m.deduction, m.process)},
                          {"deductions", MaterialLines(m.deductions)}});
  }
  out["months"] = months;
  out["precision"] = Precision(rules.precision);
  out["notes"] = Notes(r.notes);
  return out;
}

Result<Json> RunCement(const Json& json) {
  JsonInput in(json, "");
  GL_RETURN_IF_ERROR(in.ExpectObject({"enterprise", "data_year", "allow_partial_year", "lines", "parameters", "months"}));
  std::string enterprise;
  mrv::CementInput input;
  GL_RETURN_IF_ERROR(ParseCommon(in, &enterprise, &input.data_year, &input.allow_partial_year));
  GL_RETURN_IF_ERROR(ParseCementInput(json, in, &input));
  const mrv::CementRules& rules = CementRulesFromData();
  Result<mrv::CementResult> result = mrv::AccountCementEmissions(input, rules);
  if (!result.ok()) return result.status();
  return CementResultJson(result.value(), rules,
                          Header("cement-emissions", kCementGuideline, enterprise, input.data_year, input.allow_partial_year));
}

}  // namespace

const mrv::SteelRules& SteelRulesFromData() {
  static const mrv::SteelRules rules = LoadSteelRules();
  return rules;
}

const mrv::AluminiumRules& AluminiumRulesFromData() { return AluminiumDataFromFile().rules; }

const mrv::CementRules& CementRulesFromData() {
  static const mrv::CementRules rules = LoadCementRules();
  return rules;
}

std::vector<Calculator> IndustryCalculators() {
  return {
      Calculator{"steel-emissions", "钢铁行业温室气体排放核算", "Iron and steel enterprise emissions",
                 "Enterprise-level CO2 of an iron and steel enterprise by the mass-balance formula (1) of "
                 "CETS—AG—03.01—V01—2024: purchased fuels (net consumption × NCV × CC × 44/12), carbonates, "
                 "electrodes and carbon-bearing inputs, minus carbon in crude steel and in pig iron, crude benzene "
                 "and tar sold; plus the power units that co-fire self-produced gas (formula (3), with oxidation "
                 "rate). Monthly data summed to the year; defaults from 附录A tables A.1 and A.2.",
                 "docs/calc/steel-emissions.json", RunSteel},
      Calculator{"aluminium-emissions", "铝冶炼行业温室气体排放核算", "Aluminium smelter emissions",
                 "Direct emissions of an aluminium smelter per CETS—AG—04.01—V01—2024 as public secondary sources "
                 "describe it: fuel combustion, anode consumption CO2, CF4 and C2F6 from anode effects (default "
                 "factors or measured anode-effect minutes) and carbonate decomposition. Every default is "
                 "unconfirmed [U] and can be replaced in the input; purchased electricity is reported, not counted.",
                 "docs/calc/aluminium-emissions.json", RunAluminium},
      Calculator{"cement-emissions", "水泥熟料生产温室气体排放核算", "Cement clinker emissions",
                 "CO2 of cement clinker lines per CETS—AG—02.01—V01—2024 as third-party implementations describe "
                 "it: fuel combustion plus process emissions = clinker output × clinker-type EF − non-carbonate "
                 "alternative raw materials × deduction factors, per line and month. Every default is unconfirmed "
                 "[U] and can be replaced in the input.",
                 "docs/calc/cement-emissions.json", RunCement},
  };
}

}  // namespace greenloop::calc
