#include "mrv/verification.h"

#include <algorithm>

namespace greenloop::mrv {
namespace {

Status WrongState(const Case& c, const std::string& what) {
  return Status::Conflict("invalid_state", "cannot " + what + ": the " + std::to_string(c.year) + " report is " +
                                               CaseStatusName(c.status));
}

}  // namespace

const char* SectorName(Sector sector) {
  switch (sector) {
    case Sector::kPower: return "power";
    case Sector::kSteel: return "steel";
    case Sector::kAluminium: return "aluminium";
    case Sector::kCement: return "cement";
  }
  return "unknown";
}

std::optional<Sector> ParseSector(const std::string& name) {
  for (Sector s : {Sector::kPower, Sector::kSteel, Sector::kAluminium, Sector::kCement}) {
    if (name == SectorName(s)) return s;
  }
  return std::nullopt;
}

const char* CaseStatusName(CaseStatus status) {
  switch (status) {
    case CaseStatus::kSubmitted: return "submitted";
    case CaseStatus::kAssigned: return "assigned";
    case CaseStatus::kInReview: return "in_review";
    case CaseStatus::kConcluded: return "concluded";
    case CaseStatus::kConfirmed: return "confirmed";
  }
  return "unknown";
}

std::optional<CaseStatus> ParseCaseStatus(const std::string& name) {
  for (CaseStatus s : {CaseStatus::kSubmitted, CaseStatus::kAssigned, CaseStatus::kInReview, CaseStatus::kConcluded,
                       CaseStatus::kConfirmed}) {
    if (name == CaseStatusName(s)) return s;
  }
  return std::nullopt;
}

const char* FindingStatusName(FindingStatus status) {
  switch (status) {
    case FindingStatus::kOpen: return "open";
    case FindingStatus::kResponded: return "responded";
    case FindingStatus::kClosed: return "closed";
  }
  return "unknown";
}

std::optional<FindingStatus> ParseFindingStatus(const std::string& name) {
  for (FindingStatus s : {FindingStatus::kOpen, FindingStatus::kResponded, FindingStatus::kClosed}) {
    if (name == FindingStatusName(s)) return s;
  }
  return std::nullopt;
}

Status CheckDataEditable(const std::optional<Case>& existing) {
  if (existing && (existing->status == CaseStatus::kConcluded || existing->status == CaseStatus::kConfirmed)) {
    return Status::Conflict("locked", "the " + std::to_string(existing->year) + " data are " +
                                          CaseStatusName(existing->status) +
                                          " by verification and can no longer change");
  }
  return Status::OK();
}

Status CheckMaySubmit(const std::optional<Case>& existing) {
  if (!existing) return Status::OK();
  return CheckDataEditable(existing);
}

Status CheckMayAssign(const Case& c, OrgId verifier_org_id, OrgId enterprise_org_id,
                      const std::vector<VerifierConflict>& conflicts) {
  if (c.status != CaseStatus::kSubmitted && c.status != CaseStatus::kAssigned) return WrongState(c, "assign a verifier");
  for (const VerifierConflict& conflict : conflicts) {
    if (conflict.verifier_org_id == verifier_org_id && conflict.enterprise_org_id == enterprise_org_id) {
      return Status::Refused("conflict_of_interest",
                             "this verifier may not verify the enterprise: " + conflict.reason, "verifier_org_id");
    }
  }
  return Status::OK();
}

Status CheckMayRaiseFinding(const Case& c, OrgId verifier_org_id) {
  if (c.status != CaseStatus::kAssigned && c.status != CaseStatus::kInReview) return WrongState(c, "raise findings");
  if (c.verifier_org_id != verifier_org_id) return Status::Forbidden("only the assigned verifier reviews this report");
  return Status::OK();
}

Status CheckMayRespond(const Case& c, const Finding& finding) {
  if (c.status != CaseStatus::kAssigned && c.status != CaseStatus::kInReview) return WrongState(c, "respond to findings");
  if (finding.status == FindingStatus::kClosed) {
    return Status::Conflict("invalid_state", "finding " + std::to_string(finding.id) + " is closed");
  }
  return Status::OK();
}

Status CheckMayConclude(const Case& c, OrgId verifier_org_id, const std::vector<Finding>& findings) {
  if (c.status != CaseStatus::kAssigned && c.status != CaseStatus::kInReview) return WrongState(c, "conclude");
  if (c.verifier_org_id != verifier_org_id) return Status::Forbidden("only the assigned verifier concludes this report");
  for (const Finding& f : findings) {
    if (f.status == FindingStatus::kOpen) {
      return Status::Conflict("open_findings", "finding " + std::to_string(f.id) +
                                                   " awaits the enterprise's response; conclude once every finding is answered");
    }
  }
  return Status::OK();
}

Status CheckMayConfirm(const Case& c) {
  if (c.status != CaseStatus::kConcluded) return WrongState(c, "confirm");
  return Status::OK();
}

Status ApplyAdjustment(const Adjustment& adjustment, PowerAccountingInput* input) {
  for (UnitMonth& month : input->months) {
    if (month.unit_id != adjustment.unit_id || month.month != adjustment.month) continue;
    if (adjustment.fuel.empty()) {
      Decimal* target = adjustment.field == "generation_mwh"              ? &month.generation_mwh
                        : adjustment.field == "supply_mwh"                ? &month.supply_mwh
                        : adjustment.field == "heat_supplied_gj"          ? &month.heat_supplied_gj
                        : adjustment.field == "purchased_electricity_mwh" ? &month.purchased_electricity_mwh
                                                                          : nullptr;
      if (target == nullptr) {
        return Status::Invalid("invalid_field",
                               "a unit-month adjustment changes generation_mwh, supply_mwh, heat_supplied_gj or "
                               "purchased_electricity_mwh",
                               "adjustment.field");
      }
      *target = adjustment.value;
      return Status::OK();
    }
    for (FuelUse& fuel : month.fuels) {
      if (fuel.fuel != adjustment.fuel) continue;
      if (adjustment.field == "consumption") {
        fuel.consumption = adjustment.value;
      } else if (adjustment.field == "ncv") {
        fuel.ncv = adjustment.value;
      } else if (adjustment.field == "carbon_tc_per_gj") {
        fuel.carbon_tc_per_gj = adjustment.value;
        if (fuel.carbon_evidence.empty()) fuel.carbon_evidence = "verifier adjustment";
      } else if (adjustment.field == "oxidation_rate") {
        fuel.oxidation_rate = adjustment.value;
      } else {
        return Status::Invalid("invalid_field",
                               "a fuel adjustment changes consumption, ncv, carbon_tc_per_gj or oxidation_rate",
                               "adjustment.field");
      }
      return Status::OK();
    }
    return Status::Invalid("not_found", "unit " + adjustment.unit_id + " burned no " + adjustment.fuel + " in month " +
                                            std::to_string(adjustment.month),
                           "adjustment.fuel");
  }
  return Status::Invalid("not_found", "no data for unit " + adjustment.unit_id + " in month " +
                                          std::to_string(adjustment.month),
                         "adjustment.month");
}

}  // namespace greenloop::mrv
