#include "audit/profilecheck.h"

#include "audit/stemchecks.h"

#include <algorithm>

namespace stemship::audit {

profiles::ProfileSubject profileSubject(const StemReport &stem)
{
    const metering::MeterResult &m = stem.levels;
    const io::AudioInfo &info = stem.info;
    profiles::ProfileSubject s;
    s.setLoudness(m);
    s.sampleRateHz = info.sampleRateHz;
    s.isFloat = info.isFloat;
    // A float file has no integer depth; it is judged by its word length (32 or 64).
    s.bitDepth = info.bitDepth.value_or(info.sampleFormat == QLatin1String("float64") ? 64 : info.isFloat ? 32 : 0);
    s.layout = profiles::layoutName(info.channels, info.channelMask);
    s.leadingSilenceSeconds = stem.leadingSilenceSeconds;
    const std::int64_t frames = std::max<std::int64_t>(info.frames, std::int64_t(m.frames));
    const std::int64_t trailing = m.lastActiveFrame >= 0 ? frames - 1 - m.lastActiveFrame : frames;
    s.trailingSilenceSeconds = info.sampleRateHz > 0 ? double(std::max<std::int64_t>(0, trailing)) / info.sampleRateHz : 0.0;
    return s;
}

QString ruleViolationText(const profiles::RuleVerdict &rule)
{
    return QStringLiteral("%1 %2, limit %3").arg(rule.rule, rule.valueDisplay(), rule.limitText());
}

void applyProfile(AuditReport *report, const profiles::DeliveryProfile &profile, const AuditSettings &settings)
{
    report->profileName = profile.name;
    const bool summed = std::any_of(report->stems.cbegin(), report->stems.cend(), [](const StemReport &s) { return s.isSum; });
    for (StemReport &stem : report->stems) {
        if (!stem.readable)
            continue;
        const profiles::RuleScope scope = stem.isSum ? profiles::RuleScope::Sum
                                        : summed     ? profiles::RuleScope::FileWithSum
                                                     : profiles::RuleScope::Everything;
        stem.profile = profiles::evaluate(profile, profileSubject(stem), scope);
        for (const profiles::RuleVerdict &rule : stem.profile->failures())
            addIssue(&stem.issues, settings, QStringLiteral("profile_violation"),
                     QStringLiteral("profile %1: %2").arg(profile.name, ruleViolationText(rule)));
    }
}

}  // namespace stemship::audit
