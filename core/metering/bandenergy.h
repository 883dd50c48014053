#pragma once

// Energy of one channel below and above a split frequency (the LFE check: content above 120 Hz), measured
// spectrally so the split is sharp: a Welch periodogram with a 4-term Blackman-Harris window (sidelobes at
// -92 dB) on frames of about half a second, so only content within ~6 Hz of the split is ambiguous. A filter
// pair would smear a whole octave across the split. Plain C++; allocates only in the constructor.

#include <complex>
#include <cstddef>
#include <vector>

namespace stemship::metering {

class BandEnergySplit {
public:
    BandEnergySplit(double sampleRateHz, double splitHz);

    // Feeds channel `channel` of `frames` interleaved frames of `channels` channels.
    void process(const float *interleaved, std::size_t frames, int channels, int channel);
    // Analyses what is still buffered (zero-padded). Call once after the last process().
    void finish();

    // Summed periodogram energy (arbitrary but common scale) below / at-or-above the split.
    double lowEnergy() const { return m_low; }
    double highEnergy() const { return m_high; }
    // 10 lg(high / low): -inf with no high energy, +inf with high energy and none below.
    double highToLowDb() const;

private:
    void analyseFrame();

    std::size_t m_size = 0;       // FFT length (power of two)
    std::size_t m_splitBin = 0;   // first bin counted as high
    std::vector<double> m_window;
    std::vector<float> m_buffer;  // the newest m_size samples (hop m_size / 2)
    std::size_t m_filled = 0;
    bool m_fresh = false;         // samples arrived since the last analysed frame
    std::size_t m_analysedFrames = 0;
    std::vector<std::complex<double>> m_spectrum;
    std::vector<std::complex<double>> m_twiddles;
    double m_low = 0.0;
    double m_high = 0.0;
};

}  // namespace stemship::metering
