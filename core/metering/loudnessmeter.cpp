#include "loudnessmeter.h"

#include "loudnesshistogram.h"
#include "meterstate.h"

#include <algorithm>
#include <cmath>

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#define STEMSHIP_HAVE_MXCSR 1
#endif

namespace stemship::metering {

namespace {

// Flush-to-zero and denormals-are-zero for the duration of process(), restored afterwards: decaying IIR history
// and the FIR never run into the slow denormal path (JUCE's ScopedNoDenormals does the same).
class ScopedNoDenormals {
public:
#ifdef STEMSHIP_HAVE_MXCSR
    ScopedNoDenormals() noexcept : m_saved(_mm_getcsr()) { _mm_setcsr(m_saved | 0x8040u); }
    ~ScopedNoDenormals() { _mm_setcsr(m_saved); }

private:
    unsigned m_saved;
#endif
};

double toDb(float linear)
{
    return linearToDb(double(linear));
}

}  // namespace

std::vector<ChannelWeighting> defaultWeights(int channels)
{
    using W = ChannelWeighting;
    switch (channels) {
    case 5:
        return {W::Normal, W::Normal, W::Normal, W::Surround, W::Surround};
    case 6:
        return {W::Normal, W::Normal, W::Normal, W::Lfe, W::Surround, W::Surround};
    case 8:
        // 7.1: back and side surrounds both get the surround weight, as 7.1 loudness meters apply it.
        return {W::Normal, W::Normal, W::Normal, W::Lfe, W::Surround, W::Surround, W::Surround, W::Surround};
    default:
        return std::vector<ChannelWeighting>(std::size_t(std::max(channels, 0)), W::Normal);
    }
}

LoudnessMeter::LoudnessMeter(const MeterConfig &config) : m_state(std::make_unique<State>(config)) {}

LoudnessMeter::~LoudnessMeter() = default;

void LoudnessMeter::process(const float *interleaved, std::size_t frames) noexcept
{
    if (!interleaved || frames == 0)
        return;
    const ScopedNoDenormals noDenormals;
    State &s = *m_state;
    const auto channels = std::size_t(s.channels);
    while (frames > 0) {
        const std::size_t toBoundary = s.subStepEnd[std::size_t(s.subStep)] - s.framesInStep;
        const std::size_t n = std::min({frames, toBoundary, s.maxChunkFrames});
        s.processChunk(interleaved, n);
        interleaved += n * channels;
        frames -= n;
        s.framesInStep += n;
        if (s.framesInStep == s.subStepEnd[std::size_t(s.subStep)]) {
            s.endSubStep();
            if (++s.subStep == State::kSubStepsPerStep) {
                s.subStep = 0;
                s.framesInStep = 0;
                s.endStep();
            }
        }
    }
}

void LoudnessMeter::reset() noexcept
{
    m_state->clear();
}

double LoudnessMeter::momentaryLufs() const noexcept
{
    return m_state->haveMomentary ? energyToLufs(m_state->momentaryEnergy) : -INFINITY;
}

double LoudnessMeter::shortTermLufs() const noexcept
{
    return m_state->haveShortTerm ? energyToLufs(m_state->shortTermEnergy) : -INFINITY;
}

MeterResult LoudnessMeter::result() const
{
    const State &s = *m_state;
    MeterResult r;
    r.frames = s.frames;
    r.integratedLufs = s.integratedLufs();
    r.loudnessRangeLu = s.loudnessRangeLu();
    r.maxMomentaryLufs = s.maxMomentaryEnergy >= 0.0 ? energyToLufs(s.maxMomentaryEnergy) : -INFINITY;
    r.maxShortTermLufs = s.maxShortTermEnergy >= 0.0 ? energyToLufs(s.maxShortTermEnergy) : -INFINITY;
    if (s.blockLog)
        r.blockLog = std::make_shared<const BlockLoudnessLog>(*s.blockLog);

    float peak = 0.0f;
    float truePeak = 0.0f;
    double sumSquaresAll = 0.0;
    for (int c = 0; c < s.channels; ++c) {
        const auto ch = std::size_t(c);
        const float channelTruePeak = std::max(s.samplePeak[ch], s.truePeak[ch]);
        peak = std::max(peak, s.samplePeak[ch]);
        truePeak = std::max(truePeak, channelTruePeak);
        r.samplePeakDbfsPerChannel.push_back(toDb(s.samplePeak[ch]));
        r.truePeakDbtpPerChannel.push_back(toDb(channelTruePeak));
        double sum = 0.0;
        double sumSquares = 0.0;
        for (int j = 0; j < kStatLanes; ++j) {
            sum += s.sums[ch].sum[j];
            sumSquares += s.sums[ch].sumSquares[j];
        }
        sumSquaresAll += sumSquares;
        const double mean = s.frames ? sum / double(s.frames) : 0.0;
        r.rmsDbfsPerChannel.push_back(s.frames ? linearToDb(std::sqrt(sumSquares / double(s.frames))) : -INFINITY);
        r.dcOffsetPerChannel.push_back(mean);
        r.maxAbsDcOffset = std::max(r.maxAbsDcOffset, std::fabs(mean));
        r.fullScaleSamples += s.fullScale[ch];
        r.overFullScaleSamples += s.overFullScale[ch];
        r.clippedSamples += s.clipped[ch];
    }
    r.samplePeakDbfs = toDb(peak);
    r.truePeakDbtp = toDb(truePeak);
    const double samples = double(s.frames) * s.channels;
    r.rmsDbfs = s.frames ? linearToDb(std::sqrt(sumSquaresAll / samples)) : -INFINITY;
    if (s.channels == 2) {
        const double pearsonR = pearson(s.stereoTotals());
        if (!std::isnan(pearsonR))
            r.correlation = pearsonR;
        r.maxChannelDifference = double(s.maxDifference);
    }
    r.nonFiniteSamples = s.nonFinite;
    r.corruptSamples = s.corrupt;
    r.firstCorruptFrame = s.firstCorrupt;
    r.largestCorruptDbfs = s.corrupt ? linearToDb(double(s.largestCorrupt)) : -INFINITY;
    r.firstActiveFrame = s.firstActive;
    r.lastActiveFrame = s.lastActive;
    return r;
}

LiveReadout LoudnessMeter::live() const noexcept
{
    constexpr auto relaxed = std::memory_order_relaxed;
    const State &s = *m_state;
    LiveReadout r;
    r.momentaryLufs = s.liveMomentary.load(relaxed);
    r.shortTermLufs = s.liveShortTerm.load(relaxed);
    r.integratedLufs = s.liveIntegrated.load(relaxed);
    r.loudnessRangeLu = s.liveRange.load(relaxed);
    r.samplePeakDbfs = s.liveSamplePeak.load(relaxed);
    r.samplePeakHoldDbfs = s.liveSamplePeakHold.load(relaxed);
    r.truePeakHoldDbtp = s.liveTruePeakHold.load(relaxed);
    r.correlation = s.liveCorrelation.load(relaxed);
    return r;
}

void LoudnessMeter::resetPeakHold() noexcept
{
    State &s = *m_state;
    s.holdResetRequested.store(true, std::memory_order_relaxed);
    s.liveSamplePeakHold.store(-INFINITY, std::memory_order_relaxed);
    s.liveTruePeakHold.store(-INFINITY, std::memory_order_relaxed);
}

const MeterConfig &LoudnessMeter::config() const noexcept
{
    return m_state->config;
}

}  // namespace stemship::metering
