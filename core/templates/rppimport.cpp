#include "rppimport.h"

#include "io/boundedread.h"
#include "templates/importmodel.h"
#include "templates/rppexport.h"

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

namespace {

// Reads an .rpp line by line: the project's tempo, colour and notes at depth 1, and each <TRACK block's fields.
class RppReader {
public:
    RppReader(const QByteArray &text, const QString &fileName) : m_text(text), m_fileName(fileName)
    {
        m_session.mixName = QStringLiteral("Master");
    }

    Status read()
    {
        qsizetype pos = 0;
        while (pos < m_text.size()) {
            qsizetype end = m_text.indexOf('\n', pos);
            if (end < 0)
                end = m_text.size();
            const QByteArray line = m_text.mid(pos, end - pos).trimmed();
            pos = end + 1;
            ++m_lineNumber;
            if (line.isEmpty())
                continue;
            if (m_lineNumber == 1 && !line.startsWith("<REAPER_PROJECT"))
                return fail(QStringLiteral("not a REAPER project (no <REAPER_PROJECT header)"));
            if (const Status read = readLine(line); !read)
                return read;
        }
        if (m_depth != 0)
            return fail(QStringLiteral("the file ends inside a block (truncated?)"));
        return {};
    }

    ImportedSession &session() { return m_session; }
    const QList<RawTrack> &tracks() const { return m_tracks; }

private:
    Error fail(const QString &what) const
    {
        return Error{m_fileName, QStringLiteral("line %1: %2").arg(m_lineNumber).arg(what), ErrorCode::Unreadable};
    }

    Status readLine(const QByteArray &line)
    {
        if (line.startsWith('<'))
            return openBlock(line);
        if (line == ">")
            return closeBlock();
        if (m_trackDepth == notesBlock && m_depth == 2 && line.startsWith('|'))
            appendNote(line);
        else if (m_depth == 1)
            readProjectLine(rppTokens(line));
        else if (m_depth == m_trackDepth && !m_tracks.isEmpty())
            readTrackLine(rppTokens(line));
        return {};
    }

    Status openBlock(const QByteArray &line)
    {
        if (++m_depth > ImportLimits::maxDepth)
            return fail(QStringLiteral("blocks nested more than %1 deep").arg(ImportLimits::maxDepth));
        if (m_depth == 2 && line.startsWith("<TRACK")) {
            if (m_tracks.size() >= ImportLimits::maxTracks)
                return fail(QStringLiteral("more than %1 tracks").arg(ImportLimits::maxTracks));
            m_tracks.append(RawTrack{});
            m_trackDepth = m_depth;
        } else if (m_depth == 2 && line.startsWith("<NOTES")) {
            m_trackDepth = notesBlock;
        }
        return {};
    }

    Status closeBlock()
    {
        if (m_depth == m_trackDepth || (m_trackDepth == notesBlock && m_depth == 2))
            m_trackDepth = -1;
        if (--m_depth < 0)
            return fail(QStringLiteral("\">\" closes no block"));
        return {};
    }

    void appendNote(const QByteArray &line)
    {
        if (m_session.description.size() > 8 * 1024)
            return;  // the template keeps at most 8192 characters of description
        m_session.description += (m_session.description.isEmpty() ? QString() : QStringLiteral("\n")) + QString::fromUtf8(line.mid(1));
    }

    void readProjectLine(const QStringList &tokens)
    {
        if (tokens.value(0) == QLatin1String("TEMPO") && tokens.size() >= 4) {
            m_session.tempoBpm = tokens[1].toDouble();
            m_session.numerator = tokens[2].toInt();
            m_session.denominator = tokens[3].toInt();
        } else if (tokens.value(0) == QLatin1String("MASTERPEAKCOL") && tokens.size() >= 2) {
            m_session.mixColour = colourFromReaper(tokens[1].toLongLong());
        }
    }

    void readTrackLine(const QStringList &tokens)
    {
        RawTrack &t = m_tracks.last();
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

    static constexpr int notesBlock = -2;  // m_trackDepth while the project <NOTES block is open (lines start with "|")

    const QByteArray &m_text;
    QString m_fileName;
    ImportedSession m_session;
    QList<RawTrack> m_tracks;
    int m_depth = 0;         // open blocks
    int m_trackDepth = -1;   // depth of the open <TRACK block
    int m_lineNumber = 0;
};

bool isValidReceive(const RawTrack::Receive &r, int track, qsizetype trackCount)
{
    return r.source >= 0 && r.source < trackCount && r.source != track;
}

// The folder tree ISBUS describes: a folder start encloses the tracks until its closing delta.
struct FolderTree {
    QList<int> parentOf;
    QList<bool> hasChildren;
    QList<bool> receives;
};

FolderTree folderTree(const QList<RawTrack> &tracks)
{
    FolderTree tree{QList<int>(tracks.size(), -1), QList<bool>(tracks.size(), false), QList<bool>(tracks.size(), false)};
    QList<int> folders;
    for (int i = 0; i < tracks.size(); ++i) {
        tree.parentOf[i] = folders.isEmpty() ? -1 : folders.last();
        if (tree.parentOf[i] >= 0)
            tree.hasChildren[tree.parentOf[i]] = true;
        if (tracks[i].folderState == 1 && folders.size() < ImportLimits::maxDepth)
            folders.append(i);
        else if (tracks[i].folderDelta < 0)
            for (int n = 0; n < -tracks[i].folderDelta && !folders.isEmpty(); ++n)
                folders.removeLast();
        for (const RawTrack::Receive &r : tracks[i].receives)
            tree.receives[i] = tree.receives[i] || isValidReceive(r, i, tracks.size());
    }
    return tree;
}

// The group a folder track implies takes the colour most of its tracks share (ties: the smallest name).
QString majorityColour(const QList<RawTrack> &tracks, const FolderTree &tree, int folder, QString colour)
{
    QHash<QString, int> votes;
    for (int c = 0; c < tracks.size(); ++c) {
        if (tree.parentOf[c] == folder && !tree.hasChildren[c] && !tracks[c].colour.isEmpty())
            ++votes[tracks[c].colour];
    }
    int best = 0;
    for (auto it = votes.begin(); it != votes.end(); ++it) {
        if (it.value() > best || (it.value() == best && it.key() < colour)) {
            best = it.value();
            colour = it.key();
        }
    }
    return colour;
}

ImportedNode nodeOf(const QList<RawTrack> &tracks, const FolderTree &tree, int i)
{
    ImportedNode node;
    node.name = tracks[i].name;
    node.colour = tracks[i].colour;
    node.parent = tree.parentOf[i];
    node.channels = tracks[i].channels >= 6 ? tracks[i].channels : 1;
    node.role = tree.hasChildren[i] ? ImportedNode::Role::GroupBus
              : tree.receives[i] ? ImportedNode::Role::AuxBus : ImportedNode::Role::Track;
    if (tree.hasChildren[i]) {
        // The folder track is the bus.
        node.busName = node.name;
        node.busColour = node.colour;
        node.colour = majorityColour(tracks, tree, i, node.colour);
    }
    return node;
}

// An AUXRECV on the receiving track becomes a send on its source.
void addSends(const QList<RawTrack> &tracks, ImportedSession &session)
{
    for (int i = 0; i < tracks.size(); ++i) {
        for (const RawTrack::Receive &r : tracks[i].receives) {
            if (!isValidReceive(r, i, tracks.size()))
                continue;
            const double db = r.volume > 0 ? 20.0 * std::log10(r.volume) : -150.0;
            // AUXRECV modes: 0 post-fader, 1 pre-FX, 3 pre-fader (post-FX).
            session.nodes[r.source].sends.append(ImportedSend{i, db, r.mode == 1 || r.mode == 3});
        }
    }
}

}  // namespace

Result<SessionTemplate> importRppText(const QByteArray &text, const QString &fileName)
{
    if (text.size() > ImportLimits::maxProjectBytes)
        return Error{fileName, QStringLiteral("larger than %1 bytes").arg(ImportLimits::maxProjectBytes), ErrorCode::Unreadable};
    RppReader reader(text, fileName);
    if (const Status read = reader.read(); !read)
        return read.error();
    ImportedSession &session = reader.session();
    const QList<RawTrack> &tracks = reader.tracks();
    const FolderTree tree = folderTree(tracks);
    for (int i = 0; i < tracks.size(); ++i)
        session.nodes.append(nodeOf(tracks, tree, i));
    addSends(tracks, session);
    return buildImportedTemplate(session, templateNameFromFile(fileName), fileName);
}

Result<SessionTemplate> importRpp(const QString &path)
{
    const Result<QByteArray> text = io::readBoundedFile(path, ImportLimits::maxProjectBytes,
                                                        QStringLiteral("larger than %1 bytes").arg(ImportLimits::maxProjectBytes));
    if (!text)
        return text.error();
    return importRppText(*text, path);
}

}  // namespace stemship::templates
