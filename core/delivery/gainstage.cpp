#include "delivery/gainstage.h"

#include "delivery/gainrequest.h"

namespace stemship::delivery {

gain::StemLevels stemLevels(const metering::MeterResult &l)
{
    return {l.samplePeakDbfs, l.truePeakDbtp, l.rmsDbfs, l.integratedLufs};
}

DeliveryGains planDeliveryGains(const DeliverySpec &spec, const std::vector<const DeliveryItem *> &stems,
                                const std::vector<const MeasuredStem *> &measured)
{
    std::vector<std::optional<int>> trackIndices;
    for (const DeliveryItem *item : stems)
        trackIndices.push_back(item->trackIndex);
    std::vector<gain::StemLevels> levels;
    for (const MeasuredStem *m : measured)
        levels.push_back(stemLevels(m->levels));
    DeliveryGains gains;
    gains.request = gainRequestFor({spec.gainMode, spec.measure, spec.targetDb, spec.ceilingDbtp},
                                   spec.sessionTemplate ? &*spec.sessionTemplate : nullptr, trackIndices);
    gains.plan = gain::planGains(levels, gains.request);
    gains.referenceGainDb = gains.plan.commonGainDb.value_or(0.0);
    return gains;
}

}  // namespace stemship::delivery
