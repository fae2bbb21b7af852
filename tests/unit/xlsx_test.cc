// Goal: workbooks written by WriteXlsx read back through ReadXlsx unchanged (Chinese text, number
// text, several sheets), the reader understands the cell kinds Excel writes, and every bad
// upload (not a zip, malformed XML, unknown sheet, oversized parts) is an invalid_xlsx error
// naming what is wrong. Method: round trips, plus small workbooks assembled part by part with
// minizip's zip API, so each test controls the exact XML the reader sees.
#include <gtest/gtest.h>
#include <minizip/unzip.h>
#include <minizip/zip.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "io/xlsx_reader.h"
#include "io/xlsx_writer.h"

namespace greenloop {
namespace {

using Rows = std::vector<std::vector<std::string>>;
using Parts = std::vector<std::pair<std::string, std::string>>;

// A file in the temporary directory, removed when the test is done with it.
class ScratchFile {
 public:
  ScratchFile() {
    path_ = (std::filesystem::temp_directory_path() / "greenloop-xlsx-test-XXXXXX").string();
    int descriptor = mkstemp(path_.data());
    EXPECT_GE(descriptor, 0);
    if (descriptor >= 0) close(descriptor);
  }
  ~ScratchFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string ZipOf(const Parts& parts) {
  ScratchFile file;
  zipFile zip = zipOpen(file.path().c_str(), APPEND_STATUS_CREATE);
  EXPECT_NE(zip, nullptr);
  for (const auto& [name, content] : parts) {
    EXPECT_EQ(zipOpenNewFileInZip(zip, name.c_str(), nullptr, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED,
                                  Z_DEFAULT_COMPRESSION),
              ZIP_OK);
    EXPECT_EQ(zipWriteInFileInZip(zip, content.data(), static_cast<unsigned>(content.size())), ZIP_OK);
    EXPECT_EQ(zipCloseFileInZip(zip), ZIP_OK);
  }
  EXPECT_EQ(zipClose(zip, nullptr), ZIP_OK);
  return ReadFile(file.path());
}

std::string PartOf(const std::string& zip_bytes, const std::string& part_name) {
  ScratchFile file;
  std::ofstream(file.path(), std::ios::binary) << zip_bytes;
  unzFile zip = unzOpen(file.path().c_str());
  EXPECT_NE(zip, nullptr);
  std::string content;
  if (unzLocateFile(zip, part_name.c_str(), 1) == UNZ_OK && unzOpenCurrentFile(zip) == UNZ_OK) {
    char chunk[4096];
    int count = 0;
    while ((count = unzReadCurrentFile(zip, chunk, sizeof chunk)) > 0) {
      content.append(chunk, static_cast<size_t>(count));
    }
    unzCloseCurrentFile(zip);
  }
  unzClose(zip);
  EXPECT_FALSE(content.empty()) << part_name;
  return content;
}

constexpr const char* kMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr const char* kRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr const char* kPackageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships";

// A workbook whose only sheet ("Data") has `sheet_data` inside <sheetData>, as Excel lays it out.
Parts WorkbookParts(const std::string& sheet_data, const std::string& shared_strings = "") {
  Parts parts = {
      {"xl/workbook.xml",
       std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"") + kMain + "\" xmlns:r=\"" +
           kRelationships +
           "\"><sheets><sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       std::string("<?xml version=\"1.0\"?><Relationships xmlns=\"") + kPackageRelationships +
           "\"><Relationship Id=\"rId1\" Type=\"" + kRelationships +
           "/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" +
           kRelationships + "/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>"},
      {"xl/worksheets/sheet1.xml", std::string("<?xml version=\"1.0\"?><worksheet xmlns=\"") + kMain +
                                       "\"><sheetData>" + sheet_data + "</sheetData></worksheet>"},
  };
  if (!shared_strings.empty()) {
    parts.push_back({"xl/sharedStrings.xml", std::string("<?xml version=\"1.0\"?><sst xmlns=\"") + kMain +
                                                 "\">" + shared_strings + "</sst>"});
  }
  return parts;
}

Table ReadOk(const std::string& bytes, const std::string& sheet_name = "") {
  Result<Table> read = ReadXlsx(bytes, sheet_name);
  EXPECT_TRUE(read.ok()) << read.status().message();
  return read.ok() ? std::move(read.value()) : Table{};
}

Status ReadError(const std::string& bytes, const std::string& sheet_name = "",
                 const XlsxReadLimits& limits = XlsxReadLimits{}) {
  Result<Table> read = ReadXlsx(bytes, sheet_name, limits);
  EXPECT_FALSE(read.ok());
  if (read.ok()) return Status::OK();
  EXPECT_EQ(read.status().code(), "invalid_xlsx");
  return read.status();
}

std::string WriteOk(const std::vector<Sheet>& sheets) {
  Result<std::string> written = WriteXlsx(sheets);
  EXPECT_TRUE(written.ok()) << written.status().message();
  return written.ok() ? written.value() : std::string();
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Xlsx, RoundTripKeepsChineseTextAndNumberText) {
  std::string bytes = WriteOk({{"排放数据",
                                {"机组", "地区", "低位发热量 (GJ/t)", "备注"},
                                {{"燃煤机组", "包头", "20.908", "含, 逗号"},
                                 {"燃气机组", "鄂尔多斯", "-0.5", ""},
                                 {"91150200MA0000000X", "", "1e3", "两行\n文本"}},
                                {}}});
  Table table = ReadOk(bytes);
  EXPECT_EQ(table.header, (std::vector<std::string>{"机组", "地区", "低位发热量 (GJ/t)", "备注"}));
  EXPECT_EQ(table.rows, (Rows{{"燃煤机组", "包头", "20.908", "含, 逗号"},
                              {"燃气机组", "鄂尔多斯", "-0.5", ""},
                              {"91150200MA0000000X", "", "1000", "两行\n文本"}}));
  EXPECT_EQ(table.row_numbers, (std::vector<int>{2, 3, 4}));
  // Numbers were written as numbers, text as shared strings.
  std::string sheet_xml = PartOf(bytes, "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(Contains(sheet_xml, "<c r=\"C2\"><v>20.908</v></c>")) << sheet_xml;
  EXPECT_TRUE(Contains(sheet_xml, "<c r=\"A2\" t=\"s\">")) << sheet_xml;
}

TEST(Xlsx, WriterKeepsIdentifiersThatLookNumericAsText) {
  std::string bytes =
      WriteOk({{"Codes", {"code", "signed", "long"}, {{"007", "+5", "123456789012.123456"}}, {}}});
  Table table = ReadOk(bytes);
  EXPECT_EQ(table.rows, (Rows{{"007", "+5", "123456789012.123456"}}));
}

TEST(Xlsx, NumbersReadBackAsWrittenThoughStoredWithExtraDigits) {
  std::string bytes = WriteOk({{"Data", {"a", "b", "c"}, {{"9.3", "909.925048", "0.02758"}}, {}}});
  std::string sheet_xml = PartOf(bytes, "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(Contains(sheet_xml, "<v>9.300000000000001</v>")) << sheet_xml;  // libxlsxwriter's %.16G
  EXPECT_EQ(ReadOk(bytes).rows, (Rows{{"9.3", "909.925048", "0.02758"}}));

  // Excel's own 17-digit storage; text of up to 15 significant digits stays as stored.
  std::string excel =
      ZipOf(WorkbookParts("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>v</t></is></c></row>"
                          "<row r=\"2\"><c r=\"A2\"><v>2.2999999999999998</v></c></row>"
                          "<row r=\"3\"><c r=\"A3\" t=\"n\"><v>0.35299999999999998</v></c></row>"
                          "<row r=\"4\"><c r=\"A4\"><v>1.5E-2</v></c></row>"
                          "<row r=\"5\"><c r=\"A5\"><v>20.9080</v></c></row>"
                          "<row r=\"6\"><c r=\"A6\" t=\"str\"><v>0.10000000000000001</v></c></row>"));
  EXPECT_EQ(ReadOk(excel).rows, (Rows{{"2.3"}, {"0.353"}, {"1.5E-2"}, {"20.9080"}, {"0.10000000000000001"}}));
}

TEST(Xlsx, HeaderIsBoldFilledFrozenAndCjkColumnsAreWider) {
  std::string bytes = WriteOk({{"Data", {"燃煤机组排放量汇总", "id"}, {{"包头", "1"}}, {}}});
  std::string sheet_xml = PartOf(bytes, "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(Contains(sheet_xml, "ySplit=\"1\"")) << sheet_xml;
  EXPECT_TRUE(Contains(sheet_xml, "state=\"frozen\"")) << sheet_xml;
  // 9 CJK characters are 18 widths plus padding; "id" gets the minimum of 10.
  EXPECT_TRUE(Contains(sheet_xml, "<col min=\"1\" max=\"1\" width=\"20.7109375\"")) << sheet_xml;
  EXPECT_TRUE(Contains(sheet_xml, "<col min=\"2\" max=\"2\" width=\"10.7109375\"")) << sheet_xml;
  std::string styles_xml = PartOf(bytes, "xl/styles.xml");
  EXPECT_TRUE(Contains(styles_xml, "<b/>")) << styles_xml;
  EXPECT_TRUE(Contains(styles_xml, "<patternFill patternType=\"solid\"><fgColor rgb=\"FFDDEBF7\""))
      << styles_xml;
}

TEST(Xlsx, NotesFollowTheDataAfterOneBlankRow) {
  std::string bytes =
      WriteOk({{"模板", {"单位", "数值"}, {{"包头", "1.5"}}, {"说明 / notes", "数值单位为吨"}}});
  Table table = ReadOk(bytes);
  EXPECT_EQ(table.rows, (Rows{{"包头", "1.5"}, {"说明 / notes", ""}, {"数值单位为吨", ""}}));
  EXPECT_EQ(table.row_numbers, (std::vector<int>{2, 4, 5}));
}

TEST(Xlsx, ReadsTheFirstSheetOrTheNamedOne) {
  std::string bytes =
      WriteOk({{"燃煤机组", {"机组"}, {{"1号"}}, {}}, {"说明", {"项目", "内容"}, {{"版本", "2024"}}, {}}});
  EXPECT_EQ(ReadOk(bytes).header, (std::vector<std::string>{"机组"}));
  Table second = ReadOk(bytes, "说明");
  EXPECT_EQ(second.header, (std::vector<std::string>{"项目", "内容"}));
  EXPECT_EQ(second.rows, (Rows{{"版本", "2024"}}));
}

TEST(Xlsx, UnknownSheetNameListsTheSheets) {
  std::string bytes = WriteOk({{"燃煤机组", {"a"}, {}, {}}, {"说明", {"b"}, {}, {}}});
  Status status = ReadError(bytes, "Sheet1");
  EXPECT_TRUE(Contains(status.message(), "\"Sheet1\"")) << status.message();
  EXPECT_TRUE(Contains(status.message(), "\"燃煤机组\", \"说明\"")) << status.message();
}

TEST(Xlsx, InputThatIsNotAZipIsRefused) {
  Status csv = ReadError("机组,地区\n燃煤机组,包头\n");
  EXPECT_TRUE(Contains(csv.message(), "not a zip")) << csv.message();
  Status legacy = ReadError(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'));
  EXPECT_TRUE(Contains(legacy.message(), ".xls")) << legacy.message();
  EXPECT_FALSE(ReadXlsx("").ok());
}

TEST(Xlsx, MalformedSheetXmlNamesThePart) {
  std::string bytes = ZipOf(WorkbookParts("<row r=\"1\"><c r=\"A1\"><v>1</v></row>"));
  Status status = ReadError(bytes);
  EXPECT_EQ(status.field(), "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(Contains(status.message(), "xl/worksheets/sheet1.xml is not well-formed XML"))
      << status.message();
}

TEST(Xlsx, MissingPartIsNamed) {
  Parts parts = WorkbookParts("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
  parts.erase(parts.begin() + 1);  // the workbook's relationships
  Status status = ReadError(ZipOf(parts));
  EXPECT_EQ(status.field(), "xl/_rels/workbook.xml.rels");
}

TEST(Xlsx, ReadsInlineStringsSharedRichTextBooleansFormulasAndGaps) {
  std::string shared =
      "<si><t>地区</t></si>"
      "<si><r><rPr><b/></rPr><t>包</t></r><r><t xml:space=\"preserve\">头 </t></r>"
      "<rPh sb=\"0\" eb=\"1\"><t>ignored reading</t></rPh></si>";
  std::string sheet =
      "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>设施</t></is></c>"
      "<c r=\"C2\" t=\"inlineStr\"><is><r><t>低位</t></r><r><t>发热量</t></r></is></c>"
      "<c r=\"D2\" t=\"s\"><v>0</v></c><c r=\"F2\" s=\"3\"/></row>"
      "<row r=\"3\" s=\"1\"><c r=\"A3\" s=\"1\"/></row>"
      "<row r=\"4\"><c r=\"A4\" t=\"s\"><v>1</v></c><c r=\"B4\" t=\"b\"><v>1</v></c>"
      "<c r=\"C4\"><v>1.5E-2</v></c><c r=\"D4\" t=\"str\"><f>CONCAT(\"x\",\"y\")</f><v>xy</v></c></row>"
      "<row r=\"6\"><c r=\"B6\" t=\"e\"><v>#N/A</v></c><c r=\"C6\"><f>1+1</f><v>2</v></c>"
      "<c r=\"D6\" t=\"b\"><v>0</v></c></row>"
      "<row><c t=\"inlineStr\"><is><t>no refs</t></is></c><c><v>45292</v></c></row>";
  Table table = ReadOk(ZipOf(WorkbookParts(sheet, shared)));
  EXPECT_EQ(table.header, (std::vector<std::string>{"设施", "", "低位发热量", "地区"}));
  EXPECT_EQ(
      table.rows,
      (Rows{{"包头 ", "TRUE", "1.5E-2", "xy"}, {"", "#N/A", "2", "FALSE"}, {"no refs", "45292", "", ""}}));
  EXPECT_EQ(table.row_numbers, (std::vector<int>{4, 6, 7}));
}

TEST(Xlsx, SharedStringIndexOutOfRangeNamesTheCell) {
  Status status = ReadError(
      ZipOf(WorkbookParts("<row r=\"1\"><c r=\"B1\" t=\"s\"><v>5</v></c></row>", "<si><t>a</t></si>")));
  EXPECT_EQ(status.field(), "Data!B1");
}

TEST(Xlsx, EmptySheetIsRefused) {
  Status status = ReadError(ZipOf(WorkbookParts("<row r=\"1\"><c r=\"A1\" s=\"2\"/></row>")));
  EXPECT_TRUE(Contains(status.message(), "empty")) << status.message();
}

TEST(Xlsx, DocumentTypeDeclarationsAreRefused) {
  Parts parts = WorkbookParts("");
  parts[2].second =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]>"
      "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" "
      "t=\"inlineStr\"><is><t>&lol2;</t></is></c></row></sheetData>"
      "</worksheet>";
  Status status = ReadError(ZipOf(parts));
  EXPECT_TRUE(Contains(status.message(), "DTD")) << status.message();
}

TEST(Xlsx, OversizedPartsAreRefusedAsZipBombs) {
  std::string rows;
  for (int r = 1; r <= 200; ++r) {
    rows += "<row r=\"" + std::to_string(r) + "\"><c r=\"A" + std::to_string(r) + "\"><v>0</v></c></row>";
  }
  std::string bytes = ZipOf(WorkbookParts(rows));
  EXPECT_EQ(ReadOk(bytes).rows.size(), 199u);

  XlsxReadLimits small_part;
  small_part.max_part_bytes = 1024;
  Status part = ReadError(bytes, "", small_part);
  EXPECT_EQ(part.field(), "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(Contains(part.message(), "zip bomb")) << part.message();

  XlsxReadLimits small_total;
  small_total.max_total_bytes = 4096;
  EXPECT_TRUE(Contains(ReadError(bytes, "", small_total).message(), "the workbook inflates"));
}

TEST(Xlsx, RowAndCellLimits) {
  std::string rows =
      "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\"><v>2</v></c></row>"
      "<row r=\"3\"><c r=\"A3\"><v>3</v></c></row>";
  std::string bytes = ZipOf(WorkbookParts(rows));
  XlsxReadLimits two_rows;
  two_rows.max_rows = 2;
  EXPECT_TRUE(ReadXlsx(bytes, "", two_rows).ok());
  two_rows.max_rows = 1;
  Status too_many = ReadError(bytes, "", two_rows);
  EXPECT_TRUE(Contains(too_many.message(), "more than 1 data rows (row 3")) << too_many.message();

  // Two far-apart cells would fill 16384 columns per row.
  std::string wide =
      ZipOf(WorkbookParts("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"XFD1\"><v>2</v></c></row>"
                          "<row r=\"2\"><c r=\"XFD2\"><v>2</v></c></row>"));
  XlsxReadLimits few_cells;
  few_cells.max_cells = 20'000;
  EXPECT_TRUE(Contains(ReadError(wide, "", few_cells).message(), "more than 20000 cells"));
}

TEST(XlsxWriter, RefusesSheetNamesExcelRefuses) {
  auto name_error = [](const std::string& name) {
    Result<std::string> written = WriteXlsx({{name, {"a"}, {}, {}}});
    return written.ok() ? std::string() : written.status().code();
  };
  EXPECT_EQ(name_error(std::string(31, 'x')), "");
  EXPECT_EQ(name_error("燃煤机组燃煤机组燃煤机组燃煤机组燃煤机组燃煤机组燃煤机组燃煤机"),
            "");  // 31 characters
  EXPECT_EQ(name_error(std::string(32, 'x')), "invalid_sheet_name");
  EXPECT_EQ(name_error(""), "invalid_sheet_name");
  for (const char* bad : {"a[b", "a]b", "a:b", "a*b", "a?b", "a/b", "a\\b", "'quoted", "History"}) {
    EXPECT_EQ(name_error(bad), "invalid_sheet_name") << bad;
  }
  Result<std::string> duplicate = WriteXlsx({{"Data", {"a"}, {}, {}}, {"data", {"a"}, {}, {}}});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.status().code(), "invalid_sheet_name");
  EXPECT_TRUE(Contains(duplicate.status().message(), "\"data\"")) << duplicate.status().message();
}

TEST(XlsxWriter, RefusesNoSheetsAndBadCells) {
  EXPECT_EQ(WriteXlsx({}).status().code(), "invalid_sheet");
  Result<std::string> gbk = WriteXlsx({{"Data", {"a"}, {{"ok"}, {"\xB0\xFC"}}, {}}});
  ASSERT_FALSE(gbk.ok());
  EXPECT_EQ(gbk.status().code(), "invalid_sheet");
  EXPECT_EQ(gbk.status().field(), "Data!A3");
  Result<std::string> too_long = WriteXlsx({{"Data", {"a"}, {{std::string(32'768, 'x')}}, {}}});
  EXPECT_EQ(too_long.status().field(), "Data!A2");
}

TEST(XlsxWriter, RemovesItsTemporaryFile) {
  std::string directory_template =
      (std::filesystem::temp_directory_path() / "greenloop-xlsx-dir-XXXXXX").string();
  ASSERT_NE(mkdtemp(directory_template.data()), nullptr);
  const char* previous = getenv("TMPDIR");
  std::string saved = previous != nullptr ? previous : "";
  setenv("TMPDIR", directory_template.c_str(), 1);
  Result<std::string> written = WriteXlsx({{"Data", {"a"}, {{"1"}}, {}}});
  if (previous != nullptr) {
    setenv("TMPDIR", saved.c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }
  EXPECT_TRUE(written.ok());
  EXPECT_TRUE(std::filesystem::is_empty(directory_template));
  std::filesystem::remove_all(directory_template);
}

}  // namespace
}  // namespace greenloop
