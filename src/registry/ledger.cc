#include "registry/ledger.h"

#include <algorithm>
#include <array>
#include <limits>
#include <tuple>

#include "core/assert.h"
#include "core/time.h"

namespace greenloop {
namespace {

constexpr std::array<std::string_view, 19> kLedgerCodeNames = {
    "ok",
    "invalid_quantity",
    "unknown_instrument",
    "unknown_account",
    "same_account",
    "account_kind_not_allowed",
    "account_closed",
    "account_frozen",
    "instrument_expired",
    "instrument_not_yet_valid",
    "instrument_not_expired_yet",
    "insufficient_available",
    "insufficient_frozen",
    "quantity_overflow",
    "cannot_reverse_reversal",
    "cannot_reverse_expiry",
    "already_reversed",
    "linked_event_failed",
    "linked_event_chain_open",
};
static_assert(kLedgerCodeNames.size() == static_cast<size_t>(LedgerCode::kLinkedEventChainOpen) + 1);

LedgerCode Refuse(LedgerRefusal* refusal, LedgerCode code, std::string message, std::string field) {
  GL_ASSERT(code != LedgerCode::kOk);
  refusal->code = code;
  refusal->message = std::move(message);
  refusal->field = std::move(field);
  return code;
}

bool IsSinkKind(AccountKind kind) {
  return kind == AccountKind::kIssuance || kind == AccountKind::kRetirement || kind == AccountKind::kCancellation;
}

std::string AccountLabel(AccountId id) { return "account " + std::to_string(id); }

}  // namespace

std::string_view LedgerCodeName(LedgerCode code) {
  auto index = static_cast<size_t>(code);
  GL_ASSERT(index < kLedgerCodeNames.size());
  return kLedgerCodeNames[index];
}

void Ledger::LoadFamily(const InstrumentFamily& family) {
  GL_ASSERT(!family.code.empty());
  GL_ASSERT(family.scale > 0);
  families_[family.code] = family;
}

void Ledger::LoadInstrument(const Instrument& instrument) {
  GL_ASSERT(IsValidInstrumentCode(instrument.code));
  GL_ASSERT(families_.count(instrument.family) == 1);
  instruments_[instrument.code] = instrument;
}

void Ledger::LoadAccount(const Account& account) {
  GL_ASSERT(account.id > 0);
  accounts_[account.id] = account;
}

void Ledger::LoadHolding(const Holding& holding) {
  GL_ASSERT(accounts_.count(holding.account_id) == 1);
  GL_ASSERT(instruments_.count(holding.instrument) == 1);
  HoldingKey key{holding.account_id, holding.instrument};
  holdings_[key] = holding;
  holders_[holding.instrument].insert(holding.account_id);
}

void Ledger::LoadReversed(EntryId original) {
  GL_ASSERT(original > 0);
  reversed_.insert(original);
}

void Ledger::LoadChainHead(EntryId last_id, const std::string& last_hash) {
  GL_ASSERT(last_id >= 0);
  GL_ASSERT(last_hash.size() == 64);
  last_entry_id_ = last_id;
  last_hash_ = last_hash;
}

void Ledger::SetSystemAccounts(const SystemAccounts& accounts) {
  GL_ASSERT(FindAccount(accounts.issuance) && FindAccount(accounts.issuance)->kind == AccountKind::kIssuance);
  GL_ASSERT(FindAccount(accounts.retirement) && FindAccount(accounts.retirement)->kind == AccountKind::kRetirement);
  GL_ASSERT(FindAccount(accounts.cancellation) &&
            FindAccount(accounts.cancellation)->kind == AccountKind::kCancellation);
  system_ = accounts;
}

void Ledger::AddInstrument(const Instrument& instrument) {
  GL_ASSERT(IsValidInstrumentCode(instrument.code));
  GL_ASSERT(families_.count(instrument.family) == 1);
  auto it = instruments_.find(instrument.code);
  bool existed = it != instruments_.end();
  undo_.push_back(UndoInstrument{instrument.code, existed, existed ? it->second : Instrument()});
  instruments_[instrument.code] = instrument;
}

void Ledger::AddAccount(const Account& account) {
  GL_ASSERT(account.id > 0);
  auto it = accounts_.find(account.id);
  bool existed = it != accounts_.end();
  undo_.push_back(UndoAccount{account.id, existed, existed ? it->second : Account()});
  accounts_[account.id] = account;
}

LedgerCode Ledger::SetAccountStatus(AccountId id, AccountStatus status, time_us now_us, LedgerRefusal* refusal) {
  const Account* account = FindAccount(id);
  if (account == nullptr) return Refuse(refusal, LedgerCode::kUnknownAccount, AccountLabel(id) + " does not exist", "id");
  if (IsSinkKind(account->kind)) {
    return Refuse(refusal, LedgerCode::kAccountKindNotAllowed,
                  "the status of the registry's " + std::string(ToString(account->kind)) + " account cannot change",
                  "status");
  }
  if (account->status == AccountStatus::kClosed && status != AccountStatus::kClosed) {
    return Refuse(refusal, LedgerCode::kAccountClosed, AccountLabel(id) + " is closed; a closed account stays closed",
                  "status");
  }
  Account changed = *account;
  changed.status = status;
  changed.status_changed_at_us = now_us;
  AddAccount(changed);
  return LedgerCode::kOk;
}

const InstrumentFamily* Ledger::FindFamily(std::string_view code) const {
  auto it = families_.find(code);
  return it == families_.end() ? nullptr : &it->second;
}

const Instrument* Ledger::FindInstrument(std::string_view code) const {
  auto it = instruments_.find(code);
  return it == instruments_.end() ? nullptr : &it->second;
}

const Account* Ledger::FindAccount(AccountId id) const {
  auto it = accounts_.find(id);
  return it == accounts_.end() ? nullptr : &it->second;
}

const Holding* Ledger::FindHolding(AccountId account, std::string_view instrument) const {
  auto it = holdings_.find(HoldingKey{account, std::string(instrument)});
  return it == holdings_.end() ? nullptr : &it->second;
}

bool Ledger::IsSystemSink(AccountId id) const {
  const Account* account = FindAccount(id);
  return account != nullptr && IsSinkKind(account->kind);
}

LedgerCode Ledger::CheckInstrument(const std::string& code, time_us now_us, bool allow_before_validity,
                                   LedgerRefusal* refusal) const {
  const Instrument* instrument = FindInstrument(code);
  if (instrument == nullptr) {
    return Refuse(refusal, LedgerCode::kUnknownInstrument, "instrument '" + code + "' does not exist", "instrument");
  }
  if (instrument->status == InstrumentStatus::kExpired) {
    return Refuse(refusal, LedgerCode::kInstrumentExpired, "instrument " + code + " has expired; it can no longer move",
                  "instrument");
  }
  std::int64_t today = now_us / kMicrosPerDay;
  if (instrument->valid_to_days && today > *instrument->valid_to_days) {
    return Refuse(refusal, LedgerCode::kInstrumentExpired,
                  "instrument " + code + " was valid until " + FormatDateDays(*instrument->valid_to_days) +
                      "; it can no longer move",
                  "instrument");
  }
  if (!allow_before_validity && instrument->valid_from_days && today < *instrument->valid_from_days) {
    return Refuse(refusal, LedgerCode::kInstrumentNotYetValid,
                  "instrument " + code + " becomes valid on " + FormatDateDays(*instrument->valid_from_days) +
                      "; until then it can be issued but not moved",
                  "instrument");
  }
  return LedgerCode::kOk;
}

LedgerCode Ledger::CheckAccountMayMove(AccountId id, const char* field, bool allow_frozen_status,
                                       LedgerRefusal* refusal) const {
  const Account* account = FindAccount(id);
  if (account == nullptr) {
    return Refuse(refusal, LedgerCode::kUnknownAccount, AccountLabel(id) + " does not exist", field);
  }
  if (account->status == AccountStatus::kClosed) {
    return Refuse(refusal, LedgerCode::kAccountClosed, AccountLabel(id) + " is closed; nothing moves in or out", field);
  }
  if (account->status == AccountStatus::kFrozen && !allow_frozen_status) {
    return Refuse(refusal, LedgerCode::kAccountFrozen,
                  AccountLabel(id) + " is frozen by the regulator; nothing moves in or out until it is reopened", field);
  }
  return LedgerCode::kOk;
}

LedgerCode Ledger::CheckPostings(const std::vector<Posting>& postings, LedgerRefusal* refusal) const {
  // Net change per holding bucket first: an entry may touch the same bucket twice. Entries have
  // a handful of postings (an expiry may have many), so a flat list beats a map here.
  struct Delta {
    AccountId account;
    const std::string* instrument;
    Bucket bucket;
    quantity_t amount;
  };
  std::vector<Delta> deltas;
  deltas.reserve(postings.size());
  for (const Posting& p : postings) {
    auto same = [&](const Delta& d) {
      return d.account == p.account_id && d.bucket == p.bucket && *d.instrument == p.instrument;
    };
    auto it = postings.size() <= 16 ? std::find_if(deltas.begin(), deltas.end(), same) : deltas.end();
    if (it == deltas.end()) {
      deltas.push_back(Delta{p.account_id, &p.instrument, p.bucket, 0});
      it = deltas.end() - 1;
    }
    if (!CheckedAdd(it->amount, p.amount, &it->amount)) {
      return Refuse(refusal, LedgerCode::kQuantityOverflow, "the quantity is too large", "quantity");
    }
  }
  for (const Delta& d : deltas) {
    const std::string& instrument = *d.instrument;
    const Holding* holding = FindHolding(d.account, instrument);
    quantity_t current = holding == nullptr ? 0 : (d.bucket == Bucket::kAvailable ? holding->available : holding->frozen);
    quantity_t after = 0;
    if (!CheckedAdd(current, d.amount, &after)) {
      return Refuse(refusal, LedgerCode::kQuantityOverflow,
                    AccountLabel(d.account) + " would hold more " + instrument + " than the ledger can count",
                    "quantity");
    }
    if (d.amount < 0 && after < 0 && FindAccount(d.account)->kind != AccountKind::kIssuance) {
      if (d.bucket == Bucket::kAvailable) {
        return Refuse(refusal, LedgerCode::kInsufficientAvailable,
                      AccountLabel(d.account) + " has " + std::to_string(current) + " available of " + instrument +
                          ", the movement needs " + std::to_string(-d.amount),
                      "quantity");
      }
      return Refuse(refusal, LedgerCode::kInsufficientFrozen,
                    AccountLabel(d.account) + " has " + std::to_string(current) + " frozen of " + instrument +
                        ", the movement needs " + std::to_string(-d.amount),
                    "quantity");
    }
  }
  return LedgerCode::kOk;
}

LedgerCode Ledger::Move(const Movement& m, time_us now_us, UserId actor, Entry* entry, LedgerRefusal* refusal) {
  GL_ASSERT(entry != nullptr && refusal != nullptr);
  GL_ASSERT(m.kind != EntryKind::kExpire && m.kind != EntryKind::kReverse);
  if (m.quantity <= 0) {
    return Refuse(refusal, LedgerCode::kInvalidQuantity,
                  "quantity must be a positive integer in the instrument's smallest unit", "quantity");
  }
  LedgerCode code = CheckInstrument(m.instrument, now_us, m.kind == EntryKind::kIssue, refusal);
  if (code != LedgerCode::kOk) return code;

  const bool account_only = m.kind == EntryKind::kFreeze || m.kind == EntryKind::kUnfreeze ||
                            m.kind == EntryKind::kRetire || m.kind == EntryKind::kCancel;
  AccountId source = 0;
  AccountId target = 0;
  const char* source_field = "from_account";
  const char* target_field = "to_account";
  switch (m.kind) {
    case EntryKind::kIssue: source = system_.issuance; target = m.to_account; break;
    case EntryKind::kTransfer: source = m.from_account; target = m.to_account; break;
    case EntryKind::kFreeze:
    case EntryKind::kUnfreeze: source = m.from_account; target = m.from_account; source_field = target_field = "account"; break;
    case EntryKind::kRetire: source = m.from_account; target = system_.retirement; source_field = "account"; break;
    case EntryKind::kCancel: source = m.from_account; target = system_.cancellation; source_field = "account"; break;
    default: GL_ASSERT(false);
  }
  const bool status_exempt = m.kind == EntryKind::kFreeze || m.kind == EntryKind::kUnfreeze;
  code = CheckAccountMayMove(source, source_field, status_exempt, refusal);
  if (code != LedgerCode::kOk) return code;
  code = CheckAccountMayMove(target, target_field, status_exempt, refusal);
  if (code != LedgerCode::kOk) return code;
  if (m.kind == EntryKind::kTransfer && source == target) {
    return Refuse(refusal, LedgerCode::kSameAccount, "from_account and to_account are the same account", "to_account");
  }
  if (IsSystemSink(m.kind == EntryKind::kIssue ? target : source) ||
      (m.kind == EntryKind::kTransfer && IsSystemSink(target)) || (account_only && IsSystemSink(source))) {
    return Refuse(refusal, LedgerCode::kAccountKindNotAllowed,
                  "the registry's issuance, retirement and cancellation accounts move only through issue, retire, "
                  "cancel and expire entries",
                  m.kind == EntryKind::kIssue || m.kind == EntryKind::kTransfer ? target_field : source_field);
  }

  Entry out;
  out.kind = m.kind;
  out.memo = m.memo;
  Bucket source_bucket = m.kind == EntryKind::kUnfreeze ? Bucket::kFrozen : Bucket::kAvailable;
  Bucket target_bucket = m.kind == EntryKind::kFreeze ? Bucket::kFrozen : Bucket::kAvailable;
  out.postings.push_back(Posting{source, m.instrument, source_bucket, -m.quantity});
  out.postings.push_back(Posting{target, m.instrument, target_bucket, m.quantity});
  code = CheckPostings(out.postings, refusal);
  if (code != LedgerCode::kOk) return code;
  Append(&out, now_us, actor);
  *entry = std::move(out);
  return LedgerCode::kOk;
}

LedgerCode Ledger::Settle(std::vector<Posting> postings, const std::string& memo, time_us now_us, UserId actor,
                          Entry* entry, LedgerRefusal* refusal) {
  GL_ASSERT(entry != nullptr && refusal != nullptr);
  if (postings.size() < 2) {
    return Refuse(refusal, LedgerCode::kInvalidQuantity, "a settlement needs at least two postings", "postings");
  }
  std::map<std::string, quantity_t, std::less<>> sums;
  for (const Posting& p : postings) {
    if (p.amount == 0) {
      return Refuse(refusal, LedgerCode::kInvalidQuantity, "a settlement posting moves a non-zero amount", "postings");
    }
    LedgerCode code = CheckInstrument(p.instrument, now_us, false, refusal);
    if (code != LedgerCode::kOk) return code;
    code = CheckAccountMayMove(p.account_id, "postings", false, refusal);
    if (code != LedgerCode::kOk) return code;
    if (IsSystemSink(p.account_id)) {
      return Refuse(refusal, LedgerCode::kAccountKindNotAllowed,
                    "the registry's issuance, retirement and cancellation accounts take no part in settlement",
                    "postings");
    }
    if (!CheckedAdd(sums[p.instrument], p.amount, &sums[p.instrument])) {
      return Refuse(refusal, LedgerCode::kQuantityOverflow, "the quantity is too large", "postings");
    }
  }
  for (const auto& [instrument, sum] : sums) {
    if (sum != 0) {
      return Refuse(refusal, LedgerCode::kInvalidQuantity,
                    "the postings of " + instrument + " sum to " + std::to_string(sum) + ", not zero", "postings");
    }
  }
  LedgerCode code = CheckPostings(postings, refusal);
  if (code != LedgerCode::kOk) return code;
  Entry out;
  out.kind = EntryKind::kTransfer;
  out.memo = memo;
  out.postings = std::move(postings);
  Append(&out, now_us, actor);
  *entry = std::move(out);
  return LedgerCode::kOk;
}

LedgerCode Ledger::Reverse(const Entry& original, const std::string& memo, time_us now_us, UserId actor, Entry* entry,
                           LedgerRefusal* refusal) {
  GL_ASSERT(original.id > 0 && original.id <= last_entry_id_);
  if (original.kind == EntryKind::kReverse) {
    return Refuse(refusal, LedgerCode::kCannotReverseReversal,
                  "entry " + std::to_string(original.id) + " is itself a reversal; post a new movement instead",
                  "entry_id");
  }
  if (original.kind == EntryKind::kExpire) {
    return Refuse(refusal, LedgerCode::kCannotReverseExpiry,
                  "entry " + std::to_string(original.id) + " expired an instrument; expiry is final", "entry_id");
  }
  if (IsReversed(original.id)) {
    return Refuse(refusal, LedgerCode::kAlreadyReversed,
                  "entry " + std::to_string(original.id) + " has already been reversed", "entry_id");
  }
  Entry out;
  out.kind = EntryKind::kReverse;
  out.reverses = original.id;
  out.memo = memo;
  for (const Posting& p : original.postings) {
    LedgerCode code = CheckInstrument(p.instrument, now_us, original.kind == EntryKind::kIssue, refusal);
    if (code != LedgerCode::kOk) return code;
    code = CheckAccountMayMove(p.account_id, "entry_id", original.kind == EntryKind::kFreeze ||
                                                             original.kind == EntryKind::kUnfreeze, refusal);
    if (code != LedgerCode::kOk) return code;
    GL_ASSERT(p.amount != std::numeric_limits<quantity_t>::min());
    out.postings.push_back(Posting{p.account_id, p.instrument, p.bucket, -p.amount});
  }
  LedgerCode code = CheckPostings(out.postings, refusal);
  if (code != LedgerCode::kOk) return code;
  undo_.push_back(UndoReversed{original.id});
  reversed_.insert(original.id);
  Append(&out, now_us, actor);
  *entry = std::move(out);
  return LedgerCode::kOk;
}

LedgerCode Ledger::Expire(const std::string& code_text, const std::string& memo, time_us now_us, UserId actor,
                          Entry* entry, LedgerRefusal* refusal) {
  const Instrument* instrument = FindInstrument(code_text);
  if (instrument == nullptr) {
    return Refuse(refusal, LedgerCode::kUnknownInstrument, "instrument '" + code_text + "' does not exist",
                  "instrument");
  }
  if (instrument->status == InstrumentStatus::kExpired) {
    return Refuse(refusal, LedgerCode::kInstrumentExpired, "instrument " + code_text + " has already expired",
                  "instrument");
  }
  std::int64_t today = now_us / kMicrosPerDay;
  if (!instrument->valid_to_days || today <= *instrument->valid_to_days) {
    return Refuse(refusal, LedgerCode::kInstrumentNotExpiredYet,
                  instrument->valid_to_days
                      ? "instrument " + code_text + " is valid until " + FormatDateDays(*instrument->valid_to_days)
                      : "instrument " + code_text + " has no end of validity",
                  "instrument");
  }
  Entry out;
  out.kind = EntryKind::kExpire;
  out.memo = memo;
  quantity_t swept = 0;
  auto holders = holders_.find(code_text);
  if (holders != holders_.end()) {
    std::vector<AccountId> ids(holders->second.begin(), holders->second.end());
    std::sort(ids.begin(), ids.end());  // deterministic posting order
    for (AccountId id : ids) {
      const Holding* holding = FindHolding(id, code_text);
      if (holding == nullptr || IsSystemSink(id)) continue;
      for (Bucket bucket : {Bucket::kAvailable, Bucket::kFrozen}) {
        quantity_t amount = bucket == Bucket::kAvailable ? holding->available : holding->frozen;
        if (amount == 0) continue;
        GL_ASSERT(amount > 0);
        GL_ASSERT(CheckedAdd(swept, amount, &swept));
        out.postings.push_back(Posting{id, code_text, bucket, -amount});
      }
    }
  }
  if (swept > 0) out.postings.push_back(Posting{system_.cancellation, code_text, Bucket::kAvailable, swept});
  LedgerCode code = CheckPostings(out.postings, refusal);
  if (code != LedgerCode::kOk) return code;
  Instrument expired = *instrument;
  expired.status = InstrumentStatus::kExpired;
  AddInstrument(expired);
  Append(&out, now_us, actor);
  *entry = std::move(out);
  return LedgerCode::kOk;
}

Holding& Ledger::MutableHolding(AccountId account, const std::string& instrument) {
  HoldingKey key{account, instrument};
  auto it = holdings_.find(key);
  bool existed = it != holdings_.end();
  undo_.push_back(UndoHolding{key, existed, existed ? it->second.available : 0, existed ? it->second.frozen : 0});
  changed_.insert(key);
  if (it == holdings_.end()) {
    holders_[instrument].insert(account);
    it = holdings_.emplace(key, Holding{account, instrument, 0, 0}).first;
  }
  return it->second;
}

void Ledger::ApplyPosting(const Posting& posting) {
  Holding& holding = MutableHolding(posting.account_id, posting.instrument);
  quantity_t& bucket = posting.bucket == Bucket::kAvailable ? holding.available : holding.frozen;
  GL_ASSERT(CheckedAdd(bucket, posting.amount, &bucket));
  if (FindAccount(posting.account_id)->kind != AccountKind::kIssuance) {
    GL_ASSERT(holding.available >= 0);
    GL_ASSERT(holding.frozen >= 0);
  }
}

void Ledger::Append(Entry* entry, time_us now_us, UserId actor) {
  // Double entry: per instrument, what leaves equals what arrives.
  std::vector<std::pair<const std::string*, quantity_t>> sums;
  for (const Posting& p : entry->postings) {
    GL_ASSERT(p.amount != 0);
    auto it = std::find_if(sums.begin(), sums.end(), [&](const auto& s) { return *s.first == p.instrument; });
    if (it == sums.end()) {
      sums.emplace_back(&p.instrument, 0);
      it = sums.end() - 1;
    }
    GL_ASSERT(CheckedAdd(it->second, p.amount, &it->second));
  }
  for (const auto& [instrument, sum] : sums) GL_ASSERT(sum == 0);

  undo_.push_back(UndoChainHead{last_entry_id_, last_hash_});
  entry->id = last_entry_id_ + 1;
  entry->created_at_us = now_us;
  entry->actor_user_id = actor;
  entry->prev_hash = last_hash_;
  entry->hash = ComputeEntryHash(*entry);
  for (const Posting& p : entry->postings) ApplyPosting(p);
  last_entry_id_ = entry->id;
  last_hash_ = entry->hash;
  GL_ASSERT(last_hash_.size() == 64);
}

void Ledger::DiscardUndoBefore(const Checkpoint& checkpoint) {
  GL_ASSERT(checkpoint.position >= undo_base_);
  GL_ASSERT(checkpoint.position <= undo_base_ + undo_.size());
  undo_.erase(undo_.begin(), undo_.begin() + static_cast<std::ptrdiff_t>(checkpoint.position - undo_base_));
  undo_base_ = checkpoint.position;
}

void Ledger::RollbackTo(const Checkpoint& checkpoint) {
  GL_ASSERT(checkpoint.position >= undo_base_);
  GL_ASSERT(checkpoint.position <= undo_base_ + undo_.size());
  while (undo_base_ + undo_.size() > checkpoint.position) {
    UndoRecord& record = undo_.back();
    if (auto* h = std::get_if<UndoHolding>(&record)) {
      if (h->existed) {
        Holding& holding = holdings_[h->key];
        holding.available = h->available;
        holding.frozen = h->frozen;
      } else {
        holdings_.erase(h->key);
      }
    } else if (auto* c = std::get_if<UndoChainHead>(&record)) {
      last_entry_id_ = c->last_id;
      last_hash_ = c->last_hash;
    } else if (auto* i = std::get_if<UndoInstrument>(&record)) {
      if (i->existed) {
        instruments_[i->code] = i->before;
      } else {
        instruments_.erase(i->code);
      }
    } else if (auto* a = std::get_if<UndoAccount>(&record)) {
      if (a->existed) {
        accounts_[a->id] = a->before;
      } else {
        accounts_.erase(a->id);
      }
    } else {
      reversed_.erase(std::get<UndoReversed>(record).original);
    }
    undo_.pop_back();
  }
}

std::vector<Holding> Ledger::TakeChangedHoldings() {
  std::vector<Holding> out;
  out.reserve(changed_.size());
  for (const HoldingKey& key : changed_) {
    auto it = holdings_.find(key);
    // A holding created and then rolled back no longer exists and has nothing to persist.
    if (it != holdings_.end()) out.push_back(it->second);
  }
  changed_.clear();
  return out;
}

}  // namespace greenloop
