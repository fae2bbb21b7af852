// Goal: the registry service keeps the ledger and the store in step: group commits, rollback of
// refused jobs, rollback of a whole group when storage fails, idempotent replays, and reload
// from storage giving the same state. Method: a real SQLite database in a temporary directory,
// and a store wrapper that can be told to fail its next commit.
#include "service/registry_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "core/crypto.h"
#include "core/uscc.h"
#include "service/open_registry.h"
#include "service/operations.h"
#include "store/store_wrapper.h"

namespace greenloop {
namespace {

namespace fs = std::filesystem;

// Forwards to a real store; Commit fails while fail_commits > 0.
class FaultyStore : public StoreWrapper {
 public:
  explicit FaultyStore(std::unique_ptr<Store> inner) : StoreWrapper(inner.get()), inner_(std::move(inner)) {}
  std::atomic<int> fail_commits{0};
  std::atomic<int> commit_delay_ms{0};

  Status Commit(const WriteBatch& batch) override {
    if (commit_delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(commit_delay_ms.load()));
    if (fail_commits > 0) {
      --fail_commits;
      return Status::Unavailable("injected commit failure");
    }
    return StoreWrapper::Commit(batch);
  }

 private:
  std::unique_ptr<Store> inner_;
};

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InitCrypto();
    dir_ = fs::temp_directory_path() / ("greenloop-service-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    url_ = "sqlite:" + (dir_ / "t.db").string();
    Registry registry;
    ASSERT_TRUE(OpenRegistry(url_, &clock_, ServiceOptions(), &registry).ok());
    // Two enterprises with one holding account each, and 1000 CEA-2024 for the first.
    Reply reply = registry.service->Execute([&](WriteContext& ctx) {
      Principal system = SystemPrincipal();
      for (int i = 0; i < 2; ++i) {
        Organization org;
        org.kind = OrgKind::kEnterprise;
        org.name_zh = "测试企业" + std::to_string(i);
        std::string first17 = "91150200TQ000000" + std::to_string(i);
        org.uscc = first17 + UsccCheckCharacter(first17);
        org.region = "150200";
        Status st = CreateOrganization(ctx, system, org, &org);
        if (!st.ok()) return ErrorReply(st);
        Account account;
        st = CreateAccount(ctx, system, org.id, AccountKind::kHolding, "holding", &account);
        if (!st.ok()) return ErrorReply(st);
        accounts_[i] = account.id;
      }
      Entry entry;
      Status st = ApplyMovement(ctx, system, Movement{EntryKind::kIssue, 0, accounts_[0], "CEA-2024", 1000, ""}, &entry);
      return st.ok() ? Reply{201, ""} : ErrorReply(st);
    });
    ASSERT_EQ(reply.http_status, 201) << reply.body;
  }
  void TearDown() override { fs::remove_all(dir_); }

  void OpenFaulty() {
    std::unique_ptr<Store> inner;
    ASSERT_TRUE(OpenStore(url_, &inner).ok());
    store_ = std::make_unique<FaultyStore>(std::move(inner));
    ASSERT_TRUE(RegistryService::Open(store_.get(), &clock_, ServiceOptions(), &service_).ok());
  }

  Reply Transfer(quantity_t q) {
    return service_->Execute([=, this](WriteContext& ctx) {
      Entry entry;
      Status st = ApplyMovement(ctx, SystemPrincipal(),
                                Movement{EntryKind::kTransfer, accounts_[0], accounts_[1], "CEA-2024", q, ""}, &entry);
      return st.ok() ? Reply{201, std::to_string(entry.id)} : ErrorReply(st);
    });
  }

  quantity_t Available(AccountId id) {
    std::vector<Holding> holdings;
    EXPECT_TRUE(store_->ListHoldings(id, &holdings).ok());
    for (const Holding& h : holdings) {
      if (h.instrument == "CEA-2024") return h.available;
    }
    return 0;
  }

  ManualClock clock_{20'400 * kMicrosPerDay};
  fs::path dir_;
  std::string url_;
  AccountId accounts_[2] = {0, 0};
  std::unique_ptr<FaultyStore> store_;
  std::unique_ptr<RegistryService> service_;
};

TEST_F(ServiceTest, RefusedJobChangesNothingAndLaterJobsStillApply) {
  OpenFaulty();
  EXPECT_EQ(Transfer(1001).http_status, 422);
  EXPECT_EQ(Transfer(400).http_status, 201);
  EXPECT_EQ(Available(accounts_[0]), 600);
  EXPECT_EQ(Available(accounts_[1]), 400);
}

TEST_F(ServiceTest, StorageFailureRollsBackTheLedgerAndAnswers503) {
  OpenFaulty();
  store_->fail_commits = 1;
  Reply failed = Transfer(300);
  EXPECT_EQ(failed.http_status, 503);
  // Had the ledger kept the failed transfer in memory, 800 would exceed the 700 it thinks remain.
  Reply ok = Transfer(800);
  EXPECT_EQ(ok.http_status, 201) << ok.body;
  EXPECT_EQ(Available(accounts_[0]), 200);
  EXPECT_EQ(Available(accounts_[1]), 800);
}

TEST_F(ServiceTest, GroupAppliedOnTopOfAFailedCommitIsRefusedAndLeavesNoTrace) {
  // While a slow commit fails, more transfers are applied on top of it (pipelining). Each one
  // must end either acknowledged and durable, or refused with nothing left in the ledger: the
  // balances in storage and the ledger's own view must agree afterwards.
  OpenFaulty();
  store_->commit_delay_ms = 30;
  store_->fail_commits = 1;
  std::vector<std::thread> threads;
  std::atomic<int> created{0};
  std::atomic<int> unavailable{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        int status = Transfer(10).http_status;
        if (status == 201) created++;
        if (status == 503) unavailable++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_GE(unavailable.load(), 1);
  EXPECT_EQ(created.load() + unavailable.load(), 20);
  store_->commit_delay_ms = 0;
  EXPECT_EQ(Available(accounts_[0]), 1000 - 10 * created.load());
  // The ledger agrees with storage: exactly the remaining balance can still move, not one more.
  const quantity_t remaining = Available(accounts_[0]);
  EXPECT_EQ(Transfer(remaining + 1).http_status, 422);
  EXPECT_EQ(Transfer(remaining).http_status, 201);
  EXPECT_EQ(Available(accounts_[0]), 0);
}

TEST_F(ServiceTest, ConcurrentJobsAreGroupedAndAllDurable) {
  OpenFaulty();
  std::vector<std::thread> threads;
  std::atomic<int> created{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        if (Transfer(1).http_status == 201) created++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 200);
  EXPECT_EQ(Available(accounts_[0]), 800);
  // A fresh service loads the same state from storage.
  service_.reset();
  OpenFaulty();
  EXPECT_EQ(Transfer(800).http_status, 201);
  EXPECT_EQ(Transfer(1).http_status, 422);
  std::int64_t entries = 0;
  ASSERT_TRUE(store_->CountEntries(&entries).ok());
  EXPECT_EQ(entries, 1 + 200 + 1);
}

TEST_F(ServiceTest, IdempotentReplayAndConflict) {
  OpenFaulty();
  auto job = [this](quantity_t q) {
    return [=, this](WriteContext& ctx) {
      Entry entry;
      Status st = ApplyMovement(ctx, SystemPrincipal(),
                                Movement{EntryKind::kTransfer, accounts_[0], accounts_[1], "CEA-2024", q, ""}, &entry);
      return st.ok() ? Reply{201, std::to_string(entry.id)} : ErrorReply(st);
    };
  };
  Reply first = service_->ExecuteIdempotent(5, "key-1", "hash-a", job(10));
  Reply again = service_->ExecuteIdempotent(5, "key-1", "hash-a", job(10));
  Reply other_body = service_->ExecuteIdempotent(5, "key-1", "hash-b", job(11));
  Reply other_user = service_->ExecuteIdempotent(6, "key-1", "hash-b", job(11));
  EXPECT_EQ(first.http_status, 201);
  EXPECT_EQ(again.http_status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(other_body.http_status, 409);
  EXPECT_EQ(other_user.http_status, 201);
  EXPECT_EQ(Available(accounts_[0]), 1000 - 10 - 11);
}

}  // namespace
}  // namespace greenloop
