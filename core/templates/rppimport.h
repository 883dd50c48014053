#pragma once

// Learning a template from a REAPER project (.RPP): track names, PEAKCOL colours, folders, AUXRECV sends, tempo.

#include "templates/sessiontemplate.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>

namespace stemship::templates {

// Folders become group buses (and a group for the tracks directly inside), tracks that receive sends and hold no
// tracks become aux returns, the rest are tracks. REAPER tracks are at least stereo, so NCHAN 2 reads as mono
// unless a layout is implied by NCHAN 6 (5.1) or 8 (7.1).
Result<SessionTemplate> importRpp(const QString &path);
Result<SessionTemplate> importRppText(const QByteArray &text, const QString &fileName);

// One RPP line split into tokens: "a" 'b c' `d` plain; quotes removed.
QStringList rppTokens(const QByteArray &line);

}  // namespace stemship::templates
