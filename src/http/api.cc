#include "http/api.h"

#include <algorithm>
#include <charconv>

#include "core/assert.h"
#include "core/crypto.h"
#include "core/time.h"
#include "http/json_mapping.h"
#include "http/request_body.h"
#include "service/verify_store.h"
#include "service/operations.h"
#include "service/reference_data.h"

namespace greenloop {
namespace {

using nlohmann::json;

constexpr size_t kMaxBatchTransfers = 8000;
constexpr int kMaxJournalLimit = 500;
constexpr size_t kMaxIdempotencyKeyLength = 128;
constexpr size_t kMaxMemoBytes = 500;

std::optional<std::int64_t> ParseId(const std::string& text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

Status IdParam(const std::string& text, const char* what, std::int64_t* out) {
  auto id = ParseId(text);
  if (!id) return Status::NotFound(std::string(what) + " '" + text + "' does not exist (ids are positive integers)");
  *out = *id;
  return Status::OK();
}

Status QueryId(const HttpRequest& r, const char* name, std::optional<std::int64_t>* out) {
  const std::string* text = r.Query(name);
  if (text == nullptr || text->empty()) return Status::OK();
  auto id = ParseId(*text);
  if (!id) return Status::Invalid("invalid_field", std::string(name) + " must be a positive integer", name);
  *out = id;
  return Status::OK();
}

Reply JsonReply(int status, const json& body) { return Reply{status, body.dump()}; }

// The reply of a job that appended one entry: 201 with the entry, or the error.
Reply EntryReply(const Status& status, const Entry& entry, const std::string& actor) {
  if (!status.ok()) return ErrorReply(status);
  return JsonReply(201, ToJson(entry, actor, std::nullopt));
}

}  // namespace

std::string OrgName(Store& store, OrgId id) {
  Organization org;
  return store.GetOrganization(id, &org).ok() ? org.name_zh : "";
}

std::string HttpRequest::Header(const std::string& lowercase_name) const {
  auto it = headers.find(lowercase_name);
  return it == headers.end() ? "" : it->second;
}

const std::string* HttpRequest::Query(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? nullptr : &it->second;
}

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start) out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

HttpResponse JsonResponse(int status, const json& body) { return HttpResponse{status, body.dump()}; }

HttpResponse ErrorResponse(const Status& status) { return HttpResponse{HttpStatusFor(status), ErrorBody(status)}; }

Api::Api(RegistryService* service) : service_(service) { RegisterRoutes(); }

void Api::Add(std::string method, std::string pattern, std::string summary, Handler handler) {
  Route route;
  route.method = std::move(method);
  route.segments = SplitPath(pattern);
  route.pattern = std::move(pattern);
  route.summary = std::move(summary);
  route.mutating = route.method == "POST" || route.method == "PATCH" || route.method == "PUT";
  route.handler = std::move(handler);
  routes_.push_back(std::move(route));
}

void Api::RegisterRoutes() {
  const std::string v1 = "/api/v1";
  Add("GET", v1 + "/health", "Liveness and store status (no auth)", [this](auto& r, auto&) { return Health(r); });
  Add("GET", v1 + "/openapi.json", "This document (no auth)",
      [this](auto&, auto&) { return HttpResponse{200, OpenApiDocument()}; });
  Add("POST", v1 + "/auth/login", "Exchange name and password for a bearer token", [this](auto& r, auto&) { return Login(r); });
  Add("GET", v1 + "/auth/me", "The signed-in user", [this](auto& r, auto&) { return Me(r); });
  Add("GET", v1 + "/instrument-families", "Instrument families (品种类别)", [this](auto& r, auto&) { return ListFamilies(r); });
  Add("GET", v1 + "/instruments", "Instrument catalog (品种目录); filter family", [this](auto& r, auto&) { return ListInstruments(r); });
  Add("POST", v1 + "/instruments", "Create an instrument (regulator)", [this](auto& r, auto&) { return PostInstrument(r); });
  Add("GET", v1 + "/instruments/{code}", "One instrument", [this](auto& r, auto& p) { return GetInstrument(r, p[0]); });
  Add("GET", v1 + "/organizations", "Organizations (机构); filters kind, region", [this](auto& r, auto&) { return ListOrganizations(r); });
  Add("POST", v1 + "/organizations", "Register an organization (regulator)", [this](auto& r, auto&) { return PostOrganization(r); });
  Add("GET", v1 + "/organizations/{id}", "One organization", [this](auto& r, auto& p) { return GetOrganization(r, p[0]); });
  Add("GET", v1 + "/accounts", "Accounts the caller may see; filters org, kind", [this](auto& r, auto&) { return ListAccounts(r); });
  Add("POST", v1 + "/accounts", "Open an account (regulator)", [this](auto& r, auto&) { return PostAccount(r); });
  Add("GET", v1 + "/accounts/{id}", "One account", [this](auto& r, auto& p) { return GetAccount(r, p[0]); });
  Add("PATCH", v1 + "/accounts/{id}", "Freeze, reopen or close an account (regulator)",
      [this](auto& r, auto& p) { return PatchAccount(r, p[0]); });
  Add("GET", v1 + "/accounts/{id}/holdings", "Holdings of an account (balance, frozen, available)",
      [this](auto& r, auto& p) { return GetHoldings(r, p[0]); });
  Add("POST", v1 + "/issuances", "Issue into an account (regulator) (发行)",
      [this](auto& r, auto&) { return PostMovement(r, EntryKind::kIssue); });
  Add("POST", v1 + "/transfers", "Transfer, or a batch of up to 8000 (划转)", [this](auto& r, auto&) { return PostTransfers(r); });
  Add("POST", v1 + "/freezes", "Freeze part of a holding (regulator, exchange) (冻结)",
      [this](auto& r, auto&) { return PostMovement(r, EntryKind::kFreeze); });
  Add("POST", v1 + "/unfreezes", "Unfreeze part of a holding (regulator, exchange) (解冻)",
      [this](auto& r, auto&) { return PostMovement(r, EntryKind::kUnfreeze); });
  Add("POST", v1 + "/retirements", "Retire (surrender) from an own account (注销/清缴)",
      [this](auto& r, auto&) { return PostMovement(r, EntryKind::kRetire); });
  Add("POST", v1 + "/cancellations", "Cancel holdings (regulator) (作废)",
      [this](auto& r, auto&) { return PostMovement(r, EntryKind::kCancel); });
  Add("POST", v1 + "/expirations", "Expire an instrument past its validity (regulator) (到期)",
      [this](auto& r, auto&) { return PostExpiration(r); });
  Add("POST", v1 + "/reversals", "Reverse an entry (regulator) (冲正)", [this](auto& r, auto&) { return PostReversal(r); });
  Add("GET", v1 + "/journal", "Journal entries, newest first; filters and cursor", [this](auto& r, auto&) { return Journal(r); });
  Add("GET", v1 + "/journal/{id}", "One journal entry", [this](auto& r, auto& p) { return JournalEntry(r, p[0]); });
  Add("GET", v1 + "/verify", "Check the hash chain and balances (regulator)", [this](auto& r, auto&) { return Verify(r); });
  Add("GET", v1 + "/stats/supply", "Issued, retired, cancelled and outstanding per instrument",
      [this](auto& r, auto&) { return Supply(r); });
  Add("GET", v1 + "/stats/activity", "Entries per day and kind", [this](auto& r, auto&) { return Activity(r); });
  RegisterMrvRoutes();
  RegisterCarbonRoutes();
  RegisterCalcRoutes();
  RegisterEnergyRoutes();
}

HttpResponse Api::Handle(const HttpRequest& request) {
  std::vector<std::string> segments = SplitPath(request.path);
  bool path_matched = false;
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    Params params;
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i) {
      const std::string& want = route.segments[i];
      if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
        params.push_back(segments[i]);
      } else {
        match = want == segments[i];
      }
    }
    if (!match) continue;
    path_matched = true;
    if (route.method != request.method) continue;
    return route.handler(request, params);
  }
  if (path_matched) {
    return ErrorResponse(Status::Invalid("method_not_allowed", request.method + " is not allowed on " + request.path));
  }
  return ErrorResponse(Status::NotFound("no API endpoint " + request.method + " " + request.path));
}

Status Api::Authenticate(const HttpRequest& request, Principal* principal) {
  std::string header = request.Header("authorization");
  const std::string prefix = "Bearer ";
  if (header.empty()) return Status::Unauthenticated("sign in first: send Authorization: Bearer TOKEN");
  if (header.rfind(prefix, 0) != 0) return Status::Unauthenticated("the Authorization header must be 'Bearer TOKEN'");
  return service_->Authenticate(header.substr(prefix.size()), principal);
}

HttpResponse Api::RunJob(const HttpRequest& request, const Principal& principal, const std::string& canonical_body,
                         Job job, bool exclusive) {
  std::string key = request.Header("idempotency-key");
  Reply reply;
  if (key.empty()) {
    reply = exclusive ? service_->ExecuteExclusive(std::move(job)) : service_->Execute(std::move(job));
  } else {
    if (key.size() > kMaxIdempotencyKeyLength) {
      return ErrorResponse(Status::Invalid("invalid_field", "Idempotency-Key has more than 128 characters", "Idempotency-Key"));
    }
    for (char c : key) {
      if (c < 0x21 || c > 0x7e) {
        return ErrorResponse(Status::Invalid("invalid_field", "Idempotency-Key must be printable ASCII without spaces",
                                             "Idempotency-Key"));
      }
    }
    std::string request_hash = Sha256Hex(request.method + " " + request.path + "\n" + canonical_body);
    reply = exclusive ? service_->ExecuteExclusive(std::move(job), std::make_pair(principal.user.id, key), request_hash)
                      : service_->ExecuteIdempotent(principal.user.id, key, request_hash, std::move(job));
  }
  return HttpResponse{reply.http_status, reply.body};
}

Status Api::VisibleAccount(const Principal& principal, AccountId id, Account* account, Organization* owner) {
  Status st = service_->store().GetAccount(id, account);
  if (!st.ok()) return st;
  GL_RETURN_IF_ERROR(service_->store().GetOrganization(account->org_id, owner));
  if (!CanSeeAccount(principal, *account, *owner)) {
    // Answered like a missing account, so that callers cannot probe which accounts exist.
    return Status::NotFound("account " + std::to_string(id) + " does not exist or is not visible to you", "account");
  }
  return Status::OK();
}

std::string Api::ActorName(UserId id) {
  if (id == 0) return "system";
  {
    std::lock_guard<std::mutex> lock(actor_mutex_);
    auto it = actor_names_.find(id);
    if (it != actor_names_.end()) return it->second;
  }
  User user;
  std::string name = service_->store().GetUser(id, &user).ok() ? user.name : "user " + std::to_string(id);
  std::lock_guard<std::mutex> lock(actor_mutex_);
  actor_names_[id] = name;
  return name;
}

json Api::EntryJson(const Entry& entry) {
  std::optional<EntryId> reversed_by;
  if (entry.kind != EntryKind::kReverse && entry.kind != EntryKind::kExpire) {
    Status st = service_->store().FindReversal(entry.id, &reversed_by);
    if (!st.ok()) reversed_by.reset();
  }
  return ToJson(entry, ActorName(entry.actor_user_id), reversed_by);
}

HttpResponse Api::Health(const HttpRequest&) {
  // Entry ids are dense from 1, so the durable head is the journal's length; counting rows in
  // the store would make the probe cost grow with the journal.
  const auto entries = static_cast<std::int64_t>(service_->last_durable_entry_id());
  return JsonResponse(200, {{"status", "ok"}, {"store", service_->store().Kind()}, {"entries", entries}, {"version", "0.1.0"}});
}

HttpResponse Api::Login(const HttpRequest& request) {
  RequestBody body;
  Status st = RequestBody::Parse(request.body, &body);
  if (st.ok()) st = body.OnlyFields({"name", "password"});
  std::string name, password;
  if (st.ok()) st = body.String("name", &name, 64);
  if (st.ok()) st = body.String("password", &password, 256);
  if (!st.ok()) return ErrorResponse(st);
  std::string token;
  time_us expires_at = 0;
  User user;
  st = service_->Login(name, password, &token, &expires_at, &user);
  if (!st.ok()) return ErrorResponse(st);
  return JsonResponse(200, {{"token", token}, {"expires_at", FormatTimestamp(expires_at)}, {"user", ToJson(user)}});
}

HttpResponse Api::Me(const HttpRequest& request) {
  Principal principal;
  Status st = Authenticate(request, &principal);
  if (!st.ok()) return ErrorResponse(st);
  json out = {{"user", ToJson(principal.user)}};
  if (principal.org) out["organization"] = ToJson(*principal.org);
  return JsonResponse(200, out);
}

HttpResponse Api::ListFamilies(const HttpRequest&) {
  std::vector<InstrumentFamily> families;
  Status st = service_->store().ListFamilies(&families);
  if (!st.ok()) return ErrorResponse(st);
  json items = json::array();
  for (const auto& f : families) items.push_back(ToJson(f));
  return JsonResponse(200, {{"items", items}});
}

HttpResponse Api::ListInstruments(const HttpRequest& request) {
  std::optional<std::string> family;
  if (const std::string* f = request.Query("family"); f && !f->empty()) family = *f;
  std::vector<Instrument> instruments;
  Status st = service_->store().ListInstruments(family, &instruments);
  if (!st.ok()) return ErrorResponse(st);
  json items = json::array();
  for (const auto& i : instruments) items.push_back(ToJson(i));
  return JsonResponse(200, {{"items", items}});
}

HttpResponse Api::GetInstrument(const HttpRequest&, const std::string& code) {
  Instrument instrument;
  Status st = service_->store().GetInstrument(code, &instrument);
  if (!st.ok()) return ErrorResponse(st);
  return JsonResponse(200, ToJson(instrument));
}

HttpResponse Api::PostInstrument(const HttpRequest& request) {
  Principal principal;
  Status st = Authenticate(request, &principal);
  if (!st.ok()) return ErrorResponse(st);
  st = RequireRole(principal, {Role::kRegulator}, "create instruments");
  if (!st.ok()) return ErrorResponse(st);
  RequestBody body;
  st = RequestBody::Parse(request.body, &body);
  Instrument instrument;
  if (st.ok()) st = InstrumentFromJsonText(request.body, &instrument);
  if (!st.ok()) return ErrorResponse(st);
  return RunJob(request, principal, CanonicalJson(body.json()), [=](WriteContext& ctx) {
    Instrument created;
    Status s = CreateInstrument(ctx, principal, instrument, &created);
    if (!s.ok()) return ErrorReply(s);
    return JsonReply(201, ToJson(created));
  });
}

HttpResponse Api::ListOrganizations(const HttpRequest& request) {
  Principal principal;
  Status st = Authenticate(request, &principal);
  if (!st.ok()) return ErrorResponse(st);
  OrganizationFilter filter;
  if (const std::string* kind = request.Query("kind"); kind && !kind->empty()) {
    filter.kind = ParseOrgKind(*kind);
    if (!filter.kind) return ErrorResponse(Status::Invalid("invalid_field", "unknown organization kind '" + *kind + "'", "kind"));
  }
  if (const std::string* region = request.Query("region"); region && !region->empty()) filter.region = *region;
  std::vector<Organization> orgs;
  st = service_->store().ListOrganizations(filter, &orgs);
  if (!st.ok()) return ErrorResponse(st);
  json items = json::array();
  for (const auto& o : orgs) items.push_back(ToJson(o));
  return JsonResponse(200, {{"items", items}});
}

HttpResponse Api::GetOrganization(const HttpRequest& request, const std::string& id_text) {
  Principal principal;
  Status st = Authenticate(request, &principal);
  std::int64_t id = 0;
  if (st.ok()) st = IdParam(id_text, "organization", &id);
  Organization org;
  if (st.ok()) st = service_->store().GetOrganization(id, &org);
  if (!st.ok()) return ErrorResponse(st);
  return JsonResponse(200, ToJson(org));
}

HttpResponse Api::PostOrganization(const HttpRequest& request) {
  Principal principal;
  Status st = Authenticate(request, &principal);
  if (st.ok()) st = RequireRole(principal, {Role::kRegulator}, "register organizations");
  RequestBody body;
  if (st.ok()) st = RequestBody::Parse(request.body, &body);
  if (st.ok()) st = body.OnlyFields({"kind", "name_zh", "name_en", "uscc", "region", "industry"});
  Organization org;
  std::string kind;
  std::optional<std::string> name_en;
  if (st.ok()) st = body.String("kind", &kind);
  if (st.ok() && !ParseOrgKind(kind)) {
    st = Status::Invalid("invalid_field", "kind must be one of region, enterprise, verifier, exchange, government", "kind");
  }
  if (st.ok()) st = body.String("name_zh", &org.name_zh);
  if (st.ok()) st = body.OptionalString("name_en", &name_en);
  if (st.ok()) st = body.OptionalString("uscc", &org.uscc, 18 * 4);
  if (st.ok()) st = body.OptionalString("region", &org.region, 6);
  if (st.ok()) st = body.OptionalString("industry", &org.industry, 40);
  if (!st.ok()) return ErrorResponse(st);
  org.kind = *ParseOrgKind(kind);
  org.name_en = name_en.value_or("");
  return RunJob(request, principal, CanonicalJson(body.json()), [=](WriteContext& ctx) {
    Organization created;
    Status s = CreateOrganization(ctx, principal, org, &created);
    if (!s.ok()) return ErrorReply(s);
    return JsonReply(201, ToJson(created));
  });
}

HttpResponse Api::ListAccounts(const HttpRequest& request) {
  Principal principal;
  Status st = Authenticate(request, &principal);
  if (!st.ok()) return ErrorResponse(st);
  AccountFilter filter;
  st = QueryId(request, "org", &filter.org_id);
  if (!st.ok()) return ErrorResponse(st);
  if (const std::string* kind = request.Query("kind"); kind && !kind->empty()) {
    filter.kind = ParseAccountKind(*kind);
    if (!filter.kind) return ErrorResponse(Status::Invalid("invalid_field", "unknown account kind '" + *kind + "'", "kind"));
  }
  switch (principal.role()) {
    case Role::kRegulator:
    case Role::kExchange:
      break;
    case Role::kRegion:
      if (!principal.org || !principal.org->region) return JsonResponse(200, {{"items", json::array()}});
      filter.region = principal.org->region;
      break;
    case Role::kEnterprise:
    case Role::kVerifier:
      if (!principal.org_id()) return JsonResponse(200, {{"items", json::array()}});
      if (filter.org_id && *filter.org_id != *principal.org_id()) {
        return ErrorResponse(Status::Forbidden("you may list only your own organization's accounts"));
      }
      filter.org_id = principal.org_id();
      break;
    case Role::kPublic:
      return ErrorResponse(Status::Forbidden("the public role sees no accounts; see /stats/supply for totals"));
  }
  std::vector<Account> accounts;
  std::vector<Organization> orgs;
  st = service_->store().ListAccounts(filter, &accounts);
  if (st.ok()) st = service_->store().ListOrganizations({}, &orgs);
  if (!st.ok()) return ErrorResponse(st);
  std::unordered_map<OrgId, const Organization*> by_id;
  for (const auto& o : orgs) by_id[o.id] = &o;
  json items = json::array();
  for (const auto& a : accounts) {
    const Organization* owner = by_id.count(a.org_id) ? by_id[a.org_id] : nullptr;
    if (owner == nullptr || !CanSeeAccount(principal, a, *owner)) continue;
    items.push_back(ToJson(a, owner->name_zh));
  }
  return JsonResponse(200, {{"items", items}});
}

HttpResponse Api::GetAccount(const HttpRequest& request, const std::string& id_text) {
  Principal principal;
  Status st = Authenticate(request, &principal);
  std::int64_t id = 0;
  if (st.ok()) st = IdParam(id_text, "account", &id);
  Account account;
  Organization owner;
  if (st.ok()) st = VisibleAccount(principal, id, &account, &owner);
  if (!st.ok()) return ErrorResponse(st);
  return JsonResponse(200, ToJson(account, owner.name_zh));
}

HttpResponse Api::PatchAccount(const HttpRequest& request, const std::string& id_text) {
  Principal principal;
  Status st = Authenticate(request, &principal);
  if (st.ok()) st = RequireRole(principal, {Role::kRegulator}, "change account status");
  std::int64_t id = 0;
  if (st.ok()) st = IdParam(id_text, "account", &id);
  RequestBody body;
  if (st.ok()) st = RequestBody::Parse(request.body, &body);
  if (st.ok()) st = body.OnlyFields({"status"});
  std::string status_text;
  if (st.ok()) st = body.String("status", &status_text);
  auto status = ParseAccountStatus(status_text);
  if (st.ok() && !status) st = Status::Invalid("invalid_field", "status must be open, frozen or closed", "status");
  if (!st.ok()) return ErrorResponse(st);
  return RunJob(request, principal, CanonicalJson(body.json()), [=, this](WriteContext& ctx) {
    Account account;
    Status s = ChangeAccountStatus(ctx, principal, id, *status, &account);
    if (!s.ok()) return ErrorReply(s);
    return JsonReply(200, ToJson(account, OrgName(ctx.store(), account.org_id)));
  });
}

HttpResponse Api::PostAccount(const HttpRequest& request) {
  Principal principal;
  Status st = Authenticate(request, &principal);
  if (st.ok()) st = RequireRole(principal, {Role::kRegulator}, "open accounts");
  RequestBody body;
  if (st.ok()) st = RequestBody::Parse(request.body, &body);
  if (st.ok()) st = body.OnlyFields({"org_id", "kind", "name"});
  std::int64_t org_id = 0;
  std::string kind_text, name;
  if (st.ok()) st = body.Integer("org_id", &org_id);
  if (st.ok()) st = body.String("kind", &kind_text);
  if (st.ok()) st = body.String("name", &name);
  auto kind = ParseAccountKind(kind_text);
  if (st.ok() && !kind) {
    st = Status::Invalid("invalid_field", "kind must be holding, reserve or clearing", "kind");
  }
  if (!st.ok()) return ErrorResponse(st);
  return RunJob(request, principal, CanonicalJson(body.json()), [=](WriteContext& ctx) {
    Account account;
    Status s = CreateAccount(ctx, principal, org_id, *kind, name, &account);
    if (!s.ok()) return ErrorReply(s);
    return JsonReply(201, ToJson(account, OrgName(ctx.store(), org_id)));
  });
}

HttpResponse Api::GetHoldings(const HttpRequest& request, const std::string& id_text) {
  Principal principal;
  Status st = Authenticate(request, &principal);
  std::int64_t id = 0;
  if (st.ok()) st = IdParam(id_text, "account", &id);
  Account account;
  Organization owner;
  if (st.ok()) st = VisibleAccount(principal, id, &account, &owner);
  std::vector<Holding> holdings;
  if (st.ok()) st = service_->store().ListHoldings(id, &holdings);
  if (!st.ok()) return ErrorResponse(st);
  json items = json::array();
  for (const auto& h : holdings) items.push_back(ToJson(h));
  return JsonResponse(200, {{"account_id", id}, {"items", items}});
}

HttpResponse Api::PostMovement(const HttpRequest& request, EntryKind kind) {
  Principal principal;
  Status st = Authenticate(request, &principal);
  RequestBody body;
  if (st.ok()) st = RequestBody::Parse(request.body, &body);
  Movement m;
  m.kind = kind;
  std::optional<std::string> memo;
  if (st.ok()) {
    if (kind == EntryKind::kIssue) {
      st = body.OnlyFields({"instrument", "to_account", "quantity", "memo"});
      if (st.ok()) st = body.Integer("to_account", &m.to_account);
    } else {
      st = body.OnlyFields({"account", "instrument", "quantity", "memo"});
      if (st.ok()) st = body.Integer("account", &m.from_account);
    }
  }
  if (st.ok()) st = body.String("instrument", &m.instrument, 40);
  if (st.ok()) st = body.Quantity("quantity", &m.quantity);
  if (st.ok()) st = body.OptionalString("memo", &memo, kMaxMemoBytes);
  if (!st.ok()) return ErrorResponse(st);
  m.memo = memo.value_or("");
  return RunJob(request, principal, CanonicalJson(body.json()), [=, this](WriteContext& ctx) {
    Entry entry;
    Status s = ApplyMovement(ctx, principal, m, &entry);
    return EntryReply(s, entry, ActorName(principal.user.id));
  });
}

HttpResponse Api::PostTransfers(const HttpRequest& request) {
  Principal principal;
  Status st = Authenticate(request, &principal);
  RequestBody body;
  if (st.ok()) st = RequestBody::Parse(request.body, &body);
  if (!st.ok()) return ErrorResponse(st);
  auto read_transfer = [](const RequestBody& b, bool allow_linked, BatchTransfer* out) {
    Status s = allow_linked ? b.OnlyFields({"from_account", "to_account", "instrument", "quantity", "memo", "linked"})
                            : b.OnlyFields({"from_account", "to_account", "instrument", "quantity", "memo"});
    out->movement.kind = EntryKind::kTransfer;
    std::optional<std::string> memo;
    if (s.ok()) s = b.Integer("from_account", &out->movement.from_account);
    if (s.ok()) s = b.Integer("to_account", &out->movement.to_account);
    if (s.ok()) s = b.String("instrument", &out->movement.instrument, 40);
    if (s.ok()) s = b.Quantity("quantity", &out->movement.quantity);
    if (s.ok()) s = b.OptionalString("memo", &memo, kMaxMemoBytes);
    if (s.ok() && allow_linked) s = b.OptionalBool("linked", &out->linked);
    out->movement.memo = memo.value_or("");
    return s;
  };
  if (!body.Has("transfers")) {
    BatchTransfer single;
    st = read_transfer(body, false, &single);
    if (!st.ok()) return ErrorResponse(st);
    Movement m = single.movement;
    return RunJob(request, principal, CanonicalJson(body.json()), [=, this](WriteContext& ctx) {
      Entry entry;
      Status s = ApplyMovement(ctx, principal, m, &entry);
      return EntryReply(s, entry, ActorName(principal.user.id));
    });
  }
  st = body.OnlyFields({"transfers"});
  const json& list = body.json()["transfers"];
  if (st.ok() && !list.is_array()) st = Status::Invalid("invalid_field", "transfers must be an array", "transfers");
  if (st.ok() && list.empty()) st = Status::Invalid("invalid_field", "transfers must not be empty", "transfers");
  if (st.ok() && list.size() > kMaxBatchTransfers) {
    st = Status::Invalid("batch_too_large",
                         "a batch holds at most 8000 transfers, this one has " + std::to_string(list.size()), "transfers");
  }
  if (!st.ok()) return ErrorResponse(st);
  auto items = std::make_shared<std::vector<BatchTransfer>>(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    std::string prefix = "transfers[" + std::to_string(i) + "].";
    if (!list[i].is_object()) {
      return ErrorResponse(Status::Invalid("invalid_field", "transfers[" + std::to_string(i) + "] must be an object",
                                           "transfers[" + std::to_string(i) + "]"));
    }
    st = read_transfer(RequestBody::Of(list[i], prefix), true, &(*items)[i]);
    if (!st.ok()) return ErrorResponse(st);
  }
  return RunJob(request, principal, CanonicalJson(body.json()), [=](WriteContext& ctx) {
    std::vector<BatchResult> results = ApplyTransferBatch(ctx, principal, *items);
    json out = json::array();
    int ok = 0;
    for (size_t i = 0; i < results.size(); ++i) {
      json r = {{"index", i}, {"result", results[i].result}};
      if (results[i].result == "ok") {
        r["entry_id"] = results[i].entry_id;
        ++ok;
      } else {
        r["message"] = results[i].message;
      }
      out.push_back(std::move(r));
    }
    return JsonReply(200, {{"results", out}, {"ok", ok}, {"failed", static_cast<int>(results.size()) - ok}});
  });
}

HttpResponse Api::PostReversal(const HttpRequest& request) {
  Principal principal;
  Status st = Authenticate(request, &principal);
  if (st.ok()) st = RequireRole(principal, {Role::kRegulator}, "reverse entries");
  RequestBody body;
  if (st.ok()) st = RequestBody::Parse(request.body, &body);
  if (st.ok()) st = body.OnlyFields({"entry_id", "memo"});
  std::int64_t entry_id = 0;
  std::optional<std::string> memo;
  if (st.ok()) st = body.Integer("entry_id", &entry_id);
  if (st.ok()) st = body.OptionalString("memo", &memo, kMaxMemoBytes);
  if (!st.ok()) return ErrorResponse(st);
  return RunJob(request, principal, CanonicalJson(body.json()), [=, this](WriteContext& ctx) {
    Entry entry;
    Status s = ApplyReversal(ctx, principal, entry_id, memo.value_or(""), &entry);
    return EntryReply(s, entry, ActorName(principal.user.id));
  });
}

HttpResponse Api::PostExpiration(const HttpRequest& request) {
  Principal principal;
  Status st = Authenticate(request, &principal);
  if (st.ok()) st = RequireRole(principal, {Role::kRegulator}, "expire instruments");
  RequestBody body;
  if (st.ok()) st = RequestBody::Parse(request.body, &body);
  if (st.ok()) st = body.OnlyFields({"instrument", "memo"});
  std::string instrument;
  std::optional<std::string> memo;
  if (st.ok()) st = body.String("instrument", &instrument, 40);
  if (st.ok()) st = body.OptionalString("memo", &memo, kMaxMemoBytes);
  if (!st.ok()) return ErrorResponse(st);
  return RunJob(request, principal, CanonicalJson(body.json()), [=, this](WriteContext& ctx) {
    Entry entry;
    Status s = ApplyExpiry(ctx, principal, instrument, memo.value_or(""), &entry);
    return EntryReply(s, entry, ActorName(principal.user.id));
  });
}

HttpResponse Api::Journal(const HttpRequest& request) {
  Principal principal;
  Status st = Authenticate(request, &principal);
  if (!st.ok()) return ErrorResponse(st);
  JournalQuery q;
  st = QueryId(request, "account", &q.account_id);
  std::optional<std::int64_t> cursor, limit;
  if (st.ok()) st = QueryId(request, "cursor", &cursor);
  if (st.ok()) st = QueryId(request, "limit", &limit);
  if (!st.ok()) return ErrorResponse(st);
  q.before_id = cursor;
  q.limit = static_cast<int>(std::min<std::int64_t>(limit.value_or(50), kMaxJournalLimit));
  if (const std::string* v = request.Query("instrument"); v && !v->empty()) q.instrument = *v;
  if (const std::string* v = request.Query("kind"); v && !v->empty()) {
    q.kind = ParseEntryKind(*v);
    if (!q.kind) return ErrorResponse(Status::Invalid("invalid_field", "unknown entry kind '" + *v + "'", "kind"));
  }
  for (const char* name : {"from", "to"}) {
    if (const std::string* v = request.Query(name); v && !v->empty()) {
      auto t = ParseTimestamp(*v);
      if (!t) {
        return ErrorResponse(Status::Invalid("invalid_field", std::string(name) + " must be an RFC 3339 time or a date", name));
      }
      (std::string(name) == "from" ? q.from_us : q.to_us) = t;
    }
  }
  if (q.account_id) {
    Account account;
    Organization owner;
    st = VisibleAccount(principal, *q.account_id, &account, &owner);
    if (!st.ok()) return ErrorResponse(st);
  }
  switch (principal.role()) {
    case Role::kRegulator:
    case Role::kExchange:
      break;
    case Role::kRegion:
      q.visible_region = principal.org && principal.org->region ? *principal.org->region : "-";
      break;
    case Role::kEnterprise:
    case Role::kVerifier:
      q.visible_org_id = principal.org_id().value_or(-1);
      break;
    case Role::kPublic:
      return ErrorResponse(Status::Forbidden("the public role cannot read the journal"));
  }
  std::vector<Entry> entries;
  st = service_->store().QueryJournal(q, &entries);
  if (!st.ok()) return ErrorResponse(st);
  json items = json::array();
  for (const Entry& e : entries) items.push_back(EntryJson(e));
  json next = nullptr;
  if (static_cast<int>(entries.size()) == q.limit && !entries.empty()) next = std::to_string(entries.back().id);
  return JsonResponse(200, {{"items", items}, {"next_cursor", next}});
}

HttpResponse Api::JournalEntry(const HttpRequest& request, const std::string& id_text) {
  Principal principal;
  Status st = Authenticate(request, &principal);
  std::int64_t id = 0;
  if (st.ok()) st = IdParam(id_text, "entry", &id);
  Entry entry;
  if (st.ok()) st = service_->store().GetEntry(id, &entry);
  if (st.ok() && principal.role() == Role::kPublic) st = Status::Forbidden("the public role cannot read the journal");
  if (st.ok() && !CanSeeAllAccounts(principal)) {
    bool visible = false;
    for (const Posting& p : entry.postings) {
      Account account;
      Organization owner;
      if (VisibleAccount(principal, p.account_id, &account, &owner).ok()) visible = true;
    }
    if (!visible) st = Status::NotFound("entry " + id_text + " does not exist or is not visible to you");
  }
  if (!st.ok()) return ErrorResponse(st);
  return JsonResponse(200, EntryJson(entry));
}

HttpResponse Api::Verify(const HttpRequest& request) {
  Principal principal;
  Status st = Authenticate(request, &principal);
  if (st.ok()) st = RequireRole(principal, {Role::kRegulator}, "verify the journal");
  if (!st.ok()) return ErrorResponse(st);
  VerifyReport report;
  st = VerifyStore(service_->store(), &report);
  if (!st.ok()) return ErrorResponse(st);
  return JsonResponse(200, ToJson(report));
}

HttpResponse Api::Supply(const HttpRequest& request) {
  Principal principal;
  Status st = Authenticate(request, &principal);
  std::vector<SupplyRow> rows;
  if (st.ok()) st = service_->store().Supply(&rows);
  if (!st.ok()) return ErrorResponse(st);
  json items = json::array();
  for (const SupplyRow& r : rows) {
    items.push_back({{"instrument", r.instrument},
                     {"family", r.family},
                     {"issued", r.issued},
                     {"retired", r.retired},
                     {"cancelled", r.cancelled},
                     {"outstanding", r.outstanding}});
  }
  return JsonResponse(200, {{"items", items}});
}

HttpResponse Api::Activity(const HttpRequest& request) {
  Principal principal;
  Status st = Authenticate(request, &principal);
  std::optional<std::int64_t> days;
  if (st.ok()) st = QueryId(request, "days", &days);
  if (!st.ok()) return ErrorResponse(st);
  std::int64_t span = std::min<std::int64_t>(days.value_or(30), 3660);
  time_us since = (service_->clock().NowMicros() / kMicrosPerDay - span + 1) * kMicrosPerDay;
  std::vector<ActivityRow> rows;
  st = service_->store().Activity(since, &rows);
  if (!st.ok()) return ErrorResponse(st);
  json items = json::array();
  for (const ActivityRow& r : rows) items.push_back({{"date", r.date}, {"kind", ToString(r.kind)}, {"count", r.count}});
  return JsonResponse(200, {{"items", items}});
}

std::string Api::OpenApiDocument() const {
  json paths = json::object();
  for (const Route& route : routes_) {
    std::string method = route.method;
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    json op = {{"summary", route.summary},
               {"responses",
                {{"200", {{"description", "OK"}}},
                 {"4XX", {{"description", "Error: {\"error\":{\"code\",\"message\",\"field\"}}"}}}}}};
    json parameters = json::array();
    for (const std::string& segment : route.segments) {
      if (segment.front() == '{') {
        parameters.push_back({{"name", segment.substr(1, segment.size() - 2)},
                              {"in", "path"},
                              {"required", true},
                              {"schema", {{"type", "string"}}}});
      }
    }
    if (route.mutating) {
      parameters.push_back({{"name", "Idempotency-Key"},
                            {"in", "header"},
                            {"required", false},
                            {"schema", {{"type", "string"}, {"maxLength", 128}}}});
      op["requestBody"] = {{"required", true}, {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
    }
    if (!parameters.empty()) op["parameters"] = parameters;
    paths[route.pattern.substr(std::string("/api/v1").size())][method] = op;
  }
  json doc = {{"openapi", "3.0.3"},
              {"info",
               {{"title", "GreenLoop 绿色低碳循环发展管理平台 API"},
                {"version", "1"},
                {"description", "Green-rights registry. Quantities are integers in the instrument's smallest unit. "
                                "See docs/api.md."}}},
              {"servers", json::array({{{"url", "/api/v1"}}})},
              {"components",
               {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}}}},
              {"security", json::array({{{"bearer", json::array()}}})},
              {"paths", paths}};
  return doc.dump(2);
}

}  // namespace greenloop
