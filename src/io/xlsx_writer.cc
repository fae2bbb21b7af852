#include "io/xlsx_writer.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string_view>
#include <utility>

#include "core/decimal.h"
#include "io/table.h"

namespace greenloop {
namespace {

constexpr std::size_t kMaxSheetNameUtf16Units = 31;
constexpr std::size_t kMaxCellUtf16Units = 32'767;
constexpr std::size_t kMaxSheetRows = 1'048'576;
constexpr std::size_t kMaxSheetColumns = 16'384;
constexpr int kMaxExactSignificantDigits = 15;
constexpr double kMinColumnWidthChars = 10;
constexpr double kMaxColumnWidthChars = 60;
constexpr double kColumnPaddingChars = 2;
constexpr lxw_color_t kHeaderFillColor = 0xDDEBF7;  // light blue

// Calls `visit` with each code point of well-formed UTF-8 text.
template <typename Visit>
void ForEachCodePoint(std::string_view text, Visit visit) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t code_point = length == 1 ? lead : lead & (0x7Fu >> length);
    for (std::size_t k = 1; k < length && i + k < text.size(); ++k) {
      code_point = (code_point << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
    }
    visit(code_point);
    i += length;
  }
}

std::size_t Utf16Length(std::string_view text) {
  std::size_t units = 0;
  ForEachCodePoint(text, [&units](char32_t c) { units += c >= 0x10000 ? 2 : 1; });
  return units;
}

// East Asian wide and fullwidth characters take about two columns of Excel's default font.
bool IsWide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
         (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

// The width of the longest line of `text`, in character widths of Excel's default font.
double DisplayWidthChars(std::string_view text) {
  double widest = 0;
  double line = 0;
  ForEachCodePoint(text, [&](char32_t c) {
    if (c == '\n') {
      line = 0;
      return;
    }
    line += IsWide(c) ? 2 : 1;
    widest = std::max(widest, line);
  });
  return widest;
}

Status InvalidName(const std::string& name, std::string problem) {
  return Status::Invalid("invalid_sheet_name", "sheet name \"" + name + "\" " + std::move(problem), name);
}

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

Status CheckSheetName(const std::string& name) {
  if (name.empty()) return Status::Invalid("invalid_sheet_name", "a sheet name cannot be empty", "name");
  if (!IsValidUtf8(name)) return InvalidName(name, "is not UTF-8 text");
  std::size_t length = Utf16Length(name);
  if (length > kMaxSheetNameUtf16Units) {
    return InvalidName(name, "has " + std::to_string(length) + " characters; Excel allows at most " +
                                 std::to_string(kMaxSheetNameUtf16Units));
  }
  std::size_t forbidden = name.find_first_of("[]:*?/\\");
  if (forbidden != std::string::npos) {
    return InvalidName(name, "contains '" + std::string(1, name[forbidden]) +
                                 "'; Excel does not allow [ ] : * ? / \\ in sheet names");
  }
  if (name.front() == '\'' || name.back() == '\'') {
    return InvalidName(name, "begins or ends with an apostrophe, which Excel does not allow");
  }
  if (EqualsIgnoringAsciiCase(name, "History")) return InvalidName(name, "is reserved by Excel");
  return Status::OK();
}

std::string ColumnLetters(std::size_t column_index) {
  std::string letters;
  for (std::size_t n = column_index + 1; n > 0; n = (n - 1) / 26) {
    letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return letters;
}

std::string CellName(const Sheet& sheet, std::size_t row_index, std::size_t column_index) {
  return sheet.name + "!" + ColumnLetters(column_index) + std::to_string(row_index + 1);
}

Status CheckCell(const Sheet& sheet, std::size_t row_index, std::size_t column_index,
                 const std::string& text) {
  if (column_index >= kMaxSheetColumns) {
    return Status::Invalid("invalid_sheet",
                           "sheet \"" + sheet.name + "\" has more than " + std::to_string(kMaxSheetColumns) +
                               " columns, more than Excel allows",
                           sheet.name);
  }
  std::string where = CellName(sheet, row_index, column_index);
  if (!IsValidUtf8(text)) {
    return Status::Invalid("invalid_sheet", "cell " + where + " is not UTF-8 text", where);
  }
  if (Utf16Length(text) > kMaxCellUtf16Units) {
    return Status::Invalid("invalid_sheet",
                           "cell " + where + " has more than " + std::to_string(kMaxCellUtf16Units) +
                               " characters, more than Excel allows in a cell",
                           where);
  }
  return Status::OK();
}

// The row index of the first note: after the data and one blank row.
std::size_t FirstNoteRow(const Sheet& sheet) { return sheet.rows.size() + 2; }

Status CheckSheets(const std::vector<Sheet>& sheets) {
  if (sheets.empty()) {
    return Status::Invalid("invalid_sheet", "a workbook needs at least one sheet", "sheets");
  }
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    const Sheet& sheet = sheets[i];
    GL_RETURN_IF_ERROR(CheckSheetName(sheet.name));
    for (std::size_t j = 0; j < i; ++j) {
      if (EqualsIgnoringAsciiCase(sheets[j].name, sheet.name)) {
        return InvalidName(sheet.name, "is used twice; Excel sheet names must differ, ignoring case");
      }
    }
    std::size_t last_row =
        sheet.notes.empty() ? sheet.rows.size() : FirstNoteRow(sheet) + sheet.notes.size() - 1;
    if (last_row >= kMaxSheetRows) {
      return Status::Invalid(
          "invalid_sheet",
          "sheet \"" + sheet.name + "\" has more rows than Excel's " + std::to_string(kMaxSheetRows),
          sheet.name);
    }
    for (std::size_t c = 0; c < sheet.header.size(); ++c) {
      GL_RETURN_IF_ERROR(CheckCell(sheet, 0, c, sheet.header[c]));
    }
    for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
      for (std::size_t c = 0; c < sheet.rows[r].size(); ++c) {
        GL_RETURN_IF_ERROR(CheckCell(sheet, r + 1, c, sheet.rows[r][c]));
      }
    }
    for (std::size_t n = 0; n < sheet.notes.size(); ++n) {
      GL_RETURN_IF_ERROR(CheckCell(sheet, FirstNoteRow(sheet) + n, 0, sheet.notes[n]));
    }
  }
  return Status::OK();
}

// The number to write for `text`, or nullopt to keep it as text (see xlsx_writer.h).
std::optional<double> AsNumber(const std::string& text) {
  std::optional<Decimal> value = Decimal::Parse(text);
  if (!value) return std::nullopt;
  std::string_view unsigned_text = text;
  if (unsigned_text.starts_with('-')) unsigned_text.remove_prefix(1);
  if (unsigned_text.starts_with('+')) return std::nullopt;
  if (unsigned_text.size() > 1 && unsigned_text[0] == '0' && unsigned_text[1] >= '0' &&
      unsigned_text[1] <= '9') {
    return std::nullopt;
  }
  std::string digits = value->ToShortString();
  std::size_t first_significant = digits.find_first_of("123456789");
  int significant = 0;
  if (first_significant != std::string::npos) {
    for (std::size_t i = first_significant; i < digits.size(); ++i) significant += digits[i] != '.' ? 1 : 0;
  }
  if (significant > kMaxExactSignificantDigits) return std::nullopt;
  return value->ToDouble();
}

// The mkstemp file libxlsxwriter writes to; closed and removed on every path out.
class TempFile {
 public:
  TempFile() = default;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (descriptor_ >= 0) {
      close(descriptor_);
      unlink(path_.c_str());
    }
  }

  Status Create() {
    std::error_code error;
    std::filesystem::path directory = std::filesystem::temp_directory_path(error);
    if (error) return Status::Unavailable("no temporary directory for the XLSX file: " + error.message());
    path_ = (directory / "greenloop-xlsx-XXXXXX").string();
    descriptor_ = mkstemp(path_.data());
    if (descriptor_ < 0) {
      return Status::Unavailable("cannot create a temporary file in " + directory.string() + ": " +
                                 std::strerror(errno));
    }
    return Status::OK();
  }

  const std::string& path() const { return path_; }

  Result<std::string> ReadAll() const {
    std::string bytes;
    if (lseek(descriptor_, 0, SEEK_SET) < 0) return ReadError();
    char chunk[64 * 1024];
    while (true) {
      ssize_t count = read(descriptor_, chunk, sizeof chunk);
      if (count < 0 && errno == EINTR) continue;
      if (count < 0) return ReadError();
      if (count == 0) break;
      bytes.append(chunk, static_cast<std::size_t>(count));
    }
    return bytes;
  }

 private:
  Status ReadError() const {
    return Status::Unavailable("cannot read back the XLSX file " + path_ + ": " + std::strerror(errno));
  }

  std::string path_;
  int descriptor_ = -1;
};

Status LibraryError(const char* what, lxw_error error) {
  return Status::Unavailable(std::string("libxlsxwriter could not ") + what + ": " + lxw_strerror(error));
}

void SetColumnWidths(lxw_worksheet* worksheet, const Sheet& sheet) {
  std::vector<double> widths(sheet.header.size(), 0);
  auto widen = [&widths](const std::vector<std::string>& cells) {
    if (widths.size() < cells.size()) widths.resize(cells.size(), 0);
    for (std::size_t c = 0; c < cells.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidthChars(cells[c]));
    }
  };
  widen(sheet.header);
  for (const auto& row : sheet.rows) widen(row);
  for (std::size_t c = 0; c < widths.size(); ++c) {
    double width = std::clamp(widths[c] + kColumnPaddingChars, kMinColumnWidthChars, kMaxColumnWidthChars);
    auto column = static_cast<lxw_col_t>(c);
    worksheet_set_column(worksheet, column, column, width, nullptr);
  }
}

Status WriteSheet(lxw_workbook* workbook, const Sheet& sheet, lxw_format* header_format) {
  lxw_worksheet* worksheet = workbook_add_worksheet(workbook, sheet.name.c_str());
  if (worksheet == nullptr) return InvalidName(sheet.name, "was refused by libxlsxwriter");
  for (std::size_t c = 0; c < sheet.header.size(); ++c) {
    lxw_error error = worksheet_write_string(worksheet, 0, static_cast<lxw_col_t>(c), sheet.header[c].c_str(),
                                             header_format);
    if (error != LXW_NO_ERROR) return LibraryError("write a header cell", error);
  }
  for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
    auto row = static_cast<lxw_row_t>(r + 1);
    for (std::size_t c = 0; c < sheet.rows[r].size(); ++c) {
      const std::string& text = sheet.rows[r][c];
      if (text.empty()) continue;
      auto column = static_cast<lxw_col_t>(c);
      std::optional<double> number = AsNumber(text);
      lxw_error error = number ? worksheet_write_number(worksheet, row, column, *number, nullptr)
                               : worksheet_write_string(worksheet, row, column, text.c_str(), nullptr);
      if (error != LXW_NO_ERROR) return LibraryError("write a cell", error);
    }
  }
  for (std::size_t n = 0; n < sheet.notes.size(); ++n) {
    auto row = static_cast<lxw_row_t>(FirstNoteRow(sheet) + n);
    lxw_error error = worksheet_write_string(worksheet, row, 0, sheet.notes[n].c_str(), nullptr);
    if (error != LXW_NO_ERROR) return LibraryError("write a note", error);
  }
  SetColumnWidths(worksheet, sheet);
  worksheet_freeze_panes(worksheet, 1, 0);
  return Status::OK();
}

}  // namespace

Result<std::string> WriteXlsx(const std::vector<Sheet>& sheets) {
  GL_RETURN_IF_ERROR(CheckSheets(sheets));
  TempFile file;
  GL_RETURN_IF_ERROR(file.Create());

  lxw_workbook* workbook = workbook_new(file.path().c_str());
  if (workbook == nullptr) return Status::Unavailable("libxlsxwriter could not start a workbook");
  lxw_format* header_format = workbook_add_format(workbook);
  format_set_bold(header_format);
  format_set_pattern(header_format, LXW_PATTERN_SOLID);
  format_set_bg_color(header_format, kHeaderFillColor);
  format_set_bottom(header_format, LXW_BORDER_THIN);

  Status written;
  for (const Sheet& sheet : sheets) {
    written = WriteSheet(workbook, sheet, header_format);
    if (!written.ok()) break;
  }
  if (!written.ok()) {
    lxw_workbook_free(workbook);
    return written;
  }
  lxw_error closed = workbook_close(workbook);  // writes the file and frees the workbook
  if (closed != LXW_NO_ERROR) return LibraryError("save the workbook", closed);
  return file.ReadAll();
}

}  // namespace greenloop
