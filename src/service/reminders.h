// src/service/reminders.h
//
// Deadline reminders (提醒) for the caller: what is due soon or overdue and not done —
// monthly data, annual reports and verifications of the facilities the caller may see (their
// sector's calendar, mrv_operations.h), and surrenders still owed against a compliance deadline.
// Each reminder says what, for whom, by when, and how many days are left (negative: overdue).
#ifndef GREENLOOP_SERVICE_REMINDERS_H_
#define GREENLOOP_SERVICE_REMINDERS_H_

#include <optional>
#include <string>
#include <vector>

#include "service/registry_service.h"

namespace greenloop {

struct Reminder {
  std::string kind;  // "monthly_data", "annual_report", "verification", "compliance"
  OrgId org_id = 0;
  std::string org_name;
  std::optional<std::int64_t> facility_id;
  std::string facility_name;
  int year = 0;                  // data year, or compliance year
  std::optional<int> month;      // monthly_data
  std::string due_date;          // YYYY-MM-DD
  std::int64_t days_left = 0;    // negative when overdue
  std::optional<quantity_t> outstanding_t;  // compliance
};

// Reminders due within `within_days` of today, and the overdue ones of the current and previous
// data years (and compliance years whose deadline has not been followed by a settled position),
// most urgent first. Enterprises get their own, league/city officials their region's, the
// regulator all, a verifier the verifications assigned to it.
Status ListReminders(Store& store, const Principal& principal, time_us now_us, int within_days,
                     std::vector<Reminder>* out);

}  // namespace greenloop

#endif  // GREENLOOP_SERVICE_REMINDERS_H_
