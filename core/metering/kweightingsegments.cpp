#include "kweightingsegments.h"

namespace stemship::metering {

namespace {

constexpr int kLanes = 4;
// Below this a segment's correction costs more than it saves; the channel runs on its own.
constexpr std::size_t kMinSegmentFrames = 16;

// Adds to a segment lane run from a zero filter state the zero-input response to its true initial state s
// (y1, y2, z1, z2): to its energy (cross term and the response's own energy) and to its final state.
void correctSegment(const KWeightingBasis &b, std::size_t frames, const double s[4], const double *correlation,
                    int lane, KFilterState &state, double &energy) noexcept
{
    const double *gram = b.gram.data() + frames * 16;
    double e = 0.0;
    for (int i = 0; i < 4; ++i) {
        e += 2.0 * s[i] * correlation[i * kLanes + lane];
        for (int j = 0; j < 4; ++j)
            e += s[i] * s[j] * gram[i * 4 + j];
    }
    energy += e;
    for (int j = 0; j < 4; ++j) {
        state.y1 += s[j] * b.y[j][frames - 1];
        state.y2 += s[j] * b.y[j][frames - 2];
        state.z1 += s[j] * b.z[j][frames - 1];
        state.z2 += s[j] * b.z[j][frames - 2];
    }
}

// One or two channels, each cut into kLanes / channels equal segments, all in one pass; the last few frames
// (fewer than the segment count) run on after the corrected state.
void kWeightSegmented(const MeterKernels &kernels, const KFilterCoefficients &c, const KWeightingBasis &basis,
                      const float *const *x, int channels, KFilterState *state, double *energy,
                      std::size_t frames) noexcept
{
    const int segments = kLanes / channels;
    const std::size_t length = frames / std::size_t(segments);
    if (length < kMinSegmentFrames || length > basis.maxFrames) {
        for (int ch = 0; ch < channels; ++ch)
            kernels.kWeight(x[ch], state[ch], energy[ch], frames, c);
        return;
    }
    const float *lanes[kLanes];
    KFilterState laneState[kLanes];
    double laneEnergy[kLanes] = {};
    double correlation[4 * kLanes] = {};
    for (int ch = 0; ch < channels; ++ch) {
        for (int k = 0; k < segments; ++k) {
            const std::size_t start = std::size_t(k) * length;
            const int g = ch * segments + k;
            lanes[g] = x[ch] + start;
            // A segment starts with its real input history and a zero output history.
            laneState[g] = k == 0 ? state[ch] : KFilterState{x[ch][start - 1], x[ch][start - 2], 0.0, 0.0, 0.0, 0.0};
        }
    }
    const double *basisZ[4] = {basis.z[0].data(), basis.z[1].data(), basis.z[2].data(), basis.z[3].data()};
    kernels.kWeightLanes(lanes, laneState, laneEnergy, correlation, basisZ, length, c);
    for (int ch = 0; ch < channels; ++ch) {
        KFilterState s = laneState[ch * segments];
        double e = laneEnergy[ch * segments];
        for (int k = 1; k < segments; ++k) {
            const int g = ch * segments + k;
            const double initial[4] = {s.y1, s.y2, s.z1, s.z2};
            s = laneState[g];
            e += laneEnergy[g];
            correctSegment(basis, length, initial, correlation, g, s, e);
        }
        state[ch] = s;
        energy[ch] += e;
        const std::size_t done = std::size_t(segments) * length;
        kernels.kWeight(x[ch] + done, state[ch], energy[ch], frames - done, c);
    }
}

}  // namespace

void KWeightingBasis::design(const KFilterCoefficients &c, std::size_t maxSegmentFrames)
{
    maxFrames = maxSegmentFrames;
    for (int j = 0; j < 4; ++j) {
        // The same recursion as the kernels, input zero, one unit of output history.
        double y1 = j == 0, y2 = j == 1, z1 = j == 2, z2 = j == 3;
        y[j].resize(maxFrames);
        z[j].resize(maxFrames);
        for (std::size_t n = 0; n < maxFrames; ++n) {
            const double y0 = -c.pa2 * y2 - c.pa1 * y1;
            const double z0 = y0 - 2.0 * y1 + y2 - c.ra2 * z2 - c.ra1 * z1;
            y2 = y1;
            y1 = y0;
            z2 = z1;
            z1 = z0;
            y[j][n] = y0;
            z[j][n] = z0;
        }
    }
    gram.assign((maxFrames + 1) * 16, 0.0);
    for (std::size_t n = 0; n < maxFrames; ++n) {
        for (int i = 0; i < 4; ++i) {
            for (int j = 0; j < 4; ++j)
                gram[(n + 1) * 16 + std::size_t(i * 4 + j)] = gram[n * 16 + std::size_t(i * 4 + j)] + z[i][n] * z[j][n];
        }
    }
}

void kWeightChannels(const MeterKernels &kernels, const KFilterCoefficients &c, const KWeightingBasis &basis,
                     const float *const *x, std::size_t count, KFilterState *state, double *energy,
                     std::size_t frames) noexcept
{
    std::size_t k = 0;
    for (; k + kLanes <= count; k += kLanes)
        kernels.kWeightLanes(x + k, state + k, energy + k, nullptr, nullptr, frames, c);
    const std::size_t left = count - k;
    if (left >= 2) {
        kWeightSegmented(kernels, c, basis, x + k, 2, state + k, energy + k, frames);
        k += 2;
    }
    if (left % 2 == 1)
        kWeightSegmented(kernels, c, basis, x + k, 1, state + k, energy + k, frames);
}

}  // namespace stemship::metering
