// bench/market_bench.cc — greenloop_market_bench
//
// The matching engine alone, in memory, on one core (src/market/order_book.h), against a plain
// baseline book written here: std::map<price, std::deque<order>> per side and an
// std::unordered_map from order id to (side, price), with the same rules (price-time priority,
// trade at the resting price, replace priority, self-trade prevention cancelling the incoming
// remainder) and the same events. Two command streams, generated up front from a fixed seed:
//
//   liquibook  liquibook's perf stream: limit orders alternating buy and sell, buy prices uniform
//              in 1880–1889 ticks, sell prices in 1884–1893, quantities (1–10) × 100, no
//              cancels, every order from its own owner. A fresh book per run; ORDERS orders.
//   mixed      a deep book with cancels and replaces: band 4500–5500 ticks (±10 % around 5000),
//              prefilled with PREFILL resting orders spread over ~200 ticks each side of the mid,
//              then ORDERS commands: 45 % new limit orders (85 % passive, up to 100 ticks behind
//              the touch, 15 % marketable, up to 5 ticks through it), 35 % cancels and 20 %
//              replaces (half reduce the quantity, keeping priority; half move the price by up to
//              ±3 ticks) of random open orders; quantities (1–50) × 100 from 5,000 owners, so
//              self-trade prevention fires now and then; the mid drifts by a random walk. The
//              prefill is not timed.
//
// Before any figure is printed both books run each stream once more with every event hashed:
// the number of events, of trades, the traded quantity and the hash of the event sequence must
// be equal, otherwise the benchmark exits 1 (it would be measuring two different things).
//
// Throughput: each run replays the whole stream without timers inside; ours and the baseline
// alternate run by run so a busy host slows both alike; median and best of RUNS by the wall
// clock, and the median by the thread's CPU time (what the host's load disturbs least). Latency: one
// more run per book timing consecutive batches of BATCH commands with steady_clock and dividing
// by BATCH (a clock read costs about as much as a command), p50/p99/p99.9 over the batches.
//
// A benchmark prints figures; it never fails on timing. Options (argv or environment):
// --orders N / ORDERS [1000000], --prefill N / PREFILL [200000], --runs N / RUNS [5],
// --batch N / BATCH [16].
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "market/order_book.h"

namespace greenloop {
namespace {

enum class CommandKind : std::uint8_t { kNew, kCancel, kReplace };

struct Command {
  CommandKind kind = CommandKind::kNew;
  Side side = Side::kBuy;
  OwnerId owner_id = 0;
  OrderId order_id = 0;  // cancel and replace
  std::int64_t price_ticks = 0;
  quantity_t quantity = 0;
};

struct Stream {
  std::string name;
  InstrumentRules rules;
  std::vector<Command> prefill;
  std::vector<Command> commands;
};

// ---- the baseline book --------------------------------------------------------------------------

class MapBook {
 public:
  explicit MapBook(const InstrumentRules& rules) : rules_(rules) {}

  void Submit(const NewOrder& order, std::vector<Event>* events) {
    OrderId id = ++last_id_;
    Event e;
    e.kind = EventKind::kAccepted;
    e.side = order.side;
    e.order_id = id;
    e.owner_id = order.owner_id;
    e.price_ticks = order.price_ticks;
    e.quantity = order.quantity;
    events->push_back(e);
    MatchAndRest(id, order.owner_id, order.side, order.price_ticks, order.quantity, events);
  }

  void Cancel(OrderId id, OwnerId owner, std::vector<Event>* events) {
    auto it = index_.find(id);
    if (it == index_.end() || it->second.owner != owner) {
      Reject(it == index_.end() ? OrderCode::kUnknownOrder : OrderCode::kNotOwner, id, events);
      return;
    }
    Where where = it->second;
    std::deque<BOrder>& level = LevelAt(where);
    BOrder o = Erase(id, where, Locate(id, level));
    Event e;
    e.kind = EventKind::kCancelled;
    e.side = where.side;
    e.order_id = id;
    e.owner_id = o.owner;
    e.price_ticks = where.price_ticks;
    e.quantity = o.open;
    events->push_back(e);
  }

  void Replace(OrderId id, OwnerId owner, std::int64_t price_ticks, quantity_t quantity, std::vector<Event>* events) {
    auto it = index_.find(id);
    if (it == index_.end() || it->second.owner != owner) {
      Reject(it == index_.end() ? OrderCode::kUnknownOrder : OrderCode::kNotOwner, id, events);
      return;
    }
    Where where = it->second;
    std::deque<BOrder>& level = LevelAt(where);
    auto pos = Locate(id, level);
    BOrder& o = *pos;
    bool keeps = price_ticks == where.price_ticks && quantity <= o.open;
    Event e;
    e.kind = EventKind::kReplaced;
    e.side = where.side;
    e.order_id = id;
    e.owner_id = o.owner;
    e.price_ticks = price_ticks;
    e.quantity = quantity;
    e.priority_kept = keeps;
    events->push_back(e);
    if (keeps) {
      o.open = quantity;
      return;
    }
    Erase(id, where, pos);
    MatchAndRest(id, owner, where.side, price_ticks, quantity, events);
  }

 private:
  struct BOrder {
    OrderId id;
    OwnerId owner;
    quantity_t open;
  };
  struct Where {
    Side side;
    std::int64_t price_ticks;
    OwnerId owner;
  };

  void Reject(OrderCode code, OrderId id, std::vector<Event>* events) {
    Event e;
    e.kind = EventKind::kRejected;
    e.code = code;
    e.order_id = id;
    events->push_back(e);
  }

  std::deque<BOrder>& LevelAt(const Where& where) {
    return where.side == Side::kBuy ? bids_[where.price_ticks] : asks_[where.price_ticks];
  }

  static std::deque<BOrder>::iterator Locate(OrderId id, std::deque<BOrder>& level) {
    auto pos = std::find_if(level.begin(), level.end(), [id](const BOrder& o) { return o.id == id; });
    if (pos == level.end()) std::abort();  // the index and the levels disagree: a bug here
    return pos;
  }

  BOrder Erase(OrderId id, const Where& where, std::deque<BOrder>::iterator pos) {
    std::deque<BOrder>& level = LevelAt(where);
    BOrder o = *pos;
    level.erase(pos);
    if (level.empty()) {
      if (where.side == Side::kBuy) {
        bids_.erase(where.price_ticks);
      } else {
        asks_.erase(where.price_ticks);
      }
    }
    index_.erase(id);
    return o;
  }

  template <typename Map>
  quantity_t MatchSide(Map& book, OrderId id, OwnerId owner, Side side, std::int64_t price_ticks, quantity_t open,
                       bool* self_trade, std::vector<Event>* events) {
    while (open > 0 && !book.empty()) {
      auto level_it = book.begin();
      bool crosses = side == Side::kBuy ? level_it->first <= price_ticks : level_it->first >= price_ticks;
      if (!crosses) break;
      std::deque<BOrder>& level = level_it->second;
      while (open > 0 && !level.empty()) {
        BOrder& r = level.front();
        if (r.owner == owner) {
          *self_trade = true;
          return open;
        }
        quantity_t fill = std::min(open, r.open);
        Event e;
        e.kind = EventKind::kTrade;
        e.side = side;
        e.buy_order_id = side == Side::kBuy ? id : r.id;
        e.sell_order_id = side == Side::kBuy ? r.id : id;
        e.price_ticks = level_it->first;
        e.quantity = fill;
        events->push_back(e);
        open -= fill;
        r.open -= fill;
        if (r.open == 0) {
          index_.erase(r.id);
          level.pop_front();
        }
      }
      if (level.empty()) book.erase(level_it);
    }
    return open;
  }

  void MatchAndRest(OrderId id, OwnerId owner, Side side, std::int64_t price_ticks, quantity_t open,
                    std::vector<Event>* events) {
    bool self_trade = false;
    if (side == Side::kBuy) {
      open = MatchSide(asks_, id, owner, side, price_ticks, open, &self_trade, events);
    } else {
      open = MatchSide(bids_, id, owner, side, price_ticks, open, &self_trade, events);
    }
    if (open > 0 && self_trade) {
      Event e;
      e.kind = EventKind::kCancelled;
      e.reason = CancelReason::kSelfTrade;
      e.side = side;
      e.order_id = id;
      e.owner_id = owner;
      e.price_ticks = price_ticks;
      e.quantity = open;
      events->push_back(e);
    } else if (open > 0) {
      LevelAt(Where{side, price_ticks, owner}).push_back(BOrder{id, owner, open});
      index_.emplace(id, Where{side, price_ticks, owner});
    }
  }

  InstrumentRules rules_;
  std::map<std::int64_t, std::deque<BOrder>, std::greater<std::int64_t>> bids_;
  std::map<std::int64_t, std::deque<BOrder>> asks_;
  std::unordered_map<OrderId, Where> index_;
  OrderId last_id_ = 0;
};

// ---- running a stream -------------------------------------------------------------------------

template <typename Book>
inline void Apply(Book& book, const Command& c, std::vector<Event>* events) {
  switch (c.kind) {
    case CommandKind::kNew:
      book.Submit(NewOrder{c.owner_id, c.side, c.price_ticks, c.quantity}, events);
      break;
    case CommandKind::kCancel:
      book.Cancel(c.order_id, c.owner_id, events);
      break;
    case CommandKind::kReplace:
      book.Replace(c.order_id, c.owner_id, c.price_ticks, c.quantity, events);
      break;
  }
}

struct Check {
  std::uint64_t events = 0;
  std::uint64_t trades = 0;
  quantity_t traded = 0;
  std::uint64_t hash = 1469598103934665603ull;
  bool operator==(const Check&) const = default;
};

void Mix(std::uint64_t* h, std::int64_t v) {
  for (int i = 0; i < 8; ++i) {
    *h ^= static_cast<std::uint64_t>(v >> (8 * i)) & 0xFF;
    *h *= 1099511628211ull;
  }
}

template <typename Book>
Check Verify(const Stream& s) {
  Book book(s.rules);
  std::vector<Event> events;
  Check check;
  auto absorb = [&]() {
    for (const Event& e : events) {
      check.events += 1;
      if (e.kind == EventKind::kTrade) {
        check.trades += 1;
        check.traded += e.quantity;
      }
      Mix(&check.hash, static_cast<std::int64_t>(e.kind));
      Mix(&check.hash, static_cast<std::int64_t>(e.side));
      Mix(&check.hash, static_cast<std::int64_t>(e.reason));
      Mix(&check.hash, static_cast<std::int64_t>(e.code));
      Mix(&check.hash, e.priority_kept ? 1 : 0);
      Mix(&check.hash, e.order_id);
      Mix(&check.hash, e.buy_order_id);
      Mix(&check.hash, e.sell_order_id);
      Mix(&check.hash, e.owner_id);
      Mix(&check.hash, e.price_ticks);
      Mix(&check.hash, e.quantity);
    }
    events.clear();
  };
  for (const Command& c : s.prefill) {
    Apply(book, c, &events);
    absorb();
  }
  for (const Command& c : s.commands) {
    Apply(book, c, &events);
    absorb();
  }
  return check;
}

using Clock = std::chrono::steady_clock;

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Rate {
  double wall_per_s = 0;  // commands per wall-clock second
  double cpu_per_s = 0;   // commands per second of this thread's CPU time (less sensitive to a busy host)
};

// Replays the stream on a fresh book; returns commands per second of the timed part.
template <typename Book>
Rate Throughput(const Stream& s, std::uint64_t* sink) {
  Book book(s.rules);
  std::vector<Event> events;
  events.reserve(1024);
  for (const Command& c : s.prefill) {
    Apply(book, c, &events);
    events.clear();
  }
  std::uint64_t n = 0;
  double cpu_start = ThreadCpuSeconds();
  auto start = Clock::now();
  for (const Command& c : s.commands) {
    Apply(book, c, &events);
    n += events.size();
    events.clear();
  }
  auto end = Clock::now();
  double cpu_seconds = ThreadCpuSeconds() - cpu_start;
  *sink += n;
  double seconds = std::chrono::duration<double>(end - start).count();
  double count = static_cast<double>(s.commands.size());
  return Rate{count / seconds, count / cpu_seconds};
}

struct Latency {
  double p50_ns = 0;
  double p99_ns = 0;
  double p999_ns = 0;
};

template <typename Book>
Latency MeasureLatency(const Stream& s, std::size_t batch, std::uint64_t* sink) {
  Book book(s.rules);
  std::vector<Event> events;
  events.reserve(1024);
  for (const Command& c : s.prefill) {
    Apply(book, c, &events);
    events.clear();
  }
  std::vector<double> per_op_ns;
  per_op_ns.reserve(s.commands.size() / batch + 1);
  std::uint64_t n = 0;
  for (std::size_t i = 0; i + batch <= s.commands.size(); i += batch) {
    auto start = Clock::now();
    for (std::size_t j = i; j < i + batch; ++j) {
      Apply(book, s.commands[j], &events);
      n += events.size();
      events.clear();
    }
    auto end = Clock::now();
    per_op_ns.push_back(std::chrono::duration<double, std::nano>(end - start).count() / static_cast<double>(batch));
  }
  *sink += n;
  std::sort(per_op_ns.begin(), per_op_ns.end());
  auto at = [&](double q) {
    std::size_t k = static_cast<std::size_t>(q * static_cast<double>(per_op_ns.size() - 1));
    return per_op_ns[k];
  };
  return Latency{at(0.50), at(0.99), at(0.999)};
}

// ---- the streams ------------------------------------------------------------------------------

Stream LiquibookStream(std::size_t orders) {
  Stream s;
  s.name = "liquibook";
  // ±10 % around a previous close of 1886 ticks.
  s.rules = InstrumentRules{1, 100, 1'000'000, 1698, 2074};
  std::mt19937_64 rng(20261122);
  std::uniform_int_distribution<std::int64_t> price(0, 9);
  std::uniform_int_distribution<std::int64_t> lots(1, 10);
  s.commands.reserve(orders);
  for (std::size_t i = 0; i < orders; ++i) {
    Command c;
    c.kind = CommandKind::kNew;
    c.side = i % 2 == 0 ? Side::kBuy : Side::kSell;
    c.owner_id = static_cast<OwnerId>(i + 1);
    c.price_ticks = (c.side == Side::kBuy ? 1880 : 1884) + price(rng);
    c.quantity = lots(rng) * 100;
    s.commands.push_back(c);
  }
  return s;
}

// Generates the mixed stream by driving our book, which tells which orders are open; the
// verification pass then checks that the baseline, fed the same commands, agrees event by event.
Stream MixedStream(std::size_t prefill, std::size_t orders) {
  Stream s;
  s.name = "mixed";
  s.rules = InstrumentRules{1, 100, 1'000'000, 4500, 5500};
  OrderBook book(s.rules, static_cast<std::uint32_t>(prefill * 2));
  std::vector<Event> events;
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<OwnerId> owner(1, 5000);
  std::uniform_int_distribution<std::int64_t> lots(1, 50);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<OrderId> open_ids;  // may hold closed ids; pruned lazily
  std::int64_t mid = 5000;
  auto clamp = [&](std::int64_t p) { return std::clamp<std::int64_t>(p, 4500, 5500); };
  auto add = [&](std::vector<Command>* out, const Command& c) {
    SubmitResult r;
    events.clear();
    if (c.kind == CommandKind::kNew) {
      r = book.Submit(NewOrder{c.owner_id, c.side, c.price_ticks, c.quantity}, &events);
      if (r.code == OrderCode::kOk && book.Find(r.order_id)) open_ids.push_back(r.order_id);
    } else {
      Apply(book, c, &events);
    }
    out->push_back(c);
  };
  auto pick_open = [&](RestingOrder* found) {
    for (int attempt = 0; attempt < 64 && !open_ids.empty(); ++attempt) {
      std::size_t k = std::uniform_int_distribution<std::size_t>(0, open_ids.size() - 1)(rng);
      std::optional<RestingOrder> o = book.Find(open_ids[k]);
      if (o) {
        *found = *o;
        return true;
      }
      open_ids[k] = open_ids.back();
      open_ids.pop_back();
    }
    return false;
  };
  for (std::size_t i = 0; i < prefill; ++i) {
    Command c;
    c.side = i % 2 == 0 ? Side::kBuy : Side::kSell;
    c.owner_id = owner(rng);
    std::int64_t away = 1 + static_cast<std::int64_t>(200 * unit(rng) * unit(rng));
    c.price_ticks = clamp(c.side == Side::kBuy ? mid - away : mid + away);
    c.quantity = lots(rng) * 100;
    add(&s.prefill, c);
  }
  s.commands.reserve(orders);
  while (s.commands.size() < orders) {
    if (unit(rng) < 0.01) mid = std::clamp<std::int64_t>(mid + (unit(rng) < 0.5 ? -1 : 1), 4700, 5300);
    double roll = unit(rng);
    Command c;
    RestingOrder o;
    if (roll < 0.45 || !pick_open(&o)) {
      c.kind = CommandKind::kNew;
      c.side = unit(rng) < 0.5 ? Side::kBuy : Side::kSell;
      c.owner_id = owner(rng);
      std::int64_t touch = c.side == Side::kBuy ? book.BestBid().value_or(mid - 1) : book.BestAsk().value_or(mid + 1);
      std::int64_t sign = c.side == Side::kBuy ? 1 : -1;
      std::int64_t offset = unit(rng) < 0.15 ? static_cast<std::int64_t>(1 + 5 * unit(rng))
                                             : -static_cast<std::int64_t>(100 * unit(rng) * unit(rng));
      c.price_ticks = clamp(touch + sign * offset);
      c.quantity = lots(rng) * 100;
    } else if (roll < 0.80) {
      c.kind = CommandKind::kCancel;
      c.order_id = o.order_id;
      c.owner_id = o.owner_id;
    } else {
      c.kind = CommandKind::kReplace;
      c.order_id = o.order_id;
      c.owner_id = o.owner_id;
      c.price_ticks = o.price_ticks;
      c.quantity = o.quantity;
      if (unit(rng) < 0.5 && o.quantity > 100) {
        double lots_less = unit(rng) * static_cast<double>(o.quantity / 100 - 1);
        c.quantity = o.quantity - 100 * (1 + static_cast<quantity_t>(lots_less));
      } else {
        c.price_ticks = clamp(o.price_ticks + static_cast<std::int64_t>(unit(rng) * 7) - 3);
      }
    }
    add(&s.commands, c);
  }
  return s;
}

std::size_t Option(int argc, char** argv, std::string_view flag, const char* env, std::size_t fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (flag == argv[i]) return static_cast<std::size_t>(std::strtoull(argv[i + 1], nullptr, 10));
  }
  const char* v = std::getenv(env);
  return v != nullptr ? static_cast<std::size_t>(std::strtoull(v, nullptr, 10)) : fallback;
}

bool RunStream(const Stream& s, std::size_t runs, std::size_t batch) {
  Check ours = Verify<OrderBook>(s);
  Check base = Verify<MapBook>(s);
  if (!(ours == base)) {
    std::printf("%s: MISMATCH ours events=%llu trades=%llu qty=%lld hash=%016llx, baseline events=%llu trades=%llu "
                "qty=%lld hash=%016llx\n",
                s.name.c_str(), (unsigned long long)ours.events, (unsigned long long)ours.trades,
                (long long)ours.traded, (unsigned long long)ours.hash, (unsigned long long)base.events,
                (unsigned long long)base.trades, (long long)base.traded, (unsigned long long)base.hash);
    return false;
  }
  std::size_t cancels = 0;
  std::size_t replaces = 0;
  for (const Command& c : s.commands) {
    cancels += c.kind == CommandKind::kCancel ? 1 : 0;
    replaces += c.kind == CommandKind::kReplace ? 1 : 0;
  }
  std::printf("\n%s stream: %zu commands (%zu new, %zu cancel, %zu replace), prefill %zu; both books agree: "
              "%llu events, %llu trades, %lld traded, event hash %016llx\n",
              s.name.c_str(), s.commands.size(), s.commands.size() - cancels - replaces, cancels, replaces,
              s.prefill.size(), (unsigned long long)ours.events, (unsigned long long)ours.trades,
              (long long)ours.traded, (unsigned long long)ours.hash);
  std::uint64_t sink = 0;
  std::vector<double> ours_rate;
  std::vector<double> base_rate;
  std::vector<double> ours_cpu;
  std::vector<double> base_cpu;
  for (std::size_t r = 0; r < runs; ++r) {
    Rate ours_run = Throughput<OrderBook>(s, &sink);
    Rate base_run = Throughput<MapBook>(s, &sink);
    ours_rate.push_back(ours_run.wall_per_s);
    ours_cpu.push_back(ours_run.cpu_per_s);
    base_rate.push_back(base_run.wall_per_s);
    base_cpu.push_back(base_run.cpu_per_s);
  }
  for (std::vector<double>* v : {&ours_rate, &base_rate, &ours_cpu, &base_cpu}) std::sort(v->begin(), v->end());
  Latency ours_lat = MeasureLatency<OrderBook>(s, batch, &sink);
  Latency base_lat = MeasureLatency<MapBook>(s, batch, &sink);
  auto median = [](const std::vector<double>& v) { return v[v.size() / 2]; };
  auto print = [&](const char* who, const std::vector<double>& rate, const std::vector<double>& cpu,
                   const Latency& lat) {
    std::printf("  %-9s wall: median %6.2f best %6.2f M cmd/s | CPU: median %6.2f M cmd/s | per command (batches of "
                "%zu) p50 %6.1f ns  p99 %7.1f ns  p99.9 %7.1f ns\n",
                who, median(rate) / 1e6, rate.back() / 1e6, median(cpu) / 1e6, batch, lat.p50_ns, lat.p99_ns,
                lat.p999_ns);
  };
  print("ours", ours_rate, ours_cpu, ours_lat);
  print("baseline", base_rate, base_cpu, base_lat);
  std::printf("  ratio ours/baseline: wall median %.2fx  wall best %.2fx  CPU median %.2fx\n",
              median(ours_rate) / median(base_rate), ours_rate.back() / base_rate.back(),
              median(ours_cpu) / median(base_cpu));
  std::printf("RESULT stream=%s ours_cmd_per_s=%.0f baseline_cmd_per_s=%.0f ratio=%.2f "
              "ours_cmd_per_cpu_s=%.0f baseline_cmd_per_cpu_s=%.0f cpu_ratio=%.2f (sink %llu)\n",
              s.name.c_str(), median(ours_rate), median(base_rate), median(ours_rate) / median(base_rate),
              median(ours_cpu), median(base_cpu), median(ours_cpu) / median(base_cpu),
              (unsigned long long)(sink & 1));
  return true;
}

}  // namespace
}  // namespace greenloop

int main(int argc, char** argv) {
  using namespace greenloop;
  std::size_t orders = Option(argc, argv, "--orders", "ORDERS", 1'000'000);
  std::size_t prefill = Option(argc, argv, "--prefill", "PREFILL", 200'000);
  std::size_t runs = std::max<std::size_t>(1, Option(argc, argv, "--runs", "RUNS", 5));
  std::size_t batch = std::max<std::size_t>(1, Option(argc, argv, "--batch", "BATCH", 16));
  double load[3] = {0, 0, 0};
  if (std::FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3) load[0] = load[1] = load[2] = -1;
    std::fclose(f);
  }
  std::printf("greenloop_market_bench: %zu commands per stream, %zu runs, one core, load average %.2f %.2f %.2f\n",
              orders, runs, load[0], load[1], load[2]);
  bool ok = RunStream(LiquibookStream(orders), runs, batch);
  ok = RunStream(MixedStream(prefill, orders), runs, batch) && ok;
  return ok ? 0 : 1;
}
