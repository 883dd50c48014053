#pragma once

// audit --reference: the stems against the mix they came from (CLI-CONTRACT "Reference mix, null test and
// alignment forensics"). Fills the report's reference verdict, each stem's offset and polarity, and the issues
// null_failed, offset_vs_reference and polarity_vs_reference.

#include "audit/stemauditor.h"

namespace stemship::audit {

// sources: the report's stems in the same order. progress: the fraction of the comparison done.
void checkReference(AuditReport *report, const QList<StemSource> &sources, const ReferenceOptions &options,
                    const AuditSettings &settings, int jobs, const std::function<void(double)> &progress, const CancelToken &cancel);

}  // namespace stemship::audit
