#pragma once

// Pieces of the HTML audit report shared between its files.

#include "audit/stemreport.h"

#include <QString>

namespace stemship::audit {

// Text escaped for HTML (&, <, >, "): every string of the report that did not come from us goes through this.
inline QString esc(const QString &text) { return text.toHtmlEscaped(); }

// Second marks along the set's timeline, under the plots (htmlreport.cpp).
QString timeAxis(double setStart, double setLength);

// The null test against the reference mix: verdict, per-stem offsets and polarity, the residual over time beside the
// mix's level (htmlreference.cpp). Empty without a reference.
QString referenceSectionHtml(const AuditReport &report);

}  // namespace stemship::audit
