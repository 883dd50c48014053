#include "delivery/gainrequest.h"

namespace stemship::delivery {
namespace {

templates::TargetMeasure templateMeasure(gain::Measure measure)
{
    switch (measure) {
    case gain::Measure::Rms:
        return templates::TargetMeasure::Rms;
    case gain::Measure::Lufs:
        return templates::TargetMeasure::Lufs;
    case gain::Measure::Peak:
        break;
    }
    return templates::TargetMeasure::Peak;
}

}  // namespace

gain::Measure targetMeasure(gain::GainMode mode, gain::Measure measure)
{
    switch (mode) {
    case gain::GainMode::Rms:
        return gain::Measure::Rms;
    case gain::GainMode::Lufs:
        return gain::Measure::Lufs;
    case gain::GainMode::Balanced:
        return measure;
    case gain::GainMode::None:
    case gain::GainMode::Peak:
        break;
    }
    return gain::Measure::Peak;
}

double defaultTargetDb(gain::Measure measure, const templates::SessionTemplate *sessionTemplate)
{
    if (sessionTemplate && sessionTemplate->defaultTarget.measure == templateMeasure(measure))
        return sessionTemplate->defaultTarget.valueDb;
    return measure == gain::Measure::Peak ? -18.0 : measure == gain::Measure::Rms ? -20.0 : -23.0;
}

gain::GainRequest gainRequestFor(const GainChoice &choice, const templates::SessionTemplate *sessionTemplate,
                                 const std::vector<std::optional<int>> &trackIndices)
{
    gain::GainRequest request;
    request.mode = choice.mode;
    request.measure = choice.measure;
    const gain::Measure measure = targetMeasure(choice.mode, choice.measure);
    request.targetDb = choice.targetDb ? *choice.targetDb : defaultTargetDb(measure, sessionTemplate);
    request.ceilingDbtp = choice.ceilingDbtp ? *choice.ceilingDbtp
        : sessionTemplate ? sessionTemplate->truePeakCeilingDbtp : -1.0;
    if (sessionTemplate)
        request.silenceFloorDbfs = sessionTemplate->audit.silenceFloorDbfs;
    // Without an explicit target, a matched track's own target applies when it measures what the mode does.
    for (const std::optional<int> &track : trackIndices) {
        std::optional<double> target;
        if (!choice.targetDb && sessionTemplate && track && *track >= 0 && *track < sessionTemplate->tracks.size()) {
            const templates::GainTarget t = sessionTemplate->trackTarget(sessionTemplate->tracks.at(*track));
            if (t.measure == templateMeasure(measure))
                target = t.valueDb;
        }
        request.stemTargetsDb.push_back(target);
    }
    return request;
}

}  // namespace stemship::delivery
