#include "service/open_registry.h"

#include "service/operations.h"

namespace greenloop {

Status OpenRegistry(const std::string& url, Clock* clock, const ServiceOptions& options, Registry* out) {
  GL_RETURN_IF_ERROR(OpenStore(url, &out->store));
  GL_RETURN_IF_ERROR(out->store->Migrate(nullptr));
  GL_RETURN_IF_ERROR(RegistryService::Open(out->store.get(), clock, options, &out->service));
  if (out->service->system_accounts().issuance != 0) return Status::OK();
  Reply reply = out->service->Execute([](WriteContext& ctx) {
    Status st = Bootstrap(ctx);
    return st.ok() ? Reply{201, ""} : ErrorReply(st);
  });
  if (reply.http_status != 201) return Status::Corruption("could not create the registry's reference data: " + reply.body);
  return Status::OK();
}

}  // namespace greenloop
