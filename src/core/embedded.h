// src/core/embedded.h
//
// Files compiled into the binary by cmake/embed.cmake: schema migrations and reference data.
#ifndef GREENLOOP_CORE_EMBEDDED_H_
#define GREENLOOP_CORE_EMBEDDED_H_

#include <string>
#include <vector>

namespace greenloop {

struct EmbeddedFile {
  std::string path;  // relative to the source tree, e.g. "data/regions.json"
  std::string content;
};

const std::vector<EmbeddedFile>& EmbeddedMigrations();
const std::vector<EmbeddedFile>& EmbeddedData();

// The content of an embedded data file by its path, or nullptr.
const std::string* FindEmbeddedData(const std::string& path);

}  // namespace greenloop

#endif  // GREENLOOP_CORE_EMBEDDED_H_
