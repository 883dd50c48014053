#pragma once

// LoudnessMeter's state and its per-block work (private to core/metering).

#include "blockloudnesslog.h"
#include "kweightingsegments.h"
#include "loudnesshistogram.h"
#include "loudnessmeter.h"
#include "meterkernels.h"
#include "truepeakfilter.h"

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace stemship::metering {

// Stereo sums snapshot, for the live correlation over the last few 100 ms steps.
struct StereoTotals {
    double sumL = 0.0, sumR = 0.0, sumLL = 0.0, sumRR = 0.0, sumLR = 0.0;
    std::uint64_t frames = 0;
};

struct LoudnessMeter::State {
    // EBU Tech 3341: momentary 400 ms and short-term 3 s windows, advanced in 100 ms steps. Each step is split into
    // 10 sub-steps (10 ms); the maxima of M and S are taken every sub-step, so a file-based reading is within
    // 0.06 LU of the true maximum wherever a tone starts (Tech 3341 cases 10 and 13).
    static constexpr int kSubStepsPerStep = 10;
    static constexpr int kMomentarySubSteps = 4 * kSubStepsPerStep;
    static constexpr int kShortTermSubSteps = 30 * kSubStepsPerStep;
    static constexpr int kCorrelationSteps = 3;  // live correlation over about 300 ms

    explicit State(const MeterConfig &config);
    void clear() noexcept;

    void processChunk(const float *interleaved, std::size_t frames) noexcept;
    void truePeakChunk(int channel, std::size_t frames) noexcept;
    void countReplaced(const float *interleaved, int channel, std::size_t frames) noexcept;
    void endSubStep() noexcept;
    void endStep() noexcept;
    void publishLive() noexcept;
    StereoTotals stereoTotals() const noexcept;
    double integratedLufs() const noexcept;
    double loudnessRangeLu() const noexcept;

    float *planar(int channel) noexcept { return m_planar.data() + std::size_t(channel) * planarStride; }

    MeterConfig config;
    const MeterKernels *kernels = nullptr;
    int channels = 1;
    std::vector<double> weight;          // per channel (BS.1770-4 Table 3 G_i; 0 = not in the loudness)
    std::vector<int> weightedChannels;   // channels with weight > 0, K-weighted once per sub-step
    std::vector<const float *> kInputs;  // per weighted channel: its sub-step in the planar buffer
    KFilterCoefficients kCoefficients{};
    KWeightingBasis kBasis;
    std::vector<KFilterState> kState;    // per weighted channel
    std::vector<double> kEnergy;         // per weighted channel: sum of K-weighted squares in this sub-step

    // Timing: stepFrames = 100 ms rounded like libebur128; sub-step k of a step ends at (k + 1) * stepFrames / 10.
    std::size_t stepFrames = 4800;
    std::array<std::size_t, kSubStepsPerStep> subStepEnd{};
    std::size_t maxChunkFrames = 480;
    int subStep = 0;
    std::size_t framesInStep = 0;
    std::size_t framesInSubStep = 0;
    std::uint64_t subStepsDone = 0;

    // Sub-step energies (channel-weighted sums of squares), each stored twice so any window is contiguous.
    std::vector<double> ring;
    std::size_t ringPos = 0;
    double subStepMomentaryEnergy = 0.0;   // mean square of the newest 400 ms, as of the last sub-step
    double subStepShortTermEnergy = 0.0;
    double momentaryEnergy = 0.0;          // as of the last 100 ms step
    double shortTermEnergy = 0.0;
    bool haveMomentary = false;
    bool haveShortTerm = false;
    double maxMomentaryEnergy = -1.0;      // < 0: none yet
    double maxShortTermEnergy = -1.0;
    LoudnessHistogram gatingBlocks;        // 400 ms blocks above -70 LUFS, for integrated loudness
    LoudnessHistogram shortTermBlocks;     // 3 s values above -70 LUFS, for loudness range
    std::unique_ptr<BlockLoudnessLog> blockLog;  // every block, with MeterConfig::keepBlockLog

    // Sample statistics, whole programme.
    std::uint64_t frames = 0;
    std::vector<ChannelSums> sums;
    std::vector<float> samplePeak;
    std::vector<float> truePeak;           // interpolated phases only; the result takes max with samplePeak
    std::vector<std::uint64_t> fullScale, overFullScale, clipped;
    std::vector<int> clipRun;
    std::uint64_t nonFinite = 0;
    std::uint64_t corrupt = 0;             // |x| > 1e5, finite
    std::int64_t firstCorrupt = -1;
    float largestCorrupt = 0.0f;
    double sumProducts[kStatLanes] = {};
    float maxDifference = 0.0f;
    float activityThreshold = 0.0f;
    std::int64_t firstActive = -1;
    std::int64_t lastActive = -1;

    // Planar sub-steps: each channel's buffer holds taps - 1 samples of true-peak history, then the current
    // sub-step as it fills; K-weighting runs on the whole sub-step at its end, so block splits never change it.
    TruePeakFilter truePeakFilter;
    std::size_t history = 0;
    std::size_t planarStride = 0;
    std::vector<float> m_planar;

    // Live readouts, written once per 100 ms step.
    float stepSamplePeak = 0.0f;
    float stepTruePeak = 0.0f;
    float holdSamplePeak = 0.0f;
    float holdTruePeak = 0.0f;
    std::array<StereoTotals, kCorrelationSteps + 1> correlationHistory{};
    std::uint64_t stepsDone = 0;
    std::atomic<float> liveMomentary{-INFINITY};
    std::atomic<float> liveShortTerm{-INFINITY};
    std::atomic<float> liveIntegrated{-INFINITY};
    std::atomic<float> liveRange{0.0f};
    std::atomic<float> liveSamplePeak{-INFINITY};
    std::atomic<float> liveSamplePeakHold{-INFINITY};
    std::atomic<float> liveTruePeakHold{-INFINITY};
    std::atomic<float> liveCorrelation{0.0f};
    std::atomic<bool> holdResetRequested{false};
};

// Pearson's r from sums; nullopt-like NaN when either channel has no variance.
double pearson(const StereoTotals &t) noexcept;

// BS.1770-4 Table 3 weight of one channel.
double channelWeight(ChannelWeighting weighting) noexcept;

}  // namespace stemship::metering
