#pragma once

#include "templates/auditsettings.h"
#include "audit/stemreport.h"
#include "templates/sessiontemplate.h"

namespace stemship::audit {

// Checks the set as a whole: rates, depths, lengths, starts, names; with a template, matches each stem to a
// track (StemReport::role) and reports unmatched stems and missing tracks.
void checkSet(AuditReport *report, const AuditSettings &settings, const templates::SessionTemplate *sessionTemplate);

}  // namespace stemship::audit
