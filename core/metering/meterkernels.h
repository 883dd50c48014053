#pragma once

// The per-sample inner loops of LoudnessMeter, compiled twice (baseline x86-64 and AVX2+FMA) and picked once at
// run time. Everything here works on one block of at most a few thousand frames and allocates nothing.

#include <cstddef>
#include <cstdint>

namespace stemship::metering {

// |x| above 1e5 (+100 dBFS) is no signal but a broken render (CLI-CONTRACT wave 2 `corrupt_samples`); the
// bits of 1e5f, since a positive float's magnitude orders like its bits.
inline constexpr std::uint32_t kCorruptMagnitudeBits = 0x47C35000u;

inline constexpr int kStatLanes = 8;  // sums are kept per lane = frame index mod 8, so any block split gives
                                      // bit-identical totals

// Running per-channel sums (whole programme), lane j holding frames whose index is j mod kStatLanes.
struct ChannelSums {
    double sum[kStatLanes] = {};
    double sumSquares[kStatLanes] = {};
};

struct BlockPeaks {
    float peak = 0.0f;                // largest |x| in the block
    std::uint32_t fullScale = 0;      // |x| >= fullScale threshold
    std::uint32_t overFullScale = 0;  // |x| > 1
};

// Direct form I history of the two K-weighting sections of one channel.
struct KFilterState {
    double x1 = 0.0, x2 = 0.0;  // input
    double y1 = 0.0, y2 = 0.0;  // pre-filter output
    double z1 = 0.0, z2 = 0.0;  // RLB output
};

// K-weighting coefficients as the kernels use them (the RLB numerator is 1, -2, 1).
struct KFilterCoefficients {
    double pb0, pb1, pb2, pa1, pa2;  // pre-filter
    double ra1, ra2;                 // RLB high-pass
};

struct MeterKernels {
    // dst[i] = channel `channel` of frame i, NaN, Inf and |x| > 1e5 replaced by 0; returns how many were replaced.
    std::size_t (*deinterleave)(const float *interleaved, std::size_t channels, std::size_t channel,
                                std::size_t frames, float *dst);
    // Both channels of a stereo block at once, cleaned as deinterleave does; returns how many were replaced.
    std::size_t (*deinterleaveStereo)(const float *interleaved, std::size_t frames, float *left, float *right);
    // Adds block x (frames firstFrame ..) to sums and measures its peaks.
    void (*channelStats)(const float *x, std::size_t frames, std::uint64_t firstFrame, float fullScale,
                         ChannelSums &sums, BlockPeaks &peaks);
    // Stereo: adds L*R per lane to sumProducts and raises maxDifference to max |L - R|.
    void (*stereoStats)(const float *left, const float *right, std::size_t frames, std::uint64_t firstFrame,
                        double *sumProducts, float &maxDifference);
    // K-weights one channel x[0 .. frames) and adds its sum of squares to energy.
    void (*kWeight)(const float *x, KFilterState &state, double &energy, std::size_t frames,
                    const KFilterCoefficients &c);
    // K-weights four lanes side by side, lane g reading x[g][0 .. frames) (a channel, or a segment of one), and
    // adds each one's sum of squares to energy[g]. With correlation non-null (16 values, [j * 4 + g]) it also
    // adds the sum over i of z_g[i] * basis[j][i], the four zero-input responses of a KWeightingBasis.
    void (*kWeightLanes)(const float *const *x, KFilterState *state, double *energy, double *correlation,
                         const double *const *basis, std::size_t frames, const KFilterCoefficients &c);
    // Largest |interpolated| value: buffer holds taps - 1 history samples followed by `frames` new samples.
    // Stretches whose inputs bound them (gainBound * max |x|, TruePeakFilter) at or below `known` or the largest
    // value found so far are skipped, so a result at or below `known` only says that nothing exceeded it.
    float (*truePeak4x)(const float *buffer, std::size_t frames, const float *coefficients, float known,
                        float gainBound);  // 3 phases x 12 taps
    float (*truePeak2x)(const float *buffer, std::size_t frames, const float *coefficients, float known,
                        float gainBound);  // 1 phase x 24 taps
    // Lowers lo and raises hi to the smallest and largest of x[0 .. n) clamped to [-limit, limit]; NaN is skipped.
    void (*clampedRange)(const float *x, std::size_t n, float limit, float &lo, float &hi);
    // Integer PCM read as float: ORs the codes x[i] * scale into bits and counts the non-zero ones, so the lowest
    // bit set over a file says how many bits its samples use. Values off the grid or beyond 2^31 give no meaning.
    void (*codeBits)(const float *x, std::size_t n, float scale, std::uint32_t &bits, std::uint64_t &nonZero);
    const char *name;
};

// The best set this CPU supports (AVX2+FMA when present), chosen on first use; the environment variable
// STEMSHIP_METER_KERNELS=baseline forces the baseline set.
const MeterKernels &meterKernels() noexcept;
// The baseline set, for tests that compare the two.
const MeterKernels &baselineMeterKernels() noexcept;

}  // namespace stemship::metering
