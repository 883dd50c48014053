#include "meterkernels.h"

#include <cstring>

// Each kernel body is an always-inline template; thin wrappers instantiate it once for baseline x86-64 (SSE2) and
// once with target("avx2,fma"), where GCC vectorises the same loops 8 floats wide and contracts a*b+c into FMA.
// Inlining a baseline body into an AVX2 wrapper is allowed (its ISA is a subset), the reverse never happens.
#define STEMSHIP_KERNEL_INLINE inline __attribute__((always_inline))
#if defined(__x86_64__) || defined(__i386__)
#define STEMSHIP_HAVE_AVX2_KERNELS 1
#define STEMSHIP_TARGET_AVX2 __attribute__((target("avx2,fma")))
#endif

namespace stemship::metering {

namespace {

STEMSHIP_KERNEL_INLINE float absf(float v)
{
    return __builtin_fabsf(v);
}

STEMSHIP_KERNEL_INLINE float maxf(float a, float b)
{
    return a > b ? a : b;
}

template <int Channels>
STEMSHIP_KERNEL_INLINE std::size_t deinterleaveBody(const float *in, std::size_t channels, std::size_t channel,
                                                    std::size_t frames, float *dst)
{
    const std::size_t stride = Channels ? std::size_t(Channels) : channels;
    std::uint32_t replaced = 0;
    for (std::size_t i = 0; i < frames; ++i) {
        const float v = in[i * stride + channel];
        // Exponent all ones: NaN or +-Inf (checked on the bits, so it holds under any float mode).
        const std::uint32_t bad = (__builtin_bit_cast(std::uint32_t, v) & 0x7f800000u) == 0x7f800000u;
        dst[i] = bad ? 0.0f : v;
        replaced += bad;
    }
    return replaced;
}

STEMSHIP_KERNEL_INLINE std::size_t deinterleaveAny(const float *in, std::size_t channels, std::size_t channel,
                                                   std::size_t frames, float *dst)
{
    if (channels == 1)
        return deinterleaveBody<1>(in, channels, channel, frames, dst);
    if (channels == 2)
        return deinterleaveBody<2>(in, channels, channel, frames, dst);
    return deinterleaveBody<0>(in, channels, channel, frames, dst);
}

STEMSHIP_KERNEL_INLINE void channelStatsBody(const float *x, std::size_t frames, std::uint64_t firstFrame,
                                             float fullScale, ChannelSums &sums, BlockPeaks &peaks)
{
    double s[kStatLanes];
    double q[kStatLanes];
    float peak[kStatLanes] = {};
    std::uint32_t full[kStatLanes] = {};
    std::uint32_t over[kStatLanes] = {};
    for (int j = 0; j < kStatLanes; ++j) {
        s[j] = sums.sum[j];
        q[j] = sums.sumSquares[j];
    }
    std::size_t i = 0;
    const auto one = [&](std::size_t k) {
        const auto lane = std::size_t((firstFrame + k) % kStatLanes);
        const float v = x[k];
        const float a = absf(v);
        s[lane] += double(v);
        q[lane] += double(v) * double(v);
        peak[0] = maxf(a, peak[0]);
        full[0] += a >= fullScale;
        over[0] += a > 1.0f;
    };
    for (; i < frames && (firstFrame + i) % kStatLanes != 0; ++i)
        one(i);
    for (; i + kStatLanes <= frames; i += kStatLanes) {
        for (int j = 0; j < kStatLanes; ++j) {
            const float v = x[i + std::size_t(j)];
            const float a = absf(v);
            const double d = double(v);
            s[j] += d;
            q[j] += d * d;
            peak[j] = maxf(a, peak[j]);
            full[j] += a >= fullScale;
            over[j] += a > 1.0f;
        }
    }
    for (; i < frames; ++i)
        one(i);
    float blockPeak = 0.0f;
    std::uint32_t blockFull = 0;
    std::uint32_t blockOver = 0;
    for (int j = 0; j < kStatLanes; ++j) {
        sums.sum[j] = s[j];
        sums.sumSquares[j] = q[j];
        blockPeak = maxf(peak[j], blockPeak);
        blockFull += full[j];
        blockOver += over[j];
    }
    peaks.peak = blockPeak;
    peaks.fullScale = blockFull;
    peaks.overFullScale = blockOver;
}

STEMSHIP_KERNEL_INLINE void stereoStatsBody(const float *left, const float *right, std::size_t frames,
                                            std::uint64_t firstFrame, double *sumProducts, float &maxDifference)
{
    double p[kStatLanes];
    float d[kStatLanes] = {};
    for (int j = 0; j < kStatLanes; ++j)
        p[j] = sumProducts[j];
    std::size_t i = 0;
    const auto one = [&](std::size_t k) {
        p[(firstFrame + k) % kStatLanes] += double(left[k]) * double(right[k]);
        d[0] = maxf(absf(left[k] - right[k]), d[0]);
    };
    for (; i < frames && (firstFrame + i) % kStatLanes != 0; ++i)
        one(i);
    for (; i + kStatLanes <= frames; i += kStatLanes) {
        for (int j = 0; j < kStatLanes; ++j) {
            const std::size_t k = i + std::size_t(j);
            p[j] += double(left[k]) * double(right[k]);
            d[j] = maxf(absf(left[k] - right[k]), d[j]);
        }
    }
    for (; i < frames; ++i)
        one(i);
    float m = maxDifference;
    for (int j = 0; j < kStatLanes; ++j) {
        sumProducts[j] = p[j];
        m = maxf(d[j], m);
    }
    maxDifference = m;
}

// Direct form I keeps each section's feedback to one multiply-add per sample on the critical path (the a1 term is
// applied last), so the recursion runs at FMA latency; channels of a group interleave to fill the pipeline.
template <int Group>
STEMSHIP_KERNEL_INLINE void kWeightBody(const float *const *x, KFilterState *state, double *energy,
                                        std::size_t frames, const KFilterCoefficients &c)
{
    const float *in[Group];
    double x1[Group], x2[Group], y1[Group], y2[Group], z1[Group], z2[Group], e[Group];
    for (int g = 0; g < Group; ++g) {
        in[g] = x[g];
        x1[g] = state[g].x1;
        x2[g] = state[g].x2;
        y1[g] = state[g].y1;
        y2[g] = state[g].y2;
        z1[g] = state[g].z1;
        z2[g] = state[g].z2;
        e[g] = energy[g];
    }
    for (std::size_t i = 0; i < frames; ++i) {
        for (int g = 0; g < Group; ++g) {
            const double x0 = double(in[g][i]);
            const double y0 = c.pb0 * x0 + c.pb1 * x1[g] + c.pb2 * x2[g] - c.pa2 * y2[g] - c.pa1 * y1[g];
            const double z0 = y0 - 2.0 * y1[g] + y2[g] - c.ra2 * z2[g] - c.ra1 * z1[g];
            x2[g] = x1[g];
            x1[g] = x0;
            y2[g] = y1[g];
            y1[g] = y0;
            z2[g] = z1[g];
            z1[g] = z0;
            e[g] += z0 * z0;
        }
    }
    for (int g = 0; g < Group; ++g) {
        state[g] = {x1[g], x2[g], y1[g], y2[g], z1[g], z2[g]};
        energy[g] = e[g];
    }
}

// Outputs are computed Width at a time for all phases together, so each input vector loaded serves every phase.
// The scalar tail sums in the same order as the vector body, so a block split never changes a result.
template <int Phases, int Taps>
STEMSHIP_KERNEL_INLINE float truePeakBody(const float *buffer, std::size_t frames, const float *coefficients)
{
    constexpr int kWidth = 16;
    float m[kWidth] = {};
    std::size_t o = 0;
    for (; o + kWidth <= frames; o += kWidth) {
        float acc[Phases][kWidth] = {};
        for (int k = 0; k < Taps; ++k) {
            for (int p = 0; p < Phases; ++p) {
                const float c = coefficients[p * Taps + k];
                for (int j = 0; j < kWidth; ++j)
                    acc[p][j] += c * buffer[o + std::size_t(j + k)];
            }
        }
        for (int p = 0; p < Phases; ++p)
            for (int j = 0; j < kWidth; ++j)
                m[j] = maxf(absf(acc[p][j]), m[j]);
    }
    float result = 0.0f;
    for (int j = 0; j < kWidth; ++j)
        result = maxf(m[j], result);
    for (; o < frames; ++o) {
        for (int p = 0; p < Phases; ++p) {
            float acc = 0.0f;
            for (int k = 0; k < Taps; ++k)
                acc += coefficients[p * Taps + k] * buffer[o + std::size_t(k)];
            result = maxf(absf(acc), result);
        }
    }
    return result;
}

namespace baseline {

std::size_t deinterleave(const float *in, std::size_t channels, std::size_t channel, std::size_t frames, float *dst)
{
    return deinterleaveAny(in, channels, channel, frames, dst);
}
void channelStats(const float *x, std::size_t frames, std::uint64_t firstFrame, float fullScale, ChannelSums &sums,
                  BlockPeaks &peaks)
{
    channelStatsBody(x, frames, firstFrame, fullScale, sums, peaks);
}
void stereoStats(const float *l, const float *r, std::size_t frames, std::uint64_t firstFrame, double *sp, float &md)
{
    stereoStatsBody(l, r, frames, firstFrame, sp, md);
}
template <int G>
void kWeight(const float *const *x, KFilterState *s, double *e, std::size_t frames, const KFilterCoefficients &c)
{
    kWeightBody<G>(x, s, e, frames, c);
}
float truePeak4x(const float *b, std::size_t frames, const float *c)
{
    return truePeakBody<3, 12>(b, frames, c);
}
float truePeak2x(const float *b, std::size_t frames, const float *c)
{
    return truePeakBody<1, 24>(b, frames, c);
}

}  // namespace baseline

#ifdef STEMSHIP_HAVE_AVX2_KERNELS
namespace avx2 {

STEMSHIP_TARGET_AVX2 std::size_t deinterleave(const float *in, std::size_t channels, std::size_t channel,
                                              std::size_t frames, float *dst)
{
    return deinterleaveAny(in, channels, channel, frames, dst);
}
STEMSHIP_TARGET_AVX2 void channelStats(const float *x, std::size_t frames, std::uint64_t firstFrame,
                                       float fullScale, ChannelSums &sums, BlockPeaks &peaks)
{
    channelStatsBody(x, frames, firstFrame, fullScale, sums, peaks);
}
STEMSHIP_TARGET_AVX2 void stereoStats(const float *l, const float *r, std::size_t frames, std::uint64_t firstFrame,
                                      double *sp, float &md)
{
    stereoStatsBody(l, r, frames, firstFrame, sp, md);
}
template <int G>
STEMSHIP_TARGET_AVX2 void kWeight(const float *const *x, KFilterState *s, double *e, std::size_t frames,
                                  const KFilterCoefficients &c)
{
    kWeightBody<G>(x, s, e, frames, c);
}
STEMSHIP_TARGET_AVX2 float truePeak4x(const float *b, std::size_t frames, const float *c)
{
    return truePeakBody<3, 12>(b, frames, c);
}
STEMSHIP_TARGET_AVX2 float truePeak2x(const float *b, std::size_t frames, const float *c)
{
    return truePeakBody<1, 24>(b, frames, c);
}

}  // namespace avx2
#endif

const MeterKernels kBaseline{baseline::deinterleave, baseline::channelStats, baseline::stereoStats,
                             {baseline::kWeight<1>, baseline::kWeight<2>, baseline::kWeight<4>},
                             baseline::truePeak4x, baseline::truePeak2x, "baseline"};

#ifdef STEMSHIP_HAVE_AVX2_KERNELS
const MeterKernels kAvx2{avx2::deinterleave, avx2::channelStats, avx2::stereoStats,
                         {avx2::kWeight<1>, avx2::kWeight<2>, avx2::kWeight<4>},
                         avx2::truePeak4x, avx2::truePeak2x, "avx2+fma"};
#endif

const MeterKernels &selectKernels() noexcept
{
#ifdef STEMSHIP_HAVE_AVX2_KERNELS
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return kAvx2;
#endif
    return kBaseline;
}

}  // namespace

const MeterKernels &meterKernels() noexcept
{
    static const MeterKernels &chosen = selectKernels();
    return chosen;
}

const MeterKernels &baselineMeterKernels() noexcept
{
    return kBaseline;
}

}  // namespace stemship::metering
