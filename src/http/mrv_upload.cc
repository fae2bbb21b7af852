#include "http/mrv_upload.h"

#include <map>

#include "calc/power_calculators.h"
#include "io/csv.h"
#include "io/xlsx_reader.h"
#include "io/xlsx_writer.h"

namespace greenloop {
namespace {

const std::vector<std::string> kColumns = {
    "unit_id", "month", "generation_mwh", "supply_mwh", "heat_supplied_gj", "purchased_electricity_mwh", "load_rate",
    "meter_evidence", "fuel", "consumption", "ncv", "ncv_evidence", "carbon_tc_per_gj", "carbon_evidence", "oxidation_rate"};
const std::vector<std::string> kRequired = {"unit_id", "month", "generation_mwh", "supply_mwh", "fuel", "consumption"};
// The unit-month's own figures, which every fuel row of the same unit-month must repeat.
const std::vector<std::string> kMonthColumns = {"generation_mwh", "supply_mwh", "heat_supplied_gj",
                                                "purchased_electricity_mwh", "load_rate", "meter_evidence"};

const std::vector<std::string> kNotes = {
    "说明 Notes: one row per unit, month and fuel; repeat the unit-month figures on each of its fuel rows.",
    "unit_id 机组编号 (as registered); month 月份 1–12; generation_mwh 发电量 MWh; supply_mwh 供电量 MWh;",
    "heat_supplied_gj 供热量 GJ; purchased_electricity_mwh 购入电量 MWh; load_rate 负荷率 (0–1); meter_evidence 计量凭证;",
    "fuel 燃料代码 (bituminous, anthracite, lignite, raw_coal, coal_gangue, coal_slime, natural_gas, diesel, fuel_oil, lpg, "
    "coke_oven_gas); consumption 消耗量 t or 10^4 Nm3;",
    "ncv 低位发热量 GJ/t or GJ/10^4 Nm3; ncv_evidence 化验报告编号; carbon_tc_per_gj 单位热值含碳量 tC/GJ; carbon_evidence "
    "CMA/CNAS 报告编号 (without it the default applies); oxidation_rate 碳氧化率 (0–1, blank = default).",
    "Units: MWh not kWh, t not kt. Numbers without thousands separators. Dates are not used."};

bool LooksLikeZip(const std::string& body) { return body.size() >= 4 && body.compare(0, 4, "PK\x03\x04") == 0; }

std::string RowLabel(const std::vector<int>& rows) {
  if (rows.size() == 1) return "row " + std::to_string(rows[0]);
  return "rows " + std::to_string(rows.front()) + "–" + std::to_string(rows.back());
}

}  // namespace

Status ParseMonthlyUpload(const std::string& content_type, const std::string& body, std::vector<mrv::UnitMonth>* months,
                          std::vector<std::string>* bodies_json, std::vector<std::string>* source_rows) {
  if (body.empty()) return Status::Invalid("missing_field", "the upload is empty", "body");
  const bool xlsx = content_type.find("spreadsheetml") != std::string::npos ||
                    (content_type.find("text/csv") == std::string::npos && LooksLikeZip(body));
  if (!xlsx && content_type.find("text/csv") == std::string::npos && content_type.find("octet-stream") == std::string::npos &&
      !content_type.empty()) {
    return Status::Invalid("unsupported_media_type",
                           "send text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Content-Type");
  }
  Result<Table> parsed = xlsx ? ReadXlsx(body) : ParseCsv(body);
  if (!parsed.ok()) return parsed.status();
  const Table& table = parsed.value();
  std::map<std::string, size_t> column;
  for (const std::string& name : kColumns) {
    if (auto index = FindColumn(table, name)) column[name] = *index;
  }
  for (const std::string& name : kRequired) {
    if (!column.count(name)) {
      return Status::Invalid("missing_column", "the sheet has no column '" + name + "'; use the template (/api/v1/mrv/template.xlsx)",
                             name);
    }
  }
  for (size_t c = 0; c < table.header.size(); ++c) {
    bool known = false;
    for (const std::string& name : kColumns) known = known || FindColumn(table, name) == c;
    if (!known && !table.header[c].empty()) {
      return Status::Invalid("unknown_column", "unknown column '" + table.header[c] + "'; the template's columns are fixed",
                             table.header[c]);
    }
  }
  if (table.rows.empty()) return Status::Invalid("missing_field", "the sheet has no data rows", "rows");
  if (table.rows.size() > 20'000) return Status::Invalid("out_of_range", "at most 20,000 rows per upload", "rows");

  // Group rows into unit-months in order of first appearance.
  std::map<std::pair<std::string, std::string>, size_t> group_of;
  std::vector<calc::Json> groups;
  std::vector<std::vector<int>> group_rows;
  std::vector<std::vector<std::string>> group_first_cells;
  auto cell = [&](size_t row, const std::string& name) -> std::string {
    auto it = column.find(name);
    return it == column.end() ? "" : table.rows[row][it->second];
  };
  for (size_t i = 0; i < table.rows.size(); ++i) {
    const int row_number = table.row_numbers[i];
    const std::string where = "row " + std::to_string(row_number);
    auto number = [&](const std::string& name, bool required, calc::Json* target, const char* key) -> Status {
      std::string text = cell(i, name);
      if (text.empty()) {
        if (required) return Status::Invalid("missing_field", where + ", column " + name + ": a value is required", where + "." + name);
        return Status::OK();
      }
      std::optional<Decimal> value = Decimal::Parse(text);
      if (!value) {
        return Status::Invalid("invalid_number", where + ", column " + name + ": '" + text +
                                                     "' is not a number (no thousands separators, at most six decimals)",
                               where + "." + name);
      }
      (*target)[key] = calc::ToJsonNumber(*value);
      return Status::OK();
    };
    const std::string unit_id = cell(i, "unit_id");
    const std::string month_text = cell(i, "month");
    if (unit_id.empty()) return Status::Invalid("missing_field", where + ", column unit_id: a value is required", where + ".unit_id");
    std::optional<Decimal> month = Decimal::Parse(month_text);
    if (!month || month->micros() % Decimal::kOne != 0 || month->micros() < Decimal::kOne ||
        month->micros() > 12 * Decimal::kOne) {
      return Status::Invalid("out_of_range", where + ", column month: '" + month_text + "' is not a month 1–12", where + ".month");
    }
    auto key = std::make_pair(unit_id, month->ToShortString());
    std::vector<std::string> month_cells;
    for (const std::string& name : kMonthColumns) month_cells.push_back(cell(i, name));
    auto found = group_of.find(key);
    if (found == group_of.end()) {
      calc::Json m = {{"unit_id", unit_id}, {"month", month->micros() / Decimal::kOne}};
      GL_RETURN_IF_ERROR(number("generation_mwh", true, &m, "generation_mwh"));
      GL_RETURN_IF_ERROR(number("supply_mwh", true, &m, "supply_mwh"));
      GL_RETURN_IF_ERROR(number("heat_supplied_gj", false, &m, "heat_supplied_gj"));
      GL_RETURN_IF_ERROR(number("purchased_electricity_mwh", false, &m, "purchased_electricity_mwh"));
      GL_RETURN_IF_ERROR(number("load_rate", false, &m, "load_rate"));
      if (!cell(i, "meter_evidence").empty()) m["meter_evidence"] = cell(i, "meter_evidence");
      m["fuels"] = calc::Json::array();
      found = group_of.emplace(key, groups.size()).first;
      groups.push_back(std::move(m));
      group_rows.push_back({});
      group_first_cells.push_back(month_cells);
    } else if (group_first_cells[found->second] != month_cells) {
      for (size_t c = 0; c < kMonthColumns.size(); ++c) {
        if (month_cells[c] != group_first_cells[found->second][c]) {
          return Status::Invalid("inconsistent_rows",
                                 where + ", column " + kMonthColumns[c] + ": differs from row " +
                                     std::to_string(group_rows[found->second].front()) +
                                     " for the same unit and month; repeat the unit-month's figures on each fuel row",
                                 where + "." + kMonthColumns[c]);
        }
      }
    }
    calc::Json fuel = {{"fuel", cell(i, "fuel")}};
    if (cell(i, "fuel").empty()) return Status::Invalid("missing_field", where + ", column fuel: a value is required", where + ".fuel");
    GL_RETURN_IF_ERROR(number("consumption", true, &fuel, "consumption"));
    GL_RETURN_IF_ERROR(number("ncv", false, &fuel, "ncv"));
    GL_RETURN_IF_ERROR(number("carbon_tc_per_gj", false, &fuel, "carbon_tc_per_gj"));
    GL_RETURN_IF_ERROR(number("oxidation_rate", false, &fuel, "oxidation_rate"));
    if (!cell(i, "ncv_evidence").empty()) fuel["ncv_evidence"] = cell(i, "ncv_evidence");
    if (!cell(i, "carbon_evidence").empty()) fuel["carbon_evidence"] = cell(i, "carbon_evidence");
    groups[found->second]["fuels"].push_back(std::move(fuel));
    group_rows[found->second].push_back(row_number);
  }
  months->clear();
  bodies_json->clear();
  source_rows->clear();
  for (size_t g = 0; g < groups.size(); ++g) {
    mrv::UnitMonth month;
    Status st = calc::ReadUnitMonth(calc::JsonInput(groups[g], ""), &month);
    if (!st.ok()) return Status::Invalid(st.code(), RowLabel(group_rows[g]) + ": " + st.message(), RowLabel(group_rows[g]));
    months->push_back(std::move(month));
    bodies_json->push_back(groups[g].dump());
    source_rows->push_back(RowLabel(group_rows[g]));
  }
  return Status::OK();
}

namespace {

std::vector<std::vector<std::string>> ExampleRows() {
  return {{"#1", "1", "268000", "253260", "420000", "0", "0.6004", "BT-M1-2024-01", "bituminous", "132445.6", "20.908",
           "LAB-2024-01-N", "0.02758", "CNAS-L1234-2024-01", ""},
          {"#1", "1", "268000", "253260", "420000", "0", "0.6004", "BT-M1-2024-01", "diesel", "1.2", "", "", "", "", ""}};
}

}  // namespace

std::string MonthlyTemplateCsv() {
  Table table;
  table.header = kColumns;
  table.rows = ExampleRows();
  // With a BOM, spreadsheet programs on Chinese Windows read the file as UTF-8.
  return std::string(kUtf8ByteOrderMark) + WriteCsv(table);
}

Result<std::string> MonthlyTemplateXlsx() {
  // The notes go on a second sheet: uploads read the first sheet, which holds only data.
  Sheet data;
  data.name = "月度数据 monthly data";
  data.header = kColumns;
  data.rows = ExampleRows();
  Sheet notes;
  notes.name = "说明 notes";
  notes.header = {"说明 / notes"};
  for (const std::string& line : kNotes) notes.rows.push_back({line});
  return WriteXlsx({data, notes});
}

}  // namespace greenloop
