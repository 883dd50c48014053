#pragma once

// What the audit found: one StemReport per stem, set-level issues, and the plots the reports draw.

#include "templates/auditsettings.h"
#include "io/audioreader.h"
#include "metering/channellayout.h"
#include "metering/loudnessmeter.h"
#include "reference/nullforensics.h"
#include "profiles/deliveryprofile.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace stemship::audit {

struct Issue {
    Severity severity = Severity::Warning;
    QString code;     // CLI-CONTRACT issue code
    QString message;  // one line a person reads
    QStringList paths;  // set-level issues: the stems concerned
};

// Waveform overview: per bucket, min and max over all channels (at most kOverviewBuckets buckets).
struct Overview {
    std::vector<float> minimum;
    std::vector<float> maximum;
};
inline constexpr int kOverviewBuckets = 600;

// Loudness over time: momentary and short-term every `stepSeconds` (decimated to at most ~1200 points).
struct LoudnessCurve {
    double stepSeconds = 0.1;
    std::vector<float> momentaryLufs;  // -inf where below the meter's range
    std::vector<float> shortTermLufs;
};

// The worst severity among issues, or nothing when there are none.
std::optional<Severity> worstSeverity(const QList<Issue> &issues);

struct StemReport {
    QString path;              // as the user gave it, or "zip.zip!inner/path"
    bool readable = false;
    io::AudioInfo info;
    metering::ChannelLayout layout = metering::ChannelLayout::Unknown;  // from the channel count and mask
    metering::MeterResult levels;
    // LFE energy above 120 Hz relative to its energy below, dB (layouts with an LFE only).
    std::optional<double> lfeHighToLowDb;
    // Integer PCM of 9 to 24 bits: how many bits the samples use (the declared depth less the low bits that are
    // zero in every sample); none: not judged (float, lossy, 8 or 32 bits, or under 4096 non-zero samples).
    std::optional<int> usedBitDepth;
    double startSeconds = 0.0;  // timeline start: BWF time reference / rate (0 without one)
    double leadingSilenceSeconds = 0.0;
    std::optional<QString> role;  // matched template track name
    std::optional<int> roleIndex;
    Overview overview;
    LoudnessCurve loudness;
    QList<Issue> issues;
    // Against the reference mix (audit --reference): at the stem's own rate, positive = late; none: not measured.
    std::optional<std::int64_t> offsetSamples;
    std::optional<bool> polarityInverted;
    bool isSum = false;  // the pseudo-stem "(sum of stems)" of audit --sum
    std::optional<profiles::ProfileVerdict> profile;  // with --profile: the verdict per rule

    bool hasSeverity(Severity severity) const;
    bool hasIssue(const QString &code) const;
};

// The reference mix the stems were compared with, and the verdict (CLI-CONTRACT "Reference mix").
struct ReferenceReport {
    QString path;         // as the user gave it
    io::AudioInfo info;
    double nullThresholdDb = -60.0;
    reference::NullForensics null;  // at the mix's rate, on the stems' timeline
};

struct AuditReport {
    QString templateName;  // empty: none
    std::optional<ReferenceReport> reference;
    std::optional<Error> referenceError;  // the reference cannot be compared (not audio, channels, length): exit 1
    QString profileName;   // empty: none
    QList<StemReport> stems;
    QList<Issue> issues;   // set-level
    bool cancelled = false;
    std::optional<Error> failure;  // the job itself failed (a worker threw or could not start): no report to give

    bool hasErrors() const;  // any issue of severity error, stem or set
    int count(Severity severity) const;
    // The stem's own issues, then the set-level issues that name it: what a report shows beside the stem and
    // what its status colour comes from.
    QList<Issue> issuesFor(const StemReport &stem) const;
    QString statusOf(const StemReport &stem) const;  // "error" | "warning" | "ok", from issuesFor()
    // The findings as a delivery's NOTES lists them, one line each: "Kick.wav: warning true_peak_over: ...",
    // then the set's as "set: ...". The GUI and the CLI deliver the same lines.
    QStringList findingLines() const;
};

}  // namespace stemship::audit
