#include "meterstate.h"

#include "kweighting.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace stemship::metering {

namespace {

constexpr int kMaxChannels = 64;

float toDbFloat(float linear)
{
    return linear > 0.0f ? float(20.0 * std::log10(double(linear))) : -INFINITY;
}

double sumOf(const double *v, int n)
{
    // Four running sums: a window of 300 sub-steps is summed every 10 ms, and one chain of dependent adds
    // would cost more than a mono sub-step's filtering.
    double s[4] = {};
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        for (int j = 0; j < 4; ++j)
            s[j] += v[i + j];
    }
    for (; i < n; ++i)
        s[0] += v[i];
    return (s[0] + s[1]) + (s[2] + s[3]);
}

void flushTiny(double &v)
{
    // Keeps the IIR history out of the denormal range on CPUs without flush-to-zero (inaudible: < -600 dBFS).
    if (std::fabs(v) < 1e-30)
        v = 0.0;
}

}  // namespace

double channelWeight(ChannelWeighting weighting) noexcept
{
    switch (weighting) {
    case ChannelWeighting::Normal:
        return 1.0;
    case ChannelWeighting::Surround:
        return 1.41;  // BS.1770-4 Table 3: +1.5 dB for the surround channels
    case ChannelWeighting::Lfe:
        return 0.0;  // BS.1770-4 leaves the LFE channel out
    }
    return 1.0;
}

double pearson(const StereoTotals &t) noexcept
{
    if (t.frames == 0)
        return NAN;
    const double n = double(t.frames);
    const double cov = t.sumLR / n - (t.sumL / n) * (t.sumR / n);
    const double varL = t.sumLL / n - (t.sumL / n) * (t.sumL / n);
    const double varR = t.sumRR / n - (t.sumR / n) * (t.sumR / n);
    if (!(varL > 0.0) || !(varR > 0.0))
        return NAN;
    return std::clamp(cov / std::sqrt(varL * varR), -1.0, 1.0);
}

LoudnessMeter::State::State(const MeterConfig &requested) : config(requested)
{
    kernels = &meterKernels();
    channels = std::clamp(config.channels, 1, kMaxChannels);
    config.channels = channels;
    config.sampleRateHz = std::clamp(config.sampleRateHz, 8000.0, 384000.0);
    if (config.weights.empty())
        config.weights = defaultWeights(channels);
    config.weights.resize(std::size_t(channels), ChannelWeighting::Normal);
    config.maxBlockFrames = std::max<std::size_t>(config.maxBlockFrames, 1);
    config.clipRunMinSamples = std::max(config.clipRunMinSamples, 1);
    if (config.keepBlockLog)
        blockLog = std::make_unique<BlockLoudnessLog>();

    for (int c = 0; c < channels; ++c) {
        weight.push_back(channelWeight(config.weights[std::size_t(c)]));
        if (weight.back() > 0.0)
            weightedChannels.push_back(c);
    }
    const KWeightingCoefficients k = designKWeighting(config.sampleRateHz);
    kCoefficients = {k.preFilter.b0, k.preFilter.b1, k.preFilter.b2, k.preFilter.a1, k.preFilter.a2,
                     k.rlbFilter.a1, k.rlbFilter.a2};
    kState.resize(weightedChannels.size());
    kEnergy.resize(weightedChannels.size());
    kInputs.resize(weightedChannels.size());

    const auto rate = std::size_t(std::llround(config.sampleRateHz));
    stepFrames = (rate + 5) / 10;
    std::size_t longestSubStep = 0;
    for (int k2 = 0; k2 < kSubStepsPerStep; ++k2) {
        subStepEnd[std::size_t(k2)] = (std::size_t(k2) + 1) * stepFrames / kSubStepsPerStep;
        const std::size_t start = k2 ? subStepEnd[std::size_t(k2) - 1] : 0;
        longestSubStep = std::max(longestSubStep, subStepEnd[std::size_t(k2)] - start);
    }
    maxChunkFrames = std::min(config.maxBlockFrames, longestSubStep);
    kBasis.design(kCoefficients, longestSubStep / 2);
    ring.resize(2 * kShortTermSubSteps);

    const auto n = std::size_t(channels);
    sums.resize(n);
    samplePeak.resize(n);
    truePeak.resize(n);
    fullScale.resize(n);
    overFullScale.resize(n);
    clipped.resize(n);
    clipRun.resize(n);
    activityThreshold = float(dbToLinear(config.activityThresholdDbfs));

    if (config.truePeak)
        truePeakFilter = designTruePeakFilter(config.sampleRateHz);
    history = truePeakFilter.factor > 1 ? std::size_t(truePeakFilter.tapsPerPhase - 1) : 0;
    // Room for the history, a sub-step, and the kernels' 16-wide main loop; rounded to a cache line.
    planarStride = (history + longestSubStep + 16 + 15) / 16 * 16;
    m_planar.resize(planarStride * n);
    for (std::size_t k = 0; k < weightedChannels.size(); ++k)
        kInputs[k] = planar(weightedChannels[k]) + history;
    clear();
}

void LoudnessMeter::State::clear() noexcept
{
    std::fill(kState.begin(), kState.end(), KFilterState{});
    std::fill(kEnergy.begin(), kEnergy.end(), 0.0);
    subStep = 0;
    framesInStep = 0;
    framesInSubStep = 0;
    subStepsDone = 0;
    std::fill(ring.begin(), ring.end(), 0.0);
    ringPos = 0;
    subStepMomentaryEnergy = subStepShortTermEnergy = momentaryEnergy = shortTermEnergy = 0.0;
    haveMomentary = haveShortTerm = false;
    maxMomentaryEnergy = maxShortTermEnergy = -1.0;
    gatingBlocks.clear();
    shortTermBlocks.clear();
    if (blockLog)
        blockLog->clear();
    frames = 0;
    std::fill(sums.begin(), sums.end(), ChannelSums{});
    std::fill(samplePeak.begin(), samplePeak.end(), 0.0f);
    std::fill(truePeak.begin(), truePeak.end(), 0.0f);
    std::fill(fullScale.begin(), fullScale.end(), 0);
    std::fill(overFullScale.begin(), overFullScale.end(), 0);
    std::fill(clipped.begin(), clipped.end(), 0);
    std::fill(clipRun.begin(), clipRun.end(), 0);
    nonFinite = 0;
    corrupt = 0;
    firstCorrupt = -1;
    largestCorrupt = 0.0f;
    std::fill(std::begin(sumProducts), std::end(sumProducts), 0.0);
    maxDifference = 0.0f;
    firstActive = lastActive = -1;
    std::fill(m_planar.begin(), m_planar.end(), 0.0f);
    stepSamplePeak = stepTruePeak = holdSamplePeak = holdTruePeak = 0.0f;
    correlationHistory.fill(StereoTotals{});
    stepsDone = 0;
    liveMomentary.store(-INFINITY, std::memory_order_relaxed);
    liveShortTerm.store(-INFINITY, std::memory_order_relaxed);
    liveIntegrated.store(-INFINITY, std::memory_order_relaxed);
    liveRange.store(0.0f, std::memory_order_relaxed);
    liveSamplePeak.store(-INFINITY, std::memory_order_relaxed);
    liveSamplePeakHold.store(-INFINITY, std::memory_order_relaxed);
    liveTruePeakHold.store(-INFINITY, std::memory_order_relaxed);
    liveCorrelation.store(0.0f, std::memory_order_relaxed);
    holdResetRequested.store(false, std::memory_order_relaxed);
}

void LoudnessMeter::State::countReplaced(const float *interleaved, int channel, std::size_t n) noexcept
{
    // Rare: a block where deinterleave replaced samples; tell NaN/Inf from absurd finite values.
    for (std::size_t i = 0; i < n; ++i) {
        const float v = interleaved[i * std::size_t(channels) + std::size_t(channel)];
        const std::uint32_t magnitude = __builtin_bit_cast(std::uint32_t, v) & 0x7fffffffu;
        if (magnitude >= 0x7f800000u) {
            ++nonFinite;
        } else if (magnitude > kCorruptMagnitudeBits) {
            ++corrupt;
            const auto frame = std::int64_t(frames + i);
            firstCorrupt = firstCorrupt < 0 ? frame : std::min(firstCorrupt, frame);
            largestCorrupt = std::max(largestCorrupt, std::fabs(v));
        }
    }
}

void LoudnessMeter::State::processChunk(const float *interleaved, std::size_t n) noexcept
{
    const float fullScaleLevel = config.fullScaleLevel;
    std::int64_t chunkFirstActive = -1;
    const std::size_t at = history + framesInSubStep;
    if (channels == 2 && kernels->deinterleaveStereo(interleaved, n, planar(0) + at, planar(1) + at) > 0) {
        countReplaced(interleaved, 0, n);
        countReplaced(interleaved, 1, n);
    }
    for (int c = 0; c < channels; ++c) {
        float *x = planar(c) + at;
        if (channels != 2 && kernels->deinterleave(interleaved, std::size_t(channels), std::size_t(c), n, x) > 0)
            countReplaced(interleaved, c, n);
        BlockPeaks peaks;
        kernels->channelStats(x, n, frames, fullScaleLevel, sums[std::size_t(c)], peaks);
        if (history > 0)
            truePeakChunk(c, n);
        const auto ch = std::size_t(c);
        samplePeak[ch] = std::max(samplePeak[ch], peaks.peak);
        stepSamplePeak = std::max(stepSamplePeak, peaks.peak);
        fullScale[ch] += peaks.fullScale;
        overFullScale[ch] += peaks.overFullScale;
        if (peaks.fullScale == 0) {
            clipRun[ch] = 0;
        } else {
            // Rare: walk the block for runs of full-scale samples (a run may span blocks).
            int run = clipRun[ch];
            const int minRun = config.clipRunMinSamples;
            for (std::size_t i = 0; i < n; ++i) {
                if (std::fabs(x[i]) >= fullScaleLevel) {
                    ++run;
                    clipped[ch] += run == minRun ? std::uint64_t(minRun) : (run > minRun ? 1 : 0);
                } else {
                    run = 0;
                }
            }
            clipRun[ch] = run;
        }
        if (peaks.peak > activityThreshold) {
            std::size_t first = 0;
            while (!(std::fabs(x[first]) > activityThreshold))
                ++first;
            std::size_t last = n - 1;
            while (!(std::fabs(x[last]) > activityThreshold))
                --last;
            const auto f = std::int64_t(frames + first);
            chunkFirstActive = chunkFirstActive < 0 ? f : std::min(chunkFirstActive, f);
            lastActive = std::max(lastActive, std::int64_t(frames + last));
        }
    }
    if (firstActive < 0)
        firstActive = chunkFirstActive;
    if (channels == 2) {
        kernels->stereoStats(planar(0) + at, planar(1) + at, n, frames, sumProducts, maxDifference);
    }

    frames += n;
    framesInSubStep += n;
}

void LoudnessMeter::State::truePeakChunk(int c, std::size_t n) noexcept
{
    const auto ch = std::size_t(c);
    // Outputs at or below the channel's true peak and at or below what this step will hand the live hold (this
    // step's peak, or the hold itself unless a reset is pending) change nothing, so the kernel may skip stretches
    // that cannot exceed them: most of a programme lies a few dB under its peaks. A reset requested while a step
    // runs only loses peaks that came before it and were below the old hold.
    const bool holdKept = !holdResetRequested.load(std::memory_order_relaxed);
    const float forHold = holdKept ? std::max(stepTruePeak, holdTruePeak) : stepTruePeak;
    const float known = std::min(truePeak[ch], forHold);
    const auto kernel = truePeakFilter.factor == 4 ? kernels->truePeak4x : kernels->truePeak2x;
    const float peak = kernel(planar(c) + framesInSubStep, n, truePeakFilter.coefficients.data(), known,
                              truePeakFilter.gainBound);
    truePeak[ch] = std::max(truePeak[ch], peak);
    stepTruePeak = std::max(stepTruePeak, peak);
}

void LoudnessMeter::State::endSubStep() noexcept
{
    kWeightChannels(*kernels, kCoefficients, kBasis, kInputs.data(), kInputs.size(), kState.data(), kEnergy.data(),
                    framesInSubStep);
    for (int c = 0; c < channels && history > 0; ++c) {
        float *buffer = planar(c);
        std::memmove(buffer, buffer + framesInSubStep, history * sizeof(float));
    }
    framesInSubStep = 0;
    double energy = 0.0;
    for (std::size_t k = 0; k < weightedChannels.size(); ++k) {
        energy += weight[std::size_t(weightedChannels[k])] * kEnergy[k];
        kEnergy[k] = 0.0;
        KFilterState &s = kState[k];
        flushTiny(s.y1);
        flushTiny(s.y2);
        flushTiny(s.z1);
        flushTiny(s.z2);
    }
    ring[ringPos] = energy;
    ring[ringPos + kShortTermSubSteps] = energy;
    ringPos = (ringPos + 1) % kShortTermSubSteps;
    ++subStepsDone;
    // The newest W sub-steps are ring[ringPos + N - W .. ringPos + N).
    const double *newest = ring.data() + ringPos + kShortTermSubSteps;
    if (subStepsDone >= std::uint64_t(kMomentarySubSteps)) {
        subStepMomentaryEnergy = sumOf(newest - kMomentarySubSteps, kMomentarySubSteps) / double(4 * stepFrames);
        maxMomentaryEnergy = std::max(maxMomentaryEnergy, subStepMomentaryEnergy);
    }
    if (subStepsDone >= std::uint64_t(kShortTermSubSteps)) {
        subStepShortTermEnergy = sumOf(newest - kShortTermSubSteps, kShortTermSubSteps) / double(30 * stepFrames);
        maxShortTermEnergy = std::max(maxShortTermEnergy, subStepShortTermEnergy);
    }
}

void LoudnessMeter::State::endStep() noexcept
{
    ++stepsDone;
    if (subStepsDone >= std::uint64_t(kMomentarySubSteps)) {
        // BS.1770-4: 400 ms gating blocks overlapping by 75 %.
        haveMomentary = true;
        momentaryEnergy = subStepMomentaryEnergy;
        const double lufs = energyToLufs(momentaryEnergy);
        if (lufs > kAbsoluteGateLufs)
            gatingBlocks.add(momentaryEnergy, lufs);
        if (blockLog)
            blockLog->addGatingBlock(momentaryEnergy);
    }
    if (subStepsDone >= std::uint64_t(kShortTermSubSteps)) {
        // EBU Tech 3342: short-term values at 10 Hz feed the loudness range.
        haveShortTerm = true;
        shortTermEnergy = subStepShortTermEnergy;
        const double lufs = energyToLufs(shortTermEnergy);
        if (lufs >= kAbsoluteGateLufs)
            shortTermBlocks.add(shortTermEnergy, lufs);
        if (blockLog)
            blockLog->addShortTerm(shortTermEnergy);
    }
    publishLive();
}

StereoTotals LoudnessMeter::State::stereoTotals() const noexcept
{
    StereoTotals t;
    if (channels != 2)
        return t;
    t.sumL = sumOf(sums[0].sum, kStatLanes);
    t.sumR = sumOf(sums[1].sum, kStatLanes);
    t.sumLL = sumOf(sums[0].sumSquares, kStatLanes);
    t.sumRR = sumOf(sums[1].sumSquares, kStatLanes);
    t.sumLR = sumOf(sumProducts, kStatLanes);
    t.frames = frames;
    return t;
}

void LoudnessMeter::State::publishLive() noexcept
{
    constexpr auto relaxed = std::memory_order_relaxed;
    if (holdResetRequested.exchange(false, relaxed))
        holdSamplePeak = holdTruePeak = 0.0f;
    holdSamplePeak = std::max(holdSamplePeak, stepSamplePeak);
    holdTruePeak = std::max({holdTruePeak, stepTruePeak, stepSamplePeak});
    liveMomentary.store(haveMomentary ? float(energyToLufs(momentaryEnergy)) : -INFINITY, relaxed);
    liveShortTerm.store(haveShortTerm ? float(energyToLufs(shortTermEnergy)) : -INFINITY, relaxed);
    // Bounded cost: each histogram query walks about 200 bins and groups.
    liveIntegrated.store(float(integratedLufs()), relaxed);
    liveRange.store(float(loudnessRangeLu()), relaxed);
    liveSamplePeak.store(toDbFloat(stepSamplePeak), relaxed);
    liveSamplePeakHold.store(toDbFloat(holdSamplePeak), relaxed);
    liveTruePeakHold.store(toDbFloat(holdTruePeak), relaxed);
    stepSamplePeak = stepTruePeak = 0.0f;
    if (channels == 2) {
        // correlationHistory[i] holds the totals at the end of step (stepsDone - kCorrelationSteps + i).
        std::rotate(correlationHistory.begin(), correlationHistory.begin() + 1, correlationHistory.end());
        correlationHistory.back() = stereoTotals();
        const StereoTotals &now = correlationHistory.back();
        const StereoTotals &then = correlationHistory.front();
        const StereoTotals window{now.sumL - then.sumL,   now.sumR - then.sumR,   now.sumLL - then.sumLL,
                                  now.sumRR - then.sumRR, now.sumLR - then.sumLR, now.frames - then.frames};
        const double r = pearson(window);
        liveCorrelation.store(std::isnan(r) ? 0.0f : float(r), relaxed);
    }
}

double LoudnessMeter::State::integratedLufs() const noexcept
{
    return gatingBlocks.gatedLoudnessLufs(kIntegratedRelativeGateLu);
}

double LoudnessMeter::State::loudnessRangeLu() const noexcept
{
    return shortTermBlocks.loudnessRangeLu(kRangeRelativeGateLu, kRangeLowPercentile, kRangeHighPercentile);
}

}  // namespace stemship::metering
