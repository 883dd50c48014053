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

}  // namespace

Result<SessionTemplate> importDawProjectXml(const QByteArray &projectXml, const QByteArray &metadataXml, const QString &fileName)
{
    if (projectXml.size() > ImportLimits::maxProjectBytes)
        return Error{fileName, QStringLiteral("project.xml is larger than %1 bytes").arg(ImportLimits::maxProjectBytes), ErrorCode::Unreadable};
    if (const int line = lineOfTooManyAttributes(projectXml, 256))
        return Error{fileName, QStringLiteral("project.xml line %1: an element with more than 256 attributes").arg(line), ErrorCode::Unreadable};
    ImportedSession session;
    QHash<QString, int> nodeOfChannel;
    QHash<int, QString> destinationOf;
    QList<PendingSend> sends;
    QList<int> trackStack;             // open <Track> nodes
    int depth = 0;
    int elements = 0;
    bool inStructure = false, inTransport = false;
    int channelNode = -1;              // node whose <Channel> is open
    int sendDepth = -1;                // depth of the open <Send>
    PendingSend openSend{};
    QXmlStreamReader xml(projectXml);
    auto fail = [&](const QString &what) {
        return Error{fileName, QStringLiteral("project.xml line %1: %2").arg(xml.lineNumber()).arg(what), ErrorCode::Unreadable};
    };
    while (!xml.atEnd()) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        if (token == QXmlStreamReader::DTD)
            return fail(QStringLiteral("document type declarations are not allowed"));
        if (token == QXmlStreamReader::EndElement) {
            const auto name = xml.name();
            if (name == QLatin1String("Track") && !trackStack.isEmpty())
                trackStack.removeLast();
            else if (name == QLatin1String("Channel"))
                channelNode = -1;
            else if (name == QLatin1String("Structure"))
                inStructure = false;
            else if (name == QLatin1String("Transport"))
                inTransport = false;
            if (depth == sendDepth) {
                sends.append(openSend);
                sendDepth = -1;
            }
            --depth;
            continue;
        }
        if (token != QXmlStreamReader::StartElement)
            continue;
        if (++depth > ImportLimits::maxDepth)
            return fail(QStringLiteral("elements nested more than %1 deep").arg(ImportLimits::maxDepth));
        if (++elements > 1000000)
            return fail(QStringLiteral("more than a million elements"));
        const auto name = xml.name();
        const QXmlStreamAttributes a = xml.attributes();
        if (depth == 1 && name != QLatin1String("Project"))
            return fail(QStringLiteral("not a DAWproject (root element <%1>)").arg(name.toString()));
        if (depth == 2 && name == QLatin1String("Structure"))
            inStructure = true;
        else if (depth == 2 && name == QLatin1String("Transport"))
            inTransport = true;
        else if (inTransport && name == QLatin1String("Tempo"))
            session.tempoBpm = a.value(QStringLiteral("value")).toDouble();
        else if (inTransport && name == QLatin1String("TimeSignature")) {
            session.numerator = a.value(QStringLiteral("numerator")).toInt();
            session.denominator = a.value(QStringLiteral("denominator")).toInt();
        } else if (inStructure && name == QLatin1String("Track")) {
            if (session.nodes.size() >= 4 * ImportLimits::maxTracks)
                return fail(QStringLiteral("more than %1 tracks").arg(4 * ImportLimits::maxTracks));
            ImportedNode node;
            node.role = ImportedNode::Role::Folder;  // until a Channel says otherwise
            node.parent = trackStack.isEmpty() ? -1 : trackStack.last();
            node.name = a.value(QStringLiteral("name")).toString();
            node.colour = a.value(QStringLiteral("color")).toString();
            session.nodes.append(node);
            trackStack.append(int(session.nodes.size() - 1));
        } else if (inStructure && name == QLatin1String("Channel") && !trackStack.isEmpty() && channelNode < 0) {
            channelNode = trackStack.last();
            ImportedNode &node = session.nodes[channelNode];
            const auto role = a.value(QStringLiteral("role"));
            node.role = role == QLatin1String("effect") ? ImportedNode::Role::AuxBus
                      : role == QLatin1String("submix") ? ImportedNode::Role::GroupBus
                      : role == QLatin1String("master") ? ImportedNode::Role::Folder
                      : ImportedNode::Role::Track;
            if (role == QLatin1String("master")) {
                session.mixName = node.name;
                session.mixColour = a.value(QStringLiteral("color")).isEmpty() ? node.colour : a.value(QStringLiteral("color")).toString();
                node.name.clear();
                node.role = ImportedNode::Role::Folder;
                nodeOfChannel.insert(a.value(QStringLiteral("id")).toString(), -2);
                node.parent = -3;  // dropped below
                continue;
            }
            node.busName = a.value(QStringLiteral("name")).toString();
            node.busColour = a.value(QStringLiteral("color")).toString();
            node.effect = a.value(QStringLiteral("comment")).toString();
            node.channels = a.hasAttribute(QStringLiteral("audioChannels")) ? a.value(QStringLiteral("audioChannels")).toInt() : 2;
            nodeOfChannel.insert(a.value(QStringLiteral("id")).toString(), channelNode);
            destinationOf.insert(channelNode, a.value(QStringLiteral("destination")).toString());
        } else if (channelNode >= 0 && name == QLatin1String("Send")) {
            if (session.nodes[channelNode].sends.size() + sends.size() > ImportLimits::maxSendsPerTrack * 4 * ImportLimits::maxTracks)
                return fail(QStringLiteral("too many sends"));
            openSend = PendingSend{channelNode, a.value(QStringLiteral("destination")).toString(), 0.0,
                                   a.value(QStringLiteral("type")) == QLatin1String("pre")};
            sendDepth = depth;
        } else if (sendDepth >= 0 && depth == sendDepth + 1 && name == QLatin1String("Volume")) {
            openSend.levelDb = dbFrom(a);
        }
    }
    if (xml.hasError())
        return fail(QStringLiteral("not well-formed XML: ") + xml.errorString());
    // Resolve channel references now that every id is known.
    for (auto it = destinationOf.begin(); it != destinationOf.end(); ++it) {
        const int target = nodeOfChannel.value(it.value(), -1);
        session.nodes[it.key()].output = target >= 0 ? target : -1;
    }
    for (const PendingSend &s : sends) {
        const int target = nodeOfChannel.value(s.destination, -1);
        if (target >= 0 && session.nodes[s.node].sends.size() < ImportLimits::maxSendsPerTrack)
            session.nodes[s.node].sends.append(ImportedSend{target, s.levelDb, s.preFader});
    }
    // The master track is the mix bus, not a node of the tree.
    for (ImportedNode &node : session.nodes) {
        if (node.parent == -3) {
            node.parent = -1;
            node.role = ImportedNode::Role::Folder;
        }
    }
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

    if (!metadataXml.isEmpty()) {
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
    return buildImportedTemplate(session, templateNameFromFile(fileName), fileName);
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
