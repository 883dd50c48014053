#pragma once

#include "templates/auditsettings.h"
#include "audit/stemreport.h"

namespace stemship::audit {

// Per-stem checks on a measured stem (CLI-CONTRACT issue codes); appends to report->issues.
void checkStem(StemReport *report, const AuditSettings &settings);

// Adds an issue with the settings' severity for its code.
void addIssue(QList<Issue> *issues, const AuditSettings &settings, const QString &code, const QString &message,
              const QStringList &paths = {});

// "-12.3 dBFS"-style formatting for messages; "-inf" for silence.
QString formatDb(double db, const char *unit);

}  // namespace stemship::audit
