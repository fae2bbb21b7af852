// Goal: the ledger engine applies movements by the registry's rules and refuses everything
// else with a precise code, leaving state untouched. Method: a small in-memory ledger with the
// system accounts and two holders; expected balances are worked out by hand in each test.
#include "registry/ledger.h"

#include <gtest/gtest.h>

#include <limits>

#include "core/time.h"
#include "registry/verify.h"

namespace greenloop {
namespace {

constexpr time_us kNow = 20'000 * kMicrosPerDay;  // 2024-10-04

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ledger_.LoadFamily(InstrumentFamily{"CEA", "碳排放配额", "CEA", "tCO2e", 1, {}, "test"});
    ledger_.LoadFamily(InstrumentFamily{"PDR", "排污权", "PDR", "t", 1000, {"pollutant"}, "test"});
    Instrument cea;
    cea.code = "CEA-2024";
    cea.family = "CEA";
    ledger_.LoadInstrument(cea);
    Instrument pdr;
    pdr.code = "PDR-COD-OLD";
    pdr.family = "PDR";
    pdr.valid_to_days = 20'000 - 10;  // ended ten days before kNow
    ledger_.LoadInstrument(pdr);
    for (AccountId id = 1; id <= 6; ++id) {
      Account a;
      a.id = id;
      a.org_id = 1;
      a.kind = id == 1 ? AccountKind::kIssuance
                       : id == 2 ? AccountKind::kRetirement : id == 3 ? AccountKind::kCancellation : AccountKind::kHolding;
      ledger_.LoadAccount(a);
    }
    ledger_.SetSystemAccounts(SystemAccounts{1, 2, 3});
  }

  LedgerCode Do(EntryKind kind, AccountId from, AccountId to, quantity_t q, const std::string& instrument = "CEA-2024",
                time_us now = kNow) {
    Movement m{kind, from, to, instrument, q, ""};
    Entry entry;
    refusal_ = LedgerRefusal();
    LedgerCode code = ledger_.Move(m, now, 7, &entry, &refusal_);
    if (code == LedgerCode::kOk) entries_.push_back(entry);
    return code;
  }

  quantity_t Available(AccountId id, const std::string& instrument = "CEA-2024") {
    const Holding* h = ledger_.FindHolding(id, instrument);
    return h ? h->available : 0;
  }
  quantity_t Frozen(AccountId id, const std::string& instrument = "CEA-2024") {
    const Holding* h = ledger_.FindHolding(id, instrument);
    return h ? h->frozen : 0;
  }

  Ledger ledger_;
  LedgerRefusal refusal_;
  std::vector<Entry> entries_;
};

TEST_F(LedgerTest, IssueDebitsTheIssuanceAccountSoSupplySumsToZero) {
  ASSERT_EQ(Do(EntryKind::kIssue, 0, 4, 1000), LedgerCode::kOk);
  EXPECT_EQ(Available(4), 1000);
  EXPECT_EQ(Available(1), -1000);  // the issuance account shows total supply, negated
  ASSERT_EQ(entries_.size(), 1u);
  EXPECT_EQ(entries_[0].id, 1);
  EXPECT_EQ(entries_[0].prev_hash, std::string(kGenesisHash));
  EXPECT_EQ(entries_[0].hash, ComputeEntryHash(entries_[0]));
}

TEST_F(LedgerTest, TransferFreezeUnfreezeRetireCancelMoveExactly) {
  ASSERT_EQ(Do(EntryKind::kIssue, 0, 4, 1000), LedgerCode::kOk);
  ASSERT_EQ(Do(EntryKind::kTransfer, 4, 5, 300), LedgerCode::kOk);  // 4: 700, 5: 300
  ASSERT_EQ(Do(EntryKind::kFreeze, 4, 0, 200), LedgerCode::kOk);    // 4: 500 available + 200 frozen
  EXPECT_EQ(Available(4), 500);
  EXPECT_EQ(Frozen(4), 200);
  EXPECT_EQ(Do(EntryKind::kTransfer, 4, 5, 501), LedgerCode::kInsufficientAvailable);
  EXPECT_EQ(refusal_.field, "quantity");
  ASSERT_EQ(Do(EntryKind::kUnfreeze, 4, 0, 50), LedgerCode::kOk);  // 550 + 150
  EXPECT_EQ(Do(EntryKind::kUnfreeze, 4, 0, 151), LedgerCode::kInsufficientFrozen);
  ASSERT_EQ(Do(EntryKind::kRetire, 4, 0, 100), LedgerCode::kOk);  // 450 + 150, retirement 100
  ASSERT_EQ(Do(EntryKind::kCancel, 5, 0, 30), LedgerCode::kOk);   // 5: 270, cancellation 30
  EXPECT_EQ(Available(4), 450);
  EXPECT_EQ(Frozen(4), 150);
  EXPECT_EQ(Available(5), 270);
  EXPECT_EQ(Available(2), 100);
  EXPECT_EQ(Available(3), 30);
  EXPECT_EQ(Available(1), -1000);
  EXPECT_EQ(ledger_.last_entry_id(), 6);
}

TEST_F(LedgerTest, RefusalsAreCheckedCheapestFirstAndChangeNothing) {
  ASSERT_EQ(Do(EntryKind::kIssue, 0, 4, 100), LedgerCode::kOk);
  const std::string head = ledger_.last_hash();
  EXPECT_EQ(Do(EntryKind::kTransfer, 4, 5, 0), LedgerCode::kInvalidQuantity);
  EXPECT_EQ(Do(EntryKind::kTransfer, 4, 5, -5), LedgerCode::kInvalidQuantity);
  EXPECT_EQ(Do(EntryKind::kTransfer, 4, 5, 1, "NOPE"), LedgerCode::kUnknownInstrument);
  EXPECT_EQ(Do(EntryKind::kTransfer, 4, 99, 1), LedgerCode::kUnknownAccount);
  EXPECT_EQ(refusal_.field, "to_account");
  EXPECT_EQ(Do(EntryKind::kTransfer, 4, 4, 1), LedgerCode::kSameAccount);
  EXPECT_EQ(Do(EntryKind::kTransfer, 4, 2, 1), LedgerCode::kAccountKindNotAllowed);
  EXPECT_EQ(Do(EntryKind::kTransfer, 1, 4, 1), LedgerCode::kAccountKindNotAllowed);
  EXPECT_EQ(Do(EntryKind::kIssue, 0, 3, 1), LedgerCode::kAccountKindNotAllowed);
  EXPECT_EQ(Do(EntryKind::kTransfer, 4, 5, 101), LedgerCode::kInsufficientAvailable);
  EXPECT_EQ(Available(4), 100);
  EXPECT_EQ(Available(5), 0);
  EXPECT_EQ(ledger_.last_hash(), head);
  EXPECT_EQ(ledger_.last_entry_id(), 1);
}

TEST_F(LedgerTest, OverflowingCreditIsRefused) {
  ASSERT_EQ(Do(EntryKind::kIssue, 0, 4, kQuantityMax), LedgerCode::kOk);
  // Account 4 would pass INT64_MAX.
  ASSERT_EQ(Do(EntryKind::kIssue, 0, 4, 1), LedgerCode::kQuantityOverflow);
  EXPECT_EQ(Available(4), kQuantityMax);
  // The issuance account may go down to INT64_MIN, and not beyond.
  ASSERT_EQ(Do(EntryKind::kIssue, 0, 5, 1), LedgerCode::kOk);
  EXPECT_EQ(Available(1), std::numeric_limits<quantity_t>::min());
  EXPECT_EQ(Do(EntryKind::kIssue, 0, 6, 1), LedgerCode::kQuantityOverflow);
}

TEST_F(LedgerTest, FrozenAndClosedAccountsDoNotMove) {
  ASSERT_EQ(Do(EntryKind::kIssue, 0, 4, 100), LedgerCode::kOk);
  LedgerRefusal refusal;
  ASSERT_EQ(ledger_.SetAccountStatus(4, AccountStatus::kFrozen, kNow, &refusal), LedgerCode::kOk);
  EXPECT_EQ(Do(EntryKind::kTransfer, 4, 5, 1), LedgerCode::kAccountFrozen);
  EXPECT_EQ(Do(EntryKind::kTransfer, 5, 4, 1), LedgerCode::kAccountFrozen);
  // A judicial freeze of part of the holding still works on a frozen account.
  EXPECT_EQ(Do(EntryKind::kFreeze, 4, 0, 10), LedgerCode::kOk);
  ASSERT_EQ(ledger_.SetAccountStatus(5, AccountStatus::kClosed, kNow, &refusal), LedgerCode::kOk);
  EXPECT_EQ(Do(EntryKind::kIssue, 0, 5, 1), LedgerCode::kAccountClosed);
  EXPECT_EQ(ledger_.SetAccountStatus(5, AccountStatus::kOpen, kNow, &refusal), LedgerCode::kAccountClosed);
  EXPECT_EQ(ledger_.SetAccountStatus(1, AccountStatus::kFrozen, kNow, &refusal), LedgerCode::kAccountKindNotAllowed);
}

TEST_F(LedgerTest, ExpiredInstrumentIsSweptToCancellationAndThenFrozenInTime) {
  // Issued while valid, ten days before the end of validity...
  ASSERT_EQ(Do(EntryKind::kIssue, 0, 4, 5000, "PDR-COD-OLD", kNow - 20 * kMicrosPerDay), LedgerCode::kOk);
  ASSERT_EQ(Do(EntryKind::kFreeze, 4, 0, 1000, "PDR-COD-OLD", kNow - 20 * kMicrosPerDay), LedgerCode::kOk);
  // ...and refused afterwards.
  EXPECT_EQ(Do(EntryKind::kTransfer, 4, 5, 1, "PDR-COD-OLD"), LedgerCode::kInstrumentExpired);
  Entry expiry;
  LedgerRefusal refusal;
  ASSERT_EQ(ledger_.Expire("PDR-COD-OLD", "到期", kNow, 7, &expiry, &refusal), LedgerCode::kOk);
  EXPECT_EQ(Available(4, "PDR-COD-OLD"), 0);
  EXPECT_EQ(Frozen(4, "PDR-COD-OLD"), 0);
  EXPECT_EQ(Available(3, "PDR-COD-OLD"), 5000);
  ASSERT_EQ(expiry.postings.size(), 3u);  // available 4000 and frozen 1000 out, 5000 in
  EXPECT_EQ(ledger_.Expire("PDR-COD-OLD", "", kNow, 7, &expiry, &refusal), LedgerCode::kInstrumentExpired);
  EXPECT_EQ(ledger_.Expire("CEA-2024", "", kNow, 7, &expiry, &refusal), LedgerCode::kInstrumentNotExpiredYet);
}

TEST_F(LedgerTest, FutureVintageCanBePreAllocatedButNotMoved) {
  Instrument next;
  next.code = "CEA-2099";
  next.family = "CEA";
  next.valid_from_days = 20'000 + 1;  // tomorrow
  ledger_.AddInstrument(next);
  ASSERT_EQ(Do(EntryKind::kIssue, 0, 4, 10, "CEA-2099"), LedgerCode::kOk);
  EXPECT_EQ(Do(EntryKind::kTransfer, 4, 5, 1, "CEA-2099"), LedgerCode::kInstrumentNotYetValid);
  EXPECT_EQ(Do(EntryKind::kRetire, 4, 0, 1, "CEA-2099"), LedgerCode::kInstrumentNotYetValid);
  EXPECT_EQ(Do(EntryKind::kTransfer, 4, 5, 1, "CEA-2099", kNow + kMicrosPerDay), LedgerCode::kOk);
  EXPECT_EQ(Available(5, "CEA-2099"), 1);
}

TEST_F(LedgerTest, ReversalNegatesOnceAndNeedsTheFundsBack) {
  ASSERT_EQ(Do(EntryKind::kIssue, 0, 4, 100), LedgerCode::kOk);
  ASSERT_EQ(Do(EntryKind::kTransfer, 4, 5, 60), LedgerCode::kOk);
  Entry reversal;
  LedgerRefusal refusal;
  ASSERT_EQ(ledger_.Reverse(entries_[1], "wrong account", kNow, 7, &reversal, &refusal), LedgerCode::kOk);
  EXPECT_EQ(reversal.reverses, 2);
  EXPECT_EQ(Available(4), 100);
  EXPECT_EQ(Available(5), 0);
  EXPECT_EQ(ledger_.Reverse(entries_[1], "", kNow, 7, &reversal, &refusal), LedgerCode::kAlreadyReversed);
  Entry as_stored = reversal;
  EXPECT_EQ(ledger_.Reverse(as_stored, "", kNow, 7, &reversal, &refusal), LedgerCode::kCannotReverseReversal);
  // Once the recipient has spent it, the issuance cannot be reversed.
  ASSERT_EQ(Do(EntryKind::kTransfer, 4, 5, 100), LedgerCode::kOk);
  ASSERT_EQ(Do(EntryKind::kTransfer, 5, 6, 100), LedgerCode::kOk);
  EXPECT_EQ(ledger_.Reverse(entries_[0], "", kNow, 7, &reversal, &refusal), LedgerCode::kInsufficientAvailable);
}

TEST_F(LedgerTest, RollbackRestoresBalancesChainAndStatus) {
  ASSERT_EQ(Do(EntryKind::kIssue, 0, 4, 100), LedgerCode::kOk);
  Ledger::Checkpoint mark = ledger_.Mark();
  const std::string head = ledger_.last_hash();
  ASSERT_EQ(Do(EntryKind::kTransfer, 4, 5, 40), LedgerCode::kOk);
  ASSERT_EQ(Do(EntryKind::kFreeze, 4, 0, 10), LedgerCode::kOk);
  LedgerRefusal refusal;
  ASSERT_EQ(ledger_.SetAccountStatus(6, AccountStatus::kClosed, kNow, &refusal), LedgerCode::kOk);
  ledger_.RollbackTo(mark);
  EXPECT_EQ(Available(4), 100);
  EXPECT_EQ(Frozen(4), 0);
  EXPECT_EQ(ledger_.FindHolding(5, "CEA-2024"), nullptr);
  EXPECT_EQ(ledger_.FindAccount(6)->status, AccountStatus::kOpen);
  EXPECT_EQ(ledger_.last_entry_id(), 1);
  EXPECT_EQ(ledger_.last_hash(), head);
}

TEST_F(LedgerTest, EntriesChainAndVerifyCleanThenDetectTampering) {
  ASSERT_EQ(Do(EntryKind::kIssue, 0, 4, 100), LedgerCode::kOk);
  ASSERT_EQ(Do(EntryKind::kTransfer, 4, 5, 40), LedgerCode::kOk);
  ASSERT_EQ(Do(EntryKind::kFreeze, 5, 0, 10), LedgerCode::kOk);
  EXPECT_EQ(entries_[1].prev_hash, entries_[0].hash);
  EXPECT_EQ(entries_[2].prev_hash, entries_[1].hash);

  std::vector<Account> accounts;
  for (AccountId id = 1; id <= 6; ++id) accounts.push_back(*ledger_.FindAccount(id));
  std::vector<Instrument> instruments = {*ledger_.FindInstrument("CEA-2024"), *ledger_.FindInstrument("PDR-COD-OLD")};
  auto verify = [&](const std::vector<Entry>& entries) {
    JournalVerifier verifier(accounts, instruments);
    for (const Entry& e : entries) verifier.OnEntry(e);
    for (AccountId id : {1, 4, 5}) verifier.OnHolding(*ledger_.FindHolding(id, "CEA-2024"));
    return verifier.Finish();
  };
  EXPECT_TRUE(verify(entries_).empty());

  std::vector<Entry> tampered = entries_;
  tampered[1].postings[0].amount -= 1;
  tampered[1].postings[1].amount += 1;  // still balanced, but not what was hashed
  std::vector<VerifyProblem> problems = verify(tampered);
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems[0].kind, "hash_mismatch");
  EXPECT_EQ(problems[0].entry_id, 2);
}

}  // namespace
}  // namespace greenloop
