#include "cli/market_cli.h"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/crypto.h"

namespace greenloop {
namespace {

using nlohmann::json;

constexpr int kExitOk = 0;
constexpr int kExitRefused = 1;
constexpr int kExitError = 2;

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

// Percent-encodes all but RFC 3986's unreserved characters.
std::string Escape(const std::string& value) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : value) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Query(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (value.empty()) continue;
    out += (out.empty() ? "?" : "&") + name + "=" + Escape(value);
  }
  return out;
}

}  // namespace

CLI::App* MarketCli::Add(CLI::App* parent, const std::string& name, const std::string& what,
                         std::function<Call()> build) {
  CLI::App* cmd = parent->add_subcommand(name, what);
  cmd->fallthrough();  // --server, --token and --idempotency-key may follow the subcommand
  commands_.push_back(Command{cmd, std::move(build)});
  return cmd;
}

MarketCli::MarketCli(CLI::App& app) {
  server_ = EnvOr("GREENLOOP_SERVER", "http://127.0.0.1:8080");
  token_ = EnvOr("GREENLOOP_TOKEN", "");
  market_ = app.add_subcommand("market", "Trade through a running server's API: orders, blocks, auctions, limits");
  market_->require_subcommand(1);
  market_->add_option("--server", server_, "Server base URL (env GREENLOOP_SERVER)")->capture_default_str();
  market_->add_option("--token", token_, "Bearer token (env GREENLOOP_TOKEN; `greenloop token create` prints one)");
  market_->add_option("--idempotency-key", idempotency_key_, "Key of a mutation (default: a fresh one)");

  auto id = [this](CLI::App* cmd, const char* what) { cmd->add_option("id", id_, what)->required(); };
  auto trade = [this](CLI::App* cmd) {
    cmd->add_option("--instrument", instrument_, "Instrument code, e.g. CEA-2025")->required();
    cmd->add_option("--account", account_, "Your holding account id")->required();
    cmd->add_option("--side", side_, "buy or sell")->required()->check(CLI::IsMember({"buy", "sell"}));
    cmd->add_option("--price-fen", price_fen_, "Price per unit in fen (分)")->required();
    cmd->add_option("--quantity", quantity_, "Quantity in the instrument's unit")->required();
  };

  Add(market_, "listings", "Listed instruments with state, band and best prices",
      [] { return Call{"GET", "/api/v1/market/listings", ""}; });
  CLI::App* book = Add(market_, "book", "An instrument's order book depth", [this] {
    return Call{"GET", "/api/v1/market/listings/" + instrument_ + "/book" + Query({{"levels", std::to_string(levels_)}}), ""};
  });
  book->add_option("instrument", instrument_, "Instrument code")->required();
  book->add_option("--levels", levels_, "Price levels per side (1-50)")->capture_default_str();

  CLI::App* order = Add(market_, "order", "Place a limit order", [this] {
    json body = {{"instrument", instrument_}, {"account_id", account_}, {"side", side_},
                 {"price_fen", price_fen_}, {"quantity", quantity_}};
    if (!client_order_id_.empty()) body["client_order_id"] = client_order_id_;
    return Call{"POST", "/api/v1/market/orders", body.dump()};
  });
  trade(order);
  order->add_option("--client-order-id", client_order_id_, "Your reference for the order");
  id(Add(market_, "cancel", "Cancel an open order",
         [this] { return Call{"POST", "/api/v1/market/orders/" + std::to_string(id_) + "/cancel", "{}"}; }),
     "Order id");
  CLI::App* orders = Add(market_, "orders", "Your orders (all orders for the regulator and the exchange)", [this] {
    return Call{"GET", "/api/v1/market/orders" + Query({{"status", status_}, {"instrument", instrument_}}), ""};
  });
  orders->add_option("--status", status_, "open, filled, cancelled or expired");
  orders->add_option("--instrument", instrument_, "Instrument code");
  CLI::App* trades = Add(market_, "trades", "The trade tape, newest first", [this] {
    return Call{"GET", "/api/v1/market/trades" + Query({{"instrument", instrument_}, {"mine", mine_ ? "true" : ""}}), ""};
  });
  trades->add_option("--instrument", instrument_, "Instrument code");
  trades->add_flag("--mine", mine_, "Only your organization's trades");

  CLI::App* block = market_->add_subcommand("block", "Block agreement trading (大宗协议)");
  block->require_subcommand(1);
  block->fallthrough();
  CLI::App* propose = Add(block, "propose", "Propose a block trade to a named enterprise", [this] {
    json body = {{"instrument", instrument_}, {"account_id", account_}, {"side", side_},
                 {"counterparty_org_id", counterparty_}, {"price_fen", price_fen_}, {"quantity", quantity_}};
    if (!expires_at_.empty()) body["expires_at"] = expires_at_;
    if (!memo_.empty()) body["memo"] = memo_;
    return Call{"POST", "/api/v1/market/blocks", body.dump()};
  });
  trade(propose);
  propose->add_option("--counterparty", counterparty_, "The counterparty organization's id")->required();
  propose->add_option("--expires-at", expires_at_, "RFC 3339 time; default the day's close");
  propose->add_option("--memo", memo_, "A note for the counterparty");
  CLI::App* accept = Add(block, "accept", "Accept a proposal made to your organization", [this] {
    return Call{"POST", "/api/v1/market/blocks/" + std::to_string(id_) + "/accept", json{{"account_id", account_}}.dump()};
  });
  id(accept, "Block id");
  accept->add_option("--account", account_, "Your holding account id")->required();
  for (const char* answer : {"reject", "withdraw"}) {
    const std::string verb = answer;
    id(Add(block, verb, verb == "reject" ? "Reject a proposal made to you" : "Withdraw your proposal",
           [this, verb] { return Call{"POST", "/api/v1/market/blocks/" + std::to_string(id_) + "/" + verb, "{}"}; }),
       "Block id");
  }
  CLI::App* blocks = Add(block, "list", "Your proposals, made and received", [this] {
    return Call{"GET", "/api/v1/market/blocks" + Query({{"status", status_}}), ""};
  });
  blocks->add_option("--status", status_, "proposed, accepted, rejected, withdrawn or expired");

  CLI::App* auction = market_->add_subcommand("auction", "Auctions (单向竞价)");
  auction->require_subcommand(1);
  auction->fallthrough();
  CLI::App* create = Add(auction, "create", "Announce an auction from a JSON file (docs/api.md)", [this] {
    std::ifstream in(file_);
    return Call{"POST", "/api/v1/market/auctions", std::string(std::istreambuf_iterator<char>(in), {})};
  });
  create->add_option("--file", file_, "The announcement as JSON")->required()->check(CLI::ExistingFile);
  Add(auction, "list", "Auctions, newest first", [] { return Call{"GET", "/api/v1/market/auctions", ""}; });
  id(Add(auction, "show", "One auction, with your bid",
         [this] { return Call{"GET", "/api/v1/market/auctions/" + std::to_string(id_), ""}; }),
     "Auction id");
  CLI::App* bid = Add(auction, "bid", "Place or replace your organization's sealed bid", [this] {
    json body = {{"account_id", account_}, {"price_fen", price_fen_}, {"quantity", quantity_}};
    return Call{"POST", "/api/v1/market/auctions/" + std::to_string(id_) + "/bids", body.dump()};
  });
  id(bid, "Auction id");
  bid->add_option("--account", account_, "Your holding account id")->required();
  bid->add_option("--price-fen", price_fen_, "Price per unit in fen")->required();
  bid->add_option("--quantity", quantity_, "Quantity")->required();
  for (const char* step : {"withdraw", "close", "cancel", "bids"}) {
    const std::string verb = step;
    const std::string path = verb == "withdraw" ? "/bids/withdraw" : "/" + verb;
    const std::string what = verb == "withdraw" ? "Withdraw your bid"
                             : verb == "close"  ? "Clear the auction after its window (exchange, regulator)"
                             : verb == "cancel" ? "Cancel the auction (exchange, regulator)"
                                                : "The bids: yours, or all once cleared";
    id(Add(auction, verb, what,
           [this, verb, path] {
             return Call{verb == "bids" ? "GET" : "POST", "/api/v1/market/auctions/" + std::to_string(id_) + path,
                         verb == "bids" ? "" : "{}"};
           }),
       "Auction id");
  }

  CLI::App* limit = Add(market_, "limit", "Set a holding limit (最大持仓量); 0 removes it (exchange, regulator)", [this] {
    json body = {{"instrument", instrument_}, {"max_quantity", quantity_}};
    if (account_ != 0) body["account_id"] = account_;
    return Call{"POST", "/api/v1/market/holding-limits", body.dump()};
  });
  limit->add_option("--instrument", instrument_, "Instrument code")->required();
  limit->add_option("--account", account_, "A holding account; default every holding account");
  limit->add_option("--max-quantity", quantity_, "The limit")->required();
}

bool MarketCli::chosen() const { return market_->parsed(); }

int MarketCli::Run() const {
  const Command* chosen = nullptr;
  for (const Command& c : commands_) {
    if (c.app->parsed()) chosen = &c;
  }
  if (chosen == nullptr) return kExitError;
  if (token_.empty()) {
    std::cerr << "greenloop: market commands need a token: --token or GREENLOOP_TOKEN\n";
    return kExitError;
  }
  const Call call = chosen->build();
  httplib::Client client(server_);
  client.set_connection_timeout(5);
  client.set_read_timeout(120);
  httplib::Headers headers = {{"Authorization", "Bearer " + token_}, {"Accept", "application/json"}};
  if (call.method != "GET") {
    headers.emplace("Idempotency-Key", idempotency_key_.empty() ? RandomToken() : idempotency_key_);
  }
  httplib::Result res = call.method == "GET" ? client.Get(call.path, headers)
                                             : client.Post(call.path, headers, call.body, "application/json");
  if (!res) {
    std::cerr << "greenloop: " << server_ << " did not answer: " << httplib::to_string(res.error()) << "\n";
    return kExitError;
  }
  const json answer = json::parse(res->body, nullptr, false);
  if (res->status >= 400) {
    if (!answer.is_discarded() && answer.contains("error")) {
      const json& e = answer["error"];
      std::cerr << "greenloop: " << res->status << " " << e.value("code", "") << ": " << e.value("message", "");
      if (!e.value("field", "").empty()) std::cerr << " (field " << e.value("field", "") << ")";
      std::cerr << "\n";
    } else {
      std::cerr << "greenloop: " << res->status << " " << res->body << "\n";
    }
    return res->status >= 500 ? kExitError : kExitRefused;
  }
  std::cout << (answer.is_discarded() ? res->body : answer.dump(2)) << "\n";
  return kExitOk;
}

}  // namespace greenloop
