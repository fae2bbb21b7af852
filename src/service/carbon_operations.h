// src/service/carbon_operations.h
//
// Allocation and compliance in the registry (配额分配与清缴履约): the allowances of an enterprise
// for a year are computed from its confirmed verified reports under that year's plan, then issued
// as CEA of the vintage into its holding account — or, for an entity under judicial freeze or that
// failed to surrender in the previous cycle, into the provincial account (differentiated
// issuance) — with the calculation kept beside the journal entry. Pre-allocation comes first; the
// final allocation trues it up (多退少补), issuing or clawing back the difference. Enterprises
// surrender CEA of eligible vintages and CCER within the cap into the retirement account against
// their verified emissions; the regulator records penalties for shortfalls.
#ifndef GREENLOOP_SERVICE_CARBON_OPERATIONS_H_
#define GREENLOOP_SERVICE_CARBON_OPERATIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "calc/calculator.h"
#include "compliance/compliance.h"
#include "service/registry_service.h"

namespace greenloop {

enum class AllocationKind { kPre, kFinal };

// One enterprise's allocation for a year as it stands: either computed (with what is issued
// already and what issuing now would move), or the reason it cannot be computed yet.
struct AllocationPlanItem {
  OrgId org_id = 0;
  std::string org_name;
  std::string region;
  bool ready = false;
  std::string not_ready_reason;
  quantity_t target_t = 0;    // what the enterprise should hold from the year's allocation
  quantity_t issued_t = 0;    // net of earlier issues and claw-backs
  quantity_t to_issue_t = 0;  // target − issued: > 0 issue, < 0 claw back
  bool differentiated = false;
  std::string differentiated_reason;
  quantity_t parked_t = 0;    // differentiated allowances of the year still in the provincial account
  calc::Json calculation;     // the power-allocation result, or the industry allocation's, with its inputs
};

// `today` (YYYY-MM-DD) decides whether the previous cycle's shortfall is overdue.
Status ComputeAllocations(Store& store, int year, AllocationKind kind, const std::optional<OrgId>& only_org,
                          const std::string& today, std::vector<AllocationPlanItem>* out);

// Issues (or claws back) the difference for every ready enterprise (or the listed ones), one
// journal entry each; enterprises with nothing to move are skipped.
Status IssueAllocations(WriteContext& ctx, const Principal& principal, int year, AllocationKind kind,
                        const std::vector<OrgId>& only_orgs, std::vector<compliance::AllocationRecord>* issued);

// Releases the enterprise's differentiated allowances of `year` from the provincial account to its
// holding account, once the cause is gone: the previous year is settled and the holding account is
// open. One journal entry per provincial account that holds them.
Status ReleaseDifferentiated(WriteContext& ctx, const Principal& principal, int year, OrgId org_id,
                             std::vector<compliance::ReleaseRecord>* released);

struct ComplianceRow {
  OrgId org_id = 0;
  std::string org_name;
  std::string region;
  std::string industry;
  Decimal verified_scope_t;
  int facilities_confirmed = 0;
  int facilities_pending = 0;  // covered facilities without a confirmed report for the year
  quantity_t obligation_t = 0;
  compliance::Surrendered surrendered;
  quantity_t outstanding_t = 0;
  compliance::Standing standing = compliance::Standing::kOpen;
  std::optional<compliance::PenaltyRecord> penalty;
};

// The compliance position of every enterprise with a confirmed report for the year.
Status ComplianceStatus(Store& store, int year, const std::string& today, std::vector<ComplianceRow>* out);

struct SurrenderInput {
  int year = 0;
  AccountId account = 0;
  std::string instrument;
  quantity_t quantity = 0;
};
Status Surrender(WriteContext& ctx, const Principal& principal, const SurrenderInput& input,
                 compliance::SurrenderRecord* out, Entry* entry);

// Records the regulator's penalty decision for a shortfall after the deadline; the amount must lie
// in the range the rules give.
Status DecidePenalty(WriteContext& ctx, const Principal& principal, OrgId org_id, int year, std::int64_t amount_fen,
                     std::optional<std::int64_t> average_price_fen, compliance::PenaltyRecord* out);

}  // namespace greenloop

#endif  // GREENLOOP_SERVICE_CARBON_OPERATIONS_H_
