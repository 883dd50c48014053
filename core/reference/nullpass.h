#pragma once

// One streaming pass of the null test: the stems (each read shifted and with a polarity) summed and compared
// with the mix, block by block. What it keeps per block are three sums, enough for the residual as it is, the
// least-squares gain and the residual after that gain, over the whole span or any block.

#include "reference/placedsignal.h"
#include "util/cancel.h"
#include "util/error.h"

#include <atomic>
#include <cstdint>
#include <vector>

namespace stemship::reference {

// Sums over all channels of one block: S the stem sum, M the mix.
struct BlockSums {
    double stemMix = 0.0;  // sum S * M
    double stemStem = 0.0;  // sum S^2
    double mixMix = 0.0;   // sum M^2
    BlockSums &operator+=(const BlockSums &o)
    {
        stemMix += o.stemMix;
        stemStem += o.stemStem;
        mixMix += o.mixMix;
        return *this;
    }
    // Energy of g * S - M.
    double residual(double gain = 1.0) const { return mixMix - 2.0 * gain * stemMix + gain * gain * stemStem; }
};

struct NullPassInput {
    std::vector<SignalOpener> stems;
    SignalOpener mix;
    std::vector<std::int64_t> shiftsFrames;  // stem i is read from t + shift: the stem shifted earlier by shift
    std::vector<bool> inverted;              // stem i enters the sum with its polarity flipped
    std::int64_t firstFrame = 0;             // the span compared, on the timeline
    std::int64_t frames = 0;
    std::int64_t blockFrames = 4800;
    int jobs = 0;
    bool stemActivity = false;  // also keep each stem's energy per block and its peak (the unshifted pass)
    double progressBase = 0.0;  // the pass reports progressBase + progressSpan * its fraction done
    double progressSpan = 0.45;
};

struct NullPass {
    std::vector<BlockSums> blocks;
    std::vector<std::vector<float>> stemEnergy;  // [stem][block], all channels (stemActivity)
    std::vector<float> stemPeak;                  // largest |sample| of each stem (stemActivity)
    BlockSums total() const;
};

// The span is split into as many parts as jobs, each read by its own thread with its own readers. progress
// receives progressBase + progressSpan * the fraction done (relaxed stores).
Result<NullPass> runNullPass(const NullPassInput &input, const CancelToken &cancel, std::atomic<double> *progress);

}  // namespace stemship::reference
