// src/io/xlsx_reader.h
//
// Reads one worksheet of an .xlsx upload into a Table. Debian has no XLSX reader library, and
// an upload only needs cell text, so this opens the OOXML zip from memory (minizip) and streams
// the few parts it needs through expat: xl/workbook.xml and its relationships to find the sheet,
// xl/sharedStrings.xml, and the sheet itself. Styles, formulas and dates are not interpreted:
// a cell is the text Excel stored ("20.908", "1.5E-2", a date as its serial number "45292"),
// except that a number stored with more than the 15 significant digits Excel shows
// ("2.2999999999999998") reads as the shortest text for the same double ("2.3").
//
// The upload is untrusted, so the reader is bounded: a part may not inflate past
// max_part_bytes, all parts together past max_total_bytes, and the table may not exceed
// max_rows data rows, max_cells cells or max_text_bytes of text. DTDs are refused.
#ifndef GREENLOOP_IO_XLSX_READER_H_
#define GREENLOOP_IO_XLSX_READER_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"
#include "io/table.h"

namespace greenloop {

struct XlsxReadLimits {
  std::size_t max_part_bytes = 64u << 20;
  std::size_t max_total_bytes = 256u << 20;
  std::size_t max_rows = 100'000;
  // Rows × columns once gaps are filled; stops a few far-apart cells from allocating millions.
  std::size_t max_cells = 2'000'000;
  // All cell text together; stops a long shared string from being copied into every cell.
  std::size_t max_text_bytes = 64u << 20;
};

// Reads the first sheet in tab order, or the sheet called `sheet_name`. The first row with a
// non-empty cell is the header; later rows with no non-empty cell are skipped; columns after
// the last non-empty one are dropped and gaps are filled with "". Booleans read "TRUE" or
// "FALSE", error cells their text ("#N/A"), formulas their cached result.
//
// Every error has code "invalid_xlsx" and says what is wrong in words, and field() names the
// part or cell at fault ("xl/worksheets/sheet1.xml", "Sheet1!C7"): not a zip (an old .xls or a
// password-protected workbook is named as such), a missing or oversized part, malformed XML,
// an unknown sheet (the message lists the sheet names), or a limit exceeded.
Result<Table> ReadXlsx(std::string_view file_bytes, const std::string& sheet_name = "");
Result<Table> ReadXlsx(std::string_view file_bytes, const std::string& sheet_name,
                       const XlsxReadLimits& limits);

}  // namespace greenloop

#endif  // GREENLOOP_IO_XLSX_READER_H_
