#pragma once

// Word-length reduction: TPDF dither and rounding to 16/24/32-bit PCM. Plain C++, no allocation.

#include <cstddef>
#include <cstdint>

namespace stemship::gain {

// Triangular-PDF dither: the sum of two independent uniform sources, each 1 LSB peak-to-peak, so the result
// spans -1..+1 LSB (Lipshitz, Wannamaker & Vanderkooy 1992: the lowest-power dither that makes the first two
// moments of the error independent of the signal). Deterministic for a given seed.
class TpdfDither {
public:
    explicit TpdfDither(std::uint64_t seed = 0x5eed5eed5eedULL) noexcept;
    // One dither value in LSB units, in (-1, 1).
    float next() noexcept;

private:
    std::uint64_t m_state;
};

// Rounds float samples to left-justified PCM (a 24-bit value s becomes s << 8, as sf_writef_int expects).
class Quantizer {
public:
    // bits: 16, 24 or 32. Dither is added before rounding when `dither` is set (never at 32 bits); blocks that
    // are exactly zero stay exactly zero.
    Quantizer(int bits, bool dither, std::uint64_t seed = 0x5eed5eed5eedULL) noexcept;
    void process(const float *in, std::int32_t *out, std::size_t samples) noexcept;
    std::uint64_t clippedSamples() const noexcept { return m_clipped; }
    int bits() const noexcept { return m_bits; }
    bool dithered() const noexcept { return m_dither; }

private:
    int m_bits;
    bool m_dither;
    TpdfDither m_rng;
    std::uint64_t m_clipped = 0;
};

// Whether going from the source's word length to the output's needs dither: whenever the output is 16 or
// 24-bit PCM and the samples are not already exactly representable at that depth (a float or deeper source,
// or any gain or resampling applied).
bool needsDither(int outputBits, bool outputIsFloat, bool sourceIsFloat, int sourceBits, bool processed);

}  // namespace stemship::gain
