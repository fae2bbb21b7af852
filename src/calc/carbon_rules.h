// src/calc/carbon_rules.h
//
// The carbon-market rules as the engines take them, read from the embedded data/carbon/*.json.
// The data files are part of the build, so a malformed file is a programmer error (asserted when
// first read), while a year the data does not cover is the caller's error (a Status).
#ifndef GREENLOOP_CALC_CARBON_RULES_H_
#define GREENLOOP_CALC_CARBON_RULES_H_

#include <vector>

#include "allocation/industry_allocation.h"
#include "allocation/power_plan.h"
#include "compliance/compliance.h"
#include "core/status.h"
#include "mrv/power_accounting.h"
#include "mrv/records.h"

namespace greenloop::calc {

const mrv::PowerAccountingRules& PowerAccountingRulesData();
const std::vector<allocation::PowerPlan>& PowerPlansData();
// The plan entry for an allocation year; not_found names the years there are.
Result<allocation::PowerPlan> PowerPlanFor(int year);
// The industrial sectors' allocation rule of a year (data/carbon/industry-plans.json).
Result<allocation::IndustryPlan> IndustryPlanFor(int year);
// The compliance rules of an emissions year; not_found names the years there are.
Result<compliance::ComplianceRules> ComplianceRulesFor(int year);

// The MRV deadlines of a sector's data year (data/carbon/reporting-deadlines.json).
struct ReportingDeadlines {
  bool monthly_required = true;     // each month within 40 natural days of its end
  int backfill_through_month = 0;   // months 1..n instead due together on backfill_due
  std::string backfill_due;         // YYYY-MM-DD
  std::string annual_report_due;    // YYYY-MM-DD
  std::string verification_due;     // YYYY-MM-DD
  std::string tag;
  std::string source;
};
// Industrial sectors are covered from data year 2024: earlier years are not_covered.
Result<ReportingDeadlines> ReportingDeadlinesFor(mrv::Sector sector, int year);

}  // namespace greenloop::calc

#endif  // GREENLOOP_CALC_CARBON_RULES_H_
