#include "calc/industry_facility.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "calc/json_input.h"
#include "core/assert.h"

namespace greenloop::calc {
namespace {

// Where a path of the assembled calculator input came from in the month documents.
struct PathOrigin {
  std::string assembled;  // "months[4]", "power_units[0].months[2]"
  std::string original;   // "months[1].lines[0]", "months[2].power_units[0]"
};

bool StartsWithPath(const std::string& path, const std::string& prefix) {
  if (path.compare(0, prefix.size(), prefix) != 0) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '.' || path[prefix.size()] == '[';
}

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// The calculator's error told in the documents' terms (the longest matching origin wins).
Status MapError(const Status& status, const std::vector<PathOrigin>& origins, const std::string& fallback_prefix) {
  const PathOrigin* best = nullptr;
  for (const PathOrigin& o : origins) {
    if (StartsWithPath(status.field(), o.assembled) && (!best || o.assembled.size() > best->assembled.size())) best = &o;
  }
  if (best) {
    const std::string field = best->original + status.field().substr(best->assembled.size());
    return status.Restated(ReplaceAll(status.message(), best->assembled, best->original), field);
  }
  if (fallback_prefix.empty() || status.field().empty()) return status;
  return status.Restated(status.message(), fallback_prefix + status.field());
}

std::string Indexed(const std::string& name, size_t index) { return name + "[" + std::to_string(index) + "]"; }

Status RequireMonth(const Json& doc, size_t index, int* month) {
  const std::string path = Indexed("months", index);
  if (!doc.is_object()) return Status::Invalid("invalid_field", path + " must be an object", path);
  return JsonInput(doc, path).RequiredInt("month", 1, 12, month);
}

// Members of an object whose key is not `skip`.
Json Without(const Json& object, const char* skip) {
  Json out = Json::object();
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (it.key() != skip) out[it.key()] = it.value();
  }
  return out;
}

const Json* Member(const Json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

Status ProfileShape(mrv::Sector sector, const Json& profile) {
  if (profile.is_null()) {
    if (sector == mrv::Sector::kCement) {
      return Status::Invalid("missing_field", "a cement facility lists its clinker lines: profile.lines", "profile.lines");
    }
    return Status::OK();
  }
  JsonInput in(profile, "profile");
  std::vector<JsonInput> items;
  switch (sector) {
    case mrv::Sector::kCement:
      GL_RETURN_IF_ERROR(in.ExpectObject({"lines"}));
      GL_RETURN_IF_ERROR(in.Array("lines", true, &items));
      if (items.empty()) return Status::Invalid("missing_field", "list the facility's clinker lines", "profile.lines");
      return Status::OK();
    case mrv::Sector::kSteel:
      GL_RETURN_IF_ERROR(in.ExpectObject({"power_units"}));
      GL_RETURN_IF_ERROR(in.Array("power_units", false, &items));
      for (const JsonInput& item : items) {
        GL_RETURN_IF_ERROR(item.ExpectObject({"id", "name"}));
        std::string id;
        GL_RETURN_IF_ERROR(item.RequiredString("id", &id));
        if (id.empty()) return Status::Invalid("missing_field", "name the captive power unit", item.PathOf("id"));
      }
      return Status::OK();
    case mrv::Sector::kAluminium: return in.ExpectObject({"parameters"});
    case mrv::Sector::kPower: break;
  }
  return Status::Invalid("not_supported", "power facilities have generating units, not a profile", "profile");
}

// Steel: the documents' months, and the captive power units' months gathered per unit.
Result<Json> AssembleSteel(const Json& profile, const std::vector<Json>& months, Json input,
                           std::vector<PathOrigin>* origins) {
  Json units = Json::array();
  std::map<std::string, size_t> unit_index;
  if (const Json* listed = Member(profile, "power_units")) {
    for (const Json& u : *listed) {
      const std::string id = u.is_object() && u.contains("id") && u["id"].is_string() ? u["id"].get<std::string>() : "";
      if (!id.empty()) unit_index.emplace(id, units.size());
      units.push_back(Json{{"id", u.is_object() ? u.value("id", Json(nullptr)) : Json(nullptr)},
                           {"name", u.is_object() ? u.value("name", Json("")) : Json("")},
                           {"months", Json::array()}});
    }
  }
  Json assembled = Json::array();
  for (size_t i = 0; i < months.size(); ++i) {
    const std::string path = Indexed("months", i);
    int month = 0;
    GL_RETURN_IF_ERROR(RequireMonth(months[i], i, &month));
    origins->push_back({Indexed("months", assembled.size()), path});
    assembled.push_back(Without(months[i], "power_units"));
    const Json* unit_months = Member(months[i], "power_units");
    if (!unit_months) continue;
    if (!unit_months->is_array()) return Status::Invalid("invalid_field", path + ".power_units must be an array", path + ".power_units");
    for (size_t j = 0; j < unit_months->size(); ++j) {
      const Json& entry = (*unit_months)[j];
      const std::string entry_path = path + "." + Indexed("power_units", j);
      if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_string()) {
        return Status::Invalid("missing_field", entry_path + ".id names one of the facility's captive power units",
                               entry_path + ".id");
      }
      auto unit = unit_index.find(entry["id"].get<std::string>());
      if (unit == unit_index.end()) {
        return Status::Invalid("not_found", "captive power unit '" + entry["id"].get<std::string>() +
                                                "' is not in the facility's profile", entry_path + ".id");
      }
      Json unit_month = Without(entry, "id");
      if (unit_month.contains("month")) {
        return Status::Invalid("invalid_field", "the month is the document's; leave it out here", entry_path + ".month");
      }
      unit_month["month"] = month;
      Json& target = units[unit->second]["months"];
      origins->push_back({Indexed("power_units", unit->second) + "." + Indexed("months", target.size()), entry_path});
      target.push_back(std::move(unit_month));
    }
  }
  input["months"] = std::move(assembled);
  input["power_units"] = std::move(units);
  return input;
}

// Cement: one calculator month per line and month.
Result<Json> AssembleCement(const Json& profile, const std::vector<Json>& months, Json input,
                            std::vector<PathOrigin>* origins) {
  input["lines"] = profile.is_object() && profile.contains("lines") ? profile["lines"] : Json::array();
  std::set<std::string> line_ids;
  for (const Json& line : input["lines"]) {
    if (line.is_object() && line.contains("id") && line["id"].is_string()) line_ids.insert(line["id"].get<std::string>());
  }
  Json assembled = Json::array();
  for (size_t i = 0; i < months.size(); ++i) {
    const std::string path = Indexed("months", i);
    int month = 0;
    GL_RETURN_IF_ERROR(RequireMonth(months[i], i, &month));
    GL_RETURN_IF_ERROR(JsonInput(months[i], path).ExpectObject({"month", "lines"}));
    const Json* lines = Member(months[i], "lines");
    if (!lines || !lines->is_array() || lines->empty()) {
      return Status::Invalid("missing_field", path + ".lines: report each clinker line's month", path + ".lines");
    }
    for (size_t j = 0; j < lines->size(); ++j) {
      const Json& entry = (*lines)[j];
      const std::string entry_path = path + "." + Indexed("lines", j);
      if (!entry.is_object()) return Status::Invalid("invalid_field", entry_path + " must be an object", entry_path);
      if (entry.contains("month")) {
        return Status::Invalid("invalid_field", "the month is the document's; leave it out here", entry_path + ".month");
      }
      Json line_month = entry;
      line_month["month"] = month;
      origins->push_back({Indexed("months", assembled.size()), entry_path});
      assembled.push_back(std::move(line_month));
    }
    // Every line every month, so that a forgotten line is not read as a line that stood still.
    for (const std::string& id : line_ids) {
      const bool reported = std::any_of(lines->begin(), lines->end(), [&](const Json& entry) {
        return entry.is_object() && entry.contains("line_id") && entry["line_id"] == id;
      });
      if (!reported) {
        return Status::Invalid("missing_field", path + ".lines: clinker line '" + id +
                                                    "' is missing; report clinker_t 0 for a line that did not run",
                               path + ".lines");
      }
    }
  }
  input["months"] = std::move(assembled);
  return input;
}

Result<Json> Assemble(mrv::Sector sector, const Json& profile, int year, const std::vector<Json>& months,
                      bool allow_partial_year, std::vector<PathOrigin>* origins) {
  Json input{{"data_year", year}, {"allow_partial_year", allow_partial_year}};
  switch (sector) {
    case mrv::Sector::kSteel: return AssembleSteel(profile, months, std::move(input), origins);
    case mrv::Sector::kCement: return AssembleCement(profile, months, std::move(input), origins);
    case mrv::Sector::kAluminium: {
      if (const Json* parameters = Member(profile, "parameters")) input["parameters"] = *parameters;
      Json assembled = Json::array();
      for (size_t i = 0; i < months.size(); ++i) {
        int month = 0;
        GL_RETURN_IF_ERROR(RequireMonth(months[i], i, &month));
        assembled.push_back(months[i]);
      }
      input["months"] = std::move(assembled);
      return input;
    }
    case mrv::Sector::kPower: break;
  }
  GL_ASSERT(false);
  return Status::Invalid("not_supported", "not an industrial sector", "sector");
}

// A month of nothing, to run a profile through the calculator's checks.
Json EmptyMonth(mrv::Sector sector, const Json& profile) {
  switch (sector) {
    case mrv::Sector::kSteel: {
      Json month{{"month", 1}, {"crude_steel_t", 0}};
      Json units = Json::array();
      if (const Json* listed = Member(profile, "power_units")) {
        for (const Json& u : *listed) {
          if (u.is_object() && u.contains("id") && u["id"].is_string()) {
            units.push_back(Json{{"id", u["id"]}, {"generation_mwh", 0}});
          }
        }
      }
      if (!units.empty()) month["power_units"] = units;
      return month;
    }
    case mrv::Sector::kCement: {
      Json lines = Json::array();
      if (const Json* listed = Member(profile, "lines")) {
        for (const Json& l : *listed) {
          if (l.is_object() && l.contains("id")) lines.push_back(Json{{"line_id", l["id"]}, {"clinker_t", 0}});
        }
      }
      return Json{{"month", 1}, {"lines", lines}};
    }
    case mrv::Sector::kAluminium: return Json{{"month", 1}, {"liquid_aluminium_t", 0}};
    case mrv::Sector::kPower: break;
  }
  return Json::object();
}

// "fuels[0].ncv" → {"fuels", 0, "ncv"}: names and indexes.
struct PathStep {
  std::string name;
  std::optional<size_t> index;
};

Status ParsePath(const std::string& path, std::vector<PathStep>* steps) {
  const Status bad = Status::Invalid("invalid_field", "path names a value as in \"fuels[0].consumption\"", "adjustment.path");
  size_t at = 0;
  while (at < path.size()) {
    size_t end = path.find_first_of(".[", at);
    if (end == std::string::npos) end = path.size();
    if (end == at) return bad;
    steps->push_back({path.substr(at, end - at), std::nullopt});
    at = end;
    while (at < path.size() && path[at] == '[') {
      const size_t close = path.find(']', at);
      if (close == std::string::npos || close == at + 1 || close - at > 5) return bad;
      size_t index = 0;
      for (size_t k = at + 1; k < close; ++k) {
        if (path[k] < '0' || path[k] > '9') return bad;
        index = index * 10 + static_cast<size_t>(path[k] - '0');
      }
      steps->push_back({"", index});
      at = close + 1;
    }
    if (at < path.size()) {
      if (path[at] != '.') return bad;
      ++at;
      if (at == path.size()) return bad;
    }
  }
  return steps->empty() ? bad : Status::OK();
}

}  // namespace

bool IsIndustrySector(mrv::Sector sector) { return sector != mrv::Sector::kPower; }

const char* IndustryCalculatorName(mrv::Sector sector) {
  switch (sector) {
    case mrv::Sector::kSteel: return "steel-emissions";
    case mrv::Sector::kAluminium: return "aluminium-emissions";
    case mrv::Sector::kCement: return "cement-emissions";
    case mrv::Sector::kPower: break;
  }
  return "power-emissions";
}

Status CheckIndustryProfile(mrv::Sector sector, const Json& profile) {
  GL_RETURN_IF_ERROR(ProfileShape(sector, profile));
  // The calculator checks the rest (unique ids, clinker types, parameter ranges) on a month of
  // nothing; its errors name the profile's fields.
  std::vector<PathOrigin> origins;
  Result<Json> input = Assemble(sector, profile, 2024, {EmptyMonth(sector, profile)}, true, &origins);
  if (!input.ok()) return input.status();
  const Calculator* calculator = FindCalculator(IndustryCalculatorName(sector));
  GL_ASSERT(calculator != nullptr);
  Result<Json> result = calculator->run(input.value());
  if (!result.ok()) return MapError(result.status(), {}, "profile.");
  return Status::OK();
}

Result<Json> RunIndustryYear(mrv::Sector sector, const Json& profile, int year, const std::vector<Json>& months,
                             bool allow_partial_year) {
  GL_ASSERT(IsIndustrySector(sector));
  std::set<int> seen;
  for (size_t i = 0; i < months.size(); ++i) {
    int month = 0;
    GL_RETURN_IF_ERROR(RequireMonth(months[i], i, &month));
    if (!seen.insert(month).second) {
      return Status::Invalid("duplicate", "month " + std::to_string(month) + " appears twice",
                             Indexed("months", i) + ".month");
    }
  }
  std::vector<PathOrigin> origins;
  Result<Json> input = Assemble(sector, profile, year, months, allow_partial_year, &origins);
  if (!input.ok()) return input.status();
  const Calculator* calculator = FindCalculator(IndustryCalculatorName(sector));
  GL_ASSERT(calculator != nullptr);
  Result<Json> result = calculator->run(input.value());
  if (!result.ok()) return MapError(result.status(), origins, "");
  return result;
}

Status ApplyIndustryAdjustment(const std::string& path, Decimal value, Json* month) {
  std::vector<PathStep> steps;
  GL_RETURN_IF_ERROR(ParsePath(path, &steps));
  if (steps.size() == 1 && steps.front().name == "month") {
    return Status::Invalid("invalid_field", "the month of a document is not a value to adjust; adjust a figure of it",
                           "adjustment.path");
  }
  if (steps.back().index) return Status::Invalid("invalid_field", "path must end with the name of a number", "adjustment.path");
  Json* at = month;
  for (size_t i = 0; i + 1 < steps.size(); ++i) {
    const PathStep& step = steps[i];
    Json* next = nullptr;
    if (step.index) {
      if (at->is_array() && *step.index < at->size()) next = &(*at)[*step.index];
    } else if (at->is_object() && at->contains(step.name)) {
      next = &(*at)[step.name];
    }
    if (!next) return Status::Invalid("not_found", path + " does not exist in the month's data", "adjustment.path");
    at = next;
  }
  if (!at->is_object()) return Status::Invalid("not_found", path + " does not exist in the month's data", "adjustment.path");
  const std::string& name = steps.back().name;
  if (at->contains(name) && !(*at)[name].is_number() && !(*at)[name].is_null()) {
    return Status::Invalid("invalid_field", path + " is not a number", "adjustment.path");
  }
  (*at)[name] = ToJsonNumber(value);
  return Status::OK();
}

}  // namespace greenloop::calc
