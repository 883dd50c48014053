#include "delivery/profilegate.h"

#include <algorithm>

namespace stemship::delivery {

Status applyProfile(DeliverySpec *spec, const profiles::DeliveryProfile &p, ExplicitFormat given)
{
    const auto usage = [&](const QString &what) { return Error{p.name, what, ErrorCode::Usage}; };
    if (p.sampleRateHz) {
        if (given.sampleRate && spec->sampleRateHz != *p.sampleRateHz)
            return usage(QStringLiteral("the profile requires %1 Hz; --sample-rate %2 contradicts it").arg(*p.sampleRateHz).arg(spec->sampleRateHz));
        spec->sampleRateHz = *p.sampleRateHz;
    }
    if (p.bitDepth) {
        if (given.bitDepth && spec->bitDepth != *p.bitDepth)
            return usage(QStringLiteral("the profile requires %1-bit; --bit-depth %2 contradicts it").arg(*p.bitDepth).arg(spec->bitDepth));
        spec->bitDepth = *p.bitDepth;
    }
    if (p.truePeakMaxDbtp) {
        if (given.ceiling && spec->ceilingDbtp && *spec->ceilingDbtp > *p.truePeakMaxDbtp)
            return usage(QStringLiteral("the profile allows true peaks up to %1 dBTP; --ceiling %2 is above it")
                             .arg(*p.truePeakMaxDbtp, 0, 'f', 1).arg(*spec->ceilingDbtp, 0, 'f', 1));
        double ceiling = *p.truePeakMaxDbtp;
        if (spec->ceilingDbtp)
            ceiling = std::min(ceiling, *spec->ceilingDbtp);
        else if (spec->sessionTemplate)
            ceiling = std::min(ceiling, spec->sessionTemplate->truePeakCeilingDbtp);
        spec->ceilingDbtp = ceiling;
    }
    const bool loudnessMode = spec->gainMode == gain::GainMode::Lufs
                           || (spec->gainMode == gain::GainMode::Balanced && spec->measure == gain::Measure::Lufs);
    if (loudnessMode && !spec->targetDb && p.integrated && p.integrated->aimLufs())
        spec->targetDb = p.integrated->aimLufs();
    spec->profile = p;
    return {};
}

Status judgeDelivery(DeliveryResult *result, const DeliverySpec &spec)
{
    if (!spec.profile)
        return {};
    QStringList failures;
    for (DeliveredStem &stem : result->stems) {
        profiles::ProfileSubject s;
        s.setLoudness(stem);
        s.sampleRateHz = spec.sampleRateHz;
        s.bitDepth = spec.bitDepth;
        s.layout = stem.layout;  // the delivered file's, from its channel mask
        stem.profile = profiles::evaluate(*spec.profile, s, profiles::RuleScope::Everything);
        for (const profiles::RuleVerdict &r : stem.profile->failures())
            failures.append(QStringLiteral("%1: %2 %3, limit %4%5")
                                .arg(stem.file, r.rule, r.valueDisplay(), r.limitText(),
                                     stem.limitedByCeiling ? QStringLiteral(" (gain held down by the true-peak ceiling)") : QString()));
    }
    if (failures.isEmpty())
        return {};
    return Error{spec.outputPath,
                 QStringLiteral("profile %1 cannot be met, nothing written: %2").arg(spec.profile->name, failures.join(QStringLiteral("; "))),
                 ErrorCode::ProfileViolation};
}

}  // namespace stemship::delivery
