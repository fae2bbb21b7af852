#include "http/mrv_upload.h"

#include <map>
#include <tuple>

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

// The upload's table: CSV or XLSX by Content-Type, or by the bytes when the type is generic.
Status ReadUploadTable(const std::string& content_type, const std::string& body, Table* out) {
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
  *out = std::move(parsed.value());
  if (out->rows.empty()) return Status::Invalid("missing_field", "the sheet has no data rows", "rows");
  if (out->rows.size() > 20'000) return Status::Invalid("out_of_range", "at most 20,000 rows per upload", "rows");
  return Status::OK();
}

// Where each template column is; every required one present, no column outside the template.
Status MapColumns(const Table& table, const std::vector<std::string>& columns, const std::vector<std::string>& required,
                  const std::string& template_path, std::map<std::string, size_t>* out) {
  for (const std::string& name : columns) {
    if (auto index = FindColumn(table, name)) (*out)[name] = *index;
  }
  for (const std::string& name : required) {
    if (!out->count(name)) {
      return Status::Invalid("missing_column", "the sheet has no column '" + name + "'; use the template (" + template_path + ")",
                             name);
    }
  }
  for (size_t c = 0; c < table.header.size(); ++c) {
    bool known = false;
    for (const std::string& name : columns) known = known || FindColumn(table, name) == c;
    if (!known && !table.header[c].empty()) {
      return Status::Invalid("unknown_column", "unknown column '" + table.header[c] + "'; the template's columns are fixed",
                             table.header[c]);
    }
  }
  return Status::OK();
}

// A month 1–12 in a cell, or an error naming the row.
Status ParseMonthCell(const std::string& text, const std::string& where, int* month) {
  std::optional<Decimal> value = Decimal::Parse(text);
  if (!value || value->micros() % Decimal::kOne != 0 || value->micros() < Decimal::kOne ||
      value->micros() > 12 * Decimal::kOne) {
    return Status::Invalid("out_of_range", where + ", column month: '" + text + "' is not a month 1–12", where + ".month");
  }
  *month = static_cast<int>(value->micros() / Decimal::kOne);
  return Status::OK();
}

}  // namespace

Status ParseMonthlyUpload(const std::string& content_type, const std::string& body, std::vector<mrv::UnitMonth>* months,
                          std::vector<std::string>* bodies_json, std::vector<std::string>* source_rows) {
  Table table;
  GL_RETURN_IF_ERROR(ReadUploadTable(content_type, body, &table));
  std::map<std::string, size_t> column;
  GL_RETURN_IF_ERROR(MapColumns(table, kColumns, kRequired, "/api/v1/mrv/template.xlsx", &column));

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
    int month = 0;
    GL_RETURN_IF_ERROR(ParseMonthCell(month_text, where, &month));
    auto key = std::make_pair(unit_id, std::to_string(month));
    std::vector<std::string> month_cells;
    for (const std::string& name : kMonthColumns) month_cells.push_back(cell(i, name));
    auto found = group_of.find(key);
    if (found == group_of.end()) {
      calc::Json m = {{"unit_id", unit_id}, {"month", month}};
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

namespace {

const std::vector<std::string> kSectorColumns = {"month", "part", "section", "item", "field", "value", "evidence"};
const std::vector<std::string> kSectorRequired = {"month", "field", "value"};

// The list sections a row may name, with the key of an item's code in the document.
const std::map<std::string, std::string> kSections = {{"fuels", "fuel"},
                                                      {"carbonates", "material"},
                                                      {"carbon_inputs", "material"},
                                                      {"carbon_products", "material"},
                                                      {"alternative_materials", "material"}};

// Where a part (a cement line, a steel captive power unit) sits in the month document.
struct PartKeys {
  const char* list = nullptr;  // "lines", "power_units"
  const char* id = nullptr;    // "line_id", "id"
};
PartKeys PartsOf(mrv::Sector sector) {
  if (sector == mrv::Sector::kCement) return {"lines", "line_id"};
  if (sector == mrv::Sector::kSteel) return {"power_units", "id"};
  return {};
}

// The object an item's code names in a list, appended at its first row.
calc::Json& ItemIn(calc::Json& list, const std::string& code_key, const std::string& code) {
  for (calc::Json& item : list) {
    if (item[code_key] == code) return item;
  }
  list.push_back(calc::Json{{code_key, code}});
  return list.back();
}

}  // namespace

Status ParseSectorUpload(mrv::Sector sector, const std::string& content_type, const std::string& body,
                         std::vector<calc::Json>* months, std::vector<std::string>* source_rows) {
  GL_ASSERT(sector != mrv::Sector::kPower);
  Table table;
  GL_RETURN_IF_ERROR(ReadUploadTable(content_type, body, &table));
  std::map<std::string, size_t> column;
  const std::string template_path = std::string("/api/v1/mrv/template.xlsx?sector=") + mrv::SectorName(sector);
  GL_RETURN_IF_ERROR(MapColumns(table, kSectorColumns, kSectorRequired, template_path, &column));
  auto cell = [&](size_t row, const std::string& name) -> std::string {
    auto it = column.find(name);
    return it == column.end() ? "" : table.rows[row][it->second];
  };
  const PartKeys parts = PartsOf(sector);
  std::map<int, calc::Json> documents;  // by month
  std::map<int, std::vector<int>> rows_of;
  std::map<std::tuple<int, std::string, std::string, std::string, std::string>, int> first_row;
  for (size_t i = 0; i < table.rows.size(); ++i) {
    const int row_number = table.row_numbers[i];
    const std::string where = "row " + std::to_string(row_number);
    int month = 0;
    GL_RETURN_IF_ERROR(ParseMonthCell(cell(i, "month"), where, &month));
    const std::string part = cell(i, "part"), section = cell(i, "section"), item = cell(i, "item"), field = cell(i, "field");
    if (field.empty()) return Status::Invalid("missing_field", where + ", column field: a value is required", where + ".field");
    const std::string value_text = cell(i, "value");
    std::optional<Decimal> value = Decimal::Parse(value_text);
    if (!value) {
      return Status::Invalid("invalid_number", where + ", column value: '" + value_text +
                                                   "' is not a number (no thousands separators, at most six decimals)",
                             where + ".value");
    }
    auto duplicate = first_row.emplace(std::make_tuple(month, part, section, item, field), row_number);
    if (!duplicate.second) {
      return Status::Invalid("duplicate", where + ": the same value is given in row " + std::to_string(duplicate.first->second),
                             where + ".field");
    }
    calc::Json& document = documents[month];
    if (document.is_null()) document = calc::Json{{"month", month}};
    rows_of[month].push_back(row_number);
    // The object the row fills: the month, or one of its parts.
    calc::Json* target = &document;
    if (!part.empty()) {
      if (parts.list == nullptr) {
        return Status::Invalid("invalid_field", where + ", column part: an aluminium smelter has no parts; leave it blank",
                               where + ".part");
      }
      if (!document.contains(parts.list)) document[parts.list] = calc::Json::array();
      target = &ItemIn(document[parts.list], parts.id, part);
    } else if (sector == mrv::Sector::kCement) {
      return Status::Invalid("missing_field", where + ", column part: name the clinker line (its id in the profile)",
                             where + ".part");
    }
    if (section.empty()) {
      if (!item.empty()) {
        return Status::Invalid("invalid_field", where + ", column item: a figure of the month has no item; give section too",
                               where + ".item");
      }
      (*target)[field] = calc::ToJsonNumber(*value);
    } else {
      auto known = kSections.find(section);
      if (known == kSections.end()) {
        return Status::Invalid("invalid_field", where + ", column section: '" + section +
                                                    "' is not one of fuels, carbonates, carbon_inputs, carbon_products, "
                                                    "alternative_materials",
                               where + ".section");
      }
      if (item.empty()) return Status::Invalid("missing_field", where + ", column item: name the fuel or material code", where + ".item");
      if (!target->contains(section)) (*target)[section] = calc::Json::array();
      calc::Json& entry = ItemIn((*target)[section], known->second, item);
      entry[field] = calc::ToJsonNumber(*value);
      const std::string evidence = cell(i, "evidence");
      if (!evidence.empty()) {
        if (field != "ncv" && field != "carbon_tc_per_gj") {
          return Status::Invalid("invalid_field", where + ", column evidence: only an ncv or carbon_tc_per_gj value has a test report",
                                 where + ".evidence");
        }
        entry[field == "ncv" ? "ncv_evidence" : "carbon_evidence"] = evidence;
      }
    }
  }
  months->clear();
  source_rows->clear();
  for (auto& [month, document] : documents) {
    months->push_back(std::move(document));
    source_rows->push_back(RowLabel(rows_of[month]));
  }
  return Status::OK();
}

namespace {

std::vector<std::vector<std::string>> SectorExampleRows(mrv::Sector sector) {
  switch (sector) {
    case mrv::Sector::kSteel:
      return {{"1", "", "fuels", "coking_coal", "consumption", "115733.33", ""},
              {"1", "", "fuels", "coking_coal", "ncv", "26.412", "QL-2024-01-CC"},
              {"1", "", "fuels", "coke", "consumption", "19220", ""},
              {"1", "", "carbonates", "limestone", "quantity_t", "30793.33", ""},
              {"1", "", "", "", "electrodes_t", "74.81", ""},
              {"1", "", "carbon_inputs", "scrap", "quantity_t", "27280", ""},
              {"1", "", "", "", "crude_steel_t", "259366.67", ""},
              {"1", "CHP-1", "fuels", "bf_gas", "consumption", "15293.33", ""},
              {"1", "CHP-1", "", "", "generation_mwh", "54560", ""}};
    case mrv::Sector::kAluminium:
      return {{"1", "", "", "", "liquid_aluminium_t", "42671.5", ""},
              {"1", "", "fuels", "natural_gas", "consumption", "127.72", ""},
              {"1", "", "carbonates", "soda_ash", "quantity_t", "28.52", ""},
              {"1", "", "", "", "purchased_electricity_mwh", "576918.68", ""},
              {"1", "", "", "", "electrolysis_ac_mwh", "567957.665", ""},
              {"1", "", "", "", "anode_effect_minutes", "0.042", ""}};
    case mrv::Sector::kCement:
      return {{"3", "L1", "", "", "clinker_t", "144150", ""},
              {"3", "L1", "fuels", "bituminous", "consumption", "20212", ""},
              {"3", "L1", "fuels", "bituminous", "ncv", "22.615", "YS-2024-03-L1"},
              {"3", "L1", "alternative_materials", "carbide_slag", "quantity_t", "9455", ""},
              {"3", "L2", "", "", "clinker_t", "36580", ""}};
    case mrv::Sector::kPower: break;
  }
  return {};
}

const std::vector<std::string> kSectorNotes = {
    "说明 Notes: one row per value. month 月份 1–12; part 生产线/自备电厂机组 (cement: the clinker line id, required; "
    "steel: a captive power unit id, blank for the enterprise; aluminium: blank);",
    "section 分项: blank for a figure of the month or part, else fuels 燃料, carbonates 碳酸盐, carbon_inputs 含碳输入, "
    "carbon_products 含碳产品, alternative_materials 替代原料; item 品种代码: the fuel or material code;",
    "field 字段: consumption, ncv, carbon_tc_per_gj, oxidation_rate (fuels); quantity_t (materials); crude_steel_t, "
    "electrodes_t, generation_mwh, heat_supplied_gj (steel); liquid_aluminium_t, purchased_electricity_mwh, "
    "electrolysis_ac_mwh, anode_effect_minutes, net_anode_t_per_t_al, anode_sulfur_fraction, anode_ash_fraction "
    "(aluminium); clinker_t (cement);",
    "value 数值: t not kt, GJ/t, MWh not kWh, no thousands separators; evidence 化验报告编号 of an ncv or carbon value. "
    "Codes and fields as in docs/calc/industry.md; the sector's engine checks every month."};

}  // namespace

std::string SectorTemplateCsv(mrv::Sector sector) {
  Table table;
  table.header = kSectorColumns;
  table.rows = SectorExampleRows(sector);
  return std::string(kUtf8ByteOrderMark) + WriteCsv(table);
}

Result<std::string> SectorTemplateXlsx(mrv::Sector sector) {
  Sheet data;
  data.name = "月度数据 monthly data";
  data.header = kSectorColumns;
  data.rows = SectorExampleRows(sector);
  Sheet notes;
  notes.name = "说明 notes";
  notes.header = {"说明 / notes"};
  for (const std::string& line : kSectorNotes) notes.rows.push_back({line});
  return WriteXlsx({data, notes});
}

}  // namespace greenloop
