// src/service/operations.h
//
// The registry's operations as a caller may ask for them: each checks the caller's role and
// ownership, validates what the ledger cannot (names, codes, references), applies the change to
// the ledger through the WriteContext, and adds the rows to persist. They run inside a job on the
// writer thread (RegistryService::Execute); on an error status the service rolls the job back.
#ifndef GREENLOOP_SERVICE_OPERATIONS_H_
#define GREENLOOP_SERVICE_OPERATIONS_H_

#include <string>
#include <vector>

#include "service/registry_service.h"

namespace greenloop {

// Turns a ledger refusal into the Status the API reports.
Status RefusalStatus(LedgerCode code, const LedgerRefusal& refusal);

// Role and owner checks shared by reads and writes.
bool CanSeeAllAccounts(const Principal& principal);
bool CanSeeAccount(const Principal& principal, const Account& account, const Organization& owner);
Status CheckMayMoveFrom(const Principal& principal, const Account& account);
Status RequireRole(const Principal& principal, std::initializer_list<Role> roles, const std::string& what);

// One movement (issue, transfer, freeze, unfreeze, retire, cancel) with its authorization.
Status ApplyMovement(WriteContext& ctx, const Principal& principal, const Movement& movement, Entry* entry);

struct BatchTransfer {
  Movement movement;
  bool linked = false;
};
struct BatchResult {
  std::string result;  // "ok" or an error code
  std::string message;
  EntryId entry_id = 0;
};
// TigerBeetle's semantics: each item stands alone unless linked to the next; a linked chain is
// applied all or nothing.
std::vector<BatchResult> ApplyTransferBatch(WriteContext& ctx, const Principal& principal,
                                            const std::vector<BatchTransfer>& items);

Status ApplyReversal(WriteContext& ctx, const Principal& principal, EntryId original, const std::string& memo,
                     Entry* entry);
Status ApplyExpiry(WriteContext& ctx, const Principal& principal, const std::string& instrument,
                   const std::string& memo, Entry* entry);

Status CreateInstrument(WriteContext& ctx, const Principal& principal, Instrument instrument, Instrument* out);
Status CreateOrganization(WriteContext& ctx, const Principal& principal, Organization org, Organization* out);
Status CreateAccount(WriteContext& ctx, const Principal& principal, OrgId org_id, AccountKind kind,
                     const std::string& name, Account* out);
Status ChangeAccountStatus(WriteContext& ctx, const Principal& principal, AccountId id, AccountStatus status,
                           Account* out);
// Users are created by operators from the command line, not over the API.
Status CreateUser(WriteContext& ctx, const std::string& name, const std::string& display_name, Role role,
                  std::optional<OrgId> org_id, const std::string& password_hash, User* out);

// Creates what every registry needs once: instrument families, the leagues and cities as
// organizations, the registry operator and its issuance, retirement and cancellation accounts.
// Does nothing when they exist.
Status Bootstrap(WriteContext& ctx);

// A principal that stands for the system itself (bootstrap, demo loading).
Principal SystemPrincipal();

}  // namespace greenloop

#endif  // GREENLOOP_SERVICE_OPERATIONS_H_
