#include "service/energy_operations.h"

#include "calc/energy_rules.h"
#include "service/operations.h"

namespace greenloop {
namespace {

std::string RegionOfPrincipal(const Principal& principal) {
  return principal.org && principal.org->region ? *principal.org->region : "";
}

Decimal Total(const calc::Json& totals, const char* name) {
  const calc::Json& v = totals.at(name);
  std::optional<Decimal> d = v.is_number_integer() ? Decimal::Parse(v.dump()) : Decimal::FromDouble(v.get<double>());
  GL_ASSERT(d.has_value());  // the calculator wrote it from a Decimal
  return *d;
}

}  // namespace

Status SubmitEnergyReport(WriteContext& ctx, const Principal& principal, OrgId org_id, const calc::Json& month_input,
                          const std::string& channel, energy::StoredEnergyReport* out) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kEnterprise}, "submit energy reports"));
  if (principal.org_id() != org_id) {
    return Status::Forbidden("an enterprise reports its own energy use only");
  }
  energy::AccountingInput input;
  GL_RETURN_IF_ERROR(calc::ReadEnergyAccountingInput(month_input, &input));
  if (input.months.size() != 1) {
    return Status::Invalid("invalid_field", "a monthly report holds exactly one month", "months");
  }
  Result<energy::AccountingResult> accounted = energy::AccountEnergy(input, calc::EnergyCarriersData());
  if (!accounted.ok()) return accounted.status();
  const calc::Json result = calc::EnergyAccountingJson(input, accounted.value());
  const int month = input.months.front().month;
  EnergyReportFilter same;
  same.org_id = org_id;
  same.year = input.year;
  same.month = month;
  std::vector<energy::StoredEnergyReport> existing;
  GL_RETURN_IF_ERROR(ctx.store().ListEnergyReports(same, &existing));
  std::int64_t max_id = 0;
  GL_RETURN_IF_ERROR(ctx.store().MaxEnergyReportId(&max_id));
  energy::StoredEnergyReport r;
  r.id = max_id + 1;
  r.org_id = org_id;
  r.year = input.year;
  r.month = month;
  r.revision = existing.empty() ? 1 : existing.front().revision + 1;
  r.channel = channel;
  r.body_json = month_input.dump();
  r.result_json = result.dump();
  const calc::Json& totals = result["year_totals"];
  r.comprehensive_tce = Total(totals, "comprehensive_tce");
  r.comprehensive_equal_tce = Total(totals, "comprehensive_equal_value_tce");
  r.feedstock_tce = Total(totals, "feedstock_tce");
  r.renewable_tce = Total(totals, "renewable_tce");
  r.submitted_by = principal.user.id;
  r.submitted_at_us = ctx.now();
  ctx.energy_reports().push_back(r);
  ctx.Audit(principal.user.id, "energy.report", "org:" + std::to_string(org_id) + "/" + std::to_string(r.year) + "-" +
                                                    std::to_string(month),
            calc::Json{{"revision", r.revision}, {"channel", channel}}.dump());
  *out = std::move(r);
  return Status::OK();
}

Status ListVisibleEnergyReports(Store& store, const Principal& principal, EnergyReportFilter filter,
                                std::vector<energy::StoredEnergyReport>* out) {
  switch (principal.role()) {
    case Role::kRegulator: return store.ListEnergyReports(filter, out);
    case Role::kRegion:
      filter.region = RegionOfPrincipal(principal);
      return store.ListEnergyReports(filter, out);
    case Role::kEnterprise:
      if (filter.org_id && filter.org_id != principal.org_id()) {
        return Status::Forbidden("an enterprise sees its own energy reports only");
      }
      filter.org_id = principal.org_id().value_or(-1);
      return store.ListEnergyReports(filter, out);
    case Role::kVerifier:
    case Role::kExchange:
    case Role::kPublic: break;
  }
  return Status::Forbidden("role '" + std::string(ToString(principal.role())) + "' does not see energy reports");
}

Status VisibleEnergyReport(Store& store, const Principal& principal, std::int64_t id, energy::StoredEnergyReport* out) {
  Status st = store.GetEnergyReport(id, out);
  if (!st.ok()) return st;
  bool visible = principal.is_regulator() ||
                 (principal.role() == Role::kEnterprise && principal.org_id() == out->org_id);
  if (!visible && principal.role() == Role::kRegion) {
    Organization owner;
    visible = store.GetOrganization(out->org_id, &owner).ok() && owner.region &&
              *owner.region == RegionOfPrincipal(principal);
  }
  if (!visible) return Status::NotFound("energy report " + std::to_string(id) + " does not exist", "id");
  return Status::OK();
}

}  // namespace greenloop
