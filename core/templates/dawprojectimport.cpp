#include "dawprojectimport.h"

#include "templates/importmodel.h"

#include <QFileInfo>
#include <QHash>
#include <QXmlStreamReader>

#include <quazip.h>
#include <quazipfile.h>

#include <cmath>

namespace stemship::templates {
namespace {

struct PendingSend {
    int node;
    QString destination;  // channel id
    double levelDb;
    bool preFader;
};

double dbFrom(const QXmlStreamAttributes &a)
{
    const double value = a.value(QStringLiteral("value")).toDouble();
    if (a.value(QStringLiteral("unit")) == QLatin1String("decibel"))
        return value;
    return value > 0 ? 20.0 * std::log10(value) : -150.0;
}

Result<QByteArray> readEntry(QuaZip *zip, const QString &name, qint64 limit, bool required, const QString &path)
{
    if (!zip->setCurrentFile(name)) {
        if (required)
            return Error{path, QStringLiteral("no %1 in the archive").arg(name), ErrorCode::Unreadable};
        return QByteArray();
    }
    QuaZipFile entry(zip);
    if (!entry.open(QIODevice::ReadOnly))
        return Error{path, QStringLiteral("cannot read %1 (zip error %2)").arg(name).arg(entry.getZipError()), ErrorCode::Unreadable};
    // Bounded by what is actually inflated, not by the header's claimed size (zip bombs).
    const QByteArray data = entry.read(limit + 1);
    entry.close();
    if (data.size() > limit)
        return Error{path, QStringLiteral("%1 is larger than %2 bytes").arg(name).arg(limit), ErrorCode::Unreadable};
    if (entry.getZipError() != 0)
        return Error{path, QStringLiteral("%1 is damaged (zip error %2)").arg(name).arg(entry.getZipError()), ErrorCode::Unreadable};
    return data;
}

// QXmlStreamReader checks duplicate attributes pairwise; a byte scan first refuses elements with so many
// attributes that this would take minutes. Returns the 1-based line of the first such element, else 0.
int lineOfTooManyAttributes(const QByteArray &xml, int maxAttributes)
{
    int line = 1;
    const qsizetype n = xml.size();
    for (qsizetype i = 0; i < n; ++i) {
        if (xml[i] == '\n')
            ++line;
        if (xml[i] != '<')
            continue;
        const char next = i + 1 < n ? xml[i + 1] : 0;
        const char *skipTo = next == '!' ? (xml.mid(i, 4) == "<!--" ? "-->" : xml.mid(i, 9) == "<![CDATA[" ? "]]>" : ">")
                           : next == '?' ? "?>" : nullptr;
        if (skipTo) {
            const qsizetype end = xml.indexOf(skipTo, i + 1);
            const qsizetype stop = end < 0 ? n : end;
            line += int(std::count(xml.constBegin() + i, xml.constBegin() + stop, '\n'));
            i = stop;
            continue;
        }
        int attributes = 0;
        char quote = 0;
        for (++i; i < n; ++i) {
            const char c = xml[i];
            if (c == '\n')
                ++line;
            if (quote) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '=') {
                if (++attributes > maxAttributes)
                    return line;
            } else if (c == '>') {
                break;
            }
        }
    }
    return 0;
}

// Reads project.xml into an ImportedSession, one element at a time: the tracks and their channels (which
// become nodes), their sends, and the transport. Channel ids are resolved once the whole document is read.
class ProjectReader {
public:
    ProjectReader(const QByteArray &xml, const QString &fileName) : m_xml(xml), m_fileName(fileName) {}

    Result<ImportedSession> read()
    {
        while (!m_xml.atEnd()) {
            const QXmlStreamReader::TokenType token = m_xml.readNext();
            if (token == QXmlStreamReader::DTD)
                return fail(QStringLiteral("document type declarations are not allowed"));
            if (token == QXmlStreamReader::EndElement) {
                endElement();
            } else if (token == QXmlStreamReader::StartElement) {
                if (const Status started = startElement(); !started)
                    return started.error();
            }
        }
        if (m_xml.hasError())
            return fail(QStringLiteral("not well-formed XML: ") + m_xml.errorString());
        resolveReferences();
        return m_session;
    }

private:
    Error fail(const QString &what) const
    {
        return Error{m_fileName, QStringLiteral("project.xml line %1: %2").arg(m_xml.lineNumber()).arg(what), ErrorCode::Unreadable};
    }

    Status startElement()
    {
        if (++m_depth > ImportLimits::maxDepth)
            return fail(QStringLiteral("elements nested more than %1 deep").arg(ImportLimits::maxDepth));
        if (++m_elements > 1000000)
            return fail(QStringLiteral("more than a million elements"));
        const auto name = m_xml.name();
        const QXmlStreamAttributes a = m_xml.attributes();
        if (m_depth == 1 && name != QLatin1String("Project"))
            return fail(QStringLiteral("not a DAWproject (root element <%1>)").arg(name.toString()));
        if (m_depth == 2 && name == QLatin1String("Structure"))
            m_inStructure = true;
        else if (m_depth == 2 && name == QLatin1String("Transport"))
            m_inTransport = true;
        else if (m_inTransport && name == QLatin1String("Tempo"))
            m_session.tempoBpm = a.value(QStringLiteral("value")).toDouble();
        else if (m_inTransport && name == QLatin1String("TimeSignature")) {
            m_session.numerator = a.value(QStringLiteral("numerator")).toInt();
            m_session.denominator = a.value(QStringLiteral("denominator")).toInt();
        } else if (m_inStructure && name == QLatin1String("Track"))
            return openTrack(a);
        else if (m_inStructure && name == QLatin1String("Channel") && !m_trackStack.isEmpty() && m_channelNode < 0)
            openChannel(a);
        else if (m_channelNode >= 0 && name == QLatin1String("Send"))
            return openSend(a);
        else if (m_sendDepth >= 0 && m_depth == m_sendDepth + 1 && name == QLatin1String("Volume"))
            m_openSend.levelDb = dbFrom(a);
        return {};
    }

    void endElement()
    {
        const auto name = m_xml.name();
        if (name == QLatin1String("Track") && !m_trackStack.isEmpty())
            m_trackStack.removeLast();
        else if (name == QLatin1String("Channel"))
            m_channelNode = -1;
        else if (name == QLatin1String("Structure"))
            m_inStructure = false;
        else if (name == QLatin1String("Transport"))
            m_inTransport = false;
        if (m_depth == m_sendDepth) {
            m_sends.append(m_openSend);
            m_sendDepth = -1;
        }
        --m_depth;
    }

    Status openTrack(const QXmlStreamAttributes &a)
    {
        if (m_session.nodes.size() >= 4 * ImportLimits::maxTracks)
            return fail(QStringLiteral("more than %1 tracks").arg(4 * ImportLimits::maxTracks));
        ImportedNode node;
        node.role = ImportedNode::Role::Folder;  // until a Channel says otherwise
        node.parent = m_trackStack.isEmpty() ? -1 : m_trackStack.last();
        node.name = a.value(QStringLiteral("name")).toString();
        node.colour = a.value(QStringLiteral("color")).toString();
        m_session.nodes.append(node);
        m_trackStack.append(int(m_session.nodes.size() - 1));
        return {};
    }

    void openChannel(const QXmlStreamAttributes &a)
    {
        m_channelNode = m_trackStack.last();
        ImportedNode &node = m_session.nodes[m_channelNode];
        const auto role = a.value(QStringLiteral("role"));
        if (role == QLatin1String("master")) {
            m_session.mixName = node.name;
            m_session.mixColour = a.value(QStringLiteral("color")).isEmpty() ? node.colour : a.value(QStringLiteral("color")).toString();
            node.name.clear();
            node.role = ImportedNode::Role::Folder;
            node.parent = masterParent;
            m_nodeOfChannel.insert(a.value(QStringLiteral("id")).toString(), -2);
            return;
        }
        node.role = role == QLatin1String("effect") ? ImportedNode::Role::AuxBus
                  : role == QLatin1String("submix") ? ImportedNode::Role::GroupBus
                  : ImportedNode::Role::Track;
        node.busName = a.value(QStringLiteral("name")).toString();
        node.busColour = a.value(QStringLiteral("color")).toString();
        node.effect = a.value(QStringLiteral("comment")).toString();
        node.channels = a.hasAttribute(QStringLiteral("audioChannels")) ? a.value(QStringLiteral("audioChannels")).toInt() : 2;
        m_nodeOfChannel.insert(a.value(QStringLiteral("id")).toString(), m_channelNode);
        m_destinationOf.insert(m_channelNode, a.value(QStringLiteral("destination")).toString());
    }

    Status openSend(const QXmlStreamAttributes &a)
    {
        if (m_session.nodes[m_channelNode].sends.size() + m_sends.size() > ImportLimits::maxSendsPerTrack * 4 * ImportLimits::maxTracks)
            return fail(QStringLiteral("too many sends"));
        m_openSend = PendingSend{m_channelNode, a.value(QStringLiteral("destination")).toString(), 0.0,
                                 a.value(QStringLiteral("type")) == QLatin1String("pre")};
        m_sendDepth = m_depth;
        return {};
    }

    // Channel outputs and sends name channel ids; every id is known only at the end of the document.
    void resolveReferences()
    {
        for (auto it = m_destinationOf.begin(); it != m_destinationOf.end(); ++it) {
            const int target = m_nodeOfChannel.value(it.value(), -1);
            m_session.nodes[it.key()].output = target >= 0 ? target : -1;
        }
        for (const PendingSend &s : m_sends) {
            const int target = m_nodeOfChannel.value(s.destination, -1);
            if (target >= 0 && m_session.nodes[s.node].sends.size() < ImportLimits::maxSendsPerTrack)
                m_session.nodes[s.node].sends.append(ImportedSend{target, s.levelDb, s.preFader});
        }
        // The master track is the mix bus, not a node of the tree: an empty folder, dropped with the others.
        for (ImportedNode &node : m_session.nodes) {
            if (node.parent == masterParent) {
                node.parent = -1;
                node.role = ImportedNode::Role::Folder;
            }
        }
    }

    static constexpr int masterParent = -3;  // marks the master track's node until the document is read

    QXmlStreamReader m_xml;
    QString m_fileName;
    ImportedSession m_session;
    QHash<QString, int> m_nodeOfChannel;
    QHash<int, QString> m_destinationOf;
    QList<PendingSend> m_sends;
    QList<int> m_trackStack;  // open <Track> nodes
    int m_depth = 0;
    int m_elements = 0;
    bool m_inStructure = false;
    bool m_inTransport = false;
    int m_channelNode = -1;   // node whose <Channel> is open
    int m_sendDepth = -1;     // depth of the open <Send>
    PendingSend m_openSend{};
};

// Folders without a name (the master track among them) only group; their children move up, and every index
// into the node list is renumbered.
void dropEmptyFolders(ImportedSession &session)
{
    QList<ImportedNode> kept;
    QHash<int, int> newIndex;
    for (int i = 0; i < session.nodes.size(); ++i) {
        const ImportedNode &n = session.nodes[i];
        const bool emptyFolder = n.role == ImportedNode::Role::Folder && n.name.isEmpty();
        if (!emptyFolder) {
            newIndex.insert(i, int(kept.size()));
            kept.append(n);
        }
    }
    for (ImportedNode &n : kept) {
        n.parent = newIndex.value(n.parent, -1);
        n.output = newIndex.value(n.output, -1);
        for (ImportedSend &s : n.sends)
            s.target = newIndex.value(s.target, -1);
    }
    session.nodes = kept;
}

// metadata.xml is optional and only informative: a malformed one ends the reading, never the import.
void readMetadata(const QByteArray &metadataXml, ImportedSession &session)
{
    QXmlStreamReader meta(metadataXml);
    int metaDepth = 0;
    while (!meta.atEnd()) {
        const auto token = meta.readNext();
        if (token == QXmlStreamReader::DTD)
            break;
        if (token == QXmlStreamReader::EndElement)
            --metaDepth;
        if (token != QXmlStreamReader::StartElement)
            continue;
        if (++metaDepth > ImportLimits::maxDepth)
            break;
        if (meta.name() == QLatin1String("Title"))
            session.title = meta.readElementText(QXmlStreamReader::SkipChildElements), --metaDepth;
        else if (meta.name() == QLatin1String("Comment"))
            session.description = meta.readElementText(QXmlStreamReader::SkipChildElements), --metaDepth;
    }
}

}  // namespace

Result<SessionTemplate> importDawProjectXml(const QByteArray &projectXml, const QByteArray &metadataXml, const QString &fileName)
{
    if (projectXml.size() > ImportLimits::maxProjectBytes)
        return Error{fileName, QStringLiteral("project.xml is larger than %1 bytes").arg(ImportLimits::maxProjectBytes), ErrorCode::Unreadable};
    if (const int line = lineOfTooManyAttributes(projectXml, 256))
        return Error{fileName, QStringLiteral("project.xml line %1: an element with more than 256 attributes").arg(line), ErrorCode::Unreadable};
    Result<ImportedSession> session = ProjectReader(projectXml, fileName).read();
    if (!session)
        return session.error();
    dropEmptyFolders(*session);
    if (!metadataXml.isEmpty())
        readMetadata(metadataXml, *session);
    return buildImportedTemplate(*session, templateNameFromFile(fileName), fileName);
}

Result<QByteArray> readDawProjectEntry(const QString &path, const QString &entryName, qint64 maxBytes)
{
    QuaZip zip(path);
    if (!zip.open(QuaZip::mdUnzip))
        return Error{path, QStringLiteral("not a zip archive (zip error %1)").arg(zip.getZipError()), ErrorCode::Unreadable};
    return readEntry(&zip, entryName, maxBytes, true, path);
}

Result<SessionTemplate> importDawProject(const QString &path)
{
    if (!QFileInfo(path).isFile())
        return Error{path, QStringLiteral("no such file"), ErrorCode::NotFound};
    QuaZip zip(path);
    if (!zip.open(QuaZip::mdUnzip))
        return Error{path, QStringLiteral("not a zip archive (zip error %1)").arg(zip.getZipError()), ErrorCode::Unreadable};
    if (zip.getEntriesCount() > 100000)
        return Error{path, QStringLiteral("too many entries in the archive"), ErrorCode::Unreadable};
    const Result<QByteArray> project = readEntry(&zip, QStringLiteral("project.xml"), ImportLimits::maxProjectBytes, true, path);
    if (!project)
        return project.error();
    const Result<QByteArray> metadata = readEntry(&zip, QStringLiteral("metadata.xml"), 1 << 20, false, path);
    if (!metadata)
        return metadata.error();
    return importDawProjectXml(*project, *metadata, path);
}

}  // namespace stemship::templates
