#include "io/csv.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace greenloop {
namespace {

Status CsvError(std::string message, std::string field) {
  return Status::Invalid("invalid_csv", std::move(message), std::move(field));
}

// "row 7", or "row 7 (line 9)" once quoted line breaks have made the two differ.
std::string RowAndLine(int row_number, int line_number) {
  std::string place = "row " + std::to_string(row_number);
  if (line_number != row_number) place += " (line " + std::to_string(line_number) + ")";
  return place;
}

std::string Fields(size_t count) { return std::to_string(count) + (count == 1 ? " field" : " fields"); }

bool IsBlank(const std::vector<std::string>& record) {
  return std::all_of(record.begin(), record.end(), [](const std::string& f) { return f.empty(); });
}

// Reads one record at a time; `line_` is the 1-based physical line of the next character.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ >= text_.size(); }
  int line() const { return line_; }

  // Fills `record` with the fields of the record starting at the current position and moves
  // past its line ending. `row_number` only serves the error messages.
  Status ReadRecord(int row_number, std::vector<std::string>& record) {
    record.clear();
    int start_line = line_;
    while (true) {
      std::string field;
      GL_RETURN_IF_ERROR(ReadField(row_number, start_line, field));
      if (!IsValidUtf8(field)) {
        return CsvError(RowAndLine(row_number, start_line) +
                            " is not UTF-8 text; save the file as \"CSV UTF-8\" (GBK and other "
                            "encodings are not accepted)",
                        "row " + std::to_string(row_number));
      }
      record.push_back(std::move(field));
      if (AtEnd() || text_[pos_] != ',') break;
      ++pos_;
    }
    SkipLineEnding();
    return Status::OK();
  }

 private:
  Status ReadField(int row_number, int start_line, std::string& field) {
    if (AtEnd() || text_[pos_] != '"') {
      size_t end = text_.find_first_of(",\r\n", pos_);
      if (end == std::string_view::npos) end = text_.size();
      // A stray quote inside an unquoted field is kept as text, as spreadsheet programs do.
      field.assign(text_.substr(pos_, end - pos_));
      pos_ = end;
      return CheckLength(row_number, start_line, field);
    }
    int quote_line = line_;
    ++pos_;
    while (true) {
      if (AtEnd()) {
        return CsvError(
            "line " + std::to_string(quote_line) + ": a quoted field is never closed (a '\"' is missing)",
            "line " + std::to_string(quote_line));
      }
      size_t special = text_.find_first_of("\"\r\n", pos_);
      if (special == std::string_view::npos) special = text_.size();
      field.append(text_.substr(pos_, special - pos_));
      pos_ = special;
      GL_RETURN_IF_ERROR(CheckLength(row_number, start_line, field));
      if (AtEnd()) continue;
      char c = text_[pos_];
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          field.push_back('"');
          pos_ += 2;
          continue;
        }
        ++pos_;
        break;
      }
      field.push_back(c);
      ++pos_;
      if (c == '\n' || (c == '\r' && (AtEnd() || text_[pos_] != '\n'))) ++line_;
    }
    if (!AtEnd() && text_[pos_] != ',' && text_[pos_] != '\r' && text_[pos_] != '\n') {
      return CsvError("line " + std::to_string(line_) +
                          ": a closing '\"' must be followed by a comma or the end of the line "
                          "(write a quote inside a quoted field as \"\")",
                      "line " + std::to_string(line_));
    }
    return CheckLength(row_number, start_line, field);
  }

  Status CheckLength(int row_number, int start_line, const std::string& field) const {
    if (field.size() <= kMaxCsvFieldBytes) return Status::OK();
    return CsvError(RowAndLine(row_number, start_line) + " has a field longer than " +
                        std::to_string(kMaxCsvFieldBytes / 1024) + " KiB",
                    "row " + std::to_string(row_number));
  }

  void SkipLineEnding() {
    if (AtEnd()) return;
    if (text_[pos_] == '\r') ++pos_;
    if (!AtEnd() && text_[pos_] == '\n') ++pos_;
    ++line_;
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
};

bool NeedsQuotes(const std::string& field) { return field.find_first_of(",\"\r\n") != std::string::npos; }

void AppendField(const std::string& field, bool alone, std::string& out) {
  if (!NeedsQuotes(field) && !(alone && field.empty())) {
    out += field;
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void AppendRecord(const std::vector<std::string>& fields, std::string& out) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendField(fields[i], fields.size() == 1, out);
  }
  out += "\r\n";
}

}  // namespace

Result<Table> ParseCsv(std::string_view text) {
  if (text.starts_with(kUtf8ByteOrderMark)) text.remove_prefix(kUtf8ByteOrderMark.size());
  CsvReader reader(text);
  Table table;
  bool have_header = false;
  std::vector<std::string> record;
  int row_number = 0;
  while (!reader.AtEnd()) {
    ++row_number;
    int line_number = reader.line();
    record.reserve(table.header.size());
    GL_RETURN_IF_ERROR(reader.ReadRecord(row_number, record));
    if (IsBlank(record)) continue;
    if (!have_header) {
      table.header = std::move(record);
      have_header = true;
      continue;
    }
    if (record.size() != table.header.size()) {
      return CsvError(RowAndLine(row_number, line_number) + " has " + Fields(record.size()) +
                          " but the header has " + Fields(table.header.size()),
                      "row " + std::to_string(row_number));
    }
    if (table.rows.size() == kMaxCsvRows) {
      return CsvError("the file has more than " + std::to_string(kMaxCsvRows) + " data rows (row " +
                          std::to_string(row_number) + " is one too many)",
                      "row " + std::to_string(row_number));
    }
    table.rows.push_back(std::move(record));
    table.row_numbers.push_back(row_number);
  }
  if (!have_header) return CsvError("the file is empty: it has no header row", "");
  return table;
}

std::string WriteCsv(const Table& table) {
  std::string out;
  AppendRecord(table.header, out);
  for (const auto& row : table.rows) AppendRecord(row, out);
  return out;
}

}  // namespace greenloop
