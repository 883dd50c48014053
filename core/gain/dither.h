#pragma once

// Word-length reduction: TPDF dither and rounding to 16/24/32-bit PCM. Plain C++, no allocation.

#include <cstddef>
#include <cstdint>

namespace stemship::gain {

// Rounds float samples to PCM: left-justified in 32 bits (a 24-bit value s becomes s << 8, as sf_writef_int
// expects), or packed little-endian as a WAV data chunk holds it. The TPDF dither comes from eight interleaved
// xoshiro128** streams (Blackman & Vigna 2018). Triangular-PDF dither is the sum of two independent uniform
// draws, each 1 LSB peak-to-peak (here the two 16-bit halves of one 32-bit draw: 2^-16 LSB resolution) (Lipshitz, Wannamaker & Vanderkooy 1992: the lowest-power dither that makes the
// first two moments of the error independent of the signal); eight samples at a time (AVX2 when the CPU has it;
// the portable path gives the same bits). Deterministic for a given seed.
class Quantizer {
public:
    static constexpr std::size_t kLanes = 8;
    // Fastest: AVX2 where the CPU has it. Portable: plain C++ (the tests check both give the same bits).
    enum class Path { Fastest, Portable };

    // bits: 16, 24 or 32. Dither is added before rounding when `dither` is set (never at 32 bits); blocks that
    // are exactly zero stay exactly zero.
    Quantizer(int bits, bool dither, std::uint64_t seed = 0x5eed5eed5eedULL, Path path = Path::Fastest) noexcept;
    void process(const float *in, std::int32_t *out, std::size_t samples) noexcept;
    // in[i] * gain, rounded, written as bits / 8 little-endian bytes per sample (out holds samples * bits / 8).
    // Uses no scratch beyond one fixed block on the stack.
    void processPacked(const float *in, float gain, unsigned char *out, std::size_t samples) noexcept;
    std::uint64_t clippedSamples() const noexcept { return m_clipped; }
    int bits() const noexcept { return m_bits; }
    bool dithered() const noexcept { return m_dither; }

    // xoshiro128** state, word-major: m_state[w][lane].
    struct LaneState {
        alignas(32) std::uint32_t s[4][kLanes];
    };

private:
    // Right-justified codes of in[i] * gain.
    void quantize(const float *in, float gain, std::int32_t *codes, std::size_t samples) noexcept;

    int m_bits;
    bool m_dither;
    bool m_avx2;
    LaneState m_rng;
    std::uint64_t m_clipped = 0;
};

// Whether going from the source's word length to the output's needs dither: whenever the output is 16 or
// 24-bit PCM and the samples are not already exactly representable at that depth (a float or deeper source,
// or any gain or resampling applied).
bool needsDither(int outputBits, bool outputIsFloat, bool sourceIsFloat, int sourceBits, bool processed);

}  // namespace stemship::gain
