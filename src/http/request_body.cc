#include "http/request_body.h"

#include <limits>

namespace greenloop {

Status RequestBody::Parse(const std::string& text, RequestBody* out) {
  if (text.empty()) return Status::Invalid("malformed_json", "the request needs a JSON object body");
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded()) {
    return Status::Invalid("malformed_json", "the body is not valid JSON; send a JSON object");
  }
  if (!parsed.is_object()) return Status::Invalid("malformed_json", "the body must be a JSON object");
  out->json_ = std::move(parsed);
  out->prefix_.clear();
  return Status::OK();
}

RequestBody RequestBody::Of(const nlohmann::json& object, std::string path_prefix) {
  RequestBody body;
  body.json_ = object;
  body.prefix_ = std::move(path_prefix);
  return body;
}

Status RequestBody::OnlyFields(std::initializer_list<const char*> known) const {
  for (const auto& item : json_.items()) {
    bool ok = false;
    for (const char* k : known) ok = ok || item.key() == k;
    if (!ok) {
      std::string list;
      for (const char* k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      return Status::Invalid("unknown_field", "unknown field '" + Name(item.key().c_str()) + "'; allowed: " + list,
                             Name(item.key().c_str()));
    }
  }
  return Status::OK();
}

Status RequestBody::OptionalInteger(const char* key, std::optional<std::int64_t>* out) const {
  out->reset();
  if (!Has(key)) return Status::OK();
  const nlohmann::json& v = json_[key];
  if (v.is_number_unsigned()) {
    if (v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return Status::Invalid("invalid_field", Name(key) + " is too large (at most 9223372036854775807)", Name(key));
    }
    *out = static_cast<std::int64_t>(v.get<std::uint64_t>());
    return Status::OK();
  }
  if (v.is_number_integer()) {
    *out = v.get<std::int64_t>();
    return Status::OK();
  }
  if (v.is_number_float()) {
    return Status::Invalid("invalid_field", Name(key) + " must be a whole number (integers in the smallest unit)",
                           Name(key));
  }
  return Status::Invalid("invalid_field", Name(key) + " must be a JSON number, not " + std::string(v.type_name()),
                         Name(key));
}

Status RequestBody::Integer(const char* key, std::int64_t* out) const {
  std::optional<std::int64_t> value;
  GL_RETURN_IF_ERROR(OptionalInteger(key, &value));
  if (!value) return Status::Invalid("missing_field", Name(key) + " is required", Name(key));
  *out = *value;
  return Status::OK();
}

Status RequestBody::Quantity(const char* key, std::int64_t* out) const {
  if (Has(key) && json_[key].is_number_float()) {
    return Status::Invalid("invalid_quantity",
                           Name(key) + " must be an integer in the instrument's smallest unit (see the instrument's scale)",
                           Name(key));
  }
  Status st = Integer(key, out);
  if (!st.ok()) {
    if (st.code() == "invalid_field") return Status::Invalid("invalid_quantity", st.message(), st.field());
    return st;
  }
  if (*out <= 0) {
    return Status::Invalid("invalid_quantity", Name(key) + " must be positive, got " + std::to_string(*out), Name(key));
  }
  return Status::OK();
}

Status RequestBody::OptionalString(const char* key, std::optional<std::string>* out, size_t max_length) const {
  out->reset();
  if (!Has(key)) return Status::OK();
  const nlohmann::json& v = json_[key];
  if (!v.is_string()) {
    return Status::Invalid("invalid_field", Name(key) + " must be a string, not " + std::string(v.type_name()), Name(key));
  }
  std::string s = v.get<std::string>();
  if (s.size() > max_length) {
    return Status::Invalid("invalid_field", Name(key) + " is longer than " + std::to_string(max_length) + " bytes",
                           Name(key));
  }
  *out = std::move(s);
  return Status::OK();
}

Status RequestBody::String(const char* key, std::string* out, size_t max_length) const {
  std::optional<std::string> value;
  GL_RETURN_IF_ERROR(OptionalString(key, &value, max_length));
  if (!value || value->empty()) return Status::Invalid("missing_field", Name(key) + " is required", Name(key));
  *out = std::move(*value);
  return Status::OK();
}

Status RequestBody::OptionalBool(const char* key, bool* out) const {
  if (!Has(key)) return Status::OK();
  if (!json_[key].is_boolean()) return Status::Invalid("invalid_field", Name(key) + " must be true or false", Name(key));
  *out = json_[key].get<bool>();
  return Status::OK();
}

std::string CanonicalJson(const nlohmann::json& value) { return value.dump(); }

}  // namespace greenloop
