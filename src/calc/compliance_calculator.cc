// The `compliance` calculator: obligation, what may be surrendered, standing and penalty range
// of one enterprise-year (compliance/compliance.h).
#include "calc/calculator.h"
#include "calc/carbon_rules.h"
#include "calc/json_input.h"
#include "compliance/compliance.h"

namespace greenloop::calc {
namespace {

// "CEA-2024" → CEA, 2024; "CCER-…" → CCER.
void ParseInstrument(const std::string& code, compliance::SurrenderRequest* out) {
  const size_t dash = code.find('-');
  out->family = code.substr(0, dash);
  if (out->family == "CEA" && dash != std::string::npos) {
    const std::string year = code.substr(dash + 1);
    if (year.size() == 4 && year.find_first_not_of("0123456789") == std::string::npos) out->vintage = std::stoi(year);
  }
}

Result<Json> RunCompliance(const Json& input) {
  JsonInput top(input, "");
  GL_RETURN_IF_ERROR(top.ExpectObject({"year", "verified_emissions_t", "surrendered", "as_of", "average_price_yuan"}));
  int year = 0;
  GL_RETURN_IF_ERROR(top.RequiredInt("year", 2013, 2100, &year));
  Result<compliance::ComplianceRules> rules = ComplianceRulesFor(year);
  if (!rules.ok()) return rules.status();
  const compliance::ComplianceRules& r = rules.value();
  Decimal verified;
  GL_RETURN_IF_ERROR(top.RequiredDecimal("verified_emissions_t", &verified));
  if (verified.is_negative()) {
    return Status::Invalid("out_of_range", "verified emissions cannot be negative", "verified_emissions_t");
  }
  std::string as_of;
  GL_RETURN_IF_ERROR(top.RequiredString("as_of", &as_of));
  if (as_of.size() != 10 || as_of[4] != '-' || as_of[7] != '-') {
    return Status::Invalid("invalid_field", "as_of is a date YYYY-MM-DD", "as_of");
  }
  std::optional<Decimal> price;
  GL_RETURN_IF_ERROR(top.OptionalDecimal("average_price_yuan", &price));
  const quantity_t obligation = compliance::ObligationTonnes(verified);
  compliance::Surrendered done;
  Json items = Json::array();
  std::vector<JsonInput> surrendered;
  GL_RETURN_IF_ERROR(top.Array("surrendered", false, &surrendered));
  for (const JsonInput& s : surrendered) {
    GL_RETURN_IF_ERROR(s.ExpectObject({"instrument", "quantity", "project_in_ets"}));
    std::string instrument;
    GL_RETURN_IF_ERROR(s.RequiredString("instrument", &instrument));
    Decimal quantity;
    GL_RETURN_IF_ERROR(s.RequiredDecimal("quantity", &quantity));
    if (quantity.micros() % Decimal::kOne != 0) {
      return Status::Invalid("invalid_quantity", "allowances are whole tonnes", s.PathOf("quantity"));
    }
    compliance::SurrenderRequest request;
    ParseInstrument(instrument, &request);
    request.quantity = quantity.micros() / Decimal::kOne;
    GL_RETURN_IF_ERROR(s.OptionalBool("project_in_ets", &request.project_in_ets));
    Status check = compliance::CheckSurrender(obligation, done, request, r);
    if (!check.ok()) {
      return Status::Invalid(check.code(), check.message(), s.PathOf(check.field()));
    }
    (request.family == "CEA" ? done.cea_t : done.ccer_t) += request.quantity;
    items.push_back({{"instrument", instrument}, {"quantity", request.quantity}, {"accepted", true}});
  }
  const compliance::Standing standing = compliance::StandingOf(obligation, done, r, as_of);
  const quantity_t shortfall = std::max<quantity_t>(0, obligation - done.total());
  std::optional<std::int64_t> price_fen;
  if (price) price_fen = Exact::Of(*price).Round(2, Rounding::kHalfUp)->micros() / 10'000;
  Json out;
  out["calculator"] = "compliance";
  out["year"] = year;
  out["deadline"] = r.deadline;
  out["obligation_t"] = obligation;
  out["obligation_rule"] = "verified emissions in scope rounded half up to whole tonnes (1 allowance = 1 tCO2)";
  out["eligible_cea_vintages"] = r.cea_vintages;
  out["ccer_cap_t"] = compliance::CcerCapTonnes(obligation, r);
  out["surrendered"] = {{"cea_t", done.cea_t}, {"ccer_t", done.ccer_t}, {"items", items}};
  out["outstanding_t"] = shortfall;
  out["standing"] = compliance::StandingName(standing);
  if (shortfall > 0) {
    Result<compliance::PenaltyRange> penalty = compliance::PenaltyFor(shortfall, r, price_fen);
    if (penalty.ok()) {
      out["penalty_if_unsettled"] = {{"min_yuan", ToJsonNumber(Decimal::FromMicros(penalty.value().min_fen * 10'000))},
                                     {"max_yuan", ToJsonNumber(Decimal::FromMicros(penalty.value().max_fen * 10'000))},
                                     {"next_year_deduction_t", penalty.value().deduction_t},
                                     {"basis", penalty.value().basis},
                                     {"source", r.penalty.source}};
    } else {
      out["penalty_if_unsettled"] = {{"error", penalty.status().message()}};
    }
  }
  Json notes = Json::array();
  if (r.vintage_tag != "P") notes.push_back("eligible vintages for " + std::to_string(year) + " are [" + r.vintage_tag + "]");
  if (r.deduction_tag == "U") notes.push_back("whether a shortfall is deducted next year is unconfirmed [U]");
  out["notes"] = notes;
  return out;
}

}  // namespace

Calculator ComplianceCalculator() {
  return {"compliance", "清缴履约核算", "Compliance (surrender) check",
          "Obligation from verified emissions, which CEA vintages and how much CCER may settle it, the standing at a date "
          "and the penalty range for a shortfall under the rules of the year (data/carbon/compliance-rules.json).",
          "docs/calc/compliance.json", RunCompliance};
}

}  // namespace greenloop::calc
