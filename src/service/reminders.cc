#include "service/reminders.h"

#include <algorithm>
#include <map>

#include "calc/carbon_rules.h"
#include "core/time.h"
#include "service/carbon_operations.h"
#include "service/mrv_operations.h"

namespace greenloop {
namespace {

const char* KindOf(const CalendarItem& item) {
  if (item.item == "month") return "monthly_data";
  return item.item == "annual_report" ? "annual_report" : "verification";
}

// Who acts on an item: the enterprise enters data and reports; the verifier verifies; officials
// and the regulator follow all of them.
bool Concerns(Role role, const std::string& kind) {
  switch (role) {
    case Role::kRegulator:
    case Role::kRegion: return true;
    case Role::kEnterprise: return kind != "verification";
    case Role::kVerifier: return kind == "verification";
    case Role::kExchange:
    case Role::kPublic: return false;
  }
  return false;
}

std::string OrgNameOf(Store& store, OrgId id, std::map<OrgId, std::string>* cache) {
  auto it = cache->find(id);
  if (it != cache->end()) return it->second;
  Organization org;
  const std::string name = store.GetOrganization(id, &org).ok() ? org.name_zh : "";
  cache->emplace(id, name);
  return name;
}

}  // namespace

Status ListReminders(Store& store, const Principal& principal, time_us now_us, int within_days,
                     std::vector<Reminder>* out) {
  GL_ASSERT(within_days >= 0);
  out->clear();
  const std::string today_text = FormatTimestamp(now_us).substr(0, 10);
  const std::int64_t today = *ParseDateDays(today_text);
  const int current_year = std::stoi(today_text.substr(0, 4));
  std::map<OrgId, std::string> names;

  std::vector<mrv::Facility> facilities;
  GL_RETURN_IF_ERROR(ListVisibleFacilities(store, principal, FacilityFilter{}, &facilities));
  for (const mrv::Facility& f : facilities) {
    for (int year : {current_year - 1, current_year}) {
      if (principal.role() == Role::kVerifier) {
        // A verifier sees the facility while any year is assigned to it; it verifies only those.
        std::optional<mrv::Case> c;
        GL_RETURN_IF_ERROR(store.GetCase(f.id, year, &c));
        if (!c || c->verifier_org_id != principal.org_id()) continue;
      }
      std::vector<CalendarItem> items;
      Status st = ReportingCalendar(store, f.id, year, now_us, &items);
      if (st.code() == "not_covered") continue;
      GL_RETURN_IF_ERROR(st);
      for (const CalendarItem& item : items) {
        if (item.done_date || item.due_date.empty()) continue;
        const std::string kind = KindOf(item);
        if (!Concerns(principal.role(), kind)) continue;
        const std::int64_t days_left = *ParseDateDays(item.due_date) - today;
        if (days_left > within_days) continue;
        Reminder r;
        r.kind = kind;
        r.org_id = f.org_id;
        r.org_name = OrgNameOf(store, f.org_id, &names);
        r.facility_id = f.id;
        r.facility_name = f.name;
        r.year = year;
        if (item.item == "month") r.month = item.month;
        r.due_date = item.due_date;
        r.days_left = days_left;
        out->push_back(std::move(r));
      }
    }
  }

  // Surrenders owed: enterprises see their own, officials their region's, the regulator all.
  if (principal.role() == Role::kRegulator || principal.role() == Role::kRegion || principal.role() == Role::kEnterprise) {
    for (int year = current_year - 2; year <= current_year; ++year) {
      std::vector<ComplianceRow> rows;
      Status st = ComplianceStatus(store, year, today_text, &rows);
      if (st.IsNotFound() || st.code() == "no_rule") continue;
      GL_RETURN_IF_ERROR(st);
      Result<compliance::ComplianceRules> rules = calc::ComplianceRulesFor(year);
      if (!rules.ok()) continue;
      const std::int64_t days_left = *ParseDateDays(rules.value().deadline) - today;
      if (days_left > within_days) continue;
      for (const ComplianceRow& row : rows) {
        if (row.outstanding_t <= 0) continue;
        const bool visible = principal.role() == Role::kRegulator ||
                             (principal.role() == Role::kEnterprise && principal.org_id() == row.org_id) ||
                             (principal.role() == Role::kRegion && principal.org && principal.org->region &&
                              *principal.org->region == row.region);
        if (!visible) continue;
        Reminder r;
        r.kind = "compliance";
        r.org_id = row.org_id;
        r.org_name = row.org_name;
        r.year = year;
        r.due_date = rules.value().deadline;
        r.days_left = days_left;
        r.outstanding_t = row.outstanding_t;
        out->push_back(std::move(r));
      }
    }
  }
  std::stable_sort(out->begin(), out->end(), [](const Reminder& a, const Reminder& b) { return a.days_left < b.days_left; });
  return Status::OK();
}

}  // namespace greenloop
