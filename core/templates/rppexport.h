#pragma once

// Export of a template as an empty REAPER project (.RPP): folders for buses, colours, sends as AUXRECV.

#include "session/sessionplan.h"
#include "templates/sessiontemplate.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>

namespace stemship::templates {

// REAPER's custom-colour encoding: 0x01000000 | B<<16 | G<<8 | R ("#C04000" -> 16793792). 0 for no colour.
int reaperColour(const QString &hexColour);
// The inverse; empty for 0 (REAPER's default colour) or a value without the custom-colour flag.
QString colourFromReaper(qint64 peakcol);

// A REAPER string token: quoted with ", else ', else ` depending on what the text contains.
QByteArray reaperQuote(const QString &text);

// The .RPP text: TEMPO with the time signature, every group/aux bus a track (a folder when something feeds it,
// ISBUS 1 1 ... ISBUS 2 -n), tracks in their bus folders, sends as AUXRECV lines on the return tracks.
QByteArray rppProject(const SessionTemplate &tmpl);
// The same for a session (the plan's layout): each track an ITEM at 0 as long as its WAV (SOURCE WAVE, relative
// FILE), muted tracks muted, TEMPO the map's first tempo and meter, a tempo envelope for changes, MARKER Bar 1.
QByteArray rppProject(const session::SessionPlan &plan);

// Writes rppProject() to path atomically.
Status exportRpp(const SessionTemplate &tmpl, const QString &path);

}  // namespace stemship::templates
