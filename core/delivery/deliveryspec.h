#pragma once

// What `stemship package` is asked to do and what it delivered: plain values shared by the CLI and the GUI.

#include "io/stemsource.h"
#include "delivery/timeline.h"
#include "gain/gainplanner.h"
#include "templates/sessiontemplate.h"

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
    int beatsPerBar = 4;
    int beatUnit = 4;
    double barOneSeconds = 0.0;
    gain::GainMode gainMode = gain::GainMode::None;
    std::optional<double> targetDb;      // empty: the template's targets (per track), else -18
    gain::Measure measure = gain::Measure::Peak;  // what balanced measures
    std::optional<double> ceilingDbtp;   // empty: the template's ceiling, else -1.0
    int sampleRateHz = 48000;
    int bitDepth = 24;                   // 16, 24, 32
    double tailSeconds = 0.0;
    QString referencePath;               // the mix to deliver alongside, aligned like the stems; empty: none
    bool skipUnreadable = false;
    int jobs = 0;                        // 0: all cores
    QStringList auditFindings;           // lines for NOTES.txt (from an audit of the sources)
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
    double gainDb = 0.0;
    bool limitedByCeiling = false;
    bool silent = false;
    QString note;
    // Levels of the delivered file (measured before gain, plus the gain: gain is linear, dither negligible).
    double samplePeakDbfs = -INFINITY;
    double truePeakDbtp = -INFINITY;
    double rmsDbfs = -INFINITY;
    double integratedLufs = -INFINITY;
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
    bool streamed = false;  // each stem was written right after it was measured (earlyplan.h)
};

}  // namespace stemship::delivery
