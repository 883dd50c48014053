#pragma once

// The session files of a delivery, one per DAW format: a DAWproject, a REAPER project and a MIDI tempo map,
// all from one SessionPlan through the template exporters (one routing, every format).

#include "session/sessionplan.h"
#include "util/error.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace stemship::session {

enum class SessionFormat { DawProject, Rpp, Midi };

// "dawproject,rpp,midi" in any order and case; an unknown name is an error naming it. Empty text = all three.
Result<QList<SessionFormat>> parseSessionFormats(const QString &text);

// "<base>.dawproject", "<base>.RPP", "<base> tempo.mid".
QString sessionFileName(const QString &baseName, SessionFormat format);

// The file's bytes (the .dawproject zip, the .RPP text, the Standard MIDI File).
Result<QByteArray> sessionFileData(const SessionPlan &plan, SessionFormat format, const QString &fileName);

}  // namespace stemship::session
