#include "deliveryreader.h"

#include "io/audioreader.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>

namespace stemship::session {
namespace {

// Natural order: digit runs compared as numbers ("2 x" before "10 x"), case-insensitive, then case-sensitive.
bool naturalLess(const QString &a, const QString &b)
{
    qsizetype i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].isDigit() && b[j].isDigit()) {
            qsizetype ei = i, ej = j;
            while (ei < a.size() && a[ei].isDigit())
                ++ei;
            while (ej < b.size() && b[ej].isDigit())
                ++ej;
            const QString na = a.mid(i, ei - i).remove(QRegularExpression(QStringLiteral("^0+(?=.)")));
            const QString nb = b.mid(j, ej - j).remove(QRegularExpression(QStringLiteral("^0+(?=.)")));
            if (na.size() != nb.size())
                return na.size() < nb.size();
            if (na != nb)
                return na < nb;
            i = ei;
            j = ej;
            continue;
        }
        const QChar ca = a[i].toCaseFolded(), cb = b[j].toCaseFolded();
        if (ca != cb)
            return ca < cb;
        ++i;
        ++j;
    }
    if ((a.size() - i) != (b.size() - j))
        return (a.size() - i) < (b.size() - j);
    return a < b;
}

Result<TempoMap> manifestTempo(const QJsonObject &root, const QString &source)
{
    const QJsonArray changes = root.value(QStringLiteral("tempo_map")).toArray();
    if (!changes.isEmpty()) {
        QList<TempoChange> list;
        for (const QJsonValue &v : changes) {
            const QJsonObject c = v.toObject();
            Result<MeterPoint> meter = parseTimeSignature(c.value(QStringLiteral("time_signature")).toString(), source);
            if (!meter)
                return meter.error();
            list.append(TempoChange{c.value(QStringLiteral("time_s")).toDouble(), c.value(QStringLiteral("bar")).toInt(1),
                                    c.value(QStringLiteral("beat")).toDouble(1), c.value(QStringLiteral("tempo_bpm")).toDouble(),
                                    meter->numerator, meter->denominator});
        }
        return tempoMapFromChanges(list, source);
    }
    Result<MeterPoint> meter = parseTimeSignature(root.value(QStringLiteral("time_signature")).toString(QStringLiteral("4/4")), source);
    if (!meter)
        return meter.error();
    return TempoMap::make({TempoPoint{0, root.value(QStringLiteral("tempo_bpm")).toDouble()}}, {*meter}, source);
}

}  // namespace

Result<DeliveryDescription> readManifest(const QByteArray &json, const QString &source)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject())
        return Error{source, QStringLiteral("manifest.json is not a JSON object: ") + parseError.errorString(), ErrorCode::Usage};
    const QJsonObject root = doc.object();
    Result<TempoMap> map = manifestTempo(root, source);
    if (!map)
        return map.error();
    DeliveryDescription d;
    d.title = root.value(QStringLiteral("title")).toString();
    const QJsonValue version = root.value(QStringLiteral("version"));
    d.version = version.isString() ? version.toString() : QString::number(version.toDouble());
    d.map = *map;
    d.prerollBars = std::clamp(root.value(QStringLiteral("preroll_bars")).toInt(0), 0, 10000);
    for (const QJsonValue &v : root.value(QStringLiteral("stems")).toArray()) {
        const QJsonObject stem = v.toObject();
        d.stems.append(DeliveredFile{stem.value(QStringLiteral("file")).toString(), stem.value(QStringLiteral("source")).toString()});
    }
    const QJsonObject reference = root.value(QStringLiteral("reference")).toObject();
    if (!reference.value(QStringLiteral("file")).toString().isEmpty())
        d.reference = DeliveredFile{reference.value(QStringLiteral("file")).toString(), reference.value(QStringLiteral("source")).toString(), 0, 48000, 2, true};
    if (d.stems.isEmpty())
        return Error{source, QStringLiteral("manifest.json lists no stems"), ErrorCode::Usage};
    return d;
}

DeliveryDescription describeLooseFiles(const QStringList &names, const QString &zipPath, const TempoMap &map)
{
    QStringList wavs;
    for (const QString &name : names) {
        if (name.endsWith(QLatin1String(".wav"), Qt::CaseInsensitive))
            wavs.append(name);
    }
    std::stable_sort(wavs.begin(), wavs.end(), naturalLess);
    DeliveryDescription d;
    d.title = QFileInfo(zipPath).completeBaseName();
    d.version = QStringLiteral("1");
    d.map = map;
    for (const QString &wav : wavs)
        d.stems.append(DeliveredFile{wav, wav});
    return d;
}

Status probeFiles(DeliveryDescription *delivery, const QString &dir)
{
    auto probe = [&](DeliveredFile *f) -> Status {
        if (f->file.contains(QLatin1Char('/')) || f->file.isEmpty())
            return Error{f->file, QStringLiteral("not a plain file name in the delivery"), ErrorCode::Usage};
        Result<io::AudioReader> reader = io::AudioReader::open(QDir(dir).filePath(f->file));
        if (!reader)
            return reader.error();
        f->frames = reader->info().frames;
        f->sampleRateHz = reader->info().sampleRateHz;
        f->channels = reader->info().channels;
        return {};
    };
    for (DeliveredFile &f : delivery->stems) {
        if (Status s = probe(&f); !s)
            return s;
    }
    if (delivery->reference) {
        if (Status s = probe(&*delivery->reference); !s)
            return s;
    }
    return {};
}

}  // namespace stemship::session
