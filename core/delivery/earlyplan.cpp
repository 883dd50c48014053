#include "delivery/earlyplan.h"

#include "delivery/timelinestage.h"
#include "gain/resampler.h"
#include "metering/loudnessmeter.h"
#include "util/parallel.h"

#include <algorithm>
#include <cmath>

namespace stemship::delivery {

namespace {

// The first frame in [0, frames) with any |sample| above the meter's activity threshold, or -1.
std::int64_t firstActiveFrame(io::AudioReader &reader, std::int64_t frames)
{
    const float threshold = float(metering::dbToLinear(metering::MeterConfig{}.activityThresholdDbfs));
    const std::size_t channels = std::size_t(std::max(1, reader.info().channels));
    std::vector<float> block(std::size_t(kBlockFrames) * channels);
    for (std::int64_t pos = 0; pos < frames;) {
        const std::int64_t got = reader.read(block.data(), std::min(kBlockFrames, frames - pos));
        if (got <= 0)
            return -1;
        for (std::size_t i = 0; i < std::size_t(got) * channels; ++i)
            if (std::fabs(block[i]) > threshold)
                return pos + std::int64_t(i / channels);
        pos += got;
    }
    return -1;
}

}  // namespace

std::optional<EarlyPlan> earlyPlan(const DeliverySpec &spec, const std::vector<DeliveryItem> &items)
{
    TimelineInput tin = timelineInput(spec);
    const Timeline bare = planTimeline(tin);  // for bar one's frame
    const std::size_t n = items.size();
    std::vector<std::optional<MeasuredStem>> stems(n);
    std::vector<std::optional<std::int64_t>> sounds(n);
    // Independent reads (the headers, and the scans up to bar one), on the job's threads.
    parallelFor(int(n), spec.jobs, [&](int i) {
        auto reader = openSource(items[std::size_t(i)].source);
        if (!reader || reader->info().sampleRateHz <= 0 || reader->info().frames <= 0)
            return;
        MeasuredStem m = placedStemFor(reader->info(), spec.sampleRateHz, items[std::size_t(i)].cachePath);
        m.frames = gain::Resampler::outputLength(m.info.frames, m.info.sampleRateHz, spec.sampleRateHz);
        // A stem that starts before bar one may sound before it: its first sound places the preroll. Read from
        // the source up to bar one (no further), with the meter's activity threshold; mapped to the delivery rate
        // it is what pass 1 will find, or near it (a resampler rings a little ahead of an onset), which the
        // packager checks. Sound only after bar one places nothing.
        if (m.timelineStartFrame < bare.barOneFrame) {
            const double ratio = double(m.info.sampleRateHz) / spec.sampleRateHz;
            const std::int64_t scanFrames = std::min<std::int64_t>(
                m.info.frames, std::int64_t(std::ceil(double(bare.barOneFrame - m.timelineStartFrame) * ratio)) + 1);
            if (const std::int64_t first = firstActiveFrame(*reader, scanFrames); first >= 0)
                sounds[std::size_t(i)] = m.timelineStartFrame + (m.resampled ? std::llround(double(first) / ratio) : first);
        }
        stems[std::size_t(i)] = m;
    });
    EarlyPlan plan;
    for (std::size_t i = 0; i < n; ++i) {
        if (!stems[i])
            return std::nullopt;
        addStem(tin, stems[i]->timelineStartFrame, stems[i]->frames, sounds[i]);
        plan.expected.push_back(*stems[i]);
    }
    plan.timeline = planTimeline(tin);
    return plan;
}

}  // namespace stemship::delivery
