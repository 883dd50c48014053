#include "importmodel.h"

#include "templates/templateparser.h"
#include "templates/templatewriter.h"
#include "templates/trackmatcher.h"

#include <QFileInfo>
#include <QHash>
#include <QSet>

#include <cmath>

namespace stemship::templates {
namespace {

QString slug(const QString &name, QChar separator)
{
    QString s = normaliseName(name);
    s.replace(QLatin1Char(' '), separator);
    QString ascii;
    for (const QChar c : s) {
        if ((c >= QLatin1Char('a') && c <= QLatin1Char('z')) || c.isDigit() || c == separator)
            ascii += c;
    }
    return ascii.isEmpty() ? QStringLiteral("x") : ascii;
}

QString uniqueId(const QString &name, QSet<QString> *taken, const QString &suffix = {})
{
    QString base = slug(name, QLatin1Char('_'));
    if (!suffix.isEmpty() && taken->contains(base))
        base += suffix;
    QString id = base;
    for (int n = 2; taken->contains(id); ++n)
        id = base + QLatin1Char('_') + QString::number(n);
    taken->insert(id);
    return id;
}

QString colour(const QString &c) { return isValidColour(c) ? c.toUpper() : QString(); }

// Imported text kept within what the template format accepts (TemplateLimits).
QString clip(const QString &s, int maxChars = TemplateLimits::maxStringChars)
{
    QString out = s.left(maxChars);
    if (!out.isEmpty() && out.back().isHighSurrogate())
        out.chop(1);
    return out;
}

ChannelLayout layoutFor(int channels)
{
    switch (channels) {
    case 1: return ChannelLayout::Mono;
    case 6: return ChannelLayout::Surround51;
    case 8: return ChannelLayout::Surround71;
    default: return ChannelLayout::Stereo;
    }
}

}  // namespace

QString templateNameFromFile(const QString &fileName) { return slug(QFileInfo(fileName).completeBaseName(), QLatin1Char('-')); }

Result<SessionTemplate> buildImportedTemplate(const ImportedSession &s, const QString &name, const QString &fileName)
{
    SessionTemplate t;
    t.name = name;
    t.title = clip(s.title.trimmed().isEmpty() ? name : s.title.trimmed());
    t.description = clip(s.description, 8 * TemplateLimits::maxStringChars);
    t.tempoBpm = std::isfinite(s.tempoBpm) && s.tempoBpm >= 10 && s.tempoBpm <= 999 ? s.tempoBpm : 120.0;
    const bool signatureOk = s.numerator >= 1 && s.numerator <= 32 && s.denominator >= 1 && s.denominator <= 32
                          && (s.denominator & (s.denominator - 1)) == 0;
    t.timeSignature.numerator = signatureOk ? s.numerator : 4;
    t.timeSignature.denominator = signatureOk ? s.denominator : 4;

    const QList<ImportedNode> &nodes = s.nodes;
    auto valid = [&](int i) { return i >= 0 && i < nodes.size(); };
    auto isBus = [&](int i) { return valid(i) && (nodes[i].role == ImportedNode::Role::GroupBus || nodes[i].role == ImportedNode::Role::AuxBus); };
    QSet<QString> busIds{QStringLiteral("mix")}, groupIds;
    QHash<int, QString> busOf, groupOf;  // node -> bus id / group id
    for (int i = 0; i < nodes.size(); ++i) {
        const ImportedNode &n = nodes[i];
        if (!isBus(i))
            continue;
        Bus b;
        b.name = clip(n.busName.isEmpty() ? n.name : n.busName);
        if (b.name.trimmed().isEmpty())
            b.name = QStringLiteral("Bus");
        b.id = uniqueId(b.name, &busIds);
        b.kind = n.role == ImportedNode::Role::AuxBus ? BusKind::Aux : BusKind::Group;
        b.colour = colour(n.busColour.isEmpty() ? n.colour : n.busColour);
        b.effect = clip(n.effect);
        busOf.insert(i, b.id);
        t.buses.append(b);
    }
    t.buses.append(Bus{QStringLiteral("mix"), s.mixName.trimmed().isEmpty() ? QStringLiteral("Mix Bus") : clip(s.mixName), BusKind::Mix,
                       colour(s.mixColour), {}, {}});
    // The bus a node feeds: its explicit destination, else the nearest enclosing bus, else the mix (empty).
    auto enclosingBus = [&](int i) {
        for (int p = valid(i) ? nodes[i].parent : -1, steps = 0; valid(p) && steps < ImportLimits::maxDepth; p = nodes[p].parent, ++steps) {
            if (isBus(p))
                return busOf.value(p);
        }
        return QString();
    };
    auto feeds = [&](int i) { return isBus(nodes[i].output) ? busOf.value(nodes[i].output) : enclosingBus(i); };
    for (int i = 0; i < nodes.size(); ++i) {
        if (isBus(i)) {
            Bus *b = nullptr;
            for (Bus &candidate : t.buses) {
                if (candidate.id == busOf.value(i))
                    b = &candidate;
            }
            const QString out = feeds(i);
            if (b && out != b->id)
                b->output = out;
        }
    }
    // Groups: folders without a bus, and bus folders that directly hold tracks.
    for (int i = 0; i < nodes.size(); ++i) {
        const ImportedNode &n = nodes[i];
        bool holdsTracks = false;
        for (const ImportedNode &child : nodes)
            holdsTracks = holdsTracks || (child.parent == i && child.role == ImportedNode::Role::Track);
        if (n.role == ImportedNode::Role::Folder || (n.role == ImportedNode::Role::GroupBus && holdsTracks)) {
            Group g;
            g.name = n.name.trimmed().isEmpty() ? QStringLiteral("Group") : clip(n.name);
            g.id = uniqueId(n.name, &groupIds);
            g.colour = colour(n.colour);
            g.bus = n.role == ImportedNode::Role::Folder ? enclosingBus(i) : busOf.value(i);
            groupOf.insert(i, g.id);
            t.groups.append(g);
        }
    }
    QSet<QString> trackKeys;
    for (int i = 0; i < nodes.size(); ++i) {
        const ImportedNode &n = nodes[i];
        if (n.role != ImportedNode::Role::Track)
            continue;
        if (t.tracks.size() >= ImportLimits::maxTracks)
            return Error{fileName, QStringLiteral("more than %1 tracks").arg(ImportLimits::maxTracks), ErrorCode::Unreadable};
        Track track;
        const QString base = clip(n.name.trimmed(), TemplateLimits::maxStringChars - 8);
        track.name = base.isEmpty() || normaliseName(base).isEmpty() ? QStringLiteral("Track %1").arg(t.tracks.size() + 1) : base;
        for (int dup = 2; trackKeys.contains(normaliseName(track.name)); ++dup)
            track.name = (base.isEmpty() ? QStringLiteral("Track") : base) + QStringLiteral(" (%1)").arg(dup);
        trackKeys.insert(normaliseName(track.name));
        if (valid(n.parent) && groupOf.contains(n.parent))
            track.group = groupOf.value(n.parent);
        const Group *g = t.group(track.group);
        const QString c = colour(n.colour);
        track.colour = g && g->colour == c ? QString() : c;
        track.layout = layoutFor(n.channels);
        const QString out = feeds(i);
        const QString implied = g && !g->bus.isEmpty() ? g->bus : QString();
        if (out != implied)
            track.output = out.isEmpty() ? QStringLiteral("mix") : out;
        QSet<QString> sentTo;
        for (const ImportedSend &send : n.sends) {
            if (!isBus(send.target) || sentTo.contains(busOf.value(send.target)))
                continue;
            sentTo.insert(busOf.value(send.target));
            const double level = std::isfinite(send.levelDb) ? std::clamp(std::round(send.levelDb * 100.0) / 100.0, -150.0, 12.0) : -150.0;
            track.sends.append(Send{busOf.value(send.target), level, send.preFader});
        }
        t.tracks.append(track);
    }
    if (t.tracks.isEmpty())
        return Error{fileName, QStringLiteral("no tracks to learn a template from"), ErrorCode::Unreadable};
    if (templateToJson(t).size() > TemplateLimits::maxFileBytes)
        return Error{fileName, QStringLiteral("the learnt template would exceed %1 bytes").arg(TemplateLimits::maxFileBytes),
                     ErrorCode::Unreadable};
    const QList<TemplateProblem> problems = checkTemplate(t);
    if (!problems.isEmpty())
        return Error{fileName, QStringLiteral("learnt template does not validate: %1: %2").arg(problems.first().where(), problems.first().what),
                     ErrorCode::InvalidTemplate};
    return t;
}

}  // namespace stemship::templates
