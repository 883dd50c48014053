#include "audit/stemreport.h"

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
