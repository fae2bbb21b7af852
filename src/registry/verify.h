// src/registry/verify.h
//
// Checks a stored journal against the ledger's invariants without trusting anything the store
// says about itself: the hash chain is recomputed, balances are summed again from the postings.
// Feed it every entry in id order, then every stored holding, then call Finish().
#ifndef GREENLOOP_REGISTRY_VERIFY_H_
#define GREENLOOP_REGISTRY_VERIFY_H_

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "registry/model.h"

namespace greenloop {

struct VerifyProblem {
  std::string kind;  // hash_mismatch, chain_broken, unbalanced_entry, balance_mismatch, ...
  std::optional<EntryId> entry_id;
  std::optional<AccountId> account_id;
  std::string instrument;
  std::string message;
};

class JournalVerifier {
 public:
  // Accounts and instruments as stored, for the status checks (closed accounts, expired
  // instruments, issuance accounts that may go negative).
  JournalVerifier(const std::vector<Account>& accounts, const std::vector<Instrument>& instruments);

  void OnEntry(const Entry& entry);
  void OnHolding(const Holding& holding);
  // Returns every problem found; an empty list means the journal is intact.
  std::vector<VerifyProblem> Finish();
  std::int64_t entries_seen() const { return entries_seen_; }

 private:
  // Issuance and its reversal may precede an instrument's validity.
  bool TouchesIssuance(const Entry& entry) const;
  void Report(std::string kind, std::optional<EntryId> entry, std::optional<AccountId> account,
              std::string instrument, std::string message);

  std::unordered_map<AccountId, Account> accounts_;
  std::map<std::string, Instrument, std::less<>> instruments_;
  std::map<std::string, EntryId, std::less<>> expired_by_entry_;
  std::map<std::tuple<AccountId, std::string, Bucket>, quantity_t> sums_;
  std::map<std::pair<AccountId, std::string>, bool> holding_seen_;
  std::vector<VerifyProblem> problems_;
  std::string expected_prev_hash_;
  EntryId expected_id_ = 1;
  std::int64_t entries_seen_ = 0;
  static constexpr size_t kMaxProblems = 1000;
};

}  // namespace greenloop

#endif  // GREENLOOP_REGISTRY_VERIFY_H_
