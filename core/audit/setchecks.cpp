#include "audit/setchecks.h"

#include "audit/stemchecks.h"
#include "templates/trackmatcher.h"

#include <QFileInfo>
#include <QHash>
#include <QMap>

#include <algorithm>
#include <cmath>

namespace stemship::audit {
namespace {

QList<StemReport *> readableStems(AuditReport *report)
{
    QList<StemReport *> stems;
    for (StemReport &stem : report->stems)
        if (stem.readable)
            stems.append(&stem);
    return stems;
}

// Stems grouped by a property; the most common value is taken as the set's, the rest are flagged.
template <typename KeyFn>
void flagMinority(AuditReport *report, const AuditSettings &settings, const QString &code, const QString &what,
                  KeyFn key)
{
    QMap<QString, QStringList> byValue;
    for (StemReport *stem : readableStems(report))
        byValue[key(*stem)].append(stem->path);
    if (byValue.size() < 2)
        return;
    QString majority;
    for (auto it = byValue.cbegin(); it != byValue.cend(); ++it)
        if (majority.isEmpty() || it.value().size() > byValue[majority].size())
            majority = it.key();
    QStringList parts, paths;
    for (auto it = byValue.cbegin(); it != byValue.cend(); ++it) {
        parts.append(QStringLiteral("%1 (%2)").arg(it.key()).arg(it.value().size()));
        if (it.key() != majority)
            paths += it.value();
    }
    addIssue(&report->issues, settings, code,
             QStringLiteral("mixed %1 in the set: %2; the set is mostly %3").arg(what, parts.join(QStringLiteral(", ")), majority),
             paths);
}

void checkStarts(AuditReport *report, const AuditSettings &settings)
{
    const QList<StemReport *> stems = readableStems(report);
    if (stems.size() < 2)
        return;
    // The set's start is the most common one (within tolerance); stems off it start late or early.
    double reference = stems.first()->startSeconds;
    int best = 0;
    for (const StemReport *candidate : stems) {
        int n = 0;
        for (const StemReport *other : stems)
            n += std::abs(other->startSeconds - candidate->startSeconds) <= settings.startToleranceSeconds;
        if (n > best || (n == best && candidate->startSeconds < reference)) {
            best = n;
            reference = candidate->startSeconds;
        }
    }
    for (StemReport *stem : stems) {
        const double offset = stem->startSeconds - reference;
        if (std::abs(offset) <= settings.startToleranceSeconds)
            continue;
        const QString ref = stem->info.timeReferenceSamples
            ? QStringLiteral("BWF time reference %1 at %2 Hz").arg(*stem->info.timeReferenceSamples).arg(stem->info.sampleRateHz)
            : QStringLiteral("no BWF time reference");
        addIssue(&stem->issues, settings, offset > 0 ? QStringLiteral("late_start") : QStringLiteral("early_start"),
                 QStringLiteral("starts %1 s %2 the rest of the set (%3)")
                     .arg(std::abs(offset), 0, 'f', 3)
                     .arg(offset > 0 ? QStringLiteral("after") : QStringLiteral("before"), ref));
    }
}

void checkLengths(AuditReport *report, const AuditSettings &settings)
{
    const QList<StemReport *> stems = readableStems(report);
    if (stems.size() < 2)
        return;
    double longest = 0.0;
    for (const StemReport *stem : stems)
        longest = std::max(longest, stem->info.durationSeconds());
    QStringList shorter;
    double shortest = longest;
    for (const StemReport *stem : stems) {
        shortest = std::min(shortest, stem->info.durationSeconds());
        if (longest - stem->info.durationSeconds() > settings.lengthToleranceSeconds)
            shorter.append(stem->path);
    }
    if (!shorter.isEmpty())
        addIssue(&report->issues, settings, QStringLiteral("length_mismatch"),
                 QStringLiteral("stems differ in length: %1 s to %2 s; %3 shorter than the longest")
                     .arg(shortest, 0, 'f', 3).arg(longest, 0, 'f', 3).arg(shorter.size()),
                 shorter);
}

QString nameKey(const QString &path)
{
    const QString name = path.section(QLatin1Char('!'), -1);
    return QFileInfo(name).completeBaseName().toCaseFolded().simplified();
}

void checkNames(AuditReport *report, const AuditSettings &settings, const templates::SessionTemplate *tmpl)
{
    QHash<QString, QStringList> byName;
    for (const StemReport &stem : report->stems)
        byName[nameKey(stem.path)].append(stem.path);
    for (auto it = byName.cbegin(); it != byName.cend(); ++it)
        if (it.value().size() > 1)
            addIssue(&report->issues, settings, QStringLiteral("name_duplicate"),
                     QStringLiteral("%1 stems share the name \"%2\"").arg(it.value().size()).arg(it.key()), it.value());
    if (!tmpl)
        return;

    // Per track, the stems that matched it and the side each names ("OH L" / "OH R" split stereo).
    struct Matched {
        QString path;
        QString side;
    };
    const templates::TrackMatcher matcher(*tmpl);
    QMap<int, QList<Matched>> byTrack;
    for (StemReport &stem : report->stems) {
        const QString fileName = QFileInfo(stem.path.section(QLatin1Char('!'), -1)).fileName();
        const std::optional<templates::TrackMatch> match = matcher.match(fileName);
        if (!match) {
            addIssue(&stem.issues, settings, QStringLiteral("name_unmatched"),
                     QStringLiteral("\"%1\" matches no track of template \"%2\"").arg(fileName, tmpl->name));
            continue;
        }
        stem.roleIndex = match->index;
        stem.role = tmpl->tracks.at(match->index).name;
        byTrack[match->index].append(Matched{stem.path, match->side});
    }
    for (auto it = byTrack.cbegin(); it != byTrack.cend(); ++it) {
        const QList<Matched> &stems = it.value();
        // One left and one right file of the same track are a split stereo pair, not duplicates.
        const bool splitPair = stems.size() == 2 && !stems[0].side.isEmpty() && !stems[1].side.isEmpty()
                               && stems[0].side != stems[1].side;
        if (stems.size() < 2 || splitPair)
            continue;
        QStringList paths;
        for (const Matched &m : stems)
            paths.append(m.path);
        addIssue(&report->issues, settings, QStringLiteral("name_duplicate"),
                 QStringLiteral("%1 stems match template track \"%2\"").arg(stems.size()).arg(tmpl->tracks.at(it.key()).name),
                 paths);
    }
    for (int i = 0; i < tmpl->tracks.size(); ++i) {
        const templates::Track &track = tmpl->tracks.at(i);
        if (!byTrack.contains(i) && track.required)
            addIssue(&report->issues, settings, QStringLiteral("missing_stem"),
                     QStringLiteral("template \"%1\" expects a stem for track \"%2\"").arg(tmpl->name, track.name));
    }
}

}  // namespace

void checkSet(AuditReport *report, const AuditSettings &settings, const templates::SessionTemplate *sessionTemplate)
{
    flagMinority(report, settings, QStringLiteral("sample_rate_mismatch"), QStringLiteral("sample rates"),
                 [](const StemReport &s) { return QStringLiteral("%1 Hz").arg(s.info.sampleRateHz); });
    flagMinority(report, settings, QStringLiteral("bit_depth_mismatch"), QStringLiteral("sample formats"),
                 [](const StemReport &s) {
                     return s.info.bitDepth ? QStringLiteral("%1-bit").arg(*s.info.bitDepth) : s.info.sampleFormat;
                 });
    checkLengths(report, settings);
    checkStarts(report, settings);
    checkNames(report, settings, sessionTemplate);
}

}  // namespace stemship::audit
