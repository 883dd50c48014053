#pragma once

// Standard MIDI Files for tempo maps: a writer (type 1, PPQ 960, one conductor track with tempo, time-signature
// and marker meta events) and a reader of the tempo and time-signature events of any type 0/1 file.

#include "session/tempomap.h"
#include "util/error.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace stemship::session {

constexpr int kMidiPpq = 960;

struct MidiMarker {
    double quarterNotes = 0;   // from the file's tick 0
    QString text;
};

// The conductor track: the map shifted by prerollBars bars of its first tempo and meter (tick 0 = the first
// sample of the delivered files), the markers (positions from tick 0), named trackName.
QByteArray tempoMidi(const TempoMap &map, int prerollBars, const QList<MidiMarker> &markers, const QString &trackName);

// Tempo and meter events of a type 0 or 1 file; tick 0 is bar one. Errors name source: not an SMF, SMPTE time
// division, truncated chunks, no tempo event, absurd tempi or meters.
Result<TempoMap> readTempoMidi(const QByteArray &data, const QString &source);

// The markers of a file, for tests and round trips.
QList<MidiMarker> readMidiMarkers(const QByteArray &data);

}  // namespace stemship::session
