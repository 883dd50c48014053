#pragma once

// Runs the audit: expands inputs, measures stems in parallel with the metering core, checks stems and the set.

#include "audit/stemreport.h"
#include "io/stemsource.h"
#include "profiles/deliveryprofile.h"
#include "templates/sessiontemplate.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/progress.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace stemship::audit {

// Stem sources live in core/io (the delivery and playback read them too); the audit's names for them.
using io::StemSource;
using io::collectSources;
using io::openStemSource;
using io::deliveredSourceName;

// audit --reference: the mix the stems came from.
struct ReferenceOptions {
    StemSource mix;
    double nullThresholdDb = -60.0;
    bool requireNull = false;  // a failed null is an error, not a warning
};

struct AuditOptions {
    std::optional<templates::SessionTemplate> sessionTemplate;
    std::optional<ReferenceOptions> reference;
    AuditSettings settings;  // the template's audit settings when a template is given
    int jobs = 0;            // 0 = all cores
    std::optional<profiles::DeliveryProfile> profile;  // judge every stem (and the sum) against it
    bool sum = false;        // also measure the stems' sum as one programme, the last entry of stems
};

// Progress says "N/M stems" while measuring.
using stemship::ProgressFn;

// The report of a stem that cannot be read: one issue, coded by the error (`unreadable` when it has no code).
StemReport unreadableReport(const StemSource &source, const Error &error, const AuditSettings &settings);
// Once a stem is measured: its info as read to the end (a stream that ended early is truncated), its start, and
// the per-stem checks.
void checkMeasuredStem(StemReport *report, const io::AudioInfo &info, const AuditSettings &settings);

// Measures one stem (streaming, fixed memory) and runs the per-stem checks.
StemReport auditStem(const StemSource &source, const AuditSettings &settings, const CancelToken &cancel);

// Audits the whole set: stems in parallel, then set-level checks and template matching.
AuditReport runAudit(const QList<StemSource> &sources, const AuditOptions &options, const ProgressFn &progress,
                     const CancelToken &cancel);

}  // namespace stemship::audit
