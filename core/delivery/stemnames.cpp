#include "delivery/stemnames.h"

#include "templates/deliveryname.h"
#include "templates/trackmatcher.h"

#include <QFileInfo>
#include <QSet>

#include <algorithm>
#include <numeric>

namespace stemship::delivery {
namespace {
QString baseName(const QString &displayPath)
{
    const QString inner = displayPath.section(QLatin1Char('!'), -1);
    return QFileInfo(inner).completeBaseName();
}
}  // namespace

QList<NamedStem> nameStems(const QList<io::StemSource> &sources,
                           const std::optional<templates::SessionTemplate> &tmpl, const QString &version)
{
    QList<NamedStem> named;
    std::optional<templates::TrackMatcher> matcher;
    if (tmpl)
        matcher.emplace(*tmpl);
    QList<QString> sides;
    for (int i = 0; i < sources.size(); ++i) {
        NamedStem n;
        n.sourceIndex = i;
        QString side;
        if (matcher)
            if (auto m = matcher->match(QFileInfo(sources[i].displayPath.section(QLatin1Char('!'), -1)).fileName())) {
                n.trackIndex = m->index;
                side = m->side;
            }
        named.append(n);
        sides.append(side);
    }
    // Template tracks first, in template order; ties and unmatched stems keep the order given.
    QList<int> order(named.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        const int ta = named[a].trackIndex.value_or(1 << 30), tb = named[b].trackIndex.value_or(1 << 30);
        return ta < tb;
    });
    QList<NamedStem> result;
    QSet<QString> used;
    int unmatched = 0;
    const int trackCount = tmpl ? int(tmpl->tracks.size()) : 0;
    for (int k : order) {
        NamedStem n = named[k];
        QString stem;
        if (n.trackIndex) {
            const templates::DeliveryTokens tokens = templates::deliveryTokensForTrack(*tmpl, *n.trackIndex, version);
            stem = templates::deliveryFileName(*tmpl, {}, tokens);
            if (!sides[k].isEmpty())
                stem += QLatin1Char(' ') + sides[k];
        } else {
            const int index = trackCount + (++unmatched);
            stem = templates::portableFileName(QStringLiteral("%1 %2").arg(index, 2, 10, QLatin1Char('0')).arg(baseName(sources[n.sourceIndex].displayPath)));
        }
        QString file = stem + QStringLiteral(".wav");
        for (int copy = 2; used.contains(file.toCaseFolded()); ++copy)
            file = stem + QStringLiteral(" (%1).wav").arg(copy);
        used.insert(file.toCaseFolded());
        n.file = file;
        result.append(n);
    }
    return result;
}

QString referenceFileName(const QString &source)
{
    return templates::portableFileName(QStringLiteral("00 Reference - ") + baseName(source)) + QStringLiteral(".wav");
}

}  // namespace stemship::delivery
