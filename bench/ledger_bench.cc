// bench/ledger_bench.cc — greenloop_ledger_bench
//
// Durable transfers per second through the registry service (RegistryService::Execute, the
// ledger engine, the SQL store) on SQLite with WAL and synchronous=FULL, i.e. every commit is
// fsync'ed before a job is acknowledged. Measures, each on a fresh database in a temp dir:
//
//   batched   jobs of --batch-size transfers each (ApplyTransferBatch), --submitters threads
//   grouped   --threads client threads each submitting one-transfer jobs; the writer commits
//             whatever is queued together (group commit)
//   baseline  one transfer per Execute with max_group_jobs=1: one SQLite transaction and one
//             fsync per transfer, one client thread
//   no-group  (control) the same --threads clients as "grouped" but max_group_jobs=1
//
// and prints transfers/s, commits, time inside Store::Commit, per-job latency and the ratio of
// each variant to the baseline. Afterwards every database is checked with the JournalVerifier
// (hash chain, balances, every entry balanced), as `greenloop verify` does.
//
// A benchmark prints figures; it never fails on timing. Exit code 1 only when a transfer was
// refused or the verifier finds a problem, 2 on a usage or setup error.
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "core/crypto.h"
#include "core/time.h"
#include "core/uscc.h"
#include "service/verify_store.h"
#include "service/operations.h"
#include "service/registry_service.h"
#include "store/store.h"
#include "store/store_wrapper.h"

namespace greenloop {
namespace {

using Clock_ = std::chrono::steady_clock;

double SecondsSince(Clock_::time_point start) {
  return std::chrono::duration<double>(Clock_::now() - start).count();
}

// Forwards everything to the real store and times Commit, so that the report can say how much
// of the wall time is spent writing and syncing and how many transfers each commit carried.
class TimedStore : public StoreWrapper {
 public:
  explicit TimedStore(Store* inner) : StoreWrapper(inner) {}

  struct Stats {
    std::int64_t commits = 0;
    std::int64_t entries = 0;
    std::int64_t holdings = 0;
    std::int64_t commit_ns = 0;
    std::int64_t max_commit_ns = 0;
  };
  Stats stats() const {
    return Stats{commits_.load(), entries_.load(), holdings_.load(), commit_ns_.load(), max_commit_ns_.load()};
  }

  Status Commit(const WriteBatch& batch) override {
    auto start = Clock_::now();
    Status st = StoreWrapper::Commit(batch);
    std::int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock_::now() - start).count();
    commits_.fetch_add(1, std::memory_order_relaxed);
    entries_.fetch_add(static_cast<std::int64_t>(batch.entries.size()), std::memory_order_relaxed);
    holdings_.fetch_add(static_cast<std::int64_t>(batch.holdings.size()), std::memory_order_relaxed);
    commit_ns_.fetch_add(ns, std::memory_order_relaxed);
    if (ns > max_commit_ns_.load(std::memory_order_relaxed)) max_commit_ns_.store(ns, std::memory_order_relaxed);
    return st;
  }

 private:
  std::atomic<std::int64_t> commits_{0};
  std::atomic<std::int64_t> entries_{0};
  std::atomic<std::int64_t> holdings_{0};
  std::atomic<std::int64_t> commit_ns_{0};
  std::atomic<std::int64_t> max_commit_ns_{0};
};

struct Config {
  std::int64_t accounts = 1000;
  std::int64_t orgs = 4;
  std::int64_t batched = 400'000;
  std::int64_t batch_size = 8000;
  std::int64_t submitters = 4;  // two jobs queued behind the one being committed keep the pipeline full
  std::int64_t grouped = 100'000;
  std::int64_t threads = 64;
  std::int64_t baseline = 2000;
  std::int64_t no_group = 2000;
  std::string dir;
  bool keep = false;
  bool verify = true;
};

constexpr const char* kInstrument = "CEA-2024";
constexpr quantity_t kInitialBalance = 1'000'000'000'000;  // per account; transfers move 1..100

// A registry opened the way OpenRegistry opens one (store, migrations, service, bootstrap), with
// the store wrapped for timing.
struct BenchRegistry {
  std::string path;
  std::unique_ptr<Store> store;
  std::unique_ptr<TimedStore> timed;
  std::unique_ptr<RegistryService> service;  // destroyed first: the writer stops before the store
  std::vector<AccountId> accounts;

  ~BenchRegistry() {
    service.reset();
    timed.reset();
    store.reset();
  }
};

Status OpenBenchRegistry(const std::string& path, size_t max_group_jobs, BenchRegistry* out) {
  out->path = path;
  GL_RETURN_IF_ERROR(OpenStore("sqlite:" + path, &out->store));
  GL_RETURN_IF_ERROR(out->store->Migrate(nullptr));
  out->timed = std::make_unique<TimedStore>(out->store.get());
  ServiceOptions options;
  options.max_group_jobs = max_group_jobs;
  GL_RETURN_IF_ERROR(RegistryService::Open(out->timed.get(), SystemClock(), options, &out->service));
  Reply reply = out->service->Execute([](WriteContext& ctx) {
    Status st = Bootstrap(ctx);
    return st.ok() ? Reply{201, ""} : ErrorReply(st);
  });
  if (reply.http_status != 201) return Status::Unavailable("bootstrap failed: " + reply.body);
  return Status::OK();
}

std::string MakeUscc(std::int64_t n) {
  // 91 (enterprise, company) + 150200 (Baotou) + 9 digits; then the GB 32100-2015 check character.
  std::string first17 = fmt::format("91150200{:09d}", n);
  return first17 + UsccCheckCharacter(first17);
}

// One job: the enterprises, their holding accounts, and an issuance of CEA-2024 to each.
Status CreateFixtures(const Config& config, BenchRegistry* r) {
  std::vector<AccountId> accounts;
  Reply reply = r->service->Execute([&](WriteContext& ctx) {
    Principal system = SystemPrincipal();
    std::vector<OrgId> orgs;
    for (std::int64_t i = 0; i < config.orgs; ++i) {
      Organization org;
      org.kind = OrgKind::kEnterprise;
      org.name_zh = fmt::format("基准测试企业{}", i + 1);
      org.name_en = fmt::format("Benchmark enterprise {}", i + 1);
      org.uscc = MakeUscc(i + 1);
      org.region = "150200";
      org.industry = "power";
      Organization created;
      Status st = CreateOrganization(ctx, system, org, &created);
      if (!st.ok()) return ErrorReply(st);
      orgs.push_back(created.id);
    }
    for (std::int64_t i = 0; i < config.accounts; ++i) {
      Account account;
      Status st = CreateAccount(ctx, system, orgs[static_cast<size_t>(i % config.orgs)], AccountKind::kHolding,
                                fmt::format("bench holding {}", i + 1), &account);
      if (!st.ok()) return ErrorReply(st);
      accounts.push_back(account.id);
      Movement issue;
      issue.kind = EntryKind::kIssue;
      issue.to_account = account.id;
      issue.instrument = kInstrument;
      issue.quantity = kInitialBalance;
      issue.memo = "benchmark opening balance";
      Entry entry;
      st = ApplyMovement(ctx, system, issue, &entry);
      if (!st.ok()) return ErrorReply(st);
    }
    return Reply{201, ""};
  });
  if (reply.http_status != 201) return Status::Unavailable("creating the fixtures failed: " + reply.body);
  r->accounts = std::move(accounts);
  return Status::OK();
}

// The k-th transfer of a run: every account sends and receives, never to itself.
Movement TransferNumber(const std::vector<AccountId>& accounts, std::int64_t k) {
  const std::int64_t n = static_cast<std::int64_t>(accounts.size());
  Movement m;
  m.kind = EntryKind::kTransfer;
  m.from_account = accounts[static_cast<size_t>(k % n)];
  m.to_account = accounts[static_cast<size_t>((k + 1 + (k / n) % (n - 1)) % n)];
  m.instrument = kInstrument;
  m.quantity = 1 + k % 100;
  return m;
}

// What the process did in a phase: CPU time (all threads) and I/O from /proc/self/io.
struct ProcessCounters {
  double user_s = 0, sys_s = 0;
  std::int64_t wchar = 0, syscw = 0, write_bytes = 0;
};

ProcessCounters ReadCounters() {
  ProcessCounters c;
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) == 0) {
    c.user_s = static_cast<double>(usage.ru_utime.tv_sec) + static_cast<double>(usage.ru_utime.tv_usec) / 1e6;
    c.sys_s = static_cast<double>(usage.ru_stime.tv_sec) + static_cast<double>(usage.ru_stime.tv_usec) / 1e6;
  }
  std::ifstream io("/proc/self/io");
  std::string key;
  std::int64_t value = 0;
  while (io >> key >> value) {
    if (key == "wchar:") c.wchar = value;
    if (key == "syscw:") c.syscw = value;
    if (key == "write_bytes:") c.write_bytes = value;
  }
  return c;
}

ProcessCounters Delta(const ProcessCounters& a, const ProcessCounters& b) {
  return ProcessCounters{b.user_s - a.user_s, b.sys_s - a.sys_s, b.wchar - a.wchar, b.syscw - a.syscw,
                         b.write_bytes - a.write_bytes};
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five;
  in >> one >> five;
  return one + " (1 min), " + five + " (5 min)";
}

struct Percentiles {
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
};

Percentiles ComputePercentiles(std::vector<double>& latencies_ms) {
  Percentiles p;
  if (latencies_ms.empty()) return p;
  std::sort(latencies_ms.begin(), latencies_ms.end());
  auto at = [&](double q) {
    size_t i = static_cast<size_t>(q * static_cast<double>(latencies_ms.size() - 1) + 0.5);
    return latencies_ms[std::min(i, latencies_ms.size() - 1)];
  };
  p.p50_ms = at(0.50);
  p.p99_ms = at(0.99);
  p.max_ms = latencies_ms.back();
  return p;
}

struct PhaseResult {
  std::string name;
  std::int64_t transfers = 0;
  std::int64_t refused = 0;
  double seconds = 0;
  TimedStore::Stats store;
  ProcessCounters process;
  Percentiles latency;
  std::string latency_of;
  double rate() const { return seconds > 0 ? static_cast<double>(transfers) / seconds : 0; }
};

TimedStore::Stats Delta(const TimedStore::Stats& a, const TimedStore::Stats& b) {
  return TimedStore::Stats{b.commits - a.commits, b.entries - a.entries, b.holdings - a.holdings,
                           b.commit_ns - a.commit_ns, b.max_commit_ns};
}

// Jobs of `batch_size` transfers each, submitted by `submitters` threads.
PhaseResult RunBatched(BenchRegistry& r, std::int64_t total, std::int64_t batch_size, std::int64_t submitters,
                       std::int64_t first_k) {
  PhaseResult result;
  result.name = fmt::format("batched ({} transfers/job, {} submitters)", batch_size, submitters);
  result.latency_of = "job";
  const std::int64_t jobs = (total + batch_size - 1) / batch_size;
  std::atomic<std::int64_t> next_job{0};
  std::atomic<std::int64_t> refused{0};
  std::atomic<std::int64_t> done{0};
  std::vector<std::vector<double>> latencies(static_cast<size_t>(submitters));
  const Principal principal = SystemPrincipal();
  TimedStore::Stats before = r.timed->stats();
  ProcessCounters counters = ReadCounters();
  auto start = Clock_::now();
  std::vector<std::thread> threads;
  for (std::int64_t t = 0; t < submitters; ++t) {
    threads.emplace_back([&, t] {
      std::vector<BatchTransfer> items;
      while (true) {
        std::int64_t job = next_job.fetch_add(1);
        if (job >= jobs) break;
        const std::int64_t begin = job * batch_size;
        const std::int64_t end = std::min(total, begin + batch_size);
        items.clear();
        for (std::int64_t k = begin; k < end; ++k) items.push_back(BatchTransfer{TransferNumber(r.accounts, first_k + k), false});
        std::int64_t bad = 0;
        auto job_start = Clock_::now();
        Reply reply = r.service->Execute([&](WriteContext& ctx) {
          std::vector<BatchResult> results = ApplyTransferBatch(ctx, principal, items);
          for (const BatchResult& res : results) {
            if (res.result == "ok") continue;
            if (bad++ == 0 && refused.load() == 0) fmt::print(stderr, "first refusal: {} {}\n", res.result, res.message);
          }
          return Reply{200, ""};
        });
        latencies[static_cast<size_t>(t)].push_back(SecondsSince(job_start) * 1e3);
        if (reply.http_status != 200) bad = end - begin;
        refused.fetch_add(bad);
        done.fetch_add(end - begin - bad);
      }
    });
  }
  for (auto& th : threads) th.join();
  result.seconds = SecondsSince(start);
  result.store = Delta(before, r.timed->stats());
  result.process = Delta(counters, ReadCounters());
  result.transfers = done.load();
  result.refused = refused.load();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  result.latency = ComputePercentiles(all);
  return result;
}

// `threads` clients, each submitting one-transfer jobs back to back.
PhaseResult RunSingles(const std::string& name, BenchRegistry& r, std::int64_t total, std::int64_t threads_count,
                       std::int64_t first_k) {
  PhaseResult result;
  result.name = name;
  result.latency_of = "transfer";
  std::atomic<std::int64_t> next{0};
  std::atomic<std::int64_t> refused{0};
  std::atomic<std::int64_t> done{0};
  std::vector<std::vector<double>> latencies(static_cast<size_t>(threads_count));
  const Principal principal = SystemPrincipal();
  TimedStore::Stats before = r.timed->stats();
  ProcessCounters counters = ReadCounters();
  auto start = Clock_::now();
  std::vector<std::thread> threads;
  for (std::int64_t t = 0; t < threads_count; ++t) {
    threads.emplace_back([&, t] {
      auto& mine = latencies[static_cast<size_t>(t)];
      mine.reserve(static_cast<size_t>(total / threads_count + 1));
      while (true) {
        std::int64_t k = next.fetch_add(1);
        if (k >= total) break;
        Movement m = TransferNumber(r.accounts, first_k + k);
        auto op_start = Clock_::now();
        Reply reply = r.service->Execute([&](WriteContext& ctx) {
          Entry entry;
          Status st = ApplyMovement(ctx, principal, m, &entry);
          return st.ok() ? Reply{201, ""} : ErrorReply(st);
        });
        mine.push_back(SecondsSince(op_start) * 1e3);
        if (reply.http_status == 201) {
          done.fetch_add(1);
        } else {
          if (refused.fetch_add(1) == 0) fmt::print(stderr, "first refusal: {} {}\n", reply.http_status, reply.body);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  result.seconds = SecondsSince(start);
  result.store = Delta(before, r.timed->stats());
  result.process = Delta(counters, ReadCounters());
  result.transfers = done.load();
  result.refused = refused.load();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  result.latency = ComputePercentiles(all);
  return result;
}

void PrintPhase(const PhaseResult& p, double baseline_rate) {
  const double commit_s = static_cast<double>(p.store.commit_ns) / 1e9;
  fmt::print("\n{}\n", p.name);
  fmt::print("  transfers         {} durable ({} refused) in {:.3f} s\n", p.transfers, p.refused, p.seconds);
  fmt::print("  rate              {:.0f} transfers/s", p.rate());
  if (baseline_rate > 0) fmt::print("   ({:.1f}x the baseline)", p.rate() / baseline_rate);
  fmt::print("\n");
  if (p.store.commits > 0) {
    fmt::print("  commits           {} (fsync'ed transactions), {:.1f} transfers/commit, {:.0f} holding rows/commit\n",
               p.store.commits, static_cast<double>(p.store.entries) / static_cast<double>(p.store.commits),
               static_cast<double>(p.store.holdings) / static_cast<double>(p.store.commits));
    fmt::print("  in Store::Commit  {:.3f} s = {:.0f}% of wall time; {:.3f} ms/commit avg, {:.2f} us/transfer\n",
               commit_s, 100.0 * commit_s / p.seconds,
               1e3 * commit_s / static_cast<double>(p.store.commits),
               p.store.entries > 0 ? 1e6 * commit_s / static_cast<double>(p.store.entries) : 0.0);
  }
  const double n = static_cast<double>(std::max<std::int64_t>(p.transfers, 1));
  fmt::print("  process           CPU {:.2f} s user + {:.2f} s sys on {:.2f} s wall = {:.1f} us CPU/transfer\n",
             p.process.user_s, p.process.sys_s, p.seconds, 1e6 * (p.process.user_s + p.process.sys_s) / n);
  fmt::print("  writes            {:.1f} KB/transfer in {:.2f} write calls/transfer (WAL frames, checkpoints)\n",
             static_cast<double>(p.process.wchar) / 1024.0 / n, static_cast<double>(p.process.syscw) / n);
  fmt::print("  latency per {}  p50 {:.3f} ms, p99 {:.3f} ms, max {:.3f} ms\n", p.latency_of, p.latency.p50_ms,
             p.latency.p99_ms, p.latency.max_ms);
}

bool VerifyRegistry(BenchRegistry& r) {
  auto start = Clock_::now();
  Store& store = *r.store;
  VerifyReport report;
  Status st = VerifyStore(store, &report);
  if (!st.ok()) {
    fmt::print("  verify {}: FAILED to read: {}\n", r.path, st.ToString());
    return false;
  }
  const std::vector<VerifyProblem>& problems = report.problems;
  if (problems.empty()) {
    fmt::print("  verify {}: ok, {} entries; hash chain intact, balances equal their postings ({:.1f} s)\n",
               std::filesystem::path(r.path).filename().string(), report.entries, SecondsSince(start));
    return true;
  }
  fmt::print("  verify {}: FAILED, {} problem(s) in {} entries\n", r.path, problems.size(), report.entries);
  for (size_t i = 0; i < problems.size() && i < 10; ++i) {
    fmt::print("    [{}] {}\n", problems[i].kind, problems[i].message);
  }
  return false;
}

std::string FileSize(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return "?";
  return fmt::format("{:.1f} MB", static_cast<double>(size) / 1e6);
}

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      size_t colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown";
}

void Usage() {
  fmt::print(
      "usage: greenloop_ledger_bench [--accounts N] [--orgs N] [--batched N] [--batch-size N] [--submitters N]\n"
      "                              [--grouped N] [--threads N] [--baseline N] [--no-group N] [--dir PATH] [--keep]\n"
      "                              [--no-verify]\n"
      "  --batched N     transfers in the batched phase (jobs of --batch-size), 0 skips it   [400000]\n"
      "  --grouped N     transfers in the group-commit phase (one per job, --threads clients) [100000]\n"
      "  --baseline N    transfers with max_group_jobs=1, one client                          [2000]\n"
      "  --no-group N    transfers with max_group_jobs=1, --threads clients (control)         [2000]\n"
      "  --dir PATH      where the databases go (a fresh temp dir under it)                   [/tmp]\n"
      "  --keep          keep the databases afterwards\n"
      "  --no-verify     skip the journal verification (only for profiling the write path)\n");
}

bool ParseArgs(int argc, char** argv, Config* c) {
  std::map<std::string, std::int64_t*> ints = {
      {"--accounts", &c->accounts}, {"--orgs", &c->orgs},       {"--batched", &c->batched},
      {"--batch-size", &c->batch_size}, {"--submitters", &c->submitters}, {"--grouped", &c->grouped},
      {"--threads", &c->threads},   {"--baseline", &c->baseline}, {"--no-group", &c->no_group}};
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    size_t eq = arg.find('=');
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    }
    if (arg == "--help" || arg == "-h") return false;
    if (arg == "--keep") {
      c->keep = true;
      continue;
    }
    if (arg == "--no-verify") {
      c->verify = false;
      continue;
    }
    if (eq == std::string::npos) {
      if (i + 1 >= argc) return false;
      value = argv[++i];
    }
    if (arg == "--dir") {
      c->dir = value;
      continue;
    }
    auto it = ints.find(arg);
    if (it == ints.end()) return false;
    char* end = nullptr;
    long long v = std::strtoll(value.c_str(), &end, 10);
    if (end == value.c_str() || *end != '\0' || v < 0) return false;
    *it->second = v;
  }
  return c->accounts >= 2 && c->orgs >= 1 && c->batch_size >= 1 && c->batch_size <= 8000 && c->submitters >= 1 &&
         c->threads >= 1 && c->threads <= 4096;
}

int Main(int argc, char** argv) {
  Config config;
  if (!ParseArgs(argc, argv, &config)) {
    Usage();
    return 2;
  }
  InitCrypto();
  std::string base = config.dir.empty() ? std::filesystem::temp_directory_path().string() : config.dir;
  std::string pattern = base + "/greenloop-ledger-bench-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) {
    fmt::print(stderr, "cannot create a temp dir under {}\n", base);
    return 2;
  }
  const std::string dir = buffer.data();

  fmt::print("GreenLoop ledger benchmark: durable transfers through RegistryService on SQLite\n");
  fmt::print("  machine    {} cores, {}\n", std::thread::hardware_concurrency(), CpuModel());
  fmt::print("  sqlite     {} — WAL, synchronous=FULL (fsync of the WAL on every commit), foreign_keys=ON\n",
             sqlite3_libversion());
  fmt::print("  databases  {}\n", dir);
  fmt::print("  load avg   {} at start (other processes share the machine)\n", LoadAverage());
  fmt::print("  fixtures   {} enterprises, {} holding accounts, each issued {} {}\n", config.orgs, config.accounts,
             kInitialBalance, kInstrument);
  fmt::print("  per transfer: 1 entry row + 2 posting rows (3 indexes) + holding upserts, SHA-256 hash chain\n");

  int exit_code = 0;
  std::vector<PhaseResult> results;
  double baseline_rate = 0;
  {
    BenchRegistry base_reg;
    Status st = OpenBenchRegistry(dir + "/baseline.db", 1, &base_reg);
    if (st.ok()) st = CreateFixtures(config, &base_reg);
    if (!st.ok()) {
      fmt::print(stderr, "setup failed: {}\n", st.ToString());
      return 2;
    }
    if (config.baseline > 0) {
      results.push_back(RunSingles("baseline: one transaction + fsync per transfer (max_group_jobs=1, 1 client)",
                                   base_reg, config.baseline, 1, 0));
      baseline_rate = results.back().rate();
      PrintPhase(results.back(), 0);
    }
    if (config.no_group > 0) {
      results.push_back(RunSingles(fmt::format("control: max_group_jobs=1, {} clients (no group commit)", config.threads),
                                   base_reg, config.no_group, config.threads, config.baseline));
      PrintPhase(results.back(), baseline_rate);
    }
    fmt::print("\n");
    if (config.verify && !VerifyRegistry(base_reg)) exit_code = 1;
    fmt::print("  size {} (+ WAL {})\n", FileSize(base_reg.path), FileSize(base_reg.path + "-wal"));
  }
  {
    BenchRegistry reg;
    Status st = OpenBenchRegistry(dir + "/grouped.db", ServiceOptions().max_group_jobs, &reg);
    if (st.ok()) st = CreateFixtures(config, &reg);
    if (!st.ok()) {
      fmt::print(stderr, "setup failed: {}\n", st.ToString());
      return 2;
    }
    if (config.batched > 0) {
      results.push_back(RunBatched(reg, config.batched, config.batch_size, config.submitters, 0));
      PrintPhase(results.back(), baseline_rate);
    }
    if (config.grouped > 0) {
      results.push_back(RunSingles(
          fmt::format("group commit: {} clients, one transfer per job (max_group_jobs={})", config.threads,
                      ServiceOptions().max_group_jobs),
          reg, config.grouped, config.threads, config.batched));
      PrintPhase(results.back(), baseline_rate);
    }
    fmt::print("\n");
    if (config.verify && !VerifyRegistry(reg)) exit_code = 1;
    fmt::print("  size {} (+ WAL {})\n", FileSize(reg.path), FileSize(reg.path + "-wal"));
  }

  fmt::print("\nsummary (durable transfers/s; ratio to the baseline of one transaction per transfer)\n");
  for (const PhaseResult& p : results) {
    fmt::print("  {:>10.0f}/s  {:>7.1f}x  {}\n", p.rate(), baseline_rate > 0 ? p.rate() / baseline_rate : 0.0, p.name);
    if (p.refused > 0) exit_code = 1;
  }
  fmt::print("  target: >= 100000 durable transfers/s with batched commits\n");
  fmt::print("  load avg at end: {}\n", LoadAverage());

  if (config.keep) {
    fmt::print("databases kept in {}\n", dir);
  } else {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  return exit_code;
}

}  // namespace
}  // namespace greenloop

int main(int argc, char** argv) { return greenloop::Main(argc, argv); }
