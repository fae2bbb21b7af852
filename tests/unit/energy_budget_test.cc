// Energy conservation review tiers (NDRC Order 2023 No. 2, 1310号), the budget ledger of a league
// or city, the energy-use rights a project must acquire (Henan 2022: A × B × C ÷ average) and the
// initial rights of existing enterprises (Henan 2019: historical or benchmark method), with the
// rules of data/energy/energy-review-rules.json (green-rights.md §1.3, §2).
#include <gtest/gtest.h>

#include "calc/calculator.h"
#include "energy/energy_budget.h"

namespace greenloop::energy {
namespace {

Decimal D(const char* text) { return *Decimal::Parse(text); }

Result<calc::Json> RunCalculator(const char* name, const calc::Json& input) {
  const calc::Calculator* c = calc::FindCalculator(name);
  EXPECT_NE(c, nullptr) << name;
  return c->run(input);
}

std::string Tier(const char* tce, const char* kwh, bool two_high = false, bool* guidance = nullptr) {
  calc::Json in = {{"annual_energy", {{"value", D(tce).ToDouble()}, {"unit", "tce"}}},
                   {"annual_electricity", {{"value", D(kwh).ToDouble()}, {"unit", "kWh"}}},
                   {"two_high", two_high}};
  Result<calc::Json> r = RunCalculator("energy-review", in);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return "";
  if (guidance) *guidance = r.value()["national_window_guidance"].get<bool>();
  return r.value()["tier"].get<std::string>();
}

TEST(EnergyReviewTest, ThresholdsOfTheReviewMeasures) {
  EXPECT_EQ(Tier("10000", "0"), "provincial");  // ≥ 10,000 tce
  EXPECT_EQ(Tier("9999", "0"), "league_city");
  EXPECT_EQ(Tier("999", "4999999"), "no_separate_review");  // < 1,000 tce and < 5,000,000 kWh
  EXPECT_EQ(Tier("999", "5000000"), "league_city");         // the electricity alone needs a review
  EXPECT_EQ(Tier("1000", "0"), "league_city");
  bool guidance = false;
  EXPECT_EQ(Tier("50000", "0", true, &guidance), "provincial");
  EXPECT_TRUE(guidance);  // two-high ≥ 50,000 tce
  EXPECT_EQ(Tier("49999", "0", true, &guidance), "provincial");
  EXPECT_FALSE(guidance);
  EXPECT_EQ(Tier("60000", "0", false, &guidance), "provincial");
  EXPECT_FALSE(guidance);  // not two-high
}

TEST(EnergyReviewTest, ASameSiteRebuildCountsTheIncrement) {
  ReviewRules rules{"2023-06-01", D("10000"), D("1000"), D("5000000"), D("50000"), "C", ""};
  ProjectEnergyUse p;
  p.annual_tce = D("25000");
  p.annual_kwh = D("9000000");
  p.rebuild_same_site = true;
  p.existing_tce = D("16000");
  p.existing_kwh = D("6000000");
  Result<ReviewDecision> d = ClassifyReview(p, rules);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().counted_tce, D("9000"));  // 25,000 − 16,000 < 10,000: not the region's
  EXPECT_EQ(d.value().tier, ReviewTier::kLeagueCity);
  p.existing_tce = D("26000");
  EXPECT_EQ(ClassifyReview(p, rules).status().field(), "existing_tce");
}

TEST(EnergyReviewTest, WrongUnitsAreRefused) {
  Result<calc::Json> r = RunCalculator("energy-review", {{"annual_energy", {{"value", 1}, {"unit", "kWh"}}},
                                               {"annual_electricity", {{"value", 1}, {"unit", "kWh"}}}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "invalid_unit");
  EXPECT_EQ(r.status().field(), "annual_energy.unit");
}

const HenanFormula kHenan{D("0.3"), D("1")};

BudgetEvent Approve(const char* project, kgce_t quantity, kgce_t rights = 0) {
  BudgetEvent e;
  e.kind = BudgetEventKind::kApprove;
  e.project = project;
  e.quantity_kgce = quantity;
  e.rights_kgce = rights;
  e.acquisition.formula = "shortfall";
  return e;
}

BudgetEvent Event(BudgetEventKind kind, const char* project, kgce_t quantity = 0) {
  BudgetEvent e;
  e.kind = kind;
  e.project = project;
  e.quantity_kgce = quantity;
  return e;
}

TEST(EnergyBudgetTest, ApprovalsCommissioningAndReleasesMoveTheBudget) {
  BudgetLedger l;
  l.room_kgce = 1'000;
  ASSERT_TRUE(ApplyBudgetEvents({Event(BudgetEventKind::kAllocate, "", 200), Approve("A", 700), Approve("B", 300),
                                 Event(BudgetEventKind::kCommission, "A"), Event(BudgetEventKind::kRelease, "B")},
                                kHenan, &l)
                  .ok());
  EXPECT_EQ(l.budget(), 1'200);
  EXPECT_EQ(l.approved_kgce, 700);
  EXPECT_EQ(l.commissioned_kgce, 700);
  EXPECT_EQ(l.remaining(), 500);
  // Beyond the budget the shortfall must be covered by rights: 600 asked, 500 left → 100 rights.
  BudgetLedger refused = l;
  Status st = ApplyBudgetEvents({Approve("C", 600, 99)}, kHenan, &refused);
  EXPECT_EQ(st.code(), "rights_required");
  EXPECT_EQ(st.field(), "events[0].rights_kgce");
  ASSERT_TRUE(ApplyBudgetEvents({Approve("C", 600, 100)}, kHenan, &l).ok());
  EXPECT_EQ(l.remaining(), 0);
  EXPECT_EQ(l.projects.back().from_budget_kgce, 500);
  EXPECT_EQ(l.projects.back().rights_required_kgce, 100);
}

TEST(EnergyBudgetTest, RefusesWhatTheLedgerCannotDo) {
  BudgetLedger l;
  l.room_kgce = 1'000;
  EXPECT_EQ(ApplyBudgetEvents({Approve("A", 10), Approve("A", 10)}, kHenan, &l).code(), "already_approved");
  BudgetLedger fresh;
  fresh.room_kgce = 1'000;
  Status st = ApplyBudgetEvents({Event(BudgetEventKind::kCommission, "X")}, kHenan, &fresh);
  EXPECT_EQ(st.code(), "not_approved");
  EXPECT_EQ(st.field(), "events[0].project");
  EXPECT_EQ(ApplyBudgetEvents({Approve("R", 10), Event(BudgetEventKind::kRelease, "R"),
                               Event(BudgetEventKind::kRelease, "R")},
                              kHenan, &fresh)
                .field(),
            "events[2].project");
}

TEST(EnergyBudgetTest, HenanFormulaAtimesBtimesCoverTheAverage) {
  // A = 120,000 tce (without coal), B = 0.3, C = 1.2 tce per 10^4 yuan, average 0.9:
  // 120,000 × 0.3 × 1.2 ÷ 0.9 = 48,000 tce = 48,000,000 kgce.
  AcquisitionInput in;
  in.formula = "henan-2022";
  in.a_tce = D("120000");
  in.b = D("0.3");
  in.c_tce_per_10k_yuan = D("1.2");
  in.average_tce_per_10k_yuan = D("0.9");
  EXPECT_EQ(RequiredRights(in, kHenan).value(), 48'000'000);
  in.b = D("0.29");
  EXPECT_EQ(RequiredRights(in, kHenan).status().field(), "acquisition.b");
  in.b = D("1.01");
  EXPECT_EQ(RequiredRights(in, kHenan).status().code(), "out_of_range");
}

TEST(EnergyUseRightsTest, HistoricalAndBenchmarkMethodsRoundDownToTheKgce) {
  // (182,000 + 191,000 + 185,000.5) ÷ 3 = 186,000.1666… tce → 186,000,166 kgce.
  EXPECT_EQ(HistoricalRights({D("182000"), D("191000"), D("185000.5")}, 2022).value(), 186'000'166);
  Result<kgce_t> gap = HistoricalRights({D("1"), std::nullopt, D("1")}, 2022);
  ASSERT_FALSE(gap.ok());
  EXPECT_EQ(gap.status().field(), "history[1]");
  EXPECT_NE(gap.status().message().find("2023"), std::string::npos);
  // 250,000 t of ferroalloy × 0.8765 tce/t = 219,125 tce.
  EXPECT_EQ(BenchmarkRights(D("250000"), D("0.8765")).value(), 219'125'000);
  EXPECT_EQ(BenchmarkRights(D("1"), D("0")).status().field(), "benchmark");
}

TEST(EnergyUseRightsTest, ReconciliationListsSurplusOrShortfall) {
  Result<Reconciliation> short_of = Reconcile(D("191234.5678"), 186'000'166);
  ASSERT_TRUE(short_of.ok());
  EXPECT_EQ(short_of.value().actual_kgce, 191'234'568);  // half up to the kgce
  EXPECT_EQ(short_of.value().shortfall_kgce, 5'234'402);
  EXPECT_EQ(short_of.value().surplus_kgce, 0);
  Result<Reconciliation> spare = Reconcile(D("100"), 150'000);
  EXPECT_EQ(spare.value().surplus_kgce, 50'000);
  EXPECT_EQ(spare.value().shortfall_kgce, 0);
  EXPECT_EQ(Reconcile(D("-1"), 0).status().field(), "actual");
}

}  // namespace
}  // namespace greenloop::energy
