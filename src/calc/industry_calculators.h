// src/calc/industry_calculators.h
//
// The calculators of the three industrial sectors of the national ETS: steel-emissions,
// aluminium-emissions and cement-emissions. Each reads a strict JSON input (docs/calc/industry.md),
// takes its sector's defaults from the embedded data/carbon/*-factors.json, runs the engine of
// mrv/ and returns every figure with the inputs and defaults (value, tag, source) it came from.
#ifndef GREENLOOP_CALC_INDUSTRY_CALCULATORS_H_
#define GREENLOOP_CALC_INDUSTRY_CALCULATORS_H_

#include <vector>

#include "calc/calculator.h"
#include "mrv/aluminium.h"
#include "mrv/cement.h"
#include "mrv/steel.h"

namespace greenloop::calc {

std::vector<Calculator> IndustryCalculators();

// The sectors' rules as the embedded data files set them, parsed once. A malformed file is a
// programmer error and stops the process.
const mrv::SteelRules& SteelRulesFromData();
const mrv::AluminiumRules& AluminiumRulesFromData();
const mrv::CementRules& CementRulesFromData();

}  // namespace greenloop::calc

#endif  // GREENLOOP_CALC_INDUSTRY_CALCULATORS_H_
