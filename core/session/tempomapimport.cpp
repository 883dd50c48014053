#include "tempomapimport.h"

#include "session/midifile.h"
#include "templates/dawprojectimport.h"

#include <QFile>
#include <QFileInfo>
#include <QXmlStreamReader>

#include <cmath>

namespace stemship::session {
namespace {

constexpr qint64 kMaxMapFileBytes = 64 << 20;

// Meter changes stated at quarter-note positions, placed on bars: a change mid-bar takes effect at the next bar line.
QList<MeterPoint> metersOnBars(const QList<std::pair<double, MeterPoint>> &atQuarterNotes)
{
    QList<MeterPoint> meters;
    double meterQn = 0, qnPerBar = 4;
    int meterBar = 0;
    for (const auto &[qn, m] : atQuarterNotes) {
        const int bar = meterBar + int(std::ceil((qn - meterQn) / qnPerBar - 1e-9));
        meterQn += (bar - meterBar) * qnPerBar;
        meterBar = bar;
        qnPerBar = m.numerator * 4.0 / std::max(1, m.denominator);
        meters.append(MeterPoint{bar, m.numerator, m.denominator});
    }
    return meters;
}

QList<QByteArray> tokens(const QByteArray &line) { return line.simplified().split(' '); }

}  // namespace

Result<TempoMap> readRppTempoMap(const QByteArray &rpp, const QString &source)
{
    QList<TempoPoint> tempi;
    QList<std::pair<double, MeterPoint>> meters;
    bool inEnvelope = false;
    double lastSeconds = 0, lastQn = 0, lastBpm = 0;
    for (const QByteArray &raw : rpp.split('\n')) {
        const QByteArray line = raw.trimmed();
        const QList<QByteArray> t = tokens(line);
        if (line.startsWith("TEMPO ") && t.size() >= 4 && tempi.isEmpty()) {
            tempi.append({0, t[1].toDouble()});
            meters.append({0, MeterPoint{0, t[2].toInt(), t[3].toInt()}});
            lastBpm = t[1].toDouble();
        } else if (line.startsWith("<TEMPOENVEX")) {
            inEnvelope = true;
        } else if (inEnvelope && line == ">") {
            inEnvelope = false;
        } else if (inEnvelope && line.startsWith("PT ") && t.size() >= 3) {
            const double seconds = t[1].toDouble(), bpm = t[2].toDouble();
            if (!std::isfinite(seconds) || seconds < lastSeconds || lastBpm <= 0)
                return Error{source, QStringLiteral("tempo envelope point at %1 s is out of order").arg(QString::fromLatin1(t[1])), ErrorCode::Usage};
            const double qn = lastQn + (seconds - lastSeconds) * lastBpm / 60.0;
            tempi.append({qn, bpm});
            // PT time bpm shape [meter selected ...]
            if (t.size() >= 5 && t[4].toLongLong() > 0) {
                const qint64 packed = t[4].toLongLong();
                meters.append({qn, MeterPoint{0, int(packed & 0xFFFF), int(packed >> 16)}});
            }
            lastSeconds = seconds;
            lastQn = qn;
            lastBpm = bpm;
        }
    }
    return TempoMap::make(tempi, metersOnBars(meters), source);
}

Result<TempoMap> readDawProjectTempoMap(const QByteArray &projectXml, const QString &source)
{
    QList<TempoPoint> tempi;
    QList<std::pair<double, MeterPoint>> meters;
    QXmlStreamReader xml(projectXml);
    QString automation;  // the automation element the points belong to
    bool seconds = false;
    while (!xml.atEnd() && !xml.hasError()) {
        xml.readNext();
        if (!xml.isStartElement()) {
            if (xml.isEndElement() && (xml.name() == QLatin1String("TempoAutomation") || xml.name() == QLatin1String("TimeSignatureAutomation")))
                automation.clear();
            continue;
        }
        const QXmlStreamAttributes a = xml.attributes();
        const QStringView name = xml.name();
        if (name == QLatin1String("Tempo") && tempi.isEmpty()) {
            tempi.append({0, a.value(QLatin1String("value")).toDouble()});
        } else if (name == QLatin1String("TimeSignature") && meters.isEmpty()) {
            meters.append({0, MeterPoint{0, a.value(QLatin1String("numerator")).toInt(), a.value(QLatin1String("denominator")).toInt()}});
        } else if (name == QLatin1String("TempoAutomation") || name == QLatin1String("TimeSignatureAutomation")) {
            automation = name.toString();
            seconds = a.value(QLatin1String("timeUnit")) == QLatin1String("seconds");
        } else if (name == QLatin1String("RealPoint") && automation == QLatin1String("TempoAutomation")) {
            const double time = a.value(QLatin1String("time")).toDouble();
            const Result<TempoMap> sofar = TempoMap::make(tempi, {}, source);
            const double qn = seconds && sofar ? sofar->quarterNotesAt(time) : time;
            tempi.append({qn, a.value(QLatin1String("value")).toDouble()});
        } else if (name == QLatin1String("TimeSignaturePoint") && automation == QLatin1String("TimeSignatureAutomation")) {
            meters.append({a.value(QLatin1String("time")).toDouble(),
                           MeterPoint{0, a.value(QLatin1String("numerator")).toInt(), a.value(QLatin1String("denominator")).toInt()}});
        }
    }
    if (xml.hasError())
        return Error{source, QStringLiteral("project.xml is not well-formed: ") + xml.errorString(), ErrorCode::Usage};
    return TempoMap::make(tempi, metersOnBars(meters), source);
}

Result<TempoMap> readTempoMapFile(const QString &path)
{
    const QFileInfo info(path);
    if (!info.isFile())
        return Error{path, QStringLiteral("no such file"), ErrorCode::Usage};
    if (info.size() > kMaxMapFileBytes)
        return Error{path, QStringLiteral("larger than %1 MiB: not a tempo map").arg(kMaxMapFileBytes >> 20), ErrorCode::Usage};
    const QString suffix = info.suffix().toLower();
    if (suffix == QLatin1String("dawproject")) {
        Result<QByteArray> xml = templates::readDawProjectEntry(path, QStringLiteral("project.xml"), kMaxMapFileBytes);
        if (!xml)
            return Error{path, xml.error().what, ErrorCode::Usage};
        return readDawProjectTempoMap(*xml, path);
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{path, QStringLiteral("cannot read: ") + file.errorString(), ErrorCode::Usage};
    const QByteArray data = file.readAll();
    if (suffix == QLatin1String("mid") || suffix == QLatin1String("midi") || suffix == QLatin1String("smf"))
        return readTempoMidi(data, path);
    if (suffix == QLatin1String("rpp"))
        return readRppTempoMap(data, path);
    return Error{path, QStringLiteral("not a tempo map (a .mid, .dawproject or .rpp file)"), ErrorCode::Usage};
}

}  // namespace stemship::session
