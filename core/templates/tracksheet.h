#pragma once

// Track sheets for the session: CSV (one row per track) and a printable, self-contained HTML page.

#include "templates/sessiontemplate.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>

namespace stemship::templates {

// "peak -18 dBFS", "lufs -16 LUFS", "rms -20 dBFS".
QString describeTarget(const GainTarget &target);

// Header index,name,group,colour,layout,output,sends,target; RFC 4180 quoting; UTF-8; CRLF line ends.
// Cells a spreadsheet would run as a formula (=, +, @) are prefixed with an apostrophe.
QByteArray trackSheetCsv(const SessionTemplate &tmpl);

// One HTML page with inline CSS (no external resources): session facts, tracks with colour swatches,
// routing and targets, buses; print CSS for A4/Letter.
QByteArray trackSheetHtml(const SessionTemplate &tmpl);

Status exportTrackSheetCsv(const SessionTemplate &tmpl, const QString &path);
Status exportTrackSheetHtml(const SessionTemplate &tmpl, const QString &path);

}  // namespace stemship::templates
