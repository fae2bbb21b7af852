// src/service/registry_service.h
//
// The registry service: owns the ledger engine, loads it from the store at start, and runs every
// change through one writer thread that commits in groups. A change is a job: a function that
// validates and applies its movements to the in-memory ledger and adds the rows to write. Jobs
// that finish with an error are rolled back alone; the jobs of a group that succeed are made
// durable by one transaction (one fsync) before any of them is acknowledged — LevelDB's write
// group, TigerBeetle's batching. Idempotency records are written in the same transaction as the
// change they answer for, so a crash can never separate the two.
//
// Commits are pipelined: while a committer thread writes group N, the writer already applies
// group N+1 to the ledger on top of N. Group N+1 is handed to the committer only once N is
// durable; if N's commit fails, the ledger is rolled back to before N, and N+1 — validated
// against a state that never became durable — is refused with 503 as well. Nothing is
// acknowledged before its own commit.
//
// Thread safety: all public methods may be called from any thread.
#ifndef GREENLOOP_SERVICE_REGISTRY_SERVICE_H_
#define GREENLOOP_SERVICE_REGISTRY_SERVICE_H_

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "registry/ledger.h"
#include "store/store.h"

namespace greenloop {

// Who is calling: the authenticated user with its role and organization.
struct Principal {
  User user;
  std::optional<Organization> org;
  Role role() const { return user.role; }
  bool is_regulator() const { return user.role == Role::kRegulator; }
  std::optional<OrgId> org_id() const { return user.org_id; }
};

// What a job answers: an HTTP status and the body to send (and to replay for a repeated key).
struct Reply {
  int http_status = 200;
  std::string body;
};

class WriteContext;

// State kept beside the ledger that depends on it (the exchange's order books and what they keep
// frozen) follows the ledger through these calls, all made on the writer thread.
class LedgerObserver {
 public:
  virtual ~LedgerObserver() = default;
  // Inside the job that is about to freeze or close an account: release what depends on it
  // through the ledger. Must not change the observer's own state: the job may still fail.
  virtual Status BeforeAccountStops(WriteContext& ctx, AccountId account) = 0;
  // The account is now frozen or closed and the job succeeds: drop what depended on it.
  virtual void AfterAccountStopped(WriteContext& ctx, AccountId account) = 0;
  // Same pair for an instrument about to expire.
  virtual Status BeforeInstrumentExpires(WriteContext& ctx, const std::string& instrument) = 0;
  virtual void AfterInstrumentExpired(WriteContext& ctx, const std::string& instrument) = 0;
  // A commit failed and the ledger was rolled back to its durable state; so must the observer,
  // from the store.
  virtual void AfterRollback(Store& store) = 0;
};

// The view a job has of the system while it runs on the writer thread.
class WriteContext {
 public:
  Ledger& ledger() { return *ledger_; }
  time_us now() const { return now_us_; }
  Store& store() { return *store_; }

  void AddEntry(Entry entry) { batch_->entries.push_back(std::move(entry)); }
  void PutInstrument(const Instrument& instrument);
  void PutAccount(const Account& account);
  void PutOrganization(const Organization& org) { batch_->organizations.push_back(org); }
  void PutFamily(const InstrumentFamily& family);
  // Persists an account the ledger already changed (status changes).
  void RecordAccount(const Account& account) { batch_->accounts.push_back(account); }
  bool OrgAllocated(OrgId id) const { return id > 0 && id <= *max_org_id_; }
  // Loading historical records (the demo set, a legacy registry) dates entries in the past.
  // Only ever earlier than the clock, and the caller keeps entries in time order.
  void Backdate(time_us at_us) {
    GL_ASSERT(at_us <= now_us_);
    now_us_ = at_us;
  }
  void RestoreNow(time_us now_us) { now_us_ = now_us; }
  void PutUser(const User& user) { batch_->users.push_back(user); }
  void PutToken(const TokenRecord& token) { batch_->tokens.push_back(token); }
  // MRV workflow rows; only exclusive jobs (RegistryService::ExecuteExclusive) write them.
  MrvBatch& mrv() { return batch_->mrv; }
  market::MarketBatch& market() { return batch_->market; }
  // Energy reports; only exclusive jobs write them.
  std::vector<energy::StoredEnergyReport>& energy_reports() { return batch_->energy_reports; }
  // The observer of the ledger, or nullptr.
  LedgerObserver* observer() { return observer_; }
  void Audit(UserId user, std::string action, std::string target, std::string details_json);

  OrgId NextOrgId() { return ++*max_org_id_; }
  AccountId NextAccountId() { return static_cast<AccountId>(ledger_->account_count()) + 1; }
  UserId NextUserId() { return ++*max_user_id_; }
  // Names created earlier in the same commit group, which the store cannot see yet.
  // Names created earlier in the same commit group or in the group being committed, which the
  // store cannot see yet.
  bool UsccTaken(const std::string& uscc);
  bool UserNameTaken(const std::string& name);

 private:
  friend class RegistryService;
  Ledger* ledger_ = nullptr;
  Store* store_ = nullptr;
  WriteBatch* batch_ = nullptr;
  const WriteBatch* inflight_batch_ = nullptr;  // the group being committed, if any
  LedgerObserver* observer_ = nullptr;
  OrgId* max_org_id_ = nullptr;
  UserId* max_user_id_ = nullptr;
  time_us now_us_ = 0;
};

using Job = std::function<Reply(WriteContext&)>;

struct ServiceOptions {
  // Most jobs one commit may carry. 1 turns group commit off (one transaction per job).
  size_t max_group_jobs = 1024;
  time_us token_lifetime_us = 12LL * 3600 * 1'000'000;
};

class RegistryService {
 public:
  // Loads the ledger from the store (which must be migrated) and starts the writer thread.
  static Status Open(Store* store, Clock* clock, const ServiceOptions& options, std::unique_ptr<RegistryService>* out);
  ~RegistryService();
  RegistryService(const RegistryService&) = delete;
  RegistryService& operator=(const RegistryService&) = delete;

  // Runs a job on the writer thread and waits until it is durable (or refused).
  Reply Execute(Job job);
  // Same, for a job that reads the store to decide (workflow records kept outside the in-memory
  // ledger): it runs alone in its group, after every earlier commit is durable, so its reads
  // see all that was acknowledged before it.
  Reply ExecuteExclusive(Job job, std::optional<std::pair<UserId, std::string>> key = std::nullopt,
                         const std::string& request_hash = "");
  // Same, under an idempotency key of the user: a repeated key with the same request hash
  // answers the stored reply; with another request hash, 409.
  Reply ExecuteIdempotent(UserId user, const std::string& key, const std::string& request_hash, Job job);

  // Checks a bearer token; caches valid tokens until they expire.
  Status Authenticate(const std::string& token, Principal* out);
  // Checks a password and issues a token.
  Status Login(const std::string& name, const std::string& password, std::string* token, time_us* expires_at_us,
               User* user);
  Status IssueToken(const User& user, time_us lifetime_us, std::string* token, time_us* expires_at_us);

  Store& store() { return *store_; }
  Clock& clock() { return *clock_; }
  // The id of the newest durable journal entry (0 for an empty journal); ids are dense from 1,
  // so this is also the journal's length. Cheap enough for a health probe under load.
  EntryId last_durable_entry_id() const { return last_durable_entry_id_.load(std::memory_order_acquire); }
  // The system accounts of the registry (issuance, retirement, cancellation).
  SystemAccounts system_accounts();
  // Sets the one observer (or none); call before any job that it should see runs.
  void SetObserver(LedgerObserver* observer);

 private:
  struct Pending {
    Job job;
    std::optional<std::pair<UserId, std::string>> key;
    std::string request_hash;
    bool exclusive = false;
    std::promise<Reply> reply;
  };

  // A group applied to the ledger, waiting for or in its commit.
  struct Group {
    std::vector<std::unique_ptr<Pending>> jobs;
    std::vector<Reply> replies;
    WriteBatch batch;
    Ledger::Checkpoint start;  // the ledger before the group
    Ledger::Checkpoint end;    // the ledger after the group
    OrgId org_mark = 0;        // id counters before the group
    UserId user_mark = 0;
    EntryId last_entry_id = 0;  // the journal's head after the group
  };
  // What the committer reports about the group it committed.
  struct CommitOutcome {
    bool ok = true;
    Ledger::Checkpoint start;
    Ledger::Checkpoint end;
    OrgId org_mark = 0;
    UserId user_mark = 0;
  };

  RegistryService(Store* store, Clock* clock, const ServiceOptions& options);
  Reply Submit(std::unique_ptr<Pending> pending);
  void WriterLoop();
  void CommitterLoop();
  // Applies a group's jobs to the ledger (writer thread).
  std::unique_ptr<Group> ApplyGroup(std::vector<std::unique_ptr<Pending>> jobs);
  // Waits for the commit in flight and settles the ledger with its outcome (writer thread).
  // Returns false when it failed, after rolling the ledger back to before it.
  bool SettleInflight();
  Reply RunOne(Pending& pending, WriteBatch& batch, std::unordered_map<std::string, size_t>& group_keys);
  // The idempotency record of a key in the group being committed, if any (writer thread).
  const IdempotencyRecord* InflightKey(const std::string& key_id) const;

  Store* store_;
  Clock* clock_;
  ServiceOptions options_;
  Ledger ledger_;
  std::atomic<LedgerObserver*> observer_{nullptr};
  std::atomic<EntryId> last_durable_entry_id_{0};
  OrgId max_org_id_ = 0;
  UserId max_user_id_ = 0;

  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<std::unique_ptr<Pending>> queue_;
  bool stopping_ = false;

  // Hand-off between the writer and the committer: at most one group in flight.
  std::mutex commit_mutex_;
  std::condition_variable commit_cv_;
  std::unique_ptr<Group> to_commit_;            // handed over, not yet taken
  bool committing_ = false;                     // the committer holds a group
  std::optional<CommitOutcome> outcome_;        // of the last commit, not yet settled
  bool committer_stopping_ = false;
  // Writer-thread state about the group in flight.
  bool inflight_ = false;
  WriteBatch inflight_batch_;                   // a copy of its batch's names and keys
  std::unordered_map<std::string, size_t> inflight_keys_;

  std::thread writer_;
  std::thread committer_;

  std::mutex token_mutex_;
  std::unordered_map<std::string, Principal> token_cache_;
  std::unordered_map<std::string, time_us> token_expiry_;
};

// A JSON error body: {"error":{"code","message","field"}}.
std::string ErrorBody(const Status& status);
Reply ErrorReply(const Status& status);

}  // namespace greenloop

#endif  // GREENLOOP_SERVICE_REGISTRY_SERVICE_H_
