#pragma once

// One CSV cell for every CSV Stemship writes (the audit report, the track sheet): RFC 4180 quoting, and the
// formula-injection guard (OWASP "CSV Injection"): a text cell that a spreadsheet would run as a formula
// (starting with = + - @, a tab or a carriage return) is prefixed with an apostrophe. Numbers, negative ones
// included, stay numbers.

#include <QString>
#include <QStringList>

namespace stemship {

QString csvCell(const QString &text);

// The cells joined into one line, CRLF-terminated (RFC 4180).
QString csvRow(const QStringList &cells);

}  // namespace stemship
