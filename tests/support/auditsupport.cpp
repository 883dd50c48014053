#include "auditsupport.h"

#include <QJsonArray>

namespace stemship::test {

QStringList sortedIssueCodes(const audit::StemReport &stem)
{
    QStringList out;
    for (const auto &issue : stem.issues)
        out.append(issue.code);
    out.sort();
    return out;
}

QStringList issueCodes(const QJsonObject &reportOrStem)
{
    QStringList codes;
    for (const auto &v : reportOrStem.value(QStringLiteral("issues")).toArray())
        codes.append(v.toObject().value(QStringLiteral("code")).toString());
    return codes;
}

const audit::StemReport *stemEndingWith(const audit::AuditReport &report, const QString &fileName)
{
    for (const auto &stem : report.stems)
        if (stem.path.endsWith(fileName))
            return &stem;
    return nullptr;
}

}  // namespace stemship::test
