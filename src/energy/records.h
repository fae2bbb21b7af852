// src/energy/records.h
//
// What the energy reporting of key energy-consuming units (重点用能单位) keeps: every revision of a
// unit's monthly report as submitted, with the accounting the `energy` calculator made of it.
// Plain values; the accounting is energy_accounting.h.
#ifndef GREENLOOP_ENERGY_RECORDS_H_
#define GREENLOOP_ENERGY_RECORDS_H_

#include <string>

#include "core/decimal.h"
#include "core/types.h"

namespace greenloop::energy {

struct StoredEnergyReport {
  std::int64_t id = 0;
  OrgId org_id = 0;
  int year = 0;
  int month = 0;
  int revision = 1;          // 1 for the first report of the month, +1 per correction
  std::string channel;       // "api", "form"
  std::string body_json;     // the month as submitted (the energy calculator's input shape)
  std::string result_json;   // the energy calculator's result for it
  Decimal comprehensive_tce;        // 综合能耗, electricity at the equivalent value
  Decimal comprehensive_equal_tce;  // electricity at the equal value
  Decimal feedstock_tce;
  Decimal renewable_tce;
  UserId submitted_by = 0;
  time_us submitted_at_us = 0;
};

}  // namespace greenloop::energy

#endif  // GREENLOOP_ENERGY_RECORDS_H_
