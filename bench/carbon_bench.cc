// bench/carbon_bench.cc — greenloop_carbon_bench
//
// Province-scale recomputation of emissions and allowances for power generation: by default
// 2,000 facilities × 10 units × 12 months of 2022 monitoring data (about 240,000 unit-months and
// 300,000 fuel rows). It generates the data from a fixed seed, stores it in a fresh SQLite
// database through the embedded migrations, and then times two ways of recomputing everything:
//
//   engine   read every mrv_units / mrv_unit_months / mrv_fuel_months row, build one
//            PowerAccountingInput per facility, run AccountPowerEmissions (data year 2022) and
//            AllocatePower (plan year 2023) per facility and sum the province exactly. Timed end
//            to end (read + compute) and compute-only (inputs already in memory).
//   SQL      the same computation written as two SQL statements over the stored rows, the way a
//            team would write it without the engines: emissions per unit-year (defaults joined
//            from a small temp table filled from the rules data), then allowances per unit and
//            entity (benchmark × peak-regulation factor, gas top-up, 80 % gap cap). REAL
//            arithmetic, so it agrees with the exact engine to within rounding noise only.
//
// The data: per facility 10 units, about 70 % pulverized coal (300–1,000 MW), 20 % circulating
// fluidized bed (half on coal gangue, i.e. unconventional), 10 % combined-cycle gas; per unit and
// month 1–2 fuels (coal with lab-measured NCV and, mostly, carbon content; some months unmeasured
// or without a lab report, so the guideline's defaults apply; ignition diesel and gas on
// defaults), generation from capacity × hours × load, heat for some units, purchased electricity
// for a quarter of them. Allocation uses the same activity data as if it were the 2023 year's,
// with each unit's computed emissions as its verified emissions (combustion only: the 2023 plan
// leaves purchased electricity out of the comparison) and the mean of its monthly load rates.
//
// The engine path is also timed on THREADS threads (one per core by default), each reading and
// computing a range of facilities through its own connection: facilities are independent, and
// the ≤ 1 s target is for the machine, while the SQL is one statement on one core.
//
// Each is timed best-of-RUNS after one warm-up, interleaved so that a busy host slows all of them
// alike. Before any figure is printed both paths must agree: province emissions and allowances
// within 1 t, every facility's emissions within 0.01 t and allowance within 1 t.
//
// A benchmark prints figures; it never fails on timing. Exit code 1 when the engine refuses a
// generated facility or the two paths disagree (the benchmark itself would be wrong), 2 on a
// usage or setup error.
//
// Options (argv overrides the environment): --facilities N / FACILITIES [2000], --units N /
// UNITS [10], --runs N / RUNS [5], --threads N / THREADS [nproc], --keep-db / KEEP_DB=1 (keep the
// database file afterwards).
#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "allocation/power_allocation.h"
#include "calc/carbon_rules.h"
#include "core/decimal.h"
#include "core/embedded.h"
#include "mrv/power_accounting.h"

namespace greenloop {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kDataYear = 2022;  // has a grid factor, and the unmeasured-coal default changes in April
constexpr int kPlanYear = 2023;
constexpr std::uint64_t kSeed = 0x6C0A2022;
constexpr std::int64_t kEnteredAtUs = 1'672'531'200'000'000;  // 2023-01-01T00:00:00Z

struct Config {
  std::int64_t facilities = 2000;
  std::int64_t units = 10;
  std::int64_t runs = 5;
  std::int64_t threads = 0;  // for the parallel engine run; 0: one per core
  bool keep_db = false;
};

// The database of the run, named when the run fails: it is left behind for a look.
std::string database_path;

[[noreturn]] void Fail(int exit_code, const std::string& message) {
  std::fflush(stdout);
  std::fprintf(stderr, "greenloop_carbon_bench: %s\n", message.c_str());
  if (!database_path.empty()) std::fprintf(stderr, "  the database is kept: %s\n", database_path.c_str());
  std::exit(exit_code);
}

double SecondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// CPU time of the process (all threads): on a shared host it varies less than the wall clock.
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// ---------------------------------------------------------------------------------------------
// SQLite, thinly wrapped: every failure here is a setup error, so it ends the run.

void Exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errmsg(db);
    sqlite3_free(error);
    Fail(2, "SQL failed: " + message + "\n  in: " + sql.substr(0, 200));
  }
}

class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) {
      Fail(2, std::string("cannot prepare: ") + sqlite3_errmsg(db) + "\n  in: " + sql.substr(0, 200));
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void Bind(int i, std::int64_t value) { sqlite3_bind_int64(stmt_, i, value); }
  void Bind(int i, double value) { sqlite3_bind_double(stmt_, i, value); }
  void Bind(int i, const std::string& value) {
    sqlite3_bind_text(stmt_, i, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  }
  void Bind(int i, Decimal value) { Bind(i, value.micros()); }
  void Bind(int i, const std::optional<Decimal>& value) {
    if (value) {
      Bind(i, value->micros());
    } else {
      sqlite3_bind_null(stmt_, i);
    }
  }

  // True while there is a row; false when done.
  bool Step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Fail(2, std::string("SQL step failed: ") + sqlite3_errmsg(db_));
  }
  void Run() {
    while (Step()) {
    }
    sqlite3_reset(stmt_);
  }
  void Reset() { sqlite3_reset(stmt_); }

  std::int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Real(int col) const { return sqlite3_column_double(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  Decimal Micros(int col) const { return Decimal::FromMicros(Int(col)); }
  std::optional<Decimal> OptionalMicros(int col) const {
    if (IsNull(col)) return std::nullopt;
    return Micros(col);
  }
  std::string_view Text(int col) const {
    const unsigned char* text = sqlite3_column_text(stmt_, col);
    return text ? std::string_view(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, col))
                 : std::string_view();
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

sqlite3* OpenDatabase(const std::string& path) {
  sqlite3* db = nullptr;
  // Each connection is used by one thread at a time, so SQLite's per-call mutex is not needed;
  // it cost the row-by-row reads of the engine path about 15 %.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    Fail(2, "cannot open " + path + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
  }
  // As the store opens its connections (WAL, temp tables in memory), with a page cache that holds
  // the whole database, so that both paths read the same pages from memory and the comparison is
  // between the computations rather than between cold and warm reads.
  Exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-262144;");
  return db;
}

// ---------------------------------------------------------------------------------------------
// Deterministic data. Every facility draws from its own stream (seeded by its id), so facility 17
// is the same whatever FACILITIES is.

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}

  // splitmix64: small, fast and good enough to make data look varied.
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double Uniform(double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(Next() >> 11) * 0x1.0p-53;
  }
  int Percent() { return static_cast<int>(Next() % 100); }
  template <typename T, size_t N>
  T Pick(const T (&choices)[N]) {
    return choices[Next() % N];
  }

 private:
  std::uint64_t state_;
};

// A positive figure as millionths, rounded to a multiple of `quantum_micros` (how precisely a
// meter or a lab reports it: 0.001 MWh, 0.01 t, 0.001 GJ/t …).
Decimal Quantized(double value, std::int64_t quantum_micros) {
  const double quanta = std::round(value * 1e6 / static_cast<double>(quantum_micros));
  return Decimal::FromMicros(static_cast<std::int64_t>(quanta) * quantum_micros);
}

struct FacilityInput {
  std::int64_t facility_id = 0;
  mrv::PowerAccountingInput input;
};

// How one generated unit behaves through the year.
struct UnitProfile {
  double base_load = 0;     // fraction of rated output while running
  double efficiency = 0;    // electricity out / fuel heat in
  double aux_share = 0;     // own use: supply = generation × (1 − aux)
  bool buys_electricity = false;
  std::string fuel, blend_fuel;  // main fuel and the fuel blended in some months
  double ncv = 0, blend_ncv = 0;        // GJ per t (coal)
  double carbon = 0, blend_carbon = 0;  // tC per GJ, as the lab measures it
  int unmeasured_percent = 12;          // months whose coal carbon content was not measured
};

int DaysIn(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

std::string Tag(const char* prefix, std::int64_t facility_id, int unit, int month) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s-%05lld-%02d-%02d", prefix, static_cast<long long>(facility_id), unit, month);
  return buffer;
}

// A coal fuel as reported in one month: NCV always measured; carbon content measured with a lab
// report most months, but unmeasured (`unmeasured_percent` of months) or measured without a
// report (8 %) in others, which the guideline answers with the month's high default.
mrv::FuelUse CoalUse(Rng& rng, const std::string& fuel, double ncv_base, double carbon_base, int unmeasured_percent,
                     double heat_gj, std::int64_t facility_id, int unit, int month) {
  mrv::FuelUse use;
  use.fuel = fuel;
  const Decimal ncv = Quantized(ncv_base * rng.Uniform(0.96, 1.04), 1'000);
  use.ncv = ncv;
  use.ncv_evidence = Tag("NCV", facility_id, unit, month);
  use.consumption = Quantized(heat_gj / ncv.ToDouble(), 10'000);
  const int carbon_roll = rng.Percent();
  if (carbon_roll >= unmeasured_percent) use.carbon_tc_per_gj = Quantized(carbon_base * rng.Uniform(0.98, 1.02), 10);
  if (carbon_roll >= unmeasured_percent + 8) use.carbon_evidence = Tag("CNAS-L0417", facility_id, unit, month);
  if (rng.Percent() < 15) use.oxidation_rate = Quantized(rng.Uniform(0.975, 0.995), 1'000);
  return use;
}

// A fuel with guideline defaults for everything but the amount (natural gas, ignition diesel).
mrv::FuelUse DefaultedUse(const std::string& fuel, double heat_gj, const mrv::PowerAccountingRules& rules) {
  mrv::FuelUse use;
  use.fuel = fuel;
  const mrv::FuelSpec& spec = rules.fuels.at(fuel);
  use.consumption = Quantized(heat_gj / spec.ncv_default->ToDouble(), 100);
  return use;
}

FacilityInput GenerateFacility(std::int64_t facility_id, std::int64_t unit_count, const mrv::PowerAccountingRules& rules) {
  Rng rng(kSeed ^ (static_cast<std::uint64_t>(facility_id) * 0xD1B54A32D192ED03ULL));
  FacilityInput f;
  f.facility_id = facility_id;
  f.input.data_year = kDataYear;
  // About one plant in twelve is old and poorly run: less efficient coal units that mostly skip the
  // carbon tests. Its allowances fall below 80 % of its emissions, so the gap cap comes into play.
  const bool old_plant = rng.Percent() < 8;
  std::vector<UnitProfile> profiles;
  for (int u = 1; u <= unit_count; ++u) {
    mrv::GeneratingUnit unit;
    unit.id = "#" + std::to_string(u);
    unit.name = "Unit " + std::to_string(u);
    UnitProfile p;
    p.base_load = rng.Uniform(0.45, 0.88);
    p.buys_electricity = rng.Percent() < 25;
    const int kind = rng.Percent();
    if (kind < 70) {  // conventional pulverized coal, the bulk of the fleet
      static constexpr int kCapacities[] = {300, 330, 350, 600, 630, 660, 1000};
      const int capacity = rng.Pick(kCapacities);
      unit.fuel_type = mrv::UnitFuelType::kCoalConventional;
      unit.capacity_mw = Decimal::FromInt(capacity);
      unit.cooling = rng.Percent() < 25 ? mrv::CoolingMethod::kAir : mrv::CoolingMethod::kWater;
      unit.supplies_heat = rng.Percent() < 40;
      p.efficiency = 0.37 + 0.07 * (capacity - 300) / 700.0 + rng.Uniform(-0.01, 0.01);
      p.aux_share = rng.Uniform(0.045, 0.07);
      p.fuel = "bituminous";
      p.ncv = rng.Uniform(19, 24);
      p.carbon = rng.Uniform(0.0258, 0.0278);
      p.blend_fuel = "lignite";
      p.blend_ncv = rng.Uniform(12, 16);
      p.blend_carbon = rng.Uniform(0.0272, 0.0290);
    } else if (kind < 90) {  // circulating fluidized bed: half on gangue (unconventional), half on coal
      static constexpr int kCapacities[] = {135, 150, 300, 350};
      unit.capacity_mw = Decimal::FromInt(rng.Pick(kCapacities));
      unit.circulating_fluidized_bed = true;
      unit.cooling = rng.Percent() < 40 ? mrv::CoolingMethod::kAir : mrv::CoolingMethod::kWater;
      unit.supplies_heat = rng.Percent() < 50;
      p.efficiency = rng.Uniform(0.34, 0.38);
      p.aux_share = rng.Uniform(0.08, 0.10);
      if (rng.Percent() < 50) {
        unit.fuel_type = mrv::UnitFuelType::kCoalUnconventional;
        p.fuel = "coal_gangue";
        p.ncv = rng.Uniform(9, 14);
        p.carbon = rng.Uniform(0.0265, 0.0290);
      } else {
        unit.fuel_type = mrv::UnitFuelType::kCoalConventional;
        p.fuel = "bituminous";
        p.ncv = rng.Uniform(17, 22);
        p.carbon = rng.Uniform(0.0260, 0.0280);
      }
      p.blend_fuel = "coal_slime";
      p.blend_ncv = rng.Uniform(11, 16);
      p.blend_carbon = rng.Uniform(0.0268, 0.0288);
    } else {  // combined-cycle gas
      static constexpr int kCapacities[] = {180, 390, 460};
      unit.fuel_type = mrv::UnitFuelType::kGas;
      unit.capacity_mw = Decimal::FromInt(rng.Pick(kCapacities));
      unit.supplies_heat = rng.Percent() < 25;
      p.efficiency = rng.Uniform(0.50, 0.57);
      p.aux_share = rng.Uniform(0.02, 0.03);
      p.fuel = "natural_gas";
    }
    if (old_plant && unit.fuel_type != mrv::UnitFuelType::kGas) {
      p.efficiency -= 0.06;
      p.unmeasured_percent = 60;
    }
    f.input.units.push_back(unit);
    profiles.push_back(p);
  }

  for (int u = 0; u < unit_count; ++u) {
    const mrv::GeneratingUnit& unit = f.input.units[u];
    const UnitProfile& p = profiles[u];
    const double capacity_mw = unit.capacity_mw.ToDouble();
    for (int month = 1; month <= 12; ++month) {
      mrv::UnitMonth m;
      m.unit_id = unit.id;
      m.month = month;
      // Most months the unit runs nearly all the time; some months it is down for an overhaul.
      const double running = rng.Percent() < 8 ? rng.Uniform(0.2, 0.6) : rng.Uniform(0.9, 1.0);
      const double load = std::clamp(p.base_load + rng.Uniform(-0.05, 0.05), 0.3, 0.95);
      const double generation = capacity_mw * 24 * DaysIn(kDataYear, month) * running * load;
      m.generation_mwh = Quantized(generation, 1'000);
      m.supply_mwh = Quantized(generation * (1 - p.aux_share), 1'000);
      m.load_rate = Quantized(load, 1);
      const bool heating_season = month <= 3 || month >= 11;
      const double heat_gj = !unit.supplies_heat ? 0
                             : heating_season    ? generation * 3.6 * rng.Uniform(0.4, 0.9)
                                                 : generation * 3.6 * rng.Uniform(0.03, 0.1);
      m.heat_supplied_gj = Quantized(heat_gj, 10'000);
      if (p.buys_electricity) {
        m.purchased_electricity_mwh = Quantized(running < 0.9 ? rng.Uniform(500, 3000) : rng.Uniform(20, 400), 1'000);
      }
      m.meter_evidence = Tag("MTR", f.facility_id, u + 1, month);
      // Fuel heat in: electricity at the unit's efficiency, heat at a boiler's 90 %.
      const double heat_in_gj = generation * 3.6 / p.efficiency + heat_gj / 0.9;
      if (unit.fuel_type == mrv::UnitFuelType::kGas) {
        m.fuels.push_back(DefaultedUse("natural_gas", heat_in_gj, rules));
      } else {
        const int mix = rng.Percent();
        const double second_share = mix < 15 ? rng.Uniform(0.002, 0.01) : mix < 30 ? rng.Uniform(0.15, 0.4) : 0;
        m.fuels.push_back(CoalUse(rng, p.fuel, p.ncv, p.carbon, p.unmeasured_percent, heat_in_gj * (1 - second_share), f.facility_id, u + 1, month));
        if (mix < 15) {  // ignition oil at start-ups
          m.fuels.push_back(DefaultedUse("diesel", heat_in_gj * second_share, rules));
        } else if (mix < 30) {
          m.fuels.push_back(CoalUse(rng, p.blend_fuel, p.blend_ncv, p.blend_carbon, p.unmeasured_percent, heat_in_gj * second_share,
                                    f.facility_id, u + 1, month));
        }
      }
      f.input.months.push_back(std::move(m));
    }
  }
  return f;
}

// ---------------------------------------------------------------------------------------------
// Loading: the embedded migrations, then every row in one transaction.

struct RowCounts {
  std::int64_t facilities = 0, units = 0, unit_months = 0, fuel_months = 0;
};

void ApplyMigrations(sqlite3* db) {
  std::vector<const EmbeddedFile*> migrations;
  for (const EmbeddedFile& file : EmbeddedMigrations()) {
    if (file.path.rfind("src/store/migrations/sqlite/", 0) == 0) migrations.push_back(&file);
  }
  // The file names start with the version (0001_, 0002_ …), so path order is version order.
  std::sort(migrations.begin(), migrations.end(),
            [](const EmbeddedFile* a, const EmbeddedFile* b) { return a->path < b->path; });
  if (migrations.empty()) Fail(2, "no embedded sqlite migrations");
  for (const EmbeddedFile* file : migrations) Exec(db, file->content);
}

RowCounts LoadRows(sqlite3* db, const std::vector<FacilityInput>& facilities) {
  RowCounts counts;
  // Foreign keys are off for the bulk load (SQLite's default); the rows are inserted parents
  // first anyway, and checked once at the end.
  Exec(db, "PRAGMA foreign_keys=OFF; BEGIN");
  Statement org(db,
                "INSERT INTO organizations (id, kind, name_zh, name_en, region, industry, created_at_us) "
                "VALUES (?, 'enterprise', ?, ?, ?, 'power', ?)");
  Statement facility(db,
                     "INSERT INTO mrv_facilities (id, org_id, name, sector, region, created_at_us) "
                     "VALUES (?, ?, ?, 'power', ?, ?)");
  Statement unit(db,
                 "INSERT INTO mrv_units (facility_id, unit_id, name, fuel_type, cfb, capacity_mw_u, cooling, supplies_heat) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  Statement month(db,
                  "INSERT INTO mrv_unit_months (facility_id, year, unit_id, month, generation_mwh_u, supply_mwh_u, "
                  "heat_gj_u, purchased_mwh_u, load_rate_u, meter_evidence, revision, entered_by, entered_at_us) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?)");
  Statement fuel(db,
                 "INSERT INTO mrv_fuel_months (facility_id, year, unit_id, month, fuel, consumption_u, ncv_u, "
                 "ncv_evidence, carbon_u, carbon_evidence, oxidation_u) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  static constexpr const char* kRegions[] = {"370100", "370200", "370300", "370600", "370800", "371300", "371600"};
  for (const FacilityInput& f : facilities) {
    char number[16];
    std::snprintf(number, sizeof number, "%04lld", static_cast<long long>(f.facility_id));
    const std::string region = kRegions[f.facility_id % 7];
    org.Bind(1, f.facility_id);
    org.Bind(2, std::string("发电企业") + number);
    org.Bind(3, std::string("Power company ") + number);
    org.Bind(4, region);
    org.Bind(5, kEnteredAtUs);
    org.Run();
    facility.Bind(1, f.facility_id);
    facility.Bind(2, f.facility_id);
    facility.Bind(3, std::string("Power plant ") + number);
    facility.Bind(4, region);
    facility.Bind(5, kEnteredAtUs);
    facility.Run();
    ++counts.facilities;
    for (const mrv::GeneratingUnit& u : f.input.units) {
      unit.Bind(1, f.facility_id);
      unit.Bind(2, u.id);
      unit.Bind(3, u.name);
      unit.Bind(4, std::string(mrv::UnitFuelTypeName(u.fuel_type)));
      unit.Bind(5, std::int64_t{u.circulating_fluidized_bed});
      unit.Bind(6, u.capacity_mw);
      unit.Bind(7, std::string(mrv::CoolingMethodName(u.cooling)));
      unit.Bind(8, std::int64_t{u.supplies_heat});
      unit.Run();
      ++counts.units;
    }
    for (const mrv::UnitMonth& m : f.input.months) {
      month.Bind(1, f.facility_id);
      month.Bind(2, std::int64_t{f.input.data_year});
      month.Bind(3, m.unit_id);
      month.Bind(4, std::int64_t{m.month});
      month.Bind(5, m.generation_mwh);
      month.Bind(6, m.supply_mwh);
      month.Bind(7, m.heat_supplied_gj);
      month.Bind(8, m.purchased_electricity_mwh);
      month.Bind(9, m.load_rate);
      month.Bind(10, m.meter_evidence);
      month.Bind(11, kEnteredAtUs);
      month.Run();
      ++counts.unit_months;
      for (const mrv::FuelUse& use : m.fuels) {
        fuel.Bind(1, f.facility_id);
        fuel.Bind(2, std::int64_t{f.input.data_year});
        fuel.Bind(3, m.unit_id);
        fuel.Bind(4, std::int64_t{m.month});
        fuel.Bind(5, use.fuel);
        fuel.Bind(6, use.consumption);
        fuel.Bind(7, use.ncv);
        fuel.Bind(8, use.ncv_evidence);
        fuel.Bind(9, use.carbon_tc_per_gj);
        fuel.Bind(10, use.carbon_evidence);
        fuel.Bind(11, use.oxidation_rate);
        fuel.Run();
        ++counts.fuel_months;
      }
    }
  }
  Exec(db, "COMMIT");
  // The schema's foreign keys hold for what was loaded (organizations → facilities → units →
  // unit-months → fuel rows).
  Statement check(db, "PRAGMA foreign_key_check");
  if (check.Step()) Fail(2, "the loaded rows violate a foreign key in table " + std::string(check.Text(0)));
  Exec(db, "PRAGMA foreign_keys=ON; ANALYZE");
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Path A: the engines.

struct FacilityOutcome {
  std::int64_t facility_id = 0;
  double emissions_t = 0;   // the engine's exact total rounded to 0.01 t, or the SQL's REAL sum
  double allowance_t = 0;   // whole tonnes
};

struct ProvinceTotals {
  std::vector<FacilityOutcome> facilities;
  Exact emissions_exact;   // engine only
  Decimal allowances_t;    // engine only
  double emissions_t = 0;  // both paths (the engine's rounded to 0.01 t)
  double allowance_t = 0;
};

// Reads every unit, unit-month and fuel row of the data year, one facility after another. Rows
// are asked for in facility order only: ordering within a facility as well made SQLite sort
// (its primary-key index starts with facility_id, year, and a year filter does not let it skip
// that column), which cost more than attaching the rows through a small table per facility.
// Only facilities with ids in [first_id, last_id] are read.
std::vector<FacilityInput> ReadInputs(sqlite3* db, std::int64_t first_id, std::int64_t last_id) {
  std::vector<FacilityInput> facilities;
  {
    Statement units(db,
                    "SELECT facility_id, unit_id, name, fuel_type, cfb, capacity_mw_u, cooling, supplies_heat "
                    "FROM mrv_units WHERE facility_id BETWEEN ?1 AND ?2 ORDER BY facility_id");
    units.Bind(1, first_id);
    units.Bind(2, last_id);
    while (units.Step()) {
      const std::int64_t facility_id = units.Int(0);
      if (facilities.empty() || facilities.back().facility_id != facility_id) {
        facilities.emplace_back();
        facilities.back().facility_id = facility_id;
        facilities.back().input.data_year = kDataYear;
      }
      mrv::GeneratingUnit u;
      u.id = units.Text(1);
      u.name = units.Text(2);
      const std::string_view type = units.Text(3);
      u.fuel_type = type == "gas"                   ? mrv::UnitFuelType::kGas
                    : type == "coal_unconventional" ? mrv::UnitFuelType::kCoalUnconventional
                                                    : mrv::UnitFuelType::kCoalConventional;
      u.circulating_fluidized_bed = units.Int(4) != 0;
      u.capacity_mw = units.Micros(5);
      u.cooling = units.Text(6) == "air" ? mrv::CoolingMethod::kAir : mrv::CoolingMethod::kWater;
      u.supplies_heat = units.Int(7) != 0;
      facilities.back().input.units.push_back(std::move(u));
    }
  }

  // Where each (unit, month) of the current facility sits in its months: unit index × 12 + month − 1.
  std::vector<int> slots;
  auto unit_index = [](const FacilityInput& f, std::string_view unit_id) -> size_t {
    for (size_t i = 0; i < f.input.units.size(); ++i) {
      if (f.input.units[i].id == unit_id) return i;
    }
    Fail(1, "facility " + std::to_string(f.facility_id) + " has data for unknown unit " + std::string(unit_id));
  };
  auto find_facility = [&](size_t* fi, std::int64_t facility_id, const char* what) {
    while (*fi < facilities.size() && facilities[*fi].facility_id < facility_id) ++*fi;
    if (*fi == facilities.size() || facilities[*fi].facility_id != facility_id) {
      Fail(1, std::string(what) + " of facility " + std::to_string(facility_id) + " which has no units");
    }
  };
  std::vector<std::vector<int>> facility_slots(facilities.size());
  {
    Statement months(db,
                     "SELECT facility_id, unit_id, month, generation_mwh_u, supply_mwh_u, heat_gj_u, purchased_mwh_u, "
                     "load_rate_u, meter_evidence FROM mrv_unit_months "
                     "WHERE facility_id BETWEEN ?1 AND ?2 AND year = ?3 ORDER BY facility_id");
    months.Bind(1, first_id);
    months.Bind(2, last_id);
    months.Bind(3, std::int64_t{kDataYear});
    size_t fi = 0;
    while (months.Step()) {
      find_facility(&fi, months.Int(0), "a unit-month");
      FacilityInput& f = facilities[fi];
      std::vector<int>& slot = facility_slots[fi];
      if (slot.empty()) {
        slot.assign(f.input.units.size() * 12, -1);
        f.input.months.reserve(slot.size());  // moving grown UnitMonths cost more than reserving
      }
      mrv::UnitMonth m;
      m.unit_id = months.Text(1);
      m.month = static_cast<int>(months.Int(2));  // 1..12 by the schema's CHECK
      m.generation_mwh = months.Micros(3);
      m.supply_mwh = months.Micros(4);
      m.heat_supplied_gj = months.Micros(5);
      m.purchased_electricity_mwh = months.Micros(6);
      m.load_rate = months.OptionalMicros(7);
      m.meter_evidence = months.Text(8);
      m.fuels.reserve(2);  // one or two fuels a month: one allocation instead of two
      slot[unit_index(f, m.unit_id) * 12 + static_cast<size_t>(m.month - 1)] = static_cast<int>(f.input.months.size());
      f.input.months.push_back(std::move(m));
    }
  }
  {
    Statement fuels(db,
                    "SELECT facility_id, unit_id, month, fuel, consumption_u, ncv_u, ncv_evidence, carbon_u, "
                    "carbon_evidence, oxidation_u FROM mrv_fuel_months "
                    "WHERE facility_id BETWEEN ?1 AND ?2 AND year = ?3 ORDER BY facility_id");
    fuels.Bind(1, first_id);
    fuels.Bind(2, last_id);
    fuels.Bind(3, std::int64_t{kDataYear});
    size_t fi = 0;
    while (fuels.Step()) {
      const std::int64_t facility_id = fuels.Int(0);
      find_facility(&fi, facility_id, "a fuel row");
      FacilityInput& f = facilities[fi];
      const std::string_view unit_id = fuels.Text(1);
      const std::int64_t month = fuels.Int(2);
      const size_t index = unit_index(f, unit_id) * 12 + static_cast<size_t>(month - 1);
      if (month < 1 || month > 12 || facility_slots[fi].empty() || facility_slots[fi][index] < 0) {
        Fail(1, "fuel row of facility " + std::to_string(facility_id) + " unit " + std::string(unit_id) + " month " +
                    std::to_string(month) + " has no unit-month");
      }
      mrv::FuelUse use;
      use.fuel = fuels.Text(3);
      use.consumption = fuels.Micros(4);
      use.ncv = fuels.OptionalMicros(5);
      use.ncv_evidence = fuels.Text(6);
      use.carbon_tc_per_gj = fuels.OptionalMicros(7);
      use.carbon_evidence = fuels.Text(8);
      use.oxidation_rate = fuels.OptionalMicros(9);
      f.input.months[static_cast<size_t>(facility_slots[fi][index])].fuels.push_back(std::move(use));
    }
  }
  return facilities;
}

// The unit's load rate for the year: the mean of its monthly rates, half up to millionths.
std::optional<Decimal> AnnualLoadRate(const std::vector<mrv::UnitMonth>& months, const std::string& unit_id) {
  Exact sum;
  std::int64_t count = 0;
  for (const mrv::UnitMonth& m : months) {
    if (m.unit_id != unit_id || !m.load_rate) continue;
    if (!sum.Add(Exact::Of(*m.load_rate))) return std::nullopt;
    ++count;
  }
  if (count == 0 || !sum.Divide(Exact::OfInt(count))) return std::nullopt;
  return sum.Round(Decimal::kScale, Rounding::kHalfUp);
}

// Which branches of the rules the generated data exercised, so that the agreement of the two
// paths means something: every one of them is written out in the SQL as well.
struct Coverage {
  std::int64_t carbon_measured = 0, carbon_unmeasured = 0, carbon_no_report = 0, fuel_defaults = 0;
  std::int64_t peak_factor_units = 0, gas_topups = 0, gap_capped_facilities = 0;
};

ProvinceTotals ComputeAll(const std::vector<FacilityInput>& facilities, const mrv::PowerAccountingRules& rules,
                          const allocation::PowerPlan& plan, Coverage* coverage = nullptr) {
  ProvinceTotals totals;
  totals.facilities.reserve(facilities.size());
  for (const FacilityInput& f : facilities) {
    Result<mrv::PowerAccountingResult> accounted = mrv::AccountPowerEmissions(f.input, rules);
    if (!accounted.ok()) {
      Fail(1, "the engine refused generated facility " + std::to_string(f.facility_id) + ": " +
                  accounted.status().ToString());
    }
    const mrv::PowerAccountingResult& emissions = accounted.value();
    allocation::PowerAllocationInput allocation_input;
    Exact facility_exact;
    for (size_t i = 0; i < emissions.unit_years.size(); ++i) {
      const mrv::UnitYearResult& year = emissions.unit_years[i];
      allocation::UnitAllocationInput u;
      u.unit = f.input.units[i];  // unit_years are in unit order
      u.generation_mwh = year.generation_mwh;
      u.supply_mwh = year.supply_mwh;
      u.heat_supplied_gj = year.heat_supplied_gj;
      u.load_rate = AnnualLoadRate(f.input.months, u.unit.id);
      // Verified emissions in the plan's scope: the 2023 plan leaves purchased electricity out.
      u.verified_emissions_t = plan.purchased_electricity_counts ? year.total_t : year.combustion_t;
      allocation_input.units.push_back(std::move(u));
      if (!facility_exact.Add(year.combustion_exact) || !facility_exact.Add(year.electricity_exact)) {
        Fail(1, "facility " + std::to_string(f.facility_id) + ": emissions overflow");
      }
    }
    Result<allocation::PowerAllocationResult> allocated = allocation::AllocatePower(allocation_input, plan);
    if (!allocated.ok()) {
      Fail(1, "allocation refused generated facility " + std::to_string(f.facility_id) + ": " +
                  allocated.status().ToString());
    }
    if (coverage) {
      for (const mrv::UnitMonthResult& m : emissions.unit_months) {
        for (const mrv::FuelEmission& fuel : m.fuels) {
          switch (fuel.carbon_basis) {
            case mrv::CarbonBasis::kMeasured: ++coverage->carbon_measured; break;
            case mrv::CarbonBasis::kDefaultNotMeasured: ++coverage->carbon_unmeasured; break;
            case mrv::CarbonBasis::kDefaultNoEvidence: ++coverage->carbon_no_report; break;
            case mrv::CarbonBasis::kFuelDefault: ++coverage->fuel_defaults; break;
          }
        }
      }
      for (const allocation::UnitAllocation& u : allocated.value().units) {
        for (const allocation::AppliedFactor& factor : u.factors) {
          if (factor.value != Decimal::FromInt(1)) ++coverage->peak_factor_units;
        }
        if (!u.gas_topup_t.is_zero()) ++coverage->gas_topups;
      }
      if (!allocated.value().gap_cap_topup_t.is_zero()) ++coverage->gap_capped_facilities;
    }
    if (!totals.emissions_exact.Add(facility_exact)) Fail(1, "province emissions overflow");
    totals.allowances_t = totals.allowances_t + allocated.value().final_allowance_t;
    totals.facilities.push_back(
        {f.facility_id, emissions.total_t.ToDouble(), allocated.value().final_allowance_t.ToDouble()});
  }
  totals.emissions_t = totals.emissions_exact.ToDouble();
  totals.allowance_t = totals.allowances_t.ToDouble();
  return totals;
}

std::vector<FacilityInput> ReadAllInputs(sqlite3* db) { return ReadInputs(db, INT64_MIN, INT64_MAX); }

// Facilities are independent, so the engine path splits the province into one facility-id range
// per thread, each read through its own connection (WAL lets readers run side by side) and
// computed on its own core; the parts are then summed exactly.
ProvinceTotals ComputeInParallel(const std::vector<sqlite3*>& connections, const mrv::PowerAccountingRules& rules,
                                 const allocation::PowerPlan& plan) {
  std::int64_t first_id = 0, last_id = -1;
  {
    Statement bounds(connections[0], "SELECT min(facility_id), max(facility_id) FROM mrv_units");
    if (bounds.Step() && !bounds.IsNull(0)) {
      first_id = bounds.Int(0);
      last_id = bounds.Int(1);
    }
  }
  const std::int64_t parts = static_cast<std::int64_t>(connections.size());
  const std::int64_t span = (last_id - first_id + parts) / parts;  // ids per part, rounded up
  std::vector<ProvinceTotals> partial(connections.size());
  std::vector<std::thread> workers;
  for (std::int64_t t = 0; t < parts; ++t) {
    workers.emplace_back([&, t] {
      const std::int64_t lo = first_id + t * span;
      partial[t] = ComputeAll(ReadInputs(connections[t], lo, std::min(last_id, lo + span - 1)), rules, plan);
    });
  }
  for (std::thread& w : workers) w.join();
  ProvinceTotals totals;
  for (ProvinceTotals& part : partial) {
    if (!totals.emissions_exact.Add(part.emissions_exact)) Fail(1, "province emissions overflow");
    totals.allowances_t = totals.allowances_t + part.allowances_t;
    totals.facilities.insert(totals.facilities.end(), part.facilities.begin(), part.facilities.end());
  }
  totals.emissions_t = totals.emissions_exact.ToDouble();
  totals.allowance_t = totals.allowances_t.ToDouble();
  return totals;
}

// ---------------------------------------------------------------------------------------------
// Path B: SQL over the stored rows.

// The SQL encodes the 2023 plan's shape (output basis, which factor, gas top-up, gap cap) and
// takes only its numbers as parameters; if the plan data change shape, it must be rewritten.
struct SqlPlan {
  std::int64_t category_i_min_capacity_u = 0;
  std::int64_t full_load_min_rate_u = 0;  // the factor is 1 at or above this load rate
  double factor_base = 0, factor_offset = 0, factor_slope = 0;  // base ^ (offset − slope × load)
  double gap_cap_share = 0;
};

SqlPlan SqlPlanFor(const allocation::PowerPlan& plan) {
  auto unsupported = [&](const std::string& what) -> SqlPlan {
    Fail(2, "the SQL path encodes the 2023 plan's shape, but plan " + plan.plan + " " + what + "; rewrite the SQL");
  };
  if (plan.basis != allocation::OutputBasis::kGeneration) return unsupported("allocates on power supplied");
  if (plan.corrections.size() != 1 || plan.corrections[0].name != "peak_regulation") {
    return unsupported("has other correction factors");
  }
  const allocation::CorrectionFactor& factor = plan.corrections[0];
  using Category = allocation::UnitCategory;
  if (factor.categories != std::vector<Category>{Category::kI, Category::kII} || factor.tiers.size() != 2 ||
      factor.tiers[0].kind != allocation::FactorTier::Kind::kConstant || factor.tiers[0].a != Decimal::FromInt(1) ||
      factor.tiers[1].kind != allocation::FactorTier::Kind::kPower || !factor.tiers[1].min_rate.is_zero() ||
      factor.decimals != 6) {
    return unsupported("has a different peak-regulation factor");
  }
  if (!plan.gas_topup_to_verified || !plan.gap_cap_min_share || plan.purchased_electricity_counts ||
      plan.allowance_rounding_stated || plan.allowance_rounding != Rounding::kDown) {
    return unsupported("has different exemptions or rounding");
  }
  SqlPlan p;
  p.category_i_min_capacity_u = plan.category_i_min_capacity_mw.micros();
  p.full_load_min_rate_u = factor.tiers[0].min_rate.micros();
  p.factor_base = factor.tiers[1].a.ToDouble();
  p.factor_offset = factor.tiers[1].b.ToDouble();
  p.factor_slope = factor.tiers[1].c.ToDouble();
  p.gap_cap_share = plan.gap_cap_min_share->ToDouble();
  return p;
}

// The small reference tables the SQL joins, filled from the same rules data the engines use.
void CreateReferenceTables(sqlite3* db, const mrv::PowerAccountingRules& rules, const allocation::PowerPlan& plan) {
  Exec(db,
       "DROP TABLE IF EXISTS temp.fuel_defaults; DROP TABLE IF EXISTS temp.coal_carbon_defaults; "
       "DROP TABLE IF EXISTS temp.plan_benchmarks; "
       "CREATE TEMP TABLE fuel_defaults (fuel TEXT PRIMARY KEY, ncv_u INTEGER, carbon_u INTEGER, "
       "  oxidation_u INTEGER NOT NULL, is_coal INTEGER NOT NULL); "
       "CREATE TEMP TABLE coal_carbon_defaults (year INTEGER, month INTEGER, carbon_u INTEGER NOT NULL, "
       "  PRIMARY KEY (year, month)); "
       "CREATE TEMP TABLE plan_benchmarks (category INTEGER PRIMARY KEY, electricity REAL NOT NULL, heat REAL NOT NULL)");
  Statement fuel(db, "INSERT INTO temp.fuel_defaults VALUES (?, ?, ?, ?, ?)");
  for (const auto& [code, spec] : rules.fuels) {
    fuel.Bind(1, code);
    fuel.Bind(2, spec.ncv_default);
    fuel.Bind(3, spec.carbon_default_tc_per_gj);
    fuel.Bind(4, spec.oxidation_default);
    fuel.Bind(5, std::int64_t{spec.is_coal});
    fuel.Run();
  }
  Statement coal(db, "INSERT INTO temp.coal_carbon_defaults VALUES (?, ?, ?)");
  for (int month = 1; month <= 12; ++month) {
    const mrv::UnmeasuredCoalCarbon* fallback = rules.UnmeasuredCoalCarbonFor(kDataYear, month);
    if (fallback == nullptr) Fail(2, "no unmeasured-coal default for " + std::to_string(kDataYear));
    coal.Bind(1, std::int64_t{kDataYear});
    coal.Bind(2, std::int64_t{month});
    coal.Bind(3, fallback->tc_per_gj);
    coal.Run();
  }
  Statement benchmark(db, "INSERT INTO temp.plan_benchmarks VALUES (?, ?, ?)");
  for (int category = 0; category < 4; ++category) {
    benchmark.Bind(1, std::int64_t{category + 1});
    benchmark.Bind(2, plan.benchmark_electricity[category].ToDouble());
    benchmark.Bind(3, (category == 3 ? plan.benchmark_heat_gas : plan.benchmark_heat_coal).ToDouble());
    benchmark.Run();
  }
}

// Emissions per unit-year: Σ fuels consumption × NCV × carbon × oxidation × 44/12, where the
// measured carbon counts only with a lab report (else the month's unmeasured-coal default for
// coal, the fuel's default otherwise), plus purchased electricity × the year's grid factor.
constexpr const char* kUnitEmissionsSql = R"sql(
INSERT INTO temp.unit_emissions
WITH combustion AS (
  SELECT f.facility_id, f.unit_id,
         SUM(f.consumption_u * 1e-6
             * COALESCE(f.ncv_u, d.ncv_u) * 1e-6
             * COALESCE(CASE WHEN f.carbon_evidence <> '' THEN f.carbon_u END,
                        CASE WHEN d.is_coal = 1 THEN c.carbon_u ELSE d.carbon_u END) * 1e-6
             * COALESCE(f.oxidation_u, d.oxidation_u) * 1e-6
             * 44.0 / 12.0) AS combustion_t
  FROM mrv_fuel_months f
  JOIN temp.fuel_defaults d ON d.fuel = f.fuel
  JOIN temp.coal_carbon_defaults c ON c.year = f.year AND c.month = f.month
  WHERE f.year = ?1
  GROUP BY f.facility_id, f.year, f.unit_id),
electricity AS (
  SELECT facility_id, unit_id, SUM(purchased_mwh_u) * 1e-6 * ?2 AS electricity_t
  FROM mrv_unit_months WHERE year = ?1
  GROUP BY facility_id, year, unit_id)
SELECT e.facility_id, e.unit_id, COALESCE(c.combustion_t, 0.0) AS combustion_t, e.electricity_t
FROM electricity e LEFT JOIN combustion c USING (facility_id, unit_id)
)sql";

// Allowances per unit (generation × benchmark × peak-regulation factor below the full-load rate,
// + heat × heat benchmark, gas units topped up to verified), per entity (topped up to the gap
// cap's share of verified, whole tonnes down) next to the entity's emissions. Figures are
// millionths in the engine, so REAL noise is rounded off at 6 decimals before the floor.
constexpr const char* kAllocationSql = R"sql(
WITH activity AS (
  SELECT facility_id, unit_id,
         SUM(generation_mwh_u) * 1e-6 AS generation_mwh,
         SUM(heat_gj_u) * 1e-6 AS heat_gj,
         CAST(round(AVG(load_rate_u)) AS INTEGER) AS load_rate_u
  FROM mrv_unit_months WHERE year = ?1
  GROUP BY facility_id, year, unit_id),
category AS (
  SELECT facility_id, unit_id,
         CASE WHEN fuel_type = 'gas' THEN 4
              WHEN fuel_type = 'coal_unconventional' OR cfb = 1 THEN 3
              WHEN capacity_mw_u >= ?2 THEN 1
              ELSE 2 END AS category
  FROM mrv_units),
unit_allowance AS (
  SELECT a.facility_id, k.category,
         round(e.combustion_t, 2) AS verified_t,
         round(a.generation_mwh * b.electricity
               * CASE WHEN k.category IN (1, 2) AND a.load_rate_u < ?3
                      THEN round(pow(?4, ?5 - ?6 * (a.load_rate_u / 1e6)), 6)
                      ELSE 1.0 END, 6)
           + round(a.heat_gj * b.heat, 6) AS initial_t
  FROM activity a
  JOIN category k USING (facility_id, unit_id)
  JOIN temp.plan_benchmarks b ON b.category = k.category
  JOIN temp.unit_emissions e USING (facility_id, unit_id)),
entity AS (
  SELECT facility_id,
         SUM(verified_t) AS verified_t,
         SUM(CASE WHEN category = 4 AND initial_t < verified_t THEN verified_t ELSE initial_t END) AS allowance_t
  FROM unit_allowance
  GROUP BY facility_id),
emissions AS (
  SELECT facility_id, SUM(combustion_t + electricity_t) AS total_t
  FROM temp.unit_emissions
  GROUP BY facility_id)
SELECT n.facility_id, m.total_t, floor(round(max(n.allowance_t, ?7 * n.verified_t), 6))
FROM entity n JOIN emissions m USING (facility_id)
ORDER BY n.facility_id
)sql";

ProvinceTotals ComputeWithSql(sqlite3* db, const mrv::GridFactor& grid, const SqlPlan& plan) {
  // Keyed by unit: the allocation statement joins it per unit. (Created without a key, as
  // CREATE TABLE … AS SELECT does, the planner scanned it once per unit: 35–80 s at full scale.)
  Exec(db,
       "DROP TABLE IF EXISTS temp.unit_emissions; "
       "CREATE TEMP TABLE unit_emissions (facility_id INTEGER NOT NULL, unit_id TEXT NOT NULL, "
       "  combustion_t REAL NOT NULL, electricity_t REAL NOT NULL, PRIMARY KEY (facility_id, unit_id))");
  {
    Statement emissions(db, kUnitEmissionsSql);
    emissions.Bind(1, std::int64_t{kDataYear});
    emissions.Bind(2, grid.t_per_mwh.ToDouble());
    emissions.Run();
  }
  ProvinceTotals totals;
  Statement allocation(db, kAllocationSql);
  allocation.Bind(1, std::int64_t{kDataYear});
  allocation.Bind(2, plan.category_i_min_capacity_u);
  allocation.Bind(3, plan.full_load_min_rate_u);
  allocation.Bind(4, plan.factor_base);
  allocation.Bind(5, plan.factor_offset);
  allocation.Bind(6, plan.factor_slope);
  allocation.Bind(7, plan.gap_cap_share);
  while (allocation.Step()) {
    FacilityOutcome f{allocation.Int(0), allocation.Real(1), allocation.Real(2)};
    totals.emissions_t += f.emissions_t;
    totals.allowance_t += f.allowance_t;
    totals.facilities.push_back(f);
  }
  return totals;
}

// Debian's SQLite is built with the math functions; another build may not be. Then pow and floor
// are supplied from C++ so that the query text stays the same.
void EnsureMathFunctions(sqlite3* db) {
  sqlite3_stmt* probe = nullptr;
  const bool available = sqlite3_prepare_v2(db, "SELECT pow(2, 3), floor(2.5)", -1, &probe, nullptr) == SQLITE_OK &&
                         sqlite3_step(probe) == SQLITE_ROW && sqlite3_column_double(probe, 0) == 8.0;
  sqlite3_finalize(probe);
  if (available) return;
  std::printf("  note         this SQLite lacks pow/floor; supplying them from C++\n");
  sqlite3_create_function(
      db, "pow", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
      [](sqlite3_context* ctx, int, sqlite3_value** argv) {
        sqlite3_result_double(ctx, std::pow(sqlite3_value_double(argv[0]), sqlite3_value_double(argv[1])));
      },
      nullptr, nullptr);
  sqlite3_create_function(
      db, "floor", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
      [](sqlite3_context* ctx, int, sqlite3_value** argv) {
        sqlite3_result_double(ctx, std::floor(sqlite3_value_double(argv[0])));
      },
      nullptr, nullptr);
}

// ---------------------------------------------------------------------------------------------
// Agreement and reporting.

// Both paths must describe the same province; otherwise the timing compares different work.
void CheckAgreement(const ProvinceTotals& engine, const ProvinceTotals& sql) {
  if (engine.facilities.size() != sql.facilities.size()) {
    Fail(1, "the engine computed " + std::to_string(engine.facilities.size()) + " facilities, the SQL " +
                std::to_string(sql.facilities.size()));
  }
  int bad = 0;
  for (size_t i = 0; i < engine.facilities.size(); ++i) {
    const FacilityOutcome& a = engine.facilities[i];
    const FacilityOutcome& b = sql.facilities[i];
    const bool emissions_ok = std::fabs(a.emissions_t - b.emissions_t) <= 0.01;
    const bool allowance_ok = std::fabs(a.allowance_t - b.allowance_t) <= 1.0;
    if (a.facility_id != b.facility_id || !emissions_ok || !allowance_ok) {
      if (bad++ < 5) {
        std::fprintf(stderr, "  facility %lld/%lld: emissions %.6f (engine) vs %.6f (SQL) t, allowance %.0f vs %.0f t\n",
                     static_cast<long long>(a.facility_id), static_cast<long long>(b.facility_id), a.emissions_t,
                     b.emissions_t, a.allowance_t, b.allowance_t);
      }
    }
  }
  if (bad > 0) Fail(1, std::to_string(bad) + " facilities differ between the engine and the SQL (above)");
  if (std::fabs(engine.emissions_t - sql.emissions_t) > 1.0 || std::fabs(engine.allowance_t - sql.allowance_t) > 1.0) {
    char buffer[256];
    std::snprintf(buffer, sizeof buffer, "province totals differ: emissions %.2f vs %.2f t, allowances %.0f vs %.0f t",
                  engine.emissions_t, sql.emissions_t, engine.allowance_t, sql.allowance_t);
    Fail(1, buffer);
  }
}

bool SameTotals(const ProvinceTotals& a, const ProvinceTotals& b) {
  return a.emissions_t == b.emissions_t && a.allowance_t == b.allowance_t;
}

// 12345678.9 → "12,345,678.90"
std::string Grouped(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string text = buffer;
  size_t end = text.find('.');
  if (end == std::string::npos) end = text.size();
  for (size_t i = end; i > 3 && std::isdigit(static_cast<unsigned char>(text[i - 4])); i -= 3) text.insert(i - 3, ",");
  return text;
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

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five;
  in >> one >> five;
  return one + " (1 min), " + five + " (5 min)";
}

std::string FileSize(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return "?";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f MB", static_cast<double>(size) / 1e6);
  return buffer;
}

struct Timing {
  std::vector<double> seconds, cpu_seconds;
  double Best() const { return *std::min_element(seconds.begin(), seconds.end()); }
  double BestCpu() const { return *std::min_element(cpu_seconds.begin(), cpu_seconds.end()); }
  double Median() const {
    std::vector<double> sorted = seconds;
    std::sort(sorted.begin(), sorted.end());
    return sorted[sorted.size() / 2];
  }
};

void PrintTiming(const char* name, const Timing& t) {
  std::printf("  %-24s best %6.3f s (CPU %6.3f s)  median %6.3f s   (", name, t.Best(), t.BestCpu(), t.Median());
  for (size_t i = 0; i < t.seconds.size(); ++i) std::printf("%s%.3f", i ? " " : "", t.seconds[i]);
  std::printf(")\n");
}

// ---------------------------------------------------------------------------------------------

bool ParseCount(const std::string& text, std::int64_t* out) {
  char* end = nullptr;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value < 1) return false;
  *out = value;
  return true;
}

void Usage() {
  std::printf(
      "usage: greenloop_carbon_bench [--facilities N] [--units N] [--runs N] [--threads N] [--keep-db]\n"
      "  --facilities N  power facilities in the province (env FACILITIES)   [2000]\n"
      "  --units N       generating units per facility (env UNITS)           [10]\n"
      "  --runs N        timed runs of each path, after one warm-up (env RUNS) [5]\n"
      "  --threads N     threads of the parallel engine run (env THREADS)    [one per core]\n"
      "  --keep-db       keep the SQLite database under /tmp (env KEEP_DB=1)\n");
}

bool ParseConfig(int argc, char** argv, Config* c) {
  struct Option {
    const char* flag;
    const char* env;
    std::int64_t* value;
  };
  const Option options[] = {{"--facilities", "FACILITIES", &c->facilities},
                            {"--units", "UNITS", &c->units},
                            {"--runs", "RUNS", &c->runs},
                            {"--threads", "THREADS", &c->threads}};
  for (const Option& o : options) {
    const char* env = std::getenv(o.env);
    if (env && *env && !ParseCount(env, o.value)) {
      std::fprintf(stderr, "%s must be a positive integer (got '%s')\n", o.env, env);
      return false;
    }
  }
  const char* keep = std::getenv("KEEP_DB");
  c->keep_db = keep && *keep && std::string(keep) != "0";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--keep-db") {
      c->keep_db = true;
      continue;
    }
    std::string value;
    size_t eq = arg.find('=');
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    }
    bool known = false;
    for (const Option& o : options) {
      if (arg != o.flag) continue;
      known = true;
      if (!ParseCount(value, o.value)) {
        std::fprintf(stderr, "%s needs a positive integer (got '%s')\n", o.flag, value.c_str());
        return false;
      }
    }
    if (!known) return false;
  }
  return true;
}

int Main(int argc, char** argv) {
  Config config;
  if (!ParseConfig(argc, argv, &config)) {
    Usage();
    return 2;
  }
  if (config.threads == 0) config.threads = std::max<std::int64_t>(1, std::thread::hardware_concurrency());
  const mrv::PowerAccountingRules& rules = calc::PowerAccountingRulesData();
  Result<allocation::PowerPlan> plan_result = calc::PowerPlanFor(kPlanYear);
  if (!plan_result.ok()) Fail(2, "no allocation plan for " + std::to_string(kPlanYear));
  const allocation::PowerPlan& plan = plan_result.value();
  const mrv::GridFactor* grid = rules.GridFactorFor(kDataYear);
  if (grid == nullptr) Fail(2, "no grid factor for " + std::to_string(kDataYear));
  const SqlPlan sql_plan = SqlPlanFor(plan);

  std::printf("GreenLoop carbon benchmark: province-scale recomputation of emissions and allowances\n");
  std::printf("  machine      %u cores (nproc %ld), %s\n", std::thread::hardware_concurrency(),
              sysconf(_SC_NPROCESSORS_ONLN), CpuModel().c_str());
  std::printf("  load avg     %s at start (other processes share the machine)\n", LoadAverage().c_str());
  std::printf("  sqlite       %s, WAL, temp_store=MEMORY, 256 MiB page cache; one thread for each path\n",
              sqlite3_libversion());
  std::printf("  rules        data year %d (grid factor %s t/MWh), plan %s for %d\n", kDataYear,
              grid->t_per_mwh.ToShortString().c_str(), plan.plan.c_str(), plan.year);

  // Generate.
  auto start = Clock::now();
  std::vector<FacilityInput> generated;
  generated.reserve(static_cast<size_t>(config.facilities));
  for (std::int64_t id = 1; id <= config.facilities; ++id) generated.push_back(GenerateFacility(id, config.units, rules));
  const double generate_s = SecondsSince(start);

  // Load.
  const std::string path = "/tmp/greenloop_carbon_bench_" + std::to_string(getpid()) + ".db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  sqlite3* db = OpenDatabase(path);
  database_path = path;
  start = Clock::now();
  ApplyMigrations(db);
  const RowCounts rows = LoadRows(db, generated);
  const double load_s = SecondsSince(start);
  generated.clear();
  generated.shrink_to_fit();
  Exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
  std::printf("  rows         %lld facilities, %lld units, %lld unit-months, %lld fuel rows (generated in %.2f s)\n",
              static_cast<long long>(rows.facilities), static_cast<long long>(rows.units),
              static_cast<long long>(rows.unit_months), static_cast<long long>(rows.fuel_months), generate_s);
  std::printf("  load         %.2f s: migrations + one transaction of prepared inserts + foreign_key_check + ANALYZE"
              " (not compared)\n",
              load_s);
  std::printf("  database     %s, %s\n", path.c_str(), FileSize(path).c_str());

  EnsureMathFunctions(db);
  CreateReferenceTables(db, rules, plan);

  // Warm-up: one run of each, which also proves the paths agree before anything is timed.
  std::vector<FacilityInput> inputs = ReadAllInputs(db);
  Coverage coverage;
  const ProvinceTotals engine = ComputeAll(inputs, rules, plan, &coverage);
  const ProvinceTotals sql = ComputeWithSql(db, *grid, sql_plan);
  CheckAgreement(engine, sql);
  // The parallel engine path, on connections of its own (each warms its own page cache here).
  std::vector<sqlite3*> connections;
  for (std::int64_t t = 0; t < config.threads; ++t) connections.push_back(OpenDatabase(path));
  const ProvinceTotals parallel = ComputeInParallel(connections, rules, plan);
  if (!SameTotals(parallel, engine) || parallel.facilities.size() != engine.facilities.size()) {
    Fail(1, "the engine on " + std::to_string(config.threads) + " threads computed different totals");
  }

  Timing read_compute, compute_only, sql_time, parallel_time;
  // Runs `work` once, recording its wall and CPU time in `timing`.
  auto timed = [](Timing* timing, auto&& work) {
    const auto wall_start = Clock::now();
    const double cpu_start = CpuSeconds();
    auto result = work();
    timing->cpu_seconds.push_back(CpuSeconds() - cpu_start);
    timing->seconds.push_back(SecondsSince(wall_start));
    return result;
  };
  for (std::int64_t run = 0; run < config.runs; ++run) {
    ProvinceTotals a = timed(&read_compute, [&] { return ComputeAll(ReadAllInputs(db), rules, plan); });
    ProvinceTotals b = timed(&compute_only, [&] { return ComputeAll(inputs, rules, plan); });
    ProvinceTotals c = timed(&sql_time, [&] { return ComputeWithSql(db, *grid, sql_plan); });
    ProvinceTotals d = timed(&parallel_time, [&] { return ComputeInParallel(connections, rules, plan); });
    if (!SameTotals(a, engine) || !SameTotals(b, engine) || !SameTotals(c, sql) || !SameTotals(d, engine)) {
      Fail(1, "run " + std::to_string(run + 1) + " computed different totals from the warm-up");
    }
  }

  double max_emissions_diff = 0;
  std::int64_t allowance_equal = 0;
  for (size_t i = 0; i < engine.facilities.size(); ++i) {
    max_emissions_diff =
        std::max(max_emissions_diff, std::fabs(engine.facilities[i].emissions_t - sql.facilities[i].emissions_t));
    if (engine.facilities[i].allowance_t == sql.facilities[i].allowance_t) ++allowance_equal;
  }
  std::optional<Decimal> province_emissions = engine.emissions_exact.Round(2, Rounding::kHalfUp);
  std::printf("\nprovince totals (both paths; SQL in REAL arithmetic)\n");
  std::printf("  emissions    engine %s t (exact, rounded to 0.01)   SQL %s t   difference %.4f t\n",
              province_emissions ? Grouped(province_emissions->ToDouble(), 2).c_str() : "?",
              Grouped(sql.emissions_t, 2).c_str(), engine.emissions_t - sql.emissions_t);
  std::printf("  allowances   engine %s t                             SQL %s t   difference %.0f t\n",
              Grouped(engine.allowances_t.ToDouble(), 0).c_str(), Grouped(sql.allowance_t, 0).c_str(),
              engine.allowance_t - sql.allowance_t);
  std::printf("  agreement    ok: per facility emissions within %.4f t (limit 0.01), allowances equal in %lld of %zu"
              " (limit 1 t); province within 1 t\n",
              max_emissions_diff, static_cast<long long>(allowance_equal), engine.facilities.size());
  std::printf("  exercised    fuel rows: carbon measured %lld, coal unmeasured %lld, coal without lab report %lld, "
              "fuel defaults %lld;\n               units with a peak-regulation factor > 1: %lld; gas units topped up: "
              "%lld; facilities topped up to 80 %%: %lld\n",
              static_cast<long long>(coverage.carbon_measured), static_cast<long long>(coverage.carbon_unmeasured),
              static_cast<long long>(coverage.carbon_no_report), static_cast<long long>(coverage.fuel_defaults),
              static_cast<long long>(coverage.peak_factor_units), static_cast<long long>(coverage.gas_topups),
              static_cast<long long>(coverage.gap_capped_facilities));

  std::printf("\ntimings (best of %lld after one warm-up; runs interleaved)\n", static_cast<long long>(config.runs));
  PrintTiming("engine read + compute", read_compute);
  PrintTiming("engine compute only", compute_only);
  PrintTiming("SQL (2 statements)", sql_time);
  const std::string parallel_name = "engine read + compute x" + std::to_string(config.threads);
  PrintTiming(parallel_name.c_str(), parallel_time);
  const double ratio_end_to_end = read_compute.Best() / sql_time.Best();
  const double ratio_compute = compute_only.Best() / sql_time.Best();
  std::printf("  ratio        engine (read+compute) / SQL = %.2f   compute-only / SQL = %.2f   (below 1: engine faster)\n",
              ratio_end_to_end, ratio_compute);
  std::printf("  ratio (CPU)  engine (read+compute) / SQL = %.2f   compute-only / SQL = %.2f\n",
              read_compute.BestCpu() / sql_time.BestCpu(), compute_only.BestCpu() / sql_time.BestCpu());
  std::printf("  ratio (x%lld)   engine read+compute on %lld threads / SQL on one = %.2f\n",
              static_cast<long long>(config.threads), static_cast<long long>(config.threads),
              parallel_time.Best() / sql_time.Best());
  std::printf("  per row      engine read+compute %.2f us per unit-month, SQL %.2f us\n",
              read_compute.Best() * 1e6 / static_cast<double>(rows.unit_months),
              sql_time.Best() * 1e6 / static_cast<double>(rows.unit_months));
  std::printf("  target       full recomputation <= 1 s: engine read+compute %.3f s on one thread -> %s; "
              "%.3f s on %lld threads -> %s\n",
              read_compute.Best(), read_compute.Best() <= 1.0 ? "met" : "NOT met", parallel_time.Best(),
              static_cast<long long>(config.threads), parallel_time.Best() <= 1.0 ? "met" : "NOT met");
  std::printf("  load avg     %s at end\n", LoadAverage().c_str());

  for (sqlite3* connection : connections) sqlite3_close(connection);
  sqlite3_close(db);
  if (config.keep_db) {
    std::printf("  kept         %s\n", path.c_str());
  } else {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }
  return 0;
}

}  // namespace
}  // namespace greenloop

int main(int argc, char** argv) { return greenloop::Main(argc, argv); }
