// src/io/csv.h
//
// CSV as RFC 4180 describes it, because that is what Excel, WPS and LibreOffice write when a
// monthly-data sheet is saved as "CSV UTF-8": comma-separated, fields quoted with '"' when they
// hold a comma, a quote ("" inside) or a line break, lines ending in CRLF or LF, sometimes a
// UTF-8 byte order mark first. Parsing is strict about structure (every row has the header's
// column count) and bounded, so a hostile upload costs at most linear time and memory.
#ifndef GREENLOOP_IO_CSV_H_
#define GREENLOOP_IO_CSV_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"
#include "io/table.h"

namespace greenloop {

inline constexpr std::size_t kMaxCsvRows = 100'000;
inline constexpr std::size_t kMaxCsvFieldBytes = 64 * 1024;
// Excel only reads a CSV as UTF-8 when it starts with this; prefix WriteCsv's output with it
// when the file is meant to be opened in Excel.
inline constexpr std::string_view kUtf8ByteOrderMark = "\xEF\xBB\xBF";

// The first record that is not blank is the header; blank records (every field empty, such as
// an empty line or ",,,") are skipped but still counted in row numbers. Every error has code
// "invalid_csv", names the line or row in its message, and puts "line N" / "row N" in field():
// text that is empty or not UTF-8, an unterminated quote, text after a closing quote, a row
// whose field count differs from the header's, more than kMaxCsvRows data rows, or a field
// longer than kMaxCsvFieldBytes.
Result<Table> ParseCsv(std::string_view text);

// The header and rows as CSV, quoting only fields that hold a comma, quote, CR or LF (and a
// lone empty field, so its line is not blank), every line ending in CRLF. ParseCsv reads the
// result back to the same header and rows, except rows whose fields are all empty.
std::string WriteCsv(const Table& table);

}  // namespace greenloop

#endif  // GREENLOOP_IO_CSV_H_
