// src/io/xlsx_writer.h
//
// Writes the workbooks GreenLoop publishes (monthly-data templates, exports) with libxlsxwriter.
// Each sheet is a header row (bold, filled, frozen so it stays visible while scrolling), the
// data rows, and optionally a few lines of notes ("说明 / notes") below the data after a blank
// row. Columns are sized for their longest text, counting CJK characters as two.
//
// A cell whose text is a number (by Decimal::Parse) is written as a number so Excel can sum
// it, unless writing it as one would change what the user sees: "007", "+5" and numbers of more
// than 15 significant digits (more than Excel keeps) stay text. libxlsxwriter prints numbers
// with 16 significant digits, so some are stored as longer text for the same double (9.3 as
// "9.300000000000001"); ReadXlsx reads those back as written ("9.3").
#ifndef GREENLOOP_IO_XLSX_WRITER_H_
#define GREENLOOP_IO_XLSX_WRITER_H_

#include <string>
#include <vector>

#include "core/status.h"

namespace greenloop {

struct Sheet {
  std::string name;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> notes;
};

// The .xlsx file's bytes. Errors: "invalid_sheet_name" when a name breaks Excel's rules (1 to 31
// characters, none of [ ] : * ? / \, no leading or trailing apostrophe, not "History", unique
// ignoring case); "invalid_sheet" when there are no sheets, a sheet exceeds Excel's grid or a
// cell is not UTF-8 or longer than 32,767 characters (field() names the cell, "Sheet1!C7");
// "storage_unavailable" when the temporary file cannot be written or read.
Result<std::string> WriteXlsx(const std::vector<Sheet>& sheets);

}  // namespace greenloop

#endif  // GREENLOOP_IO_XLSX_WRITER_H_
