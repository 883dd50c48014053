#pragma once

// Judges the audited stems (and the stem sum) against a delivery profile: a verdict per rule on each, and a
// profile_violation issue per failed rule.

#include "templates/auditsettings.h"
#include "audit/stemreport.h"
#include "profiles/deliveryprofile.h"

namespace stemship::audit {

// The figures of a measured stem that profile rules judge.
profiles::ProfileSubject profileSubject(const StemReport &stem);

// Sets StemReport::profile on every readable stem and adds the issues. With a sum in the report, the loudness
// rules judge the sum only (CLI-CONTRACT "Delivery profiles").
void applyProfile(AuditReport *report, const profiles::DeliveryProfile &profile, const AuditSettings &settings);

// One line naming the rule, the value and the limit: "integrated -20.00 LUFS, limit [-23.50, -22.50] LUFS".
QString ruleViolationText(const profiles::RuleVerdict &rule);

}  // namespace stemship::audit
