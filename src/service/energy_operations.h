// src/service/energy_operations.h
//
// Monthly energy reports of key energy-consuming units (重点用能单位, issue 5): an enterprise
// reports a month of its energy use; the report is accounted by the `energy` calculator (GB/T
// 2589) before it is stored, and a correction is a new revision of the month (every revision is
// kept). Writes run in exclusive jobs, so the revision read from the store is the last committed.
//
// Visibility: the regulator sees all; a league/city official the reports of enterprises in its
// region; an enterprise its own. Others see none.
#ifndef GREENLOOP_SERVICE_ENERGY_OPERATIONS_H_
#define GREENLOOP_SERVICE_ENERGY_OPERATIONS_H_

#include <string>
#include <vector>

#include "calc/calculator.h"
#include "energy/records.h"
#include "service/registry_service.h"

namespace greenloop {

// `month_input` is the calculator's input for one month: {year, electricity_equal_kgce_per_kwh?,
// months:[{month, items:[…]}]}.
Status SubmitEnergyReport(WriteContext& ctx, const Principal& principal, OrgId org_id, const calc::Json& month_input,
                          const std::string& channel, energy::StoredEnergyReport* out);

Status ListVisibleEnergyReports(Store& store, const Principal& principal, EnergyReportFilter filter,
                                std::vector<energy::StoredEnergyReport>* out);
// One report (any revision) the principal may see; not_found otherwise.
Status VisibleEnergyReport(Store& store, const Principal& principal, std::int64_t id, energy::StoredEnergyReport* out);

}  // namespace greenloop

#endif  // GREENLOOP_SERVICE_ENERGY_OPERATIONS_H_
