// src/io/table.h
//
// A Table is what every upload format (CSV, XLSX) is reduced to before the domain looks at it:
// a header and rows of text, nothing typed yet. Keeping cells as the exact text the file held
// ("20.908", "1.5E-2", "0123") lets the caller decide what a number or a date is, and lets it
// say which source row was wrong, because each data row remembers where it came from.
#ifndef GREENLOOP_IO_TABLE_H_
#define GREENLOOP_IO_TABLE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace greenloop {

struct Table {
  std::vector<std::string> header;
  // Each row has exactly header.size() cells.
  std::vector<std::vector<std::string>> rows;
  // For rows[i], its 1-based row number in the source file (the header is usually row 1), as a
  // spreadsheet program would show it, so messages can say "row 7".
  std::vector<int> row_numbers;
};

// The index of the first column whose header equals `name`, ignoring spaces and tabs around
// either (hand-edited headers often carry a trailing space); nullopt when there is none.
inline std::optional<std::size_t> FindColumn(const Table& table, std::string_view name) {
  auto trimmed = [](std::string_view text) {
    size_t begin = text.find_first_not_of(" \t");
    if (begin == std::string_view::npos) return std::string_view();
    return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
  };
  std::string_view wanted = trimmed(name);
  for (std::size_t i = 0; i < table.header.size(); ++i) {
    if (trimmed(table.header[i]) == wanted) return i;
  }
  return std::nullopt;
}

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
// Uploads saved by Excel in a Chinese locale are often GBK, which must be refused, not stored.
inline bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    char32_t code_point = 0;
    char32_t smallest = 0;
    if ((byte & 0xE0) == 0xC0) {
      length = 2;
      code_point = byte & 0x1Fu;
      smallest = 0x80;
    } else if ((byte & 0xF0) == 0xE0) {
      length = 3;
      code_point = byte & 0x0Fu;
      smallest = 0x800;
    } else if ((byte & 0xF8) == 0xF0) {
      length = 4;
      code_point = byte & 0x07u;
      smallest = 0x10000;
    } else {
      return false;
    }
    if (text.size() - i < length) return false;
    for (std::size_t k = 1; k < length; ++k) {
      auto continuation = static_cast<unsigned char>(text[i + k]);
      if ((continuation & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (continuation & 0x3Fu);
    }
    if (code_point < smallest || code_point > 0x10FFFF) return false;
    if (code_point >= 0xD800 && code_point <= 0xDFFF) return false;
    i += length;
  }
  return true;
}

}  // namespace greenloop

#endif  // GREENLOOP_IO_TABLE_H_
