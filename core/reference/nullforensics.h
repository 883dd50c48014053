#pragma once

// The null test that explains itself: the stems against the mix they came from. Says how far the sum misses
// the mix, and why: each stem's offset and polarity, the gain the mix has on the stem sum (a master fader, a
// normalised mix), what remains once those are fitted (master-bus processing, a missing stem, a cut tail) and
// where in time it is largest. All on one timeline at one rate; memory is flat in the stems' length.

#include "reference/offsetsearch.h"
#include "reference/placedsignal.h"
#include "util/cancel.h"
#include "util/error.h"

#include <atomic>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace stemship::reference {

struct ForensicsOptions {
    int rateHz = 48000;              // of every signal
    int jobs = 0;                    // 0: all cores
    double nullThresholdDb = -60.0;  // the residual relative to the mix at or below which the null passes
    double silenceFloorDbfs = -80.0; // a stem whose peak stays below is silent: its offset cannot be measured
    double blockSeconds = 0.1;       // residual over time
    double maxOffsetSeconds = 0.5;   // offsets are searched over at least +-this
    // Compare the stems as fitted (shifted by their offsets, polarity corrected), as --align-to-reference
    // delivers them, instead of as they are.
    bool aligned = false;
};

struct StemVerdict {
    bool silent = false;
    std::optional<std::int64_t> offsetFrames;  // positive = the stem is late against the mix; none: unmeasurable
    std::optional<bool> polarityInverted;
    double correlation = 0.0;
};

struct NullForensics {
    int rateHz = 0;
    std::int64_t firstFrame = 0, frames = 0;  // the span compared (all stems and the mix), on the timeline
    double mixRmsDbfs = -INFINITY;
    double residualDbfs = -INFINITY;         // RMS of sum(stems) - mix over the span, all channels
    double residualRelativeDb = -INFINITY;   // that RMS relative to the mix's RMS
    bool passed = false;
    std::optional<double> bestFitGainDb;     // least-squares gain on the fitted stem sum; none: nothing to fit
    std::optional<double> residualAfterFitDb;  // relative residual once offsets, polarity and that gain are fitted
    std::vector<StemVerdict> stems;
    // Per block of blockSeconds from firstFrame: the mix's level and the residual after the fit, dBFS.
    double blockSeconds = 0.1;
    std::vector<float> mixOverTimeDbfs;
    std::vector<float> residualOverTimeDbfs;
    std::optional<double> worstResidualSeconds;  // timeline time of the block with the largest residual after fit
    double worstResidualRelativeDb = -INFINITY;  // that block's residual relative to the mix's RMS over the span

    bool anyMisaligned() const;
};

// stems[i] and mix are opened once per thread. progress: fraction done (relaxed stores).
Result<NullForensics> analyseNull(const std::vector<SignalOpener> &stems, const SignalOpener &mix, const ForensicsOptions &options,
                                  const CancelToken &cancel, std::atomic<double> *progress = nullptr);

// The same, run on a worker while the calling thread calls poll(fraction done) about every 50 ms (a CLI or GUI
// progress callback must not run on a worker).
Result<NullForensics> analyseNullPolling(const std::vector<SignalOpener> &stems, const SignalOpener &mix, const ForensicsOptions &options,
                                         const CancelToken &cancel, const std::function<void(double)> &poll);

// A stem adds up to a mix when it has the mix's channels, or one (a mono stem goes to every channel).
inline bool addsUpTo(int stemChannels, int mixChannels) { return stemChannels == 1 || stemChannels == mixChannels; }
// A mix shorter than this share of the stems' span is not their mix (a wrong file, a preview, a cut-down edit);
// a cut reverb tail is far less and is what the null test reports instead.
inline constexpr double kShortestMixShare = 0.5;

// dB of an energy ratio, -inf for 0.
inline double energyDb(double ratio) { return ratio > 0.0 ? 10.0 * std::log10(ratio) : -INFINITY; }

}  // namespace stemship::reference
