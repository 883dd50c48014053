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

QString fileNameOf(const io::StemSource &source)
{
    return QFileInfo(source.displayPath.section(QLatin1Char('!'), -1)).fileName();
}

// A run of digits at text[*pos], as a number without leading zeros (compared by length, then digits: any size).
QStringView digitRun(QStringView text, qsizetype *pos)
{
    const qsizetype start = *pos;
    while (*pos < text.size() && text[*pos].isDigit())
        ++*pos;
    QStringView run = text.mid(start, *pos - start);
    while (run.size() > 1 && run.front() == QLatin1Char('0'))
        run = run.mid(1);
    return run;
}
}  // namespace

int naturalCompare(QStringView a, QStringView b)
{
    qsizetype i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].isDigit() && b[j].isDigit()) {
            const QStringView x = digitRun(a, &i), y = digitRun(b, &j);
            if (x.size() != y.size())
                return x.size() < y.size() ? -1 : 1;
            if (const int c = x.compare(y); c != 0)
                return c < 0 ? -1 : 1;
            continue;
        }
        const QString x = a[i].toCaseFolded(), y = b[j].toCaseFolded();
        if (const int c = x.compare(y); c != 0)
            return c < 0 ? -1 : 1;
        ++i;
        ++j;
    }
    if (a.size() - i != b.size() - j)
        return a.size() - i < b.size() - j ? -1 : 1;
    return 0;
}

bool naturalLess(const QString &a, const QString &b)
{
    if (const int c = naturalCompare(a, b); c != 0)
        return c < 0;
    return a < b;
}

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
    // Template tracks first, in template order (ties keep the order given); the other stems after them in natural
    // order of their file names, as DAWs number exports ("2 Snare" before "10 Bass"), then by path.
    QList<int> order(named.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        const int ta = named[a].trackIndex.value_or(1 << 30), tb = named[b].trackIndex.value_or(1 << 30);
        if (ta != tb || named[a].trackIndex)
            return ta < tb;
        const QString &fa = fileNameOf(sources[a]), &fb = fileNameOf(sources[b]);
        if (fa != fb)
            return naturalLess(fa, fb);
        return sources[a].displayPath < sources[b].displayPath;
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
