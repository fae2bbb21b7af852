#include "service/verify_store.h"

namespace greenloop {

Status VerifyStore(Store& store, VerifyReport* report) {
  std::vector<Account> accounts;
  std::vector<Instrument> instruments;
  GL_RETURN_IF_ERROR(store.ListAccounts({}, &accounts));
  GL_RETURN_IF_ERROR(store.ListInstruments(std::nullopt, &instruments));
  JournalVerifier verifier(accounts, instruments);
  GL_RETURN_IF_ERROR(store.ScanJournal([&](const Entry& e) { verifier.OnEntry(e); }));
  GL_RETURN_IF_ERROR(store.ScanHoldings([&](const Holding& h) { verifier.OnHolding(h); }));
  report->problems = verifier.Finish();
  report->entries = verifier.entries_seen();
  return Status::OK();
}

}  // namespace greenloop
