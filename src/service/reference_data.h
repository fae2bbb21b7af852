// src/service/reference_data.h
//
// Reference data compiled into the binary from data/: instrument families, the catalog of
// instruments, the leagues and cities of Inner Mongolia; and the demo data set.
#ifndef GREENLOOP_SERVICE_REFERENCE_DATA_H_
#define GREENLOOP_SERVICE_REFERENCE_DATA_H_

#include <string>
#include <vector>

#include "core/status.h"
#include "registry/model.h"
#include "service/registry_service.h"

namespace greenloop {

struct ReferenceData {
  std::vector<InstrumentFamily> families;
  std::vector<Instrument> instruments;
  std::vector<Organization> regions;  // kind region, region = own code
};

Status LoadReferenceData(ReferenceData* out);
// 150000 or one of the 12 leagues and cities in data/regions.json.
bool IsKnownRegionCode(const std::string& code);

// Parses an instrument as the API and data/instruments.json write it (dates as YYYY-MM-DD).
Status InstrumentFromJsonText(const std::string& json_text, Instrument* out);

struct DemoSummary {
  int organizations = 0;
  int accounts = 0;
  int users = 0;
  int movements = 0;
  int facilities = 0;
  int unit_months = 0;
  int reports = 0;
  std::vector<std::pair<std::string, std::string>> logins;  // name, password
};

// Loads data/demo/* into an empty, bootstrapped registry. Fails with kConflict when demo data
// is there already.
Status LoadDemoData(RegistryService& service, DemoSummary* summary);
// The MRV part of the demo (data/demo/mrv.json): power facilities of the demo enterprises with
// monthly data and verification cases in every state, replayed through the workflow's own steps.
Status LoadDemoMrv(RegistryService& service, DemoSummary* summary);

}  // namespace greenloop

#endif  // GREENLOOP_SERVICE_REFERENCE_DATA_H_
