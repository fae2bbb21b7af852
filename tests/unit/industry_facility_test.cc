// Industrial facilities in the MRV workflow (calc/industry_facility.h): month documents assembled
// into the sector calculator's input give the same result as the documented calculator example
// (docs/calc/*-emissions.json), errors name the month document's field, adjustments apply by path.
#include <gtest/gtest.h>


#include "calc/industry_facility.h"

namespace greenloop::calc {
namespace {

Json Parse(const char* text) { return Json::parse(text); }

// A cement facility with two lines; months 3 and 4 as the workflow keeps them.
Json CementProfile() {
  return Parse(R"({"lines":[{"id":"L1","name":"4500 t/d","clinker_type":"portland"},
                            {"id":"L2","name":"1200 t/d","clinker_type":"sulfoaluminate"}]})");
}

Json CementMonth(int month, const char* l1_clinker) {
  Json doc = Parse(R"({"lines":[{"line_id":"L1","fuels":[{"fuel":"bituminous","consumption":20212,"ncv":22.615,
                                   "ncv_evidence":"YS-03-L1"}]},
                                 {"line_id":"L2","clinker_t":36580,"fuels":[{"fuel":"diesel","consumption":6.51}]}]})");
  doc["month"] = month;
  doc["lines"][0]["clinker_t"] = Json::parse(l1_clinker);
  return doc;
}

TEST(IndustryFacilityTest, CementMonthsGiveTheSameResultAsTheFlatCalculatorInput) {
  Result<Json> from_documents =
      RunIndustryYear(mrv::Sector::kCement, CementProfile(), 2024, {CementMonth(3, "144150"), CementMonth(4, "139500")}, true);
  ASSERT_TRUE(from_documents.ok()) << from_documents.status().ToString();
  // The same data in the calculator's own (flat) format.
  Json flat = {{"data_year", 2024}, {"allow_partial_year", true}, {"lines", CementProfile()["lines"]}, {"months", Json::array()}};
  for (const Json& doc : {CementMonth(3, "144150"), CementMonth(4, "139500")}) {
    for (Json line : doc["lines"]) {
      line["month"] = doc["month"];
      flat["months"].push_back(line);
    }
  }
  Result<Json> direct = FindCalculator("cement-emissions")->run(flat);
  ASSERT_TRUE(direct.ok()) << direct.status().ToString();
  EXPECT_EQ(from_documents.value()["total_t"], direct.value()["total_t"]);
  EXPECT_EQ(from_documents.value()["clinker_t"], direct.value()["clinker_t"]);
  EXPECT_GT(from_documents.value()["total_t"].get<double>(), 0);
}

TEST(IndustryFacilityTest, ErrorsNameTheMonthDocumentsField) {
  // kt instead of t on line L2 of the second document: the engine's error names that line.
  Json bad = CementMonth(4, "139500");
  bad["lines"][1]["fuels"][0]["consumption"] = -1;
  Result<Json> r = RunIndustryYear(mrv::Sector::kCement, CementProfile(), 2024, {CementMonth(3, "144150"), bad}, true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "months[1].lines[1].fuels[0].consumption") << r.status().ToString();
  // A line of the profile left out of a month.
  Json one_line = CementMonth(5, "1");
  one_line["lines"].erase(1);
  Result<Json> missing_line = RunIndustryYear(mrv::Sector::kCement, CementProfile(), 2024, {one_line}, true);
  ASSERT_FALSE(missing_line.ok());
  EXPECT_EQ(missing_line.status().field(), "months[0].lines");
  EXPECT_NE(missing_line.status().message().find("L2"), std::string::npos);
  // The same month twice.
  Result<Json> twice =
      RunIndustryYear(mrv::Sector::kCement, CementProfile(), 2024, {CementMonth(3, "1"), CementMonth(3, "2")}, true);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().field(), "months[1].month");
  // A line the profile does not have.
  Json unknown_line = CementMonth(5, "1");
  unknown_line["lines"].push_back(Parse(R"({"line_id":"L9","clinker_t":1})"));
  Result<Json> unknown = RunIndustryYear(mrv::Sector::kCement, CementProfile(), 2024, {unknown_line}, true);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().field().rfind("months[0].lines[2]", 0), 0u) << unknown.status().ToString();
  // A full year is required unless a partial one is asked for.
  Result<Json> partial = RunIndustryYear(mrv::Sector::kCement, CementProfile(), 2024, {CementMonth(3, "1")}, false);
  ASSERT_FALSE(partial.ok());
  EXPECT_EQ(partial.status().code(), "missing_months");
}

TEST(IndustryFacilityTest, ProfilesAreCheckedAgainstTheSectorsRules) {
  EXPECT_TRUE(CheckIndustryProfile(mrv::Sector::kCement, CementProfile()).ok());
  Status no_lines = CheckIndustryProfile(mrv::Sector::kCement, Json(nullptr));
  EXPECT_EQ(no_lines.field(), "profile.lines");
  Status bad_type = CheckIndustryProfile(mrv::Sector::kCement, Parse(R"({"lines":[{"id":"L1","clinker_type":"purple"}]})"));
  ASSERT_FALSE(bad_type.ok());
  EXPECT_EQ(bad_type.field(), "profile.lines[0].clinker_type") << bad_type.ToString();
  EXPECT_EQ(CheckIndustryProfile(mrv::Sector::kCement, Parse(R"({"lines":[]})")).field(), "profile.lines");
  EXPECT_EQ(CheckIndustryProfile(mrv::Sector::kSteel, Parse(R"({"power_units":[{"id":""}]})")).field(),
            "profile.power_units[0].id");
  Status extra = CheckIndustryProfile(mrv::Sector::kSteel, Parse(R"({"lines":[]})"));
  ASSERT_FALSE(extra.ok());
  EXPECT_EQ(extra.field(), "profile.lines");
  Status parameter = CheckIndustryProfile(mrv::Sector::kAluminium, Parse(R"({"parameters":{"net_anode_t_per_t_al":410}})"));
  ASSERT_FALSE(parameter.ok());
  EXPECT_EQ(parameter.field(), "profile.parameters.net_anode_t_per_t_al");
  EXPECT_TRUE(CheckIndustryProfile(mrv::Sector::kSteel, Parse(R"({"power_units":[{"id":"CHP-1","name":"x"}]})")).ok());
}

TEST(IndustryFacilityTest, AdjustmentsSetTheNumberAtThePath) {
  Json doc = CementMonth(3, "144150");
  ASSERT_TRUE(ApplyIndustryAdjustment("lines[0].clinker_t", *Decimal::Parse("140000.5"), &doc).ok());
  EXPECT_EQ(doc["lines"][0]["clinker_t"].dump(), "140000.5");
  // An optional number that is absent may be set (a measured NCV the verifier found).
  ASSERT_TRUE(ApplyIndustryAdjustment("lines[1].fuels[0].ncv", *Decimal::Parse("42.1"), &doc).ok());
  EXPECT_EQ(doc["lines"][1]["fuels"][0]["ncv"].dump(), "42.1");
  for (const char* bad : {"lines[5].clinker_t", "lines[0]", "month", "lines[0].line_id", "lines..x", "", "lines[x].a"}) {
    Json copy = CementMonth(3, "1");
    Status st = ApplyIndustryAdjustment(bad, Decimal::FromInt(1), &copy);
    EXPECT_FALSE(st.ok()) << bad;
    EXPECT_EQ(st.field(), "adjustment.path") << bad;
    EXPECT_EQ(copy, CementMonth(3, "1")) << bad;
  }
}

}  // namespace
}  // namespace greenloop::calc
