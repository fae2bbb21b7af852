// src/mrv/records.h
//
// What the MRV workflow keeps: facilities and their units, monthly data as entered (every
// version), annual reports (every version), the verification case of a facility-year, the
// verifier's findings and adjustments, and the consulting relationships that bar a verifier.
// Plain values; the rules that move a case from state to state are in verification.h.
#ifndef GREENLOOP_MRV_RECORDS_H_
#define GREENLOOP_MRV_RECORDS_H_

#include <optional>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/types.h"
#include "mrv/power_accounting.h"

namespace greenloop::mrv {

enum class Sector { kPower, kSteel, kAluminium, kCement };
const char* SectorName(Sector sector);
std::optional<Sector> ParseSector(const std::string& name);

struct Facility {
  std::int64_t id = 0;
  OrgId org_id = 0;
  std::string name;
  Sector sector = Sector::kPower;
  std::string region;  // GB/T 2260 code of its league or city
  time_us created_at_us = 0;
  // Industrial sectors: what describes the facility beyond its name, as JSON (cement clinker
  // lines, steel captive power units, aluminium enterprise parameters); empty for power.
  std::string profile_json;
};

// A unit-month as stored: the data plus who entered which revision when.
struct StoredUnitMonth {
  std::int64_t facility_id = 0;
  int year = 0;
  UnitMonth data;
  int revision = 1;
  UserId entered_by = 0;
  time_us entered_at_us = 0;
};

// A month of an industrial facility as stored: one document in its sector calculator's month
// format (the guidelines account the facility as a whole, not per generating unit).
struct StoredSectorMonth {
  std::int64_t facility_id = 0;
  int year = 0;
  int month = 0;
  std::string body_json;
  int revision = 1;
  UserId entered_by = 0;
  time_us entered_at_us = 0;
};

struct DataVersion {
  std::int64_t id = 0;
  std::int64_t facility_id = 0;
  int year = 0;
  std::string unit_id;  // empty for a month of an industrial facility
  int month = 0;
  int revision = 0;
  std::string channel;    // "api", "form", "upload:<file name>"
  std::string body_json;  // the unit-month as entered
  UserId entered_by = 0;
  time_us entered_at_us = 0;
};

struct Report {
  std::int64_t facility_id = 0;
  int year = 0;
  int version = 0;
  std::string kind;  // "submitted" (by the enterprise) or "adjusted" (the verifier's conclusion)
  Decimal total_t;
  Decimal scope_t;  // what compliance counts in the year's rules
  std::string body_json;  // the calculation with every input
  UserId created_by = 0;
  time_us created_at_us = 0;
};

enum class CaseStatus { kSubmitted, kAssigned, kInReview, kConcluded, kConfirmed };
const char* CaseStatusName(CaseStatus status);
std::optional<CaseStatus> ParseCaseStatus(const std::string& name);

struct Case {
  std::int64_t facility_id = 0;
  int year = 0;
  CaseStatus status = CaseStatus::kSubmitted;
  std::optional<OrgId> verifier_org_id;
  int current_version = 0;
  std::optional<Decimal> verified_total_t;
  std::optional<Decimal> verified_scope_t;
  std::string conclusion;
  time_us submitted_at_us = 0;
  time_us updated_at_us = 0;
};

// A value the verifier changes, with the reason in the finding that carries it. The enterprise's
// raw data stays as entered; adjustments apply on top when the adjusted report is computed.
// Power facilities name unit, fuel and field; industrial facilities name the value by its path in
// the month document ("fuels[0].consumption", "lines[1].clinker_t").
struct Adjustment {
  std::string unit_id;
  int month = 0;
  std::string path;   // industrial facilities only
  std::string fuel;   // empty for a unit-month field
  std::string field;  // generation_mwh, supply_mwh, heat_supplied_gj, purchased_electricity_mwh,
                      // consumption, ncv, carbon_tc_per_gj, oxidation_rate
  Decimal value;
};

enum class FindingStatus { kOpen, kResponded, kClosed };
const char* FindingStatusName(FindingStatus status);
std::optional<FindingStatus> ParseFindingStatus(const std::string& name);

struct Finding {
  std::int64_t id = 0;
  std::int64_t facility_id = 0;
  int year = 0;
  OrgId verifier_org_id = 0;
  std::string description;
  std::optional<Adjustment> adjustment;
  std::string response;
  FindingStatus status = FindingStatus::kOpen;
  UserId created_by = 0;
  time_us created_at_us = 0;
  std::optional<UserId> responded_by;
  std::optional<time_us> responded_at_us;
};

struct VerifierConflict {
  OrgId verifier_org_id = 0;
  OrgId enterprise_org_id = 0;
  std::string reason;
  time_us recorded_at_us = 0;
};

}  // namespace greenloop::mrv

#endif  // GREENLOOP_MRV_RECORDS_H_
