// iXML and the walk over a received WAV's metadata chunks (declared in bwfchunks.h).

#include "io/bwfchunks.h"
#include "io/containerprobe.h"

#include <QXmlStreamReader>
#include <QXmlStreamWriter>
#include <QtEndian>

#include <cstring>

namespace stemship::io {
namespace {

constexpr std::int64_t kMaxMetadataChunkBytes = 1 << 20;  // bext / iXML beyond 1 MiB are not read whole

void textElement(QXmlStreamWriter &xml, const char *name, const QString &text)
{
    xml.writeTextElement(QString::fromLatin1(name), text);
}

// Reads the text of the element the reader stands on; nullopt if it holds markup.
QString elementText(QXmlStreamReader &xml)
{
    return xml.readElementText(QXmlStreamReader::SkipChildElements).trimmed();
}

void readTrack(QXmlStreamReader &xml, IxmlFields *fields)
{
    IxmlTrack track;
    while (xml.readNextStartElement()) {
        const auto name = xml.name();
        if (name == QLatin1String("CHANNEL_INDEX"))
            track.channelIndex = elementText(xml).toInt();
        else if (name == QLatin1String("INTERLEAVE_INDEX"))
            track.interleaveIndex = elementText(xml).toInt();
        else if (name == QLatin1String("NAME"))
            track.name = elementText(xml);
        else if (name == QLatin1String("FUNCTION"))
            track.function = elementText(xml);
        else
            xml.skipCurrentElement();
    }
    fields->tracks.append(track);
}

}  // namespace

QByteArray buildIxmlChunk(const IxmlFields &ixml)
{
    QByteArray body;
    QXmlStreamWriter xml(&body);
    xml.setAutoFormatting(true);
    xml.writeStartDocument();
    xml.writeStartElement(QStringLiteral("BWFXML"));
    textElement(xml, "IXML_VERSION", QStringLiteral("2.10"));
    textElement(xml, "PROJECT", ixml.project);
    textElement(xml, "NOTE", ixml.note);
    xml.writeStartElement(QStringLiteral("TRACK_LIST"));
    textElement(xml, "TRACK_COUNT", QString::number(ixml.tracks.size()));
    for (const IxmlTrack &t : ixml.tracks) {
        xml.writeStartElement(QStringLiteral("TRACK"));
        textElement(xml, "CHANNEL_INDEX", QString::number(t.channelIndex));
        textElement(xml, "INTERLEAVE_INDEX", QString::number(t.interleaveIndex));
        textElement(xml, "NAME", t.name);
        textElement(xml, "FUNCTION", t.function);
        xml.writeEndElement();
    }
    xml.writeEndElement();
    if (ixml.timeReferenceSamples) {
        // iXML's BEXT block mirrors the bext chunk, so readers that only parse iXML place the file too.
        xml.writeStartElement(QStringLiteral("BEXT"));
        textElement(xml, "BWF_TIME_REFERENCE_LOW", QString::number(*ixml.timeReferenceSamples & 0xffffffffu));
        textElement(xml, "BWF_TIME_REFERENCE_HIGH", QString::number(*ixml.timeReferenceSamples >> 32));
        xml.writeEndElement();
    }
    xml.writeEndElement();
    xml.writeEndDocument();
    QByteArray out("iXML", 4);
    const auto size = qToLittleEndian<quint32>(quint32(body.size()));
    out.append(reinterpret_cast<const char *>(&size), 4);
    out += body;
    if (body.size() % 2)
        out.append('\0');
    return out;
}

std::optional<IxmlFields> parseIxmlBody(const QByteArray &body, QStringList *problems)
{
    // Writers pad iXML with NULs or spaces; the XML ends at the first NUL.
    const qsizetype nul = body.indexOf('\0');
    QXmlStreamReader xml(nul >= 0 ? body.left(nul) : body);
    IxmlFields fields;
    std::optional<quint64> low, high;
    int depth = 0;
    while (!xml.atEnd()) {
        const auto token = xml.readNext();
        if (token == QXmlStreamReader::EndElement)
            --depth;
        if (token != QXmlStreamReader::StartElement)
            continue;
        // QXmlStreamReader has no depth limit of its own: a nesting bomb ends here, reported.
        if (++depth > 64) {
            problems->append(QStringLiteral("iXML chunk nests deeper than 64 elements; ignored"));
            return std::nullopt;
        }
        const auto name = xml.name();
        if (name == QLatin1String("PROJECT"))
            fields.project = elementText(xml), --depth;
        else if (name == QLatin1String("NOTE"))
            fields.note = elementText(xml), --depth;
        else if (name == QLatin1String("TRACK"))
            readTrack(xml, &fields), --depth;
        else if (name == QLatin1String("BWF_TIME_REFERENCE_LOW"))
            low = elementText(xml).toULongLong(), --depth;
        else if (name == QLatin1String("BWF_TIME_REFERENCE_HIGH"))
            high = elementText(xml).toULongLong(), --depth;
    }
    if (xml.hasError()) {
        problems->append(QStringLiteral("iXML chunk is not well-formed XML (%1 at line %2); ignored")
                             .arg(xml.errorString()).arg(xml.lineNumber()));
        return std::nullopt;
    }
    if (low && *low <= 0xffffffffu && (!high || *high <= 0xffffffffu))
        fields.timeReferenceSamples = (high.value_or(0) << 32) | *low;
    return fields;
}

BwfMetadata readBwfMetadata(const ChunkReadFn &readAt, std::int64_t fileSize)
{
    BwfMetadata out;
    char magic[12];
    if (fileSize < 12 || readAt(0, magic, 12) != 12 || std::memcmp(magic + 8, "WAVE", 4) != 0
        || (std::memcmp(magic, "RIFF", 4) != 0 && std::memcmp(magic, "RF64", 4) != 0 && std::memcmp(magic, "BW64", 4) != 0))
        return out;
    std::int64_t offset = 12;
    for (int i = 0; i < kMaxRiffChunks && offset + 8 <= fileSize; ++i) {
        char header[8];
        if (readAt(offset, header, 8) != 8)
            break;
        const std::int64_t size = qFromLittleEndian<quint32>(header + 4);
        const std::int64_t body = offset + 8;
        const bool bext = std::memcmp(header, "bext", 4) == 0, ixml = std::memcmp(header, "iXML", 4) == 0;
        if (bext || ixml) {
            const QString what = QString::fromLatin1(header, 4);
            std::int64_t readable = std::min(size, fileSize - body);
            if (readable < size)
                out.problems.append(QStringLiteral("%1 chunk says %2 bytes but the file ends after %3")
                                        .arg(what).arg(size).arg(readable));
            if (readable > kMaxMetadataChunkBytes) {
                out.problems.append(QStringLiteral("%1 chunk of %2 bytes is larger than the %3 Stemship reads; "
                                                   "only its first %3 bytes are read")
                                        .arg(what).arg(readable).arg(kMaxMetadataChunkBytes));
                readable = kMaxMetadataChunkBytes;
            }
            QByteArray bytes(readable, Qt::Uninitialized);
            if (readAt(body, bytes.data(), readable) != readable)
                break;
            if (bext && !out.bext)
                out.bext = parseBextBody(bytes, &out.problems);
            else if (ixml && !out.ixml)
                out.ixml = parseIxmlBody(bytes, &out.problems);
        }
        if (std::memcmp(header, "data", 4) == 0 && size == 0xFFFFFFFF)
            break;  // RF64 data of unknown size here: metadata after it is not worth a ds64 walk
        offset = body + size + (size & 1);
    }
    return out;
}

}  // namespace stemship::io
