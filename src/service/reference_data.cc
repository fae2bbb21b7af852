#include "service/reference_data.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "calc/industry_facility.h"
#include "calc/power_calculators.h"
#include "core/assert.h"
#include "core/crypto.h"
#include "core/embedded.h"
#include "core/time.h"
#include "service/mrv_operations.h"
#include "service/operations.h"

namespace greenloop {
namespace {

using nlohmann::json;

Status ParseEmbedded(const std::string& path, json* out) {
  const std::string* text = FindEmbeddedData(path);
  if (text == nullptr) return Status::Corruption("reference file " + path + " is not compiled in");
  *out = json::parse(*text, nullptr, false);
  if (out->is_discarded() || !out->is_object() || !out->contains("items") || !(*out)["items"].is_array()) {
    return Status::Corruption("reference file " + path + " is not a JSON object with an items array");
  }
  return Status::OK();
}

std::optional<std::string> OptString(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  return j[key].get<std::string>();
}

Status DateField(const json& j, const char* key, std::optional<std::int64_t>* out) {
  auto text = OptString(j, key);
  if (!text) return Status::OK();
  auto days = ParseDateDays(*text);
  if (!days) return Status::Invalid("invalid_field", std::string(key) + " must be a date YYYY-MM-DD", key);
  *out = days;
  return Status::OK();
}

Status InstrumentFromJson(const json& j, Instrument* out) {
  static const std::set<std::string> kKnown = {"code", "family", "name_zh", "name_en", "vintage", "region",
                                               "valid_from", "valid_to", "attributes", "source"};
  for (const auto& [key, value] : j.items()) {
    if (!kKnown.count(key)) return Status::Invalid("unknown_field", "unknown field '" + key + "'", key);
  }
  for (const char* key : {"code", "family", "name_zh"}) {
    if (!j.contains(key)) return Status::Invalid("missing_field", std::string(key) + " is required", key);
    if (!j[key].is_string()) return Status::Invalid("invalid_field", std::string(key) + " must be a string", key);
  }
  Instrument i;
  i.code = j["code"].get<std::string>();
  i.family = j["family"].get<std::string>();
  i.name_zh = j["name_zh"].get<std::string>();
  if (j.contains("name_en")) {
    if (!j["name_en"].is_string()) return Status::Invalid("invalid_field", "name_en must be a string", "name_en");
    i.name_en = j["name_en"].get<std::string>();
  }
  if (j.contains("vintage") && !j["vintage"].is_null()) {
    if (!j["vintage"].is_number_integer() || j["vintage"].get<std::int64_t>() < 1990 ||
        j["vintage"].get<std::int64_t>() > 2100) {
      return Status::Invalid("invalid_field", "vintage must be a year between 1990 and 2100", "vintage");
    }
    i.vintage = j["vintage"].get<std::int32_t>();
  }
  if (j.contains("region") && !j["region"].is_null()) {
    if (!j["region"].is_string()) return Status::Invalid("invalid_field", "region must be a string", "region");
    i.region = j["region"].get<std::string>();
  }
  for (const char* key : {"valid_from", "valid_to"}) {
    if (j.contains(key) && !j[key].is_null() && !j[key].is_string()) {
      return Status::Invalid("invalid_field", std::string(key) + " must be a date YYYY-MM-DD or null", key);
    }
  }
  GL_RETURN_IF_ERROR(DateField(j, "valid_from", &i.valid_from_days));
  GL_RETURN_IF_ERROR(DateField(j, "valid_to", &i.valid_to_days));
  if (j.contains("attributes")) {
    if (!j["attributes"].is_object()) return Status::Invalid("invalid_field", "attributes must be an object", "attributes");
    i.attributes_json = j["attributes"].dump();
  }
  *out = std::move(i);
  return Status::OK();
}

const std::set<std::string>& RegionCodes() {
  static const std::set<std::string> codes = [] {
    std::set<std::string> out;
    json regions;
    if (ParseEmbedded("data/regions.json", &regions).ok()) {
      for (const json& r : regions["items"]) out.insert(r.value("code", ""));
    }
    return out;
  }();
  return codes;
}

}  // namespace

bool IsKnownRegionCode(const std::string& code) { return RegionCodes().count(code) > 0; }

Status InstrumentFromJsonText(const std::string& json_text, Instrument* out) {
  json j = json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::Invalid("malformed_json", "the body must be a JSON object");
  try {
    return InstrumentFromJson(j, out);
  } catch (const json::exception& e) {
    return Status::Invalid("invalid_field", std::string("a field has the wrong type: ") + e.what());
  }
}

Status LoadReferenceData(ReferenceData* out) {
  try {
    json families, instruments, regions;
    GL_RETURN_IF_ERROR(ParseEmbedded("data/instrument-families.json", &families));
    GL_RETURN_IF_ERROR(ParseEmbedded("data/instruments.json", &instruments));
    GL_RETURN_IF_ERROR(ParseEmbedded("data/regions.json", &regions));
    for (const json& f : families["items"]) {
      InstrumentFamily family{f.at("code"), f.at("name_zh"), f.at("name_en"), f.at("unit"), f.at("scale"),
                              f.value("attributes", std::vector<std::string>{}), f.at("source")};
      out->families.push_back(std::move(family));
    }
    for (const json& j : instruments["items"]) {
      Instrument instrument;
      Status st = InstrumentFromJson(j, &instrument);
      if (!st.ok()) return Status::Corruption("data/instruments.json: " + st.ToString());
      out->instruments.push_back(std::move(instrument));
    }
    for (const json& r : regions["items"]) {
      Organization region;
      region.kind = OrgKind::kRegion;
      region.name_zh = r.at("name_zh");
      region.name_en = r.at("name_en");
      region.region = r.at("code").get<std::string>();
      out->regions.push_back(std::move(region));
    }
  } catch (const json::exception& e) {
    return Status::Corruption(std::string("reference data is malformed: ") + e.what());
  }
  return Status::OK();
}

Status LoadDemoData(RegistryService& service, DemoSummary* summary) {
  json orgs, accounts, users, movements;
  GL_RETURN_IF_ERROR(ParseEmbedded("data/demo/organizations.json", &orgs));
  GL_RETURN_IF_ERROR(ParseEmbedded("data/demo/accounts.json", &accounts));
  GL_RETURN_IF_ERROR(ParseEmbedded("data/demo/users.json", &users));
  GL_RETURN_IF_ERROR(ParseEmbedded("data/demo/movements.json", &movements));
  User probe;
  if (service.store().GetUserByName("regulator", &probe).ok()) {
    return Status::Conflict("duplicate", "the demo data is loaded already (user 'regulator' exists)");
  }
  // Password hashing is slow by design; do it before taking the writer.
  std::map<std::string, std::string> password_hashes;
  for (const json& u : users["items"]) {
    auto hash = HashPassword(u.at("password").get<std::string>());
    if (!hash) return Status::Unavailable("out of memory hashing a password");
    password_hashes[u.at("name")] = *hash;
  }
  Status result;
  Reply reply = service.Execute([&](WriteContext& ctx) -> Reply {
    try {
      Principal system = SystemPrincipal();
      std::map<std::string, OrgId> org_ids;
      std::vector<Organization> regions;
      Status st = ctx.store().ListOrganizations(OrganizationFilter{OrgKind::kRegion, std::nullopt}, &regions);
      if (!st.ok()) return ErrorReply(st);
      for (const Organization& r : regions) org_ids["region-" + r.region.value_or("")] = r.id;
      for (const json& o : orgs["items"]) {
        Organization org;
        auto kind = ParseOrgKind(o.at("kind").get<std::string>());
        if (!kind) return ErrorReply(Status::Corruption("demo organization kind " + o.at("kind").dump()));
        org.kind = *kind;
        org.name_zh = o.at("name_zh");
        org.name_en = o.value("name_en", "");
        org.uscc = OptString(o, "uscc");
        org.region = OptString(o, "region");
        org.industry = OptString(o, "industry");
        st = CreateOrganization(ctx, system, org, &org);
        if (!st.ok()) return ErrorReply(st);
        org_ids[o.at("ref")] = org.id;
        summary->organizations++;
      }
      std::map<std::string, AccountId> account_ids;
      for (const json& a : accounts["items"]) {
        auto kind = ParseAccountKind(a.at("kind").get<std::string>());
        auto org = org_ids.find(a.at("org_ref"));
        if (!kind || org == org_ids.end()) return ErrorReply(Status::Corruption("demo account " + a.dump()));
        Account account;
        st = CreateAccount(ctx, system, org->second, *kind, a.at("name"), &account);
        if (!st.ok()) return ErrorReply(st);
        account_ids[a.at("ref")] = account.id;
        summary->accounts++;
      }
      for (const json& u : users["items"]) {
        auto role = ParseRole(u.at("role").get<std::string>());
        std::optional<OrgId> org_id;
        if (auto ref = OptString(u, "org_ref")) {
          auto it = org_ids.find(*ref);
          if (it == org_ids.end()) return ErrorReply(Status::Corruption("demo user org " + *ref));
          org_id = it->second;
        }
        if (!role) return ErrorReply(Status::Corruption("demo user role " + u.dump()));
        User user;
        st = CreateUser(ctx, u.at("name"), u.value("display_name", ""), *role, org_id,
                        password_hashes[u.at("name")], &user);
        if (!st.ok()) return ErrorReply(st);
        summary->logins.emplace_back(u.at("name"), u.at("password"));
        summary->users++;
      }
      const time_us now = ctx.now();
      const std::int64_t today = now / kMicrosPerDay;
      for (const json& m : movements["items"]) {
        auto kind = ParseEntryKind(m.at("kind").get<std::string>());
        if (!kind) return ErrorReply(Status::Corruption("demo movement kind " + m.dump()));
        Movement movement;
        movement.kind = *kind;
        movement.instrument = m.at("instrument");
        movement.quantity = m.at("quantity");
        movement.memo = m.value("memo", "");
        auto ref = [&](const char* key) -> AccountId {
          auto name = OptString(m, key);
          if (!name) return 0;
          auto it = account_ids.find(*name);
          return it == account_ids.end() ? -1 : it->second;
        };
        movement.to_account = ref("to_account_ref");
        movement.from_account = *kind == EntryKind::kTransfer ? ref("from_account_ref") : ref("account_ref");
        // Rights whose validity has already ended are loaded as of a month before the end, so
        // that the demo can show their expiry.
        const Instrument* instrument = ctx.ledger().FindInstrument(movement.instrument);
        if (instrument && instrument->valid_to_days && *instrument->valid_to_days < today) {
          ctx.Backdate((*instrument->valid_to_days - 30) * kMicrosPerDay);
        }
        Entry entry;
        st = ApplyMovement(ctx, system, movement, &entry);
        ctx.RestoreNow(now);
        if (!st.ok()) return ErrorReply(Status::Corruption("demo movement " + m.dump() + ": " + st.ToString()));
        summary->movements++;
      }
    } catch (const json::exception& e) {
      return ErrorReply(Status::Corruption(std::string("demo data is malformed: ") + e.what()));
    }
    return Reply{201, ""};
  });
  if (reply.http_status != 201) return Status::Corruption("loading demo data failed: " + reply.body);
  return LoadDemoMrv(service, summary);
}

namespace {

// Replays one MRV step as a job; the demo's figures must pass every check, so a refusal means
// the demo data are wrong.
template <typename Step>
Status DemoStep(RegistryService& service, const std::string& what, Step step) {
  Reply reply = service.ExecuteExclusive([&](WriteContext& ctx) -> Reply {
    Status st = step(ctx);
    return st.ok() ? Reply{200, ""} : ErrorReply(st);
  });
  if (reply.http_status != 200) return Status::Corruption("demo MRV step '" + what + "' failed: " + reply.body);
  return Status::OK();
}

Principal DemoPrincipal(Store& store, Role role, OrgId org_id) {
  Principal p;
  p.user.role = role;
  p.user.org_id = org_id;
  p.user.name = "demo-loader";
  Organization org;
  if (store.GetOrganization(org_id, &org).ok()) p.org = org;
  return p;
}

}  // namespace

Status LoadDemoMrv(RegistryService& service, DemoSummary* summary) {
  json doc;
  GL_RETURN_IF_ERROR(ParseEmbedded("data/demo/mrv.json", &doc));
  Store& store = service.store();
  std::map<std::string, OrgId> orgs;
  std::vector<Organization> all;
  GL_RETURN_IF_ERROR(store.ListOrganizations(OrganizationFilter{}, &all));
  for (const Organization& o : all) {
    if (o.uscc) orgs[*o.uscc] = o.id;
  }
  // The demo files name organizations by ref; refs map to USCCs in organizations.json.
  json org_file;
  GL_RETURN_IF_ERROR(ParseEmbedded("data/demo/organizations.json", &org_file));
  std::map<std::string, OrgId> by_ref;
  for (const json& o : org_file["items"]) {
    for (const Organization& org : all) {
      if (org.name_zh == o.at("name_zh").get<std::string>()) by_ref[o.at("ref")] = org.id;
    }
  }
  User regulator_user;
  GL_RETURN_IF_ERROR(store.GetUserByName("regulator", &regulator_user));
  Principal regulator;
  regulator.user = regulator_user;
  try {
    for (const json& c : doc.at("conflicts")) {
      mrv::VerifierConflict conflict{by_ref.at(c.at("verifier_ref")), by_ref.at(c.at("enterprise_ref")), c.at("reason"), 0};
      GL_RETURN_IF_ERROR(DemoStep(service, "conflict", [&](WriteContext& ctx) { return RecordConflict(ctx, regulator, conflict); }));
    }
    std::vector<std::int64_t> facility_ids;
    std::vector<OrgId> facility_orgs;
    for (const json& f : doc.at("items")) {
      const OrgId org_id = by_ref.at(f.at("org_ref"));
      const Principal owner = DemoPrincipal(store, Role::kEnterprise, org_id);
      mrv::Facility facility;
      facility.org_id = org_id;
      facility.name = f.at("name");
      facility.sector = *mrv::ParseSector(f.value("sector", "power"));
      std::vector<mrv::GeneratingUnit> units;
      calc::Json units_json = calc::Json::parse(f.value("units", json::array()).dump());
      for (const auto& u : units_json) {
        mrv::GeneratingUnit unit;
        GL_RETURN_IF_ERROR(calc::ReadGeneratingUnit(calc::JsonInput(u, "units[]"), &unit));
        units.push_back(unit);
      }
      const calc::Json profile = calc::Json::parse(f.value("profile", json(nullptr)).dump());
      mrv::Facility created;
      GL_RETURN_IF_ERROR(DemoStep(service, "facility", [&](WriteContext& ctx) {
        return CreateFacility(ctx, owner, facility, units, profile, &created);
      }));
      facility_ids.push_back(created.id);
      facility_orgs.push_back(org_id);
      summary->facilities++;
      if (calc::IsIndustrySector(facility.sector)) {
        // Industrial facilities: one document per month (calc/industry_facility.h).
        for (const auto& [year_text, months] : f.at("data").items()) {
          SectorDataWrite write{{}, "form"};
          for (const auto& m : months) write.months.push_back(calc::Json::parse(m.dump()));
          std::vector<mrv::StoredSectorMonth> stored;
          GL_RETURN_IF_ERROR(DemoStep(service, "data " + year_text, [&](WriteContext& ctx) {
            return PutSectorMonths(ctx, owner, created.id, std::stoi(year_text), write, &stored);
          }));
          summary->unit_months += static_cast<int>(stored.size());
        }
        continue;
      }
      for (const auto& [year_text, months] : f.at("data").items()) {
        MonthlyDataWrite write;
        write.channel = "form";
        calc::Json months_json = calc::Json::parse(months.dump());
        for (const auto& m : months_json) {
          mrv::UnitMonth month;
          GL_RETURN_IF_ERROR(calc::ReadUnitMonth(calc::JsonInput(m, "months[]"), &month));
          write.months.push_back(month);
          write.bodies_json.push_back(m.dump());
        }
        const int year = std::stoi(year_text);
        std::vector<mrv::StoredUnitMonth> stored;
        GL_RETURN_IF_ERROR(DemoStep(service, "data " + year_text, [&](WriteContext& ctx) {
          return PutMonthlyData(ctx, owner, created.id, year, write, &stored);
        }));
        summary->unit_months += static_cast<int>(stored.size());
      }
    }
    const json& finding = doc.at("finding");
    for (const json& w : doc.at("workflow")) {
      const size_t index = w.at("facility").get<size_t>();
      const std::int64_t facility_id = facility_ids.at(index);
      const int year = w.at("year");
      const Principal owner = DemoPrincipal(store, Role::kEnterprise, facility_orgs.at(index));
      Principal verifier;
      std::int64_t finding_id = 0;
      for (const json& step_json : w.at("steps")) {
        const std::string step = step_json;
        if (step == "submit") {
          mrv::Report report;
          mrv::Case c;
          GL_RETURN_IF_ERROR(DemoStep(service, step, [&](WriteContext& ctx) { return SubmitReport(ctx, owner, facility_id, year, &report, &c); }));
          summary->reports++;
        } else if (step.rfind("assign:", 0) == 0) {
          const OrgId verifier_org = by_ref.at(step.substr(7));
          verifier = DemoPrincipal(store, Role::kVerifier, verifier_org);
          mrv::Case c;
          GL_RETURN_IF_ERROR(DemoStep(service, step, [&](WriteContext& ctx) {
            return AssignVerifier(ctx, regulator, facility_id, year, verifier_org, &c);
          }));
        } else if (step == "finding") {
          std::vector<mrv::StoredUnitMonth> months;
          GL_RETURN_IF_ERROR(store.ListUnitMonths(facility_id, year, &months));
          mrv::Adjustment a;
          a.unit_id = finding.at("unit_id");
          a.month = finding.at("month");
          a.fuel = finding.at("fuel");
          a.field = finding.at("field");
          for (const mrv::StoredUnitMonth& m : months) {
            if (m.data.unit_id != a.unit_id || m.data.month != a.month) continue;
            for (const mrv::FuelUse& fuel : m.data.fuels) {
              if (fuel.fuel == a.fuel && fuel.ncv) a.value = *fuel.ncv + *Decimal::Parse(finding.at("delta"));
            }
          }
          mrv::Finding f;
          GL_RETURN_IF_ERROR(DemoStep(service, step, [&](WriteContext& ctx) {
            return RaiseFinding(ctx, verifier, facility_id, year, finding.at("description"), a, &f);
          }));
          finding_id = f.id;
        } else if (step == "respond") {
          mrv::Finding f;
          GL_RETURN_IF_ERROR(DemoStep(service, step, [&](WriteContext& ctx) {
            return RespondToFinding(ctx, owner, facility_id, year, finding_id, finding.at("response"), &f);
          }));
        } else if (step == "conclude") {
          mrv::Case c;
          mrv::Report verified;
          GL_RETURN_IF_ERROR(DemoStep(service, step, [&](WriteContext& ctx) {
            return ConcludeVerification(ctx, verifier, facility_id, year, "核查结论：排放报告数据真实、完整、准确（虚构示范数据）", &c,
                                        &verified);
          }));
        } else if (step == "confirm") {
          mrv::Case c;
          GL_RETURN_IF_ERROR(DemoStep(service, step, [&](WriteContext& ctx) { return ConfirmVerification(ctx, regulator, facility_id, year, &c); }));
        } else {
          return Status::Corruption("unknown demo MRV step '" + step + "'");
        }
      }
    }
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("data/demo/mrv.json is malformed: ") + e.what());
  }
  return Status::OK();
}

}  // namespace greenloop
