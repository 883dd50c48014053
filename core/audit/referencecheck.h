#pragma once

// audit --reference: the stems against the mix they came from (CLI-CONTRACT "Reference mix, null test and
// alignment forensics"). Fills the report's reference verdict, each stem's offset and polarity, and the issues
// null_failed, offset_vs_reference and polarity_vs_reference.

#include "audit/stemauditor.h"

namespace stemship::audit {

// The sources without the reference mix, which a folder given as stems may hold too: the mix is never one of its
// own stems (CLI and GUI alike).
QList<StemSource> withoutReference(const QList<StemSource> &sources, const StemSource &mix);

// The verdict in words, with a line per stem that is off (terminal summary, GUI); empty without a reference.
QStringList nullVerdictLines(const AuditReport &report);

// sources: the report's stems in the same order. progress: the fraction of the comparison done.
void checkReference(AuditReport *report, const QList<StemSource> &sources, const ReferenceOptions &options,
                    const AuditSettings &settings, int jobs, const std::function<void(double)> &progress, const CancelToken &cancel);

}  // namespace stemship::audit
