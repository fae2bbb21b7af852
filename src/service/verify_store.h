// src/service/verify_store.h
//
// Runs the journal verifier (registry/verify.h) over everything a store holds: every entry in
// id order, then every holding. Shared by `greenloop verify` and `GET /verify`.
#ifndef GREENLOOP_SERVICE_VERIFY_STORE_H_
#define GREENLOOP_SERVICE_VERIFY_STORE_H_

#include <vector>

#include "registry/verify.h"
#include "store/store.h"

namespace greenloop {

struct VerifyReport {
  std::int64_t entries = 0;
  std::vector<VerifyProblem> problems;  // empty when the journal is intact
  bool ok() const { return problems.empty(); }
};

// An error status means the store could not be read; problems found are in the report.
Status VerifyStore(Store& store, VerifyReport* report);

}  // namespace greenloop

#endif  // GREENLOOP_SERVICE_VERIFY_STORE_H_
