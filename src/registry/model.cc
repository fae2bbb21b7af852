#include "registry/model.h"

#include <array>

#include "core/assert.h"
#include "core/crypto.h"

namespace greenloop {
namespace {

template <typename Enum, size_t N>
std::optional<Enum> ParseByName(std::string_view s, const std::array<std::string_view, N>& names) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, 2> kInstrumentStatusNames = {"active", "expired"};
constexpr std::array<std::string_view, 5> kOrgKindNames = {"region", "enterprise", "verifier", "exchange",
                                                           "government"};
constexpr std::array<std::string_view, 6> kAccountKindNames = {"holding",    "reserve",      "issuance",
                                                               "retirement", "cancellation", "clearing"};
constexpr std::array<std::string_view, 3> kAccountStatusNames = {"open", "frozen", "closed"};
constexpr std::array<std::string_view, 8> kEntryKindNames = {"issue",  "transfer", "freeze", "unfreeze",
                                                             "retire", "cancel",   "expire", "reverse"};
constexpr std::array<std::string_view, 2> kBucketNames = {"available", "frozen"};

template <size_t N>
std::string_view NameAt(const std::array<std::string_view, N>& names, std::uint8_t index) {
  GL_ASSERT(index < N);
  return names[index];
}

void AppendField(std::string* out, std::string_view name, std::string_view value) {
  out->append(name);
  out->push_back('=');
  out->append(std::to_string(value.size()));
  out->push_back(':');
  out->append(value);
  out->push_back(';');
}

}  // namespace

std::string_view ToString(InstrumentStatus v) { return NameAt(kInstrumentStatusNames, static_cast<std::uint8_t>(v)); }
std::string_view ToString(OrgKind v) { return NameAt(kOrgKindNames, static_cast<std::uint8_t>(v)); }
std::string_view ToString(AccountKind v) { return NameAt(kAccountKindNames, static_cast<std::uint8_t>(v)); }
std::string_view ToString(AccountStatus v) { return NameAt(kAccountStatusNames, static_cast<std::uint8_t>(v)); }
std::string_view ToString(EntryKind v) { return NameAt(kEntryKindNames, static_cast<std::uint8_t>(v)); }
std::string_view ToString(Bucket v) { return NameAt(kBucketNames, static_cast<std::uint8_t>(v)); }
std::optional<InstrumentStatus> ParseInstrumentStatus(std::string_view s) {
  return ParseByName<InstrumentStatus>(s, kInstrumentStatusNames);
}
std::optional<OrgKind> ParseOrgKind(std::string_view s) { return ParseByName<OrgKind>(s, kOrgKindNames); }
std::optional<AccountKind> ParseAccountKind(std::string_view s) {
  return ParseByName<AccountKind>(s, kAccountKindNames);
}
std::optional<AccountStatus> ParseAccountStatus(std::string_view s) {
  return ParseByName<AccountStatus>(s, kAccountStatusNames);
}
std::optional<EntryKind> ParseEntryKind(std::string_view s) { return ParseByName<EntryKind>(s, kEntryKindNames); }
std::optional<Bucket> ParseBucket(std::string_view s) { return ParseByName<Bucket>(s, kBucketNames); }

bool IsValidInstrumentCode(std::string_view code) {
  if (code.empty() || code.size() > 40 || code.front() == '-') return false;
  for (char c : code) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string CanonicalEntryText(const Entry& entry) {
  std::string out;
  out.reserve(160 + entry.memo.size() + entry.postings.size() * 48);
  AppendField(&out, "v", "1");
  AppendField(&out, "id", std::to_string(entry.id));
  AppendField(&out, "kind", ToString(entry.kind));
  AppendField(&out, "at", std::to_string(entry.created_at_us));
  AppendField(&out, "reverses", entry.reverses ? std::to_string(*entry.reverses) : "");
  AppendField(&out, "actor", std::to_string(entry.actor_user_id));
  AppendField(&out, "memo", entry.memo);
  for (const Posting& p : entry.postings) {
    AppendField(&out, "account", std::to_string(p.account_id));
    AppendField(&out, "instrument", p.instrument);
    AppendField(&out, "bucket", ToString(p.bucket));
    AppendField(&out, "amount", std::to_string(p.amount));
  }
  return out;
}

std::string ComputeEntryHash(const Entry& entry) {
  GL_ASSERT(entry.prev_hash.size() == 64);
  std::string text = entry.prev_hash;
  text.push_back('\n');
  text += CanonicalEntryText(entry);
  return Sha256Hex(text);
}

}  // namespace greenloop
