// src/store/sql_store.h
//
// The Store over any SqlDriver: all of GreenLoop's SQL in one place, written in the subset that
// SQLite and PostgreSQL share. One connection writes (the service has one writer thread); reads
// borrow a connection from a small pool, so they run beside the writer and see committed data.
#ifndef GREENLOOP_STORE_SQL_STORE_H_
#define GREENLOOP_STORE_SQL_STORE_H_

#include <memory>
#include <mutex>
#include <vector>

#include "store/sql_driver.h"
#include "store/store.h"

namespace greenloop {

class SqlStore : public Store {
 public:
  // Connects the writer at once; readers are connected on first use.
  static Status Open(std::unique_ptr<SqlDriver> driver, std::unique_ptr<Store>* out);

  std::string Kind() const override { return driver_->Dialect(); }
  Status Migrate(std::vector<int>* applied) override;
  Status SchemaVersion(int* version) override;
  Status Commit(const WriteBatch& batch) override;
  Status LoadSnapshot(LedgerSnapshot* out) override;

  Status ListFamilies(std::vector<InstrumentFamily>* out) override;
  Status ListInstruments(const std::optional<std::string>& family, std::vector<Instrument>* out) override;
  Status GetInstrument(const std::string& code, Instrument* out) override;
  Status ListOrganizations(const OrganizationFilter& filter, std::vector<Organization>* out) override;
  Status GetOrganization(OrgId id, Organization* out) override;
  Status FindOrganizationByUscc(const std::string& uscc, Organization* out) override;
  Status ListAccounts(const AccountFilter& filter, std::vector<Account>* out) override;
  Status GetAccount(AccountId id, Account* out) override;
  Status ListHoldings(AccountId account, std::vector<Holding>* out) override;
  Status ScanHoldings(const std::function<void(const Holding&)>& fn) override;
  Status GetEntry(EntryId id, Entry* out) override;
  Status FindReversal(EntryId id, std::optional<EntryId>* reversal) override;
  Status QueryJournal(const JournalQuery& query, std::vector<Entry>* out) override;
  Status ScanJournal(const std::function<void(const Entry&)>& fn) override;
  Status CountEntries(std::int64_t* count) override;
  Status GetUserByName(const std::string& name, User* out) override;
  Status GetUser(UserId id, User* out) override;
  Status ListUsers(std::vector<User>* out) override;
  Status GetToken(const std::string& token_hash, TokenRecord* out) override;
  Status GetIdempotency(UserId user, const std::string& key, IdempotencyRecord* out) override;
  Status Supply(std::vector<SupplyRow>* out) override;
  Status Activity(time_us since_us, std::vector<ActivityRow>* out) override;

  // MRV workflow: sql_store_mrv.cc.
  Status ListFacilities(const FacilityFilter& filter, std::vector<mrv::Facility>* out) override;
  Status GetFacility(std::int64_t id, mrv::Facility* out) override;
  Status ListUnits(std::int64_t facility_id, std::vector<mrv::GeneratingUnit>* out) override;
  Status ListUnitMonths(std::int64_t facility_id, int year, std::vector<mrv::StoredUnitMonth>* out) override;
  Status ListSectorMonths(std::int64_t facility_id, int year, std::vector<mrv::StoredSectorMonth>* out) override;
  Status ListDataVersions(std::int64_t facility_id, int year, std::vector<mrv::DataVersion>* out) override;
  Status ListReports(std::int64_t facility_id, int year, std::vector<mrv::Report>* out) override;
  Status GetCase(std::int64_t facility_id, int year, std::optional<mrv::Case>* out) override;
  Status ListCases(const CaseFilter& filter, std::vector<mrv::Case>* out) override;
  Status ListFindings(std::int64_t facility_id, int year, std::vector<mrv::Finding>* out) override;
  Status ListConflicts(std::vector<mrv::VerifierConflict>* out) override;
  Status GetMrvIds(MrvIds* out) override;
  Status ListAllocations(const CarbonFilter& filter, std::vector<compliance::AllocationRecord>* out) override;
  Status ListSurrenders(const CarbonFilter& filter, std::vector<compliance::SurrenderRecord>* out) override;
  Status ListPenalties(const CarbonFilter& filter, std::vector<compliance::PenaltyRecord>* out) override;
  Status ListReleases(const CarbonFilter& filter, std::vector<compliance::ReleaseRecord>* out) override;

  // Exchange: sql_store_market.cc.
  Status LoadMarket(market::MarketSnapshot* out) override;
  Status ListListings(std::vector<market::Listing>* out) override;
  Status ListEnergyReports(const EnergyReportFilter& filter, std::vector<energy::StoredEnergyReport>* out) override;
  Status GetEnergyReport(std::int64_t id, energy::StoredEnergyReport* out) override;
  Status MaxEnergyReportId(std::int64_t* out) override;
  Status GetListing(const std::string& instrument, market::Listing* out) override;
  Status ListOrders(const market::OrderFilter& filter, std::vector<market::MarketOrder>* out) override;
  Status GetOrder(std::int64_t id, market::MarketOrder* out) override;
  Status ListTrades(const market::TradeFilter& filter, std::vector<market::MarketTrade>* out) override;
  Status ListTradingDays(const std::string& instrument, std::vector<market::TradingDay>* out) override;
  Status ListDayTrades(const std::string& instrument, const std::string& trading_day,
                       std::vector<market::MarketTrade>* out) override;
  Status BookDepth(const std::string& instrument, int levels, std::vector<DepthLevel>* bids,
                   std::vector<DepthLevel>* asks) override;
  Status ListBlocks(const market::BlockFilter& filter, std::vector<market::BlockProposal>* out) override;
  Status GetBlock(std::int64_t id, market::BlockProposal* out) override;
  Status ListAuctions(std::optional<market::AuctionStatus> status, int limit,
                      std::vector<market::AuctionRecord>* out) override;
  Status GetAuction(std::int64_t id, market::AuctionRecord* out) override;
  Status ListBids(std::int64_t auction_id, std::optional<OrgId> org_id, std::vector<market::BidRecord>* out) override;
  Status ListHoldingLimits(std::vector<market::HoldingLimit>* out) override;

 private:
  // A pooled reader connection, returned to the pool when it goes out of scope.
  class Reader {
   public:
    Reader(SqlStore* store, std::unique_ptr<SqlConnection> connection)
        : store_(store), connection_(std::move(connection)) {}
    Reader(Reader&&) = default;
    ~Reader();
    SqlConnection* operator->() { return connection_.get(); }
    SqlConnection& operator*() { return *connection_; }

   private:
    SqlStore* store_;
    std::unique_ptr<SqlConnection> connection_;
  };

  explicit SqlStore(std::unique_ptr<SqlDriver> driver) : driver_(std::move(driver)) {}
  Status Borrow(std::unique_ptr<Reader>* out);
  Status WriteAll(const WriteBatch& batch);
  Status WriteMrv(const MrvBatch& batch);
  Status WriteMarket(const market::MarketBatch& batch);
  Status WriteEnergyReports(const std::vector<energy::StoredEnergyReport>& reports);
  // Blocks, auctions and bids of a batch (sql_store_market_negotiated.cc).
  static Status WriteNegotiated(SqlConnection& db, const market::MarketBatch& batch);

  std::unique_ptr<SqlDriver> driver_;
  std::mutex writer_mutex_;
  std::unique_ptr<SqlConnection> writer_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<SqlConnection>> pool_;
};

// The open blocks, the open auctions and their live bids, for LoadMarket
// (sql_store_market_negotiated.cc).
Status ReadOpenNegotiated(SqlConnection& db, market::MarketSnapshot* out);

}  // namespace greenloop

#endif  // GREENLOOP_STORE_SQL_STORE_H_
