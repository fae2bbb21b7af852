// The `industry-allocation` calculator: the allowance of a steel, cement or aluminium entity under
// the industrial sectors' plan of a year (allocation/industry_allocation.h, data/carbon/industry-plans.json).
#include "allocation/industry_allocation.h"
#include "calc/calculator.h"
#include "calc/carbon_rules.h"
#include "calc/json_input.h"

namespace greenloop::calc {
namespace {

Result<Json> RunIndustryAllocation(const Json& input) {
  JsonInput in(input, "");
  GL_RETURN_IF_ERROR(in.ExpectObject({"plan_year", "kind", "entity", "facilities"}));
  int year = 0;
  GL_RETURN_IF_ERROR(in.RequiredInt("plan_year", 2013, 2100, &year));
  std::string kind = "final";
  GL_RETURN_IF_ERROR(in.Choice("kind", {"final", "pre"}, false, &kind));
  std::string entity;
  GL_RETURN_IF_ERROR(in.OptionalString("entity", &entity));
  std::vector<JsonInput> rows;
  GL_RETURN_IF_ERROR(in.Array("facilities", true, &rows));
  Result<allocation::IndustryPlan> plan = IndustryPlanFor(year);
  if (!plan.ok()) return plan.status();
  std::vector<allocation::IndustryFacilityEmissions> facilities;
  Json facilities_json = Json::array();
  for (const JsonInput& row : rows) {
    GL_RETURN_IF_ERROR(row.ExpectObject({"facility_id", "name", "sector", "verified_emissions_t", "year"}));
    allocation::IndustryFacilityEmissions f;
    GL_RETURN_IF_ERROR(row.RequiredString("name", &f.facility));
    GL_RETURN_IF_ERROR(row.Choice("sector", {"steel", "cement", "aluminium"}, true, &f.sector));
    GL_RETURN_IF_ERROR(row.RequiredDecimal("verified_emissions_t", &f.verified_t));
    facilities.push_back(f);
    facilities_json.push_back(Json{{"name", f.facility},
                                   {"sector", f.sector},
                                   {"verified_emissions_t", ToJsonNumber(f.verified_t)},
                                   {"year", kind == "pre" ? year - 1 : year}});
    const Json& raw = input["facilities"][facilities.size() - 1];
    if (raw.contains("facility_id")) facilities_json.back()["facility_id"] = raw["facility_id"];
  }
  Result<allocation::IndustryAllocationResult> r = kind == "pre" ? allocation::AllocateIndustryPre(plan.value(), facilities)
                                                                 : allocation::AllocateIndustryFinal(plan.value(), facilities);
  if (!r.ok()) return r.status();
  Json allowance = {{"verified_emissions_t", ToJsonNumber(r.value().verified_total_t)}};
  allowance[kind == "pre" ? "pre_allocation_t" : "final_t"] = r.value().allowance_t;
  return Json{{"calculator", "industry-allocation"},
              {"entity", entity.empty() ? Json(nullptr) : Json(entity)},
              {"plan", Json{{"plan", plan.value().plan}, {"year", year}, {"tag", plan.value().tag}, {"source", plan.value().source}}},
              {"kind", kind},
              {"facilities", facilities_json},
              {"entity_allowance", allowance},
              {"notes", r.value().notes}};
}

}  // namespace

Calculator IndustryAllocationCalculator() {
  return {"industry-allocation", "钢铁、水泥、铝冶炼配额分配", "Industrial sectors' allocation",
          "The allowance of a steel, cement or aluminium entity under the 2024–2025 plan: 2024 final = verified emissions "
          "(等量分配), 2025 pre-allocation = 70 % of the 2024 verified emissions rounded down; the 2025 final allocation is "
          "refused as not computable (its benchmarks are not in the sources).",
          "docs/calc/industry-allocation.json", RunIndustryAllocation};
}

}  // namespace greenloop::calc
