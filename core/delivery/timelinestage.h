#pragma once

// Stage 2 of a delivery, plan the timeline: bar one, the preroll for sound before it, whole bars to the end of
// the longest stem plus the tail (timeline.h does the arithmetic). Planned from the headers before pass 1 when
// they allow it (earlyplan.h), and always from what pass 1 measured; both go through addStem.

#include "delivery/deliveryspec.h"
#include "delivery/stemrender.h"
#include "delivery/timeline.h"

#include <optional>
#include <vector>

namespace stemship::delivery {

// The spec's tempo, metre, bar one, rate and tail; the stems are added with addStem.
TimelineInput timelineInput(const DeliverySpec &spec);

// One stem on the session timeline: it starts at startFrame, lasts `frames` and first sounds at soundFrame
// (session timeline, delivery rate; nullopt when silent).
void addStem(TimelineInput &input, std::int64_t startFrame, std::int64_t frames, std::optional<std::int64_t> soundFrame);

// The timeline of everything pass 1 measured (the reference included: it is placed like a stem).
Timeline planMeasuredTimeline(const DeliverySpec &spec, const std::vector<std::optional<MeasuredStem>> &measured);

bool sameTimeline(const Timeline &a, const Timeline &b);

}  // namespace stemship::delivery
