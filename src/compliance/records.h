// src/compliance/records.h
//
// What the registry keeps of the carbon market's allocation and compliance: each issuance or
// claw-back of allowances with its calculation and journal entry, each surrender with its entry,
// and penalty decisions for shortfalls.
#ifndef GREENLOOP_COMPLIANCE_RECORDS_H_
#define GREENLOOP_COMPLIANCE_RECORDS_H_

#include <string>

#include "core/types.h"

namespace greenloop::compliance {

struct AllocationRecord {
  std::int64_t id = 0;
  OrgId org_id = 0;
  int year = 0;
  std::string kind;  // "pre_allocation", "true_up", "claw_back"
  quantity_t quantity = 0;  // tonnes, positive; the kind says the direction
  std::string instrument;
  AccountId account_id = 0;
  bool differentiated = false;  // issued to the provincial account
  EntryId entry_id = 0;
  std::string plan;
  std::string calculation_json;
  UserId created_by = 0;
  time_us created_at_us = 0;
};

struct SurrenderRecord {
  std::int64_t id = 0;
  OrgId org_id = 0;
  int year = 0;
  std::string instrument;
  std::string family;  // "CEA" or "CCER"
  quantity_t quantity = 0;
  AccountId account_id = 0;
  EntryId entry_id = 0;
  UserId created_by = 0;
  time_us created_at_us = 0;
};

// Differentiated allowances moved from the provincial account to the enterprise's holding
// account once the cause of the differentiated issuance is gone.
struct ReleaseRecord {
  std::int64_t id = 0;
  OrgId org_id = 0;
  int year = 0;  // the allocation year of the allowances released
  std::string instrument;
  quantity_t quantity = 0;
  AccountId from_account_id = 0;
  AccountId to_account_id = 0;
  EntryId entry_id = 0;
  std::string reason;
  UserId created_by = 0;
  time_us created_at_us = 0;
};

struct PenaltyRecord {
  std::int64_t id = 0;
  OrgId org_id = 0;
  int year = 0;
  quantity_t shortfall_t = 0;
  std::int64_t amount_fen = 0;
  quantity_t deduction_t = 0;
  std::string basis;
  UserId decided_by = 0;
  time_us decided_at_us = 0;
};

}  // namespace greenloop::compliance

#endif  // GREENLOOP_COMPLIANCE_RECORDS_H_
