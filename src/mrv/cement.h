// src/mrv/cement.h
//
// Cement clinker lines (企业温室气体排放核算与报告指南 水泥行业, CETS—AG—02.01—V01—2024), per
// line and month:
//
//   fuel combustion  Σ consumption × NCV × CC × OF × 44/12
//   process          clinker output × clinker process EF (by clinker type)
//                    − Σ non-carbonate alternative raw material × deduction factor
//
// summed to lines and the enterprise. The guideline's text was not read: the method and every
// default (clinker EFs, deduction factors, the fuel defaults borrowed from the steel guideline)
// are unconfirmed [U], come in as data, can be replaced in the input, and are listed in the notes
// when used. A negative process figure means the deductions exceed the clinker's carbonate CO2,
// which no real line does; it is refused, never floored at zero.
#ifndef GREENLOOP_MRV_CEMENT_H_
#define GREENLOOP_MRV_CEMENT_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "mrv/industry.h"

namespace greenloop::mrv {

struct ClinkerTypeSpec {
  std::string code;  // "portland", "white_portland", "sulfoaluminate", "aluminate"
  std::string name_zh;
  std::string name_en;
  SourcedValue process_ef_t_per_t;  // tCO2 per t clinker
};

struct AlternativeMaterialSpec {
  std::string code;  // "carbide_slag", "steel_slag", …
  std::string name_zh;
  std::string name_en;
  SourcedValue deduction_t_per_t;  // tCO2 per t of material
};

struct CementRules {
  std::map<std::string, IndustryFuelSpec> fuels;
  std::map<std::string, ClinkerTypeSpec> clinker_types;
  std::map<std::string, AlternativeMaterialSpec> alternative_materials;
  ReportingPrecision precision;
};

struct CementLine {
  std::string id;  // unique, e.g. "L1"
  std::string name;
  std::string clinker_type;  // a ClinkerTypeSpec code
};

// Values given for the whole year in place of the defaults.
struct CementOverrides {
  std::map<std::string, Decimal> clinker_process_ef_t_per_t;  // by clinker type
  std::map<std::string, Decimal> deduction_t_per_t;           // by alternative material
};

struct CementMonth {
  std::string line_id;
  int month = 0;
  Decimal clinker_t;
  std::vector<MaterialUse> alternative_materials;  // non-carbonate calcium/magnesium sources in the raw meal
  std::vector<IndustryFuelUse> fuels;
};

struct CementInput {
  int data_year = 0;
  std::vector<CementLine> lines;
  CementOverrides parameters;
  std::vector<CementMonth> months;
  bool allow_partial_year = false;
};

struct CementMonthResult {
  std::string line_id;
  int month = 0;
  Decimal clinker_t;
  std::vector<FuelEmissionLine> fuels;
  Figure fuel;
  UsedValue process_ef_t_per_t;
  Figure clinker_gross;  // clinker × EF
  std::vector<MaterialLine> deductions;  // role "deduction"
  Figure deduction;
  Figure process;  // clinker_gross − deduction, never negative
  Figure total;
};

struct CementLineYear {
  std::string line_id;
  std::string name;
  std::string clinker_type;
  std::vector<int> months_missing;
  Decimal clinker_t;  // at the quantity precision
  Figure fuel, clinker_gross, deduction, process, total;
  std::optional<Decimal> intensity_t_per_t;          // total per t clinker
  std::optional<Decimal> process_intensity_t_per_t;  // process per t clinker
};

struct CementResult {
  int data_year = 0;
  std::vector<CementMonthResult> months;  // in input order
  std::vector<CementLineYear> lines;      // in line order
  std::vector<FuelYearLine> fuels;
  std::vector<MaterialYearLine> deductions;
  Figure fuel, clinker_gross, deduction, process, total;
  Decimal total_integer_t;
  Decimal clinker_t;
  std::optional<Decimal> intensity_t_per_t;
  std::vector<std::string> notes;
};

// Validates the input against the rules and computes. Errors name the field at fault with a
// path such as "months[5].alternative_materials" or "parameters.deduction_factors.carbide_slag".
Result<CementResult> AccountCementEmissions(const CementInput& input, const CementRules& rules);

}  // namespace greenloop::mrv

#endif  // GREENLOOP_MRV_CEMENT_H_
