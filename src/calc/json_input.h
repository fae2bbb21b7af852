// src/calc/json_input.h
//
// Strict reading of a calculator's JSON input: every field is checked for presence and type, and
// an error names its path ("units[0].capacity_mw"). Numbers become exact Decimals (six decimals
// at most), so 20.908 stays 20.908.
#ifndef GREENLOOP_CALC_JSON_INPUT_H_
#define GREENLOOP_CALC_JSON_INPUT_H_

#include <optional>
#include <string>
#include <vector>

#include "calc/calculator.h"
#include "core/decimal.h"
#include "core/status.h"

namespace greenloop::calc {

class JsonInput {
 public:
  // `path` is the object's own path ("" for the top level).
  JsonInput(const Json& object, std::string path) : object_(object), path_(std::move(path)) {}

  // Fails when the value is not an object or has a field outside `allowed`.
  Status ExpectObject(const std::vector<std::string>& allowed) const;
  bool Has(const std::string& name) const;
  std::string PathOf(const std::string& name) const;

  Status RequiredDecimal(const std::string& name, Decimal* out) const;
  Status OptionalDecimal(const std::string& name, std::optional<Decimal>* out) const;
  // Absent counts as zero.
  Status DecimalOrZero(const std::string& name, Decimal* out) const;
  Status RequiredInt(const std::string& name, int min, int max, int* out) const;
  Status RequiredString(const std::string& name, std::string* out) const;
  Status OptionalString(const std::string& name, std::string* out) const;
  Status OptionalBool(const std::string& name, bool* out) const;
  // One of `choices`; `out` keeps its value when the field is absent and `required` is false.
  Status Choice(const std::string& name, const std::vector<std::string>& choices, bool required, std::string* out) const;
  // The array's elements, each wrapped with its path; an absent field is an error when required.
  Status Array(const std::string& name, bool required, std::vector<JsonInput>* out) const;
  // The field as an object with its path; `out` stays empty when the field is absent and not required.
  Status Object(const std::string& name, bool required, std::optional<JsonInput>* out) const;

 private:
  const Json* Field(const std::string& name) const;
  const Json& object_;
  std::string path_;
};

// Output helpers: a Decimal as a JSON number with exactly the digits it has.
Json ToJsonNumber(Decimal value);

}  // namespace greenloop::calc

#endif  // GREENLOOP_CALC_JSON_INPUT_H_
