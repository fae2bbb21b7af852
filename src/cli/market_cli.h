// src/cli/market_cli.h
//
// `greenloop market …`: the exchange from the command line, as a client of a running server's API
// (docs/api.md, "Market"): listings and the book, orders and cancels, block proposals and their
// answers, auctions and bids, holding limits. Each command is one HTTP call with the bearer token
// (--token or GREENLOOP_TOKEN) to --server (GREENLOOP_SERVER, default http://127.0.0.1:8080);
// mutations send an Idempotency-Key (--idempotency-key, or a fresh one), so a retried command with
// the same key does the work once. The answer's JSON goes to standard output.
//
// Exit codes: 0 the server accepted, 1 it refused (the error on standard error), 2 bad usage or
// the server could not be reached.
#ifndef GREENLOOP_CLI_MARKET_CLI_H_
#define GREENLOOP_CLI_MARKET_CLI_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace greenloop {

class MarketCli {
 public:
  // Adds the `market` command and its subcommands to `app`.
  explicit MarketCli(CLI::App& app);
  // Whether the command line chose a market subcommand.
  bool chosen() const;
  // Performs the chosen subcommand's call; returns the exit code.
  int Run() const;

 private:
  struct Call {
    std::string method;
    std::string path;
    std::string body;  // JSON; empty for a GET
  };
  struct Command {
    CLI::App* app;
    std::function<Call()> build;
  };
  CLI::App* Add(CLI::App* parent, const std::string& name, const std::string& what, std::function<Call()> build);

  CLI::App* market_ = nullptr;
  std::vector<Command> commands_;
  std::string server_;
  std::string token_;
  std::string idempotency_key_;
  // Option values, shared by the subcommands that take them.
  std::string instrument_, side_, status_, client_order_id_, expires_at_, memo_, file_;
  std::int64_t id_ = 0, account_ = 0, counterparty_ = 0, price_fen_ = 0, quantity_ = 0, levels_ = 10;
  bool mine_ = false;
};

}  // namespace greenloop

#endif  // GREENLOOP_CLI_MARKET_CLI_H_
