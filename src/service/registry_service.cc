#include "service/registry_service.h"

#include <nlohmann/json.hpp>

#include "core/assert.h"
#include "core/crypto.h"

namespace greenloop {
namespace {

// Sizes of a batch's parts, so that a refused job's rows can be dropped again.
struct BatchMark {
  size_t entries, instruments, organizations, accounts, families, users, tokens, audit, idempotency;
  size_t listings, days, commands, orders, trades;
  bool mrv_empty;  // MRV rows come only from exclusive jobs, each alone in its group
};

BatchMark MarkBatch(const WriteBatch& b) {
  return BatchMark{b.entries.size(), b.instruments.size(), b.organizations.size(), b.accounts.size(),
                   b.families.size(), b.users.size(), b.tokens.size(), b.audit.size(), b.idempotency.size(),
                   b.market.listings.size(), b.market.days.size(), b.market.commands.size(), b.market.orders.size(),
                   b.market.trades.size(), b.mrv.empty()};
}

void TruncateBatch(WriteBatch& b, const BatchMark& m) {
  b.entries.resize(m.entries);
  b.instruments.resize(m.instruments);
  b.organizations.resize(m.organizations);
  b.accounts.resize(m.accounts);
  b.families.resize(m.families);
  b.users.resize(m.users);
  b.tokens.resize(m.tokens);
  b.audit.resize(m.audit);
  b.idempotency.resize(m.idempotency);
  b.market.listings.resize(m.listings);
  b.market.days.resize(m.days);
  b.market.commands.resize(m.commands);
  b.market.orders.resize(m.orders);
  b.market.trades.resize(m.trades);
  GL_ASSERT(m.mrv_empty);
  b.mrv = MrvBatch();
}

}  // namespace

std::string ErrorBody(const Status& status) {
  GL_ASSERT(!status.ok());
  nlohmann::json error = {{"code", status.code()}, {"message", status.message()}};
  if (!status.field().empty()) error["field"] = status.field();
  return nlohmann::json{{"error", error}}.dump();
}

Reply ErrorReply(const Status& status) { return Reply{HttpStatusFor(status), ErrorBody(status)}; }

void WriteContext::PutInstrument(const Instrument& instrument) {
  ledger_->AddInstrument(instrument);
  batch_->instruments.push_back(instrument);
}

void WriteContext::PutAccount(const Account& account) {
  ledger_->AddAccount(account);
  batch_->accounts.push_back(account);
}

void WriteContext::PutFamily(const InstrumentFamily& family) {
  ledger_->LoadFamily(family);
  batch_->families.push_back(family);
}

void WriteContext::Audit(UserId user, std::string action, std::string target, std::string details_json) {
  batch_->audit.push_back(AuditEvent{now_us_, user, std::move(action), std::move(target), std::move(details_json)});
}

bool WriteContext::UsccTaken(const std::string& uscc) {
  for (const WriteBatch* batch : {static_cast<const WriteBatch*>(batch_), inflight_batch_}) {
    if (batch == nullptr) continue;
    for (const Organization& o : batch->organizations) {
      if (o.uscc && *o.uscc == uscc) return true;
    }
  }
  Organization existing;
  return store_->FindOrganizationByUscc(uscc, &existing).ok();
}

bool WriteContext::UserNameTaken(const std::string& name) {
  for (const WriteBatch* batch : {static_cast<const WriteBatch*>(batch_), inflight_batch_}) {
    if (batch == nullptr) continue;
    for (const User& u : batch->users) {
      if (u.name == name) return true;
    }
  }
  User existing;
  return store_->GetUserByName(name, &existing).ok();
}

RegistryService::RegistryService(Store* store, Clock* clock, const ServiceOptions& options)
    : store_(store), clock_(clock), options_(options) {
  GL_ASSERT(options_.max_group_jobs >= 1);
}

Status RegistryService::Open(Store* store, Clock* clock, const ServiceOptions& options,
                             std::unique_ptr<RegistryService>* out) {
  GL_ASSERT(store != nullptr && clock != nullptr);
  std::unique_ptr<RegistryService> service(new RegistryService(store, clock, options));
  LedgerSnapshot snapshot;
  GL_RETURN_IF_ERROR(store->LoadSnapshot(&snapshot));
  Ledger& ledger = service->ledger_;
  for (const InstrumentFamily& f : snapshot.families) ledger.LoadFamily(f);
  for (const Instrument& i : snapshot.instruments) ledger.LoadInstrument(i);
  SystemAccounts system;
  for (const Account& a : snapshot.accounts) {
    ledger.LoadAccount(a);
    if (a.kind == AccountKind::kIssuance && system.issuance == 0) system.issuance = a.id;
    if (a.kind == AccountKind::kRetirement && system.retirement == 0) system.retirement = a.id;
    if (a.kind == AccountKind::kCancellation && system.cancellation == 0) system.cancellation = a.id;
  }
  for (const Holding& h : snapshot.holdings) ledger.LoadHolding(h);
  for (EntryId id : snapshot.reversed_entries) ledger.LoadReversed(id);
  ledger.LoadChainHead(snapshot.last_entry_id, snapshot.last_hash);
  service->last_durable_entry_id_.store(snapshot.last_entry_id, std::memory_order_release);
  if (system.issuance && system.retirement && system.cancellation) ledger.SetSystemAccounts(system);
  service->max_org_id_ = snapshot.max_org_id;
  service->max_user_id_ = snapshot.max_user_id;
  service->writer_ = std::thread([s = service.get()] { s->WriterLoop(); });
  service->committer_ = std::thread([s = service.get()] { s->CommitterLoop(); });
  *out = std::move(service);
  return Status::OK();
}

RegistryService::~RegistryService() {
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  {
    std::lock_guard<std::mutex> lock(commit_mutex_);
    committer_stopping_ = true;
  }
  commit_cv_.notify_all();
  if (committer_.joinable()) committer_.join();
}

SystemAccounts RegistryService::system_accounts() {
  // Set once at bootstrap, before any concurrent job can exist; read-only afterwards.
  return ledger_.system_accounts();
}

void RegistryService::SetObserver(LedgerObserver* observer) { observer_.store(observer); }

Reply RegistryService::Execute(Job job) {
  auto pending = std::make_unique<Pending>();
  pending->job = std::move(job);
  return Submit(std::move(pending));
}

Reply RegistryService::ExecuteIdempotent(UserId user, const std::string& key, const std::string& request_hash,
                                         Job job) {
  GL_ASSERT(!key.empty());
  auto pending = std::make_unique<Pending>();
  pending->job = std::move(job);
  pending->key = std::make_pair(user, key);
  pending->request_hash = request_hash;
  return Submit(std::move(pending));
}

Reply RegistryService::ExecuteExclusive(Job job, std::optional<std::pair<UserId, std::string>> key,
                                        const std::string& request_hash) {
  auto pending = std::make_unique<Pending>();
  pending->job = std::move(job);
  pending->key = std::move(key);
  pending->request_hash = request_hash;
  pending->exclusive = true;
  return Submit(std::move(pending));
}

Reply RegistryService::Submit(std::unique_ptr<Pending> pending) {
  std::future<Reply> reply = pending->reply.get_future();
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    GL_ASSERT(!stopping_);
    queue_.push_back(std::move(pending));
  }
  queue_cv_.notify_one();
  return reply.get();
}

void RegistryService::WriterLoop() {
  while (true) {
    std::vector<std::unique_ptr<Pending>> jobs;
    {
      std::unique_lock<std::mutex> lock(queue_mutex_);
      queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) break;
      // An exclusive job forms a group of its own.
      while (!queue_.empty() && jobs.size() < options_.max_group_jobs) {
        const bool exclusive = queue_.front()->exclusive;
        if (exclusive && !jobs.empty()) break;
        jobs.push_back(std::move(queue_.front()));
        queue_.pop_front();
        if (exclusive) break;
      }
    }
    const bool exclusive_group = jobs.front()->exclusive;
    // A commit that has finished meanwhile is settled first, so that a failure is rolled back
    // before new jobs see its state.
    bool settled = false;
    {
      std::lock_guard<std::mutex> lock(commit_mutex_);
      settled = inflight_ && outcome_.has_value();
    }
    if (settled) SettleInflight();
    // Whether the commit in flight succeeds or fails (and is rolled back), afterwards the store
    // holds exactly the state the exclusive job is applied to.
    if (exclusive_group && inflight_) static_cast<void>(SettleInflight());
    std::unique_ptr<Group> group = ApplyGroup(std::move(jobs));
    if (inflight_ && !SettleInflight()) {
      // The group was applied on top of a commit that failed: its checks were made against a
      // state that never became durable. SettleInflight rolled both back; refuse it too.
      Reply failure = ErrorReply(Status::Unavailable("the change was not saved (storage failed); retry"));
      for (auto& pending : group->jobs) pending->reply.set_value(failure);
      continue;
    }
    GL_ASSERT(!inflight_);
    inflight_batch_.organizations = group->batch.organizations;
    inflight_batch_.users = group->batch.users;
    inflight_batch_.idempotency = group->batch.idempotency;
    inflight_keys_.clear();
    for (size_t i = 0; i < inflight_batch_.idempotency.size(); ++i) {
      const IdempotencyRecord& r = inflight_batch_.idempotency[i];
      inflight_keys_[std::to_string(r.user_id) + "\n" + r.key] = i;
    }
    inflight_ = true;
    {
      std::lock_guard<std::mutex> lock(commit_mutex_);
      GL_ASSERT(to_commit_ == nullptr && !committing_);
      to_commit_ = std::move(group);
    }
    commit_cv_.notify_all();
  }
  if (inflight_) SettleInflight();
}

std::unique_ptr<RegistryService::Group> RegistryService::ApplyGroup(std::vector<std::unique_ptr<Pending>> jobs) {
  GL_ASSERT(!jobs.empty());
  auto group = std::make_unique<Group>();
  group->jobs = std::move(jobs);
  group->replies.reserve(group->jobs.size());
  group->start = ledger_.Mark();
  group->org_mark = max_org_id_;
  group->user_mark = max_user_id_;
  std::unordered_map<std::string, size_t> group_keys;
  for (auto& pending : group->jobs) group->replies.push_back(RunOne(*pending, group->batch, group_keys));
  group->batch.holdings = ledger_.TakeChangedHoldings();
  group->end = ledger_.Mark();
  group->last_entry_id = ledger_.last_entry_id();
  return group;
}

bool RegistryService::SettleInflight() {
  GL_ASSERT(inflight_);
  CommitOutcome outcome;
  {
    std::unique_lock<std::mutex> lock(commit_mutex_);
    commit_cv_.wait(lock, [&] { return outcome_.has_value(); });
    outcome = *outcome_;
    outcome_.reset();
  }
  inflight_ = false;
  inflight_keys_.clear();
  inflight_batch_.Clear();
  if (outcome.ok) {
    ledger_.DiscardUndoBefore(outcome.end);
    return true;
  }
  // Everything applied since the failed group began goes: the group itself and whatever the
  // writer applied on top of it.
  ledger_.RollbackTo(outcome.start);
  max_org_id_ = outcome.org_mark;
  max_user_id_ = outcome.user_mark;
  if (LedgerObserver* observer = observer_.load()) observer->AfterRollback(*store_);
  return false;
}

void RegistryService::CommitterLoop() {
  while (true) {
    std::unique_ptr<Group> group;
    {
      std::unique_lock<std::mutex> lock(commit_mutex_);
      commit_cv_.wait(lock, [&] { return committer_stopping_ || to_commit_ != nullptr; });
      if (to_commit_ == nullptr) return;
      group = std::move(to_commit_);
      committing_ = true;
    }
    Status st = store_->Commit(group->batch);
    if (st.ok()) last_durable_entry_id_.store(group->last_entry_id, std::memory_order_release);
    // The outcome is published before any reply is released, so that a client's next request
    // always finds the ledger settled with this commit's result.
    {
      std::lock_guard<std::mutex> lock(commit_mutex_);
      outcome_ = CommitOutcome{st.ok(), group->start, group->end, group->org_mark, group->user_mark};
      committing_ = false;
    }
    commit_cv_.notify_all();
    if (st.ok()) {
      for (size_t i = 0; i < group->jobs.size(); ++i) group->jobs[i]->reply.set_value(std::move(group->replies[i]));
    } else {
      Reply failure = ErrorReply(Status::Unavailable("the change was not saved: " + st.message()));
      for (auto& pending : group->jobs) pending->reply.set_value(failure);
    }
  }
}

const IdempotencyRecord* RegistryService::InflightKey(const std::string& key_id) const {
  auto it = inflight_keys_.find(key_id);
  return it == inflight_keys_.end() ? nullptr : &inflight_batch_.idempotency[it->second];
}

Reply RegistryService::RunOne(Pending& pending, WriteBatch& batch,
                              std::unordered_map<std::string, size_t>& group_keys) {
  std::string key_id;
  if (pending.key) {
    key_id = std::to_string(pending.key->first) + "\n" + pending.key->second;
    const IdempotencyRecord* earlier = nullptr;
    IdempotencyRecord stored;
    auto in_group = group_keys.find(key_id);
    if (in_group != group_keys.end()) {
      earlier = &batch.idempotency[in_group->second];
    } else if (const IdempotencyRecord* inflight = InflightKey(key_id)) {
      earlier = inflight;
    } else {
      Status st = store_->GetIdempotency(pending.key->first, pending.key->second, &stored);
      if (st.ok()) {
        earlier = &stored;
      } else if (!st.IsNotFound()) {
        return ErrorReply(st);
      }
    }
    if (earlier != nullptr) {
      if (earlier->request_hash != pending.request_hash) {
        return ErrorReply(Status::Conflict("idempotency_conflict",
                                           "Idempotency-Key '" + pending.key->second +
                                               "' was already used for a different request; use a new key",
                                           "Idempotency-Key"));
      }
      return Reply{earlier->http_status, earlier->response_body};
    }
  }
  WriteContext context;
  context.ledger_ = &ledger_;
  context.store_ = store_;
  context.batch_ = &batch;
  context.inflight_batch_ = inflight_ ? &inflight_batch_ : nullptr;
  context.observer_ = observer_.load();
  context.max_org_id_ = &max_org_id_;
  context.max_user_id_ = &max_user_id_;
  context.now_us_ = clock_->NowMicros();
  Ledger::Checkpoint checkpoint = ledger_.Mark();
  BatchMark mark = MarkBatch(batch);
  OrgId org_mark = max_org_id_;
  UserId user_mark = max_user_id_;
  Reply reply = pending.job(context);
  if (reply.http_status >= 400) {
    ledger_.RollbackTo(checkpoint);
    TruncateBatch(batch, mark);
    max_org_id_ = org_mark;
    max_user_id_ = user_mark;
  }
  // Refusals of the rules (4xx) are final answers too and are replayed for the same key; a
  // storage outage (5xx) is not, so that a retry can succeed.
  if (pending.key && reply.http_status < 500) {
    group_keys[key_id] = batch.idempotency.size();
    batch.idempotency.push_back(IdempotencyRecord{pending.key->first, pending.key->second, pending.request_hash,
                                                  reply.http_status, reply.body, context.now_us_});
  }
  return reply;
}

Status RegistryService::Authenticate(const std::string& token, Principal* out) {
  if (token.empty()) return Status::Unauthenticated("sign in first: send Authorization: Bearer TOKEN");
  const std::string token_hash = Sha256Hex(token);
  const time_us now = clock_->NowMicros();
  {
    std::lock_guard<std::mutex> lock(token_mutex_);
    auto it = token_cache_.find(token_hash);
    if (it != token_cache_.end()) {
      if (token_expiry_[token_hash] > now) {
        *out = it->second;
        return Status::OK();
      }
      token_cache_.erase(it);
      token_expiry_.erase(token_hash);
      return Status::Unauthenticated("the token has expired; sign in again");
    }
  }
  TokenRecord record;
  Status st = store_->GetToken(token_hash, &record);
  if (st.IsNotFound()) return Status::Unauthenticated("the token is not valid; sign in again");
  GL_RETURN_IF_ERROR(st);
  if (record.expires_at_us <= now) return Status::Unauthenticated("the token has expired; sign in again");
  Principal principal;
  GL_RETURN_IF_ERROR(store_->GetUser(record.user_id, &principal.user));
  if (principal.user.org_id) {
    Organization org;
    GL_RETURN_IF_ERROR(store_->GetOrganization(*principal.user.org_id, &org));
    principal.org = org;
  }
  std::lock_guard<std::mutex> lock(token_mutex_);
  token_cache_[token_hash] = principal;
  token_expiry_[token_hash] = record.expires_at_us;
  *out = std::move(principal);
  return Status::OK();
}

Status RegistryService::IssueToken(const User& user, time_us lifetime_us, std::string* token,
                                   time_us* expires_at_us) {
  GL_ASSERT(lifetime_us > 0);
  std::string issued = RandomToken();
  TokenRecord record{Sha256Hex(issued), user.id, clock_->NowMicros() + lifetime_us};
  Reply reply = Execute([&](WriteContext& ctx) {
    ctx.PutToken(record);
    return Reply{201, ""};
  });
  if (reply.http_status != 201) return Status::Unavailable("could not store the token: " + reply.body);
  *token = issued;
  *expires_at_us = record.expires_at_us;
  return Status::OK();
}

Status RegistryService::Login(const std::string& name, const std::string& password, std::string* token,
                              time_us* expires_at_us, User* user) {
  Status st = store_->GetUserByName(name, user);
  if (st.IsNotFound()) {
    // Spend the same time as a wrong password, so that response times do not reveal names.
    VerifyPassword("$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG", password);
    return Status::Unauthenticated("wrong user name or password");
  }
  GL_RETURN_IF_ERROR(st);
  if (!VerifyPassword(user->password_hash, password)) return Status::Unauthenticated("wrong user name or password");
  return IssueToken(*user, options_.token_lifetime_us, token, expires_at_us);
}

}  // namespace greenloop
