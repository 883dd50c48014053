#pragma once

// Stage 4 of a delivery, plan gains: the gain request of the stems (gainrequest.h: the user's choice, else the
// template's) planned on their levels at the delivery rate (placed on the timeline where the mode measures RMS
// or loudness). The same call plans one stem alone when streaming, and the GUI's preview.

#include "delivery/collectstage.h"
#include "delivery/deliveryspec.h"
#include "delivery/stemrender.h"
#include "gain/gainplanner.h"

#include <vector>

namespace stemship::delivery {

gain::StemLevels stemLevels(const metering::MeterResult &levels);

struct DeliveryGains {
    gain::GainRequest request;
    gain::GainPlan plan;        // per stem, in the order given
    double referenceGainDb = 0.0;  // the common gain (none, balanced), else 0
};

// stems[i] measured as measured[i].
DeliveryGains planDeliveryGains(const DeliverySpec &spec, const std::vector<const DeliveryItem *> &stems,
                                const std::vector<const MeasuredStem *> &measured);

}  // namespace stemship::delivery
