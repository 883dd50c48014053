#pragma once

// Cross-correlation of a stem's analysis window against a target (the mix, or the mix minus the other stems) over
// a bounded range of lags, through FFTW3 (single precision). Plain C++, no Qt; all buffers and plans are made in
// the constructor, so correlating allocates nothing.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace stemship::reference {

// The strongest lag of one correlation.
struct CorrelationPeak {
    std::int64_t offsetFrames = 0;  // d with target(t) ~ a * x(t + d): positive = x is late against the target
    double value = 0.0;             // the correlation at that lag (sign: polarity)
    double normalised = 0.0;        // value / sqrt(energy of x * energy of the target under x), in [-1, 1]
    double xEnergy = 0.0;           // sum of x^2 over the window, all channels
};

class CrossCorrelator {
public:
    // windowFrames: length of x; maxLagFrames: lags searched are [-maxLagFrames, maxLagFrames]. The target
    // spans windowFrames + 2 * maxLagFrames frames, its frame maxLagFrames lining up with x's frame 0.
    CrossCorrelator(std::size_t windowFrames, std::size_t maxLagFrames);
    ~CrossCorrelator();
    CrossCorrelator(const CrossCorrelator &) = delete;
    CrossCorrelator &operator=(const CrossCorrelator &) = delete;

    std::size_t windowFrames() const { return m_window; }
    std::size_t targetFrames() const { return m_window + 2 * m_maxLag; }

    void reset();
    // Adds one channel pair: x (windowFrames() floats) against target (targetFrames() floats). Channels are
    // summed in the frequency domain, so a stereo stem correlates with both channels of the mix at once.
    void add(const float *x, const float *target);
    CorrelationPeak peak();

private:
    std::size_t m_window, m_maxLag, m_fftSize;
    float *m_time = nullptr;      // fftwf_malloc'd, SIMD-aligned
    void *m_xSpectrum = nullptr;  // fftwf_complex[m_fftSize / 2 + 1]
    void *m_ySpectrum = nullptr;
    void *m_sum = nullptr;
    void *m_forward = nullptr;    // fftwf_plan
    void *m_inverse = nullptr;
    std::vector<double> m_targetEnergy;  // prefix sums of target^2, summed over the channels added
    double m_xEnergy = 0.0;
};

}  // namespace stemship::reference
