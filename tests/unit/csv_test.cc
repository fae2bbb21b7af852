// Goal: ParseCsv reads what spreadsheet programs write (RFC 4180 quoting, CRLF, a UTF-8 BOM) and
// refuses what it cannot read with code invalid_csv and the line or row at fault; WriteCsv
// output parses back to the same table. Method: small literal files, each aimed at one rule,
// and the limits probed on both sides.
#include "io/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace greenloop {
namespace {

using Rows = std::vector<std::vector<std::string>>;

Table ParseOk(std::string_view text) {
  Result<Table> parsed = ParseCsv(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  return parsed.ok() ? std::move(parsed.value()) : Table{};
}

Status ParseError(std::string_view text) {
  Result<Table> parsed = ParseCsv(text);
  EXPECT_FALSE(parsed.ok());
  if (parsed.ok()) return Status::OK();
  EXPECT_EQ(parsed.status().code(), "invalid_csv");
  return parsed.status();
}

TEST(Csv, ReadsHeaderRowsAndSourceRowNumbers) {
  Table table = ParseOk("facility,month,coal_t\nA,2024-01,120.5\nB,2024-01,98\n");
  EXPECT_EQ(table.header, (std::vector<std::string>{"facility", "month", "coal_t"}));
  EXPECT_EQ(table.rows, (Rows{{"A", "2024-01", "120.5"}, {"B", "2024-01", "98"}}));
  EXPECT_EQ(table.row_numbers, (std::vector<int>{2, 3}));
}

TEST(Csv, QuotedFieldsKeepCommasQuotesAndLineBreaks) {
  Table table = ParseOk(
      "name,remark\n"
      "\"燃煤机组, 1号\",\"said \"\"ok\"\"\"\n"
      "\"包头\",\"line one\nline two\r\nline three\"\n"
      "\"\",plain\n");
  EXPECT_EQ(
      table.rows,
      (Rows{{"燃煤机组, 1号", "said \"ok\""}, {"包头", "line one\nline two\r\nline three"}, {"", "plain"}}));
}

TEST(Csv, HandlesCrlfBomAndTrailingEmptyLine) {
  Table table = ParseOk(
      "\xEF\xBB\xBF"
      "单位,数值\r\n包头,20.908\r\n\r\n");
  EXPECT_EQ(table.header, (std::vector<std::string>{"单位", "数值"}));  // no BOM in the first name
  EXPECT_EQ(table.rows, (Rows{{"包头", "20.908"}}));
  EXPECT_EQ(table.row_numbers, (std::vector<int>{2}));
}

TEST(Csv, LastLineWithoutLineEndIsARow) {
  Table table = ParseOk("a,b\r\n1,2");
  EXPECT_EQ(table.rows, (Rows{{"1", "2"}}));
}

TEST(Csv, BlankRowsAreSkippedButKeepTheirRowNumbers) {
  Table table = ParseOk("\n\na,b\n1,2\n\n,\n3,4\n");
  EXPECT_EQ(table.header, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(table.rows, (Rows{{"1", "2"}, {"3", "4"}}));
  EXPECT_EQ(table.row_numbers, (std::vector<int>{4, 7}));
}

TEST(Csv, RowNumbersCountRecordsNotLinesAcrossQuotedLineBreaks) {
  Table table = ParseOk("a,b\n\"x\ny\",1\nz,2\n");
  EXPECT_EQ(table.row_numbers, (std::vector<int>{2, 3}));
  Status wrong = ParseError("a,b\n\"x\ny\",1\nz\n");
  EXPECT_EQ(wrong.field(), "row 3");
  EXPECT_NE(wrong.message().find("row 3 (line 4)"), std::string::npos) << wrong.message();
}

TEST(Csv, UnterminatedQuoteNamesTheLineWhereItOpened) {
  Status status = ParseError("a,b\n1,2\n3,\"never closed\n4,5\n");
  EXPECT_EQ(status.field(), "line 3");
  EXPECT_NE(status.message().find("line 3"), std::string::npos) << status.message();
}

TEST(Csv, TextAfterAClosingQuoteIsRefused) {
  Status status = ParseError("a,b\n\"x\"y,2\n");
  EXPECT_EQ(status.field(), "line 2");
}

TEST(Csv, StrayQuoteInsideAnUnquotedFieldIsKept) {
  Table table = ParseOk("size,n\n5\" pipe,2\n");
  EXPECT_EQ(table.rows, (Rows{{"5\" pipe", "2"}}));
}

TEST(Csv, RowWithTooFewOrTooManyFieldsNamesTheRow) {
  Status too_few = ParseError("a,b,c\n1,2,3\n4,5,6\n7,8\n");
  EXPECT_EQ(too_few.field(), "row 4");
  EXPECT_NE(too_few.message().find("row 4 has 2 fields but the header has 3"), std::string::npos)
      << too_few.message();
  Status too_many = ParseError("a,b\r\n1,2,3\r\n");
  EXPECT_EQ(too_many.field(), "row 2");
}

TEST(Csv, EmptyInputIsRefused) {
  for (std::string_view text : {std::string_view(""), std::string_view("\xEF\xBB\xBF"),
                                std::string_view("\r\n\n"), std::string_view(",,\n")}) {
    Status status = ParseError(text);
    EXPECT_NE(status.message().find("empty"), std::string::npos) << status.message();
  }
}

TEST(Csv, TextThatIsNotUtf8IsRefused) {
  // "包头" in GBK, as Excel saves "CSV" (not "CSV UTF-8") in a Chinese locale.
  Status status = ParseError("name\n\xB0\xFC\xCD\xB7\n");
  EXPECT_EQ(status.field(), "row 2");
  EXPECT_NE(status.message().find("UTF-8"), std::string::npos);
}

TEST(Csv, AtMostMaxRowsDataRows) {
  std::string text = "n\n";
  for (std::size_t i = 0; i <= kMaxCsvRows; ++i) text += "1\n";
  Status status = ParseError(text);
  // The refused row is the one after kMaxCsvRows accepted data rows and the header.
  EXPECT_EQ(status.field(), "row " + std::to_string(kMaxCsvRows + 2));
  EXPECT_NE(status.message().find("more than 100000 data rows"), std::string::npos) << status.message();
}

TEST(Csv, FieldsAreLimitedTo64KiB) {
  std::string largest(kMaxCsvFieldBytes, 'x');
  EXPECT_EQ(ParseOk("a,b\n1," + largest + "\n").rows[0][1].size(), kMaxCsvFieldBytes);
  Status unquoted = ParseError("a,b\n1,2\n3," + largest + "y\n");
  EXPECT_EQ(unquoted.field(), "row 3");
  Status quoted = ParseError("a,b\n1,\"" + largest + "y\"\n");
  EXPECT_EQ(quoted.field(), "row 2");
}

TEST(Csv, WriteQuotesOnlyWhenNeededAndEndsLinesWithCrlf) {
  Table table{{"name", "remark"}, {{"包头", "a,b"}, {"say \"hi\"", "two\nlines"}, {"", "x"}}, {2, 3, 4}};
  EXPECT_EQ(WriteCsv(table),
            "name,remark\r\n"
            "包头,\"a,b\"\r\n"
            "\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
            ",x\r\n");
}

TEST(Csv, WrittenTablesParseBackUnchanged) {
  Table table{{"机组", "地区", "低位发热量", "备注"},
              {{"燃煤机组", "包头", "20.908", ""},
               {"A, \"B\"", "", "1.5E-2", "first\r\nsecond\nthird"},
               {" leading space", "trailing ", "0", "\""}},
              {2, 3, 4}};
  Table parsed = ParseOk(WriteCsv(table));
  EXPECT_EQ(parsed.header, table.header);
  EXPECT_EQ(parsed.rows, table.rows);
  EXPECT_EQ(parsed.row_numbers, table.row_numbers);

  Table one_column{{"only"}, {{""}, {"x"}}, {2, 3}};
  EXPECT_EQ(WriteCsv(one_column), "only\r\n\"\"\r\nx\r\n");
}

TEST(Csv, FindColumnMatchesHeaderIgnoringSurroundingSpaces) {
  Table table{{"facility", " 燃料 ", "month"}, {}, {}};
  EXPECT_EQ(FindColumn(table, "燃料"), 1u);
  EXPECT_EQ(FindColumn(table, "month "), 2u);
  EXPECT_EQ(FindColumn(table, "coal"), std::nullopt);
}

}  // namespace
}  // namespace greenloop
