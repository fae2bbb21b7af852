// src/calc/carbon_rules.h
//
// The carbon-market rules as the engines take them, read from the embedded data/carbon/*.json.
// The data files are part of the build, so a malformed file is a programmer error (asserted when
// first read), while a year the data does not cover is the caller's error (a Status).
#ifndef GREENLOOP_CALC_CARBON_RULES_H_
#define GREENLOOP_CALC_CARBON_RULES_H_

#include <vector>

#include "allocation/power_plan.h"
#include "compliance/compliance.h"
#include "core/status.h"
#include "mrv/power_accounting.h"

namespace greenloop::calc {

const mrv::PowerAccountingRules& PowerAccountingRulesData();
const std::vector<allocation::PowerPlan>& PowerPlansData();
// The plan entry for an allocation year; not_found names the years there are.
Result<allocation::PowerPlan> PowerPlanFor(int year);
// The compliance rules of an emissions year; not_found names the years there are.
Result<compliance::ComplianceRules> ComplianceRulesFor(int year);

}  // namespace greenloop::calc

#endif  // GREENLOOP_CALC_CARBON_RULES_H_
