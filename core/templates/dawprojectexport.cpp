#include "dawprojectexport.h"

#include "io/atomicfile.h"
#include "templates/mixertree.h"

#include <QFile>
#include <QHash>
#include <QXmlStreamWriter>

#include <quazip.h>
#include <quazipfile.h>

#include <cmath>

namespace stemship::templates {
namespace {

QString number(double v) { return QString::number(v, 'g', 10); }

// dB to the linear gain DAWproject's Volume uses ("unit=linear", 1.0 = unity).
QString linearGain(double db) { return number(std::pow(10.0, db / 20.0)); }

class ProjectWriter {
public:
    explicit ProjectWriter(const SessionTemplate &t, QByteArray *out) : t(t), xml(out) { xml.setAutoFormatting(true); }

    void write()
    {
        for (int b = 0; b < t.buses.size(); ++b)
            busChannelIds.insert(t.buses[b].id, nextId());
        xml.writeStartDocument(QStringLiteral("1.0"), true);
        xml.writeStartElement(QStringLiteral("Project"));
        xml.writeAttribute(QStringLiteral("version"), QStringLiteral("1.0"));
        xml.writeEmptyElement(QStringLiteral("Application"));
        xml.writeAttribute(QStringLiteral("name"), QStringLiteral("Stemship"));
        xml.writeAttribute(QStringLiteral("version"), QStringLiteral(STEMSHIP_VERSION));
        xml.writeStartElement(QStringLiteral("Transport"));
        xml.writeEmptyElement(QStringLiteral("Tempo"));
        xml.writeAttribute(QStringLiteral("unit"), QStringLiteral("bpm"));
        xml.writeAttribute(QStringLiteral("value"), number(t.tempoBpm));
        xml.writeAttribute(QStringLiteral("min"), QStringLiteral("20"));
        xml.writeAttribute(QStringLiteral("max"), QStringLiteral("999"));
        xml.writeAttribute(QStringLiteral("id"), nextId());
        xml.writeAttribute(QStringLiteral("name"), QStringLiteral("Tempo"));
        xml.writeEmptyElement(QStringLiteral("TimeSignature"));
        xml.writeAttribute(QStringLiteral("numerator"), QString::number(t.timeSignatureNumerator));
        xml.writeAttribute(QStringLiteral("denominator"), QString::number(t.timeSignatureDenominator));
        xml.writeAttribute(QStringLiteral("id"), nextId());
        xml.writeEndElement();  // Transport
        xml.writeStartElement(QStringLiteral("Structure"));
        for (const MixerNode &node : mixerTree(t))
            writeNode(node);
        if (const Bus *mix = t.mixBus())
            writeBusTrack(*mix, nullptr, {});
        xml.writeEndElement();  // Structure
        xml.writeStartElement(QStringLiteral("Arrangement"));
        xml.writeAttribute(QStringLiteral("id"), nextId());
        xml.writeStartElement(QStringLiteral("Lanes"));
        xml.writeAttribute(QStringLiteral("timeUnit"), QStringLiteral("beats"));
        xml.writeAttribute(QStringLiteral("id"), nextId());
        for (const QString &trackId : trackIds) {
            xml.writeEmptyElement(QStringLiteral("Lanes"));
            xml.writeAttribute(QStringLiteral("track"), trackId);
            xml.writeAttribute(QStringLiteral("id"), nextId());
        }
        xml.writeEndElement();  // Lanes
        xml.writeEndElement();  // Arrangement
        xml.writeEndElement();  // Project
        xml.writeEndDocument();
    }

private:
    const SessionTemplate &t;
    QXmlStreamWriter xml;
    int idCounter = 0;
    QHash<QString, QString> busChannelIds;
    QStringList trackIds;

    QString nextId() { return QStringLiteral("id%1").arg(idCounter++); }

    void startTrack(const QString &name, const QString &colour)
    {
        xml.writeStartElement(QStringLiteral("Track"));
        const QString id = nextId();
        trackIds.append(id);
        xml.writeAttribute(QStringLiteral("contentType"), QStringLiteral("audio"));
        xml.writeAttribute(QStringLiteral("loaded"), QStringLiteral("true"));
        xml.writeAttribute(QStringLiteral("id"), id);
        xml.writeAttribute(QStringLiteral("name"), name);
        if (!colour.isEmpty())
            xml.writeAttribute(QStringLiteral("color"), colour);
    }

    void startChannel(const QString &id, const QString &role, int channels, const QString &destinationBus)
    {
        xml.writeStartElement(QStringLiteral("Channel"));
        xml.writeAttribute(QStringLiteral("audioChannels"), QString::number(channels));
        if (!destinationBus.isEmpty() && busChannelIds.contains(destinationBus))
            xml.writeAttribute(QStringLiteral("destination"), busChannelIds.value(destinationBus));
        xml.writeAttribute(QStringLiteral("role"), role);
        xml.writeAttribute(QStringLiteral("solo"), QStringLiteral("false"));
        xml.writeAttribute(QStringLiteral("id"), id);
    }

    // Channel children in the schema's order: Devices?, Mute?, Pan?, Sends?, Volume?.
    void writeFaders(const QList<Send> &sends)
    {
        xml.writeEmptyElement(QStringLiteral("Mute"));
        xml.writeAttribute(QStringLiteral("value"), QStringLiteral("false"));
        xml.writeAttribute(QStringLiteral("id"), nextId());
        xml.writeAttribute(QStringLiteral("name"), QStringLiteral("Mute"));
        xml.writeEmptyElement(QStringLiteral("Pan"));
        xml.writeAttribute(QStringLiteral("unit"), QStringLiteral("normalized"));
        xml.writeAttribute(QStringLiteral("value"), QStringLiteral("0.5"));
        xml.writeAttribute(QStringLiteral("min"), QStringLiteral("0"));
        xml.writeAttribute(QStringLiteral("max"), QStringLiteral("1"));
        xml.writeAttribute(QStringLiteral("id"), nextId());
        xml.writeAttribute(QStringLiteral("name"), QStringLiteral("Pan"));
        if (!sends.isEmpty()) {
            xml.writeStartElement(QStringLiteral("Sends"));
            for (const Send &send : sends) {
                if (!busChannelIds.contains(send.bus))
                    continue;
                xml.writeStartElement(QStringLiteral("Send"));
                xml.writeAttribute(QStringLiteral("destination"), busChannelIds.value(send.bus));
                xml.writeAttribute(QStringLiteral("type"), send.preFader ? QStringLiteral("pre") : QStringLiteral("post"));
                xml.writeAttribute(QStringLiteral("id"), nextId());
                const Bus *b = t.bus(send.bus);
                xml.writeAttribute(QStringLiteral("name"), b ? b->name : send.bus);
                xml.writeEmptyElement(QStringLiteral("Volume"));
                xml.writeAttribute(QStringLiteral("unit"), QStringLiteral("linear"));
                xml.writeAttribute(QStringLiteral("value"), linearGain(send.levelDb));
                xml.writeAttribute(QStringLiteral("min"), QStringLiteral("0"));
                xml.writeAttribute(QStringLiteral("max"), QStringLiteral("2"));
                xml.writeAttribute(QStringLiteral("id"), nextId());
                xml.writeAttribute(QStringLiteral("name"), QStringLiteral("Volume"));
                xml.writeEndElement();  // Send
            }
            xml.writeEndElement();  // Sends
        }
        xml.writeEmptyElement(QStringLiteral("Volume"));
        xml.writeAttribute(QStringLiteral("unit"), QStringLiteral("linear"));
        xml.writeAttribute(QStringLiteral("value"), QStringLiteral("1"));
        xml.writeAttribute(QStringLiteral("min"), QStringLiteral("0"));
        xml.writeAttribute(QStringLiteral("max"), QStringLiteral("2"));
        xml.writeAttribute(QStringLiteral("id"), nextId());
        xml.writeAttribute(QStringLiteral("name"), QStringLiteral("Volume"));
    }

    void writeBusTrack(const Bus &b, const Group *owner, const QList<MixerNode> &children)
    {
        startTrack(owner ? owner->name : b.name, owner && !owner->colour.isEmpty() ? owner->colour : b.colour);
        const QString role = b.kind == BusKind::Mix ? QStringLiteral("master")
                           : b.kind == BusKind::Aux ? QStringLiteral("effect") : QStringLiteral("submix");
        startChannel(busChannelIds.value(b.id), role, 2, t.busOutput(b));
        // The Channel is the bus itself; its own name and colour survive when a group names the folder.
        xml.writeAttribute(QStringLiteral("name"), b.name);
        if (!b.colour.isEmpty())
            xml.writeAttribute(QStringLiteral("color"), b.colour);
        if (!b.effect.isEmpty())
            xml.writeAttribute(QStringLiteral("comment"), b.effect);
        writeFaders({});
        xml.writeEndElement();  // Channel
        for (const MixerNode &child : children)
            writeNode(child);
        xml.writeEndElement();  // Track
    }

    void writeNode(const MixerNode &node)
    {
        switch (node.kind) {
        case MixerNode::Kind::Bus:
            writeBusTrack(t.buses[node.index], node.ownerGroup >= 0 ? &t.groups[node.ownerGroup] : nullptr, node.children);
            return;
        case MixerNode::Kind::Folder: {
            const Group &g = t.groups[node.index];
            startTrack(g.name, g.colour);
            for (const MixerNode &child : node.children)
                writeNode(child);
            xml.writeEndElement();
            return;
        }
        case MixerNode::Kind::Track: {
            const Track &track = t.tracks[node.index];
            startTrack(track.name, t.trackColour(track));
            startChannel(nextId(), QStringLiteral("regular"), channelCount(track.layout), t.trackOutput(track));
            writeFaders(track.sends);
            xml.writeEndElement();  // Channel
            xml.writeEndElement();  // Track
            return;
        }
        }
    }
};

}  // namespace

QByteArray dawProjectXml(const SessionTemplate &tmpl)
{
    QByteArray out;
    ProjectWriter(tmpl, &out).write();
    return out;
}

QByteArray dawProjectMetadataXml(const SessionTemplate &tmpl)
{
    QByteArray out;
    QXmlStreamWriter xml(&out);
    xml.setAutoFormatting(true);
    xml.writeStartDocument(QStringLiteral("1.0"), true);
    xml.writeStartElement(QStringLiteral("MetaData"));
    xml.writeTextElement(QStringLiteral("Title"), tmpl.title.isEmpty() ? tmpl.name : tmpl.title);
    if (!tmpl.description.isEmpty())
        xml.writeTextElement(QStringLiteral("Comment"), tmpl.description);
    xml.writeEndElement();
    xml.writeEndDocument();
    return out;
}

Status exportDawProject(const SessionTemplate &tmpl, const QString &path)
{
    const QString temp = io::tempPathBeside(path, QStringLiteral(".dawproject"));
    const QList<QPair<QString, QByteArray>> entries{{QStringLiteral("project.xml"), dawProjectXml(tmpl)},
                                                    {QStringLiteral("metadata.xml"), dawProjectMetadataXml(tmpl)}};
    {
        QuaZip zip(temp);
        if (!zip.open(QuaZip::mdCreate))
            return Error{path, QStringLiteral("cannot create the zip (error %1)").arg(zip.getZipError()), QStringLiteral("unwritable")};
        for (const auto &[name, data] : entries) {
            QuaZipFile entry(&zip);
            if (!entry.open(QIODevice::WriteOnly, QuaZipNewInfo(name)) || entry.write(data) != data.size()) {
                entry.close();
                zip.close();
                QFile::remove(temp);
                return Error{path, QStringLiteral("cannot write %1 into the zip").arg(name), QStringLiteral("unwritable")};
            }
            entry.close();
            if (entry.getZipError() != 0) {
                zip.close();
                QFile::remove(temp);
                return Error{path, QStringLiteral("cannot write %1 into the zip").arg(name), QStringLiteral("unwritable")};
            }
        }
        zip.close();
        if (zip.getZipError() != 0) {
            QFile::remove(temp);
            return Error{path, QStringLiteral("cannot finish the zip (error %1)").arg(zip.getZipError()), QStringLiteral("unwritable")};
        }
    }
    return io::commitRename(temp, path);
}

}  // namespace stemship::templates
