#pragma once

// A song's tempo and meter over time: bar/beat <-> seconds with tempo and time-signature changes. Tempo counts
// quarter notes per minute (as MIDI and every DAW do); the map's start (quarter note 0) is bar one.

#include "util/error.h"

#include <QList>
#include <QString>

namespace stemship::session {

struct TempoPoint {
    double quarterNotes = 0;   // from bar one
    double tempoBpm = 120;     // quarter notes per minute, held until the next point (no ramps)
};

struct MeterPoint {
    int bar = 0;               // whole bars from bar one (0 = bar one); a meter changes on a bar line
    int numerator = 4;
    int denominator = 4;       // a power of two
};

// One entry per change, for the manifest's tempo_map and NOTES.
struct TempoChange {
    double seconds = 0;        // from bar one
    int bar = 1;               // counting from 1
    double beat = 1;           // in the bar's own beats (denominator notes), counting from 1
    double tempoBpm = 120;
    int numerator = 4;
    int denominator = 4;
};

class TempoMap {
public:
    // One tempo and meter for the whole song.
    static TempoMap constant(double tempoBpm, int numerator, int denominator);
    // Points sorted by position; the first tempo must sit at 0 and a meter at bar 0 is added (4/4) when missing.
    // Errors: no tempo, a tempo outside 10..999 BPM, a meter that is not N/D with D a power of two.
    static Result<TempoMap> make(QList<TempoPoint> tempi, QList<MeterPoint> meters, const QString &source);

    const QList<TempoPoint> &tempi() const { return m_tempi; }
    const QList<MeterPoint> &meters() const { return m_meters; }
    bool isConstant() const { return m_tempi.size() == 1 && m_meters.size() == 1; }

    // Negative positions lie in the pre-roll, which repeats the first tempo and meter.
    double secondsAt(double quarterNotes) const;
    double quarterNotesAt(double seconds) const;
    double quarterNotesAtBar(int bar) const;   // bar 0 = bar one; negative = pre-roll bars
    double secondsAtBar(int bar) const { return secondsAt(quarterNotesAtBar(bar)); }
    // The first bar line at or after seconds (a tolerance keeps a stem ending on a bar line in its bar).
    int barAtOrAfter(double seconds) const;
    double quarterNotesPerBar(int bar) const;  // of the meter in force at bar
    const MeterPoint &meterAtBar(int bar) const;

    QList<TempoChange> changes() const;

private:
    QList<TempoPoint> m_tempi;
    QList<MeterPoint> m_meters;
};

// The map back from its changes (the manifest's tempo_map: bar, beat, tempo, meter per change).
Result<TempoMap> tempoMapFromChanges(const QList<TempoChange> &changes, const QString &source);

// "4/4" -> {4, 4}; an error line names source when the text is no N/D with D a power of two.
Result<MeterPoint> parseTimeSignature(const QString &text, const QString &source);
QString timeSignatureText(int numerator, int denominator);

}  // namespace stemship::session
