#pragma once

// Tempo maps from the files a studio already has: a Standard MIDI File, or the tempo and time-signature changes
// of a DAWproject or REAPER project (what `package --tempo-map FILE` reads). The file's start is bar one.

#include "session/tempomap.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>

namespace stemship::session {

// By extension: .mid/.midi, .dawproject, .rpp (any case). Errors (code "usage") name the file: missing, too big,
// unknown kind, no tempo, absurd tempi or meters.
Result<TempoMap> readTempoMapFile(const QString &path);

// REAPER: TEMPO, then the <TEMPOENVEX> points (seconds; a ramp is held at its starting tempo, as the map has no
// ramps) with their packed meters (numerator + denominator * 65536).
Result<TempoMap> readRppTempoMap(const QByteArray &rpp, const QString &source);

// DAWproject project.xml: Transport Tempo and TimeSignature, then the arrangement's TempoAutomation and
// TimeSignatureAutomation points (beats, or seconds when the automation's timeUnit says so).
Result<TempoMap> readDawProjectTempoMap(const QByteArray &projectXml, const QString &source);

}  // namespace stemship::session
