#include "templates/auditsettings.h"

namespace stemship::audit {

QString severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info: return QStringLiteral("info");
    case Severity::Warning: return QStringLiteral("warning");
    case Severity::Error: return QStringLiteral("error");
    }
    return QStringLiteral("warning");
}

bool parseSeverity(const QString &name, Severity *severity)
{
    if (name == QLatin1String("info"))
        *severity = Severity::Info;
    else if (name == QLatin1String("warning"))
        *severity = Severity::Warning;
    else if (name == QLatin1String("error"))
        *severity = Severity::Error;
    else
        return false;
    return true;
}

Severity severityFor(const QString &code, const AuditSettings &settings)
{
    if (const auto it = settings.severityOverrides.constFind(code); it != settings.severityOverrides.constEnd())
        return *it;
    // CLI-CONTRACT "Default severities".
    static const QStringList kErrors = {
        QStringLiteral("unreadable"), QStringLiteral("unsupported_format"), QStringLiteral("truncated"),
        QStringLiteral("non_finite"), QStringLiteral("clipping"), QStringLiteral("name_duplicate"),
        QStringLiteral("missing_stem"), QStringLiteral("corrupt_samples"), QStringLiteral("unsafe_archive"),
        QStringLiteral("profile_violation"),
    };
    static const QStringList kInfos = {QStringLiteral("leading_silence")};
    if (kErrors.contains(code))
        return Severity::Error;
    if (kInfos.contains(code))
        return Severity::Info;
    return Severity::Warning;
}

}  // namespace stemship::audit
