// src/http/request_body.h
//
// Strict reading of JSON request bodies: every field is checked for presence, type and range,
// unknown fields are refused, and each failure names the field. Quantities must be JSON integers
// that fit in 64 bits; 1.5, "10" and 1e3 are refused rather than guessed at.
#ifndef GREENLOOP_HTTP_REQUEST_BODY_H_
#define GREENLOOP_HTTP_REQUEST_BODY_H_

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/status.h"

namespace greenloop {

class RequestBody {
 public:
  // Parses text that must be a JSON object.
  static Status Parse(const std::string& text, RequestBody* out);
  static RequestBody Of(const nlohmann::json& object, std::string path_prefix = "");

  // Refuses any field not in `known`.
  Status OnlyFields(std::initializer_list<const char*> known) const;
  Status Integer(const char* key, std::int64_t* out) const;
  Status OptionalInteger(const char* key, std::optional<std::int64_t>* out) const;
  // A positive integer quantity in the instrument's smallest unit.
  Status Quantity(const char* key, std::int64_t* out) const;
  Status String(const char* key, std::string* out, size_t max_length = 200) const;
  Status OptionalString(const char* key, std::optional<std::string>* out, size_t max_length = 200) const;
  Status OptionalBool(const char* key, bool* out) const;

  const nlohmann::json& json() const { return json_; }
  bool Has(const char* key) const { return json_.contains(key) && !json_[key].is_null(); }

 private:
  std::string Name(const char* key) const { return prefix_ + key; }
  nlohmann::json json_;
  std::string prefix_;
};

// The body in canonical form (keys sorted, no whitespace), for idempotency request hashes.
std::string CanonicalJson(const nlohmann::json& value);

}  // namespace greenloop

#endif  // GREENLOOP_HTTP_REQUEST_BODY_H_
