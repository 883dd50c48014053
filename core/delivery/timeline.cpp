#include "delivery/timeline.h"

#include <algorithm>
#include <cmath>

namespace stemship::delivery {
namespace {
// Tolerance when counting whole bars, so a stem that ends exactly on a bar line does not get one more.
constexpr double kBarEpsilon = 1e-9;
}

double barSeconds(double tempoBpm, int numerator, int denominator)
{
    // Tempo counts quarter notes: a bar of N/D lasts N * (4 / D) quarter notes.
    return double(numerator) * (4.0 / double(denominator)) * 60.0 / tempoBpm;
}

double Timeline::startSeconds() const { return double(startFrame) / double(sampleRateHz); }

std::int64_t Timeline::barFrame(int bar) const
{
    return std::llround(double(prerollBars + bar - 1) * barFrames);
}

Timeline planTimeline(const TimelineInput &in)
{
    Timeline t;
    t.sampleRateHz = in.sampleRateHz;
    t.barSeconds = barSeconds(in.tempoBpm, in.timeSignature.numerator, in.timeSignature.denominator);
    t.barFrames = t.barSeconds * in.sampleRateHz;
    t.barOneFrame = std::llround(in.barOneSeconds * in.sampleRateHz);
    if (in.earliestSoundFrame && *in.earliestSoundFrame < t.barOneFrame)
        t.prerollBars = int(std::ceil(double(t.barOneFrame - *in.earliestSoundFrame) / t.barFrames - kBarEpsilon));
    t.startFrame = t.barOneFrame - std::llround(double(t.prerollBars) * t.barFrames);
    const double endFrame = double(in.latestEndFrame) + in.tailSeconds * in.sampleRateHz;
    if (in.tempoMap) {
        // The end rounds up to the map's next bar line after bar one (never before the pre-roll's end).
        const int lastBar = std::max(0, in.tempoMap->barAtOrAfter((endFrame - double(t.barOneFrame)) / in.sampleRateHz));
        t.bars = std::max(1, t.prerollBars + lastBar);
        const std::int64_t endOfLastBar = t.barOneFrame + std::llround(in.tempoMap->secondsAtBar(std::max(lastBar, t.bars - t.prerollBars)) * in.sampleRateHz);
        t.lengthFrames = endOfLastBar - t.startFrame;
        return t;
    }
    t.bars = std::max(1, int(std::ceil((endFrame - double(t.startFrame)) / t.barFrames - kBarEpsilon)));
    t.lengthFrames = std::llround(double(t.bars) * t.barFrames);
    return t;
}

std::int64_t timelineFrame(std::uint64_t timeReferenceSamples, int sourceRateHz, int deliveryRateHz)
{
    if (sourceRateHz == deliveryRateHz)
        return std::int64_t(timeReferenceSamples);
    // round(t * out / in) without overflow: split off the whole multiples of the source rate first.
    const auto in = std::uint64_t(sourceRateHz), out = std::uint64_t(deliveryRateHz);
    const std::uint64_t whole = timeReferenceSamples / in, rest = timeReferenceSamples % in;
    return std::int64_t(whole * out + (rest * out * 2 + in) / (in * 2));
}

}  // namespace stemship::delivery
