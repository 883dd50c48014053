#include "audit/stemreport.h"

#include <QFileInfo>

namespace stemship::audit {

bool StemReport::hasSeverity(Severity severity) const
{
    for (const Issue &issue : issues)
        if (issue.severity == severity)
            return true;
    return false;
}

bool StemReport::hasIssue(const QString &code) const
{
    for (const Issue &issue : issues)
        if (issue.code == code)
            return true;
    return false;
}

std::optional<Severity> worstSeverity(const QList<Issue> &issues)
{
    std::optional<Severity> worst;
    for (const Issue &issue : issues)
        if (!worst || int(issue.severity) > int(*worst))
            worst = issue.severity;
    return worst;
}

QList<Issue> AuditReport::issuesFor(const StemReport &stem) const
{
    QList<Issue> all = stem.issues;
    for (const Issue &issue : issues)
        if (issue.paths.contains(stem.path))
            all.append(issue);
    return all;
}

QStringList AuditReport::findingLines() const
{
    QStringList lines;
    for (const StemReport &stem : stems)
        for (const Issue &issue : stem.issues)
            lines << QStringLiteral("%1: %2 %3: %4").arg(QFileInfo(stem.path).fileName(), severityName(issue.severity), issue.code,
                                                        issue.message);
    for (const Issue &issue : issues)
        lines << QStringLiteral("set: %1 %2: %3").arg(severityName(issue.severity), issue.code, issue.message);
    return lines;
}

QString AuditReport::statusOf(const StemReport &stem) const
{
    const std::optional<Severity> worst = worstSeverity(issuesFor(stem));
    return worst == Severity::Error ? QStringLiteral("error") : worst == Severity::Warning ? QStringLiteral("warning") : QStringLiteral("ok");
}

bool AuditReport::hasErrors() const { return count(Severity::Error) > 0; }

int AuditReport::count(Severity severity) const
{
    int n = 0;
    for (const StemReport &stem : stems)
        for (const Issue &issue : stem.issues)
            n += issue.severity == severity;
    for (const Issue &issue : issues)
        n += issue.severity == severity;
    return n;
}

}  // namespace stemship::audit
