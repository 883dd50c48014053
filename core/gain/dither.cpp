#include "gain/dither.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define STEMSHIP_DITHER_AVX2 1
#endif

namespace stemship::gain {
namespace {

using LaneState = Quantizer::LaneState;
constexpr std::size_t kLanes = Quantizer::kLanes;

// splitmix64 (Vigna): spreads one seed over the 8 x 128 bits of lane state, never all zero.
std::uint64_t splitmix(std::uint64_t &x)
{
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

inline std::uint32_t rotl(std::uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

struct Codes {
    double scale, minCode, maxCode;
};

// Portable path: the AVX2 one lane by lane, in the same order, so both give the same bits.
std::uint64_t quantizeScalar(LaneState &st, const Codes &c, bool dither, const float *in, float gain,
                             std::int32_t *out, std::size_t samples)
{
    std::uint64_t clipped = 0;
    for (std::size_t base = 0; base < samples; base += kLanes) {
        double d[kLanes] = {};
        if (dither) {
            for (std::size_t l = 0; l < kLanes; ++l) {
                std::uint32_t &s0 = st.s[0][l], &s1 = st.s[1][l], &s2 = st.s[2][l], &s3 = st.s[3][l];
                const std::uint32_t r = rotl(s1 * 5u, 7) * 9u;
                const std::uint32_t t = s1 << 9;
                s2 ^= s0;
                s3 ^= s1;
                s1 ^= s2;
                s0 ^= s3;
                s2 ^= t;
                s3 = rotl(s3, 11);
                // The draw's two 16-bit halves are two uniforms on [0, 1) at 2^-16 resolution; summed and centred
                // they are TPDF on (-1, 1) LSB, mean exactly 0. The sum is an exact integer before it is scaled.
                d[l] = double(std::int32_t((r >> 16) + (r & 0xffffu)) - 65535) * (1.0 / 65536.0);
            }
        }
        const std::size_t n = std::min(kLanes, samples - base);
        for (std::size_t l = 0; l < n; ++l) {
            double v = double(in[base + l] * gain) * c.scale + d[l];
            if (!(v == v))
                v = 0.0;  // NaN
            v = std::clamp(v, c.minCode - 1.0, c.maxCode + 1.0);  // infinities too, before the integer conversion
            // Round half away from zero by truncation.
            double q = std::trunc(v + (v >= 0.0 ? 0.5 : -0.5));
            if (q > c.maxCode || q < c.minCode) {
                q = std::clamp(q, c.minCode, c.maxCode);
                ++clipped;
            }
            out[base + l] = std::int32_t(q);
        }
    }
    return clipped;
}

#ifdef STEMSHIP_DITHER_AVX2
__attribute__((target("avx2"))) inline __m256i rotl8(__m256i x, int k)
{
    return _mm256_or_si256(_mm256_slli_epi32(x, k), _mm256_srli_epi32(x, 32 - k));
}

// One xoshiro128** step of all eight lanes.
__attribute__((target("avx2"))) inline __m256i nextDraw(__m256i &s0, __m256i &s1, __m256i &s2, __m256i &s3)
{
    const __m256i x5 = _mm256_add_epi32(_mm256_slli_epi32(s1, 2), s1);
    const __m256i r7 = rotl8(x5, 7);
    const __m256i result = _mm256_add_epi32(_mm256_slli_epi32(r7, 3), r7);
    const __m256i t = _mm256_slli_epi32(s1, 9);
    s2 = _mm256_xor_si256(s2, s0);
    s3 = _mm256_xor_si256(s3, s1);
    s1 = _mm256_xor_si256(s1, s2);
    s0 = _mm256_xor_si256(s0, s3);
    s2 = _mm256_xor_si256(s2, t);
    s3 = rotl8(s3, 11);
    return result;
}

// Four samples: v = in * scale + d, NaN to 0, clamp, round half away from zero, count and clip codes.
// (No clamp before rounding as the portable path has: inf and huge values round to themselves and are clipped
// below, with the same result and count.)
__attribute__((target("avx2"))) inline __m128i quantize4(__m256d v, __m256d lo, __m256d hi,
                                                        __m256i &clipped)
{
    v = _mm256_and_pd(v, _mm256_cmp_pd(v, v, _CMP_ORD_Q));  // NaN -> +0
    const __m256d half = _mm256_or_pd(_mm256_and_pd(_mm256_cmp_pd(v, _mm256_setzero_pd(), _CMP_LT_OQ),
                                                    _mm256_set1_pd(-0.0)), _mm256_set1_pd(0.5));
    __m256d q = _mm256_round_pd(_mm256_add_pd(v, half), _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m256d out = _mm256_or_pd(_mm256_cmp_pd(q, hi, _CMP_GT_OQ), _mm256_cmp_pd(q, lo, _CMP_LT_OQ));
    clipped = _mm256_sub_epi64(clipped, _mm256_castpd_si256(out));  // each all-ones lane is -1
    q = _mm256_min_pd(_mm256_max_pd(q, lo), hi);
    return _mm256_cvttpd_epi32(q);
}

struct Avx2Consts {
    __m256 gain;
    __m256d scale, lo, hi, unit;
    __m256i low16, offset;
};

// Eight samples, gain to codes; one dither draw per sample when dither is set.
__attribute__((target("avx2"))) inline void quantize8(const Avx2Consts &k, bool dither, __m256i (&s)[4], __m256i &clipped,
                                                      __m256 x, std::int32_t *dst)
{
    x = _mm256_mul_ps(x, k.gain);
    __m256d v0 = _mm256_mul_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(x)), k.scale);
    __m256d v1 = _mm256_mul_pd(_mm256_cvtps_pd(_mm256_extractf128_ps(x, 1)), k.scale);
    if (dither) {
        const __m256i r = nextDraw(s[0], s[1], s[2], s[3]);
        const __m256i sum = _mm256_sub_epi32(_mm256_add_epi32(_mm256_srli_epi32(r, 16), _mm256_and_si256(r, k.low16)), k.offset);
        const __m256d d0 = _mm256_mul_pd(_mm256_cvtepi32_pd(_mm256_castsi256_si128(sum)), k.unit);
        const __m256d d1 = _mm256_mul_pd(_mm256_cvtepi32_pd(_mm256_extracti128_si256(sum, 1)), k.unit);
        v0 = _mm256_add_pd(v0, d0);
        v1 = _mm256_add_pd(v1, d1);
    }
    const __m128i q0 = quantize4(v0, k.lo, k.hi, clipped);
    const __m128i q1 = quantize4(v1, k.lo, k.hi, clipped);
    _mm256_storeu_si256(reinterpret_cast<__m256i *>(dst), _mm256_set_m128i(q1, q0));
}

__attribute__((target("avx2"))) std::uint64_t quantizeAvx2(LaneState &st, const Codes &c, bool dither, const float *in,
                                                           float gain, std::int32_t *out, std::size_t samples)
{
    __m256i s[4];
    for (int w = 0; w < 4; ++w)
        s[w] = _mm256_load_si256(reinterpret_cast<const __m256i *>(st.s[w]));
    const Avx2Consts k{_mm256_set1_ps(gain), _mm256_set1_pd(c.scale), _mm256_set1_pd(c.minCode),
                       _mm256_set1_pd(c.maxCode), _mm256_set1_pd(1.0 / 65536.0), _mm256_set1_epi32(0xffff),
                       _mm256_set1_epi32(65535)};
    __m256i clipped = _mm256_setzero_si256();
    std::size_t base = 0;
    for (; base + kLanes <= samples; base += kLanes)
        quantize8(k, dither, s, clipped, _mm256_loadu_ps(in + base), out + base);
    if (base < samples) {
        alignas(32) float tailIn[kLanes] = {};
        alignas(32) std::int32_t tailOut[kLanes];
        std::memcpy(tailIn, in + base, (samples - base) * sizeof(float));
        quantize8(k, dither, s, clipped, _mm256_load_ps(tailIn), tailOut);  // padding: zeros, never clipped
        std::memcpy(out + base, tailOut, (samples - base) * sizeof(std::int32_t));
    }
    for (int w = 0; w < 4; ++w)
        _mm256_store_si256(reinterpret_cast<__m256i *>(st.s[w]), s[w]);
    alignas(32) std::int64_t counts[4];
    _mm256_store_si256(reinterpret_cast<__m256i *>(counts), clipped);
    return std::uint64_t(counts[0] + counts[1] + counts[2] + counts[3]);
}

// 24-bit codes to little-endian bytes, eight at a time: each 128-bit half keeps bytes 0-2 of its four codes. The
// second 16-byte store of a group runs 4 bytes into the next group, so the last 16 codes are left to the caller.
__attribute__((target("avx2"))) std::size_t pack24Avx2(const std::int32_t *codes, unsigned char *out, std::size_t n)
{
    const __m256i keep = _mm256_setr_epi8(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1,
                                          0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1);
    std::size_t i = 0;
    for (; i + 16 <= n; i += 8, out += 24) {
        const __m256i packed = _mm256_shuffle_epi8(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(codes + i)), keep);
        _mm_storeu_si128(reinterpret_cast<__m128i *>(out), _mm256_castsi256_si128(packed));
        _mm_storeu_si128(reinterpret_cast<__m128i *>(out + 12), _mm256_extracti128_si256(packed, 1));
    }
    return i;
}

bool haveAvx2()
{
    static const bool yes = __builtin_cpu_supports("avx2");
    return yes;
}
#endif

}  // namespace

Quantizer::Quantizer(int bits, bool dither, std::uint64_t seed, Path path) noexcept
    : m_bits(bits), m_dither(dither && bits < 32), m_avx2(false), m_rng{}
{
#ifdef STEMSHIP_DITHER_AVX2
    m_avx2 = path == Path::Fastest && haveAvx2();
#else
    (void)path;
#endif
    std::uint64_t x = seed;
    for (std::size_t l = 0; l < kLanes; ++l) {
        const std::uint64_t a = splitmix(x), b = splitmix(x);
        m_rng.s[0][l] = std::uint32_t(a);
        m_rng.s[1][l] = std::uint32_t(a >> 32);
        m_rng.s[2][l] = std::uint32_t(b);
        m_rng.s[3][l] = std::uint32_t(b >> 32) | 1u;  // xoshiro's state must not be all zero
    }
}

void Quantizer::quantize(const float *in, float gain, std::int32_t *codes, std::size_t samples) noexcept
{
    const double scale = std::ldexp(1.0, m_bits - 1);
    const Codes c{scale, -scale, scale - 1.0};
#ifdef STEMSHIP_DITHER_AVX2
    if (m_avx2) {
        m_clipped += quantizeAvx2(m_rng, c, m_dither, in, gain, codes, samples);
        return;
    }
#endif
    m_clipped += quantizeScalar(m_rng, c, m_dither, in, gain, codes, samples);
}

void Quantizer::process(const float *in, std::int32_t *out, std::size_t samples) noexcept
{
    // Digital silence stays digital silence: no dither noise over blocks that are exactly zero.
    if (std::all_of(in, in + samples, [](float x) { return x == 0.0f; })) {
        std::fill(out, out + samples, 0);
        return;
    }
    quantize(in, 1.0f, out, samples);
    const int shift = 32 - m_bits;
    for (std::size_t i = 0; i < samples; ++i)
        out[i] = std::int32_t(std::uint32_t(out[i]) << shift);
}

void Quantizer::processPacked(const float *in, float gain, unsigned char *out, std::size_t samples) noexcept
{
    const std::size_t width = std::size_t(m_bits / 8);
    if (std::all_of(in, in + samples, [](float x) { return x == 0.0f; })) {
        std::memset(out, 0, samples * width);
        return;
    }
    constexpr std::size_t kChunk = 2048;
    alignas(32) std::int32_t codes[kChunk];
    for (std::size_t done = 0; done < samples;) {
        const std::size_t n = std::min(kChunk, samples - done);
        quantize(in + done, gain, codes, n);
        unsigned char *o = out + done * width;
        // WAV PCM is little-endian, two's complement (RIFF spec); the low bytes of each code.
        switch (width) {
        case 2:
            for (std::size_t i = 0; i < n; ++i) {
                const auto u = std::uint32_t(codes[i]);
                o[2 * i] = static_cast<unsigned char>(u);
                o[2 * i + 1] = static_cast<unsigned char>(u >> 8);
            }
            break;
        case 3: {
            std::size_t i = 0;
#ifdef STEMSHIP_DITHER_AVX2
            if (m_avx2)
                i = pack24Avx2(codes, o, n);
#endif
            for (; i < n; ++i) {
                const auto u = std::uint32_t(codes[i]);
                o[3 * i] = static_cast<unsigned char>(u);
                o[3 * i + 1] = static_cast<unsigned char>(u >> 8);
                o[3 * i + 2] = static_cast<unsigned char>(u >> 16);
            }
            break;
        }
        default:
            std::memcpy(o, codes, n * sizeof(std::int32_t));  // x86 and ARM Linux are little-endian
            break;
        }
        done += n;
    }
}

bool needsDither(int outputBits, bool outputIsFloat, bool sourceIsFloat, int sourceBits, bool processed)
{
    if (outputIsFloat || outputBits >= 32)
        return false;
    return sourceIsFloat || sourceBits > outputBits || processed;
}

}  // namespace stemship::gain
