// src/mrv/industry.h
//
// What the accounting engines of the three industrial sectors of the national ETS (steel.h,
// aluminium.h, cement.h) share:
//
//   - fuel combustion, consumption × NCV × carbon content per unit heat (× oxidation rate) × 44/12,
//     with each parameter either the sector's default or a value the enterprise measured;
//   - a value together with where it came from (default with its tag and source, measured with
//     its test report, or given in the input), so a result can be redone by hand;
//   - monthly reporting: months 1–12, no month twice, a full year unless a partial one is asked for;
//   - rounding once, half up, from the exact value, to the precision the guideline reports.
//
// Pure: no JSON, no I/O. Errors name the input field at fault ("months[3].fuels[0].ncv").
#ifndef GREENLOOP_MRV_INDUSTRY_H_
#define GREENLOOP_MRV_INDUSTRY_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "mrv/facility.h"

namespace greenloop::mrv {

// A default from the reference data, with its confidence tag (P, S or U) and source.
struct SourcedValue {
  Decimal value;
  std::string tag;
  std::string source;
};

enum class ValueBasis {
  kDefault,   // the sector's default (tag and source say how sure it is)
  kMeasured,  // measured by or for the enterprise; `source` holds the test report id
  kInput,     // given in the input in place of a default, without a test report
  kDerived,   // computed from other values (EF_CF4 from anode-effect minutes); `source` says how
};
const char* ValueBasisName(ValueBasis basis);

// A parameter as it entered a computation.
struct UsedValue {
  Decimal value;
  ValueBasis basis = ValueBasis::kDefault;
  std::string tag;     // of the default; empty for other bases
  std::string source;  // see ValueBasis

  static UsedValue Default(const SourcedValue& d) { return {d.value, ValueBasis::kDefault, d.tag, d.source}; }
};

// An emission figure: the exact value and the value reported, rounded once from it.
struct Figure {
  Exact exact;
  Decimal rounded;
};

// Reporting precision, in decimals (steel 附表C.3–C.5; assumed for aluminium and cement).
struct ReportingPrecision {
  int emissions = 2;    // tCO2
  int intensity = 4;    // tCO2 per t of product
  int total = 0;        // the enterprise total of the summary table
  int ncv = 3;          // GJ per unit
  int quantity = 2;     // t, 10^4 Nm3
  int electricity = 3;  // MWh
  int heat = 2;         // GJ
  std::string tag;
  std::string source;
};

// A fuel and its defaults as a sector's guideline lists them.
struct IndustryFuelSpec {
  std::string code;  // "bituminous", "bf_gas", …
  std::string name_zh;
  std::string name_en;
  FuelState state = FuelState::kSolid;
  std::string unit;  // "t" or "1e4Nm3"
  SourcedValue ncv;  // GJ per unit
  // GreenLoop plausibility bounds of a measured value, not rules: they catch unit mistakes.
  Decimal ncv_min, ncv_max;
  bool ncv_default_only = false;  // steel coke: the default always applies (§6.2.2.2)
  SourcedValue carbon_tc_per_gj;
  std::optional<Decimal> carbon_min, carbon_max;  // absent: a measured value is refused
  SourcedValue oxidation;  // fraction; used only where the sector's formula has the term
};

// How a sector's formula treats the parameters of a fuel.
struct FuelPolicy {
  bool apply_oxidation = true;          // steel formula (1) has no oxidation term
  bool measured_carbon_allowed = true;  // steel: CC always the default (§6.2.3)
  bool oxidation_input_allowed = true;  // steel formula (3): OF always the default (§7.2.2.4)
  int emission_decimals = 2;
};

// One fuel in one month, as reported.
struct IndustryFuelUse {
  std::string fuel;     // an IndustryFuelSpec code
  Decimal consumption;  // in the fuel's unit
  std::optional<Decimal> ncv;  // measured, GJ per unit; absent: the default
  std::string ncv_evidence;    // test report id, required with a measured NCV
  std::optional<Decimal> carbon_tc_per_gj;
  std::string carbon_evidence;  // test report id, required with a measured carbon content
  std::optional<Decimal> oxidation_rate;  // fraction
};

struct FuelEmissionLine {
  std::string fuel;
  std::string unit;
  Decimal consumption;
  UsedValue ncv;
  UsedValue carbon_tc_per_gj;
  std::optional<UsedValue> oxidation;  // absent where the formula has no oxidation term
  Exact heat_gj;
  Figure emissions;
};

// A fuel over the year: consumption-weighted NCV as §6.2.2.3 reports it.
struct FuelYearLine {
  std::string fuel;
  std::string unit;
  Decimal consumption;
  Exact heat_gj;
  std::optional<Decimal> ncv_weighted;  // heat / consumption at ncv precision; absent when nothing burned
  bool ncv_measured = false;            // in at least one month
  bool ncv_default = false;             // in at least one month
  Figure emissions;
};

// One material × factor line (carbonates, electrodes, carbon-bearing inputs and products, clinker
// deductions). `role` is the sector's name for the line's place in its formula.
struct MaterialUse {
  std::string material;
  Decimal quantity_t;
};

struct MaterialLine {
  std::string material;
  std::string role;
  Decimal quantity_t;
  UsedValue factor;  // tCO2 per t
  Figure emissions;  // quantity × factor, positive also where the formula subtracts it
};

struct MaterialYearLine {
  std::string material;
  std::string role;
  Decimal quantity_t;
  UsedValue factor;
  Figure emissions;
};

// Helpers of the three engines, in their own namespace so that their plain names (OutOfRange,
// Overflow, …) cannot collide with the file-local helpers of other mrv/ files.
namespace industry {

// Collects the notes of a run (unconfirmed defaults used, partial year …) once each, in order.
class Notes {
 public:
  void Add(const std::string& note);
  const std::vector<std::string>& list() const { return list_; }

 private:
  std::set<std::string> seen_;
  std::vector<std::string> list_;
};

// Rounds an exact figure half up. Inputs are bounded and checked for overflow, so the value
// always fits a Decimal.
Decimal RoundHalfUp(const Exact& value, int decimals);
Figure MakeFigure(const Exact& value, int decimals);
// numerator / denominator rounded half up; absent when the denominator is not positive.
std::optional<Decimal> RatioOf(const Exact& numerator, Decimal denominator, int decimals);

Status OutOfRange(const std::string& field, const std::string& message);
Status Overflow(const std::string& field);
Status RequireNonNegative(Decimal value, const std::string& field, const std::string& what);
// A fraction 0 ≤ value ≤ 1 (or 0 < value ≤ 1 when `positive`).
Status RequireFraction(Decimal value, bool positive, const std::string& field, const std::string& what);
// *sum += part, or an overflow error naming `field`.
Status AddTo(Exact* sum, const Exact& part, const std::string& field);
// *sum += part for quantities, or an overflow error naming `field`.
Status AddDecimalTo(Decimal* sum, Decimal part, const std::string& field);
// value × each factor, or an overflow error naming `field`.
Status ProductOf(Decimal value, const std::vector<Decimal>& factors, const std::string& field, Exact* out);

Status ValidateDataYear(int data_year);
Status ValidateMonth(int month, const std::string& field);

// The months of 1–12 that `reported` lacks. When some are missing: an error naming `field`, or
// with allow_partial_year a note.
Status CheckFullYear(const std::set<int>& reported, bool allow_partial_year, int data_year, const std::string& what,
                     const std::string& field, std::vector<int>* missing, Notes* notes);

}  // namespace industry

// Computes one fuel line. `path` is the fuel's own path ("months[2].fuels[0]"). Notes every
// default whose tag is not P when it shaped the figure (the consumption is not zero).
Status ComputeFuelEmission(const IndustryFuelUse& use, const std::map<std::string, IndustryFuelSpec>& fuels,
                           const FuelPolicy& policy, const std::string& path, FuelEmissionLine* out,
                           industry::Notes* notes);

// Accumulates fuel lines into per-fuel year lines (in order of first appearance).
class FuelYearTotals {
 public:
  Status Add(const FuelEmissionLine& line, const std::string& field);
  std::vector<FuelYearLine> Finish(int ncv_decimals, int emission_decimals) const;

 private:
  std::vector<FuelYearLine> lines_;
};

// Accumulates material lines into year lines per (role, material, factor), in order of first
// appearance.
class MaterialYearTotals {
 public:
  Status Add(const MaterialLine& line, const std::string& field);
  std::vector<MaterialYearLine> Finish(int emission_decimals) const;

 private:
  std::vector<MaterialYearLine> lines_;
};

}  // namespace greenloop::mrv

#endif  // GREENLOOP_MRV_INDUSTRY_H_
