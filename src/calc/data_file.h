// src/calc/data_file.h
//
// Reading the reference data embedded from data/ (cmake/embed.cmake). The files are part of the
// build and tested with it, so a missing or malformed file is a programmer error and asserted;
// what a caller asks that the data does not cover (a year without rules) is the caller's Status.
#ifndef GREENLOOP_CALC_DATA_FILE_H_
#define GREENLOOP_CALC_DATA_FILE_H_

#include <nlohmann/json.hpp>
#include <string>

#include "core/decimal.h"

namespace greenloop::calc {

// The parsed file ("data/energy/carriers.json"); it has an `items` array.
nlohmann::json ReadDataFile(const std::string& path);
// A decimal written as a JSON string in the data ("0.7143").
Decimal DataDecimal(const nlohmann::json& value);

}  // namespace greenloop::calc

#endif  // GREENLOOP_CALC_DATA_FILE_H_
