// The `carry-over` calculator: how many 2019–2024 allowances an entity may bank into 2025
// (allocation/carry_over.h), with the rule from data/carbon/carry-over.json.
#include <nlohmann/json.hpp>

#include "allocation/carry_over.h"
#include "calc/calculator.h"
#include "calc/json_input.h"
#include "core/assert.h"
#include "core/embedded.h"

namespace greenloop::calc {
namespace {

allocation::CarryOverRule LoadRule() {
  const std::string* text = FindEmbeddedData("data/carbon/carry-over.json");
  GL_ASSERT(text != nullptr);
  const nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
  GL_ASSERT(!doc.is_discarded() && doc.contains("items") && !doc["items"].empty());
  const nlohmann::json& row = doc["items"][0];
  allocation::CarryOverRule rule;
  rule.plan = row.at("plan").get<std::string>();
  rule.base_t = row.at("base_t").get<quantity_t>();
  std::optional<Decimal> ratio = Decimal::Parse(row.at("net_sales_ratio").get<std::string>());
  GL_ASSERT(ratio.has_value());
  rule.net_sales_ratio = *ratio;
  rule.into_vintage = row.at("into_vintage").get<int>();
  rule.tag = row.at("tag").get<std::string>();
  rule.source = row.at("source").get<std::string>();
  return rule;
}

Status WholeTonnes(const JsonInput& in, const std::string& name, bool required, quantity_t* out) {
  std::optional<Decimal> value;
  GL_RETURN_IF_ERROR(in.OptionalDecimal(name, &value));
  if (!value) {
    if (required) return Status::Invalid("missing_field", name + " is required", name);
    *out = 0;
    return Status::OK();
  }
  if (value->micros() % Decimal::kOne != 0) return Status::Invalid("invalid_quantity", "allowances are whole tonnes", name);
  *out = value->micros() / Decimal::kOne;
  return Status::OK();
}

Result<Json> RunCarryOver(const Json& input) {
  static const allocation::CarryOverRule rule = LoadRule();
  JsonInput in(input, "");
  GL_RETURN_IF_ERROR(in.ExpectObject({"holding_t", "pending_deductions_t", "sold_t", "bought_t", "complied_on_time"}));
  allocation::CarryOverInput c;
  GL_RETURN_IF_ERROR(WholeTonnes(in, "holding_t", true, &c.holding_t));
  GL_RETURN_IF_ERROR(WholeTonnes(in, "pending_deductions_t", false, &c.pending_deductions_t));
  GL_RETURN_IF_ERROR(WholeTonnes(in, "sold_t", true, &c.sold_t));
  GL_RETURN_IF_ERROR(WholeTonnes(in, "bought_t", true, &c.bought_t));
  GL_RETURN_IF_ERROR(in.OptionalBool("complied_on_time", &c.complied_on_time));
  Result<allocation::CarryOverResult> r = allocation::ComputeCarryOver(c, rule);
  if (!r.ok()) return r.status();
  return Json{{"calculator", "carry-over"},
              {"plan", rule.plan},
              {"rule", "T = " + std::to_string(rule.base_t) + " + max(0, sold − bought) × " + rule.net_sales_ratio.ToShortString() +
                           ", capped by the holding less pending deductions, rounded down"},
              {"net_sales_t", r.value().net_sales_t},
              {"formula_t", r.value().formula_t},
              {"cap_t", r.value().cap_t},
              {"carry_over_t", r.value().carry_over_t},
              {"into_vintage", rule.into_vintage},
              {"tag", rule.tag},
              {"source", rule.source}};
}

}  // namespace

Calculator CarryOverCalculator() {
  return {"carry-over", "配额结转", "Allowance carry-over (banking)",
          "How many 2019–2024 allowances an entity may carry into 2025 under the 2023–2024 plan (附5): 10,000 t + 1.5 × "
          "net sales, capped by the holding, for entities that complied on time.",
          "docs/calc/carry-over.json", RunCarryOver};
}

}  // namespace greenloop::calc
