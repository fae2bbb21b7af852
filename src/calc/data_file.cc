#include "calc/data_file.h"

#include "core/assert.h"
#include "core/embedded.h"

namespace greenloop::calc {

nlohmann::json ReadDataFile(const std::string& path) {
  const std::string* text = FindEmbeddedData(path);
  GL_ASSERT(text != nullptr);
  nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
  GL_ASSERT(!doc.is_discarded() && doc.contains("items") && doc["items"].is_array());
  return doc;
}

Decimal DataDecimal(const nlohmann::json& value) {
  GL_ASSERT(value.is_string());
  std::optional<Decimal> d = Decimal::Parse(value.get<std::string>());
  GL_ASSERT(d.has_value());
  return *d;
}

}  // namespace greenloop::calc
