// src/service/mrv_operations.h
//
// The MRV workflow (核算与核查) as callers may ask for it: facilities and their units, monthly
// data (every revision kept), annual report submission (every version kept), and verification
// (assignment without conflict of interest, findings with adjustments, responses, conclusion,
// confirmation that locks the verified emissions). The writes run inside exclusive jobs
// (RegistryService::ExecuteExclusive), so their reads of the store see every earlier commit.
//
// Visibility: the regulator sees all; a league/city official the facilities of its region; an
// enterprise its own; a verifier only the facilities it is assigned to, and only while assigned.
// Anything else is reported as not found.
#ifndef GREENLOOP_SERVICE_MRV_OPERATIONS_H_
#define GREENLOOP_SERVICE_MRV_OPERATIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "calc/calculator.h"
#include "mrv/records.h"
#include "service/registry_service.h"

namespace greenloop {

// A facility the principal may see (not_found otherwise).
Status VisibleFacility(Store& store, const Principal& principal, std::int64_t facility_id, mrv::Facility* out);
// May the principal change the facility's units and monthly data?
Status CheckMayEditFacility(const Principal& principal, const mrv::Facility& facility);
// The facilities the principal may see, filtered.
Status ListVisibleFacilities(Store& store, const Principal& principal, FacilityFilter filter,
                             std::vector<mrv::Facility>* out);
Status ListVisibleCases(Store& store, const Principal& principal, CaseFilter filter, std::vector<mrv::Case>* out);

// A power facility comes with its generating units; an industrial one (steel, aluminium, cement)
// with its profile (calc/industry_facility.h) and no units.
Status CreateFacility(WriteContext& ctx, const Principal& principal, mrv::Facility facility,
                      const std::vector<mrv::GeneratingUnit>& units, const calc::Json& profile, mrv::Facility* out);
Status PutUnit(WriteContext& ctx, const Principal& principal, std::int64_t facility_id, const mrv::GeneratingUnit& unit);

struct MonthlyDataWrite {
  std::vector<mrv::UnitMonth> months;
  std::vector<std::string> bodies_json;  // each month as sent, kept with its revision
  std::string channel;                  // "api", "form", "upload:<file>"
};
// Validates the months against the facility's units and the accounting rules (ranges, scale
// mistakes), then stores each as a new revision.
Status PutMonthlyData(WriteContext& ctx, const Principal& principal, std::int64_t facility_id, int year,
                      const MonthlyDataWrite& write, std::vector<mrv::StoredUnitMonth>* stored);

// Industrial facilities: each month one document in the sector's month format
// (calc/industry_facility.h), validated by the sector's engine, stored as a new revision.
struct SectorDataWrite {
  std::vector<calc::Json> months;
  std::string channel;  // "api", "form"
};
Status PutSectorMonths(WriteContext& ctx, const Principal& principal, std::int64_t facility_id, int year,
                       const SectorDataWrite& write, std::vector<mrv::StoredSectorMonth>* stored);

// The accounting of a facility-year from its stored data (plus adjustments): the
// calculator's JSON result (power-emissions, or the industrial sector's). `allow_partial_year`
// for previews.
Result<calc::Json> ComputeFacilityYear(Store& store, std::int64_t facility_id, int year,
                                                   const std::vector<mrv::Adjustment>& adjustments,
                                                   bool allow_partial_year);

Status SubmitReport(WriteContext& ctx, const Principal& principal, std::int64_t facility_id, int year,
                    mrv::Report* report, mrv::Case* updated);
Status AssignVerifier(WriteContext& ctx, const Principal& principal, std::int64_t facility_id, int year,
                      OrgId verifier_org_id, mrv::Case* updated);
Status RaiseFinding(WriteContext& ctx, const Principal& principal, std::int64_t facility_id, int year,
                    const std::string& description, const std::optional<mrv::Adjustment>& adjustment,
                    mrv::Finding* out);
Status RespondToFinding(WriteContext& ctx, const Principal& principal, std::int64_t facility_id, int year,
                        std::int64_t finding_id, const std::string& response, mrv::Finding* out);
// The verifier's conclusion: the report recomputed with every adjustment becomes the verified
// version (kind "adjusted" when there were adjustments).
Status ConcludeVerification(WriteContext& ctx, const Principal& principal, std::int64_t facility_id, int year,
                            const std::string& conclusion, mrv::Case* updated, mrv::Report* verified);
Status ConfirmVerification(WriteContext& ctx, const Principal& principal, std::int64_t facility_id, int year,
                           mrv::Case* updated);
Status RecordConflict(WriteContext& ctx, const Principal& principal, const mrv::VerifierConflict& conflict);

// The reporting calendar of a facility-year against today, with the deadlines of its sector and
// data year (data/carbon/reporting-deadlines.json; power: monthly data within 40 days of month
// end, the annual report by 31 March, verification by 30 June of the next year).
struct CalendarItem {
  std::string item;       // "month", "annual_report", "verification"
  int month = 0;          // for "month"
  std::string due_date;   // YYYY-MM-DD; empty when not required
  std::string status;     // "done", "late", "done_late", "due", "open", "not_required"
  std::optional<std::string> done_date;
};
Status ReportingCalendar(Store& store, std::int64_t facility_id, int year, time_us now_us,
                         std::vector<CalendarItem>* out);

}  // namespace greenloop

#endif  // GREENLOOP_SERVICE_MRV_OPERATIONS_H_
