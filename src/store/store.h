// src/store/store.h
//
// The one storage interface of GreenLoop, with two implementations: SQLite (embedded default)
// and PostgreSQL. Writes arrive as a WriteBatch that commits in one transaction and is durable
// (fsync) before Commit returns; reads see only committed data. Implementations translate their
// library's errors into Status and never throw.
//
// Thread safety: Commit is called by one writer thread at a time; read methods may be called
// from any number of threads concurrently.
#ifndef GREENLOOP_STORE_STORE_H_
#define GREENLOOP_STORE_STORE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "compliance/records.h"
#include "market/records.h"
#include "energy/records.h"
#include "mrv/records.h"
#include "registry/model.h"

namespace greenloop {

enum class Role : std::uint8_t { kRegulator, kRegion, kEnterprise, kVerifier, kExchange, kPublic };
std::string_view ToString(Role role);
std::optional<Role> ParseRole(std::string_view s);

struct User {
  UserId id = 0;
  std::string name;
  std::string display_name;
  Role role = Role::kPublic;
  std::optional<OrgId> org_id;
  std::string password_hash;
  time_us created_at_us = 0;
};

struct TokenRecord {
  std::string token_hash;  // SHA-256 hex of the bearer token; the token itself is never stored
  UserId user_id = 0;
  time_us expires_at_us = 0;
};

struct IdempotencyRecord {
  UserId user_id = 0;
  std::string key;
  std::string request_hash;
  int http_status = 0;
  std::string response_body;
  time_us created_at_us = 0;
};

struct AuditEvent {
  time_us at_us = 0;
  UserId user_id = 0;
  std::string action;  // "account.status", "organization.create", ...
  std::string target;
  std::string details_json;
};

// MRV workflow rows of a commit. Unit-months replace the stored month (its fuel rows too).
struct MrvBatch {
  std::vector<mrv::Facility> facilities;
  std::vector<std::pair<std::int64_t, mrv::GeneratingUnit>> units;  // facility id, unit
  std::vector<mrv::StoredUnitMonth> unit_months;
  std::vector<mrv::StoredSectorMonth> sector_months;
  std::vector<mrv::DataVersion> data_versions;
  std::vector<mrv::Report> reports;
  std::vector<mrv::Case> cases;
  std::vector<mrv::Finding> findings;
  std::vector<mrv::VerifierConflict> conflicts;
  std::vector<compliance::AllocationRecord> allocations;
  std::vector<compliance::SurrenderRecord> surrenders;
  std::vector<compliance::PenaltyRecord> penalties;
  std::vector<compliance::ReleaseRecord> releases;

  bool empty() const {
    return facilities.empty() && units.empty() && unit_months.empty() && sector_months.empty() && data_versions.empty() && reports.empty() &&
           cases.empty() && findings.empty() && conflicts.empty() && allocations.empty() && surrenders.empty() &&
           penalties.empty() && releases.empty();
  }
};

struct FacilityFilter {
  std::optional<OrgId> org_id;
  std::optional<std::string> region;
  std::optional<mrv::Sector> sector;
};

struct CaseFilter {
  std::optional<int> year;
  std::optional<mrv::CaseStatus> status;
  std::optional<OrgId> verifier_org_id;
  std::optional<OrgId> org_id;          // the facility's owner
  std::optional<std::string> region;    // the facility's region
};

// The highest ids in use, so that new rows continue them.
struct MrvIds {
  std::int64_t facility = 0;
  std::int64_t finding = 0;
  std::int64_t data_version = 0;
  std::int64_t allocation = 0;
  std::int64_t surrender = 0;
  std::int64_t penalty = 0;
  std::int64_t release = 0;
};

// Carbon market records of a year, optionally of one organization.
struct CarbonFilter {
  std::optional<int> year;
  std::optional<OrgId> org_id;
};

// Monthly energy reports (energy/records.h): the latest revision of each month unless
// all_revisions; region: reports of organizations in that league or city.
struct EnergyReportFilter {
  std::optional<OrgId> org_id;
  std::optional<std::string> region;
  std::optional<int> year;
  std::optional<int> month;
  bool all_revisions = false;
};

// Everything one commit writes. Entries must continue the stored chain; holdings are their
// new absolute values; records with an id that exists replace it (accounts, instruments).
struct WriteBatch {
  std::vector<Entry> entries;
  std::vector<Holding> holdings;
  std::vector<InstrumentFamily> families;
  std::vector<Instrument> instruments;
  std::vector<Organization> organizations;
  std::vector<Account> accounts;
  std::vector<User> users;
  std::vector<TokenRecord> tokens;
  std::vector<IdempotencyRecord> idempotency;
  std::vector<AuditEvent> audit;
  MrvBatch mrv;
  market::MarketBatch market;
  std::vector<energy::StoredEnergyReport> energy_reports;  // written by exclusive jobs only

  bool empty() const {
    return entries.empty() && holdings.empty() && families.empty() && instruments.empty() &&
           organizations.empty() && accounts.empty() && users.empty() && tokens.empty() && idempotency.empty() &&
           audit.empty() && mrv.empty() && market.empty() && energy_reports.empty();
  }
  void Clear() { *this = WriteBatch(); }
};

struct OrganizationFilter {
  std::optional<OrgKind> kind;
  std::optional<std::string> region;
};

struct AccountFilter {
  std::optional<OrgId> org_id;
  std::optional<AccountKind> kind;
  std::optional<std::string> region;  // accounts of organizations in this region
};

struct JournalQuery {
  std::optional<AccountId> account_id;
  std::optional<std::string> instrument;
  std::optional<EntryKind> kind;
  std::optional<time_us> from_us;  // inclusive
  std::optional<time_us> to_us;    // exclusive
  std::optional<EntryId> before_id;  // cursor: entries with smaller ids
  // Visibility: only entries that touch an account of this organization / region.
  std::optional<OrgId> visible_org_id;
  std::optional<std::string> visible_region;
  int limit = 50;
};

struct SupplyRow {
  std::string instrument;
  std::string family;
  quantity_t issued = 0;     // minus the issuance account's balance
  quantity_t retired = 0;
  quantity_t cancelled = 0;
  quantity_t outstanding = 0;  // held in holding, reserve and clearing accounts
};

struct ActivityRow {
  std::string date;
  EntryKind kind = EntryKind::kTransfer;
  std::int64_t count = 0;
};

// What the ledger engine needs at start.
struct LedgerSnapshot {
  std::vector<InstrumentFamily> families;
  std::vector<Instrument> instruments;
  std::vector<Account> accounts;
  std::vector<Holding> holdings;
  std::vector<EntryId> reversed_entries;
  EntryId last_entry_id = 0;
  std::string last_hash;
  OrgId max_org_id = 0;
  UserId max_user_id = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // "sqlite" or "postgresql".
  virtual std::string Kind() const = 0;
  // Applies the numbered migrations not yet applied; reports the versions it ran.
  virtual Status Migrate(std::vector<int>* applied) = 0;
  virtual Status SchemaVersion(int* version) = 0;

  virtual Status Commit(const WriteBatch& batch) = 0;
  virtual Status LoadSnapshot(LedgerSnapshot* out) = 0;

  virtual Status ListFamilies(std::vector<InstrumentFamily>* out) = 0;
  virtual Status ListInstruments(const std::optional<std::string>& family, std::vector<Instrument>* out) = 0;
  virtual Status GetInstrument(const std::string& code, Instrument* out) = 0;
  virtual Status ListOrganizations(const OrganizationFilter& filter, std::vector<Organization>* out) = 0;
  virtual Status GetOrganization(OrgId id, Organization* out) = 0;
  virtual Status FindOrganizationByUscc(const std::string& uscc, Organization* out) = 0;
  virtual Status ListAccounts(const AccountFilter& filter, std::vector<Account>* out) = 0;
  virtual Status GetAccount(AccountId id, Account* out) = 0;
  virtual Status ListHoldings(AccountId account, std::vector<Holding>* out) = 0;
  virtual Status ScanHoldings(const std::function<void(const Holding&)>& fn) = 0;
  virtual Status GetEntry(EntryId id, Entry* out) = 0;
  // The entry that reverses `id`, if any.
  virtual Status FindReversal(EntryId id, std::optional<EntryId>* reversal) = 0;
  virtual Status QueryJournal(const JournalQuery& query, std::vector<Entry>* out) = 0;
  // Every entry in id order, with postings, in pages so memory stays bounded.
  virtual Status ScanJournal(const std::function<void(const Entry&)>& fn) = 0;
  virtual Status CountEntries(std::int64_t* count) = 0;
  virtual Status GetUserByName(const std::string& name, User* out) = 0;
  virtual Status GetUser(UserId id, User* out) = 0;
  virtual Status ListUsers(std::vector<User>* out) = 0;
  virtual Status GetToken(const std::string& token_hash, TokenRecord* out) = 0;
  virtual Status GetIdempotency(UserId user, const std::string& key, IdempotencyRecord* out) = 0;
  virtual Status Supply(std::vector<SupplyRow>* out) = 0;
  virtual Status Activity(time_us since_us, std::vector<ActivityRow>* out) = 0;

  // MRV workflow (mrv/records.h).
  virtual Status ListFacilities(const FacilityFilter& filter, std::vector<mrv::Facility>* out) = 0;
  virtual Status GetFacility(std::int64_t id, mrv::Facility* out) = 0;
  virtual Status ListUnits(std::int64_t facility_id, std::vector<mrv::GeneratingUnit>* out) = 0;
  // The current unit-months of a facility-year with their fuels, by unit and month.
  virtual Status ListUnitMonths(std::int64_t facility_id, int year, std::vector<mrv::StoredUnitMonth>* out) = 0;
  // The current months of an industrial facility-year, by month.
  virtual Status ListSectorMonths(std::int64_t facility_id, int year, std::vector<mrv::StoredSectorMonth>* out) = 0;
  virtual Status ListDataVersions(std::int64_t facility_id, int year, std::vector<mrv::DataVersion>* out) = 0;
  virtual Status ListReports(std::int64_t facility_id, int year, std::vector<mrv::Report>* out) = 0;
  virtual Status GetCase(std::int64_t facility_id, int year, std::optional<mrv::Case>* out) = 0;
  virtual Status ListCases(const CaseFilter& filter, std::vector<mrv::Case>* out) = 0;
  virtual Status ListFindings(std::int64_t facility_id, int year, std::vector<mrv::Finding>* out) = 0;
  virtual Status ListConflicts(std::vector<mrv::VerifierConflict>* out) = 0;
  virtual Status GetMrvIds(MrvIds* out) = 0;
  virtual Status ListAllocations(const CarbonFilter& filter, std::vector<compliance::AllocationRecord>* out) = 0;
  virtual Status ListSurrenders(const CarbonFilter& filter, std::vector<compliance::SurrenderRecord>* out) = 0;
  virtual Status ListPenalties(const CarbonFilter& filter, std::vector<compliance::PenaltyRecord>* out) = 0;
  virtual Status ListReleases(const CarbonFilter& filter, std::vector<compliance::ReleaseRecord>* out) = 0;

  // Exchange (market/records.h).
  // What the exchange rebuilds itself from at start (see MarketSnapshot), read in one snapshot.
  virtual Status LoadMarket(market::MarketSnapshot* out) = 0;
  // Every listing, by instrument.
  virtual Status ListListings(std::vector<market::Listing>* out) = 0;
  // Energy reports (energy/records.h), newest month first, then organization, then revision.
  virtual Status ListEnergyReports(const EnergyReportFilter& filter, std::vector<energy::StoredEnergyReport>* out) = 0;
  virtual Status GetEnergyReport(std::int64_t id, energy::StoredEnergyReport* out) = 0;
  virtual Status MaxEnergyReportId(std::int64_t* out) = 0;
  virtual Status GetListing(const std::string& instrument, market::Listing* out) = 0;
  // Orders matching the filter, newest (largest id) first; filter.limit in 1..1000.
  virtual Status ListOrders(const market::OrderFilter& filter, std::vector<market::MarketOrder>* out) = 0;
  virtual Status GetOrder(std::int64_t id, market::MarketOrder* out) = 0;
  // Trades matching the filter, newest first; filter.limit in 1..1000.
  virtual Status ListTrades(const market::TradeFilter& filter, std::vector<market::MarketTrade>* out) = 0;
  // All the trades of an instrument's day in id (time) order, for market data.
  // Every trading day of a listing, oldest first.
  virtual Status ListTradingDays(const std::string& instrument, std::vector<market::TradingDay>* out) = 0;
  virtual Status ListDayTrades(const std::string& instrument, const std::string& trading_day,
                               std::vector<market::MarketTrade>* out) = 0;
  // The stored book of an instrument: its open orders summed by price, at most `levels` prices
  // per side, bids highest first and asks lowest first (none when levels <= 0).
  virtual Status BookDepth(const std::string& instrument, int levels, std::vector<DepthLevel>* bids,
                           std::vector<DepthLevel>* asks) = 0;
  // Block proposals matching the filter, newest first; filter.limit in 1..1000.
  virtual Status ListBlocks(const market::BlockFilter& filter, std::vector<market::BlockProposal>* out) = 0;
  virtual Status GetBlock(std::int64_t id, market::BlockProposal* out) = 0;
  // Auctions, newest first, optionally of one status; at most `limit` (1..1000).
  virtual Status ListAuctions(std::optional<market::AuctionStatus> status, int limit,
                              std::vector<market::AuctionRecord>* out) = 0;
  virtual Status GetAuction(std::int64_t id, market::AuctionRecord* out) = 0;
  // The bids of an auction (of one organization when org_id is set), by organization.
  virtual Status ListBids(std::int64_t auction_id, std::optional<OrgId> org_id, std::vector<market::BidRecord>* out) = 0;
  // Every holding limit, by instrument and account (0: the default of the instrument).
  virtual Status ListHoldingLimits(std::vector<market::HoldingLimit>* out) = 0;
};

// Opens the store named by a URL: "sqlite:PATH" (or a path ending in .db) or "postgresql://…".
Status OpenStore(const std::string& url, std::unique_ptr<Store>* out);

}  // namespace greenloop

#endif  // GREENLOOP_STORE_STORE_H_
