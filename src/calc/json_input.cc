#include "calc/json_input.h"

#include <set>

namespace greenloop::calc {
namespace {

Status WrongType(const std::string& path, const std::string& expected) {
  return Status::Invalid("invalid_field", path + " must be " + expected, path);
}

}  // namespace

std::string JsonInput::PathOf(const std::string& name) const { return path_.empty() ? name : path_ + "." + name; }

const Json* JsonInput::Field(const std::string& name) const {
  if (!object_.is_object()) return nullptr;
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool JsonInput::Has(const std::string& name) const { return Field(name) != nullptr; }

Status JsonInput::ExpectObject(const std::vector<std::string>& allowed) const {
  if (!object_.is_object()) return WrongType(path_.empty() ? "the input" : path_, "a JSON object");
  std::set<std::string> names(allowed.begin(), allowed.end());
  for (auto it = object_.begin(); it != object_.end(); ++it) {
    if (!names.count(it.key())) {
      std::string list;
      for (const std::string& n : allowed) list += (list.empty() ? "" : ", ") + n;
      return Status::Invalid("unknown_field", "unknown field '" + it.key() + "'; allowed: " + list, PathOf(it.key()));
    }
  }
  return Status::OK();
}

Status JsonInput::RequiredDecimal(const std::string& name, Decimal* out) const {
  std::optional<Decimal> value;
  GL_RETURN_IF_ERROR(OptionalDecimal(name, &value));
  if (!value) return Status::Invalid("missing_field", PathOf(name) + " is required", PathOf(name));
  *out = *value;
  return Status::OK();
}

Status JsonInput::OptionalDecimal(const std::string& name, std::optional<Decimal>* out) const {
  const Json* field = Field(name);
  if (field == nullptr) {
    out->reset();
    return Status::OK();
  }
  std::optional<Decimal> value;
  if (field->is_number_integer()) {
    value = Decimal::Parse(field->dump());
  } else if (field->is_number_float()) {
    value = Decimal::FromDouble(field->get<double>());
  } else if (field->is_string()) {
    value = Decimal::Parse(field->get<std::string>());
  } else {
    return WrongType(PathOf(name), "a number");
  }
  if (!value) {
    return Status::Invalid("invalid_number", PathOf(name) + " must be a number of at most 10^12 with at most six decimals",
                           PathOf(name));
  }
  *out = value;
  return Status::OK();
}

Status JsonInput::DecimalOrZero(const std::string& name, Decimal* out) const {
  std::optional<Decimal> value;
  GL_RETURN_IF_ERROR(OptionalDecimal(name, &value));
  *out = value.value_or(Decimal());
  return Status::OK();
}

Status JsonInput::RequiredInt(const std::string& name, int min, int max, int* out) const {
  const Json* field = Field(name);
  if (field == nullptr) return Status::Invalid("missing_field", PathOf(name) + " is required", PathOf(name));
  if (!field->is_number_integer()) return WrongType(PathOf(name), "an integer");
  auto value = field->get<std::int64_t>();
  if (value < min || value > max) {
    return Status::Invalid("out_of_range",
                           PathOf(name) + " must be between " + std::to_string(min) + " and " + std::to_string(max),
                           PathOf(name));
  }
  *out = static_cast<int>(value);
  return Status::OK();
}

Status JsonInput::RequiredString(const std::string& name, std::string* out) const {
  const Json* field = Field(name);
  if (field == nullptr) return Status::Invalid("missing_field", PathOf(name) + " is required", PathOf(name));
  if (!field->is_string()) return WrongType(PathOf(name), "a string");
  *out = field->get<std::string>();
  if (out->empty()) return Status::Invalid("missing_field", PathOf(name) + " must not be empty", PathOf(name));
  return Status::OK();
}

Status JsonInput::OptionalString(const std::string& name, std::string* out) const {
  const Json* field = Field(name);
  if (field == nullptr) return Status::OK();
  if (!field->is_string()) return WrongType(PathOf(name), "a string");
  *out = field->get<std::string>();
  return Status::OK();
}

Status JsonInput::OptionalBool(const std::string& name, bool* out) const {
  const Json* field = Field(name);
  if (field == nullptr) return Status::OK();
  if (!field->is_boolean()) return WrongType(PathOf(name), "true or false");
  *out = field->get<bool>();
  return Status::OK();
}

Status JsonInput::Choice(const std::string& name, const std::vector<std::string>& choices, bool required,
                         std::string* out) const {
  const Json* field = Field(name);
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + c;
  if (field == nullptr) {
    if (required) return Status::Invalid("missing_field", PathOf(name) + " is required: one of " + list, PathOf(name));
    return Status::OK();
  }
  if (!field->is_string()) return WrongType(PathOf(name), "one of " + list);
  std::string value = field->get<std::string>();
  for (const std::string& c : choices) {
    if (c == value) {
      *out = value;
      return Status::OK();
    }
  }
  return Status::Invalid("invalid_field", PathOf(name) + " must be one of " + list + " (got '" + value + "')", PathOf(name));
}

Status JsonInput::Array(const std::string& name, bool required, std::vector<JsonInput>* out) const {
  out->clear();
  const Json* field = Field(name);
  if (field == nullptr) {
    if (required) return Status::Invalid("missing_field", PathOf(name) + " is required", PathOf(name));
    return Status::OK();
  }
  if (!field->is_array()) return WrongType(PathOf(name), "an array");
  for (size_t i = 0; i < field->size(); ++i) {
    out->emplace_back((*field)[i], PathOf(name) + "[" + std::to_string(i) + "]");
  }
  return Status::OK();
}

Status JsonInput::Object(const std::string& name, bool required, std::optional<JsonInput>* out) const {
  out->reset();
  const Json* field = Field(name);
  if (field == nullptr) {
    if (required) return Status::Invalid("missing_field", PathOf(name) + " is required", PathOf(name));
    return Status::OK();
  }
  if (!field->is_object()) return WrongType(PathOf(name), "an object");
  out->emplace(*field, PathOf(name));
  return Status::OK();
}

Json ToJsonNumber(Decimal value) {
  if (value.micros() % Decimal::kOne == 0) return Json(value.micros() / Decimal::kOne);
  return Json(value.ToDouble());
}

}  // namespace greenloop::calc
