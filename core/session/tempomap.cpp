#include "tempomap.h"

#include <algorithm>
#include <cmath>

namespace stemship::session {
namespace {

// Tempi a DAW can hold: REAPER and DAWproject's Transport allow 1..960 BPM, MIDI any; below 10 or above 999 BPM
// a map is broken rather than musical (the template format uses the same range).
constexpr double kMinTempoBpm = 10.0;
constexpr double kMaxTempoBpm = 999.0;
// A bar line this close (1 µs) counts as reached: a stem ending exactly on a bar gets no extra bar.
constexpr double kBarToleranceSeconds = 1e-6;

bool powerOfTwo(int v) { return v > 0 && (v & (v - 1)) == 0; }

bool meterOk(int numerator, int denominator) { return numerator >= 1 && numerator <= 64 && powerOfTwo(denominator) && denominator <= 64; }

}  // namespace

QString timeSignatureText(int numerator, int denominator) { return QStringLiteral("%1/%2").arg(numerator).arg(denominator); }

Result<MeterPoint> parseTimeSignature(const QString &text, const QString &source)
{
    const QStringList parts = text.split(QLatin1Char('/'));
    bool okN = false, okD = false;
    const int n = parts.size() == 2 ? parts[0].trimmed().toInt(&okN) : 0;
    const int d = parts.size() == 2 ? parts[1].trimmed().toInt(&okD) : 0;
    if (!okN || !okD || !meterOk(n, d))
        return Error{source, QStringLiteral("time signature %1 is not N/D with N 1..64 and D a power of two up to 64").arg(text),
                     ErrorCode::Usage};
    return MeterPoint{0, n, d};
}

TempoMap TempoMap::constant(double tempoBpm, int numerator, int denominator)
{
    TempoMap map;
    map.m_tempi = {TempoPoint{0, tempoBpm}};
    map.m_meters = {MeterPoint{0, numerator, denominator}};
    return map;
}

Result<TempoMap> TempoMap::make(QList<TempoPoint> tempi, QList<MeterPoint> meters, const QString &source)
{
    auto fail = [&](const QString &what) { return Error{source, what, ErrorCode::Usage}; };
    if (tempi.isEmpty())
        return fail(QStringLiteral("the tempo map has no tempo event"));
    std::stable_sort(tempi.begin(), tempi.end(), [](const TempoPoint &a, const TempoPoint &b) { return a.quarterNotes < b.quarterNotes; });
    std::stable_sort(meters.begin(), meters.end(), [](const MeterPoint &a, const MeterPoint &b) { return a.bar < b.bar; });
    for (const TempoPoint &p : tempi) {
        if (!std::isfinite(p.tempoBpm) || p.tempoBpm < kMinTempoBpm || p.tempoBpm > kMaxTempoBpm)
            return fail(QStringLiteral("tempo %1 BPM is outside %2..%3 BPM").arg(p.tempoBpm).arg(kMinTempoBpm).arg(kMaxTempoBpm));
        if (!std::isfinite(p.quarterNotes) || p.quarterNotes < 0)
            return fail(QStringLiteral("a tempo change before the map's start"));
    }
    for (const MeterPoint &m : meters) {
        if (!meterOk(m.numerator, m.denominator))
            return fail(QStringLiteral("time signature %1 is not N/D with N 1..64 and D a power of two up to 64")
                            .arg(timeSignatureText(m.numerator, m.denominator)));
        if (m.bar < 0)
            return fail(QStringLiteral("a time signature change before the map's start"));
    }
    // A tempo first stated after tick 0 still holds from the start (what sequencers do).
    tempi.first().quarterNotes = 0;
    if (meters.isEmpty() || meters.first().bar != 0)
        meters.prepend(MeterPoint{0, 4, 4});
    TempoMap map;
    for (const TempoPoint &p : tempi) {
        if (!map.m_tempi.isEmpty() && std::abs(map.m_tempi.last().quarterNotes - p.quarterNotes) < 1e-9)
            map.m_tempi.last() = p;  // two events at one position: the later one holds
        else if (map.m_tempi.isEmpty() || map.m_tempi.last().tempoBpm != p.tempoBpm)
            map.m_tempi.append(p);
    }
    for (const MeterPoint &m : meters) {
        if (!map.m_meters.isEmpty() && map.m_meters.last().bar == m.bar)
            map.m_meters.last() = m;
        else if (map.m_meters.isEmpty() || map.m_meters.last().numerator != m.numerator || map.m_meters.last().denominator != m.denominator)
            map.m_meters.append(m);
    }
    return map;
}

double TempoMap::secondsAt(double qn) const
{
    double seconds = 0, at = 0;
    double tempo = m_tempi.first().tempoBpm;
    if (qn < 0)
        return qn * 60.0 / tempo;
    for (qsizetype i = 1; i < m_tempi.size() && m_tempi[i].quarterNotes < qn; ++i) {
        seconds += (m_tempi[i].quarterNotes - at) * 60.0 / tempo;
        at = m_tempi[i].quarterNotes;
        tempo = m_tempi[i].tempoBpm;
    }
    return seconds + (qn - at) * 60.0 / tempo;
}

double TempoMap::quarterNotesAt(double seconds) const
{
    double tempo = m_tempi.first().tempoBpm;
    if (seconds < 0)
        return seconds * tempo / 60.0;
    double at = 0, atSeconds = 0;
    for (qsizetype i = 1; i < m_tempi.size(); ++i) {
        const double next = atSeconds + (m_tempi[i].quarterNotes - at) * 60.0 / tempo;
        if (next > seconds)
            break;
        at = m_tempi[i].quarterNotes;
        atSeconds = next;
        tempo = m_tempi[i].tempoBpm;
    }
    return at + (seconds - atSeconds) * tempo / 60.0;
}

const MeterPoint &TempoMap::meterAtBar(int bar) const
{
    const MeterPoint *m = &m_meters.first();
    for (const MeterPoint &p : m_meters) {
        if (p.bar <= bar)
            m = &p;
    }
    return *m;
}

double TempoMap::quarterNotesPerBar(int bar) const
{
    const MeterPoint &m = meterAtBar(bar);
    return m.numerator * 4.0 / m.denominator;
}

double TempoMap::quarterNotesAtBar(int bar) const
{
    if (bar <= 0)
        return bar * quarterNotesPerBar(0);
    double qn = 0;
    for (qsizetype i = 0; i < m_meters.size() && m_meters[i].bar < bar; ++i) {
        const int end = i + 1 < m_meters.size() ? std::min(bar, m_meters[i + 1].bar) : bar;
        qn += (end - m_meters[i].bar) * m_meters[i].numerator * 4.0 / m_meters[i].denominator;
    }
    return qn;
}

int TempoMap::barAtOrAfter(double seconds) const
{
    const double target = seconds - kBarToleranceSeconds;
    if (target <= 0)
        return int(std::ceil(target / secondsAt(quarterNotesPerBar(0))));
    int bar = 0;
    while (secondsAtBar(bar) < target && bar < 1000000)
        ++bar;
    return bar;
}

QList<TempoChange> TempoMap::changes() const
{
    // Every position where the tempo or the meter changes, in order.
    QList<double> positions;
    for (const TempoPoint &p : m_tempi)
        positions.append(p.quarterNotes);
    for (const MeterPoint &m : m_meters)
        positions.append(quarterNotesAtBar(m.bar));
    std::sort(positions.begin(), positions.end());
    positions.erase(std::unique(positions.begin(), positions.end(), [](double a, double b) { return std::abs(a - b) < 1e-9; }), positions.end());
    QList<TempoChange> out;
    for (const double qn : positions) {
        int bar = 0;
        while (quarterNotesAtBar(bar + 1) <= qn + 1e-9)
            ++bar;
        const MeterPoint &m = meterAtBar(bar);
        double tempo = m_tempi.first().tempoBpm;
        for (const TempoPoint &p : m_tempi) {
            if (p.quarterNotes <= qn + 1e-9)
                tempo = p.tempoBpm;
        }
        const double beat = 1.0 + (qn - quarterNotesAtBar(bar)) * m.denominator / 4.0;
        out.append(TempoChange{secondsAt(qn), bar + 1, beat, tempo, m.numerator, m.denominator});
    }
    return out;
}

Result<TempoMap> tempoMapFromChanges(const QList<TempoChange> &changes, const QString &source)
{
    QList<TempoPoint> tempi;
    QList<MeterPoint> meters;
    int meterBar = 0, n = 4, d = 4;
    double meterQn = 0;
    for (const TempoChange &c : changes) {
        const int bar = c.bar - 1;
        if (bar < meterBar || !meterOk(c.numerator, c.denominator))
            return Error{source, QStringLiteral("tempo map entry at bar %1 is out of order or has a bad time signature").arg(c.bar), ErrorCode::Usage};
        if (meters.isEmpty() || c.numerator != n || c.denominator != d) {
            meterQn += (bar - meterBar) * n * 4.0 / d;
            meterBar = bar;
            n = c.numerator;
            d = c.denominator;
            meters.append(MeterPoint{bar, n, d});
        }
        const double qn = meterQn + (bar - meterBar) * n * 4.0 / d + (c.beat - 1.0) * 4.0 / d;
        if (tempi.isEmpty() || tempi.last().tempoBpm != c.tempoBpm)
            tempi.append(TempoPoint{qn, c.tempoBpm});
    }
    return TempoMap::make(tempi, meters, source);
}

}  // namespace stemship::session
