#pragma once

// The null test's verdict in words, the same in the audit's terminal summary and a delivery's NOTES.txt.

#include "reference/nullforensics.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace stemship::reference {

// A stem as the verdict names it, with its offset in the unit the report uses.
struct StemLabel {
    QString name;
    std::optional<std::int64_t> offsetSamples;  // at rateHz
    int rateHz = 48000;
    std::optional<bool> polarityInverted;
    bool silent = false;
};

// "late by 26 samples (0.54 ms)"; "early by ..."; "aligned".
QString offsetPhrase(std::int64_t samples, int rateHz);

// The verdict line, then one line per finding, then what the fit explains and what it leaves.
QStringList verdictLines(const NullForensics &null, double thresholdDb, const QString &mixName, const std::vector<StemLabel> &stems);

// "1:23.4"
QString timecode(double seconds);

}  // namespace stemship::reference
