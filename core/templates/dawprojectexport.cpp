#include "dawprojectexport.h"

#include "templates/exportfile.h"
#include "templates/mixertree.h"

#include <QBuffer>
#include <QDateTime>
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
    ProjectWriter(const SessionTemplate &t, QByteArray *out, const session::SessionPlan *plan = nullptr) : t(t), plan(plan), xml(out)
    {
        xml.setAutoFormatting(true);
    }

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
        tempoId = nextId();
        xml.writeAttribute(QStringLiteral("id"), tempoId);
        xml.writeAttribute(QStringLiteral("name"), QStringLiteral("Tempo"));
        xml.writeEmptyElement(QStringLiteral("TimeSignature"));
        xml.writeAttribute(QStringLiteral("numerator"), QString::number(t.timeSignature.numerator));
        xml.writeAttribute(QStringLiteral("denominator"), QString::number(t.timeSignature.denominator));
        timeSignatureId = nextId();
        xml.writeAttribute(QStringLiteral("id"), timeSignatureId);
        xml.writeEndElement();  // Transport
        xml.writeStartElement(QStringLiteral("Structure"));
        for (const MixerNode &node : mixerTree(t))
            writeNode(node);
        if (const Bus *mix = t.mixBus())
            writeBusTrack(*mix, {});
        xml.writeEndElement();  // Structure
        xml.writeStartElement(QStringLiteral("Arrangement"));
        xml.writeAttribute(QStringLiteral("id"), nextId());
        xml.writeStartElement(QStringLiteral("Lanes"));
        xml.writeAttribute(QStringLiteral("timeUnit"), QStringLiteral("beats"));
        xml.writeAttribute(QStringLiteral("id"), nextId());
        for (const QString &trackId : trackIds) {
            if (plan && clipOfTrack.contains(trackId)) {
                writeClipLane(trackId, clipOfTrack.value(trackId));
                continue;
            }
            xml.writeEmptyElement(QStringLiteral("Lanes"));
            xml.writeAttribute(QStringLiteral("track"), trackId);
            xml.writeAttribute(QStringLiteral("id"), nextId());
        }
        xml.writeEndElement();  // Lanes
        if (plan)
            writeTimeline();
        xml.writeEndElement();  // Arrangement
        xml.writeEndElement();  // Project
        xml.writeEndDocument();
    }

private:
    const SessionTemplate &t;
    const session::SessionPlan *plan = nullptr;
    QXmlStreamWriter xml;
    int idCounter = 0;
    QHash<QString, QString> busChannelIds;
    QStringList trackIds;
    QHash<QString, int> clipOfTrack;  // Track id -> index into plan->clips
    QString tempoId, timeSignatureId;

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
    void writeFaders(const QList<Send> &sends, bool muted = false)
    {
        xml.writeEmptyElement(QStringLiteral("Mute"));
        xml.writeAttribute(QStringLiteral("value"), muted ? QStringLiteral("true") : QStringLiteral("false"));
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

    // A bus is a folder track named and coloured as the bus, like REAPER's folder track (one template, one session).
    void writeBusTrack(const Bus &b, const QList<MixerNode> &children)
    {
        startTrack(b.name, b.colour);
        const QString role = b.kind == BusKind::Mix ? QStringLiteral("master")
                           : b.kind == BusKind::Aux ? QStringLiteral("effect") : QStringLiteral("submix");
        startChannel(busChannelIds.value(b.id), role, 2, t.busOutput(b));
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
            writeBusTrack(t.buses[node.index], node.children);
            return;
        case MixerNode::Kind::Track: {
            const Track &track = t.tracks[node.index];
            startTrack(track.name, t.trackColour(track));
            if (plan && node.index < plan->clips.size())
                clipOfTrack.insert(trackIds.last(), node.index);
            startChannel(nextId(), QStringLiteral("regular"), channelCount(track.layout), t.trackOutput(track));
            writeFaders(track.sends, plan && plan->muted.value(node.index));
            xml.writeEndElement();  // Channel
            xml.writeEndElement();  // Track
            return;
        }
        }
    }

    // One clip at beat 0 as long as the file: lanes count beats, the audio counts seconds, nothing is warped, so a
    // DAW places sample 0 on the session's start whatever the tempo map.
    void writeClipLane(const QString &trackId, int clipIndex)
    {
        const session::SessionClip &clip = plan->clips[clipIndex];
        xml.writeStartElement(QStringLiteral("Lanes"));
        xml.writeAttribute(QStringLiteral("track"), trackId);
        xml.writeAttribute(QStringLiteral("id"), nextId());
        xml.writeStartElement(QStringLiteral("Clips"));
        xml.writeAttribute(QStringLiteral("id"), nextId());
        xml.writeStartElement(QStringLiteral("Clip"));
        xml.writeAttribute(QStringLiteral("name"), t.tracks.value(clipIndex).name);
        xml.writeAttribute(QStringLiteral("time"), QStringLiteral("0"));
        xml.writeAttribute(QStringLiteral("duration"), number(plan->beatsAt(clip.lengthSeconds)));
        xml.writeAttribute(QStringLiteral("contentTimeUnit"), QStringLiteral("seconds"));
        xml.writeAttribute(QStringLiteral("playStart"), QStringLiteral("0"));
        xml.writeAttribute(QStringLiteral("playStop"), number(clip.lengthSeconds));
        xml.writeStartElement(QStringLiteral("Audio"));
        xml.writeAttribute(QStringLiteral("channels"), QString::number(clip.channels));
        xml.writeAttribute(QStringLiteral("sampleRate"), QString::number(clip.sampleRateHz));
        xml.writeAttribute(QStringLiteral("duration"), number(clip.lengthSeconds));
        xml.writeAttribute(QStringLiteral("id"), nextId());
        xml.writeEmptyElement(QStringLiteral("File"));
        xml.writeAttribute(QStringLiteral("path"), clip.file);
        xml.writeAttribute(QStringLiteral("external"), QStringLiteral("true"));
        xml.writeEndElement();  // Audio
        xml.writeEndElement();  // Clip
        xml.writeEndElement();  // Clips
        xml.writeEndElement();  // Lanes
    }

    // Markers, then the tempo and meter changes (in the schema's order), all in beats from the session's start.
    void writeTimeline()
    {
        const double preroll = plan->prerollQuarterNotes();
        xml.writeStartElement(QStringLiteral("Markers"));
        xml.writeAttribute(QStringLiteral("timeUnit"), QStringLiteral("beats"));
        xml.writeAttribute(QStringLiteral("id"), nextId());
        xml.writeEmptyElement(QStringLiteral("Marker"));
        xml.writeAttribute(QStringLiteral("name"), QStringLiteral("Bar 1"));
        xml.writeAttribute(QStringLiteral("time"), number(preroll));
        xml.writeEndElement();  // Markers
        xml.writeStartElement(QStringLiteral("TempoAutomation"));
        xml.writeAttribute(QStringLiteral("unit"), QStringLiteral("bpm"));
        xml.writeAttribute(QStringLiteral("timeUnit"), QStringLiteral("beats"));
        xml.writeAttribute(QStringLiteral("id"), nextId());
        xml.writeEmptyElement(QStringLiteral("Target"));
        xml.writeAttribute(QStringLiteral("parameter"), tempoId);
        for (const session::TempoPoint &p : plan->map.tempi()) {
            xml.writeEmptyElement(QStringLiteral("RealPoint"));
            xml.writeAttribute(QStringLiteral("time"), number(p.quarterNotes == 0 ? 0 : preroll + p.quarterNotes));
            xml.writeAttribute(QStringLiteral("value"), number(p.tempoBpm));
            xml.writeAttribute(QStringLiteral("interpolation"), QStringLiteral("hold"));
        }
        xml.writeEndElement();  // TempoAutomation
        xml.writeStartElement(QStringLiteral("TimeSignatureAutomation"));
        xml.writeAttribute(QStringLiteral("timeUnit"), QStringLiteral("beats"));
        xml.writeAttribute(QStringLiteral("id"), nextId());
        xml.writeEmptyElement(QStringLiteral("Target"));
        xml.writeAttribute(QStringLiteral("parameter"), timeSignatureId);
        for (const session::MeterPoint &m : plan->map.meters()) {
            xml.writeEmptyElement(QStringLiteral("TimeSignaturePoint"));
            xml.writeAttribute(QStringLiteral("time"), number(m.bar == 0 ? 0 : preroll + plan->map.quarterNotesAtBar(m.bar)));
            xml.writeAttribute(QStringLiteral("numerator"), QString::number(m.numerator));
            xml.writeAttribute(QStringLiteral("denominator"), QString::number(m.denominator));
        }
        xml.writeEndElement();  // TimeSignatureAutomation
    }
};

}  // namespace

QByteArray dawProjectXml(const SessionTemplate &tmpl)
{
    QByteArray out;
    ProjectWriter(tmpl, &out).write();
    return out;
}

QByteArray dawProjectXml(const session::SessionPlan &plan)
{
    QByteArray out;
    ProjectWriter(plan.layout, &out, &plan).write();
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

Result<QByteArray> dawProjectZip(const QByteArray &projectXml, const QByteArray &metadataXml, const QString &path)
{
    // Built in memory (a few hundred kB at most), so the file goes through the one atomic, fsynced write. Without
    // data descriptors minizip seeks back and patches CRC and sizes into each local header.
    QBuffer buffer;
    buffer.open(QIODevice::ReadWrite);
    {
        QuaZip zip(&buffer);
        zip.setDataDescriptorWritingEnabled(false);  // QuaZip's default writes them; the buffer can be seeked back
        if (!zip.open(QuaZip::mdCreate))
            return Error{path, QStringLiteral("cannot create the zip (error %1)").arg(zip.getZipError()), ErrorCode::Unwritable};
        for (const auto &[name, data] : {std::pair{QStringLiteral("project.xml"), projectXml}, std::pair{QStringLiteral("metadata.xml"), metadataXml}}) {
            QuaZipFile entry(&zip);
            // A fixed date (the zip format's epoch) makes the file a function of the session alone: a session
            // written again from a delivery matches the copy the delivery carries, byte for byte.
            QuaZipNewInfo info(name);
            info.dateTime = QDateTime(QDate(1980, 1, 1), QTime(0, 0));
            const bool written = entry.open(QIODevice::WriteOnly, info) && entry.write(data) == data.size();
            entry.close();
            if (!written || entry.getZipError() != 0)
                return Error{path, QStringLiteral("cannot write %1 into the zip").arg(name), ErrorCode::Unwritable};
        }
        zip.close();
        if (zip.getZipError() != 0)
            return Error{path, QStringLiteral("cannot finish the zip (error %1)").arg(zip.getZipError()), ErrorCode::Unwritable};
    }
    return buffer.data();
}

Status writeDawProjectZip(const QString &path, const QByteArray &projectXml, const QByteArray &metadataXml)
{
    Result<QByteArray> zip = dawProjectZip(projectXml, metadataXml, path);
    if (!zip)
        return zip.error();
    return writeFileAtomically(path, *zip);
}

Status exportDawProject(const SessionTemplate &tmpl, const QString &path)
{
    return writeDawProjectZip(path, dawProjectXml(tmpl), dawProjectMetadataXml(tmpl));
}

}  // namespace stemship::templates
