#include "gain/dither.h"

#include <algorithm>
#include <cmath>

namespace stemship::gain {

TpdfDither::TpdfDither(std::uint64_t seed) noexcept : m_state(seed ? seed : 0x9e3779b97f4a7c15ULL) {}

float TpdfDither::next() noexcept
{
    // xorshift64* (Vigna 2016), fast and reproducible; both uniform sources come from one 64-bit draw (its
    // high and low 32 bits).
    m_state ^= m_state >> 12;
    m_state ^= m_state << 25;
    m_state ^= m_state >> 27;
    const std::uint64_t r = m_state * 0x2545f4914f6cdd1dULL;
    return float(double(r >> 32) * (1.0 / 4294967296.0) + double(r & 0xffffffffu) * (1.0 / 4294967296.0) - 1.0);
}

Quantizer::Quantizer(int bits, bool dither, std::uint64_t seed) noexcept
    : m_bits(bits), m_dither(dither && bits < 32), m_rng(seed)
{
}

void Quantizer::process(const float *in, std::int32_t *out, std::size_t samples) noexcept
{
    const double scale = std::ldexp(1.0, m_bits - 1);
    const double maxCode = scale - 1.0, minCode = -scale;
    const int shift = 32 - m_bits;
    // Digital silence stays digital silence: no dither noise over blocks that are exactly zero.
    if (std::all_of(in, in + samples, [](float x) { return x == 0.0f; })) {
        std::fill(out, out + samples, 0);
        return;
    }
    for (std::size_t i = 0; i < samples; ++i) {
        double v = double(in[i]) * scale;
        if (m_dither)
            v += double(m_rng.next());
        if (!(v == v))
            v = 0.0;  // NaN
        v = std::clamp(v, minCode - 1.0, maxCode + 1.0);  // infinities too, before the integer conversion
        // Round half away from zero by truncation: no libm call in the inner loop.
        double q = double(std::int64_t(v + (v >= 0.0 ? 0.5 : -0.5)));
        if (q > maxCode) {
            q = maxCode;
            ++m_clipped;
        } else if (q < minCode) {
            q = minCode;
            ++m_clipped;
        }
        out[i] = std::int32_t(std::int64_t(q) * (std::int64_t(1) << shift));
    }
}

bool needsDither(int outputBits, bool outputIsFloat, bool sourceIsFloat, int sourceBits, bool processed)
{
    if (outputIsFloat || outputBits >= 32)
        return false;
    return sourceIsFloat || sourceBits > outputBits || processed;
}

}  // namespace stemship::gain
