#include "delivery/earlyplan.h"

#include "gain/resampler.h"

namespace stemship::delivery {

TimelineInput timelineInput(const DeliverySpec &spec)
{
    TimelineInput tin;
    tin.tempoBpm = spec.tempoBpm;
    tin.beatsPerBar = spec.beatsPerBar;
    tin.beatUnit = spec.beatUnit;
    tin.barOneSeconds = spec.barOneSeconds;
    tin.sampleRateHz = spec.sampleRateHz;
    tin.tailSeconds = spec.tailSeconds;
    return tin;
}

std::optional<Timeline> earlyTimeline(const DeliverySpec &spec, const QList<audit::StemSource> &sources,
                                      const QStringList &cachePaths, std::vector<MeasuredStem> *expected)
{
    TimelineInput tin = timelineInput(spec);
    const Timeline bare = planTimeline(tin);  // for bar one's frame
    expected->clear();
    for (qsizetype i = 0; i < sources.size(); ++i) {
        auto reader = openSource(sources.at(i));
        if (!reader || reader->info().sampleRateHz <= 0 || reader->info().frames <= 0)
            return std::nullopt;
        MeasuredStem m;
        m.info = reader->info();
        m.channels = m.info.channels;
        m.cachePath = cachePaths.value(i);
        m.resampled = m.info.sampleRateHz != spec.sampleRateHz;
        m.frames = gain::Resampler::outputLength(m.info.frames, m.info.sampleRateHz, spec.sampleRateHz);
        m.timelineStartFrame = m.info.timeReferenceSamples
            ? timelineFrame(*m.info.timeReferenceSamples, m.info.sampleRateHz, spec.sampleRateHz) : 0;
        // Sound before bar one would need the stem's first sound to place the preroll: only pass 1 knows it.
        if (m.timelineStartFrame < bare.barOneFrame)
            return std::nullopt;
        tin.latestEndFrame = std::max(tin.latestEndFrame, m.timelineStartFrame + m.frames);
        expected->push_back(m);
    }
    // No stem sounds before bar one, so no preroll: as if the earliest sound were unknown.
    return planTimeline(tin);
}

bool sameTimeline(const Timeline &a, const Timeline &b)
{
    return a.sampleRateHz == b.sampleRateHz && a.prerollBars == b.prerollBars && a.bars == b.bars
        && a.barOneFrame == b.barOneFrame && a.startFrame == b.startFrame && a.lengthFrames == b.lengthFrames;
}

}  // namespace stemship::delivery
