#include "referencewav.h"

#include <QDateTime>
#include <QFile>
#include <QtEndian>

#include <sndfile.h>
#include <taglib/id3v2tag.h>
#include <taglib/infotag.h>
#include <taglib/textidentificationframe.h>
#include <taglib/wavfile.h>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <vector>

namespace stemship::test {
namespace {

constexpr qint64 kHeaderSearchBytes = 1 << 16;  // libsndfile writes bext within the first few KiB

int subtypeOf(io::SampleEncoding encoding)
{
    switch (encoding) {
    case io::SampleEncoding::Pcm16: return SF_FORMAT_PCM_16;
    case io::SampleEncoding::Pcm24: return SF_FORMAT_PCM_24;
    case io::SampleEncoding::Pcm32: return SF_FORMAT_PCM_32;
    case io::SampleEncoding::Float32: return SF_FORMAT_FLOAT;
    }
    return SF_FORMAT_PCM_24;
}

void copyField(char *field, std::size_t capacity, const QString &text)
{
    const QByteArray bytes = text.toLatin1();  // bext text fields are ASCII (EBU Tech 3285 §2.3)
    std::memcpy(field, bytes.constData(), std::min(capacity, std::size_t(bytes.size())));
}

// WAVE_FORMAT_EXTENSIBLE speaker bits in order (ksmedia.h), as libsndfile's channel map names them.
constexpr int kSpeakerMap[] = {
    SF_CHANNEL_MAP_LEFT, SF_CHANNEL_MAP_RIGHT, SF_CHANNEL_MAP_CENTER, SF_CHANNEL_MAP_LFE, SF_CHANNEL_MAP_REAR_LEFT,
    SF_CHANNEL_MAP_REAR_RIGHT, SF_CHANNEL_MAP_FRONT_LEFT_OF_CENTER, SF_CHANNEL_MAP_FRONT_RIGHT_OF_CENTER,
    SF_CHANNEL_MAP_REAR_CENTER, SF_CHANNEL_MAP_SIDE_LEFT, SF_CHANNEL_MAP_SIDE_RIGHT, SF_CHANNEL_MAP_TOP_CENTER,
    SF_CHANNEL_MAP_TOP_FRONT_LEFT, SF_CHANNEL_MAP_TOP_FRONT_CENTER, SF_CHANNEL_MAP_TOP_FRONT_RIGHT,
    SF_CHANNEL_MAP_TOP_REAR_LEFT, SF_CHANNEL_MAP_TOP_REAR_CENTER, SF_CHANNEL_MAP_TOP_REAR_RIGHT};

// libsndfile writes the mask of the channel map it is given (in bit order); false if the mask does not fit.
bool setChannelMask(SNDFILE *file, int channels, std::uint32_t mask)
{
    std::vector<int> map;
    for (int bit = 0; bit < int(std::size(kSpeakerMap)); ++bit)
        if (mask & (1u << bit))
            map.push_back(kSpeakerMap[bit]);
    if (int(map.size()) != channels || (mask >> std::size(kSpeakerMap)) != 0)
        return false;
    return sf_command(file, SFC_SET_CHANNEL_MAP_INFO, map.data(), int(map.size() * sizeof(int))) == SF_TRUE;
}

// The bext fields through libsndfile's own struct: version 2 always (EBU Tech 3285 v2), loudness words in
// hundredths, 0x7FFF for a field not measured; libsndfile appends its own coding-history line.
bool setBroadcastInfo(SNDFILE *file, const io::BroadcastInfo &b)
{
    SF_BROADCAST_INFO bext{};
    copyField(bext.description, sizeof bext.description, b.description);
    copyField(bext.originator, sizeof bext.originator, b.originator);
    copyField(bext.originator_reference, sizeof bext.originator_reference, b.originatorReference);
    const QDateTime now = b.originated.isValid() ? b.originated : QDateTime::currentDateTime();
    copyField(bext.origination_date, sizeof bext.origination_date, now.toString(QStringLiteral("yyyy-MM-dd")));
    copyField(bext.origination_time, sizeof bext.origination_time, now.toString(QStringLiteral("HH:mm:ss")));
    bext.time_reference_low = std::uint32_t(b.timeReferenceSamples & 0xffffffffu);
    bext.time_reference_high = std::uint32_t(b.timeReferenceSamples >> 32);
    bext.version = 2;
    std::memcpy(bext.umid, b.umid.data(), sizeof bext.umid);
    bext.loudness_value = io::bextLoudnessWord(b.integratedLufs);
    bext.loudness_range = io::bextLoudnessWord(b.loudnessRangeLu);
    bext.max_true_peak_level = io::bextLoudnessWord(b.maxTruePeakDbtp);
    bext.max_momentary_loudness = io::bextLoudnessWord(b.maxMomentaryLufs);
    bext.max_shortterm_loudness = io::bextLoudnessWord(b.maxShortTermLufs);
    QByteArray history = b.codingHistory.toLatin1();
    if (!history.isEmpty() && !history.endsWith("\r\n"))
        history += "\r\n";
    copyField(bext.coding_history, sizeof bext.coding_history, QString::fromLatin1(history));
    bext.coding_history_size = std::uint32_t(std::min<qsizetype>(history.size(), qsizetype(sizeof bext.coding_history)));
    return sf_command(file, SFC_SET_BROADCAST_INFO, &bext, sizeof bext) == SF_TRUE;
}

// The RF64 writer that downgrades itself to RIFF under 4 GiB (EBU Tech 3306), without a PEAK chunk.
Status writeSamples(const io::WavWriterSpec &spec, const QByteArray &packedSamples)
{
    SF_INFO info{};
    info.samplerate = spec.sampleRateHz;
    info.channels = spec.channels;
    info.format = SF_FORMAT_RF64 | subtypeOf(spec.encoding);
    if (!sf_format_check(&info))
        return Error{spec.path, QStringLiteral("unsupported output format"), {}};
    SNDFILE *file = sf_open(QFile::encodeName(spec.path).constData(), SFM_WRITE, &info);
    if (!file)
        return Error{spec.path, QStringLiteral("cannot create: ") + QString::fromLocal8Bit(sf_strerror(nullptr)), {}};
    sf_command(file, SFC_RF64_AUTO_DOWNGRADE, nullptr, SF_TRUE);
    sf_command(file, SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE);
    QString problem;
    if (spec.channelMask != 0 && !setChannelMask(file, spec.channels, spec.channelMask))
        problem = QStringLiteral("cannot write channel mask 0x%1").arg(spec.channelMask, 0, 16);
    else if (!setBroadcastInfo(file, spec.bext))
        problem = QStringLiteral("cannot write the bext chunk");
    else if (sf_write_raw(file, packedSamples.constData(), packedSamples.size()) != packedSamples.size())
        problem = QStringLiteral("write failed: ") + QString::fromLocal8Bit(sf_strerror(file));
    const int closeError = sf_close(file);
    if (problem.isEmpty() && closeError != 0)
        problem = QStringLiteral("cannot finish the file: ") + QString::fromLocal8Bit(sf_error_number(closeError));
    if (!problem.isEmpty())
        return Error{spec.path, problem, {}};
    return {};
}

std::int64_t framesReadBack(const QString &path)
{
    SF_INFO info{};
    SNDFILE *file = sf_open(QFile::encodeName(path).constData(), SFM_READ, &info);
    if (!file)
        return -1;
    sf_close(file);
    return info.frames;
}

TagLib::String tagString(const QString &text) { return TagLib::String(text.toStdString(), TagLib::String::UTF8); }

// Title and comment in both tags, tempo (TBPM) and version (TXXX:VERSION) in ID3v2 only, ID3v2.4, other tags
// stripped: as the delivery has always tagged its files.
Status writeTags(const QString &path, const io::WavTags &tags)
{
    TagLib::RIFF::WAV::File file(QFile::encodeName(path).constData(), false);
    if (!file.isValid())
        return Error{path, QStringLiteral("TagLib cannot open the file to tag it"), {}};
    TagLib::ID3v2::Tag *id3 = file.ID3v2Tag();
    TagLib::RIFF::Info::Tag *info = file.InfoTag();
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
    if (id3->isEmpty() && info->isEmpty())
        return {};
    if (!file.save(TagLib::RIFF::WAV::File::AllTags, TagLib::File::StripOthers, TagLib::ID3v2::v4))
        return Error{path, QStringLiteral("cannot write tags"), {}};
    return {};
}

}  // namespace

Status writeReferenceWav(const io::WavWriterSpec &spec, const QByteArray &packedSamples)
{
    const std::int64_t frameBytes = std::int64_t(io::bitsOf(spec.encoding) / 8) * spec.channels;
    if (frameBytes <= 0 || packedSamples.size() % frameBytes != 0)
        return Error{spec.path, QStringLiteral("%1 bytes are not whole frames").arg(packedSamples.size()), {}};
    Status written = writeSamples(spec, packedSamples);
    // sf_close does not report every failed header write: read the header back.
    if (const std::int64_t back = framesReadBack(spec.path); written && back != packedSamples.size() / frameBytes)
        written = Error{spec.path, QStringLiteral("reads back with %1 frames, %2 were written").arg(back).arg(packedSamples.size() / frameBytes), {}};
    if (written)
        written = writeTags(spec.path, spec.tags);
    if (written)
        if (const auto problem = finishBroadcastWave(spec.path, spec.ixml))
            written = Error{spec.path, *problem, {}};
    if (!written)
        QFile::remove(spec.path);
    return written;
}

QByteArray stemshipLineLast(const QByteArray &codingHistory)
{
    // libsndfile pads the history with NULs to an even size: they stay at the end.
    qsizetype text = codingHistory.size();
    while (text > 0 && codingHistory.at(text - 1) == '\0')
        --text;
    QByteArray others, ours;
    qsizetype start = 0;
    while (start < text) {
        qsizetype end = codingHistory.indexOf('\n', start);
        end = end < 0 || end >= text ? text : end + 1;
        const QByteArray line = codingHistory.mid(start, end - start);
        (line.contains("T=Stemship") ? ours : others) += line;
        start = end;
    }
    return others + ours + codingHistory.mid(text);
}

std::optional<QString> finishBroadcastWave(const QString &path, const std::optional<io::IxmlFields> &ixml)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite))
        return QStringLiteral("cannot reopen to finish the metadata: ") + file.errorString();
    const QByteArray head = file.read(kHeaderSearchBytes);
    if (head.size() < 12 || !head.startsWith("RIFF") || head.mid(8, 4) != "WAVE")
        return std::nullopt;  // RF64: libsndfile's own chunks stay as written
    for (qsizetype at = 12; at + 8 <= head.size();) {
        const quint32 size = qFromLittleEndian<quint32>(head.constData() + at + 4);
        if (head.mid(at, 4) == "data")
            break;
        if (head.mid(at, 4) == "bext" && size > quint32(io::kBextFixedBytes) && at + 8 + qsizetype(size) <= head.size()) {
            const qsizetype historyAt = at + 8 + io::kBextFixedBytes;
            const QByteArray history = head.mid(historyAt, qsizetype(size) - io::kBextFixedBytes);
            const QByteArray reordered = stemshipLineLast(history);
            if (reordered != history && (!file.seek(historyAt) || file.write(reordered) != reordered.size()))
                return QStringLiteral("cannot rewrite the coding history: ") + file.errorString();
        }
        at += 8 + qsizetype(size) + qsizetype(size & 1);
    }
    if (!ixml)
        return std::nullopt;
    const QByteArray chunk = io::buildIxmlChunk(*ixml);
    const qint64 end = file.size();
    if (end % 2 != 0 || !file.seek(end) || file.write(chunk) != chunk.size())
        return QStringLiteral("cannot append the iXML chunk: ") + file.errorString();
    const auto riffSize = qToLittleEndian<quint32>(quint32(end + chunk.size() - 8));
    if (!file.seek(4) || file.write(reinterpret_cast<const char *>(&riffSize), 4) != 4)
        return QStringLiteral("cannot update the RIFF size: ") + file.errorString();
    if (!file.flush())
        return QStringLiteral("cannot finish the metadata: ") + file.errorString();
    return std::nullopt;
}

}  // namespace stemship::test
