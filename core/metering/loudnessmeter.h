#pragma once

// The one metering core: offline audit, gain stage, delivery and the GUI's live meters all use this class.
// Plain C++20, no Qt. All memory is allocated in the constructor; process() allocates, locks and logs nothing.

#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace stemship::metering {

class BlockLoudnessLog;

// ITU-R BS.1770-4 Table 3 channel weights: L, R, C 1.0; surrounds 1.41 (+1.5 dB); LFE excluded.
enum class ChannelWeighting { Normal, Surround, Lfe };

// Default weights for a channel count in WAV/SMPTE order: 5 = L R C Ls Rs, 6 = L R C LFE Ls Rs,
// 8 = L R C LFE Lb Rb Ls Rs; any other count is all Normal.
std::vector<ChannelWeighting> defaultWeights(int channels);

struct MeterConfig {
    double sampleRateHz = 48000.0;  // 8 kHz .. 384 kHz
    int channels = 2;               // 1 .. 64
    std::vector<ChannelWeighting> weights;  // empty: defaultWeights(channels)
    bool truePeak = true;  // 4x oversampling below 96 kHz, 2x from 96 kHz, none from 192 kHz
    std::size_t maxBlockFrames = 4096;  // process() splits longer blocks internally
    double activityThresholdDbfs = -80.0;  // first/last frame with any |sample| above this
    int clipRunMinSamples = 3;  // consecutive full-scale samples on one channel that count as clipping
    // |x| >= this counts as full scale. Integer PCM read as float peaks at (2^(n-1)-1)/2^(n-1) on the
    // positive side (libsndfile divides by 2^(n-1)), so the reader passes that value for integer files.
    float fullScaleLevel = 1.0f;
    // Keep every block's loudness (MeterResult::blockLog), to evaluate loudness at a gain offset later.
    bool keepBlockLog = false;
};

struct MeterResult {
    std::uint64_t frames = 0;
    double integratedLufs = -INFINITY;     // gated (-70 LUFS absolute, -10 LU relative); -inf if all gated
    double loudnessRangeLu = 0.0;          // EBU Tech 3342
    double maxMomentaryLufs = -INFINITY;   // 400 ms window, 100 ms steps
    double maxShortTermLufs = -INFINITY;   // 3 s window, 100 ms steps (-inf if shorter than 3 s)
    double samplePeakDbfs = -INFINITY;     // largest |x| over all channels
    double truePeakDbtp = -INFINITY;       // oversampled peak (equals sample peak when truePeak is off)
    std::vector<double> samplePeakDbfsPerChannel;
    std::vector<double> truePeakDbtpPerChannel;
    double rmsDbfs = -INFINITY;            // sqrt(mean x^2) over all samples of all channels (full-scale sine = -3.01)
    std::vector<double> rmsDbfsPerChannel;
    std::vector<double> dcOffsetPerChannel;  // mean per channel, linear
    double maxAbsDcOffset = 0.0;             // largest |mean| of any channel
    std::optional<double> correlation;       // Pearson over the whole file, stereo only; nullopt otherwise or undefined
    double maxChannelDifference = 0.0;       // stereo: max |L - R| (0 means identical channels)
    std::uint64_t fullScaleSamples = 0;      // |x| >= fullScaleLevel
    std::uint64_t overFullScaleSamples = 0;  // |x| > 1.0 (float files)
    std::uint64_t clippedSamples = 0;        // |x| >= fullScaleLevel inside runs >= clipRunMinSamples on a channel
    std::uint64_t nonFiniteSamples = 0;      // NaN or Inf, metered as 0
    std::uint64_t corruptSamples = 0;        // finite but beyond +100 dBFS (|x| > 1e5), metered as 0
    std::int64_t firstCorruptFrame = -1;
    double largestCorruptDbfs = -INFINITY;
    std::int64_t firstActiveFrame = -1;      // first frame with any |x| above activityThresholdDbfs, -1 if none
    std::int64_t lastActiveFrame = -1;
    std::shared_ptr<const BlockLoudnessLog> blockLog;  // with MeterConfig::keepBlockLog
};

// Readouts for a live meter, written by the audio thread, read from any thread without locks.
struct LiveReadout {
    float momentaryLufs = -INFINITY;
    float shortTermLufs = -INFINITY;
    float integratedLufs = -INFINITY;
    float loudnessRangeLu = 0.0f;
    float samplePeakDbfs = -INFINITY;      // peak since the last readout window (decaying bar)
    float samplePeakHoldDbfs = -INFINITY;  // held until resetPeakHold()
    float truePeakHoldDbtp = -INFINITY;
    float correlation = 0.0f;              // running, short-window (about 300 ms) stereo correlation
};

class LoudnessMeter {
public:
    explicit LoudnessMeter(const MeterConfig &config);
    ~LoudnessMeter();
    LoudnessMeter(const LoudnessMeter &) = delete;
    LoudnessMeter &operator=(const LoudnessMeter &) = delete;

    // Feed interleaved float frames. Real-time safe: no allocation, lock, I/O or log.
    void process(const float *interleaved, std::size_t frames) noexcept;
    // Clears all state (as if newly constructed). Not concurrent with process().
    void reset() noexcept;

    // Loudness of the newest 400 ms / 3 s window, updated every 100 ms (-inf before the window is full).
    double momentaryLufs() const noexcept;
    double shortTermLufs() const noexcept;

    // Everything measured so far. Call from the thread that calls process().
    MeterResult result() const;

    // Lock-free snapshot for another thread (GUI timer); relaxed atomics inside.
    LiveReadout live() const noexcept;
    void resetPeakHold() noexcept;  // may be called from any thread

    const MeterConfig &config() const noexcept;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// Helpers shared by the audit, gain and delivery code.
inline double linearToDb(double linear) { return linear > 0.0 ? 20.0 * std::log10(linear) : -INFINITY; }
inline double dbToLinear(double db) { return std::pow(10.0, db / 20.0); }

}  // namespace stemship::metering
