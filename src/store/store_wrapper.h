// src/store/store_wrapper.h
//
// A Store that forwards every call to another one, as LevelDB's EnvWrapper does for Env: a
// subclass overrides only what it changes (a benchmark timing Commit, a test failing it).
#ifndef GREENLOOP_STORE_STORE_WRAPPER_H_
#define GREENLOOP_STORE_STORE_WRAPPER_H_

#include "store/store.h"

namespace greenloop {

class StoreWrapper : public Store {
 public:
  // `target` must outlive the wrapper.
  explicit StoreWrapper(Store* target) : target_(target) {}
  Store* target() const { return target_; }

  std::string Kind() const override { return target_->Kind(); }
  Status Migrate(std::vector<int>* applied) override { return target_->Migrate(applied); }
  Status SchemaVersion(int* version) override { return target_->SchemaVersion(version); }
  Status Commit(const WriteBatch& batch) override { return target_->Commit(batch); }
  Status LoadSnapshot(LedgerSnapshot* out) override { return target_->LoadSnapshot(out); }
  Status ListFamilies(std::vector<InstrumentFamily>* out) override { return target_->ListFamilies(out); }
  Status ListInstruments(const std::optional<std::string>& family, std::vector<Instrument>* out) override {
    return target_->ListInstruments(family, out);
  }
  Status GetInstrument(const std::string& code, Instrument* out) override { return target_->GetInstrument(code, out); }
  Status ListOrganizations(const OrganizationFilter& filter, std::vector<Organization>* out) override {
    return target_->ListOrganizations(filter, out);
  }
  Status GetOrganization(OrgId id, Organization* out) override { return target_->GetOrganization(id, out); }
  Status FindOrganizationByUscc(const std::string& uscc, Organization* out) override {
    return target_->FindOrganizationByUscc(uscc, out);
  }
  Status ListAccounts(const AccountFilter& filter, std::vector<Account>* out) override {
    return target_->ListAccounts(filter, out);
  }
  Status GetAccount(AccountId id, Account* out) override { return target_->GetAccount(id, out); }
  Status ListHoldings(AccountId account, std::vector<Holding>* out) override {
    return target_->ListHoldings(account, out);
  }
  Status ScanHoldings(const std::function<void(const Holding&)>& fn) override { return target_->ScanHoldings(fn); }
  Status GetEntry(EntryId id, Entry* out) override { return target_->GetEntry(id, out); }
  Status FindReversal(EntryId id, std::optional<EntryId>* reversal) override {
    return target_->FindReversal(id, reversal);
  }
  Status QueryJournal(const JournalQuery& query, std::vector<Entry>* out) override {
    return target_->QueryJournal(query, out);
  }
  Status ScanJournal(const std::function<void(const Entry&)>& fn) override { return target_->ScanJournal(fn); }
  Status CountEntries(std::int64_t* count) override { return target_->CountEntries(count); }
  Status GetUserByName(const std::string& name, User* out) override { return target_->GetUserByName(name, out); }
  Status GetUser(UserId id, User* out) override { return target_->GetUser(id, out); }
  Status ListUsers(std::vector<User>* out) override { return target_->ListUsers(out); }
  Status GetToken(const std::string& token_hash, TokenRecord* out) override {
    return target_->GetToken(token_hash, out);
  }
  Status GetIdempotency(UserId user, const std::string& key, IdempotencyRecord* out) override {
    return target_->GetIdempotency(user, key, out);
  }
  Status Supply(std::vector<SupplyRow>* out) override { return target_->Supply(out); }
  Status Activity(time_us since_us, std::vector<ActivityRow>* out) override { return target_->Activity(since_us, out); }

  Status ListFacilities(const FacilityFilter& filter, std::vector<mrv::Facility>* out) override {
    return target_->ListFacilities(filter, out);
  }
  Status GetFacility(std::int64_t id, mrv::Facility* out) override { return target_->GetFacility(id, out); }
  Status ListUnits(std::int64_t facility_id, std::vector<mrv::GeneratingUnit>* out) override {
    return target_->ListUnits(facility_id, out);
  }
  Status ListUnitMonths(std::int64_t facility_id, int year, std::vector<mrv::StoredUnitMonth>* out) override {
    return target_->ListUnitMonths(facility_id, year, out);
  }
  Status ListSectorMonths(std::int64_t facility_id, int year, std::vector<mrv::StoredSectorMonth>* out) override {
    return target_->ListSectorMonths(facility_id, year, out);
  }
  Status ListDataVersions(std::int64_t facility_id, int year, std::vector<mrv::DataVersion>* out) override {
    return target_->ListDataVersions(facility_id, year, out);
  }
  Status ListReports(std::int64_t facility_id, int year, std::vector<mrv::Report>* out) override {
    return target_->ListReports(facility_id, year, out);
  }
  Status GetCase(std::int64_t facility_id, int year, std::optional<mrv::Case>* out) override {
    return target_->GetCase(facility_id, year, out);
  }
  Status ListCases(const CaseFilter& filter, std::vector<mrv::Case>* out) override { return target_->ListCases(filter, out); }
  Status ListFindings(std::int64_t facility_id, int year, std::vector<mrv::Finding>* out) override {
    return target_->ListFindings(facility_id, year, out);
  }
  Status ListConflicts(std::vector<mrv::VerifierConflict>* out) override { return target_->ListConflicts(out); }
  Status GetMrvIds(MrvIds* out) override { return target_->GetMrvIds(out); }
  Status ListAllocations(const CarbonFilter& filter, std::vector<compliance::AllocationRecord>* out) override {
    return target_->ListAllocations(filter, out);
  }
  Status ListSurrenders(const CarbonFilter& filter, std::vector<compliance::SurrenderRecord>* out) override {
    return target_->ListSurrenders(filter, out);
  }
  Status ListPenalties(const CarbonFilter& filter, std::vector<compliance::PenaltyRecord>* out) override {
    return target_->ListPenalties(filter, out);
  }
  Status ListReleases(const CarbonFilter& filter, std::vector<compliance::ReleaseRecord>* out) override {
    return target_->ListReleases(filter, out);
  }
  Status LoadMarket(market::MarketSnapshot* out) override { return target_->LoadMarket(out); }
  Status ListListings(std::vector<market::Listing>* out) override { return target_->ListListings(out); }
  Status ListEnergyReports(const EnergyReportFilter& filter, std::vector<energy::StoredEnergyReport>* out) override {
    return target_->ListEnergyReports(filter, out);
  }
  Status GetEnergyReport(std::int64_t id, energy::StoredEnergyReport* out) override {
    return target_->GetEnergyReport(id, out);
  }
  Status MaxEnergyReportId(std::int64_t* out) override { return target_->MaxEnergyReportId(out); }
  Status GetListing(const std::string& instrument, market::Listing* out) override {
    return target_->GetListing(instrument, out);
  }
  Status ListOrders(const market::OrderFilter& filter, std::vector<market::MarketOrder>* out) override {
    return target_->ListOrders(filter, out);
  }
  Status GetOrder(std::int64_t id, market::MarketOrder* out) override { return target_->GetOrder(id, out); }
  Status ListTrades(const market::TradeFilter& filter, std::vector<market::MarketTrade>* out) override {
    return target_->ListTrades(filter, out);
  }
  Status ListTradingDays(const std::string& instrument, std::vector<market::TradingDay>* out) override {
    return target_->ListTradingDays(instrument, out);
  }
  Status ListDayTrades(const std::string& instrument, const std::string& trading_day,
                       std::vector<market::MarketTrade>* out) override {
    return target_->ListDayTrades(instrument, trading_day, out);
  }
  Status BookDepth(const std::string& instrument, int levels, std::vector<DepthLevel>* bids,
                   std::vector<DepthLevel>* asks) override {
    return target_->BookDepth(instrument, levels, bids, asks);
  }
  Status ListBlocks(const market::BlockFilter& filter, std::vector<market::BlockProposal>* out) override {
    return target_->ListBlocks(filter, out);
  }
  Status GetBlock(std::int64_t id, market::BlockProposal* out) override { return target_->GetBlock(id, out); }
  Status ListAuctions(std::optional<market::AuctionStatus> status, int limit,
                      std::vector<market::AuctionRecord>* out) override {
    return target_->ListAuctions(status, limit, out);
  }
  Status GetAuction(std::int64_t id, market::AuctionRecord* out) override { return target_->GetAuction(id, out); }
  Status ListBids(std::int64_t auction_id, std::optional<OrgId> org_id, std::vector<market::BidRecord>* out) override {
    return target_->ListBids(auction_id, org_id, out);
  }
  Status ListHoldingLimits(std::vector<market::HoldingLimit>* out) override { return target_->ListHoldingLimits(out); }

 private:
  Store* target_;
};

}  // namespace greenloop

#endif  // GREENLOOP_STORE_STORE_WRAPPER_H_
