// src/cli/main.cc
//
// The greenloop command: serve, migrate, demo, verify, user add, token create, calc, and market (a
// client of a running server, cli/market_cli.h). Exit codes:
// 0 success, 1 the check failed (verify found problems), 2 bad usage or an operational error.
#include <CLI/CLI.hpp>
#include <csignal>
#include <fstream>
#include <iterator>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <thread>

#include "calc/calculator.h"
#include "cli/market_cli.h"
#include "core/crypto.h"
#include "core/time.h"
#include "http/api.h"
#include "http/server.h"
#include "service/exchange_service.h"
#include "http/json_mapping.h"
#include "service/verify_store.h"
#include "service/open_registry.h"
#include "service/operations.h"
#include "service/reference_data.h"

namespace greenloop {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitCheckFailed = 1;
constexpr int kExitError = 2;

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

int Fail(const Status& st) {
  std::cerr << "greenloop: " << st.ToString() << "\n";
  return kExitError;
}

int Serve(const std::string& db, ServerOptions options, bool load_demo, const std::string& clock_start) {
  // Block the stop signals in every thread; one thread waits for them and stops the server.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Clock* clock = SystemClock();
  std::unique_ptr<OffsetClock> offset_clock;
  if (!clock_start.empty()) {
    std::optional<time_us> start = ParseTimestamp(clock_start);
    if (!start) return Fail(Status::Invalid("invalid_field", "--clock-start takes an RFC 3339 time", "clock-start"));
    offset_clock = std::make_unique<OffsetClock>(clock, *start - clock->NowMicros());
    clock = offset_clock.get();
    spdlog::warn("the clock starts at {} instead of now", FormatTimestamp(*start));
  }
  Registry registry;
  Status st = OpenRegistry(db, clock, ServiceOptions(), &registry);
  if (!st.ok()) return Fail(st);
  if (load_demo) {
    User probe;
    if (!registry.store->GetUserByName("regulator", &probe).ok()) {
      DemoSummary summary;
      st = LoadDemoData(*registry.service, &summary);
      if (!st.ok()) return Fail(st);
      spdlog::info("loaded demo data: {} organizations, {} accounts, {} movements, {} facilities, {} reports",
                   summary.organizations, summary.accounts, summary.movements, summary.facilities, summary.reports);
    }
  }
  std::unique_ptr<ExchangeService> exchange;
  st = ExchangeService::Open(registry.service.get(), &exchange);
  if (!st.ok()) return Fail(st);
  Api api(registry.service.get());
  api.AttachExchange(exchange.get());
  HttpServer server(&api, options);
  std::thread waiter([&] {
    int received = 0;
    sigwait(&signals, &received);
    spdlog::info("signal {} received, stopping", received);
    server.Stop();
  });
  st = server.Run();
  if (!st.ok()) {
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    return Fail(st);
  }
  waiter.join();
  return kExitOk;
}

// Prints the result as JSON on stdout (exit 0), or {"error": …} on stdout and a sentence on
// stderr (exit 2), so that scripts can read either.
int Calc(bool list, const std::string& name, const std::string& input_path) {
  using calc::Json;
  if (list || name.empty()) {
    for (const calc::Calculator& c : calc::Calculators()) {
      std::cout << c.name << "\t" << c.title_zh << " / " << c.title_en << "\n    " << c.description
                << "\n    example: greenloop calc " << c.name << " --input " << c.example_file << "\n";
    }
    return list ? kExitOk : kExitError;
  }
  const calc::Calculator* calculator = calc::FindCalculator(name);
  if (calculator == nullptr) return Fail(Status::Invalid("unknown_calculator", "no calculator '" + name + "'; see greenloop calc --list"));
  if (input_path.empty()) return Fail(Status::Invalid("missing_field", "give --input FILE.json (or - for stdin)", "input"));
  std::string text;
  if (input_path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream file(input_path, std::ios::binary);
    if (!file) return Fail(Status::Invalid("invalid_field", "cannot read " + input_path, "input"));
    text.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }
  Json input = Json::parse(text, nullptr, false);
  Result<Json> result = input.is_discarded()
                            ? Result<Json>(Status::Invalid("invalid_json", input_path + " is not valid JSON"))
                            : calculator->run(input);
  if (!result.ok()) {
    const Status& error = result.status();
    Json body = {{"error", {{"code", error.code()}, {"message", error.message()}}}};
    if (!error.field().empty()) body["error"]["field"] = error.field();
    std::cout << body.dump(2) << "\n";
    std::cerr << "greenloop calc " << name << ": " << error.ToString() << "\n";
    return kExitError;
  }
  std::cout << result.value().dump(2) << "\n";
  return kExitOk;
}

int Migrate(const std::string& db, bool as_json) {
  std::unique_ptr<Store> store;
  Status st = OpenStore(db, &store);
  std::vector<int> applied;
  if (st.ok()) st = store->Migrate(&applied);
  int version = 0;
  if (st.ok()) st = store->SchemaVersion(&version);
  if (!st.ok()) return Fail(st);
  if (as_json) {
    std::cout << nlohmann::json{{"applied", applied}, {"schema_version", version}}.dump() << "\n";
  } else {
    std::cout << "applied " << applied.size() << " migration(s); schema version " << version << "\n";
  }
  return kExitOk;
}

int Demo(const std::string& db, bool as_json) {
  Registry registry;
  Status st = OpenRegistry(db, SystemClock(), ServiceOptions(), &registry);
  DemoSummary summary;
  if (st.ok()) st = LoadDemoData(*registry.service, &summary);
  if (!st.ok()) return Fail(st);
  if (as_json) {
    nlohmann::json logins = nlohmann::json::array();
    for (const auto& [name, password] : summary.logins) logins.push_back({{"name", name}, {"password", password}});
    std::cout << nlohmann::json{{"organizations", summary.organizations},
                                {"accounts", summary.accounts},
                                {"movements", summary.movements},
                                {"facilities", summary.facilities},
                                {"unit_months", summary.unit_months},
                                {"reports", summary.reports},
                                {"logins", logins}}
                     .dump()
              << "\n";
    return kExitOk;
  }
  std::cout << "Demo data loaded: " << summary.organizations << " organizations, " << summary.accounts
            << " accounts, " << summary.movements << " movements; " << summary.facilities << " power facilities with "
            << summary.unit_months << " unit-months of monitoring data and " << summary.reports
            << " emission reports.\nDemo logins (name / password):\n";
  for (const auto& [name, password] : summary.logins) std::cout << "  " << name << " / " << password << "\n";
  return kExitOk;
}

int Verify(const std::string& db, bool as_json) {
  std::unique_ptr<Store> store;
  Status st = OpenStore(db, &store);
  int version = 0;
  if (st.ok()) st = store->SchemaVersion(&version);
  if (st.ok() && version == 0) st = Status::Invalid("invalid_field", "the database has no GreenLoop schema", "db");
  VerifyReport report;
  if (st.ok()) st = VerifyStore(*store, &report);
  if (!st.ok()) return Fail(st);
  if (as_json) {
    std::cout << ToJson(report).dump() << "\n";
  } else if (report.ok()) {
    std::cout << "ok: " << report.entries
              << " entries; hash chain intact, balances equal their postings, every entry balanced\n";
  } else {
    std::cout << "FAILED: " << report.problems.size() << " problem(s) in " << report.entries << " entries\n";
    for (const auto& p : report.problems) std::cout << "  [" << p.kind << "] " << p.message << "\n";
  }
  return report.ok() ? kExitOk : kExitCheckFailed;
}

int UserAdd(const std::string& db, const std::string& name, const std::string& role_text, std::int64_t org,
            const std::string& display_name, bool password_stdin, bool as_json) {
  auto role = ParseRole(role_text);
  if (!role) return Fail(Status::Invalid("invalid_field", "role must be one of regulator, region, enterprise, verifier, exchange, public", "role"));
  if (!password_stdin) return Fail(Status::Invalid("missing_field", "pass the password on standard input with --password-stdin", "password"));
  std::string password;
  std::getline(std::cin, password);
  if (password.size() < 8) return Fail(Status::Invalid("invalid_field", "the password needs at least 8 characters", "password"));
  auto hash = HashPassword(password);
  if (!hash) return Fail(Status::Unavailable("out of memory hashing the password"));
  Registry registry;
  Status st = OpenRegistry(db, SystemClock(), ServiceOptions(), &registry);
  if (!st.ok()) return Fail(st);
  User user;
  std::optional<OrgId> org_id;
  if (org > 0) org_id = org;
  Reply reply = registry.service->Execute([&](WriteContext& ctx) {
    Status s = CreateUser(ctx, name, display_name, *role, org_id, *hash, &user);
    return s.ok() ? Reply{201, ""} : ErrorReply(s);
  });
  if (reply.http_status != 201) {
    std::cerr << "greenloop: " << reply.body << "\n";
    return kExitError;
  }
  if (as_json) {
    std::cout << nlohmann::json{{"id", user.id}, {"name", user.name}, {"role", ToString(user.role)}}.dump() << "\n";
  } else {
    std::cout << "created user " << user.name << " (id " << user.id << ", role " << ToString(user.role) << ")\n";
  }
  return kExitOk;
}

int TokenCreate(const std::string& db, const std::string& name, double ttl_hours, bool as_json) {
  if (ttl_hours <= 0 || ttl_hours > 24 * 366) {
    return Fail(Status::Invalid("invalid_field", "--ttl-hours must be between 0 and 8784", "ttl-hours"));
  }
  Registry registry;
  Status st = OpenRegistry(db, SystemClock(), ServiceOptions(), &registry);
  User user;
  if (st.ok()) st = registry.store->GetUserByName(name, &user);
  std::string token;
  time_us expires = 0;
  if (st.ok()) st = registry.service->IssueToken(user, static_cast<time_us>(ttl_hours * 3600e6), &token, &expires);
  if (!st.ok()) return Fail(st);
  if (as_json) {
    std::cout << nlohmann::json{{"token", token}, {"expires_at", FormatTimestamp(expires)}}.dump() << "\n";
  } else {
    std::cout << token << "\n";
  }
  return kExitOk;
}

}  // namespace
}  // namespace greenloop

int main(int argc, char** argv) {
  using namespace greenloop;
  InitCrypto();
  CLI::App app{"GreenLoop 绿色低碳循环发展管理平台 — green-rights registry, server and tools"};
  app.require_subcommand(1);
  std::string db = EnvOr("GREENLOOP_DB", "sqlite:var/greenloop.db");
  bool as_json = false;
  auto add_db = [&](CLI::App* cmd) {
    cmd->add_option("--db", db, "Database URL: sqlite:PATH or postgresql://… (env GREENLOOP_DB)")->capture_default_str();
  };

  ServerOptions server_options;
  server_options.port = std::atoi(EnvOr("GREENLOOP_PORT", "8080").c_str());
  server_options.host = EnvOr("GREENLOOP_HOST", "127.0.0.1");
  server_options.web_root = EnvOr("GREENLOOP_WEB_ROOT", "");
  bool load_demo = false;
  CLI::App* serve = app.add_subcommand("serve", "Serve the API and the web UI");
  add_db(serve);
  serve->add_option("--host", server_options.host, "Address to listen on (env GREENLOOP_HOST)")->capture_default_str();
  serve->add_option("--port", server_options.port, "Port (env GREENLOOP_PORT)")->capture_default_str()->check(CLI::Range(1, 65535));
  serve->add_option("--web-root", server_options.web_root, "Directory of the built web UI (env GREENLOOP_WEB_ROOT)");
  serve->add_option("--threads", server_options.threads, "HTTP worker threads")->capture_default_str()->check(CLI::Range(2, 1024));
  serve->add_flag("--load-demo", load_demo, "Load the demo data when the database has none");
  std::string clock_start = EnvOr("GREENLOOP_CLOCK_START", "");
  serve->add_option("--clock-start", clock_start,
                    "Run the clock from this RFC 3339 time instead of now, at real pace (rehearsals, tests; env "
                    "GREENLOOP_CLOCK_START)");

  CLI::App* migrate = app.add_subcommand("migrate", "Create or upgrade the database schema");
  add_db(migrate);
  migrate->add_flag("--json", as_json, "Print JSON");

  CLI::App* demo = app.add_subcommand("demo", "Load demo data (leagues and cities, enterprises, accounts, holdings)");
  add_db(demo);
  demo->add_flag("--json", as_json, "Print JSON");

  CLI::App* verify = app.add_subcommand("verify", "Check the hash chain, balances and ledger invariants");
  add_db(verify);
  verify->add_flag("--json", as_json, "Print JSON");

  CLI::App* user = app.add_subcommand("user", "Manage users");
  user->require_subcommand(1);
  CLI::App* user_add = user->add_subcommand("add", "Create a user");
  add_db(user_add);
  std::string user_name, role, display_name;
  std::int64_t org = 0;
  bool password_stdin = false;
  user_add->add_option("--name", user_name, "Login name")->required();
  user_add->add_option("--role", role, "regulator, region, enterprise, verifier, exchange or public")->required();
  user_add->add_option("--org", org, "Organization id (required for region, enterprise, verifier, exchange)");
  user_add->add_option("--display-name", display_name, "Name shown in the UI");
  user_add->add_flag("--password-stdin", password_stdin, "Read the password from standard input");
  user_add->add_flag("--json", as_json, "Print JSON");

  CLI::App* token = app.add_subcommand("token", "Manage API tokens");
  token->require_subcommand(1);
  CLI::App* token_create = token->add_subcommand("create", "Print a new bearer token for a user");
  add_db(token_create);
  std::string token_user;
  double ttl_hours = 12;
  token_create->add_option("--user", token_user, "User name")->required();
  token_create->add_option("--ttl-hours", ttl_hours, "Lifetime in hours")->capture_default_str();
  token_create->add_flag("--json", as_json, "Print JSON");

  CLI::App* calc = app.add_subcommand("calc", "Run a calculator on a JSON input (calc --list shows them)");
  std::string calc_name, calc_input;
  bool calc_list = false;
  calc->add_flag("--list", calc_list, "List the calculators");
  calc->add_option("name", calc_name, "Calculator, e.g. power-emissions");
  calc->add_option("--input", calc_input, "Input JSON file, or - for standard input");

  MarketCli market(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  spdlog::set_level(spdlog::level::info);
  if (*serve) return Serve(db, server_options, load_demo, clock_start);
  if (*migrate) return Migrate(db, as_json);
  if (*demo) return Demo(db, as_json);
  if (*verify) return Verify(db, as_json);
  if (*user_add) return UserAdd(db, user_name, role, org, display_name, password_stdin, as_json);
  if (*token_create) return TokenCreate(db, token_user, ttl_hours, as_json);
  if (*calc) return Calc(calc_list, calc_name, calc_input);
  if (market.chosen()) return market.Run();
  return 2;
}
