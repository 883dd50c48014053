#pragma once

// Which measurement of a stem each issue code concerns: the one table a report (the GUI's stem table, a
// report's cells) colours a figure from, so a figure is marked exactly when the audit found something about it.

#include "audit/stemreport.h"

#include <QList>
#include <QString>

#include <optional>

namespace stemship::audit {

enum class Measurement {
    None,         // the stem as a whole (null_failed, unsafe_archive, codes a report does not place on a figure)
    Format,       // unreadable, unsupported, truncated, malformed metadata
    Role,         // the template track it matched (or did not)
    Rate,
    BitDepth,
    Channels,     // layout, per-channel findings, dual mono
    Length,
    Start,        // timeline start, and the offset against the reference mix
    SamplePeak,   // clipping, overs, broken samples, silence (a peak below the floor)
    TruePeak,
    DcOffset,
    Correlation,  // phase, and polarity against the reference mix
    Profile,
};

// CLI-CONTRACT issue code -> the measurement it is about (Measurement::None for an unknown code).
Measurement measurementOf(const QString &code);

// The worst severity among `issues` that concern `measurement`; nothing when none does.
std::optional<Severity> worstSeverityFor(const QList<Issue> &issues, Measurement measurement);

}  // namespace stemship::audit
