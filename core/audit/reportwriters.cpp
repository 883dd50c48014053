#include "audit/reportwriters.h"

#include "audit/referencecheck.h"
#include "profiles/profilejson.h"
#include "reference/verdictjson.h"
#include "util/csv.h"
#include "util/jsonnumber.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>

namespace stemship::audit {
namespace {

QJsonArray issuesToJson(const QList<Issue> &issues, bool withPaths)
{
    QJsonArray array;
    for (const Issue &issue : issues) {
        QJsonObject o{{QStringLiteral("severity"), severityName(issue.severity)},
                      {QStringLiteral("code"), issue.code},
                      {QStringLiteral("message"), issue.message}};
        if (withPaths)
            o.insert(QStringLiteral("paths"), QJsonArray::fromStringList(issue.paths));
        array.append(o);
    }
    return array;
}

}  // namespace

int stemCount(const AuditReport &report)
{
    return int(std::count_if(report.stems.cbegin(), report.stems.cend(), [](const StemReport &s) { return !s.isSum; }));
}

namespace {

QJsonObject stemToJson(const StemReport &stem, bool withReference)
{
    const io::AudioInfo &info = stem.info;
    const metering::MeterResult &m = stem.levels;
    const QJsonValue null(QJsonValue::Null);
    QJsonObject o;
    o.insert(QStringLiteral("path"), stem.path);
    o.insert(QStringLiteral("readable"), stem.readable);
    if (!stem.readable) {
        for (const char *key : {"format", "sample_format", "sample_rate", "channels", "frames", "duration_s",
                                "layout", "bit_depth", "time_reference_samples", "start_s", "sample_peak_dbfs",
                                "true_peak_dbtp", "rms_dbfs", "integrated_lufs", "loudness_range_lu",
                                "max_momentary_lufs", "max_short_term_lufs", "dc_offset", "correlation",
                                "clipped_samples"})
            o.insert(QString::fromLatin1(key), null);
    } else {
        o.insert(QStringLiteral("format"), info.format);
        o.insert(QStringLiteral("sample_format"), info.sampleFormat);
        o.insert(QStringLiteral("sample_rate"), info.sampleRateHz);
        o.insert(QStringLiteral("channels"), info.channels);
        o.insert(QStringLiteral("layout"), QString::fromLatin1(metering::layoutName(stem.layout)));
        o.insert(QStringLiteral("frames"), qint64(info.frames));
        o.insert(QStringLiteral("duration_s"), std::round(info.durationSeconds() * 1e6) / 1e6);
        o.insert(QStringLiteral("bit_depth"), info.bitDepth ? QJsonValue(*info.bitDepth) : null);
        o.insert(QStringLiteral("time_reference_samples"),
                 info.timeReferenceSamples ? QJsonValue(qint64(*info.timeReferenceSamples)) : null);
        o.insert(QStringLiteral("start_s"), std::round(stem.startSeconds * 1e6) / 1e6);
        o.insert(QStringLiteral("sample_peak_dbfs"), jsonRounded(m.samplePeakDbfs));
        o.insert(QStringLiteral("true_peak_dbtp"), jsonRounded(m.truePeakDbtp));
        o.insert(QStringLiteral("rms_dbfs"), jsonRounded(m.rmsDbfs));
        o.insert(QStringLiteral("integrated_lufs"), jsonRounded(m.integratedLufs));
        o.insert(QStringLiteral("loudness_range_lu"), jsonRounded(m.loudnessRangeLu));
        o.insert(QStringLiteral("max_momentary_lufs"), jsonRounded(m.maxMomentaryLufs));
        o.insert(QStringLiteral("max_short_term_lufs"), jsonRounded(m.maxShortTermLufs));
        o.insert(QStringLiteral("dc_offset"), std::round(m.maxAbsDcOffset * 1e7) / 1e7);
        o.insert(QStringLiteral("correlation"), m.correlation ? QJsonValue(std::round(*m.correlation * 1e4) / 1e4) : null);
        o.insert(QStringLiteral("clipped_samples"), qint64(m.clippedSamples));
        // Additions to the contract's keys.
        o.insert(QStringLiteral("channel_mask"), qint64(info.channelMask));
        o.insert(QStringLiteral("truncated"), info.truncated);
        o.insert(QStringLiteral("leading_silence_s"), std::round(stem.leadingSilenceSeconds * 1e3) / 1e3);
        o.insert(QStringLiteral("over_full_scale_samples"), qint64(m.overFullScaleSamples));
        o.insert(QStringLiteral("non_finite_samples"), qint64(m.nonFiniteSamples));
    }
    o.insert(QStringLiteral("role"), stem.role ? QJsonValue(*stem.role) : null);
    if (withReference)
        reference::insertStemFit(o, stem.offsetSamples, stem.polarityInverted);
    if (stem.isSum)
        o.insert(QStringLiteral("sum"), true);
    if (stem.profile)
        o.insert(QStringLiteral("profile"), profiles::verdictToJson(*stem.profile));
    o.insert(QStringLiteral("issues"), issuesToJson(stem.issues, false));
    return o;
}

QString csvValue(const QJsonValue &v)
{
    if (v.isNull() || v.isUndefined())
        return QString();
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 10);
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return v.toString();
}

}  // namespace

QJsonObject reportToJson(const AuditReport &report)
{
    QJsonArray stems;
    for (const StemReport &stem : report.stems)
        stems.append(stemToJson(stem, report.reference.has_value()));
    QJsonObject root{
        {QStringLiteral("tool"), QStringLiteral("stemship")},
        {QStringLiteral("version"), QStringLiteral(STEMSHIP_VERSION)},
        {QStringLiteral("template"), report.templateName.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(report.templateName)},
        {QStringLiteral("profile"), report.profileName.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(report.profileName)},
        {QStringLiteral("stems"), stems},
        {QStringLiteral("issues"), issuesToJson(report.issues, true)},
        {QStringLiteral("summary"), QJsonObject{{QStringLiteral("stems"), stemCount(report)},
                                               {QStringLiteral("errors"), report.count(Severity::Error)},
                                               {QStringLiteral("warnings"), report.count(Severity::Warning)},
                                               {QStringLiteral("passed"), !report.hasErrors()}}},
    };
    if (report.reference) {
        const ReferenceReport &r = *report.reference;
        // The audit delivers nothing: no gain was applied to the mix, nothing limited it.
        QJsonObject ref{{QStringLiteral("file"), QFileInfo(r.path).fileName()}, {QStringLiteral("source"), r.path},
                        {QStringLiteral("gain_db"), 0.0}, {QStringLiteral("limited_by_ceiling"), false},
                        {QStringLiteral("sample_rate"), r.info.sampleRateHz}, {QStringLiteral("channels"), r.info.channels}};
        reference::insertNullFigures(ref, r.null, r.nullThresholdDb);
        root.insert(QStringLiteral("reference"), ref);
    }
    return root;
}

QByteArray reportToJsonBytes(const AuditReport &report)
{
    return QJsonDocument(reportToJson(report)).toJson(QJsonDocument::Indented);
}

QByteArray reportToCsv(const AuditReport &report)
{
    static const char *kColumns[] = {"path", "status", "role", "format", "sample_format", "sample_rate", "channels",
                                     "layout", "bit_depth", "frames", "duration_s", "time_reference_samples", "start_s",
                                     "sample_peak_dbfs", "true_peak_dbtp", "rms_dbfs", "integrated_lufs",
                                     "loudness_range_lu", "max_momentary_lufs", "max_short_term_lufs", "dc_offset",
                                     "correlation", "clipped_samples"};
    QStringList header;
    for (const char *c : kColumns)
        header.append(QString::fromLatin1(c));
    header.append(QStringLiteral("issues"));
    header.append(QStringLiteral("profile_passed"));
    header.append(QStringLiteral("profile_failed_rules"));
    QString out = csvRow(header);
    for (const StemReport &stem : report.stems) {
        const QJsonObject o = stemToJson(stem, report.reference.has_value());
        QStringList row;
        for (const char *c : kColumns) {
            const QString key = QString::fromLatin1(c);
            row.append(key == QLatin1String("status") ? report.statusOf(stem) : csvValue(o.value(key)));
        }
        QStringList codes;
        for (const Issue &issue : report.issuesFor(stem))
            codes.append(issue.code);
        row.append(codes.join(QLatin1Char(';')));
        QStringList failed;
        if (stem.profile)
            for (const profiles::RuleVerdict &r : stem.profile->failures())
                failed.append(r.rule);
        row.append(stem.profile ? (stem.profile->passed ? QStringLiteral("true") : QStringLiteral("false")) : QString());
        row.append(failed.join(QLatin1Char(';')));
        out += csvRow(row);
    }
    return out.toUtf8();
}

QString reportToText(const AuditReport &report)
{
    QString out;
    auto level = [](double v, const char *unit) {
        return std::isfinite(v) ? QString::number(v, 'f', 1) + QLatin1String(unit) : QStringLiteral("-inf");
    };
    for (const StemReport &stem : report.stems) {
        const QString status = report.statusOf(stem).toUpper();
        out += QStringLiteral("%1  %2").arg(status, -7).arg(oneLine(stem.path));
        if (stem.role)
            out += QStringLiteral("  [%1]").arg(*stem.role);
        out += QLatin1Char('\n');
        if (stem.readable) {
            const auto &i = stem.info;
            const auto &m = stem.levels;
            out += QStringLiteral("         %1 %2 %3 Hz %4 ch %5 s | peak %6 dBFS  TP %7 dBTP  %8 LUFS  LRA %9 LU\n")
                       .arg(i.format, i.sampleFormat).arg(i.sampleRateHz).arg(i.channels)
                       .arg(i.durationSeconds(), 0, 'f', 2)
                       .arg(level(m.samplePeakDbfs, ""), level(m.truePeakDbtp, ""), level(m.integratedLufs, ""),
                            QString::number(m.loudnessRangeLu, 'f', 1));
        }
        for (const Issue &issue : stem.issues)
            out += QStringLiteral("         %1 %2: %3\n").arg(severityName(issue.severity), issue.code, oneLine(issue.message));
    }
    for (const Issue &issue : report.issues)
        out += QStringLiteral("SET      %1 %2: %3\n").arg(severityName(issue.severity), issue.code, oneLine(issue.message))
               + (issue.paths.isEmpty() ? QString() : QStringLiteral("         ") + oneLine(issue.paths.join(QStringLiteral(", "))) + QLatin1Char('\n'));
    if (report.reference) {
        out += QLatin1Char('\n');
        for (const QString &line : nullVerdictLines(report))
            out += oneLine(line) + QLatin1Char('\n');
    }
    if (!report.profileName.isEmpty()) {
        int judged = 0, passed = 0;
        for (const StemReport &stem : report.stems)
            if (stem.profile) {
                ++judged;
                passed += stem.profile->passed;
            }
        out += QStringLiteral("PROFILE  %1: %2 of %3 judged passed\n").arg(report.profileName).arg(passed).arg(judged);
    }
    const bool summed = stemCount(report) < report.stems.size();
    out += QStringLiteral("\n%1 stems%2: %3 errors, %4 warnings — %5\n")
               .arg(stemCount(report)).arg(summed ? QStringLiteral(" and their sum") : QString())
               .arg(report.count(Severity::Error)).arg(report.count(Severity::Warning))
               .arg(report.hasErrors() ? QStringLiteral("FAILED") : QStringLiteral("passed"));
    return out;
}

}  // namespace stemship::audit
