#pragma once

// Polyphase interpolator for true-peak metering (ITU-R BS.1770-4 Annex 2), designed for the stream's rate.

#include <vector>

namespace stemship::metering {

// Oversampling per BS.1770-4 Annex 2 / the CLI contract: 4x below 96 kHz, 2x below 192 kHz, none from 192 kHz.
int truePeakOversampling(double sampleRateHz);

// Kaiser-windowed sinc interpolator. Phase 0 (the input instants) is the identity, so it is not stored: the sample
// peak covers it and the true peak is never below the sample peak. Phases 1 .. factor-1 are stored phase-major,
// tapsPerPhase coefficients each, ordered to multiply input[o + j] for the output between input[o + taps/2 - 1]
// and input[o + taps/2].
struct TruePeakFilter {
    int factor = 1;
    int tapsPerPhase = 0;
    std::vector<float> coefficients;  // (factor - 1) * tapsPerPhase
    // No interpolated value exceeds gainBound * max |input| over its taps: the largest sum of |h| of a phase,
    // with a margin for float rounding in the kernels. Lets the meter skip blocks that cannot raise a peak.
    float gainBound = 1.0f;
};

TruePeakFilter designTruePeakFilter(double sampleRateHz);

}  // namespace stemship::metering
