#include "calc/market_rules.h"

#include <nlohmann/json.hpp>
#include <vector>

#include "core/assert.h"
#include "core/embedded.h"

namespace greenloop::calc {
namespace {

using json = nlohmann::json;

Decimal Percent(const json& value) {
  std::optional<Decimal> d = Decimal::Parse(value.get<std::string>());
  GL_ASSERT(d.has_value());
  return *d;
}

int Minutes(const std::string& hh_mm) {
  GL_ASSERT(hh_mm.size() == 5 && hh_mm[2] == ':');
  return std::stoi(hh_mm.substr(0, 2)) * 60 + std::stoi(hh_mm.substr(3, 2));
}

std::vector<FamilyTradingRules> Load() {
  const std::string* text = FindEmbeddedData("data/market/trading-rules.json");
  GL_ASSERT(text != nullptr);
  const json doc = json::parse(*text, nullptr, false);
  GL_ASSERT(!doc.is_discarded() && doc.contains("items"));
  std::vector<FamilyTradingRules> out;
  for (const json& row : doc["items"]) {
    FamilyTradingRules r;
    r.family = row.at("family").get<std::string>();
    r.tick_fen = row.at("tick_fen").get<std::int64_t>();
    r.lot = row.at("lot_t").get<quantity_t>();
    r.listing_max_quantity = row.at("listing").at("max_quantity_t").get<quantity_t>();
    r.listing_band_percent = Percent(row.at("listing").at("band_percent"));
    r.block_min_quantity = row.at("block").at("min_quantity_t").get<quantity_t>();
    r.block_band_percent = Percent(row.at("block").at("band_percent"));
    for (const json& s : row.at("sessions")) {
      r.sessions.push_back({Minutes(s.at("start").get<std::string>()), Minutes(s.at("end").get<std::string>()),
                            s.at("listing").get<bool>(), s.at("block").get<bool>()});
      GL_ASSERT(r.sessions.back().start_minute < r.sessions.back().end_minute);
    }
    for (const json& d : row.at("weekdays")) r.weekdays.push_back(d.get<int>());
    r.timezone_offset_minutes = row.at("timezone_offset_minutes").get<int>();
    for (const json& h : row.at("holidays")) r.holidays.push_back(h.get<std::string>());
    const std::string delivery = row.at("delivery").get<std::string>();
    GL_ASSERT(delivery == "T+0" || delivery == "T+1");
    r.delivery_days = delivery == "T+0" ? 0 : 1;
    GL_ASSERT(r.tick_fen > 0 && r.lot > 0 && r.listing_max_quantity < r.block_min_quantity);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

Result<FamilyTradingRules> TradingRulesFor(const std::string& family) {
  static const std::vector<FamilyTradingRules> all = Load();
  std::string known;
  for (const FamilyTradingRules& r : all) {
    if (r.family == family) return r;
    known += (known.empty() ? "" : ", ") + r.family;
  }
  return Status::NotFound("no trading rules for the " + family + " family (there are rules for " + known + ")", "family");
}

}  // namespace greenloop::calc
