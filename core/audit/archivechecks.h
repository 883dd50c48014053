#pragma once

// Set-level checks on the delivery zips among the sources: a zip holding an entry that is unsafe to extract
// (CLI-CONTRACT wave 2 `unsafe_archive`), whatever that entry's name, even though Stemship reads it in place.

#include "audit/stemauditor.h"

namespace stemship::audit {

// One `unsafe_archive` issue per zip among the sources with unsafe entries, naming each entry.
void checkArchives(AuditReport *report, const QList<StemSource> &sources, const AuditSettings &settings);

}  // namespace stemship::audit
