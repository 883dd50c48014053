#pragma once

// Chooses each stem's gain from measurements of the delivered signal. A pure function: the GUI calls it to
// preview gains live, the packager to apply them. Plain C++, no Qt.

#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace stemship::gain {

enum class GainMode { None, Peak, Rms, Lufs, Balanced };
enum class Measure { Peak, Rms, Lufs };

// Levels of one stem as delivered before any gain (after resampling), in dB; -inf for digital silence.
struct StemLevels {
    double samplePeakDbfs = -INFINITY;
    double truePeakDbtp = -INFINITY;
    double rmsDbfs = -INFINITY;
    double integratedLufs = -INFINITY;
};

struct GainRequest {
    GainMode mode = GainMode::None;
    double targetDb = -18.0;        // dBFS for peak/rms, LUFS for lufs; balanced: per `measure`
    Measure measure = Measure::Peak; // what balanced measures
    double ceilingDbtp = -1.0;       // no delivered stem's true peak exceeds this, in every mode
    double silenceFloorDbfs = -80.0; // sample peak below this: silent, gain 0
    // Per-stem targets (a template's track targets) used instead of targetDb in peak/rms/lufs modes.
    std::vector<std::optional<double>> stemTargetsDb;
};

struct StemGain {
    double gainDb = 0.0;
    bool limitedByCeiling = false;  // the ceiling lowered this stem's gain
    bool silent = false;            // nothing to measure: gain 0
    std::string note;               // why, in one line, when the gain is not simply the target's
};

struct GainPlan {
    std::vector<StemGain> stems;
    std::optional<double> commonGainDb;  // set when every stem got the same gain (none, balanced)
};

// Peak, rms, lufs: each stem to its target. Balanced: one gain for all, so the stem that measures highest
// meets the target. In every mode the ceiling wins: gains are lowered (never limited or compressed) so no
// stem's true peak exceeds the ceiling; in balanced mode the common gain is lowered, so the balance holds.
GainPlan planGains(const std::vector<StemLevels> &levels, const GainRequest &request);

double levelFor(const StemLevels &levels, Measure measure);
const char *gainModeName(GainMode mode);        // "none", "peak", "rms", "lufs", "balanced"
const char *measureName(Measure measure);       // "peak", "rms", "lufs"
std::optional<GainMode> parseGainMode(const std::string &name);
std::optional<Measure> parseMeasure(const std::string &name);

}  // namespace stemship::gain
