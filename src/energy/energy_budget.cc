#include "energy/energy_budget.h"

#include <algorithm>

#include "core/assert.h"

namespace greenloop::energy {
namespace {

std::string EventPath(size_t index, const char* field) {
  return "events[" + std::to_string(index) + "]." + field;
}

Result<kgce_t> Kgce(const Exact& tce, Rounding rounding, const std::string& field) {
  Exact kg = tce;
  if (!kg.Multiply(Decimal::FromInt(1000))) return Status::Invalid("out_of_range", "too large", field);
  std::optional<Decimal> whole = kg.Round(0, rounding);
  if (!whole) return Status::Invalid("out_of_range", "too large", field);
  return whole->micros() / Decimal::kOne;
}

BudgetProject* FindProject(BudgetLedger* ledger, const std::string& name) {
  for (BudgetProject& p : ledger->projects) {
    if (p.project == name) return &p;
  }
  return nullptr;
}

void CheckInvariants(const BudgetLedger& l) {
  GL_ASSERT(l.commissioned_kgce >= 0);
  GL_ASSERT(l.commissioned_kgce <= l.approved_kgce);
  GL_ASSERT(l.approved_kgce <= l.budget());
  kgce_t approved = 0, commissioned = 0;
  for (const BudgetProject& p : l.projects) {
    GL_ASSERT(p.from_budget_kgce >= 0 && p.from_budget_kgce <= p.quantity_kgce);
    GL_ASSERT(p.rights_held_kgce >= p.rights_required_kgce);
    if (p.status != ProjectStatus::kReleased) approved += p.from_budget_kgce;
    if (p.status == ProjectStatus::kCommissioned) commissioned += p.from_budget_kgce;
  }
  GL_ASSERT(approved == l.approved_kgce);
  GL_ASSERT(commissioned == l.commissioned_kgce);
}

}  // namespace

Result<kgce_t> KgceOf(Decimal tce, const std::string& field) { return Kgce(Exact::Of(tce), Rounding::kHalfUp, field); }

const char* ReviewTierName(ReviewTier tier) {
  switch (tier) {
    case ReviewTier::kProvincial: return "provincial";
    case ReviewTier::kLeagueCity: return "league_city";
    case ReviewTier::kNoSeparateReview: return "no_separate_review";
  }
  return "unknown";
}

Result<ReviewDecision> ClassifyReview(const ProjectEnergyUse& p, const ReviewRules& rules) {
  const std::pair<const char*, Decimal> figures[] = {
      {"annual_tce", p.annual_tce}, {"annual_kwh", p.annual_kwh}, {"existing_tce", p.existing_tce},
      {"existing_kwh", p.existing_kwh}};
  for (const auto& [field, value] : figures) {
    if (value.is_negative()) return Status::Invalid("out_of_range", "cannot be negative", field);
  }
  ReviewDecision d;
  d.counted_tce = p.annual_tce;
  d.counted_kwh = p.annual_kwh;
  if (p.rebuild_same_site) {
    if (p.existing_tce > p.annual_tce || p.existing_kwh > p.annual_kwh) {
      return Status::Invalid("out_of_range", "a rebuild's existing consumption exceeds the consumption after it",
                             "existing_tce");
    }
    d.counted_tce = p.annual_tce - p.existing_tce;
    d.counted_kwh = p.annual_kwh - p.existing_kwh;
  }
  if (d.counted_tce >= rules.provincial_min_tce) {
    d.tier = ReviewTier::kProvincial;
    d.reason = d.counted_tce.ToShortString() + " tce ≥ " + rules.provincial_min_tce.ToShortString() +
               " tce: the region's energy conservation review authority";
  } else if (d.counted_tce < rules.exempt_below_tce && d.counted_kwh < rules.exempt_below_kwh) {
    d.tier = ReviewTier::kNoSeparateReview;
    d.reason = "below " + rules.exempt_below_tce.ToShortString() + " tce and " + rules.exempt_below_kwh.ToShortString() +
               " kWh a year: no separate review (the energy use is still declared)";
  } else {
    d.tier = ReviewTier::kLeagueCity;
    d.reason = "between the thresholds: reviewed by the authority the region designates (the league or city, [U])";
  }
  d.national_guidance = p.two_high && d.counted_tce >= rules.two_high_guidance_tce;
  return d;
}

Result<kgce_t> RequiredRights(const AcquisitionInput& in, const HenanFormula& henan) {
  if (in.formula == "shortfall") {
    GL_ASSERT(in.shortfall_kgce >= 0);
    return in.shortfall_kgce;
  }
  if (in.formula != "henan-2022") {
    return Status::Invalid("invalid_field", "formula is shortfall or henan-2022", "acquisition.formula");
  }
  if (in.b < henan.b_min || in.b > henan.b_max) {
    return Status::Invalid("out_of_range",
                           "B is between " + henan.b_min.ToShortString() + " and " + henan.b_max.ToShortString(),
                           "acquisition.b");
  }
  if (in.a_tce.is_negative()) return Status::Invalid("out_of_range", "A cannot be negative", "acquisition.a_tce");
  if (in.c_tce_per_10k_yuan.is_negative()) {
    return Status::Invalid("out_of_range", "C cannot be negative", "acquisition.c_tce_per_10k_yuan");
  }
  if (in.average_tce_per_10k_yuan.is_negative() || in.average_tce_per_10k_yuan.is_zero()) {
    return Status::Invalid("out_of_range", "the provincial average is positive", "acquisition.average_tce_per_10k_yuan");
  }
  Exact q = Exact::Of(in.a_tce);
  bool ok = q.Multiply(in.b) && q.Multiply(in.c_tce_per_10k_yuan) && q.Divide(Exact::Of(in.average_tce_per_10k_yuan));
  if (!ok) return Status::Invalid("out_of_range", "the acquisition is too large", "acquisition");
  return Kgce(q, Rounding::kHalfUp, "acquisition");
}

const char* BudgetEventName(BudgetEventKind kind) {
  switch (kind) {
    case BudgetEventKind::kAllocate: return "allocate";
    case BudgetEventKind::kApprove: return "approve";
    case BudgetEventKind::kCommission: return "commission";
    case BudgetEventKind::kRelease: return "release";
  }
  return "unknown";
}

const char* ProjectStatusName(ProjectStatus status) {
  switch (status) {
    case ProjectStatus::kApproved: return "approved";
    case ProjectStatus::kCommissioned: return "commissioned";
    case ProjectStatus::kReleased: return "released";
  }
  return "unknown";
}

Status ApplyBudgetEvents(const std::vector<BudgetEvent>& events, const HenanFormula& henan, BudgetLedger* ledger) {
  if (ledger->room_kgce < 0) return Status::Invalid("out_of_range", "the room the targets leave cannot be negative", "room");
  for (size_t i = 0; i < events.size(); ++i) {
    const BudgetEvent& e = events[i];
    if (e.quantity_kgce < 0 || e.rights_kgce < 0) {
      return Status::Invalid("out_of_range", "quantities cannot be negative", EventPath(i, "quantity"));
    }
    BudgetProject* project = e.kind == BudgetEventKind::kAllocate ? nullptr : FindProject(ledger, e.project);
    switch (e.kind) {
      case BudgetEventKind::kAllocate:
        if (e.quantity_kgce == 0) return Status::Invalid("out_of_range", "an allocation is positive", EventPath(i, "quantity"));
        ledger->allocated_kgce += e.quantity_kgce;
        break;
      case BudgetEventKind::kApprove: {
        if (e.project.empty()) return Status::Invalid("missing_field", "name the project", EventPath(i, "project"));
        if (project != nullptr) {
          return Status::Refused("already_approved", "project " + e.project + " is already in the budget",
                                 EventPath(i, "project"));
        }
        if (e.quantity_kgce == 0) return Status::Invalid("out_of_range", "the annual use is positive", EventPath(i, "quantity"));
        BudgetProject p;
        p.project = e.project;
        p.quantity_kgce = e.quantity_kgce;
        p.from_budget_kgce = std::min(e.quantity_kgce, std::max<kgce_t>(0, ledger->remaining()));
        if (p.from_budget_kgce < p.quantity_kgce) {
          AcquisitionInput acquisition = e.acquisition;
          acquisition.shortfall_kgce = p.quantity_kgce - p.from_budget_kgce;
          Result<kgce_t> required = RequiredRights(acquisition, henan);
          if (!required.ok()) {
            return required.status().Restated(required.status().message(), "events[" + std::to_string(i) + "]." +
                                                                                 required.status().field());
          }
          p.rights_required_kgce = required.value();
          if (e.rights_kgce < p.rights_required_kgce) {
            return Status::Refused("rights_required",
                                   "the budget lacks " + std::to_string(acquisition.shortfall_kgce) +
                                       " kgce for project " + e.project + ": it must acquire " +
                                       std::to_string(p.rights_required_kgce) + " kgce of energy-use rights (用能权), holds " +
                                       std::to_string(e.rights_kgce),
                                   EventPath(i, "rights_kgce"));
          }
        }
        p.rights_held_kgce = e.rights_kgce;
        ledger->approved_kgce += p.from_budget_kgce;
        ledger->projects.push_back(p);
        break;
      }
      case BudgetEventKind::kCommission:
        if (project == nullptr || project->status != ProjectStatus::kApproved) {
          return Status::Refused("not_approved", "only an approved project is commissioned", EventPath(i, "project"));
        }
        project->status = ProjectStatus::kCommissioned;
        ledger->commissioned_kgce += project->from_budget_kgce;
        break;
      case BudgetEventKind::kRelease:
        if (project == nullptr || project->status == ProjectStatus::kReleased) {
          return Status::Refused("not_approved", "only a project in the budget is released", EventPath(i, "project"));
        }
        if (project->status == ProjectStatus::kCommissioned) ledger->commissioned_kgce -= project->from_budget_kgce;
        ledger->approved_kgce -= project->from_budget_kgce;
        project->status = ProjectStatus::kReleased;
        break;
    }
    CheckInvariants(*ledger);
  }
  return Status::OK();
}

Result<kgce_t> HistoricalRights(const std::vector<std::optional<Decimal>>& yearly_tce, int first_year) {
  if (yearly_tce.empty()) return Status::Invalid("missing_field", "give the history's years", "history");
  Exact sum;
  for (size_t i = 0; i < yearly_tce.size(); ++i) {
    const std::string field = "history[" + std::to_string(i) + "]";
    if (!yearly_tce[i]) {
      return Status::Invalid("missing_field",
                             "the history has a gap: " + std::to_string(first_year + static_cast<int>(i)) + " is missing",
                             field);
    }
    if (yearly_tce[i]->is_negative()) return Status::Invalid("out_of_range", "cannot be negative", field);
    if (!sum.Add(Exact::Of(*yearly_tce[i]))) return Status::Invalid("out_of_range", "too large", field);
  }
  const bool ok = sum.MultiplyRatio(1, static_cast<std::int64_t>(yearly_tce.size()));
  GL_ASSERT(ok);
  return Kgce(sum, Rounding::kDown, "history");
}

Result<kgce_t> BenchmarkRights(Decimal output, Decimal benchmark_tce_per_unit) {
  if (output.is_negative()) return Status::Invalid("out_of_range", "output cannot be negative", "output");
  if (benchmark_tce_per_unit.is_negative() || benchmark_tce_per_unit.is_zero()) {
    return Status::Invalid("out_of_range", "the benchmark is positive", "benchmark");
  }
  Exact q = Exact::Of(output);
  if (!q.Multiply(benchmark_tce_per_unit)) return Status::Invalid("out_of_range", "too large", "output");
  return Kgce(q, Rounding::kDown, "output");
}

Result<Reconciliation> Reconcile(Decimal actual_tce, kgce_t held_kgce) {
  if (actual_tce.is_negative()) return Status::Invalid("out_of_range", "cannot be negative", "actual");
  if (held_kgce < 0) return Status::Invalid("out_of_range", "cannot be negative", "held_kgce");
  Result<kgce_t> actual = KgceOf(actual_tce, "actual");
  if (!actual.ok()) return actual.status();
  Reconciliation r;
  r.actual_kgce = actual.value();
  r.held_kgce = held_kgce;
  r.surplus_kgce = std::max<kgce_t>(0, held_kgce - r.actual_kgce);
  r.shortfall_kgce = std::max<kgce_t>(0, r.actual_kgce - held_kgce);
  return r;
}

}  // namespace greenloop::energy
