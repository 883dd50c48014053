#pragma once

// The gains a delivery would apply, without delivering: the collect, measure and timeline stages of
// packageStems (packager.h) run as they do there, every stem's levels placed on the timeline, then the gain stage
// plans on them. The GUI's Gain page previews with it, so its figures are the delivered ones. Measuring reads the
// audio (run it off the GUI thread); planning is instant, so a new gain choice re-plans without re-measuring.
// With --align-to-reference the stems are measured where they are, before the null test would move them.

#include "delivery/collectstage.h"
#include "delivery/deliveryjob.h"
#include "delivery/deliveryspec.h"
#include "delivery/gainstage.h"
#include "delivery/measurestage.h"
#include "delivery/timeline.h"
#include "util/cancel.h"
#include "util/error.h"

#include <vector>

namespace stemship::delivery {

// What the gain stage needs of a delivery: its stems in delivery order, measured and placed on its timeline.
struct GainPreviewMeasurements {
    std::vector<DeliveryItem> stems;          // delivery order; the reference mix is not among them
    std::vector<MeasuredStem> measured;       // per stem: levels at the delivery rate, RMS and loudness placed
    Timeline timeline;
    QList<SkippedSource> skipped;
};

// Stages 1 to 3 for `spec` (its sources, reference, tempo, bar one, rate, tail, template): pass 1 into a work
// folder beside spec.outputPath (the system's temporary folder without one), removed on return, the timeline, then every stem metered placed on it (whatever the gain mode:
// peaks do not change with placement, so any mode plans on the result). Progress 0..1; cancel stops it.
Result<GainPreviewMeasurements> measureForGainPreview(const DeliverySpec &spec, const PackageProgress &progress,
                                                      const CancelToken &cancel);

// Stage 4 on those measurements with spec's gain choice and template: the gains packageStems would deliver.
DeliveryGains planGainPreview(const GainPreviewMeasurements &measurements, const DeliverySpec &spec);

// Whether two specs measure the same (same stems, template, timeline and delivery rate): when they do, a preview
// measured for one plans the other.
bool sameMeasurementInputs(const DeliverySpec &a, const DeliverySpec &b);

}  // namespace stemship::delivery
