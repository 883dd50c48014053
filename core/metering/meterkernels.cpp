#include "meterkernels.h"
#include "kweightkernels.h"
#include "vectorops.h"

#include <cstdlib>
#include <cstring>

// Each kernel body is an always-inline template written with GCC vector extensions; thin wrappers instantiate it
// once for baseline x86-64 (where 256-bit vectors are lowered to SSE2 pairs) and once with target("avx2,fma").
// This file is compiled with -ffp-contract=fast (core/CMakeLists.txt), so a*b+c becomes one FMA in the AVX2 set;
// every code path that computes the same quantity has the same shape, so results do not depend on block splits.
#if defined(__x86_64__) || defined(__i386__)
#define STEMSHIP_HAVE_AVX2_KERNELS 1
#define STEMSHIP_TARGET_AVX2 __attribute__((target("avx2,fma")))
#endif

namespace stemship::metering {

namespace {

using namespace vectorops;
using kernels::kWeightFour;
using kernels::kWeightOne;

template <int Channels>
STEMSHIP_KERNEL_INLINE std::size_t deinterleaveBody(const float *in, std::size_t channels, std::size_t channel,
                                                    std::size_t frames, float *dst)
{
    const std::size_t stride = Channels ? std::size_t(Channels) : channels;
    std::uint32_t replaced = 0;
    for (std::size_t i = 0; i < frames; ++i) {
        const float v = in[i * stride + channel];
        // NaN, +-Inf (exponent all ones) or beyond +100 dBFS (a broken render): one compare on the magnitude bits,
        // which holds under any float mode. The caller tells the kinds apart when any was replaced (rare).
        const std::uint32_t bad = (__builtin_bit_cast(std::uint32_t, v) & 0x7fffffffu) > kCorruptMagnitudeBits;
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

// Stereo in one pass over the input, four frames (one 256-bit load) at a time: the per-channel version reads
// every cache line of the block twice and gathers element by element.
STEMSHIP_KERNEL_INLINE std::size_t deinterleaveStereoBody(const float *in, std::size_t frames, float *left,
                                                          float *right)
{
    using I4 = std::int32_t __attribute__((vector_size(16)));
    I4 replacedLanes = {};  // minus the count per lane: a true comparison lane is -1
    const auto clean = [&](F4 v) __attribute__((always_inline)) {
        const I4 magnitude = reinterpret_cast<I4>(v) & 0x7fffffff;
        const I4 bad = magnitude > std::int32_t(kCorruptMagnitudeBits);
        replacedLanes += bad;
        return reinterpret_cast<F4>(reinterpret_cast<I4>(v) & ~bad);
    };
    std::size_t i = 0;
    for (; i + 4 <= frames; i += 4) {
        F8 v;
        std::memcpy(&v, in + 2 * i, sizeof v);
        const F4 l = clean(__builtin_shufflevector(v, v, 0, 2, 4, 6));
        const F4 r = clean(__builtin_shufflevector(v, v, 1, 3, 5, 7));
        std::memcpy(left + i, &l, sizeof l);
        std::memcpy(right + i, &r, sizeof r);
    }
    const auto replaced = std::size_t(-(replacedLanes[0] + replacedLanes[1] + replacedLanes[2] + replacedLanes[3]));
    return replaced + deinterleaveBody<2>(in + 2 * i, 2, 0, frames - i, left + i) +
           deinterleaveBody<2>(in + 2 * i, 2, 1, frames - i, right + i);
}

template <class Isa>
STEMSHIP_KERNEL_INLINE void channelStatsBody(const float *x, std::size_t frames, std::uint64_t firstFrame,
                                             float fullScale, ChannelSums &sums, BlockPeaks &peaks)
{
    using F = typename Isa::F;
    using D = typename Isa::D;
    constexpr int kFloatVectors = kStatLanes / Isa::kFloats;    // per 8 frames
    float peak = 0.0f;
    std::uint32_t full = 0;
    std::uint32_t over = 0;
    std::size_t i = 0;
    // Unaligned head and tail go to their lanes one by one, with the same arithmetic as the vector body.
    const auto one = [&](std::size_t k) {
        const auto lane = std::size_t((firstFrame + k) % kStatLanes);
        const double d = double(x[k]);
        const float a = absf(x[k]);
        sums.sum[lane] += d;
        sums.sumSquares[lane] += d * d;
        peak = maxf(a, peak);
        full += a >= fullScale;
        over += a > 1.0f;
    };
    for (; i < frames && (firstFrame + i) % kStatLanes != 0; ++i)
        one(i);
    if (i + kStatLanes <= frames) {
        // Accumulators as named vectors (arrays of vectors would live on the stack): lanes 0..7 in order.
        D s0, s1, s2 = {}, s3 = {}, q0, q1, q2 = {}, q3 = {};
        std::memcpy(&s0, sums.sum, sizeof(D));
        std::memcpy(&s1, sums.sum + Isa::kDoubles, sizeof(D));
        std::memcpy(&q0, sums.sumSquares, sizeof(D));
        std::memcpy(&q1, sums.sumSquares + Isa::kDoubles, sizeof(D));
        if constexpr (kFloatVectors == 2) {
            std::memcpy(&s2, sums.sum + 4, sizeof(D));
            std::memcpy(&s3, sums.sum + 6, sizeof(D));
            std::memcpy(&q2, sums.sumSquares + 4, sizeof(D));
            std::memcpy(&q3, sums.sumSquares + 6, sizeof(D));
        }
        F pk = {};
        typename Isa::I fullLanes = {};
        typename Isa::I overLanes = {};
        const auto add = [&](F v, D &sLow, D &sHigh, D &qLow, D &qHigh) __attribute__((always_inline)) {
            const F a = absv<Isa>(v);
            const D lo = Isa::low(v);
            const D hi = Isa::high(v);
            sLow += lo;
            sHigh += hi;
            qLow += lo * lo;
            qHigh += hi * hi;
            pk = maxv<Isa>(a, pk);
            fullLanes -= a >= fullScale;  // a true comparison lane is -1
            overLanes -= a > 1.0f;
        };
        for (; i + kStatLanes <= frames; i += kStatLanes) {
            add(load<Isa>(x + i), s0, s1, q0, q1);
            if constexpr (kFloatVectors == 2)
                add(load<Isa>(x + i + 4), s2, s3, q2, q3);
        }
        std::memcpy(sums.sum, &s0, sizeof(D));
        std::memcpy(sums.sum + Isa::kDoubles, &s1, sizeof(D));
        std::memcpy(sums.sumSquares, &q0, sizeof(D));
        std::memcpy(sums.sumSquares + Isa::kDoubles, &q1, sizeof(D));
        if constexpr (kFloatVectors == 2) {
            std::memcpy(sums.sum + 4, &s2, sizeof(D));
            std::memcpy(sums.sum + 6, &s3, sizeof(D));
            std::memcpy(sums.sumSquares + 4, &q2, sizeof(D));
            std::memcpy(sums.sumSquares + 6, &q3, sizeof(D));
        }
        peak = maxf(horizontalMax<Isa>(pk), peak);
        for (int j = 0; j < Isa::kFloats; ++j) {
            full += std::uint32_t(fullLanes[j]);
            over += std::uint32_t(overLanes[j]);
        }
    }
    for (; i < frames; ++i)
        one(i);
    peaks.peak = peak;
    peaks.fullScale = full;
    peaks.overFullScale = over;
}

template <class Isa>
STEMSHIP_KERNEL_INLINE void stereoStatsBody(const float *left, const float *right, std::size_t frames,
                                            std::uint64_t firstFrame, double *sumProducts, float &maxDifference)
{
    using F = typename Isa::F;
    using D = typename Isa::D;
    constexpr int kFloatVectors = kStatLanes / Isa::kFloats;
    float diff = maxDifference;
    std::size_t i = 0;
    const auto one = [&](std::size_t k) {
        sumProducts[(firstFrame + k) % kStatLanes] += double(left[k]) * double(right[k]);
        diff = maxf(absf(left[k] - right[k]), diff);
    };
    for (; i < frames && (firstFrame + i) % kStatLanes != 0; ++i)
        one(i);
    if (i + kStatLanes <= frames) {
        D p0, p1, p2 = {}, p3 = {};
        std::memcpy(&p0, sumProducts, sizeof(D));
        std::memcpy(&p1, sumProducts + Isa::kDoubles, sizeof(D));
        if constexpr (kFloatVectors == 2) {
            std::memcpy(&p2, sumProducts + 4, sizeof(D));
            std::memcpy(&p3, sumProducts + 6, sizeof(D));
        }
        F d = {};
        const auto add = [&](F l, F r, D &pLow, D &pHigh) __attribute__((always_inline)) {
            pLow += Isa::low(l) * Isa::low(r);
            pHigh += Isa::high(l) * Isa::high(r);
            d = maxv<Isa>(absv<Isa>(l - r), d);
        };
        for (; i + kStatLanes <= frames; i += kStatLanes) {
            add(load<Isa>(left + i), load<Isa>(right + i), p0, p1);
            if constexpr (kFloatVectors == 2)
                add(load<Isa>(left + i + 4), load<Isa>(right + i + 4), p2, p3);
        }
        std::memcpy(sumProducts, &p0, sizeof(D));
        std::memcpy(sumProducts + Isa::kDoubles, &p1, sizeof(D));
        if constexpr (kFloatVectors == 2) {
            std::memcpy(sumProducts + 4, &p2, sizeof(D));
            std::memcpy(sumProducts + 6, &p3, sizeof(D));
        }
        diff = maxf(horizontalMax<Isa>(d), diff);
    }
    for (; i < frames; ++i)
        one(i);
    maxDifference = diff;
}

// Outputs first .. end of one tile, two vectors of outputs at a time for all phases together, so every input
// vector loaded serves every phase; coefficients are broadcast per tap. The scalar tail accumulates in the same
// order, so each output has the same value whichever path computes it and a block split never changes a result.
template <class Isa, int Phases, int Taps>
STEMSHIP_KERNEL_INLINE float truePeakTile(const float *buffer, std::size_t first, std::size_t end,
                                          const float *coefficients)
{
    using F = typename Isa::F;
    constexpr auto kWidth = std::size_t(Isa::kFloats);
    F m0 = {};
    F m1 = {};
    std::size_t o = first;
    for (; o + 2 * kWidth <= end; o += 2 * kWidth) {
        F a0[Phases] = {};
        F a1[Phases] = {};
#pragma GCC unroll 24
        for (int k = 0; k < Taps; ++k) {
            const F x0 = load<Isa>(buffer + o + std::size_t(k));
            const F x1 = load<Isa>(buffer + o + std::size_t(k) + kWidth);
#pragma GCC unroll 4
            for (int p = 0; p < Phases; ++p) {
                const float cv = coefficients[p * Taps + k];
                a0[p] += cv * x0;
                a1[p] += cv * x1;
            }
        }
#pragma GCC unroll 4
        for (int p = 0; p < Phases; ++p) {
            m0 = maxv<Isa>(absv<Isa>(a0[p]), m0);
            m1 = maxv<Isa>(absv<Isa>(a1[p]), m1);
        }
    }
    float result = maxf(horizontalMax<Isa>(m0), horizontalMax<Isa>(m1));
    for (; o < end; ++o) {
        for (int p = 0; p < Phases; ++p) {
            float acc = 0.0f;
            for (int k = 0; k < Taps; ++k)
                acc += coefficients[p * Taps + k] * buffer[o + std::size_t(k)];
            result = maxf(absf(acc), result);
        }
    }
    return result;
}

// Largest |x| of x[0 .. n).
template <class Isa> STEMSHIP_KERNEL_INLINE float absMax(const float *x, std::size_t n)
{
    constexpr auto kWidth = std::size_t(Isa::kFloats);
    typename Isa::F m = {};
    std::size_t i = 0;
    for (; i + kWidth <= n; i += kWidth)
        m = maxv<Isa>(absv<Isa>(load<Isa>(x + i)), m);
    float result = horizontalMax<Isa>(m);
    for (; i < n; ++i)
        result = maxf(absf(x[i]), result);
    return result;
}

// Every comparison is false for NaN, so NaN never enters lo or hi; the same shape in the vector and scalar parts.
template <class Isa>
STEMSHIP_KERNEL_INLINE void clampedRangeBody(const float *x, std::size_t n, float limit, float &lo, float &hi)
{
    using F = typename Isa::F;
    constexpr auto kWidth = std::size_t(Isa::kFloats);
    const F up = F{} + limit, down = F{} - limit;
    F low = F{} + lo, high = F{} + hi;
    std::size_t i = 0;
    for (; i + kWidth <= n; i += kWidth) {
        const F v = load<Isa>(x + i);
        const F atLeast = v < down ? down : v, atMost = v > up ? up : v;
        low = atLeast < low ? atLeast : low;
        high = atMost > high ? atMost : high;
    }
    float l = lo, h = hi;
    for (int j = 0; j < Isa::kFloats; ++j) {
        l = low[j] < l ? low[j] : l;
        h = high[j] > h ? high[j] : h;
    }
    for (; i < n; ++i) {
        const float atLeast = x[i] < -limit ? -limit : x[i], atMost = x[i] > limit ? limit : x[i];
        l = atLeast < l ? atLeast : l;
        h = atMost > h ? atMost : h;
    }
    lo = l;
    hi = h;
}

template <class Isa>
STEMSHIP_KERNEL_INLINE void codeBitsBody(const float *x, std::size_t n, float scale, std::uint32_t &bits,
                                         std::uint64_t &nonZero)
{
    using F = typename Isa::F;
    using I = typename Isa::I;
    constexpr auto kWidth = std::size_t(Isa::kFloats);
    const F s = F{} + scale;
    I ored = {}, minusCount = {};  // a true comparison lane is -1
    std::size_t i = 0;
    for (; i + kWidth <= n; i += kWidth) {
        const I code = __builtin_convertvector(load<Isa>(x + i) * s, I);
        ored |= code;
        minusCount += code != 0;
    }
    std::uint32_t b = bits;
    std::int64_t counted = 0;
    for (int j = 0; j < Isa::kFloats; ++j) {
        b |= std::uint32_t(ored[j]);
        counted -= minusCount[j];
    }
    for (; i < n; ++i) {
        const float v = x[i] * scale;
        const auto code = v > -2147483648.0f && v < 2147483648.0f ? std::int32_t(v) : 0;
        b |= std::uint32_t(code);
        counted += code != 0;
    }
    bits = b;
    nonZero += std::uint64_t(counted);
}

// Tiles of 64 outputs; a tile whose inputs bound every output at or below max(known, found so far) is skipped.
// Exact: the skipped outputs could not have changed the maximum the caller keeps.
template <class Isa, int Phases, int Taps>
STEMSHIP_KERNEL_INLINE float truePeakBody(const float *buffer, std::size_t frames, const float *coefficients,
                                          float known, float gainBound)
{
    constexpr std::size_t kTile = 64;
    float result = 0.0f;
    for (std::size_t first = 0; first < frames; first += kTile) {
        const std::size_t end = first + kTile < frames ? first + kTile : frames;
        if (gainBound * absMax<Isa>(buffer + first, end - first + Taps - 1) <= maxf(known, result))
            continue;
        result = maxf(truePeakTile<Isa, Phases, Taps>(buffer, first, end, coefficients), result);
    }
    return result;
}

// The kernel set for one instruction set; ATTR is empty or the AVX2 target attribute, ISA its vector widths.
#define STEMSHIP_KERNEL_SET(ATTR, ISA)                                                                                  \
    ATTR std::size_t deinterleave(const float *in, std::size_t channels, std::size_t channel, std::size_t frames,    \
                                  float *dst)                                                                        \
    {                                                                                                                \
        return deinterleaveAny(in, channels, channel, frames, dst);                                                  \
    }                                                                                                                \
    ATTR std::size_t deinterleaveStereo(const float *in, std::size_t frames, float *left, float *right)              \
    {                                                                                                                \
        return deinterleaveStereoBody(in, frames, left, right);                                                      \
    }                                                                                                                \
    ATTR void channelStats(const float *x, std::size_t frames, std::uint64_t firstFrame, float fullScale,            \
                           ChannelSums &sums, BlockPeaks &peaks)                                                     \
    {                                                                                                                \
        channelStatsBody<ISA>(x, frames, firstFrame, fullScale, sums, peaks);                                        \
    }                                                                                                                \
    ATTR void stereoStats(const float *l, const float *r, std::size_t frames, std::uint64_t firstFrame, double *sp,  \
                          float &md)                                                                                 \
    {                                                                                                                \
        stereoStatsBody<ISA>(l, r, frames, firstFrame, sp, md);                                                      \
    }                                                                                                                \
    ATTR void kWeight(const float *x, KFilterState &s, double &e, std::size_t frames, const KFilterCoefficients &c)  \
    {                                                                                                                \
        kWeightOne(x, s, e, frames, c);                                                                              \
    }                                                                                                                \
    ATTR void kWeightLanes(const float *const *x, KFilterState *s, double *e, double *k, const double *const *b,     \
                           std::size_t frames, const KFilterCoefficients &c)                                         \
    {                                                                                                                \
        kWeightFour(x, s, e, k, b, frames, c);                                                                       \
    }                                                                                                                \
    ATTR float truePeak4x(const float *b, std::size_t frames, const float *c, float known, float bound)              \
    {                                                                                                                \
        return truePeakBody<ISA, 3, 12>(b, frames, c, known, bound);                                                 \
    }                                                                                                                \
    ATTR float truePeak2x(const float *b, std::size_t frames, const float *c, float known, float bound)              \
    {                                                                                                                \
        return truePeakBody<ISA, 1, 24>(b, frames, c, known, bound);                                                 \
    }                                                                                                                \
    ATTR void clampedRange(const float *x, std::size_t n, float limit, float &lo, float &hi)                         \
    {                                                                                                                \
        clampedRangeBody<ISA>(x, n, limit, lo, hi);                                                                  \
    }                                                                                                                \
    ATTR void codeBits(const float *x, std::size_t n, float scale, std::uint32_t &bits, std::uint64_t &nonZero)      \
    {                                                                                                                \
        codeBitsBody<ISA>(x, n, scale, bits, nonZero);                                                               \
    }

namespace baseline {
STEMSHIP_KERNEL_SET(, Sse2)
}  // namespace baseline

#ifdef STEMSHIP_HAVE_AVX2_KERNELS
namespace avx2 {
STEMSHIP_KERNEL_SET(STEMSHIP_TARGET_AVX2, Avx2)
}  // namespace avx2
#endif

const MeterKernels kBaseline{baseline::deinterleave, baseline::deinterleaveStereo, baseline::channelStats, baseline::stereoStats,
                             baseline::kWeight, baseline::kWeightLanes,
                             baseline::truePeak4x, baseline::truePeak2x, baseline::clampedRange, baseline::codeBits, "baseline"};

#ifdef STEMSHIP_HAVE_AVX2_KERNELS
const MeterKernels kAvx2{avx2::deinterleave, avx2::deinterleaveStereo, avx2::channelStats, avx2::stereoStats,
                         avx2::kWeight, avx2::kWeightLanes,
                         avx2::truePeak4x, avx2::truePeak2x, avx2::clampedRange, avx2::codeBits, "avx2+fma"};
#endif

const MeterKernels &selectKernels() noexcept
{
    // STEMSHIP_METER_KERNELS=baseline runs the baseline set on any CPU, so tests and benches can cover both.
    if (const char *forced = std::getenv("STEMSHIP_METER_KERNELS"); forced && std::strcmp(forced, "baseline") == 0)
        return kBaseline;
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
