#include "audit/issuemeasurement.h"

#include <QHash>

namespace stemship::audit {

Measurement measurementOf(const QString &code)
{
    // CLI-CONTRACT "Issue codes": each code's "when" column names the figure it is judged on.
    static const QHash<QString, Measurement> kTable = {
        {QStringLiteral("unreadable"), Measurement::Format},
        {QStringLiteral("unsupported_format"), Measurement::Format},
        {QStringLiteral("truncated"), Measurement::Format},
        {QStringLiteral("metadata_malformed"), Measurement::Format},
        {QStringLiteral("lossy_source"), Measurement::Format},
        {QStringLiteral("extension_mismatch"), Measurement::Format},
        {QStringLiteral("name_duplicate"), Measurement::Role},
        {QStringLiteral("name_unmatched"), Measurement::Role},
        {QStringLiteral("missing_stem"), Measurement::Role},
        {QStringLiteral("sample_rate_mismatch"), Measurement::Rate},
        {QStringLiteral("low_bit_depth"), Measurement::BitDepth},
        {QStringLiteral("padded_bit_depth"), Measurement::BitDepth},
        {QStringLiteral("bit_depth_mismatch"), Measurement::BitDepth},
        {QStringLiteral("channel_layout_unknown"), Measurement::Channels},
        {QStringLiteral("lfe_wideband"), Measurement::Channels},
        {QStringLiteral("channel_silent"), Measurement::Channels},
        {QStringLiteral("dual_mono"), Measurement::Channels},
        {QStringLiteral("length_mismatch"), Measurement::Length},
        {QStringLiteral("late_start"), Measurement::Start},
        {QStringLiteral("early_start"), Measurement::Start},
        {QStringLiteral("offset_vs_reference"), Measurement::Start},
        {QStringLiteral("clipping"), Measurement::SamplePeak},
        {QStringLiteral("over_full_scale"), Measurement::SamplePeak},
        {QStringLiteral("non_finite"), Measurement::SamplePeak},
        {QStringLiteral("corrupt_samples"), Measurement::SamplePeak},
        {QStringLiteral("silent"), Measurement::SamplePeak},
        {QStringLiteral("true_peak_over"), Measurement::TruePeak},
        {QStringLiteral("dc_offset"), Measurement::DcOffset},
        {QStringLiteral("phase_inverted"), Measurement::Correlation},
        {QStringLiteral("polarity_vs_reference"), Measurement::Correlation},
        {QStringLiteral("profile_violation"), Measurement::Profile},
    };
    return kTable.value(code, Measurement::None);
}

std::optional<Severity> worstSeverityFor(const QList<Issue> &issues, Measurement measurement)
{
    QList<Issue> concerning;
    for (const Issue &issue : issues)
        if (measurementOf(issue.code) == measurement)
            concerning.append(issue);
    return worstSeverity(concerning);
}

}  // namespace stemship::audit
