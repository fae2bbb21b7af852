// src/registry/model.h
//
// The registry's records: instrument families and instruments (品种), organizations (机构),
// accounts (账户), journal entries (分录) with their postings, and holdings (持有量). Plain data;
// the rules that change them live in ledger.h.
#ifndef GREENLOOP_REGISTRY_MODEL_H_
#define GREENLOOP_REGISTRY_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"

namespace greenloop {

struct InstrumentFamily {
  std::string code;  // CEA, CCER, PDR, EUR, WR, GEC, CNY
  std::string name_zh;
  std::string name_en;
  std::string unit;
  quantity_t scale = 1;  // smallest units per display unit
  std::vector<std::string> required_attributes;
  std::string source;
};

enum class InstrumentStatus : std::uint8_t { kActive, kExpired };

struct Instrument {
  std::string code;  // [A-Z0-9-]{1,40}
  std::string family;
  std::string name_zh;
  std::string name_en;
  std::string unit;
  quantity_t scale = 1;
  std::optional<std::int32_t> vintage;
  std::optional<std::string> region;
  std::optional<std::int64_t> valid_from_days;  // first valid day (UTC), inclusive
  std::optional<std::int64_t> valid_to_days;    // last valid day (UTC), inclusive
  std::string attributes_json = "{}";           // family attributes as a JSON object
  InstrumentStatus status = InstrumentStatus::kActive;
  time_us created_at_us = 0;
};

enum class OrgKind : std::uint8_t { kRegion, kEnterprise, kVerifier, kExchange, kGovernment };

struct Organization {
  OrgId id = 0;
  OrgKind kind = OrgKind::kEnterprise;
  std::string name_zh;
  std::string name_en;
  std::optional<std::string> uscc;
  std::optional<std::string> region;  // GB/T 2260 code of the league/city (or 150000)
  std::optional<std::string> industry;
  time_us created_at_us = 0;
};

enum class AccountKind : std::uint8_t { kHolding, kReserve, kIssuance, kRetirement, kCancellation, kClearing };
enum class AccountStatus : std::uint8_t { kOpen, kFrozen, kClosed };

struct Account {
  AccountId id = 0;
  OrgId org_id = 0;
  AccountKind kind = AccountKind::kHolding;
  std::string name;
  AccountStatus status = AccountStatus::kOpen;
  time_us created_at_us = 0;
  time_us status_changed_at_us = 0;
};

enum class EntryKind : std::uint8_t { kIssue, kTransfer, kFreeze, kUnfreeze, kRetire, kCancel, kExpire, kReverse };
// Each holding has two parts: what the holder may move, and what is frozen (dispute, pledge,
// pending settlement). A freeze is a posting from one part to the other of the same account.
enum class Bucket : std::uint8_t { kAvailable, kFrozen };

struct Posting {
  AccountId account_id = 0;
  std::string instrument;
  Bucket bucket = Bucket::kAvailable;
  quantity_t amount = 0;  // positive = credit to this account, negative = debit
};

struct Entry {
  EntryId id = 0;
  EntryKind kind = EntryKind::kTransfer;
  time_us created_at_us = 0;
  std::optional<EntryId> reverses;
  UserId actor_user_id = 0;
  std::string memo;
  std::string prev_hash;  // 64 hex chars; all zeros for the first entry
  std::string hash;
  std::vector<Posting> postings;
};

struct Holding {
  AccountId account_id = 0;
  std::string instrument;
  quantity_t available = 0;
  quantity_t frozen = 0;
  quantity_t balance() const { return available + frozen; }
};

inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

std::string_view ToString(InstrumentStatus v);
std::string_view ToString(OrgKind v);
std::string_view ToString(AccountKind v);
std::string_view ToString(AccountStatus v);
std::string_view ToString(EntryKind v);
std::string_view ToString(Bucket v);
std::optional<InstrumentStatus> ParseInstrumentStatus(std::string_view s);
std::optional<OrgKind> ParseOrgKind(std::string_view s);
std::optional<AccountKind> ParseAccountKind(std::string_view s);
std::optional<AccountStatus> ParseAccountStatus(std::string_view s);
std::optional<EntryKind> ParseEntryKind(std::string_view s);
std::optional<Bucket> ParseBucket(std::string_view s);

// True for codes of the form [A-Z0-9][A-Z0-9-]{0,39}.
bool IsValidInstrumentCode(std::string_view code);

// The canonical text an entry's hash is computed over: every field that matters, each string
// length-prefixed so that no two different entries share a text.
std::string CanonicalEntryText(const Entry& entry);
// SHA-256 over the previous hash and the canonical text.
std::string ComputeEntryHash(const Entry& entry);

}  // namespace greenloop

#endif  // GREENLOOP_REGISTRY_MODEL_H_
