// src/service/open_registry.h
//
// Opens a registry by database URL: connects, applies migrations, loads the ledger, and creates
// the reference data and system accounts on first use.
#ifndef GREENLOOP_SERVICE_OPEN_REGISTRY_H_
#define GREENLOOP_SERVICE_OPEN_REGISTRY_H_

#include <memory>
#include <string>

#include "service/registry_service.h"

namespace greenloop {

struct Registry {
  std::unique_ptr<Store> store;
  std::unique_ptr<RegistryService> service;
  // Declared last so it is destroyed first: the service's writer stops before the store closes.
};

Status OpenRegistry(const std::string& url, Clock* clock, const ServiceOptions& options, Registry* out);

}  // namespace greenloop

#endif  // GREENLOOP_SERVICE_OPEN_REGISTRY_H_
