#include "rppimport.h"

#include "templates/importmodel.h"
#include "templates/rppexport.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>

#include <algorithm>
#include <cmath>

namespace stemship::templates {
namespace {

struct RawTrack {
    QString name;
    QString colour;
    int folderState = 0;   // ISBUS first field: 1 opens a folder, 2 closes
    int folderDelta = 0;   // ISBUS second field
    int channels = 2;
    struct Receive {
        int source;
        int mode;
        double volume;
    };
    QList<Receive> receives;
};

}  // namespace

QStringList rppTokens(const QByteArray &line)
{
    QStringList tokens;
    const QString s = QString::fromUtf8(line).trimmed();
    qsizetype i = 0;
    while (i < s.size()) {
        while (i < s.size() && s[i].isSpace())
            ++i;
        if (i >= s.size())
            break;
        const QChar q = s[i];
        if (q == QLatin1Char('"') || q == QLatin1Char('\'') || q == QLatin1Char('`')) {
            const qsizetype end = s.indexOf(q, i + 1);
            const qsizetype stop = end < 0 ? s.size() : end;
            tokens.append(s.mid(i + 1, stop - i - 1));
            i = stop + 1;
        } else {
            qsizetype end = i;
            while (end < s.size() && !s[end].isSpace())
                ++end;
            tokens.append(s.mid(i, end - i));
            i = end;
        }
    }
    return tokens;
}

Result<SessionTemplate> importRppText(const QByteArray &text, const QString &fileName)
{
    auto fail = [&](int line, const QString &what) {
        return Error{fileName, QStringLiteral("line %1: %2").arg(line).arg(what), ErrorCode::Unreadable};
    };
    if (text.size() > ImportLimits::maxProjectBytes)
        return Error{fileName, QStringLiteral("larger than %1 bytes").arg(ImportLimits::maxProjectBytes), ErrorCode::Unreadable};
    ImportedSession session;
    session.mixName = QStringLiteral("Master");
    QList<RawTrack> tracks;
    int depth = 0;         // open blocks
    int trackDepth = -1;   // depth of the open <TRACK block
    int lineNumber = 0;
    qsizetype pos = 0;
    while (pos < text.size()) {
        qsizetype end = text.indexOf('\n', pos);
        if (end < 0)
            end = text.size();
        const QByteArray line = text.mid(pos, end - pos).trimmed();
        pos = end + 1;
        ++lineNumber;
        if (line.isEmpty())
            continue;
        if (lineNumber == 1 && !line.startsWith("<REAPER_PROJECT"))
            return fail(1, QStringLiteral("not a REAPER project (no <REAPER_PROJECT header)"));
        if (line.startsWith('<')) {
            if (++depth > ImportLimits::maxDepth)
                return fail(lineNumber, QStringLiteral("blocks nested more than %1 deep").arg(ImportLimits::maxDepth));
            if (depth == 2 && line.startsWith("<TRACK")) {
                if (tracks.size() >= ImportLimits::maxTracks)
                    return fail(lineNumber, QStringLiteral("more than %1 tracks").arg(ImportLimits::maxTracks));
                tracks.append(RawTrack{});
                trackDepth = depth;
            } else if (depth == 2 && line.startsWith("<NOTES")) {
                trackDepth = -2;  // project notes: lines start with "|"
            }
            continue;
        }
        if (line == ">") {
            if (depth == trackDepth || (trackDepth == -2 && depth == 2))
                trackDepth = -1;
            if (--depth < 0)
                return fail(lineNumber, QStringLiteral("\">\" closes no block"));
            continue;
        }
        if (trackDepth == -2 && depth == 2 && line.startsWith('|')) {
            if (session.description.size() > 8 * 1024)
                continue;  // the template keeps at most 8192 characters of description
            session.description += (session.description.isEmpty() ? QString() : QStringLiteral("\n")) + QString::fromUtf8(line.mid(1));
            continue;
        }
        if (depth == 1) {
            const QStringList tokens = rppTokens(line);
            if (tokens.value(0) == QLatin1String("TEMPO") && tokens.size() >= 4) {
                session.tempoBpm = tokens[1].toDouble();
                session.numerator = tokens[2].toInt();
                session.denominator = tokens[3].toInt();
            } else if (tokens.value(0) == QLatin1String("MASTERPEAKCOL") && tokens.size() >= 2) {
                session.mixColour = colourFromReaper(tokens[1].toLongLong());
            }
            continue;
        }
        if (depth != trackDepth || tracks.isEmpty())
            continue;
        const QStringList tokens = rppTokens(line);
        RawTrack &t = tracks.last();
        const QString key = tokens.value(0);
        if (key == QLatin1String("NAME"))
            t.name = tokens.value(1);
        else if (key == QLatin1String("PEAKCOL"))
            t.colour = colourFromReaper(tokens.value(1).toLongLong());
        else if (key == QLatin1String("ISBUS")) {
            t.folderState = tokens.value(1).toInt();
            // REAPER closes at most a handful of folders per track; clamping also keeps -INT_MIN out of reach.
            t.folderDelta = std::clamp(tokens.value(2).toInt(), -1024, 1024);
        } else if (key == QLatin1String("NCHAN"))
            t.channels = tokens.value(1).toInt();
        else if (key == QLatin1String("AUXRECV") && tokens.size() >= 4 && t.receives.size() < ImportLimits::maxSendsPerTrack)
            t.receives.append({tokens[1].toInt(), tokens[2].toInt(), tokens[3].toDouble()});
    }
    if (depth != 0)
        return fail(lineNumber, QStringLiteral("the file ends inside a block (truncated?)"));

    // Folder structure from ISBUS: a folder start encloses the tracks until its closing delta.
    QList<int> parentOf(tracks.size(), -1);
    QList<bool> hasChildren(tracks.size(), false), receives(tracks.size(), false);
    QList<int> folders;
    for (int i = 0; i < tracks.size(); ++i) {
        parentOf[i] = folders.isEmpty() ? -1 : folders.last();
        if (parentOf[i] >= 0)
            hasChildren[parentOf[i]] = true;
        if (tracks[i].folderState == 1 && folders.size() < ImportLimits::maxDepth)
            folders.append(i);
        else if (tracks[i].folderDelta < 0)
            for (int n = 0; n < -tracks[i].folderDelta && !folders.isEmpty(); ++n)
                folders.removeLast();
        for (const RawTrack::Receive &r : tracks[i].receives)
            receives[i] = receives[i] || (r.source >= 0 && r.source < tracks.size() && r.source != i);
    }
    for (int i = 0; i < tracks.size(); ++i) {
        ImportedNode node;
        node.name = tracks[i].name;
        node.colour = tracks[i].colour;
        node.parent = parentOf[i];
        node.channels = tracks[i].channels >= 6 ? tracks[i].channels : 1;
        node.role = hasChildren[i] ? ImportedNode::Role::GroupBus
                  : receives[i] ? ImportedNode::Role::AuxBus : ImportedNode::Role::Track;
        if (hasChildren[i]) {
            // The folder track is the bus; the group it implies takes the colour most of its tracks share.
            node.busName = node.name;
            node.busColour = node.colour;
            QHash<QString, int> votes;
            for (int c = 0; c < tracks.size(); ++c) {
                if (parentOf[c] == i && !hasChildren[c] && !tracks[c].colour.isEmpty())
                    ++votes[tracks[c].colour];
            }
            int best = 0;
            for (auto it = votes.begin(); it != votes.end(); ++it) {
                if (it.value() > best || (it.value() == best && it.key() < node.colour)) {
                    best = it.value();
                    node.colour = it.key();
                }
            }
        }
        session.nodes.append(node);
    }
    for (int i = 0; i < tracks.size(); ++i) {
        for (const RawTrack::Receive &r : tracks[i].receives) {
            if (r.source < 0 || r.source >= tracks.size() || r.source == i)
                continue;
            const double db = r.volume > 0 ? 20.0 * std::log10(r.volume) : -150.0;
            // AUXRECV modes: 0 post-fader, 1 pre-FX, 3 pre-fader (post-FX).
            session.nodes[r.source].sends.append(ImportedSend{i, db, r.mode == 1 || r.mode == 3});
        }
    }
    return buildImportedTemplate(session, templateNameFromFile(fileName), fileName);
}

Result<SessionTemplate> importRpp(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Error{path, QStringLiteral("no such file"), ErrorCode::NotFound};
    if (!info.isFile())
        return Error{path, QStringLiteral("not a regular file"), ErrorCode::Unreadable};
    if (info.size() > ImportLimits::maxProjectBytes)
        return Error{path, QStringLiteral("larger than %1 bytes").arg(ImportLimits::maxProjectBytes), ErrorCode::Unreadable};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{path, QStringLiteral("cannot read: ") + file.errorString(), ErrorCode::Unreadable};
    const QByteArray text = file.read(ImportLimits::maxProjectBytes + 1);
    if (text.size() > ImportLimits::maxProjectBytes)
        return Error{path, QStringLiteral("larger than %1 bytes").arg(ImportLimits::maxProjectBytes), ErrorCode::Unreadable};
    return importRppText(text, path);
}

}  // namespace stemship::templates
