#pragma once

// Knowing the delivery's timeline before pass 1: lengths and starts from the stems' headers, the preroll from a
// read of each stem that starts before bar one, up to bar one. Then each stem can be written right after it is
// measured and its float cache dropped at once, so the page cache holds a stem or two rather than the whole
// session: on a virtual machine, memory the page cache has not used before is the slowest part of packaging.
// The packager checks afterwards that the measured stems give the same timeline (a header can lie; a resampler
// rings a little ahead of an onset, which can move the first sound across a bar line).

#include "delivery/collectstage.h"
#include "delivery/deliveryspec.h"
#include "delivery/stemrender.h"
#include "delivery/timeline.h"

#include <optional>
#include <vector>

namespace stemship::delivery {

// What the headers promise: the timeline, and per item what pass 1 should find (frames at the delivery rate,
// start, whether it is resampled; levels empty).
struct EarlyPlan {
    Timeline timeline;
    std::vector<MeasuredStem> expected;
};

// nullopt when a source cannot be read.
std::optional<EarlyPlan> earlyPlan(const DeliverySpec &spec, const std::vector<DeliveryItem> &items);

}  // namespace stemship::delivery
