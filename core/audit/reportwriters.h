#pragma once

// The audit's reports: JSON per CLI-CONTRACT, CSV one row per stem, self-contained HTML, terminal text.

#include "audit/stemreport.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace stemship::audit {

QJsonObject reportToJson(const AuditReport &report);
QByteArray reportToJsonBytes(const AuditReport &report);  // strict JSON, indented
QByteArray reportToCsv(const AuditReport &report);
QByteArray reportToHtml(const AuditReport &report);
QString reportToText(const AuditReport &report);

// The stems of a report, not counting the sum of audit --sum.
int stemCount(const AuditReport &report);

}  // namespace stemship::audit
