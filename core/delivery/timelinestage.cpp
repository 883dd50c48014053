#include "delivery/timelinestage.h"

#include <algorithm>

namespace stemship::delivery {

TimelineInput timelineInput(const DeliverySpec &spec)
{
    TimelineInput tin;
    tin.tempoBpm = spec.tempoBpm;
    tin.timeSignature.numerator = spec.timeSignature.numerator;
    tin.timeSignature.denominator = spec.timeSignature.denominator;
    tin.barOneSeconds = spec.barOneSeconds;
    tin.sampleRateHz = spec.sampleRateHz;
    tin.tailSeconds = spec.tailSeconds;
    tin.tempoMap = spec.tempoMap;
    return tin;
}

void addStem(TimelineInput &input, std::int64_t startFrame, std::int64_t frames, std::optional<std::int64_t> soundFrame)
{
    if (soundFrame)
        input.earliestSoundFrame = input.earliestSoundFrame ? std::min(*input.earliestSoundFrame, *soundFrame) : *soundFrame;
    input.latestEndFrame = std::max(input.latestEndFrame, startFrame + frames);
}

Timeline planMeasuredTimeline(const DeliverySpec &spec, const std::vector<std::optional<MeasuredStem>> &measured)
{
    TimelineInput tin = timelineInput(spec);
    for (const std::optional<MeasuredStem> &m : measured) {
        if (!m)
            continue;
        const std::int64_t first = m->levels.firstActiveFrame;
        addStem(tin, m->timelineStartFrame, m->frames,
                first >= 0 ? std::optional<std::int64_t>(m->timelineStartFrame + first) : std::nullopt);
    }
    return planTimeline(tin);
}

bool sameTimeline(const Timeline &a, const Timeline &b)
{
    return a.sampleRateHz == b.sampleRateHz && a.prerollBars == b.prerollBars && a.bars == b.bars
        && a.barOneFrame == b.barOneFrame && a.startFrame == b.startFrame && a.lengthFrames == b.lengthFrames;
}

}  // namespace stemship::delivery
