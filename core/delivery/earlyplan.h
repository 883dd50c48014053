#pragma once

// Knowing the delivery's timeline before pass 1: lengths and starts from the stems' headers, the preroll from a
// read of each stem that starts before bar one, up to bar one. Then each stem can be written right after it is
// measured and its float cache dropped at once, so the page cache holds a stem or two rather than the whole
// session: on a virtual machine, memory the page cache has not used before is the slowest part of packaging.
// The packager checks afterwards that the measured stems give the same timeline (a header can lie; a resampler
// rings a little ahead of an onset, which can move the first sound across a bar line), and otherwise packages
// again the usual way.

#include "audit/stemauditor.h"
#include "delivery/deliveryspec.h"
#include "delivery/stemrender.h"
#include "delivery/timeline.h"

#include <optional>
#include "util/cancel.h"

#include <vector>

namespace stemship::delivery {

// The spec's tempo, metre, bar one, rate and tail; the stems' part is left to the caller.
TimelineInput timelineInput(const DeliverySpec &spec);

// The timeline the stems promise, and per source what pass 1 should find (frames at the delivery rate, start,
// whether it is resampled; levels empty; cachePath as given). nullopt when a source cannot be read, a worker
// fails or the job is cancelled (the scans up to bar one stop at the next block).
std::optional<Timeline> earlyTimeline(const DeliverySpec &spec, const QList<audit::StemSource> &sources,
                                      const QStringList &cachePaths, std::vector<MeasuredStem> *expected,
                                      const CancelToken &cancel);

bool sameTimeline(const Timeline &a, const Timeline &b);

}  // namespace stemship::delivery
