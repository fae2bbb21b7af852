// src/mrv/verification.h
//
// The verification workflow of an annual report (核查), as rules over a Case:
//
//   enterprise submits (submitted) → regulator assigns a verifier without a conflict of interest
//   (assigned) → the verifier raises findings, possibly adjusting values with reasons (in_review)
//   → the enterprise responds → the verifier concludes once no finding is open (concluded) → the
//   regulator confirms (confirmed): verified emissions are locked.
//
// An enterprise may resubmit (a new version) until the verifier concludes. Pure: each function
// says whether a step is allowed and why not.
#ifndef GREENLOOP_MRV_VERIFICATION_H_
#define GREENLOOP_MRV_VERIFICATION_H_

#include <optional>
#include <vector>

#include "core/status.h"
#include "mrv/records.h"

namespace greenloop::mrv {

// Whether the facility-year's monitoring data may still change (by the enterprise).
Status CheckDataEditable(const std::optional<Case>& existing);
Status CheckMaySubmit(const std::optional<Case>& existing);
Status CheckMayAssign(const Case& c, OrgId verifier_org_id, OrgId enterprise_org_id,
                      const std::vector<VerifierConflict>& conflicts);
Status CheckMayRaiseFinding(const Case& c, OrgId verifier_org_id);
Status CheckMayRespond(const Case& c, const Finding& finding);
Status CheckMayConclude(const Case& c, OrgId verifier_org_id, const std::vector<Finding>& findings);
Status CheckMayConfirm(const Case& c);

// Applies an adjustment to the accounting input; errors name the adjustment's field.
Status ApplyAdjustment(const Adjustment& adjustment, PowerAccountingInput* input);

}  // namespace greenloop::mrv

#endif  // GREENLOOP_MRV_VERIFICATION_H_
