#include "calc/power_calculators.h"

#include "allocation/power_allocation.h"
#include "calc/carbon_rules.h"
#include "calc/json_input.h"
#include "mrv/power_accounting.h"

namespace greenloop::calc {
namespace {

const std::vector<std::string> kUnitFields = {"id", "name", "fuel_type", "cfb", "capacity_mw", "cooling", "supplies_heat"};

Status ReadUnit(const JsonInput& in, mrv::GeneratingUnit* unit) {
  GL_RETURN_IF_ERROR(in.RequiredString("id", &unit->id));
  if (unit->id.size() > 32) return Status::Invalid("invalid_field", "a unit id has at most 32 characters", in.PathOf("id"));
  GL_RETURN_IF_ERROR(in.OptionalString("name", &unit->name));
  std::string fuel_type;
  GL_RETURN_IF_ERROR(in.Choice("fuel_type", {"coal_conventional", "coal_unconventional", "gas"}, true, &fuel_type));
  unit->fuel_type = fuel_type == "gas"                   ? mrv::UnitFuelType::kGas
                    : fuel_type == "coal_unconventional" ? mrv::UnitFuelType::kCoalUnconventional
                                                         : mrv::UnitFuelType::kCoalConventional;
  GL_RETURN_IF_ERROR(in.OptionalBool("cfb", &unit->circulating_fluidized_bed));
  GL_RETURN_IF_ERROR(in.RequiredDecimal("capacity_mw", &unit->capacity_mw));
  std::string cooling = "water";
  GL_RETURN_IF_ERROR(in.Choice("cooling", {"water", "air"}, false, &cooling));
  unit->cooling = cooling == "air" ? mrv::CoolingMethod::kAir : mrv::CoolingMethod::kWater;
  GL_RETURN_IF_ERROR(in.OptionalBool("supplies_heat", &unit->supplies_heat));
  return Status::OK();
}

Status ReadUnitMonthImpl(const JsonInput& in, mrv::UnitMonth* month) {
  GL_RETURN_IF_ERROR(in.ExpectObject({"unit_id", "month", "fuels", "generation_mwh", "supply_mwh", "heat_supplied_gj",
                                     "purchased_electricity_mwh", "load_rate", "meter_evidence"}));
  GL_RETURN_IF_ERROR(in.RequiredString("unit_id", &month->unit_id));
  GL_RETURN_IF_ERROR(in.RequiredInt("month", 1, 12, &month->month));
  GL_RETURN_IF_ERROR(in.RequiredDecimal("generation_mwh", &month->generation_mwh));
  GL_RETURN_IF_ERROR(in.RequiredDecimal("supply_mwh", &month->supply_mwh));
  GL_RETURN_IF_ERROR(in.DecimalOrZero("heat_supplied_gj", &month->heat_supplied_gj));
  GL_RETURN_IF_ERROR(in.DecimalOrZero("purchased_electricity_mwh", &month->purchased_electricity_mwh));
  GL_RETURN_IF_ERROR(in.OptionalDecimal("load_rate", &month->load_rate));
  GL_RETURN_IF_ERROR(in.OptionalString("meter_evidence", &month->meter_evidence));
  std::vector<JsonInput> fuels;
  GL_RETURN_IF_ERROR(in.Array("fuels", false, &fuels));
  for (const JsonInput& f : fuels) {
    GL_RETURN_IF_ERROR(f.ExpectObject(
        {"fuel", "consumption", "ncv", "ncv_evidence", "carbon_tc_per_gj", "carbon_evidence", "oxidation_rate"}));
    mrv::FuelUse use;
    GL_RETURN_IF_ERROR(f.RequiredString("fuel", &use.fuel));
    GL_RETURN_IF_ERROR(f.RequiredDecimal("consumption", &use.consumption));
    GL_RETURN_IF_ERROR(f.OptionalDecimal("ncv", &use.ncv));
    GL_RETURN_IF_ERROR(f.OptionalString("ncv_evidence", &use.ncv_evidence));
    GL_RETURN_IF_ERROR(f.OptionalDecimal("carbon_tc_per_gj", &use.carbon_tc_per_gj));
    GL_RETURN_IF_ERROR(f.OptionalString("carbon_evidence", &use.carbon_evidence));
    GL_RETURN_IF_ERROR(f.OptionalDecimal("oxidation_rate", &use.oxidation_rate));
    month->fuels.push_back(use);
  }
  return Status::OK();
}

Json UnitJson(const mrv::GeneratingUnit& unit) {
  return Json{{"id", unit.id},
              {"name", unit.name},
              {"fuel_type", mrv::UnitFuelTypeName(unit.fuel_type)},
              {"cfb", unit.circulating_fluidized_bed},
              {"capacity_mw", ToJsonNumber(unit.capacity_mw)},
              {"cooling", mrv::CoolingMethodName(unit.cooling)},
              {"supplies_heat", unit.supplies_heat}};
}

Json Optional(const std::optional<Decimal>& value) { return value ? ToJsonNumber(*value) : Json(nullptr); }

Result<Json> RunPowerEmissions(const Json& input) {
  JsonInput top(input, "");
  GL_RETURN_IF_ERROR(top.ExpectObject({"data_year", "facility", "allow_partial_year", "units", "months"}));
  mrv::PowerAccountingInput in;
  GL_RETURN_IF_ERROR(top.RequiredInt("data_year", 2013, 2100, &in.data_year));
  std::string facility;
  GL_RETURN_IF_ERROR(top.OptionalString("facility", &facility));
  GL_RETURN_IF_ERROR(top.OptionalBool("allow_partial_year", &in.allow_partial_year));
  std::vector<JsonInput> units, months;
  GL_RETURN_IF_ERROR(top.Array("units", true, &units));
  for (const JsonInput& u : units) {
    GL_RETURN_IF_ERROR(u.ExpectObject(kUnitFields));
    mrv::GeneratingUnit unit;
    GL_RETURN_IF_ERROR(ReadUnit(u, &unit));
    in.units.push_back(unit);
  }
  GL_RETURN_IF_ERROR(top.Array("months", true, &months));
  for (const JsonInput& m : months) {
    mrv::UnitMonth month;
    GL_RETURN_IF_ERROR(ReadUnitMonth(m, &month));
    in.months.push_back(std::move(month));
  }

  const mrv::PowerAccountingRules& rules = PowerAccountingRulesData();
  Result<mrv::PowerAccountingResult> computed = mrv::AccountPowerEmissions(in, rules);
  if (!computed.ok()) return computed.status();
  const mrv::PowerAccountingResult& r = computed.value();

  Json out;
  out["calculator"] = "power-emissions";
  out["guideline"] = "企业温室气体排放核算与报告指南 发电设施 (环办气候函〔2022〕485号)";
  out["data_year"] = r.data_year;
  if (!facility.empty()) out["facility"] = facility;
  out["formula"] = "E = Σ consumption × NCV × carbon content per unit heat × oxidation rate × 44/12 + purchased MWh × grid factor";
  out["rounding"] = "each reported figure rounded half up to " + std::to_string(rules.emission_decimals) +
                    " decimals from its exact value; sums are rounded exact sums";
  out["grid_factor"] = r.grid_factor.tag.empty()
                           ? Json(nullptr)
                           : Json{{"t_per_mwh", ToJsonNumber(r.grid_factor.t_per_mwh)},
                                  {"tag", r.grid_factor.tag},
                                  {"source", r.grid_factor.source}};
  out["totals"] = {{"combustion_t", ToJsonNumber(r.combustion_t)},
                   {"purchased_electricity_t", ToJsonNumber(r.electricity_t)},
                   {"total_t", ToJsonNumber(r.total_t)}};
  Json unit_years = Json::array();
  for (const mrv::UnitYearResult& y : r.unit_years) {
    unit_years.push_back({{"unit_id", y.unit_id},
                          {"months_reported", y.months_reported},
                          {"months_missing", y.months_missing},
                          {"combustion_t", ToJsonNumber(y.combustion_t)},
                          {"purchased_electricity_t", ToJsonNumber(y.electricity_t)},
                          {"total_t", ToJsonNumber(y.total_t)},
                          {"generation_mwh", ToJsonNumber(y.generation_mwh)},
                          {"supply_mwh", ToJsonNumber(y.supply_mwh)},
                          {"heat_supplied_gj", ToJsonNumber(y.heat_supplied_gj)},
                          {"purchased_electricity_mwh", ToJsonNumber(y.purchased_electricity_mwh)},
                          {"combustion_t_per_mwh_generated", Optional(y.combustion_per_mwh_generated)},
                          {"combustion_t_per_mwh_supplied", Optional(y.combustion_per_mwh_supplied)}});
  }
  out["unit_years"] = unit_years;
  Json unit_months = Json::array();
  for (const mrv::UnitMonthResult& m : r.unit_months) {
    Json fuels = Json::array();
    for (const mrv::FuelEmission& f : m.fuels) {
      fuels.push_back({{"fuel", f.fuel},
                       {"consumption", ToJsonNumber(f.consumption)},
                       {"ncv", ToJsonNumber(f.ncv)},
                       {"ncv_default", f.ncv_default},
                       {"carbon_tc_per_gj", ToJsonNumber(f.carbon_tc_per_gj)},
                       {"carbon_basis", mrv::CarbonBasisName(f.carbon_basis)},
                       {"carbon_default_tag", f.carbon_tag.empty() ? Json(nullptr) : Json(f.carbon_tag)},
                       {"oxidation_rate", ToJsonNumber(f.oxidation_rate)},
                       {"oxidation_default", f.oxidation_default},
                       {"emissions_t", ToJsonNumber(f.emissions_t)},
                       {"calculation", f.consumption.ToShortString() + " × " + f.ncv.ToShortString() + " × " +
                                           f.carbon_tc_per_gj.ToShortString() + " × " + f.oxidation_rate.ToShortString() +
                                           " × 44/12 = " + f.emissions_t.ToString(rules.emission_decimals)}});
    }
    unit_months.push_back({{"unit_id", m.unit_id},
                           {"month", m.month},
                           {"fuels", fuels},
                           {"combustion_t", ToJsonNumber(m.combustion_t)},
                           {"purchased_electricity_mwh", ToJsonNumber(m.purchased_electricity_mwh)},
                           {"purchased_electricity_t", ToJsonNumber(m.electricity_t)},
                           {"total_t", ToJsonNumber(m.total_t)},
                           {"generation_mwh", ToJsonNumber(m.generation_mwh)},
                           {"supply_mwh", ToJsonNumber(m.supply_mwh)},
                           {"heat_supplied_gj", ToJsonNumber(m.heat_supplied_gj)}});
  }
  out["unit_months"] = unit_months;
  Json units_json = Json::array();
  for (const mrv::GeneratingUnit& u : in.units) units_json.push_back(UnitJson(u));
  out["units"] = units_json;
  out["notes"] = r.notes;
  return out;
}

Result<Json> RunPowerAllocation(const Json& input) {
  JsonInput top(input, "");
  GL_RETURN_IF_ERROR(top.ExpectObject({"plan_year", "entity", "units", "pre_allocation_issued_t", "deduction_t"}));
  int year = 0;
  GL_RETURN_IF_ERROR(top.RequiredInt("plan_year", 2013, 2100, &year));
  Result<allocation::PowerPlan> plan = PowerPlanFor(year);
  if (!plan.ok()) return plan.status();
  std::string entity;
  GL_RETURN_IF_ERROR(top.OptionalString("entity", &entity));
  allocation::PowerAllocationInput in;
  GL_RETURN_IF_ERROR(top.OptionalDecimal("pre_allocation_issued_t", &in.pre_allocation_issued_t));
  GL_RETURN_IF_ERROR(top.DecimalOrZero("deduction_t", &in.deduction_t));
  std::vector<JsonInput> units;
  GL_RETURN_IF_ERROR(top.Array("units", true, &units));
  std::vector<std::string> allowed = kUnitFields;
  for (const char* f : {"generation_mwh", "supply_mwh", "heat_supplied_gj", "load_rate", "heat_ratio", "verified_emissions_t",
                        "previous_verified_emissions_t", "previous_generation_mwh", "previous_supply_mwh",
                        "previous_heat_supplied_gj"}) {
    allowed.push_back(f);
  }
  for (const JsonInput& u : units) {
    GL_RETURN_IF_ERROR(u.ExpectObject(allowed));
    allocation::UnitAllocationInput unit;
    GL_RETURN_IF_ERROR(ReadUnit(u, &unit.unit));
    GL_RETURN_IF_ERROR(u.RequiredDecimal("generation_mwh", &unit.generation_mwh));
    GL_RETURN_IF_ERROR(u.RequiredDecimal("supply_mwh", &unit.supply_mwh));
    GL_RETURN_IF_ERROR(u.DecimalOrZero("heat_supplied_gj", &unit.heat_supplied_gj));
    GL_RETURN_IF_ERROR(u.OptionalDecimal("load_rate", &unit.load_rate));
    GL_RETURN_IF_ERROR(u.OptionalDecimal("heat_ratio", &unit.heat_ratio));
    GL_RETURN_IF_ERROR(u.OptionalDecimal("verified_emissions_t", &unit.verified_emissions_t));
    GL_RETURN_IF_ERROR(u.OptionalDecimal("previous_verified_emissions_t", &unit.previous_verified_emissions_t));
    GL_RETURN_IF_ERROR(u.OptionalDecimal("previous_generation_mwh", &unit.previous_generation_mwh));
    GL_RETURN_IF_ERROR(u.OptionalDecimal("previous_supply_mwh", &unit.previous_supply_mwh));
    GL_RETURN_IF_ERROR(u.OptionalDecimal("previous_heat_supplied_gj", &unit.previous_heat_supplied_gj));
    in.units.push_back(unit);
  }
  const allocation::PowerPlan& p = plan.value();
  Result<allocation::PowerAllocationResult> computed = allocation::AllocatePower(in, p);
  if (!computed.ok()) return computed.status();
  const allocation::PowerAllocationResult& r = computed.value();

  Json out;
  out["calculator"] = "power-allocation";
  if (!entity.empty()) out["entity"] = entity;
  out["plan"] = {{"plan", p.plan},
                 {"year", p.year},
                 {"draft", p.draft},
                 {"status", p.status_note},
                 {"document", p.document},
                 {"basis", p.basis == allocation::OutputBasis::kSupply ? "supply" : "generation"},
                 {"benchmark_tag", p.benchmark_tag},
                 {"benchmark_source", p.benchmark_source},
                 {"surrender_deadline", p.surrender_deadline.empty() ? Json(nullptr) : Json(p.surrender_deadline)}};
  Json units_json = Json::array();
  for (size_t i = 0; i < r.units.size(); ++i) {
    const allocation::UnitAllocation& u = r.units[i];
    Json factors = Json::array();
    for (const allocation::AppliedFactor& f : u.factors) {
      factors.push_back({{"name", f.name}, {"rate", ToJsonNumber(f.rate)}, {"value", ToJsonNumber(f.value)}, {"tag", f.tag}});
    }
    units_json.push_back({{"unit", UnitJson(in.units[i].unit)},
                          {"category", allocation::UnitCategoryName(u.category)},
                          {"output_mwh", ToJsonNumber(u.output_mwh)},
                          {"benchmark_electricity_t_per_mwh", ToJsonNumber(u.benchmark_electricity)},
                          {"benchmark_heat_t_per_gj", ToJsonNumber(u.benchmark_heat)},
                          {"heat_supplied_gj", ToJsonNumber(in.units[i].heat_supplied_gj)},
                          {"factors", factors},
                          {"electricity_allowance_t", ToJsonNumber(u.electricity_allowance_t)},
                          {"heat_allowance_t", ToJsonNumber(u.heat_allowance_t)},
                          {"initial_allowance_t", ToJsonNumber(u.initial_allowance_t)},
                          {"gas_topup_t", ToJsonNumber(u.gas_topup_t)},
                          {"final_allowance_t", ToJsonNumber(u.final_allowance_t)},
                          {"verified_emissions_t", Optional(in.units[i].verified_emissions_t)},
                          {"pre_allocation_t", Optional(u.pre_allocation_t)}});
  }
  out["units"] = units_json;
  out["entity_allowance"] = {{"initial_t", ToJsonNumber(r.initial_allowance_t)},
                             {"verified_emissions_t", Optional(r.verified_emissions_t)},
                             {"gap_cap_topup_t", ToJsonNumber(r.gap_cap_topup_t)},
                             {"deduction_t", ToJsonNumber(r.deduction_t)},
                             {"final_t", ToJsonNumber(r.final_allowance_t)},
                             {"gap_rate_percent", Optional(r.gap_rate_percent)},
                             {"pre_allocation_t", Optional(r.pre_allocation_t)},
                             {"pre_allocation_issued_t", Optional(in.pre_allocation_issued_t)},
                             {"true_up_t", Optional(r.true_up_t)},
                             {"provisional", r.provisional}};
  out["notes"] = r.notes;
  return out;
}

}  // namespace

Status ReadGeneratingUnit(const JsonInput& in, mrv::GeneratingUnit* unit) {
  GL_RETURN_IF_ERROR(in.ExpectObject(kUnitFields));
  return ReadUnit(in, unit);
}

Status ReadUnitMonth(const JsonInput& in, mrv::UnitMonth* month) { return ReadUnitMonthImpl(in, month); }

Json GeneratingUnitToJson(const mrv::GeneratingUnit& unit) { return UnitJson(unit); }

Json UnitMonthToJson(const mrv::UnitMonth& month) {
  Json fuels = Json::array();
  for (const mrv::FuelUse& f : month.fuels) {
    Json fuel = {{"fuel", f.fuel}, {"consumption", ToJsonNumber(f.consumption)}};
    if (f.ncv) fuel["ncv"] = ToJsonNumber(*f.ncv);
    if (!f.ncv_evidence.empty()) fuel["ncv_evidence"] = f.ncv_evidence;
    if (f.carbon_tc_per_gj) fuel["carbon_tc_per_gj"] = ToJsonNumber(*f.carbon_tc_per_gj);
    if (!f.carbon_evidence.empty()) fuel["carbon_evidence"] = f.carbon_evidence;
    if (f.oxidation_rate) fuel["oxidation_rate"] = ToJsonNumber(*f.oxidation_rate);
    fuels.push_back(std::move(fuel));
  }
  Json out = {{"unit_id", month.unit_id},
              {"month", month.month},
              {"generation_mwh", ToJsonNumber(month.generation_mwh)},
              {"supply_mwh", ToJsonNumber(month.supply_mwh)},
              {"heat_supplied_gj", ToJsonNumber(month.heat_supplied_gj)},
              {"purchased_electricity_mwh", ToJsonNumber(month.purchased_electricity_mwh)}};
  if (month.load_rate) out["load_rate"] = ToJsonNumber(*month.load_rate);
  if (!month.meter_evidence.empty()) out["meter_evidence"] = month.meter_evidence;
  out["fuels"] = std::move(fuels);
  return out;
}

std::vector<Calculator> PowerCalculators() {
  return {
      {"power-emissions", "发电设施排放核算", "Power facility emissions",
       "Combustion and purchased-electricity CO2 per unit, month and year under the power-generation accounting guideline, "
       "with the data year's defaults and grid factor from data/carbon/.",
       "docs/calc/power-emissions.json", RunPowerEmissions},
      {"power-allocation", "发电行业配额分配", "Power sector allowance allocation",
       "Unit and entity allowances under the national plan of plan_year (benchmarks, correction factors, gas top-up, gap "
       "cap, pre-allocation and true-up) from data/carbon/power-plans.json.",
       "docs/calc/power-allocation.json", RunPowerAllocation},
  };
}

}  // namespace greenloop::calc
