// src/http/api.h
//
// The JSON API of docs/api.md as a plain function from request to response, so that it can be
// tested and benchmarked without sockets; server.h puts it behind cpp-httplib. Every handler
// authenticates, checks role and owner, validates the body strictly, and answers errors as
// {"error":{code,message,field}} with a 4xx status. Mutations run as jobs on the registry
// service's writer, under the caller's Idempotency-Key when one is sent.
#ifndef GREENLOOP_HTTP_API_H_
#define GREENLOOP_HTTP_API_H_

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "service/exchange_service.h"
#include "service/registry_service.h"

namespace greenloop {

struct HttpRequest {
  std::string method;
  std::string path;  // without the query string
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // keys lowercased
  std::string body;

  std::string Header(const std::string& lowercase_name) const;
  const std::string* Query(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
};

class Api {
 public:
  explicit Api(RegistryService* service);
  // Adds the exchange's routes (market_api.cc); `exchange` must outlive the Api.
  void AttachExchange(ExchangeService* exchange);
  HttpResponse Handle(const HttpRequest& request);
  // The OpenAPI 3.0 document, built from the route table.
  std::string OpenApiDocument() const;

 private:
  using Params = std::vector<std::string>;  // path parameters in order
  using Handler = std::function<HttpResponse(const HttpRequest&, const Params&)>;
  struct Route {
    std::string method;
    std::string pattern;  // e.g. /api/v1/accounts/{id}/holdings
    std::vector<std::string> segments;
    std::string summary;
    bool mutating = false;
    Handler handler;
  };

  void Add(std::string method, std::string pattern, std::string summary, Handler handler);
  void RegisterRoutes();
  void RegisterMrvRoutes();  // mrv_api.cc
  void RegisterCarbonRoutes();  // carbon_api.cc
  void RegisterMarketRoutes();  // market_api.cc
  void RegisterNegotiatedRoutes();  // market_negotiated_api.cc: block trades and auctions
  void RegisterSurveillanceRoutes();  // surveillance_api.cc
  void RegisterCalcRoutes();  // calc_api.cc: the calculators of `greenloop calc`
  void RegisterEnergyRoutes();  // energy_api.cc: monthly energy reports

  // Handlers.
  HttpResponse Health(const HttpRequest&);
  HttpResponse Login(const HttpRequest&);
  HttpResponse Me(const HttpRequest&);
  HttpResponse ListFamilies(const HttpRequest&);
  HttpResponse ListInstruments(const HttpRequest&);
  HttpResponse GetInstrument(const HttpRequest&, const std::string& code);
  HttpResponse PostInstrument(const HttpRequest&);
  HttpResponse ListOrganizations(const HttpRequest&);
  HttpResponse GetOrganization(const HttpRequest&, const std::string& id);
  HttpResponse PostOrganization(const HttpRequest&);
  HttpResponse ListAccounts(const HttpRequest&);
  HttpResponse GetAccount(const HttpRequest&, const std::string& id);
  HttpResponse PatchAccount(const HttpRequest&, const std::string& id);
  HttpResponse PostAccount(const HttpRequest&);
  HttpResponse GetHoldings(const HttpRequest&, const std::string& id);
  HttpResponse PostMovement(const HttpRequest&, EntryKind kind);
  HttpResponse PostTransfers(const HttpRequest&);
  HttpResponse PostReversal(const HttpRequest&);
  HttpResponse PostExpiration(const HttpRequest&);
  HttpResponse Journal(const HttpRequest&);
  HttpResponse JournalEntry(const HttpRequest&, const std::string& id);
  HttpResponse Verify(const HttpRequest&);
  HttpResponse Supply(const HttpRequest&);
  HttpResponse Activity(const HttpRequest&);

  // Helpers.
  Status Authenticate(const HttpRequest& request, Principal* principal);
  // Runs a job under the request's Idempotency-Key (when sent), answering its reply.
  HttpResponse RunJob(const HttpRequest& request, const Principal& principal, const std::string& canonical_body, Job job,
                      bool exclusive = false);
  Status VisibleAccount(const Principal& principal, AccountId id, Account* account, Organization* owner);
  nlohmann::json EntryJson(const Entry& entry);
  std::string ActorName(UserId id);

  RegistryService* service_;
  ExchangeService* exchange_ = nullptr;
  std::vector<Route> routes_;
  std::mutex actor_mutex_;
  std::unordered_map<UserId, std::string> actor_names_;
};

// Splits "/a/b" into {"a","b"}.
std::vector<std::string> SplitPath(const std::string& path);
HttpResponse JsonResponse(int status, const nlohmann::json& body);
HttpResponse ErrorResponse(const Status& status);
// The Chinese name of an organization, or "" when it does not exist.
std::string OrgName(Store& store, OrgId id);

}  // namespace greenloop

#endif  // GREENLOOP_HTTP_API_H_
