#include "service/operations.h"

#include <nlohmann/json.hpp>

#include "core/assert.h"
#include "core/embedded.h"
#include "core/uscc.h"
#include "service/reference_data.h"

namespace greenloop {
namespace {

std::string RoleList(std::initializer_list<Role> roles) {
  std::string out;
  for (Role r : roles) {
    if (!out.empty()) out += ", ";
    out += ToString(r);
  }
  return out;
}

bool IsSinkKind(AccountKind kind) {
  return kind == AccountKind::kIssuance || kind == AccountKind::kRetirement || kind == AccountKind::kCancellation;
}

// The account a movement takes from, which decides who may ask for it.
AccountId SourceAccount(const Movement& m) { return m.from_account; }

Status AuthorizeMovement(WriteContext& ctx, const Principal& principal, const Movement& m) {
  switch (m.kind) {
    case EntryKind::kIssue:
      return RequireRole(principal, {Role::kRegulator}, "issue");
    case EntryKind::kCancel:
      return RequireRole(principal, {Role::kRegulator}, "cancel holdings");
    case EntryKind::kFreeze:
    case EntryKind::kUnfreeze:
      return RequireRole(principal, {Role::kRegulator, Role::kExchange},
                         m.kind == EntryKind::kFreeze ? "freeze holdings" : "unfreeze holdings");
    case EntryKind::kTransfer:
    case EntryKind::kRetire: {
      GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kRegulator, Role::kEnterprise, Role::kExchange},
                                     m.kind == EntryKind::kTransfer ? "transfer" : "retire"));
      const Account* source = ctx.ledger().FindAccount(SourceAccount(m));
      if (source == nullptr) {
        return Status::NotFound("account " + std::to_string(SourceAccount(m)) + " does not exist",
                                m.kind == EntryKind::kTransfer ? "from_account" : "account");
      }
      return CheckMayMoveFrom(principal, *source);
    }
    default:
      GL_ASSERT(false);
  }
  return Status::OK();
}

}  // namespace

Principal SystemPrincipal() {
  Principal p;
  p.user.id = 0;
  p.user.name = "system";
  p.user.role = Role::kRegulator;
  return p;
}

Status RefusalStatus(LedgerCode code, const LedgerRefusal& refusal) {
  GL_ASSERT(code != LedgerCode::kOk);
  if (code == LedgerCode::kUnknownAccount || code == LedgerCode::kUnknownInstrument) {
    return Status::NotFound(refusal.message, refusal.field);
  }
  if (code == LedgerCode::kInvalidQuantity) {
    return Status::Invalid("invalid_quantity", refusal.message, refusal.field);
  }
  return Status::Refused(std::string(LedgerCodeName(code)), refusal.message, refusal.field);
}

Status RequireRole(const Principal& principal, std::initializer_list<Role> roles, const std::string& what) {
  for (Role r : roles) {
    if (principal.role() == r) return Status::OK();
  }
  return Status::Forbidden("role '" + std::string(ToString(principal.role())) + "' may not " + what + "; allowed: " +
                           RoleList(roles));
}

bool CanSeeAllAccounts(const Principal& principal) {
  return principal.role() == Role::kRegulator || principal.role() == Role::kExchange;
}

bool CanSeeAccount(const Principal& principal, const Account& account, const Organization& owner) {
  GL_ASSERT(account.org_id == owner.id);
  switch (principal.role()) {
    case Role::kRegulator:
    case Role::kExchange:
      return true;
    case Role::kRegion:
      return principal.org && principal.org->region && owner.region && *principal.org->region == *owner.region &&
             !IsSinkKind(account.kind);
    case Role::kEnterprise:
    case Role::kVerifier:
      return principal.org_id() && *principal.org_id() == account.org_id;
    case Role::kPublic:
      return false;
  }
  return false;
}

Status CheckMayMoveFrom(const Principal& principal, const Account& account) {
  if (principal.is_regulator()) return Status::OK();
  if ((principal.role() == Role::kEnterprise || principal.role() == Role::kExchange) && principal.org_id() &&
      *principal.org_id() == account.org_id) {
    return Status::OK();
  }
  return Status::Forbidden("account " + std::to_string(account.id) + " does not belong to your organization");
}

Status ApplyMovement(WriteContext& ctx, const Principal& principal, const Movement& movement, Entry* entry) {
  GL_RETURN_IF_ERROR(AuthorizeMovement(ctx, principal, movement));
  LedgerRefusal refusal;
  LedgerCode code = ctx.ledger().Move(movement, ctx.now(), principal.user.id, entry, &refusal);
  if (code != LedgerCode::kOk) return RefusalStatus(code, refusal);
  ctx.AddEntry(*entry);
  return Status::OK();
}

std::vector<BatchResult> ApplyTransferBatch(WriteContext& ctx, const Principal& principal,
                                            const std::vector<BatchTransfer>& items) {
  std::vector<BatchResult> results(items.size());
  size_t index = 0;
  while (index < items.size()) {
    // A chain runs from index to the first item that is not linked (inclusive).
    size_t end = index;
    while (end < items.size() && items[end].linked) ++end;
    const bool open_chain = end == items.size();
    if (open_chain) end = items.size() - 1;
    const bool chained = end > index || items[index].linked;
    Ledger::Checkpoint checkpoint = ctx.ledger().Mark();
    std::vector<Entry> made;
    size_t failed_at = items.size();
    Status failure;
    if (open_chain && chained) {
      failure = Status::Refused("linked_event_chain_open", "the last transfer of the batch is linked to nothing");
      failed_at = end;
    }
    for (size_t i = index; i <= end && failed_at == items.size(); ++i) {
      Entry entry;
      Status st = AuthorizeMovement(ctx, principal, items[i].movement);
      if (st.ok()) {
        LedgerRefusal refusal;
        LedgerCode code = ctx.ledger().Move(items[i].movement, ctx.now(), principal.user.id, &entry, &refusal);
        if (code != LedgerCode::kOk) st = RefusalStatus(code, refusal);
      }
      if (!st.ok()) {
        failure = st;
        failed_at = i;
        break;
      }
      results[i] = BatchResult{"ok", "", entry.id};
      made.push_back(std::move(entry));
    }
    if (failed_at != items.size()) {
      ctx.ledger().RollbackTo(checkpoint);
      for (size_t i = index; i <= end; ++i) {
        if (i == failed_at) {
          results[i] = BatchResult{failure.code(), failure.message(), 0};
        } else {
          results[i] = BatchResult{"linked_event_failed",
                                   "transfer " + std::to_string(failed_at) + " of the same linked chain failed", 0};
        }
      }
    } else {
      for (Entry& e : made) ctx.AddEntry(std::move(e));
    }
    index = end + 1;
  }
  return results;
}

Status ApplyReversal(WriteContext& ctx, const Principal& principal, EntryId original_id, const std::string& memo,
                     Entry* entry) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kRegulator}, "reverse entries"));
  if (original_id <= 0 || original_id > ctx.ledger().last_entry_id()) {
    return Status::NotFound("entry " + std::to_string(original_id) + " does not exist", "entry_id");
  }
  Entry original;
  GL_RETURN_IF_ERROR(ctx.store().GetEntry(original_id, &original));
  LedgerRefusal refusal;
  LedgerCode code = ctx.ledger().Reverse(original, memo, ctx.now(), principal.user.id, entry, &refusal);
  if (code != LedgerCode::kOk) return RefusalStatus(code, refusal);
  ctx.AddEntry(*entry);
  return Status::OK();
}

Status ApplyExpiry(WriteContext& ctx, const Principal& principal, const std::string& instrument,
                   const std::string& memo, Entry* entry) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kRegulator}, "expire instruments"));
  if (ctx.observer() != nullptr) GL_RETURN_IF_ERROR(ctx.observer()->BeforeInstrumentExpires(ctx, instrument));
  LedgerRefusal refusal;
  LedgerCode code = ctx.ledger().Expire(instrument, memo, ctx.now(), principal.user.id, entry, &refusal);
  if (code != LedgerCode::kOk) return RefusalStatus(code, refusal);
  if (ctx.observer() != nullptr) ctx.observer()->AfterInstrumentExpired(ctx, instrument);
  ctx.AddEntry(*entry);
  const Instrument* expired = ctx.ledger().FindInstrument(instrument);
  GL_ASSERT(expired != nullptr && expired->status == InstrumentStatus::kExpired);
  ctx.PutInstrument(*expired);
  return Status::OK();
}

Status CreateInstrument(WriteContext& ctx, const Principal& principal, Instrument instrument, Instrument* out) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kRegulator}, "create instruments"));
  if (!IsValidInstrumentCode(instrument.code)) {
    return Status::Invalid("invalid_field",
                           "code must be 1-40 characters of A-Z, 0-9 and '-', starting with a letter or digit", "code");
  }
  if (ctx.ledger().FindInstrument(instrument.code) != nullptr) {
    return Status::Conflict("duplicate", "instrument " + instrument.code + " already exists", "code");
  }
  const InstrumentFamily* family = ctx.ledger().FindFamily(instrument.family);
  if (family == nullptr) {
    return Status::Invalid("invalid_field", "family '" + instrument.family + "' is not one of the catalog's families",
                           "family");
  }
  if (instrument.valid_from_days && instrument.valid_to_days && *instrument.valid_to_days < *instrument.valid_from_days) {
    return Status::Invalid("invalid_field", "valid_to is before valid_from", "valid_to");
  }
  if (instrument.region) {
    if (!IsKnownRegionCode(*instrument.region)) {
      return Status::Invalid("invalid_field", "region '" + *instrument.region +
                                                  "' is not Inner Mongolia (150000) or one of its 12 leagues and cities",
                             "region");
    }
  }
  nlohmann::json attributes = nlohmann::json::parse(instrument.attributes_json, nullptr, false);
  if (!attributes.is_object()) return Status::Invalid("invalid_field", "attributes must be a JSON object", "attributes");
  for (const std::string& name : family->required_attributes) {
    if (!attributes.contains(name)) {
      return Status::Invalid("missing_field",
                             "instruments of family " + family->code + " need the attribute '" + name + "'",
                             "attributes." + name);
    }
  }
  instrument.unit = family->unit;
  instrument.scale = family->scale;
  instrument.status = InstrumentStatus::kActive;
  instrument.created_at_us = ctx.now();
  ctx.PutInstrument(instrument);
  ctx.Audit(principal.user.id, "instrument.create", instrument.code, "{}");
  *out = instrument;
  return Status::OK();
}

Status CreateOrganization(WriteContext& ctx, const Principal& principal, Organization org, Organization* out) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kRegulator}, "register organizations"));
  if (org.name_zh.empty()) return Status::Invalid("missing_field", "name_zh is required", "name_zh");
  if (org.kind == OrgKind::kEnterprise && !org.uscc) {
    return Status::Invalid("missing_field", "an enterprise needs its unified social credit code (uscc)", "uscc");
  }
  if (org.uscc) {
    std::string problem = UsccProblem(*org.uscc);
    if (!problem.empty()) return Status::Invalid("invalid_uscc", problem, "uscc");
    if (ctx.UsccTaken(*org.uscc)) {
      return Status::Conflict("duplicate", "an organization with USCC " + *org.uscc + " is already registered", "uscc");
    }
  }
  if (org.region && !IsKnownRegionCode(*org.region)) {
    return Status::Invalid("invalid_field",
                           "region '" + *org.region + "' is not Inner Mongolia (150000) or one of its 12 leagues and cities",
                           "region");
  }
  org.id = ctx.NextOrgId();
  org.created_at_us = ctx.now();
  ctx.PutOrganization(org);
  ctx.Audit(principal.user.id, "organization.create", std::to_string(org.id), "{}");
  *out = org;
  return Status::OK();
}

Status CreateAccount(WriteContext& ctx, const Principal& principal, OrgId org_id, AccountKind kind,
                     const std::string& name, Account* out) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kRegulator}, "open accounts"));
  if (IsSinkKind(kind) && principal.user.id != 0) {
    return Status::Invalid("invalid_field",
                           "issuance, retirement and cancellation accounts belong to the registry and exist once", "kind");
  }
  Organization org;
  Status st = ctx.store().GetOrganization(org_id, &org);
  bool created_in_group = false;
  (void)created_in_group;
  if (st.IsNotFound()) {
    // It may have been registered earlier in the same commit group.
    created_in_group = ctx.OrgAllocated(org_id);
    if (!created_in_group) return Status::NotFound("organization " + std::to_string(org_id) + " does not exist", "org_id");
  } else {
    GL_RETURN_IF_ERROR(st);
  }
  if (name.empty()) return Status::Invalid("missing_field", "name is required", "name");
  Account account;
  account.id = ctx.NextAccountId();
  account.org_id = org_id;
  account.kind = kind;
  account.name = name;
  account.status = AccountStatus::kOpen;
  account.created_at_us = ctx.now();
  account.status_changed_at_us = ctx.now();
  ctx.PutAccount(account);
  ctx.Audit(principal.user.id, "account.create", std::to_string(account.id), "{}");
  *out = account;
  return Status::OK();
}

Status ChangeAccountStatus(WriteContext& ctx, const Principal& principal, AccountId id, AccountStatus status,
                           Account* out) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kRegulator}, "change account status"));
  // A frozen or closed account cannot trade: the exchange withdraws its open orders and gives
  // back what they kept frozen, in the same commit as the status change.
  const bool stops = status != AccountStatus::kOpen && ctx.observer() != nullptr;
  if (stops) GL_RETURN_IF_ERROR(ctx.observer()->BeforeAccountStops(ctx, id));
  LedgerRefusal refusal;
  LedgerCode code = ctx.ledger().SetAccountStatus(id, status, ctx.now(), &refusal);
  if (code != LedgerCode::kOk) return RefusalStatus(code, refusal);
  if (stops) ctx.observer()->AfterAccountStopped(ctx, id);
  const Account* account = ctx.ledger().FindAccount(id);
  GL_ASSERT(account != nullptr && account->status == status);
  ctx.RecordAccount(*account);
  ctx.Audit(principal.user.id, "account.status", std::to_string(id),
            nlohmann::json{{"status", ToString(status)}}.dump());
  *out = *account;
  return Status::OK();
}

Status CreateUser(WriteContext& ctx, const std::string& name, const std::string& display_name, Role role,
                  std::optional<OrgId> org_id, const std::string& password_hash, User* out) {
  if (name.empty() || name.size() > 64) return Status::Invalid("invalid_field", "a user name has 1-64 characters", "name");
  if (ctx.UserNameTaken(name)) return Status::Conflict("duplicate", "user '" + name + "' already exists", "name");
  bool needs_org = role == Role::kRegion || role == Role::kEnterprise || role == Role::kVerifier ||
                   role == Role::kExchange;
  if (needs_org && !org_id) {
    return Status::Invalid("missing_field", "role " + std::string(ToString(role)) + " needs an organization", "org");
  }
  if (org_id) {
    Organization org;
    Status st = ctx.store().GetOrganization(*org_id, &org);
    if (!st.ok() && !(st.IsNotFound() && ctx.OrgAllocated(*org_id))) return st;
  }
  User user;
  user.id = ctx.NextUserId();
  user.name = name;
  user.display_name = display_name.empty() ? name : display_name;
  user.role = role;
  user.org_id = org_id;
  user.password_hash = password_hash;
  user.created_at_us = ctx.now();
  ctx.PutUser(user);
  *out = user;
  return Status::OK();
}

Status Bootstrap(WriteContext& ctx) {
  if (ctx.ledger().system_accounts().issuance != 0) return Status::OK();
  ReferenceData reference;
  GL_RETURN_IF_ERROR(LoadReferenceData(&reference));
  for (const InstrumentFamily& family : reference.families) {
    if (ctx.ledger().FindFamily(family.code) == nullptr) ctx.PutFamily(family);
  }
  for (const Instrument& instrument : reference.instruments) {
    if (ctx.ledger().FindInstrument(instrument.code) != nullptr) continue;
    Instrument created = instrument;
    created.created_at_us = ctx.now();
    const InstrumentFamily* family = ctx.ledger().FindFamily(instrument.family);
    GL_ASSERT(family != nullptr);
    created.unit = family->unit;
    created.scale = family->scale;
    ctx.PutInstrument(created);
  }
  Principal system = SystemPrincipal();
  for (const Organization& region : reference.regions) {
    Organization created;
    GL_RETURN_IF_ERROR(CreateOrganization(ctx, system, region, &created));
  }
  Organization operator_org;
  operator_org.kind = OrgKind::kGovernment;
  operator_org.name_zh = "绿色权属登记簿（系统账户）";
  operator_org.name_en = "Green rights registry (system accounts)";
  operator_org.region = "150000";
  GL_RETURN_IF_ERROR(CreateOrganization(ctx, system, operator_org, &operator_org));
  SystemAccounts accounts;
  Account account;
  GL_RETURN_IF_ERROR(CreateAccount(ctx, system, operator_org.id, AccountKind::kIssuance, "发行账户 Issuance", &account));
  accounts.issuance = account.id;
  GL_RETURN_IF_ERROR(
      CreateAccount(ctx, system, operator_org.id, AccountKind::kRetirement, "注销（清缴）账户 Retirement", &account));
  accounts.retirement = account.id;
  GL_RETURN_IF_ERROR(
      CreateAccount(ctx, system, operator_org.id, AccountKind::kCancellation, "作废账户 Cancellation", &account));
  accounts.cancellation = account.id;
  ctx.ledger().SetSystemAccounts(accounts);
  return Status::OK();
}

}  // namespace greenloop
