#include "importmodel.h"

#include "templates/templateparser.h"
#include "templates/templatewriter.h"
#include "templates/trackmatcher.h"

#include <QFileInfo>
#include <QHash>
#include <QSet>

#include <algorithm>
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

// The imported folder tree turned into a template, in the order the template refers to things: buses, their
// routing, groups (which name buses), then tracks (which name groups and buses).
class TemplateBuilder {
public:
    TemplateBuilder(const ImportedSession &s, const QString &fileName) : m_session(s), m_nodes(s.nodes), m_fileName(fileName) {}

    Result<SessionTemplate> build(const QString &name)
    {
        setHeader(name);
        addBuses();
        routeBuses();
        addGroups();
        for (int i = 0; i < m_nodes.size(); ++i) {
            if (m_nodes[i].role != ImportedNode::Role::Track)
                continue;
            if (m_template.tracks.size() >= ImportLimits::maxTracks)
                return Error{m_fileName, QStringLiteral("more than %1 tracks").arg(ImportLimits::maxTracks), ErrorCode::Unreadable};
            addTrack(i);
        }
        if (const Status checked = validate(); !checked)
            return checked.error();
        return m_template;
    }

private:
    bool valid(int i) const { return i >= 0 && i < m_nodes.size(); }
    bool isBus(int i) const
    {
        return valid(i) && (m_nodes[i].role == ImportedNode::Role::GroupBus || m_nodes[i].role == ImportedNode::Role::AuxBus);
    }

    // Tempo and metre fall back to 120 BPM 4/4 where the project's are out of what a template accepts.
    void setHeader(const QString &name)
    {
        const ImportedSession &s = m_session;
        m_template.name = name;
        m_template.title = clip(s.title.trimmed().isEmpty() ? name : s.title.trimmed());
        m_template.description = clip(s.description, 8 * TemplateLimits::maxStringChars);
        m_template.tempoBpm = std::isfinite(s.tempoBpm) && s.tempoBpm >= 10 && s.tempoBpm <= 999 ? s.tempoBpm : 120.0;
        const bool signatureOk = s.numerator >= 1 && s.numerator <= 32 && s.denominator >= 1 && s.denominator <= 32
                              && (s.denominator & (s.denominator - 1)) == 0;
        m_template.timeSignature.numerator = signatureOk ? s.numerator : 4;
        m_template.timeSignature.denominator = signatureOk ? s.denominator : 4;
    }

    void addBuses()
    {
        for (int i = 0; i < m_nodes.size(); ++i) {
            const ImportedNode &n = m_nodes[i];
            if (!isBus(i))
                continue;
            Bus b;
            b.name = clip(n.busName.isEmpty() ? n.name : n.busName);
            if (b.name.trimmed().isEmpty())
                b.name = QStringLiteral("Bus");
            b.id = uniqueId(b.name, &m_busIds);
            b.kind = n.role == ImportedNode::Role::AuxBus ? BusKind::Aux : BusKind::Group;
            b.colour = colour(n.busColour.isEmpty() ? n.colour : n.busColour);
            b.effect = clip(n.effect);
            m_busOf.insert(i, b.id);
            m_template.buses.append(b);
        }
        m_template.buses.append(Bus{QStringLiteral("mix"), m_session.mixName.trimmed().isEmpty() ? QStringLiteral("Mix Bus") : clip(m_session.mixName),
                                    BusKind::Mix, colour(m_session.mixColour), {}, {}});
    }

    // The nearest bus enclosing node i, else the mix (empty).
    QString enclosingBus(int i) const
    {
        for (int p = valid(i) ? m_nodes[i].parent : -1, steps = 0; valid(p) && steps < ImportLimits::maxDepth; p = m_nodes[p].parent, ++steps) {
            if (isBus(p))
                return m_busOf.value(p);
        }
        return QString();
    }

    // The bus a node feeds: its explicit destination, else the nearest enclosing bus, else the mix (empty).
    QString feeds(int i) const { return isBus(m_nodes[i].output) ? m_busOf.value(m_nodes[i].output) : enclosingBus(i); }

    void routeBuses()
    {
        for (int i = 0; i < m_nodes.size(); ++i) {
            if (!isBus(i))
                continue;
            Bus *b = nullptr;
            for (Bus &candidate : m_template.buses) {
                if (candidate.id == m_busOf.value(i))
                    b = &candidate;
            }
            const QString out = feeds(i);
            if (b && out != b->id)
                b->output = out;
        }
    }

    // Groups: folders without a bus, and bus folders that directly hold tracks.
    void addGroups()
    {
        for (int i = 0; i < m_nodes.size(); ++i) {
            const ImportedNode &n = m_nodes[i];
            bool holdsTracks = false;
            for (const ImportedNode &child : m_nodes)
                holdsTracks = holdsTracks || (child.parent == i && child.role == ImportedNode::Role::Track);
            if (n.role != ImportedNode::Role::Folder && !(n.role == ImportedNode::Role::GroupBus && holdsTracks))
                continue;
            Group g;
            g.name = n.name.trimmed().isEmpty() ? QStringLiteral("Group") : clip(n.name);
            g.id = uniqueId(n.name, &m_groupIds);
            g.colour = colour(n.colour);
            g.bus = n.role == ImportedNode::Role::Folder ? enclosingBus(i) : m_busOf.value(i);
            m_groupOf.insert(i, g.id);
            m_template.groups.append(g);
        }
    }

    // Track names unique once normalised: "Kick", "Kick (2)", ...; unnamed tracks are numbered.
    QString uniqueTrackName(const QString &name)
    {
        const QString base = clip(name.trimmed(), TemplateLimits::maxStringChars - 8);
        QString unique = base.isEmpty() || normaliseName(base).isEmpty() ? QStringLiteral("Track %1").arg(m_template.tracks.size() + 1) : base;
        for (int dup = 2; m_trackKeys.contains(normaliseName(unique)); ++dup)
            unique = (base.isEmpty() ? QStringLiteral("Track") : base) + QStringLiteral(" (%1)").arg(dup);
        m_trackKeys.insert(normaliseName(unique));
        return unique;
    }

    // A track states its colour and output only where they differ from what its group implies.
    void addTrack(int i)
    {
        const ImportedNode &n = m_nodes[i];
        Track track;
        track.name = uniqueTrackName(n.name);
        if (valid(n.parent) && m_groupOf.contains(n.parent))
            track.group = m_groupOf.value(n.parent);
        const Group *g = m_template.group(track.group);
        const QString c = colour(n.colour);
        track.colour = g && g->colour == c ? QString() : c;
        track.layout = layoutFor(n.channels);
        const QString out = feeds(i);
        const QString implied = g && !g->bus.isEmpty() ? g->bus : QString();
        if (out != implied)
            track.output = out.isEmpty() ? QStringLiteral("mix") : out;
        track.sends = sendsOf(n);
        m_template.tracks.append(track);
    }

    // One send per bus, levels rounded to 0.01 dB within what a template accepts (-150 to +12 dB).
    QList<Send> sendsOf(const ImportedNode &n) const
    {
        QList<Send> sends;
        QSet<QString> sentTo;
        for (const ImportedSend &send : n.sends) {
            if (!isBus(send.target) || sentTo.contains(m_busOf.value(send.target)))
                continue;
            sentTo.insert(m_busOf.value(send.target));
            const double level = std::isfinite(send.levelDb) ? std::clamp(std::round(send.levelDb * 100.0) / 100.0, -150.0, 12.0) : -150.0;
            sends.append(Send{m_busOf.value(send.target), level, send.preFader});
        }
        return sends;
    }

    Status validate() const
    {
        if (m_template.tracks.isEmpty())
            return Error{m_fileName, QStringLiteral("no tracks to learn a template from"), ErrorCode::Unreadable};
        if (templateToJson(m_template).size() > TemplateLimits::maxFileBytes)
            return Error{m_fileName, QStringLiteral("the learnt template would exceed %1 bytes").arg(TemplateLimits::maxFileBytes),
                         ErrorCode::Unreadable};
        const QList<TemplateProblem> problems = checkTemplate(m_template);
        if (!problems.isEmpty())
            return Error{m_fileName, QStringLiteral("learnt template does not validate: %1: %2").arg(problems.first().where(), problems.first().what),
                         ErrorCode::InvalidTemplate};
        return {};
    }

    const ImportedSession &m_session;
    const QList<ImportedNode> &m_nodes;
    QString m_fileName;
    SessionTemplate m_template;
    QSet<QString> m_busIds{QStringLiteral("mix")};
    QSet<QString> m_groupIds;
    QSet<QString> m_trackKeys;
    QHash<int, QString> m_busOf;    // node -> bus id
    QHash<int, QString> m_groupOf;  // node -> group id
};

}  // namespace

QString templateNameFromFile(const QString &fileName) { return slug(QFileInfo(fileName).completeBaseName(), QLatin1Char('-')); }

Result<SessionTemplate> buildImportedTemplate(const ImportedSession &s, const QString &name, const QString &fileName)
{
    return TemplateBuilder(s, fileName).build(name);
}

}  // namespace stemship::templates
