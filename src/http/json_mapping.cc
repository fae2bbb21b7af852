#include "http/json_mapping.h"

#include "core/time.h"

namespace greenloop {
namespace {
template <typename T>
nlohmann::json OrNull(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
nlohmann::json DateOrNull(const std::optional<std::int64_t>& days) {
  return days ? nlohmann::json(FormatDateDays(*days)) : nlohmann::json(nullptr);
}
}  // namespace

nlohmann::json ToJson(const InstrumentFamily& f) {
  return {{"code", f.code},   {"name_zh", f.name_zh}, {"name_en", f.name_en},
          {"unit", f.unit},   {"scale", f.scale},     {"required_attributes", f.required_attributes},
          {"source", f.source}};
}

nlohmann::json ToJson(const Instrument& i) {
  nlohmann::json attributes = nlohmann::json::parse(i.attributes_json, nullptr, false);
  if (attributes.is_discarded()) attributes = nlohmann::json::object();
  return {{"code", i.code},
          {"family", i.family},
          {"name_zh", i.name_zh},
          {"name_en", i.name_en},
          {"unit", i.unit},
          {"scale", i.scale},
          {"vintage", OrNull(i.vintage)},
          {"region", OrNull(i.region)},
          {"valid_from", DateOrNull(i.valid_from_days)},
          {"valid_to", DateOrNull(i.valid_to_days)},
          {"attributes", attributes},
          {"status", ToString(i.status)}};
}

nlohmann::json ToJson(const Organization& o) {
  return {{"id", o.id},
          {"kind", ToString(o.kind)},
          {"name_zh", o.name_zh},
          {"name_en", o.name_en},
          {"uscc", OrNull(o.uscc)},
          {"region", OrNull(o.region)},
          {"industry", OrNull(o.industry)},
          {"created_at", FormatTimestamp(o.created_at_us)}};
}

nlohmann::json ToJson(const Account& a, const std::string& org_name_zh) {
  return {{"id", a.id},
          {"org_id", a.org_id},
          {"org_name_zh", org_name_zh},
          {"kind", ToString(a.kind)},
          {"name", a.name},
          {"status", ToString(a.status)},
          {"created_at", FormatTimestamp(a.created_at_us)}};
}

nlohmann::json ToJson(const Holding& h) {
  return {{"instrument", h.instrument}, {"balance", h.balance()}, {"frozen", h.frozen}, {"available", h.available}};
}

nlohmann::json ToJson(const Entry& e, const std::string& actor_name, std::optional<EntryId> reversed_by) {
  nlohmann::json postings = nlohmann::json::array();
  for (const Posting& p : e.postings) {
    postings.push_back({{"account_id", p.account_id},
                        {"instrument", p.instrument},
                        {"bucket", ToString(p.bucket)},
                        {"amount", p.amount}});
  }
  return {{"id", e.id},
          {"kind", ToString(e.kind)},
          {"created_at", FormatTimestamp(e.created_at_us)},
          {"memo", e.memo},
          {"reverses", OrNull(e.reverses)},
          {"reversed_by", OrNull(reversed_by)},
          {"actor", actor_name},
          {"actor_user_id", e.actor_user_id},
          {"prev_hash", e.prev_hash},
          {"hash", e.hash},
          {"postings", postings}};
}

nlohmann::json ToJson(const User& u) {
  return {{"id", u.id},
          {"name", u.name},
          {"display_name", u.display_name},
          {"role", ToString(u.role)},
          {"org_id", OrNull(u.org_id)}};
}

nlohmann::json ToJson(const VerifyReport& report) {
  nlohmann::json problems = nlohmann::json::array();
  for (const VerifyProblem& p : report.problems) {
    nlohmann::json item = {{"kind", p.kind}, {"message", p.message}};
    if (p.entry_id) item["entry_id"] = *p.entry_id;
    if (p.account_id) item["account_id"] = *p.account_id;
    if (!p.instrument.empty()) item["instrument"] = p.instrument;
    problems.push_back(std::move(item));
  }
  return {{"ok", report.ok()}, {"entries", report.entries}, {"problems", problems}};
}

}  // namespace greenloop
