#include "delivery/manifest.h"

#include "profiles/profilejson.h"
#include "reference/verdictjson.h"
#include "util/jsonnumber.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace stemship::delivery {
namespace {

QJsonValue referenceJson(const DeliveryResult &r, const DeliverySpec &spec)
{
    if (!r.reference)
        return QJsonValue(QJsonValue::Null);
    QJsonObject ref{
        {QStringLiteral("file"), r.reference->file},
        {QStringLiteral("source"), r.reference->source},
        {QStringLiteral("sha256"), QString::fromLatin1(r.reference->sha256)},
        {QStringLiteral("gain_db"), jsonRounded(r.reference->gainDb)},
        {QStringLiteral("limited_by_ceiling"), r.reference->limitedByCeiling},
        // RMS of (sum of the stems - the reference) before delivery gain, relative to full scale.
        {QStringLiteral("null_residual_db"), jsonRounded(r.reference->nullResidualDbfs)},
        {QStringLiteral("null_residual_relative_to"), QStringLiteral("full_scale")},
        {QStringLiteral("aligned"), spec.alignToReference}};
    if (r.reference->null)
        reference::insertNullFigures(ref, *r.reference->null, r.reference->nullThresholdDb);
    return ref;
}

QJsonObject stemJson(const DeliveredStem &s, const DeliveryResult &r)
{
    QJsonObject stem{{QStringLiteral("file"), s.file},
                     {QStringLiteral("source"), s.source},
                     {QStringLiteral("sha256"), QString::fromLatin1(s.sha256)},
                     {QStringLiteral("frames"), qint64(s.frames)},
                     {QStringLiteral("channels"), s.channels},
                     {QStringLiteral("layout"), s.layout},
                     {QStringLiteral("gain_db"), jsonRounded(s.gainDb)},
                     {QStringLiteral("limited_by_ceiling"), s.limitedByCeiling},
                     {QStringLiteral("silent"), s.silent},
                     {QStringLiteral("sample_peak_dbfs"), jsonRounded(s.samplePeakDbfs)},
                     {QStringLiteral("true_peak_dbtp"), jsonRounded(s.truePeakDbtp)},
                     {QStringLiteral("rms_dbfs"), jsonRounded(s.rmsDbfs)},
                     {QStringLiteral("integrated_lufs"), jsonRounded(s.integratedLufs)}};
    if (r.reference && r.reference->null) {
        reference::insertStemFit(stem, s.offsetSamples, s.polarityInverted);
        stem.insert(QStringLiteral("shift_samples"), qint64(s.shiftSamples));
        stem.insert(QStringLiteral("polarity_flipped"), s.polarityFlipped);
    }
    if (s.profile)
        stem.insert(QStringLiteral("profile"), profiles::verdictToJson(*s.profile));
    if (s.foldedToMono)
        stem.insert(QStringLiteral("folded_to_mono"), true);
    return stem;
}

}  // namespace

QByteArray manifestJson(const DeliveryResult &r, const DeliverySpec &spec)
{
    QJsonObject root;
    root[QStringLiteral("tool")] = QStringLiteral("stemship");
    root[QStringLiteral("tool_version")] = QStringLiteral(STEMSHIP_VERSION);
    root[QStringLiteral("title")] = r.title;
    root[QStringLiteral("version")] = spec.version;
    root[QStringLiteral("tempo_bpm")] = spec.tempoBpm;
    root[QStringLiteral("time_signature")] = QStringLiteral("%1/%2").arg(spec.timeSignature.numerator).arg(spec.timeSignature.denominator);
    if (spec.tempoMap) {
        QJsonArray changes;  // one entry per change, the first at bar one; time_s on the session timeline
        for (const session::TempoChange &c : spec.tempoMap->changes())
            changes.append(QJsonObject{{QStringLiteral("time_s"), spec.barOneSeconds + c.seconds}, {QStringLiteral("bar"), c.bar},
                                       {QStringLiteral("beat"), c.beat}, {QStringLiteral("tempo_bpm"), c.tempoBpm},
                                       {QStringLiteral("time_signature"), session::timeSignatureText(c.numerator, c.denominator)}});
        root[QStringLiteral("tempo_map")] = changes;
    }
    root[QStringLiteral("sample_rate")] = spec.sampleRateHz;
    root[QStringLiteral("bit_depth")] = spec.bitDepth;
    root[QStringLiteral("bar_one_s")] = spec.barOneSeconds;
    root[QStringLiteral("preroll_bars")] = r.timeline.prerollBars;
    root[QStringLiteral("start_s")] = r.timeline.startSeconds();
    root[QStringLiteral("time_reference_samples")] = qint64(r.timeline.timeReferenceSamples());
    root[QStringLiteral("length_frames")] = qint64(r.timeline.lengthFrames);
    root[QStringLiteral("length_bars")] = r.timeline.bars;
    root[QStringLiteral("gain_mode")] = QString::fromLatin1(gain::gainModeName(r.gainMode));
    root[QStringLiteral("gain_measure")] = QString::fromLatin1(gain::measureName(spec.measure));
    root[QStringLiteral("target_db")] = jsonRounded(r.targetDb);
    root[QStringLiteral("ceiling_dbtp")] = jsonRounded(r.ceilingDbtp);
    QJsonArray skipped;
    for (const SkippedSource &s : r.skipped)
        skipped.append(QJsonObject{{QStringLiteral("source"), s.source}, {QStringLiteral("reason"), s.reason}});
    root[QStringLiteral("skipped")] = skipped;
    root[QStringLiteral("reference")] = referenceJson(r, spec);
    // The profile the delivery was made to; every file met it (a delivery that does not is never written).
    root[QStringLiteral("profile")] = spec.profile ? QJsonValue(QJsonObject{{QStringLiteral("name"), spec.profile->name},
                                                                           {QStringLiteral("title"), spec.profile->title},
                                                                           {QStringLiteral("passed"), true}})
                                                   : QJsonValue(QJsonValue::Null);
    QJsonArray stems;
    for (const DeliveredStem &s : r.stems)
        stems.append(stemJson(s, r));
    root[QStringLiteral("stems")] = stems;
    if (!r.extraFiles.isEmpty()) {
        QJsonArray sessionFiles;  // the extra files at the zip's root are the session files (package --session)
        for (const ExtraFile &f : r.extraFiles)
            sessionFiles.append(QJsonObject{{QStringLiteral("file"), f.file},
                                            {QStringLiteral("sha256"), QString::fromLatin1(QCryptographicHash::hash(f.data, QCryptographicHash::Sha256).toHex())}});
        root[QStringLiteral("session_files")] = sessionFiles;
    }
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

std::optional<Manifest> parseManifest(const QByteArray &json, QStringList *problems)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (!doc.isObject()) {
        problems->append(QStringLiteral("manifest.json: not valid JSON: ") + error.errorString());
        return std::nullopt;
    }
    const QJsonObject root = doc.object();
    Manifest m;
    auto needInt = [&](const char *key, auto &field) {
        const QJsonValue v = root.value(QLatin1String(key));
        if (!v.isDouble())
            problems->append(QStringLiteral("manifest.json: \"%1\" missing or not a number").arg(QLatin1String(key)));
        field = decltype(field + 0)(v.toDouble());
    };
    needInt("sample_rate", m.sampleRateHz);
    needInt("bit_depth", m.bitDepth);
    needInt("length_frames", m.lengthFrames);
    auto fileOf = [&](const QJsonObject &o, bool reference, const QString &where) {
        ManifestFile f;
        f.file = o.value(QStringLiteral("file")).toString();
        f.sha256 = o.value(QStringLiteral("sha256")).toString().toLatin1().toLower();
        f.isReference = reference;
        if (o.value(QStringLiteral("frames")).isDouble())
            f.frames = std::int64_t(o.value(QStringLiteral("frames")).toDouble());
        if (f.file.isEmpty() || f.sha256.size() != 64)
            problems->append(QStringLiteral("manifest.json: %1 lacks \"file\" or a SHA-256").arg(where));
        else
            m.files.append(f);
    };
    const QJsonValue stems = root.value(QStringLiteral("stems"));
    if (!stems.isArray())
        problems->append(QStringLiteral("manifest.json: \"stems\" missing or not an array"));
    const QJsonArray list = stems.toArray();
    for (qsizetype i = 0; i < list.size(); ++i)
        fileOf(list[i].toObject(), false, QStringLiteral("stems[%1]").arg(i));
    const QJsonArray sessionFiles = root.value(QStringLiteral("session_files")).toArray();
    for (qsizetype i = 0; i < sessionFiles.size(); ++i) {
        fileOf(sessionFiles[i].toObject(), false, QStringLiteral("session_files[%1]").arg(i));
        if (!m.files.isEmpty() && m.files.last().file == sessionFiles[i].toObject().value(QStringLiteral("file")).toString())
            m.files.last().isAudio = false;
    }
    const QJsonValue reference = root.value(QStringLiteral("reference"));
    if (reference.isObject())
        fileOf(reference.toObject(), true, QStringLiteral("reference"));
    else if (!reference.isNull() && !reference.isUndefined())
        problems->append(QStringLiteral("manifest.json: \"reference\" is neither null nor an object"));
    return m;
}

}  // namespace stemship::delivery
