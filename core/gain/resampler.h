#pragma once

// Streaming sample-rate conversion over libsoxr (very high quality, float32 interleaved) with exact length
// bookkeeping: N input frames always give round(N * outRate / inRate) output frames, aligned to the input
// (soxr compensates its own filter delay). Plain C++; allocates only in the constructor.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

struct soxr;

namespace stemship::gain {

class Resampler {
public:
    // maxInputFrames: the largest block process() will be given.
    Resampler(double inputRateHz, double outputRateHz, int channels, std::size_t maxInputFrames);
    ~Resampler();
    Resampler(const Resampler &) = delete;
    Resampler &operator=(const Resampler &) = delete;

    bool ok() const { return m_error.empty(); }
    const std::string &error() const { return m_error; }
    bool passThrough() const { return m_soxr == nullptr && ok(); }

    // Output capacity (frames) that process() and flush() may fill in one call.
    std::size_t maxOutputFrames() const { return m_maxOutputFrames; }

    // Consumes all `frames` input frames; writes up to maxOutputFrames() frames to `out`; returns how many.
    std::size_t process(const float *in, std::size_t frames, float *out) noexcept;
    // After the last process(): writes the remaining frames (at most maxOutputFrames() per call) until the
    // exact output length is reached; returns 0 when done.
    std::size_t flush(float *out) noexcept;

    std::int64_t inputFrames() const { return m_inputFrames; }
    std::int64_t outputFrames() const { return m_outputFrames; }

    // The exact number of output frames for a given input length.
    static std::int64_t outputLength(std::int64_t inputFrames, double inputRateHz, double outputRateHz);

private:
    soxr *m_soxr = nullptr;
    std::string m_error;
    double m_inputRateHz = 0.0;
    double m_outputRateHz = 0.0;
    int m_channels = 0;
    std::size_t m_maxOutputFrames = 0;
    std::int64_t m_inputFrames = 0;
    std::int64_t m_outputFrames = 0;
    bool m_drained = false;
};

}  // namespace stemship::gain
