#pragma once

// What `stemship package` is asked to do and what it delivered: plain values shared by the CLI and the GUI.

#include "delivery/timeline.h"
#include "gain/gainplanner.h"
#include "io/stemsource.h"
#include "profiles/deliveryprofile.h"
#include "reference/nullforensics.h"
#include "templates/sessiontemplate.h"
#include "util/timesignature.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace stemship::delivery {

struct DeliverySpec {
    QList<io::StemSource> sources;  // files or zip entries (io::collectSources expands folders)
    QString outputPath;                // OUT.zip
    std::optional<templates::SessionTemplate> sessionTemplate;
    QString title;                     // empty: the template's title
    QString version;                   // required
    double tempoBpm = 120.0;
    TimeSignature timeSignature;
    double barOneSeconds = 0.0;
    // package --tempo-map: tempo and meter changes from bar one; tempoBpm and timeSignature are its first.
    std::optional<session::TempoMap> tempoMap;
    gain::GainMode gainMode = gain::GainMode::None;
    std::optional<double> targetDb;      // empty: the template's targets (per track), else -18
    gain::Measure measure = gain::Measure::Peak;  // what balanced measures
    std::optional<double> ceilingDbtp;   // empty: the template's ceiling, else -1.0
    int sampleRateHz = 48000;
    int bitDepth = 24;                   // 16, 24, 32
    double tailSeconds = 0.0;
    QString referencePath;               // the mix to deliver alongside, aligned like the stems; empty: none
    double nullThresholdDb = -60.0;      // the null passes when the residual relative to the mix is at or below this
    bool alignToReference = false;       // shift each stem by its offset and correct its polarity before delivery
    bool requireNull = false;            // a failed null stops the job (exit 1, nothing written)
    bool skipUnreadable = false;
    bool monoDualMono = false;           // --mono-dual-mono: stereo stems with identical channels delivered mono
    int jobs = 0;                        // 0: all cores
    // Lines for NOTES.txt from an audit of the sources (AuditReport::findingLines); empty: the audit found
    // nothing; nullopt: no audit (NOTES then says nothing of one).
    std::optional<QStringList> auditFindings;
    // Audit the stems while pass 1 reads them and list the findings in NOTES (`stemship package`; sourceaudit.h).
    bool auditSources = false;
    std::optional<profiles::DeliveryProfile> profile;  // the delivered files must meet it (profilegate.h)
    std::uint64_t ditherSeed = 0x5eed;   // per stem: seed + index (deterministic deliveries)
    // Write each stem right after measuring it when the headers fix the timeline (earlyplan.h); the result is
    // the same either way (tests compare the two).
    bool allowStreaming = true;
};

struct DeliveredStem {
    QString file;     // entry name in the zip
    QString source;   // as the user gave it
    QByteArray sha256;  // hex
    std::int64_t frames = 0;
    int channels = 0;
    QString layout;   // "mono", "stereo", "5.1", "7.1", "7.1.4", "unknown"
    bool foldedToMono = false;  // a dual-mono stereo source delivered as mono (--mono-dual-mono)
    double gainDb = 0.0;
    bool limitedByCeiling = false;
    bool silent = false;
    QString note;
    // Levels of the delivered file (measured before gain, plus the gain: gain is linear, dither negligible).
    double samplePeakDbfs = -INFINITY;
    double truePeakDbtp = -INFINITY;
    double rmsDbfs = -INFINITY;
    double integratedLufs = -INFINITY;
    // Against the reference mix (at the delivery rate; none when unmeasured or without a reference).
    std::optional<std::int64_t> offsetSamples;
    std::optional<bool> polarityInverted;
    std::int64_t shiftSamples = 0;  // --align-to-reference: moved earlier by this many samples (negative: later)
    bool polarityFlipped = false;
    double loudnessRangeLu = 0.0;           // gain does not change it
    double maxMomentaryLufs = -INFINITY;
    double maxShortTermLufs = -INFINITY;
    std::optional<profiles::ProfileVerdict> profile;  // with a profile: its verdict on this file
};

struct SkippedSource {
    QString source;
    QString reason;
};

struct DeliveredReference {
    QString file;
    QString source;
    QByteArray sha256;
    double gainDb = 0.0;
    bool limitedByCeiling = false;  // its own gain was lowered to keep it under the ceiling
    double nullThresholdDb = -60.0;
    std::optional<reference::NullForensics> null;  // on the signals before delivery gain; aligned when aligning
    // RMS of (sum of delivered stems - reference) over all samples, in dBFS; -inf: a perfect null;
    // nullopt when it cannot be formed (channel layouts that do not add up).
    std::optional<double> nullResidualDbfs;
};

// A file at the zip's root besides the WAVs, NOTES.txt and manifest.json (session files, written by a hook).
struct ExtraFile {
    QString file;
    QByteArray data;
};

struct DeliveryResult {
    QString outputPath;
    QString title;
    Timeline timeline;
    gain::GainMode gainMode = gain::GainMode::None;
    double targetDb = -18.0;
    double ceilingDbtp = -1.0;
    QList<DeliveredStem> stems;
    QList<SkippedSource> skipped;
    std::optional<DeliveredReference> reference;
    QList<ExtraFile> extraFiles;
    QByteArray manifestJson;
    QString notes;
    std::optional<QStringList> auditFindings;  // what NOTES lists: spec.auditFindings, or the job's own audit
    bool streamed = false;  // each stem was written right after it was measured (earlyplan.h)
};

}  // namespace stemship::delivery
