#pragma once

// Reading audit results in tests: a stem's issue codes (from core's report or the CLI's JSON), a stem by file name.

#include "audit/stemreport.h"

#include <QJsonObject>
#include <QStringList>

namespace stemship::test {

// The codes of the stem's issues, sorted.
QStringList sortedIssueCodes(const audit::StemReport &stem);
// The codes in the "issues" array of a JSON report or stem, in their order.
QStringList issueCodes(const QJsonObject &reportOrStem);
// The stem whose path ends with fileName; nullptr if none.
const audit::StemReport *stemEndingWith(const audit::AuditReport &report, const QString &fileName);

}  // namespace stemship::test
