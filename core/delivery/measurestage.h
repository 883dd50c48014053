#pragma once

// Stage 3 of a delivery, measure: pass 1 resamples every item to the delivery rate, meters it and caches it
// (stemrender.h), in parallel; then the levels the gain depends on are measured placed on the timeline, with its
// silence around the stem, as the delivered file will measure. A hook sees each stem as soon as it is measured
// (streaming renders it there: renderstage.h).

#include "delivery/collectstage.h"
#include "delivery/deliveryjob.h"
#include "delivery/stemrender.h"
#include "delivery/timeline.h"

#include <QList>

#include <functional>
#include <optional>
#include <vector>

namespace stemship::delivery {

struct MeasuredItems {
    std::vector<std::optional<MeasuredStem>> stems;  // per item; empty when it failed
    std::vector<std::optional<Error>> errors;        // per item
    // With spec.auditSources: the audit's findings on the stems as pass 1 read them (sourceaudit.h), for NOTES.
    std::optional<QStringList> auditFindings;
};

// What streaming adds to pass 1 (renderstage.h); all empty for a job in two passes.
struct MeasureHooks {
    // Called on a worker thread with the item's index and its measurement.
    std::function<void(std::size_t, MeasuredStem &)> measured;
    // A second share of progress (streaming's writing).
    std::function<double()> extraFraction;
    // Called for an item that failed and may be skipped.
    std::function<void()> skipped;
    // Where the item sits in the delivered file, when the timeline is known before pass 1.
    std::function<std::optional<Placement>(std::size_t)> placement;
    // Called on the worker thread before the item's pass 1 starts (streaming hands it a recycled cache there).
    std::function<void(std::size_t)> starting;
};

// Pass 1 over every item. An item that fails stops the others unless it may be skipped. With spec.auditSources
// the stems are audited on the way (sourceaudit.h).
MeasuredItems measureItems(DeliveryJob &job, const std::vector<DeliveryItem> &items, const MeasureHooks &hooks);

bool isUnreadable(const Error &e);
bool maySkip(const DeliverySpec &spec, const DeliveryItem &item, const Error &e);

// Which items go on: the stems measured, the reference, and the sources skipped; or the job's error.
struct AcceptedItems {
    std::vector<std::size_t> stems;
    std::optional<std::size_t> reference;
    QList<SkippedSource> skipped;
};
Result<AcceptedItems> acceptMeasured(const DeliverySpec &spec, const std::vector<DeliveryItem> &items,
                                     const MeasuredItems &measured);

// The loudness of the file about to be written (placed, at its gain): what its bext v2 fields and the manifest
// say. BS.1770 gating is not gain-invariant (the -70 LUFS absolute gate), so integrated loudness and range are
// evaluated at the gain from the placed measurement's block log, without reading the stem again.
void setDeliveredLoudness(MeasuredStem &stem, double gainDb);
// Replaces the stem's RMS and loudness (integrated, range, max momentary and short-term) with those of the stem
// placed on the timeline.
Status measurePlaced(MeasuredStem &stem, const Timeline &timeline, const CancelToken &cancel);
// measurePlaced for every stem in parallel (progress 0.45 to 0.5).
Status measureAllPlaced(DeliveryJob &job, const std::vector<MeasuredStem *> &stems, const Timeline &timeline);

}  // namespace stemship::delivery
