#include "registry/verify.h"

#include "core/assert.h"
#include "core/time.h"

namespace greenloop {

JournalVerifier::JournalVerifier(const std::vector<Account>& accounts, const std::vector<Instrument>& instruments)
    : expected_prev_hash_(kGenesisHash) {
  for (const Account& a : accounts) accounts_[a.id] = a;
  for (const Instrument& i : instruments) instruments_[i.code] = i;
}

void JournalVerifier::Report(std::string kind, std::optional<EntryId> entry, std::optional<AccountId> account,
                             std::string instrument, std::string message) {
  if (problems_.size() >= kMaxProblems) return;
  problems_.push_back(VerifyProblem{std::move(kind), entry, account, std::move(instrument), std::move(message)});
}

bool JournalVerifier::TouchesIssuance(const Entry& entry) const {
  for (const Posting& p : entry.postings) {
    auto account = accounts_.find(p.account_id);
    if (account != accounts_.end() && account->second.kind == AccountKind::kIssuance) return true;
  }
  return false;
}

void JournalVerifier::OnEntry(const Entry& entry) {
  ++entries_seen_;
  const std::string label = "entry " + std::to_string(entry.id);
  if (entry.id != expected_id_) {
    Report("chain_broken", entry.id, std::nullopt, "",
           label + " follows entry " + std::to_string(expected_id_ - 1) + "; ids must be consecutive");
  }
  expected_id_ = entry.id + 1;
  if (entry.prev_hash != expected_prev_hash_) {
    Report("chain_broken", entry.id, std::nullopt, "", label + " names a previous hash that is not the hash of the entry before it");
  }
  if (entry.prev_hash.size() == 64 && ComputeEntryHash(entry) != entry.hash) {
    Report("hash_mismatch", entry.id, std::nullopt, "",
           label + " does not match its hash: its content was changed after it was written");
  }
  expected_prev_hash_ = entry.hash;

  std::map<std::string, quantity_t, std::less<>> per_instrument;
  for (const Posting& p : entry.postings) {
    quantity_t& sum = per_instrument[p.instrument];
    if (!CheckedAdd(sum, p.amount, &sum)) {
      Report("unbalanced_entry", entry.id, p.account_id, p.instrument, label + " overflows when its postings are summed");
    }
    quantity_t& balance = sums_[{p.account_id, p.instrument, p.bucket}];
    if (!CheckedAdd(balance, p.amount, &balance)) {
      Report("balance_overflow", entry.id, p.account_id, p.instrument, label + " overflows a balance");
    }
    auto account = accounts_.find(p.account_id);
    if (account == accounts_.end()) {
      Report("unknown_account", entry.id, p.account_id, p.instrument, label + " posts to an account that does not exist");
    } else {
      const Account& a = account->second;
      if (a.kind != AccountKind::kIssuance && balance < 0) {
        Report("negative_balance", entry.id, p.account_id, p.instrument,
               label + " leaves account " + std::to_string(p.account_id) + " with a negative " +
                   std::string(ToString(p.bucket)) + " balance of " + p.instrument);
      }
      bool status_exempt = entry.kind == EntryKind::kFreeze || entry.kind == EntryKind::kUnfreeze;
      if (a.status == AccountStatus::kClosed && entry.created_at_us > a.status_changed_at_us) {
        Report("closed_account_moved", entry.id, p.account_id, p.instrument,
               label + " moves account " + std::to_string(p.account_id) + " after it was closed");
      } else if (a.status == AccountStatus::kFrozen && !status_exempt && entry.created_at_us > a.status_changed_at_us) {
        Report("frozen_account_moved", entry.id, p.account_id, p.instrument,
               label + " moves account " + std::to_string(p.account_id) + " after it was frozen");
      }
    }
    auto expired = expired_by_entry_.find(p.instrument);
    if (expired != expired_by_entry_.end()) {
      Report("expired_instrument_moved", entry.id, p.account_id, p.instrument,
             label + " moves " + p.instrument + " after entry " + std::to_string(expired->second) + " expired it");
    }
    auto instrument = instruments_.find(p.instrument);
    if (instrument == instruments_.end()) {
      Report("unknown_instrument", entry.id, p.account_id, p.instrument, label + " posts an unknown instrument");
    } else if (entry.kind != EntryKind::kExpire && instrument->second.valid_to_days &&
               entry.created_at_us / kMicrosPerDay > *instrument->second.valid_to_days) {
      Report("expired_instrument_moved", entry.id, p.account_id, p.instrument,
             label + " moves " + p.instrument + " after its validity ended");
    } else if (instrument != instruments_.end() && instrument->second.valid_from_days &&
               entry.created_at_us / kMicrosPerDay < *instrument->second.valid_from_days &&
               entry.kind != EntryKind::kIssue &&
               !(entry.kind == EntryKind::kReverse && TouchesIssuance(entry))) {
      Report("instrument_not_yet_valid", entry.id, p.account_id, p.instrument,
             label + " moves " + p.instrument + " before its validity began");
    }
  }
  for (const auto& [instrument, sum] : per_instrument) {
    if (sum != 0) {
      Report("unbalanced_entry", entry.id, std::nullopt, instrument,
             label + ": postings of " + instrument + " sum to " + std::to_string(sum) + ", not zero");
    }
  }
  if (entry.kind == EntryKind::kExpire) {
    // The instrument an expiry names is the one its postings move; an expiry without holders
    // names none, and then there is nothing that could move afterwards anyway.
    for (const Posting& p : entry.postings) expired_by_entry_.emplace(p.instrument, entry.id);
  }
}

void JournalVerifier::OnHolding(const Holding& holding) {
  holding_seen_[{holding.account_id, holding.instrument}] = true;
  quantity_t available = sums_[{holding.account_id, holding.instrument, Bucket::kAvailable}];
  quantity_t frozen = sums_[{holding.account_id, holding.instrument, Bucket::kFrozen}];
  std::string where = "account " + std::to_string(holding.account_id) + " " + holding.instrument;
  if (available != holding.available || frozen != holding.frozen) {
    Report("balance_mismatch", std::nullopt, holding.account_id, holding.instrument,
           where + " stores available " + std::to_string(holding.available) + ", frozen " +
               std::to_string(holding.frozen) + " but its postings sum to available " + std::to_string(available) +
               ", frozen " + std::to_string(frozen));
  }
  auto account = accounts_.find(holding.account_id);
  bool issuance = account != accounts_.end() && account->second.kind == AccountKind::kIssuance;
  if (!issuance && holding.available < 0) {
    Report("negative_available", std::nullopt, holding.account_id, holding.instrument, where + " has a negative available balance");
  }
  if (holding.frozen < 0 || (!issuance && holding.frozen > holding.balance())) {
    Report("frozen_exceeds_balance", std::nullopt, holding.account_id, holding.instrument, where + " has more frozen than its balance");
  }
}

std::vector<VerifyProblem> JournalVerifier::Finish() {
  for (const auto& [key, sum] : sums_) {
    const auto& [account, instrument, bucket] = key;
    if (sum != 0 && !holding_seen_.count({account, instrument})) {
      Report("balance_missing", std::nullopt, account, instrument,
             "account " + std::to_string(account) + " " + instrument + " has postings but no stored balance");
      holding_seen_[{account, instrument}] = true;
    }
  }
  std::map<std::string, quantity_t> per_instrument;
  for (const auto& [key, sum] : sums_) per_instrument[std::get<1>(key)] += sum;
  for (const auto& [instrument, sum] : per_instrument) {
    if (sum != 0) {
      Report("supply_unbalanced", std::nullopt, std::nullopt, instrument,
             "all balances of " + instrument + " sum to " + std::to_string(sum) + ", not zero");
    }
  }
  return problems_;
}

}  // namespace greenloop
