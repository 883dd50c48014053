#include "deliveryname.h"

#include <QRegularExpression>
#include <QStringList>

namespace stemship::templates {
namespace {

const QRegularExpression &tokenSyntax()
{
    static const QRegularExpression syntax(QStringLiteral("\\{([a-z]+)(?::(0?[1-9]))?\\}"));
    return syntax;
}

const QStringList &tokenNames()
{
    static const QStringList names{QStringLiteral("index"), QStringLiteral("group"), QStringLiteral("name"),
                                   QStringLiteral("version"), QStringLiteral("title"), QStringLiteral("tempo")};
    return names;
}

bool isReservedWindowsName(const QString &name)
{
    static const QRegularExpression reserved(QStringLiteral("^(con|prn|aux|nul|com[1-9]|lpt[1-9])$"),
                                             QRegularExpression::CaseInsensitiveOption);
    const QString stem = name.section(QLatin1Char('.'), 0, 0).trimmed();
    return reserved.match(stem).hasMatch();
}

void trimEnds(QString *s)
{
    while (!s->isEmpty() && (s->front() == QLatin1Char(' ')))
        s->remove(0, 1);
    while (!s->isEmpty() && (s->back() == QLatin1Char('.') || s->back() == QLatin1Char(' ')))
        s->chop(1);
}

}  // namespace

DeliveryTokens deliveryTokensForTrack(const SessionTemplate &tmpl, int trackIndex, const QString &version)
{
    DeliveryTokens tokens;
    tokens.index = trackIndex + 1;
    tokens.version = version;
    if (trackIndex >= 0 && trackIndex < tmpl.tracks.size()) {
        const Track &track = tmpl.tracks[trackIndex];
        tokens.name = track.name;
        if (const Group *g = tmpl.group(track.group))
            tokens.group = g->name;
    }
    return tokens;
}

QString checkDeliveryPattern(const QString &pattern)
{
    if (pattern.trimmed().isEmpty())
        return QStringLiteral("empty delivery pattern");
    bool namesStem = false;
    qsizetype pos = 0;
    while (pos < pattern.size()) {
        const qsizetype open = pattern.indexOf(QLatin1Char('{'), pos);
        const qsizetype strayClose = pattern.indexOf(QLatin1Char('}'), pos);
        if (strayClose >= 0 && (open < 0 || strayClose < open))
            return QStringLiteral("\"}\" without \"{\" at character %1").arg(strayClose + 1);
        if (open < 0)
            break;
        const QRegularExpressionMatch m = tokenSyntax().match(pattern, open, QRegularExpression::NormalMatch,
                                                              QRegularExpression::AnchorAtOffsetMatchOption);
        if (!m.hasMatch()) {
            const qsizetype close = pattern.indexOf(QLatin1Char('}'), open);
            if (close < 0)
                return QStringLiteral("unclosed \"{\" at character %1").arg(open + 1);
            return QStringLiteral("unknown token \"%1\" (known: {index}, {index:02}, {group}, {name}, {version}, {title}, {tempo})")
                .arg(pattern.mid(open, close - open + 1));
        }
        const QString token = m.captured(1);
        if (!tokenNames().contains(token) || (!m.captured(2).isEmpty() && token != QLatin1String("index")))
            return QStringLiteral("unknown token \"%1\" (known: {index}, {index:02}, {group}, {name}, {version}, {title}, {tempo})")
                .arg(m.captured(0));
        namesStem = namesStem || token == QLatin1String("name") || token == QLatin1String("index");
        pos = m.capturedEnd();
    }
    if (!namesStem)
        return QStringLiteral("the pattern needs {name} or {index} so that stems get different names");
    return {};
}

QString deliveryFileName(const SessionTemplate &tmpl, const QString &pattern, const DeliveryTokens &tokens)
{
    const QString p = pattern.isEmpty() ? tmpl.deliveryPattern : pattern;
    const double tempo = tokens.tempoBpm > 0 ? tokens.tempoBpm : tmpl.tempoBpm;
    QString out;
    qsizetype pos = 0;
    QRegularExpressionMatchIterator it = tokenSyntax().globalMatch(p);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        out += p.mid(pos, m.capturedStart() - pos);
        pos = m.capturedEnd();
        const QString token = m.captured(1);
        if (token == QLatin1String("index"))
            out += QStringLiteral("%1").arg(tokens.index, m.captured(2).toInt(), 10, QLatin1Char('0'));
        else if (token == QLatin1String("group"))
            out += tokens.group;
        else if (token == QLatin1String("name"))
            out += tokens.name;
        else if (token == QLatin1String("version"))
            out += tokens.version;
        else if (token == QLatin1String("title"))
            out += tokens.title.isEmpty() ? tmpl.title : tokens.title;
        else if (token == QLatin1String("tempo"))
            out += QString::number(tempo, 'g', 6);
        else
            out += m.captured(0);
    }
    out += p.mid(pos);
    return portableFileName(out);
}

QString portableFileName(const QString &name)
{
    const QString nfc = name.normalized(QString::NormalizationForm_C);
    QString out;
    out.reserve(nfc.size());
    static const QString forbidden = QStringLiteral("<>:\"/\\|?*");
    for (const QChar c : nfc) {
        const char16_t u = c.unicode();
        const bool control = u < 0x20 || u == 0x7f || (u >= 0x80 && u <= 0x9f);
        out += (control || forbidden.contains(c)) ? QLatin1Char('_') : c;
    }
    trimEnds(&out);
    // Keep room for an extension within the 255-byte limit of most file systems; cut between code points.
    while (out.toUtf8().size() > 200) {
        out.chop(out.size() >= 2 && out.back().isLowSurrogate() ? 2 : 1);
        trimEnds(&out);
    }
    if (out.isEmpty())
        return QStringLiteral("_");
    if (isReservedWindowsName(out))
        out.prepend(QLatin1Char('_'));
    return out;
}

}  // namespace stemship::templates
