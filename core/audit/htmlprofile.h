#pragma once

// The delivery profile's parts of the HTML audit report: the per-rule summary section and each stem's rule table.

#include "audit/stemreport.h"

#include <QString>

namespace stemship::audit {

// "<h2>Profile ...</h2>" with one pass/fail row per rule over every judged stem and the sum; empty without a profile.
QString profileSectionHtml(const AuditReport &report);

// One stem's verdict: a row per rule with value, limit and pass/fail.
QString profileRulesHtml(const profiles::ProfileVerdict &verdict);

// CSS for the above, appended to the report's style sheet.
const char *profileStyle();

}  // namespace stemship::audit
