#pragma once

// A generated session with its reference mix and planted faults: stems late or early against the mix, stems
// with their polarity flipped, bleed between stems, a master gain on the mix, a cut tail. The tests know the
// truth because they planted it.

#include "testsignals.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace stemship::test {

struct PlantedStem {
    QString name;
    int channels = 2;
    std::int64_t offsetFrames = 0;  // positive: the stem file is late against the mix by this many frames
    bool inverted = false;          // the stem file holds the mix's part with its polarity flipped
    double levelDb = 0.0;           // of its own material
    std::optional<int> bleedFrom;   // holds half of this (earlier) stem's material too, as a spill mic would
    bool silent = false;
    bool inMix = true;              // false: a stem the mix never had
    std::optional<std::uint64_t> timeReferenceSamples;  // BWF start; the mix's part is placed there too
    double lowPassHz = 0.0;  // band-limit its material (a stem to be rewritten at a lower rate); 0: full band
};

struct SessionSpec {
    int sampleRateHz = 48000;
    int mixChannels = 2;
    double seconds = 6.0;        // of each stem's material, with 0.3 s of silence either side
    double masterGain = 1.0;     // linear, on the mix
    std::optional<double> mixCutAfterSeconds;  // the mix falls silent here (a cut tail)
    int mixFormat = 0;           // libsndfile format of the mix; 0: WAV float
    std::vector<PlantedStem> stems;
};

struct ReferenceSession {
    QStringList stemPaths;
    QString mixPath;
};

// Writes the stems and the mix into dir.
std::optional<ReferenceSession> writeReferenceSession(const QString &dir, const SessionSpec &spec);

// A planted stem: offset in frames (positive = late against the mix), polarity, channels.
PlantedStem stem(const char *name, std::int64_t offset = 0, bool inverted = false, int channels = 2);

}  // namespace stemship::test
