// src/http/mrv_upload.h
//
// Monthly data as officials exchange it: a CSV or XLSX sheet in the published template, one row
// per unit, month and fuel (the unit-month's own figures repeated on each of its fuel rows).
#ifndef GREENLOOP_HTTP_MRV_UPLOAD_H_
#define GREENLOOP_HTTP_MRV_UPLOAD_H_

#include <string>
#include <vector>

#include "core/status.h"
#include "mrv/power_accounting.h"

namespace greenloop {

// Parses an upload (Content-Type text/csv or the XLSX type; the bytes decide when the type is
// generic). `source_rows[i]` names the sheet rows of months[i], e.g. "rows 5–6", for messages.
// Errors name the row and column ("row 7, column ncv").
Status ParseMonthlyUpload(const std::string& content_type, const std::string& body, std::vector<mrv::UnitMonth>* months,
                          std::vector<std::string>* bodies_json, std::vector<std::string>* source_rows);

std::string MonthlyTemplateCsv();
Result<std::string> MonthlyTemplateXlsx();

}  // namespace greenloop

#endif  // GREENLOOP_HTTP_MRV_UPLOAD_H_
