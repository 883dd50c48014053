#include "io/wavtags.h"

#include <taglib/id3v2tag.h>
#include <taglib/infotag.h>
#include <taglib/textidentificationframe.h>

#include <QtEndian>

namespace stemship::io {
namespace {

TagLib::String tagString(const QString &text) { return TagLib::String(text.toStdString(), TagLib::String::UTF8); }

// A RIFF chunk as TagLib's RIFF::File appends it: id, size, body, a pad byte after an odd body.
QByteArray riffChunk(const char id[4], const TagLib::ByteVector &body)
{
    QByteArray out(id, 4);
    const auto size = qToLittleEndian<quint32>(quint32(body.size()));
    out.append(reinterpret_cast<const char *>(&size), 4);
    out.append(body.data(), qsizetype(body.size()));
    if (body.size() % 2)
        out.append('\0');
    return out;
}

bool hasTags(const WavTags &tags)
{
    return !tags.title.isEmpty() || tags.tempoBpm > 0.0 || !tags.version.isEmpty() || !tags.comment.isEmpty();
}

void applyWavTags(const WavTags &tags, TagLib::ID3v2::Tag *id3, TagLib::RIFF::Info::Tag *info)
{
    if (!tags.title.isEmpty()) {
        id3->setTitle(tagString(tags.title));
        info->setTitle(tagString(tags.title));
    }
    if (!tags.comment.isEmpty()) {
        id3->setComment(tagString(tags.comment));
        info->setComment(tagString(tags.comment));
    }
    if (tags.tempoBpm > 0.0) {
        auto *bpm = new TagLib::ID3v2::TextIdentificationFrame("TBPM", TagLib::String::UTF8);
        bpm->setText(tagString(QString::number(tags.tempoBpm, 'g', 6)));
        id3->addFrame(bpm);
    }
    if (!tags.version.isEmpty())
        id3->addFrame(new TagLib::ID3v2::UserTextIdentificationFrame(tagString(QStringLiteral("VERSION")),
                                                                    TagLib::StringList(tagString(tags.version))));
}

}  // namespace

QByteArray wavTagChunks(const WavTags &tags)
{
    if (!hasTags(tags))
        return {};
    TagLib::ID3v2::Tag id3;
    TagLib::RIFF::Info::Tag info;
    applyWavTags(tags, &id3, &info);
    // TagLib's WAV::File::save(AllTags, StripOthers, v4): the ID3v2 chunk, then LIST/INFO; an empty tag is left out.
    QByteArray out;
    if (!id3.isEmpty())
        out += riffChunk("ID3 ", id3.render(TagLib::ID3v2::v4));
    if (!info.isEmpty())
        out += riffChunk("LIST", info.render());
    return out;
}

}  // namespace stemship::io
