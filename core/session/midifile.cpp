#include "midifile.h"

#include <cmath>
#include <algorithm>
#include <bit>

namespace stemship::session {
namespace {

void putBe(QByteArray *out, quint32 v, int bytes)
{
    for (int i = bytes - 1; i >= 0; --i)
        out->append(char((v >> (8 * i)) & 0xFF));
}

// SMF 1.0: delta times and meta lengths are variable-length quantities, 7 bits a byte, high bit = more.
void putVarLen(QByteArray *out, quint32 v)
{
    quint8 bytes[4];
    int n = 0;
    do {
        bytes[n++] = quint8(v & 0x7F);
        v >>= 7;
    } while (v && n < 4);
    for (int i = n - 1; i >= 0; --i)
        out->append(char(bytes[i] | (i ? 0x80 : 0)));
}

struct Event {
    qint64 tick;
    int order;        // at one tick: meter, tempo, then markers
    QByteArray meta;  // type byte, length, data
};

QByteArray meta(quint8 type, const QByteArray &data)
{
    QByteArray out;
    out.append(char(type));
    putVarLen(&out, quint32(data.size()));
    return out + data;
}

QByteArray tempoData(double bpm)
{
    QByteArray d;
    putBe(&d, quint32(std::llround(60000000.0 / bpm)), 3);  // µs per quarter note
    return d;
}

QByteArray meterData(int numerator, int denominator)
{
    QByteArray d;
    d.append(char(numerator));
    d.append(char(std::countr_zero(unsigned(denominator))));  // denominator as a power of two
    d.append(char(24));  // MIDI clocks per metronome click: one quarter note
    d.append(char(8));   // 32nd notes per quarter note
    return d;
}

qint64 ticks(double quarterNotes) { return std::llround(quarterNotes * kMidiPpq); }

}  // namespace

QByteArray tempoMidi(const TempoMap &map, int prerollBars, const QList<MidiMarker> &markers, const QString &trackName)
{
    const double offset = prerollBars * map.quarterNotesPerBar(0);
    QList<Event> events;
    events.append({0, 0, meta(0x03, trackName.toUtf8().left(255))});
    for (const MeterPoint &m : map.meters())
        events.append({m.bar == 0 ? 0 : ticks(offset + map.quarterNotesAtBar(m.bar)), 1, meta(0x58, meterData(m.numerator, m.denominator))});
    for (const TempoPoint &p : map.tempi())
        events.append({p.quarterNotes == 0 ? 0 : ticks(offset + p.quarterNotes), 2, meta(0x51, tempoData(p.tempoBpm))});
    for (const MidiMarker &m : markers)
        events.append({ticks(m.quarterNotes), 3, meta(0x06, m.text.toUtf8().left(255))});
    std::stable_sort(events.begin(), events.end(), [](const Event &a, const Event &b) { return a.tick != b.tick ? a.tick < b.tick : a.order < b.order; });
    QByteArray track;
    qint64 now = 0;
    for (const Event &e : events) {
        putVarLen(&track, quint32(e.tick - now));
        track.append(char(0xFF));
        track += e.meta;
        now = e.tick;
    }
    putVarLen(&track, 0);
    track += QByteArray("\xFF\x2F\x00", 3);  // end of track
    QByteArray out("MThd");
    putBe(&out, 6, 4);
    putBe(&out, 1, 2);  // type 1: the conductor track alone is a valid type 1 file
    putBe(&out, 1, 2);
    putBe(&out, kMidiPpq, 2);
    out += "MTrk";
    putBe(&out, quint32(track.size()), 4);
    return out + track;
}

namespace {

struct MetaEvent {
    qint64 tick;
    quint8 type;
    QByteArray data;
};

class SmfParser {
public:
    SmfParser(const QByteArray &data) : d(data) {}

    // Every meta event of every track, with its absolute tick; false with why on a malformed file.
    bool parse(QList<MetaEvent> *out, int *ppq, QString *why)
    {
        if (d.size() < 14 || !d.startsWith("MThd") || be(4, 4) < 6)
            return fail(why, QStringLiteral("not a Standard MIDI File (no MThd header)"));
        const int format = int(be(8, 2)), tracks = int(be(10, 2)), division = int(be(12, 2));
        if (format > 1)
            return fail(why, QStringLiteral("MIDI type %1 is not a tempo map (type 0 or 1 expected)").arg(format));
        if (division & 0x8000 || division == 0)
            return fail(why, QStringLiteral("SMPTE time division: no musical time to read a tempo map from"));
        *ppq = division;
        qsizetype pos = 8 + qsizetype(be(4, 4));
        for (int t = 0; t < tracks; ++t) {
            if (pos + 8 > d.size())
                return fail(why, QStringLiteral("track %1 of %2 is missing (file truncated)").arg(t + 1).arg(tracks));
            const qsizetype length = qsizetype(be(pos + 4, 4));
            if (length > d.size() - pos - 8)
                return fail(why, QStringLiteral("track %1 ends past the end of the file (truncated)").arg(t + 1));
            if (d.mid(pos, 4) == "MTrk" && !parseTrack(pos + 8, pos + 8 + length, out))
                return fail(why, QStringLiteral("track %1 is malformed").arg(t + 1));
            pos += 8 + length;
        }
        return true;
    }

private:
    const QByteArray &d;

    static bool fail(QString *why, const QString &what)
    {
        *why = what;
        return false;
    }
    quint32 be(qsizetype at, int bytes) const
    {
        quint32 v = 0;
        for (int i = 0; i < bytes; ++i)
            v = (v << 8) | quint8(d.at(at + i));
        return v;
    }
    bool varLen(qsizetype *pos, qsizetype end, quint32 *v) const
    {
        *v = 0;
        for (int i = 0; i < 4; ++i) {
            if (*pos >= end)
                return false;
            const quint8 b = quint8(d.at((*pos)++));
            *v = (*v << 7) | (b & 0x7F);
            if (!(b & 0x80))
                return true;
        }
        return false;
    }
    bool parseTrack(qsizetype pos, qsizetype end, QList<MetaEvent> *out) const
    {
        qint64 tick = 0;
        quint8 status = 0;
        while (pos < end) {
            quint32 delta = 0, length = 0;
            if (!varLen(&pos, end, &delta) || pos >= end)
                return false;
            tick += delta;
            quint8 b = quint8(d.at(pos));
            if (b == 0xFF) {
                if (pos + 2 > end)
                    return false;
                const quint8 type = quint8(d.at(pos + 1));
                pos += 2;
                if (!varLen(&pos, end, &length) || length > quint32(end - pos))
                    return false;
                out->append({tick, type, d.mid(pos, length)});
                pos += length;
                if (type == 0x2F)
                    return true;
                continue;
            }
            if (b == 0xF0 || b == 0xF7) {  // sysex: a length, then data
                ++pos;
                if (!varLen(&pos, end, &length) || length > quint32(end - pos))
                    return false;
                pos += length;
                continue;
            }
            if (b & 0x80) {
                status = b;
                ++pos;
            } else if (!status) {
                return false;  // running status with no status yet
            }
            const int kind = status >> 4;
            pos += (kind == 0xC || kind == 0xD) ? 1 : 2;
            if (pos > end)
                return false;
        }
        return true;
    }
};

}  // namespace

Result<TempoMap> readTempoMidi(const QByteArray &data, const QString &source)
{
    QList<MetaEvent> events;
    int ppq = 0;
    QString why;
    if (!SmfParser(data).parse(&events, &ppq, &why))
        return Error{source, why, ErrorCode::Usage};
    std::stable_sort(events.begin(), events.end(), [](const MetaEvent &a, const MetaEvent &b) { return a.tick < b.tick; });
    QList<TempoPoint> tempi;
    QList<MeterPoint> meters;
    qint64 meterTick = 0;
    int meterBar = 0;
    double ticksPerBar = 4.0 * ppq;
    for (const MetaEvent &e : events) {
        if (e.type == 0x51 && e.data.size() == 3) {
            const quint32 us = (quint32(quint8(e.data[0])) << 16) | (quint32(quint8(e.data[1])) << 8) | quint8(e.data[2]);
            // Whole microseconds per quarter cannot hold 90 BPM (666 666.67 µs): round to 0.001 BPM, finer than any
            // DAW's tempo field and within the file's own rounding (under 0.01 BPM up to 999 BPM).
            tempi.append({double(e.tick) / ppq, us ? std::round(60000000.0 / us * 1000.0) / 1000.0 : 0.0});
        } else if (e.type == 0x58 && e.data.size() >= 2) {
            const int n = quint8(e.data[0]), power = quint8(e.data[1]);
            if (power > 6)
                return Error{source, QStringLiteral("time signature %1/2^%2 at tick %3: the denominator is beyond 64").arg(n).arg(power).arg(e.tick),
                             ErrorCode::Usage};
            // A meter starts on a bar line: a change stated mid-bar takes effect at the next one.
            const int bar = meterBar + int(std::ceil(double(e.tick - meterTick) / ticksPerBar - 1e-9));
            meters.append({bar, n, 1 << power});
            meterBar = bar;
            meterTick = e.tick;
            ticksPerBar = n * 4.0 / (1 << power) * ppq;
        }
    }
    return TempoMap::make(tempi, meters, source);
}

QList<MidiMarker> readMidiMarkers(const QByteArray &data)
{
    QList<MetaEvent> events;
    int ppq = 0;
    QString why;
    QList<MidiMarker> out;
    if (!SmfParser(data).parse(&events, &ppq, &why))
        return out;
    for (const MetaEvent &e : events) {
        if (e.type == 0x06)
            out.append({double(e.tick) / ppq, QString::fromUtf8(e.data)});
    }
    return out;
}

}  // namespace stemship::session
