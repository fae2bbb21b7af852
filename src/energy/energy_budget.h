// src/energy/energy_budget.h
//
// Energy use of new projects (用能预算管理): which authority reviews a project's energy use
// (节能审查, NDRC Order 2023 No. 2), a league's or city's annual energy budget as a ledger of
// approvals, commissioning and releases, the energy-use rights (用能权, EUR) a project must
// acquire once the budget is exhausted, and the initial rights of existing enterprises with the
// year's reconciliation (清缴). Budget and rights quantities are integers in kgce, the EUR
// instrument's smallest unit (unit tce, scale 1000).
#ifndef GREENLOOP_ENERGY_ENERGY_BUDGET_H_
#define GREENLOOP_ENERGY_ENERGY_BUDGET_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"

namespace greenloop::energy {

using kgce_t = std::int64_t;

// A tce figure in kgce, half up (0.0005 tce = 0.5 kgce → 1).
Result<kgce_t> KgceOf(Decimal tce, const std::string& field);

// ---- Energy conservation review (节能审查) ----

struct ReviewRules {
  std::string effective_from;      // YYYY-MM-DD
  Decimal provincial_min_tce;      // ≥ this: the region's (provincial) authority reviews
  Decimal exempt_below_tce;        // below this AND below exempt_below_kwh: no separate review
  Decimal exempt_below_kwh;
  Decimal two_high_guidance_tce;   // a two-high project adding ≥ this: national window guidance
  std::string tag;
  std::string source;
};

enum class ReviewTier { kProvincial, kLeagueCity, kNoSeparateReview };
const char* ReviewTierName(ReviewTier tier);

struct ProjectEnergyUse {
  Decimal annual_tce;          // comprehensive energy consumption per year, electricity at the equivalent value
  Decimal annual_kwh;          // electricity consumption per year
  bool rebuild_same_site = false;  // site, main process and equipment unchanged: only the increment counts
  Decimal existing_tce;            // the consumption before a rebuild or expansion
  Decimal existing_kwh;
  bool two_high = false;       // 两高 project
};

struct ReviewDecision {
  ReviewTier tier = ReviewTier::kLeagueCity;
  Decimal counted_tce;  // what the thresholds were applied to
  Decimal counted_kwh;
  bool national_guidance = false;
  std::string reason;
};

Result<ReviewDecision> ClassifyReview(const ProjectEnergyUse& project, const ReviewRules& rules);

// ---- The EUR a project must acquire ----

struct HenanFormula {  // 河南 2022: A × B × C ÷ provincial average
  Decimal b_min;       // 0.3
  Decimal b_max;       // 1
};

struct AcquisitionInput {
  std::string formula;         // "shortfall" or "henan-2022"
  kgce_t shortfall_kgce = 0;   // what the budget lacks for the project
  // henan-2022: A = new comprehensive consumption excluding coal (tce), B the adjustment factor,
  // C = the project's energy use per 10^4 yuan of value added, over the provincial average.
  Decimal a_tce;
  Decimal b;
  Decimal c_tce_per_10k_yuan;
  Decimal average_tce_per_10k_yuan;
};

Result<kgce_t> RequiredRights(const AcquisitionInput& input, const HenanFormula& henan);

// ---- The budget ledger of a league or city for a year ----

enum class BudgetEventKind { kAllocate, kApprove, kCommission, kRelease };
const char* BudgetEventName(BudgetEventKind kind);

struct BudgetEvent {
  BudgetEventKind kind = BudgetEventKind::kApprove;
  std::string project;       // approve, commission, release
  kgce_t quantity_kgce = 0;  // allocate: the region's allocation; approve: the project's annual use
  kgce_t rights_kgce = 0;    // approve: EUR the project has acquired (held in the registry)
  AcquisitionInput acquisition;  // approve: how the EUR needed beyond the budget is computed
};

enum class ProjectStatus { kApproved, kCommissioned, kReleased };
const char* ProjectStatusName(ProjectStatus status);

struct BudgetProject {
  std::string project;
  ProjectStatus status = ProjectStatus::kApproved;
  kgce_t quantity_kgce = 0;       // annual energy use approved
  kgce_t from_budget_kgce = 0;    // the part the budget covers
  kgce_t rights_required_kgce = 0;  // EUR required for the rest
  kgce_t rights_held_kgce = 0;
};

struct BudgetLedger {
  kgce_t room_kgce = 0;       // what the targets leave for new projects
  kgce_t allocated_kgce = 0;  // added by the region
  kgce_t approved_kgce = 0;   // from the budget, approved and not released (commissioned included)
  kgce_t commissioned_kgce = 0;
  std::vector<BudgetProject> projects;
  kgce_t budget() const { return room_kgce + allocated_kgce; }
  kgce_t remaining() const { return budget() - approved_kgce; }
};

// Applies the events in order; the first refused one stops it with its index in the field
// ("events[3].rights_kgce"). Invariant: 0 ≤ commissioned ≤ approved ≤ budget.
Status ApplyBudgetEvents(const std::vector<BudgetEvent>& events, const HenanFormula& henan, BudgetLedger* ledger);

// ---- Initial energy-use rights and the year's reconciliation ----

// Historical method: the average of consecutive years' comprehensive consumption (tce), down to
// the kgce. `first_year` names the first; every year must be there.
Result<kgce_t> HistoricalRights(const std::vector<std::optional<Decimal>>& yearly_tce, int first_year);
// Benchmark method: output × benchmark energy use per unit of output, down to the kgce.
Result<kgce_t> BenchmarkRights(Decimal output, Decimal benchmark_tce_per_unit);

struct Reconciliation {
  kgce_t actual_kgce = 0;
  kgce_t held_kgce = 0;
  kgce_t surplus_kgce = 0;    // held − actual when positive
  kgce_t shortfall_kgce = 0;  // actual − held when positive
};
Result<Reconciliation> Reconcile(Decimal actual_tce, kgce_t held_kgce);

}  // namespace greenloop::energy

#endif  // GREENLOOP_ENERGY_ENERGY_BUDGET_H_
