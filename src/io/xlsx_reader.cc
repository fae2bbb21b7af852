#include "io/xlsx_reader.h"

#include <expat.h>
#include <minizip/unzip.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace greenloop {
namespace {

constexpr const char* kWorkbookPart = "xl/workbook.xml";
constexpr const char* kWorkbookRelationshipsPart = "xl/_rels/workbook.xml.rels";
constexpr const char* kDefaultSharedStringsPart = "xl/sharedStrings.xml";
constexpr int kMaxSheetRow = 1'048'576;
constexpr int kMaxSheetColumn = 16'384;
constexpr unsigned kReadChunkBytes = 64 * 1024;
// Expat reports a namespaced name as "<namespace URI><separator><local name>"; URIs hold no spaces.
constexpr XML_Char kNamespaceSeparator = ' ';
constexpr std::string_view kOle2Signature = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

Status XlsxError(std::string message, std::string field) {
  return Status::Invalid("invalid_xlsx", std::move(message), std::move(field));
}

std::string ByteSize(std::size_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// ---- The zip archive, read from memory through minizip's file callbacks. ----

struct MemoryFile {
  std::string_view bytes;
  std::size_t position = 0;
};

voidpf OpenMemoryFile(voidpf opaque, const char* /*filename*/, int mode) {
  if ((mode & ZLIB_FILEFUNC_MODE_WRITE) != 0) return nullptr;
  return opaque;
}

uLong ReadMemoryFile(voidpf /*opaque*/, voidpf stream, void* buffer, uLong size) {
  auto* file = static_cast<MemoryFile*>(stream);
  std::size_t count = std::min<std::size_t>(size, file->bytes.size() - file->position);
  if (count > 0) std::memcpy(buffer, file->bytes.data() + file->position, count);
  file->position += count;
  return count;
}

uLong WriteMemoryFile(voidpf /*opaque*/, voidpf /*stream*/, const void* /*buffer*/, uLong /*size*/) {
  return 0;
}

long TellMemoryFile(voidpf /*opaque*/, voidpf stream) {
  return static_cast<long>(static_cast<MemoryFile*>(stream)->position);
}

long SeekMemoryFile(voidpf /*opaque*/, voidpf stream, uLong offset, int origin) {
  auto* file = static_cast<MemoryFile*>(stream);
  std::size_t base = 0;
  switch (origin) {
    case ZLIB_FILEFUNC_SEEK_SET: base = 0; break;
    case ZLIB_FILEFUNC_SEEK_CUR: base = file->position; break;
    case ZLIB_FILEFUNC_SEEK_END: base = file->bytes.size(); break;
    default: return -1;
  }
  if (offset > file->bytes.size() - base) return -1;
  file->position = base + offset;
  return 0;
}

int CloseMemoryFile(voidpf /*opaque*/, voidpf /*stream*/) { return 0; }
int MemoryFileError(voidpf /*opaque*/, voidpf /*stream*/) { return 0; }

zlib_filefunc_def MemoryFileFunctions(MemoryFile* file) {
  zlib_filefunc_def functions{};
  functions.zopen_file = OpenMemoryFile;
  functions.zread_file = ReadMemoryFile;
  functions.zwrite_file = WriteMemoryFile;
  functions.ztell_file = TellMemoryFile;
  functions.zseek_file = SeekMemoryFile;
  functions.zclose_file = CloseMemoryFile;
  functions.zerror_file = MemoryFileError;
  functions.opaque = file;
  return functions;
}

struct ZipCloser {
  void operator()(void* zip) const { unzClose(zip); }
};
using ZipHandle = std::unique_ptr<void, ZipCloser>;

// Closes the entry opened by unzOpenCurrentFile on every path out of a function.
class OpenZipEntry {
 public:
  explicit OpenZipEntry(unzFile zip) : zip_(zip) {}
  OpenZipEntry(const OpenZipEntry&) = delete;
  OpenZipEntry& operator=(const OpenZipEntry&) = delete;
  ~OpenZipEntry() {
    if (open_) unzCloseCurrentFile(zip_);
  }
  // UNZ_CRCERROR when the entry was read to its end and its checksum does not match.
  int Close() {
    open_ = false;
    return unzCloseCurrentFile(zip_);
  }

 private:
  unzFile zip_;
  bool open_ = true;
};

// ---- XML parts, streamed through expat. ----

std::string_view LocalName(std::string_view name) {
  std::size_t separator = name.rfind(kNamespaceSeparator);
  return separator == std::string_view::npos ? name : name.substr(separator + 1);
}

// The value of the attribute called `local_name`, with or without a namespace prefix as asked.
const XML_Char* FindAttribute(const XML_Char** attributes, std::string_view local_name,
                              bool namespaced = false) {
  for (std::size_t i = 0; attributes[i] != nullptr; i += 2) {
    std::string_view name = attributes[i];
    bool has_namespace = name.find(kNamespaceSeparator) != std::string_view::npos;
    if (has_namespace == namespaced && LocalName(name) == local_name) return attributes[i + 1];
  }
  return nullptr;
}

// Receives one part's elements (by local name) and text; Fail() stops the parse.
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void StartElement(std::string_view name, const XML_Char** attributes) = 0;
  virtual void EndElement(std::string_view name) = 0;
  virtual void Text(std::string_view /*text*/) {}

  void Fail(std::string message, std::string field) {
    if (problem_.ok()) problem_ = XlsxError(std::move(message), std::move(field));
  }
  const Status& problem() const { return problem_; }

 private:
  Status problem_;
};

struct ParseContext {
  XML_Parser parser;
  XmlHandler* handler;
  const std::string* part_name;
};

void StopIfFailed(ParseContext* context) {
  if (!context->handler->problem().ok()) XML_StopParser(context->parser, XML_FALSE);
}

void OnStartElement(void* user_data, const XML_Char* name, const XML_Char** attributes) {
  auto* context = static_cast<ParseContext*>(user_data);
  if (!context->handler->problem().ok()) return;
  context->handler->StartElement(LocalName(name), attributes);
  StopIfFailed(context);
}

void OnEndElement(void* user_data, const XML_Char* name) {
  auto* context = static_cast<ParseContext*>(user_data);
  if (!context->handler->problem().ok()) return;
  context->handler->EndElement(LocalName(name));
  StopIfFailed(context);
}

void OnText(void* user_data, const XML_Char* text, int length) {
  auto* context = static_cast<ParseContext*>(user_data);
  if (!context->handler->problem().ok()) return;
  context->handler->Text(std::string_view(text, static_cast<std::size_t>(length)));
  StopIfFailed(context);
}

// OOXML parts never declare a DTD; refusing one rules out entity expansion attacks entirely.
void OnDoctype(void* user_data, const XML_Char* /*name*/, const XML_Char* /*sysid*/,
               const XML_Char* /*pubid*/, int /*has_internal_subset*/) {
  auto* context = static_cast<ParseContext*>(user_data);
  context->handler->Fail(*context->part_name + " declares a DTD, which an XLSX part never has",
                         *context->part_name);
  StopIfFailed(context);
}

struct ParserFree {
  void operator()(XML_Parser parser) const { XML_ParserFree(parser); }
};

class PartReader {
 public:
  PartReader(unzFile zip, const XlsxReadLimits& limits) : zip_(zip), limits_(limits) {}

  bool Has(const std::string& part_name) {
    return unzLocateFile(zip_, part_name.c_str(), kCaseInsensitive) == UNZ_OK;
  }

  // Inflates `part_name` chunk by chunk straight into expat, counting against the limits.
  Status Parse(const std::string& part_name, XmlHandler& handler) {
    if (!Has(part_name)) {
      return XlsxError("the workbook has no part " + part_name + ", so it is not a complete XLSX file",
                       part_name);
    }
    unz_file_info info{};
    if (unzGetCurrentFileInfo(zip_, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK) {
      return Damaged(part_name);
    }
    GL_RETURN_IF_ERROR(CheckSize(part_name, info.uncompressed_size, total_bytes_));
    if (unzOpenCurrentFile(zip_) != UNZ_OK) return Damaged(part_name);
    OpenZipEntry entry(zip_);

    std::unique_ptr<XML_ParserStruct, ParserFree> parser(XML_ParserCreateNS(nullptr, kNamespaceSeparator));
    if (!parser) return Status::Unavailable("out of memory while reading " + part_name);
    ParseContext context{parser.get(), &handler, &part_name};
    XML_SetUserData(parser.get(), &context);
    XML_SetElementHandler(parser.get(), OnStartElement, OnEndElement);
    XML_SetCharacterDataHandler(parser.get(), OnText);
    XML_SetStartDoctypeDeclHandler(parser.get(), OnDoctype);

    std::vector<char> chunk(kReadChunkBytes);
    std::size_t part_bytes = 0;
    while (true) {
      int count = unzReadCurrentFile(zip_, chunk.data(), kReadChunkBytes);
      if (count < 0) return Damaged(part_name);
      part_bytes += static_cast<std::size_t>(count);
      total_bytes_ += static_cast<std::size_t>(count);
      GL_RETURN_IF_ERROR(CheckSize(part_name, part_bytes, total_bytes_ - part_bytes));
      bool last_chunk = count == 0;
      if (XML_Parse(parser.get(), chunk.data(), count, last_chunk ? XML_TRUE : XML_FALSE) != XML_STATUS_OK) {
        if (!handler.problem().ok()) return handler.problem();
        return XlsxError(part_name + " is not well-formed XML (" +
                             XML_ErrorString(XML_GetErrorCode(parser.get())) + " at line " +
                             std::to_string(XML_GetCurrentLineNumber(parser.get())) + ")",
                         part_name);
      }
      if (!handler.problem().ok()) return handler.problem();
      if (last_chunk) break;
    }
    if (entry.Close() != UNZ_OK) return Damaged(part_name);
    return Status::OK();
  }

 private:
  static constexpr int kCaseInsensitive = 2;  // OPC part names are case-insensitive

  Status CheckSize(const std::string& part_name, std::size_t part_bytes,
                   std::size_t other_parts_bytes) const {
    if (part_bytes > limits_.max_part_bytes) {
      return XlsxError(part_name + " inflates to more than " + ByteSize(limits_.max_part_bytes) +
                           "; the file is too large or a zip bomb",
                       part_name);
    }
    if (part_bytes > limits_.max_total_bytes - std::min(other_parts_bytes, limits_.max_total_bytes)) {
      return XlsxError("the workbook inflates to more than " + ByteSize(limits_.max_total_bytes) +
                           "; the file is too large or a zip bomb",
                       part_name);
    }
    return Status::OK();
  }

  static Status Damaged(const std::string& part_name) {
    return XlsxError(part_name + " cannot be unpacked; the file is damaged or encrypted", part_name);
  }

  unzFile zip_;
  const XlsxReadLimits& limits_;
  std::size_t total_bytes_ = 0;
};

// ---- The workbook: sheet names in tab order, and where each sheet's XML is. ----

struct SheetEntry {
  std::string name;
  std::string relationship_id;
};

class WorkbookHandler : public XmlHandler {
 public:
  void StartElement(std::string_view name, const XML_Char** attributes) override {
    if (name != "sheet") return;
    const XML_Char* sheet_name = FindAttribute(attributes, "name");
    const XML_Char* relationship_id = FindAttribute(attributes, "id", /*namespaced=*/true);
    if (sheet_name == nullptr || relationship_id == nullptr) {
      Fail(std::string(kWorkbookPart) + " has a <sheet> without a name or r:id", kWorkbookPart);
      return;
    }
    sheets_.push_back({sheet_name, relationship_id});
  }
  void EndElement(std::string_view /*name*/) override {}

  const std::vector<SheetEntry>& sheets() const { return sheets_; }

 private:
  std::vector<SheetEntry> sheets_;
};

struct Relationship {
  std::string id;
  std::string type;
  std::string target;
};

class RelationshipsHandler : public XmlHandler {
 public:
  void StartElement(std::string_view name, const XML_Char** attributes) override {
    if (name != "Relationship") return;
    const XML_Char* id = FindAttribute(attributes, "Id");
    const XML_Char* type = FindAttribute(attributes, "Type");
    const XML_Char* target = FindAttribute(attributes, "Target");
    const XML_Char* target_mode = FindAttribute(attributes, "TargetMode");
    if (id == nullptr || type == nullptr || target == nullptr) return;
    if (target_mode != nullptr && std::string_view(target_mode) == "External") return;
    relationships_.push_back({id, type, target});
  }
  void EndElement(std::string_view /*name*/) override {}

  const Relationship* FindById(std::string_view id) const {
    for (const auto& relationship : relationships_) {
      if (relationship.id == id) return &relationship;
    }
    return nullptr;
  }
  // The first relationship whose type URI ends in "/<type_suffix>".
  const Relationship* FindByType(std::string_view type_suffix) const {
    for (const auto& relationship : relationships_) {
      if (HasTypeSuffix(relationship, type_suffix)) return &relationship;
    }
    return nullptr;
  }
  static bool HasTypeSuffix(const Relationship& relationship, std::string_view type_suffix) {
    std::string_view type = relationship.type;
    return type.size() > type_suffix.size() && type.ends_with(type_suffix) &&
           type[type.size() - type_suffix.size() - 1] == '/';
  }

 private:
  std::vector<Relationship> relationships_;
};

// A relationship target of xl/workbook.xml as a part name: relative to xl/, or absolute.
std::string ResolveWorkbookTarget(std::string_view target) {
  std::vector<std::string_view> segments;
  std::string_view path = target;
  if (path.starts_with('/')) {
    path.remove_prefix(1);
  } else {
    segments.push_back("xl");
  }
  while (!path.empty()) {
    std::size_t slash = path.find('/');
    std::string_view segment = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      continue;
    }
    segments.push_back(segment);
  }
  std::string part_name;
  for (std::string_view segment : segments) {
    if (!part_name.empty()) part_name.push_back('/');
    part_name.append(segment);
  }
  return part_name;
}

// ---- Shared strings: one pool of text and the end offset of each string. ----

class SharedStringsHandler : public XmlHandler {
 public:
  void StartElement(std::string_view name, const XML_Char** /*attributes*/) override {
    if (name == "si") {
      in_item_ = true;
    } else if (name == "rPh") {
      ++phonetic_depth_;  // furigana runs: their <t> is a reading aid, not the cell's text
    } else if (name == "t" && in_item_ && phonetic_depth_ == 0) {
      in_text_ = true;
    }
  }
  void EndElement(std::string_view name) override {
    if (name == "t") {
      in_text_ = false;
    } else if (name == "rPh") {
      if (phonetic_depth_ > 0) --phonetic_depth_;
    } else if (name == "si") {
      in_item_ = false;
      if (pool_.size() > std::numeric_limits<std::uint32_t>::max()) {
        Fail("the shared strings are too large", kDefaultSharedStringsPart);
        return;
      }
      ends_.push_back(static_cast<std::uint32_t>(pool_.size()));
    }
  }
  void Text(std::string_view text) override {
    if (in_text_) pool_.append(text);
  }

  std::size_t size() const { return ends_.size(); }
  std::string_view At(std::size_t index) const {
    GL_ASSERT(index < ends_.size());
    std::size_t begin = index == 0 ? 0 : ends_[index - 1];
    return std::string_view(pool_).substr(begin, ends_[index] - begin);
  }

 private:
  std::string pool_;
  std::vector<std::uint32_t> ends_;
  bool in_item_ = false;
  bool in_text_ = false;
  int phonetic_depth_ = 0;
};

// ---- The sheet: non-empty cells by row, then a Table. ----

std::string ColumnLetters(int column) {
  std::string letters;
  while (column > 0) {
    int remainder = (column - 1) % 26;
    letters.insert(letters.begin(), static_cast<char>('A' + remainder));
    column = (column - 1) / 26;
  }
  return letters;
}

std::string CellName(int column, int row) { return ColumnLetters(column) + std::to_string(row); }

struct CellPosition {
  int column;
  int row;
};

// "C7" -> {3, 7}; nullopt unless it is a cell inside Excel's 16384 × 1048576 grid.
std::optional<CellPosition> ParseCellReference(std::string_view reference) {
  std::size_t i = 0;
  int column = 0;
  for (; i < reference.size() && i < 4; ++i) {
    char c = reference[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') break;
    column = column * 26 + (c - 'A' + 1);
  }
  if (i == 0 || column > kMaxSheetColumn) return std::nullopt;
  std::string_view digits = reference.substr(i);
  if (digits.empty() || digits.size() > 7 || digits[0] == '0') return std::nullopt;
  int row = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    row = row * 10 + (c - '0');
  }
  if (row > kMaxSheetRow) return std::nullopt;
  return CellPosition{column, row};
}

std::optional<int> ParseRowNumber(std::string_view text) {
  if (text.empty() || text.size() > 7 || text[0] == '0') return std::nullopt;
  int row = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    row = row * 10 + (c - '0');
  }
  if (row > kMaxSheetRow) return std::nullopt;
  return row;
}

// Excel stores a double with up to 17 significant digits ("2.2999999999999998" for a typed 2.3,
// and libxlsxwriter "9.300000000000001" for 9.3) but shows at most 15. Such text is replaced by
// the shortest text for the same double, which is what the user typed and saw; text of up to
// 15 significant digits ("20.908", "1.5E-2") is kept exactly as stored.
std::string ShortestNumberText(const std::string& stored) {
  constexpr int kMaxShownSignificantDigits = 15;
  int significant = 0;
  bool leading = true;
  for (char c : stored) {
    if (c == 'e' || c == 'E') break;
    if (c < '0' || c > '9') continue;
    if (leading && c == '0') continue;
    leading = false;
    ++significant;
  }
  if (significant <= kMaxShownSignificantDigits) return stored;
  double value = 0;
  const char* end = stored.data() + stored.size();
  auto [parsed_end, parse_error] = std::from_chars(stored.data(), end, value);
  if (parse_error != std::errc() || parsed_end != end || !std::isfinite(value)) return stored;
  char shortest[32];
  auto [shortest_end, format_error] = std::to_chars(shortest, shortest + sizeof shortest, value);
  if (format_error != std::errc()) return stored;
  return std::string(shortest, shortest_end);
}

struct SparseCell {
  int column;
  std::string text;
};

struct SparseRow {
  int row_number;
  std::vector<SparseCell> cells;
};

class SheetHandler : public XmlHandler {
 public:
  SheetHandler(std::string sheet_name, std::string part_name, const SharedStringsHandler& shared_strings,
               const XlsxReadLimits& limits)
      : sheet_name_(std::move(sheet_name)),
        part_name_(std::move(part_name)),
        shared_strings_(shared_strings),
        limits_(limits) {}

  void StartElement(std::string_view name, const XML_Char** attributes) override {
    if (name == "sheetData") {
      in_sheet_data_ = true;
    } else if (name == "row" && in_sheet_data_) {
      StartRow(FindAttribute(attributes, "r"));
    } else if (name == "c" && in_row_) {
      StartCell(FindAttribute(attributes, "r"), FindAttribute(attributes, "t"));
    } else if (!in_cell_) {
      return;
    } else if (name == "v") {
      capture_ = Capture::kValue;
    } else if (name == "is") {
      in_inline_string_ = true;
    } else if (name == "rPh") {
      ++phonetic_depth_;
    } else if (name == "t" && in_inline_string_ && phonetic_depth_ == 0) {
      capture_ = Capture::kInlineText;
    }
  }

  void EndElement(std::string_view name) override {
    if (name == "sheetData") {
      in_sheet_data_ = false;
    } else if (name == "row" && in_row_) {
      EndRow();
    } else if (name == "c" && in_cell_) {
      EndCell();
    } else if (name == "v" || name == "t") {
      capture_ = Capture::kNone;
    } else if (name == "is") {
      in_inline_string_ = false;
    } else if (name == "rPh" && phonetic_depth_ > 0) {
      --phonetic_depth_;
    }
  }

  void Text(std::string_view text) override {
    if (capture_ == Capture::kValue) value_.append(text);
    if (capture_ == Capture::kInlineText) inline_text_.append(text);
  }

  Result<Table> TakeTable() {
    if (rows_.empty()) {
      return XlsxError("sheet \"" + sheet_name_ + "\" is empty: it has no header row", sheet_name_);
    }
    auto width = static_cast<std::size_t>(max_column_);
    Table table;
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      std::vector<std::string> cells(width);
      for (SparseCell& cell : rows_[i].cells) {
        cells[static_cast<std::size_t>(cell.column - 1)] = std::move(cell.text);
      }
      if (i == 0) {
        table.header = std::move(cells);
      } else {
        table.rows.push_back(std::move(cells));
        table.row_numbers.push_back(rows_[i].row_number);
      }
    }
    return table;
  }

 private:
  enum class Capture { kNone, kValue, kInlineText };

  std::string Where(int column, int row) const { return sheet_name_ + "!" + CellName(column, row); }

  void StartRow(const XML_Char* reference) {
    int row_number = last_row_number_ + 1;
    if (reference != nullptr) {
      std::optional<int> parsed = ParseRowNumber(reference);
      if (!parsed) {
        Fail(part_name_ + " has a row numbered \"" + reference + "\"", part_name_);
        return;
      }
      row_number = *parsed;
    }
    if (row_number <= last_row_number_ || row_number > kMaxSheetRow) {
      Fail(part_name_ + " has row " + std::to_string(row_number) + " twice or out of order", part_name_);
      return;
    }
    last_row_number_ = row_number;
    row_ = SparseRow{row_number, {}};
    next_column_ = 1;
    in_row_ = true;
  }

  void StartCell(const XML_Char* reference, const XML_Char* type) {
    int column = next_column_;
    if (reference != nullptr) {
      std::optional<CellPosition> position = ParseCellReference(reference);
      if (!position || position->row != row_.row_number) {
        Fail(part_name_ + " has a cell \"" + reference + "\" in row " + std::to_string(row_.row_number),
             part_name_);
        return;
      }
      column = position->column;
    }
    if (column < next_column_ || column > kMaxSheetColumn) {
      Fail(Where(column, row_.row_number) + " appears twice or out of order in " + part_name_,
           Where(column, row_.row_number));
      return;
    }
    next_column_ = column + 1;
    cell_column_ = column;
    cell_type_ = type != nullptr ? type : "";
    value_.clear();
    inline_text_.clear();
    in_inline_string_ = false;
    phonetic_depth_ = 0;
    capture_ = Capture::kNone;
    in_cell_ = true;
  }

  void EndCell() {
    in_cell_ = false;
    capture_ = Capture::kNone;
    std::optional<std::string> text = CellText();
    if (!text || text->empty()) return;
    text_bytes_ += text->size();
    if (text_bytes_ > limits_.max_text_bytes) {
      Fail("sheet \"" + sheet_name_ + "\" holds more than " + ByteSize(limits_.max_text_bytes) +
               " of text (reached at cell " + CellName(cell_column_, row_.row_number) + ")",
           Where(cell_column_, row_.row_number));
      return;
    }
    row_.cells.push_back({cell_column_, std::move(*text)});
  }

  // The cell's text by its type; nullopt (after Fail) when it cannot be read.
  std::optional<std::string> CellText() {
    if (cell_type_ == "s") {
      std::optional<std::size_t> index = ParseIndex(value_);
      if (!index || *index >= shared_strings_.size()) {
        Fail("cell " + CellName(cell_column_, row_.row_number) + " of sheet \"" + sheet_name_ +
                 "\" refers to shared string \"" + value_ + "\", but the workbook has " +
                 std::to_string(shared_strings_.size()),
             Where(cell_column_, row_.row_number));
        return std::nullopt;
      }
      return std::string(shared_strings_.At(*index));
    }
    if (cell_type_ == "inlineStr") return inline_text_.empty() ? value_ : inline_text_;
    if (cell_type_ == "b") {
      if (value_ == "1") return "TRUE";
      if (value_ == "0") return "FALSE";
    }
    if (cell_type_.empty() || cell_type_ == "n") return ShortestNumberText(value_);
    return value_;  // a formula's string result ("str"), an error ("e"), a date ("d")
  }

  static std::optional<std::size_t> ParseIndex(std::string_view text) {
    if (text.empty() || text.size() > 9) return std::nullopt;
    std::size_t index = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return std::nullopt;
      index = index * 10 + static_cast<std::size_t>(c - '0');
    }
    return index;
  }

  void EndRow() {
    in_row_ = false;
    if (row_.cells.empty()) return;
    if (rows_.size() > limits_.max_rows) {
      Fail("sheet \"" + sheet_name_ + "\" has more than " + std::to_string(limits_.max_rows) +
               " data rows (row " + std::to_string(row_.row_number) + " is one too many)",
           sheet_name_ + "!" + std::to_string(row_.row_number) + ":" + std::to_string(row_.row_number));
      return;
    }
    max_column_ = std::max(max_column_, row_.cells.back().column);
    rows_.push_back(std::move(row_));
    if (rows_.size() * static_cast<std::size_t>(max_column_) > limits_.max_cells) {
      Fail("sheet \"" + sheet_name_ + "\" has more than " + std::to_string(limits_.max_cells) +
               " cells (rows × columns up to the last non-empty column)",
           sheet_name_);
    }
  }

  std::string sheet_name_;
  std::string part_name_;
  const SharedStringsHandler& shared_strings_;
  const XlsxReadLimits& limits_;

  bool in_sheet_data_ = false;
  bool in_row_ = false;
  bool in_cell_ = false;
  bool in_inline_string_ = false;
  int phonetic_depth_ = 0;
  Capture capture_ = Capture::kNone;
  int last_row_number_ = 0;
  int next_column_ = 1;
  int cell_column_ = 0;
  std::string cell_type_;
  std::string value_;
  std::string inline_text_;

  SparseRow row_{0, {}};
  std::vector<SparseRow> rows_;
  int max_column_ = 0;
  std::size_t text_bytes_ = 0;
};

std::string QuotedNames(const std::vector<SheetEntry>& sheets) {
  std::string names;
  for (const auto& sheet : sheets) {
    if (!names.empty()) names += ", ";
    names += "\"" + sheet.name + "\"";
  }
  return names;
}

Result<const SheetEntry*> SelectSheet(const std::vector<SheetEntry>& sheets, const std::string& sheet_name) {
  if (sheet_name.empty()) return &sheets.front();
  for (const auto& sheet : sheets) {
    if (sheet.name == sheet_name) return &sheet;
  }
  for (const auto& sheet : sheets) {
    if (EqualsIgnoringAsciiCase(sheet.name, sheet_name)) return &sheet;
  }
  return XlsxError(
      "the workbook has no sheet named \"" + sheet_name + "\"; its sheets are " + QuotedNames(sheets),
      sheet_name);
}

}  // namespace

Result<Table> ReadXlsx(std::string_view file_bytes, const std::string& sheet_name) {
  return ReadXlsx(file_bytes, sheet_name, XlsxReadLimits{});
}

Result<Table> ReadXlsx(std::string_view file_bytes, const std::string& sheet_name,
                       const XlsxReadLimits& limits) {
  if (file_bytes.starts_with(kOle2Signature)) {
    return XlsxError(
        "the file is an Excel 97-2003 .xls workbook or a password-protected one; save it as an "
        "unprotected .xlsx workbook",
        "");
  }
  MemoryFile file{file_bytes};
  zlib_filefunc_def functions = MemoryFileFunctions(&file);
  ZipHandle zip(unzOpen2("upload.xlsx", &functions));
  if (!zip) return XlsxError("the file is not an XLSX workbook (it is not a zip archive)", "");
  PartReader parts(zip.get(), limits);

  WorkbookHandler workbook;
  GL_RETURN_IF_ERROR(parts.Parse(kWorkbookPart, workbook));
  if (workbook.sheets().empty()) return XlsxError("the workbook has no sheets", kWorkbookPart);
  RelationshipsHandler relationships;
  GL_RETURN_IF_ERROR(parts.Parse(kWorkbookRelationshipsPart, relationships));

  Result<const SheetEntry*> selected = SelectSheet(workbook.sheets(), sheet_name);
  if (!selected.ok()) return selected.status();
  const SheetEntry& sheet = *selected.value();
  const Relationship* sheet_relationship = relationships.FindById(sheet.relationship_id);
  if (sheet_relationship == nullptr) {
    return XlsxError("sheet \"" + sheet.name + "\" points to relationship " + sheet.relationship_id +
                         ", which " + kWorkbookRelationshipsPart + " does not define",
                     kWorkbookRelationshipsPart);
  }
  if (!RelationshipsHandler::HasTypeSuffix(*sheet_relationship, "worksheet")) {
    return XlsxError("sheet \"" + sheet.name + "\" is a chart or dialog sheet, not a worksheet with cells",
                     sheet.name);
  }

  SharedStringsHandler shared_strings;
  const Relationship* strings_relationship = relationships.FindByType("sharedStrings");
  std::string strings_part = strings_relationship != nullptr
                                 ? ResolveWorkbookTarget(strings_relationship->target)
                                 : kDefaultSharedStringsPart;
  if (parts.Has(strings_part)) GL_RETURN_IF_ERROR(parts.Parse(strings_part, shared_strings));

  std::string sheet_part = ResolveWorkbookTarget(sheet_relationship->target);
  SheetHandler sheet_handler(sheet.name, sheet_part, shared_strings, limits);
  GL_RETURN_IF_ERROR(parts.Parse(sheet_part, sheet_handler));
  return sheet_handler.TakeTable();
}

}  // namespace greenloop
