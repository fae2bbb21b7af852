// src/registry/ledger.h
//
// The ledger engine: an in-memory state machine over instruments, accounts and holdings that
// turns requested movements into journal entries of balanced postings. It performs no I/O and
// reads no clock; the caller passes "now" and persists what it produces.
//
// Invariants (asserted after every entry):
//   - for every instrument, the postings of an entry sum to zero;
//   - no bucket of a non-issuance account is negative;
//   - entry ids are consecutive and each entry's prev_hash is the hash of the entry before.
//
// Every change is recorded in an undo log, so a caller can mark a point, try several movements
// (a linked chain, a whole request, a commit group) and roll all of them back when one fails or
// when storage refuses the commit. Thread safety: none; the service serializes access.
#ifndef GREENLOOP_REGISTRY_LEDGER_H_
#define GREENLOOP_REGISTRY_LEDGER_H_

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include "registry/model.h"

namespace greenloop {

// Outcomes of a ledger operation, checked cheapest first.
enum class LedgerCode : std::uint8_t {
  kOk,
  kInvalidQuantity,
  kUnknownInstrument,
  kUnknownAccount,
  kSameAccount,
  kAccountKindNotAllowed,
  kAccountClosed,
  kAccountFrozen,
  kInstrumentExpired,
  kInstrumentNotYetValid,
  kInstrumentNotExpiredYet,
  kInsufficientAvailable,
  kInsufficientFrozen,
  kQuantityOverflow,
  kCannotReverseReversal,
  kCannotReverseExpiry,
  kAlreadyReversed,
  kLinkedEventFailed,
  kLinkedEventChainOpen,
};

std::string_view LedgerCodeName(LedgerCode code);

struct Movement {
  EntryKind kind = EntryKind::kTransfer;  // issue, transfer, freeze, unfreeze, retire, cancel
  AccountId from_account = 0;             // the debited account; for freeze and unfreeze the account
  AccountId to_account = 0;               // the credited account of issue and transfer
  std::string instrument;
  quantity_t quantity = 0;
  std::string memo;
};

// What went wrong, for people: the code plus a sentence and the request field at fault.
struct LedgerRefusal {
  LedgerCode code = LedgerCode::kOk;
  std::string message;
  std::string field;
};

// The accounts every registry has, owned by the registry operator.
struct SystemAccounts {
  AccountId issuance = 0;
  AccountId retirement = 0;
  AccountId cancellation = 0;
};

class Ledger {
 public:
  // A position in the undo log, counted from the ledger's creation, so that it stays valid when
  // older records are discarded.
  struct Checkpoint {
    std::uint64_t position = 0;
  };

  Ledger() = default;
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // Loading state (at start, from storage). Not undoable.
  void LoadFamily(const InstrumentFamily& family);
  void LoadInstrument(const Instrument& instrument);
  void LoadAccount(const Account& account);
  void LoadHolding(const Holding& holding);
  void LoadReversed(EntryId original);
  void LoadChainHead(EntryId last_id, const std::string& last_hash);
  void SetSystemAccounts(const SystemAccounts& accounts);

  // Undoable changes to reference data.
  void AddInstrument(const Instrument& instrument);
  void AddAccount(const Account& account);
  LedgerCode SetAccountStatus(AccountId id, AccountStatus status, time_us now_us, LedgerRefusal* refusal);

  // Validates the movement and, when it is allowed, appends its entry (returned in *entry).
  LedgerCode Move(const Movement& movement, time_us now_us, UserId actor, Entry* entry, LedgerRefusal* refusal);
  // Posts a delivery-versus-payment entry (kind transfer) that moves several instruments at once,
  // as the exchange settles a trade: the instrument from the seller's frozen part to the buyer,
  // the price from the buyer's frozen cash to the seller, fees to the clearing account. Each
  // instrument's postings must sum to zero; every account must be open and none a system sink.
  LedgerCode Settle(std::vector<Posting> postings, const std::string& memo, time_us now_us, UserId actor,
                    Entry* entry, LedgerRefusal* refusal);
  // Posts the negation of `original`, which the caller read from the journal.
  LedgerCode Reverse(const Entry& original, const std::string& memo, time_us now_us, UserId actor, Entry* entry,
                     LedgerRefusal* refusal);
  // Sweeps every holding of an instrument whose validity has ended to the cancellation account.
  LedgerCode Expire(const std::string& instrument, const std::string& memo, time_us now_us, UserId actor,
                    Entry* entry, LedgerRefusal* refusal);

  Checkpoint Mark() const { return Checkpoint{undo_base_ + undo_.size()}; }
  // Undoes every change after the checkpoint, which must not have been discarded.
  void RollbackTo(const Checkpoint& checkpoint);
  // Forgets the undo records before the checkpoint: those changes are durable and will never be
  // rolled back. Later records (a commit group still in flight) stay.
  void DiscardUndoBefore(const Checkpoint& checkpoint);
  // The holdings changed since the last call, in their current state, for persisting.
  std::vector<Holding> TakeChangedHoldings();

  const InstrumentFamily* FindFamily(std::string_view code) const;
  const Instrument* FindInstrument(std::string_view code) const;
  const Account* FindAccount(AccountId id) const;
  const Holding* FindHolding(AccountId account, std::string_view instrument) const;
  bool IsReversed(EntryId id) const { return reversed_.count(id) > 0; }
  EntryId last_entry_id() const { return last_entry_id_; }
  const std::string& last_hash() const { return last_hash_; }
  const SystemAccounts& system_accounts() const { return system_; }
  size_t account_count() const { return accounts_.size(); }

 private:
  struct HoldingKey {
    AccountId account;
    std::string instrument;
    bool operator==(const HoldingKey& other) const = default;
  };
  struct HoldingKeyHash {
    size_t operator()(const HoldingKey& key) const {
      return std::hash<std::string>()(key.instrument) ^ (static_cast<size_t>(key.account) * 0x9E3779B97F4A7C15ULL);
    }
  };
  // The state before each change, newest last; RollbackTo replays it backwards.
  struct UndoHolding {
    HoldingKey key;
    bool existed;
    quantity_t available;
    quantity_t frozen;
  };
  struct UndoChainHead {
    EntryId last_id;
    std::string last_hash;
  };
  struct UndoInstrument {
    std::string code;
    bool existed;
    Instrument before;
  };
  struct UndoAccount {
    AccountId id;
    bool existed;
    Account before;
  };
  struct UndoReversed {
    EntryId original;
  };
  using UndoRecord = std::variant<UndoHolding, UndoChainHead, UndoInstrument, UndoAccount, UndoReversed>;

  // Issuance may precede the validity period (allowances are pre-allocated before their
  // vintage becomes usable); every other movement must fall inside it.
  LedgerCode CheckInstrument(const std::string& code, time_us now_us, bool allow_before_validity,
                             LedgerRefusal* refusal) const;
  LedgerCode CheckAccountMayMove(AccountId id, const char* field, bool allow_frozen_status,
                                 LedgerRefusal* refusal) const;
  LedgerCode CheckPostings(const std::vector<Posting>& postings, LedgerRefusal* refusal) const;
  void Append(Entry* entry, time_us now_us, UserId actor);
  void ApplyPosting(const Posting& posting);
  Holding& MutableHolding(AccountId account, const std::string& instrument);
  bool IsSystemSink(AccountId id) const;

  std::map<std::string, InstrumentFamily, std::less<>> families_;
  std::map<std::string, Instrument, std::less<>> instruments_;
  std::unordered_map<AccountId, Account> accounts_;
  std::unordered_map<HoldingKey, Holding, HoldingKeyHash> holdings_;
  std::unordered_map<std::string, std::unordered_set<AccountId>> holders_;
  std::unordered_set<HoldingKey, HoldingKeyHash> changed_;
  std::unordered_set<EntryId> reversed_;
  std::deque<UndoRecord> undo_;
  std::uint64_t undo_base_ = 0;  // records discarded so far
  SystemAccounts system_;
  EntryId last_entry_id_ = 0;
  std::string last_hash_ = std::string(kGenesisHash);
};

}  // namespace greenloop

#endif  // GREENLOOP_REGISTRY_LEDGER_H_
