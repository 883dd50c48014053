#include "trackmatcher.h"

#include "io/stemsource.h"

#include <QSet>

namespace stemship::templates {
namespace {

// Words DAWs and engineers append to exported stems: "-bounce", " - Stem", "_st", "_print"...
const QSet<QString> &exportSuffixes()
{
    static const QSet<QString> words{
        QStringLiteral("bounce"), QStringLiteral("bounced"), QStringLiteral("bnc"), QStringLiteral("stem"), QStringLiteral("stems"),
        QStringLiteral("st"), QStringLiteral("render"), QStringLiteral("rendered"), QStringLiteral("print"), QStringLiteral("printed"),
        QStringLiteral("export"), QStringLiteral("exported"), QStringLiteral("mixdown"), QStringLiteral("consolidated"),
        QStringLiteral("consol"), QStringLiteral("final"), QStringLiteral("mono"), QStringLiteral("stereo")};
    return words;
}

bool isDigits(const QString &token)
{
    if (token.isEmpty())
        return false;
    for (const QChar c : token) {
        if (!c.isDigit())
            return false;
    }
    return true;
}

// "tk3", "t03", "take2", "v2": a take or version number as one token.
bool isTakeToken(const QString &token)
{
    static const QRegularExpression syntax(QStringLiteral("^(take|tk|t|v|ver)\\d+$"));
    return syntax.match(token).hasMatch();
}

QString sideOf(const QString &token)
{
    if (token == QLatin1String("l") || token == QLatin1String("left") || token == QLatin1String("lt"))
        return QStringLiteral("L");
    if (token == QLatin1String("r") || token == QLatin1String("right") || token == QLatin1String("rt"))
        return QStringLiteral("R");
    return {};
}

// Removes one trailing noise token (or "take 3" pair); false when nothing is peelable.
bool peelTrailing(QStringList *tokens, QString *side)
{
    if (tokens->size() < 2)
        return false;
    const QString last = tokens->last();
    const QString before = tokens->at(tokens->size() - 2);
    static const QSet<QString> takeWords{QStringLiteral("take"), QStringLiteral("tk"), QStringLiteral("ver"),
                                         QStringLiteral("version"), QStringLiteral("v")};
    if (isDigits(last) && takeWords.contains(before) && tokens->size() > 2) {
        tokens->removeLast();
        tokens->removeLast();
        return true;
    }
    if (isDigits(last) || isTakeToken(last) || exportSuffixes().contains(last)) {
        tokens->removeLast();
        return true;
    }
    const QString s = sideOf(last);
    if (!s.isEmpty() && side->isEmpty()) {
        *side = s;
        tokens->removeLast();
        return true;
    }
    return false;
}

QString baseName(const QString &fileName)
{
    QString base = fileName;
    const qsizetype slash = std::max(base.lastIndexOf(QLatin1Char('/')), base.lastIndexOf(QLatin1Char('\\')));
    if (slash >= 0)
        base = base.mid(slash + 1);
    const qsizetype dot = base.lastIndexOf(QLatin1Char('.'));
    if (dot > 0 && io::audioExtensions().contains(base.mid(dot + 1).toLower()))
        base.truncate(dot);
    return base;
}

bool containsWords(const QString &haystack, const QString &needle)
{
    const QString padded = QLatin1Char(' ') + haystack + QLatin1Char(' ');
    return padded.contains(QLatin1Char(' ') + needle + QLatin1Char(' '));
}

}  // namespace

QString normaliseName(const QString &name)
{
    const QString folded = name.normalized(QString::NormalizationForm_KC).toCaseFolded();
    QString out;
    out.reserve(folded.size());
    bool pendingSpace = false;
    for (const QChar c : folded) {
        const bool word = c.isLetterOrNumber() || c.isMark();
        if (!word) {
            pendingSpace = !out.isEmpty();
            continue;
        }
        if (pendingSpace)
            out += QLatin1Char(' ');
        pendingSpace = false;
        out += c;
    }
    return out;
}

QList<NameCandidate> nameCandidates(const QString &fileName)
{
    QList<NameCandidate> candidates;
    const QString key = normaliseName(baseName(fileName));
    if (key.isEmpty())
        return candidates;
    QList<QStringList> starts{key.split(QLatin1Char(' '))};
    if (starts.first().size() > 1 && isDigits(starts.first().first()))
        starts.append(starts.first().mid(1));  // "01 Kick In": track numbering from the DAW's export
    for (QStringList tokens : starts) {
        QString side;
        candidates.append({tokens.join(QLatin1Char(' ')), side});
        while (peelTrailing(&tokens, &side))
            candidates.append({tokens.join(QLatin1Char(' ')), side});
    }
    return candidates;
}

TrackMatcher::TrackMatcher(const SessionTemplate &tmpl)
{
    auto add = [this](const QString &text, int track, MatchKind kind) {
        const QString key = normaliseName(text);
        if (key.isEmpty() || m_keys.contains(key))
            return;  // the first track keeps a shared key (the validator reports the collision)
        m_keys.insert(key, {track, kind});
        QString compact = key;
        compact.remove(QLatin1Char(' '));
        if (!m_compactKeys.contains(compact))
            m_compactKeys.insert(compact, {track, kind});
        m_keyList.append({key, {track, kind}});
    };
    for (int i = 0; i < tmpl.tracks.size(); ++i)
        add(tmpl.tracks[i].name, i, MatchKind::Name);
    for (int i = 0; i < tmpl.tracks.size(); ++i) {
        for (const QString &alias : tmpl.tracks[i].aliases)
            add(alias, i, MatchKind::Alias);
    }
    for (int i = 0; i < tmpl.tracks.size(); ++i) {
        for (const QString &pattern : tmpl.tracks[i].patterns) {
            QRegularExpression re(pattern, QRegularExpression::CaseInsensitiveOption | QRegularExpression::UseUnicodePropertiesOption);
            if (re.isValid())
                m_patterns.append({i, re});
        }
    }
}

std::optional<TrackMatch> TrackMatcher::match(const QString &fileName) const
{
    const QList<NameCandidate> candidates = nameCandidates(fileName);
    for (const NameCandidate &c : candidates) {
        if (const auto it = m_keys.constFind(c.key); it != m_keys.constEnd())
            return TrackMatch{it->track, it->kind, c.side};
    }
    for (const NameCandidate &c : candidates) {
        QString compact = c.key;
        compact.remove(QLatin1Char(' '));
        if (const auto it = m_compactKeys.constFind(compact); it != m_compactKeys.constEnd())
            return TrackMatch{it->track, it->kind, c.side};
    }
    for (const NameCandidate &c : candidates) {
        int best = -1;
        qsizetype bestLength = -1;
        for (const auto &[track, re] : m_patterns) {
            const QRegularExpressionMatch m = re.match(c.key);
            if (m.hasMatch() && (m.capturedLength() > bestLength || (m.capturedLength() == bestLength && track < best))) {
                best = track;
                bestLength = m.capturedLength();
            }
        }
        if (best >= 0)
            return TrackMatch{best, MatchKind::Pattern, c.side};
    }
    for (const NameCandidate &c : candidates) {
        const QPair<QString, Key> *best = nullptr;
        for (const auto &entry : m_keyList) {
            if (entry.first.size() < 2 || !containsWords(c.key, entry.first))
                continue;
            if (!best || entry.first.size() > best->first.size()
                || (entry.first.size() == best->first.size() && entry.second.track < best->second.track))
                best = &entry;
        }
        if (best)
            return TrackMatch{best->second.track, MatchKind::Contained, c.side};
    }
    return std::nullopt;
}

std::optional<int> matchTrack(const SessionTemplate &tmpl, const QString &fileName)
{
    const std::optional<TrackMatch> m = TrackMatcher(tmpl).match(fileName);
    return m ? std::optional<int>(m->index) : std::nullopt;
}

}  // namespace stemship::templates
