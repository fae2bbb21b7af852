// src/calc/industry_facility.h
//
// Industrial facilities (steel, aluminium, cement) in the MRV workflow. Their guidelines account
// the facility as a whole, so the workflow keeps:
//
//   - a profile: what describes the facility beyond its name —
//       cement    {"lines": [{"id", "name", "clinker_type"}, …]}   (required, one line at least)
//       steel     {"power_units": [{"id", "name"}, …]}             (captive power units, optional)
//       aluminium {"parameters": {…}}                               (measured enterprise parameters, optional)
//   - one document per month, in the sector calculator's month format (docs/calc/industry.md),
//     with two differences that keep a month in one place:
//       steel     the month of each captive power unit inside it: "power_units": [{"id", "fuels",
//                 "generation_mwh", "heat_supplied_gj"}]
//       cement    the month of each clinker line inside it: {"month", "lines": [{"line_id",
//                 "clinker_t", "alternative_materials", "fuels"}]}
//
// and assembles the calculator's facility-year input from them. The calculator's errors are
// mapped back to the documents: "months[2].lines[1].fuels[0].ncv" names the third document given.
#ifndef GREENLOOP_CALC_INDUSTRY_FACILITY_H_
#define GREENLOOP_CALC_INDUSTRY_FACILITY_H_

#include <string>
#include <vector>

#include "calc/calculator.h"
#include "core/decimal.h"
#include "core/status.h"
#include "mrv/records.h"

namespace greenloop::calc {

bool IsIndustrySector(mrv::Sector sector);

// Checks a profile against the sector's rules (clinker types, parameter ranges); errors name
// "profile.…". An absent (null) profile is an empty one.
Status CheckIndustryProfile(mrv::Sector sector, const Json& profile);

// Runs the sector's calculator over month documents of one year (in the order given: errors name
// months[i] of this vector). Each document must carry its "month".
Result<Json> RunIndustryYear(mrv::Sector sector, const Json& profile, int year, const std::vector<Json>& months,
                             bool allow_partial_year);

// Sets the number at `path` ("fuels[0].consumption", "lines[1].clinker_t") of a month document.
// The path must name an existing number, or an absent optional number of an existing object
// ("fuels[0].ncv"); the engine checks the result when the year is recomputed.
Status ApplyIndustryAdjustment(const std::string& path, Decimal value, Json* month);

// The calculator of the sector ("steel-emissions", …).
const char* IndustryCalculatorName(mrv::Sector sector);

}  // namespace greenloop::calc

#endif  // GREENLOOP_CALC_INDUSTRY_FACILITY_H_
