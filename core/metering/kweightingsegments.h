#pragma once

// K-weighting of one sub-step with every vector lane busy (private to core/metering). Channels run four at a
// time; a lone channel or pair is cut into segments that run side by side from a zero filter state and are then
// corrected by the filter's zero-input response to the true state (the filter is linear, so superposition is
// exact up to rounding). A mono or stereo IIR is otherwise bound by one FMA of feedback latency per sample.

#include "meterkernels.h"

#include <cstddef>
#include <vector>

namespace stemship::metering {

// Zero-input responses of the K-weighting cascade for each unit initial state, and their running Gram matrix.
struct KWeightingBasis {
    void design(const KFilterCoefficients &c, std::size_t maxSegmentFrames);

    std::size_t maxFrames = 0;
    std::vector<double> y[4];  // pre-filter output from unit y1, y2, z1, z2 (in that order), zero input
    std::vector<double> z[4];  // RLB output, likewise
    std::vector<double> gram;  // [L * 16 + i * 4 + j] = sum over n < L of z[i][n] * z[j][n]
};

// K-weights `count` channels x[k][0 .. frames) from state[k], adding each one's sum of squares to energy[k].
// Allocates nothing; the split depends only on `frames`, so equal sub-steps always give the same results.
void kWeightChannels(const MeterKernels &kernels, const KFilterCoefficients &c, const KWeightingBasis &basis,
                     const float *const *x, std::size_t count, KFilterState *state, double *energy,
                     std::size_t frames) noexcept;

}  // namespace stemship::metering
