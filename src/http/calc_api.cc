// The calculators of `greenloop calc` over the API (docs/api.md, "Calculators"): the same JSON in
// and out as the command line, for any signed-in user. A calculator reads only its input and the
// embedded rules and changes nothing, so running one is not a job and needs no Idempotency-Key.
#include "calc/calculator.h"
#include "http/api.h"

namespace greenloop {

void Api::RegisterCalcRoutes() {
  const std::string v1 = "/api/v1";
  Add("GET", v1 + "/calc", "The calculators (计算器): name, titles, what each computes",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        if (!st.ok()) return ErrorResponse(st);
        calc::Json items = calc::Json::array();
        for (const calc::Calculator& c : calc::Calculators()) {
          items.push_back({{"name", c.name},
                           {"title_zh", c.title_zh},
                           {"title_en", c.title_en},
                           {"description", c.description},
                           {"example_file", c.example_file}});
        }
        return HttpResponse{200, calc::Json{{"items", items}}.dump()};
      });
  Add("POST", v1 + "/calc/{name}",
      "Run a calculator on a JSON input, as `greenloop calc NAME --input FILE` does; changes nothing",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        if (!st.ok()) return ErrorResponse(st);
        const calc::Calculator* calculator = calc::FindCalculator(p[0]);
        if (calculator == nullptr) {
          return ErrorResponse(Status::NotFound("no calculator '" + p[0] + "'; GET /api/v1/calc lists them", "name"));
        }
        calc::Json input = calc::Json::parse(r.body, nullptr, false);
        if (input.is_discarded()) return ErrorResponse(Status::Invalid("invalid_json", "the body is not valid JSON"));
        if (!input.is_object()) return ErrorResponse(Status::Invalid("invalid_json", "the body must be a JSON object"));
        Result<calc::Json> result = calculator->run(input);
        if (!result.ok()) return ErrorResponse(result.status());
        return HttpResponse{200, result.value().dump()};
      });
}

}  // namespace greenloop
