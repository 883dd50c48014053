#include "metering/bandenergy.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace stemship::metering {
namespace {

// In-place iterative radix-2 FFT (decimation in time); twiddles[k] = exp(-2 pi i k / n) for k < n / 2.
void fft(std::vector<std::complex<double>> &x, const std::vector<std::complex<double>> &twiddles)
{
    const std::size_t n = x.size();
    for (std::size_t i = 1, j = 0; i < n; ++i) {
        std::size_t bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j)
            std::swap(x[i], x[j]);
    }
    for (std::size_t len = 2; len <= n; len <<= 1) {
        const std::size_t stride = n / len;
        for (std::size_t start = 0; start < n; start += len)
            for (std::size_t k = 0; k < len / 2; ++k) {
                const std::complex<double> t = twiddles[k * stride] * x[start + k + len / 2];
                x[start + k + len / 2] = x[start + k] - t;
                x[start + k] += t;
            }
    }
}

}  // namespace

BandEnergySplit::BandEnergySplit(double sampleRateHz, double splitHz)
{
    // About 0.7 s frames: bins of ~1.5 Hz at 48 kHz, so the window's main lobe (+-4 bins) spans +-6 Hz.
    m_size = 1024;
    while (double(m_size) < sampleRateHz * 0.5)
        m_size <<= 1;
    m_splitBin = std::size_t(std::ceil(splitHz * double(m_size) / sampleRateHz));
    m_window.resize(m_size);
    for (std::size_t i = 0; i < m_size; ++i) {
        // 4-term Blackman-Harris (Harris 1978, Proc. IEEE 66(1), table 1).
        const double a = 2.0 * std::numbers::pi * double(i) / double(m_size);
        m_window[i] = 0.35875 - 0.48829 * std::cos(a) + 0.14128 * std::cos(2 * a) - 0.01168 * std::cos(3 * a);
    }
    m_buffer.assign(m_size, 0.0f);
    m_spectrum.resize(m_size);
    m_twiddles.resize(m_size / 2);
    for (std::size_t k = 0; k < m_size / 2; ++k)
        m_twiddles[k] = std::polar(1.0, -2.0 * std::numbers::pi * double(k) / double(m_size));
}

void BandEnergySplit::process(const float *interleaved, std::size_t frames, int channels, int channel)
{
    for (std::size_t i = 0; i < frames; ++i) {
        const float v = interleaved[i * std::size_t(channels) + std::size_t(channel)];
        m_buffer[m_filled++] = std::isfinite(v) ? v : 0.0f;
        m_fresh = true;
        if (m_filled == m_size) {
            analyseFrame();
            // 50 % overlap: the Blackman-Harris window's overlap correlation is low enough for Welch.
            std::copy(m_buffer.begin() + std::ptrdiff_t(m_size / 2), m_buffer.end(), m_buffer.begin());
            m_filled = m_size / 2;
            m_fresh = false;
        }
    }
}

void BandEnergySplit::finish()
{
    // A zero-padded last frame would add the splatter of its cut to the high band; the overlapping frame
    // before it already covers most of the tail. Only a stem shorter than one frame is analysed padded.
    if (!m_fresh || m_analysedFrames > 0)
        return;
    std::fill(m_buffer.begin() + std::ptrdiff_t(m_filled), m_buffer.end(), 0.0f);
    analyseFrame();
    m_fresh = false;
}

void BandEnergySplit::analyseFrame()
{
    for (std::size_t i = 0; i < m_size; ++i)
        m_spectrum[i] = {double(m_buffer[i]) * m_window[i], 0.0};
    fft(m_spectrum, m_twiddles);
    ++m_analysedFrames;
    // One-sided spectrum: bins 0 .. n/2.
    for (std::size_t k = 0; k <= m_size / 2; ++k) {
        const double e = std::norm(m_spectrum[k]);
        (k < m_splitBin ? m_low : m_high) += e;
    }
}

double BandEnergySplit::highToLowDb() const
{
    if (!(m_high > 0.0))
        return -INFINITY;
    if (!(m_low > 0.0))
        return INFINITY;
    return 10.0 * std::log10(m_high / m_low);
}

}  // namespace stemship::metering
