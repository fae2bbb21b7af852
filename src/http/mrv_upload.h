// src/http/mrv_upload.h
//
// Monthly data as officials exchange it: a CSV or XLSX sheet in the published template, one row
// per unit, month and fuel (the unit-month's own figures repeated on each of its fuel rows).
#ifndef GREENLOOP_HTTP_MRV_UPLOAD_H_
#define GREENLOOP_HTTP_MRV_UPLOAD_H_

#include <string>
#include <vector>

#include "core/status.h"
#include "calc/calculator.h"
#include "mrv/power_accounting.h"
#include "mrv/records.h"

namespace greenloop {

// Parses an upload (Content-Type text/csv or the XLSX type; the bytes decide when the type is
// generic). `source_rows[i]` names the sheet rows of months[i], e.g. "rows 5–6", for messages.
// Errors name the row and column ("row 7, column ncv").
Status ParseMonthlyUpload(const std::string& content_type, const std::string& body, std::vector<mrv::UnitMonth>* months,
                          std::vector<std::string>* bodies_json, std::vector<std::string>* source_rows);

std::string MonthlyTemplateCsv();
Result<std::string> MonthlyTemplateXlsx();

// Industrial facilities (steel, aluminium, cement): one row per value, in the "long" template
//   month, part, section, item, field, value, evidence
// where `part` names a cement clinker line or a steel captive power unit (blank: the facility),
// `section` a list of the month document (fuels, carbonates, carbon_inputs, carbon_products,
// alternative_materials; blank for a figure of the month or part itself), `item` the fuel or
// material code in that list, `field` the document's field (consumption, ncv, quantity_t,
// crude_steel_t, clinker_t, …) and `evidence` the test report of an ncv or carbon value. The rows
// become month documents (calc/industry_facility.h) that the sector's engine then checks.
Status ParseSectorUpload(mrv::Sector sector, const std::string& content_type, const std::string& body,
                         std::vector<calc::Json>* months, std::vector<std::string>* source_rows);
std::string SectorTemplateCsv(mrv::Sector sector);
Result<std::string> SectorTemplateXlsx(mrv::Sector sector);

}  // namespace greenloop

#endif  // GREENLOOP_HTTP_MRV_UPLOAD_H_
