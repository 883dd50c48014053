#include "io/wavwriter.h"

#include "io/atomicfile.h"
#include "io/wavtags.h"

#include <QDateTime>
#include <QFile>

#include <sndfile.h>
#include <taglib/id3v2tag.h>
#include <taglib/infotag.h>
#include <taglib/wavfile.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <vector>

namespace stemship::io {
namespace {

int subtypeOf(SampleEncoding encoding)
{
    switch (encoding) {
    case SampleEncoding::Pcm16: return SF_FORMAT_PCM_16;
    case SampleEncoding::Pcm24: return SF_FORMAT_PCM_24;
    case SampleEncoding::Pcm32: return SF_FORMAT_PCM_32;
    case SampleEncoding::Float32: return SF_FORMAT_FLOAT;
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

Status writeTags(const QString &path, const WavTags &tags)
{
    if (!hasTags(tags))
        return {};
    const QByteArray name = QFile::encodeName(path);
    TagLib::RIFF::WAV::File file(name.constData(), false);
    if (!file.isValid())
        return {};  // an RF64 file larger than 4 GiB: TagLib cannot tag it; the bext chunk still identifies it
    applyWavTags(tags, file.ID3v2Tag(), file.InfoTag());
    if (!file.save(TagLib::RIFF::WAV::File::AllTags, TagLib::File::StripOthers, TagLib::ID3v2::v4))
        return Error{path, QStringLiteral("cannot write tags"), {}};
    return {};
}

}  // namespace

int bitsOf(SampleEncoding encoding)
{
    switch (encoding) {
    case SampleEncoding::Pcm16: return 16;
    case SampleEncoding::Pcm24: return 24;
    case SampleEncoding::Pcm32:
    case SampleEncoding::Float32: return 32;
    }
    return 24;
}

std::optional<SampleEncoding> pcmEncodingForBits(int bits)
{
    switch (bits) {
    case 16: return SampleEncoding::Pcm16;
    case 24: return SampleEncoding::Pcm24;
    case 32: return SampleEncoding::Pcm32;
    default: return std::nullopt;
    }
}

struct WavWriter::Impl {
    WavWriterSpec spec;
    QString temp;
    SNDFILE *file = nullptr;
    std::int64_t frames = 0;
    bool committed = false;

    Error fail(const QString &what) const { return Error{spec.path, what, {}}; }
    void close()
    {
        if (file)
            sf_close(file);
        file = nullptr;
    }
};

WavWriter::WavWriter() = default;
WavWriter::~WavWriter() { discard(); }
WavWriter::WavWriter(WavWriter &&) noexcept = default;
WavWriter &WavWriter::operator=(WavWriter &&other) noexcept
{
    if (this != &other) {
        discard();
        m_impl = std::move(other.m_impl);
    }
    return *this;
}

Result<WavWriter> WavWriter::create(const WavWriterSpec &spec)
{
    WavWriter writer;
    writer.m_impl = std::make_unique<Impl>();
    Impl &d = *writer.m_impl;
    d.spec = spec;
    d.temp = tempPathBeside(spec.path);

    SF_INFO info{};
    info.samplerate = spec.sampleRateHz;
    info.channels = spec.channels;
    // RF64 that downgrades itself to plain WAV when the data stays under 4 GiB (EBU Tech 3306).
    info.format = SF_FORMAT_RF64 | subtypeOf(spec.encoding);
    if (!sf_format_check(&info))
        return d.fail(QStringLiteral("unsupported output format (%1 Hz, %2 channels)").arg(spec.sampleRateHz).arg(spec.channels));
    d.file = sf_open(QFile::encodeName(d.temp).constData(), SFM_WRITE, &info);
    if (!d.file)
        return d.fail(QStringLiteral("cannot create: ") + QString::fromLocal8Bit(sf_strerror(nullptr)));
    sf_command(d.file, SFC_RF64_AUTO_DOWNGRADE, nullptr, SF_TRUE);
    sf_command(d.file, SFC_SET_CLIPPING, nullptr, SF_TRUE);
    sf_command(d.file, SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE);

    if (spec.channelMask != 0 && !setChannelMask(d.file, spec.channels, spec.channelMask)) {
        writer.discard();
        return Error{spec.path, QStringLiteral("cannot write channel mask 0x%1").arg(spec.channelMask, 0, 16), {}};
    }

    SF_BROADCAST_INFO bext{};
    const BroadcastInfo &b = spec.bext;
    copyField(bext.description, sizeof bext.description, b.description);
    copyField(bext.originator, sizeof bext.originator, b.originator);
    copyField(bext.originator_reference, sizeof bext.originator_reference, b.originatorReference);
    const QDateTime now = b.originated.isValid() ? b.originated : QDateTime::currentDateTime();
    copyField(bext.origination_date, sizeof bext.origination_date, now.toString(QStringLiteral("yyyy-MM-dd")));
    copyField(bext.origination_time, sizeof bext.origination_time, now.toString(QStringLiteral("HH:mm:ss")));
    bext.time_reference_low = std::uint32_t(b.timeReferenceSamples & 0xffffffffu);
    bext.time_reference_high = std::uint32_t(b.timeReferenceSamples >> 32);
    // Version 2 always (EBU Tech 3285 v2): fields not measured say so with 0x7fff.
    bext.version = 2;
    std::memcpy(bext.umid, b.umid.data(), sizeof bext.umid);
    // EBU Tech 3285 v2: hundredths in 16 bits, 0x7fff for a field that was not measured.
    bext.loudness_value = bextLoudnessWord(b.integratedLufs);
    bext.loudness_range = bextLoudnessWord(b.loudnessRangeLu);
    bext.max_true_peak_level = bextLoudnessWord(b.maxTruePeakDbtp);
    bext.max_momentary_loudness = bextLoudnessWord(b.maxMomentaryLufs);
    bext.max_shortterm_loudness = bextLoudnessWord(b.maxShortTermLufs);
    QByteArray history = b.codingHistory.toLatin1();
    if (!history.isEmpty() && !history.endsWith("\r\n"))
        history += "\r\n";
    copyField(bext.coding_history, sizeof bext.coding_history, QString::fromLatin1(history));
    bext.coding_history_size = std::uint32_t(std::min<qsizetype>(history.size(), qsizetype(sizeof bext.coding_history)));
    if (sf_command(d.file, SFC_SET_BROADCAST_INFO, &bext, sizeof bext) != SF_TRUE) {
        writer.discard();
        return Error{spec.path, QStringLiteral("cannot write the bext chunk"), {}};
    }
    return writer;
}

Status WavWriter::writeFloat(const float *interleaved, std::int64_t frames)
{
    if (!m_impl || !m_impl->file)
        return Error{{}, QStringLiteral("writer is not open"), {}};
    if (frames <= 0)
        return {};
    const sf_count_t done = sf_writef_float(m_impl->file, interleaved, frames);
    if (done != frames)
        return m_impl->fail(QStringLiteral("write failed after %1 frames: %2")
                                .arg(m_impl->frames + done).arg(QString::fromLocal8Bit(sf_strerror(m_impl->file))));
    m_impl->frames += frames;
    return {};
}

Status WavWriter::writePcm(const std::int32_t *interleaved, std::int64_t frames)
{
    if (!m_impl || !m_impl->file)
        return Error{{}, QStringLiteral("writer is not open"), {}};
    if (frames <= 0)
        return {};
    const sf_count_t done = sf_writef_int(m_impl->file, interleaved, frames);
    if (done != frames)
        return m_impl->fail(QStringLiteral("write failed after %1 frames: %2")
                                .arg(m_impl->frames + done).arg(QString::fromLocal8Bit(sf_strerror(m_impl->file))));
    m_impl->frames += frames;
    return {};
}

Status WavWriter::writePacked(const void *bytes, std::int64_t frames)
{
    if (!m_impl || !m_impl->file)
        return Error{{}, QStringLiteral("writer is not open"), {}};
    if (frames <= 0)
        return {};
    const sf_count_t frameBytes = sf_count_t(bitsOf(m_impl->spec.encoding) / 8) * m_impl->spec.channels;
    const sf_count_t done = sf_write_raw(m_impl->file, bytes, frames * frameBytes);
    if (done != frames * frameBytes)
        return m_impl->fail(QStringLiteral("write failed after %1 frames: %2")
                                .arg(m_impl->frames + std::max<sf_count_t>(0, done) / frameBytes)
                                .arg(QString::fromLocal8Bit(sf_strerror(m_impl->file))));
    m_impl->frames += frames;
    return {};
}

Status WavWriter::commit()
{
    if (!m_impl || !m_impl->file)
        return Error{{}, QStringLiteral("writer is not open"), {}};
    Impl &d = *m_impl;
    if (d.spec.syncToDisk)
        sf_write_sync(d.file);
    const int closeError = sf_close(d.file);
    d.file = nullptr;
    if (closeError != 0) {
        discard();
        return d.fail(QStringLiteral("cannot finish the file: ") + QString::fromLocal8Bit(sf_error_number(closeError)));
    }
    // sf_close does not report every failed header write: read the header back.
    SF_INFO check{};
    SNDFILE *readBack = sf_open(QFile::encodeName(d.temp).constData(), SFM_READ, &check);
    const sf_count_t framesBack = readBack ? check.frames : -1;
    if (readBack)
        sf_close(readBack);
    if (framesBack != d.frames) {
        const Error error = d.fail(QStringLiteral("file reads back with %1 frames, %2 were written (disk full?)")
                                       .arg(framesBack).arg(d.frames));
        discard();
        return error;
    }
    if (Status tags = writeTags(d.temp, d.spec.tags); !tags) {
        discard();
        return tags.error();
    }
    if (const auto problem = finishBroadcastWave(d.temp, d.spec.ixml)) {
        const Error error = d.fail(*problem);
        discard();
        return error;
    }
    // The tags were written after sf_write_sync: a durable commit syncs them too.
    const Durability durability = d.spec.syncToDisk ? Durability::Durable : Durability::Volatile;
    if (Status moved = commitRename(d.temp, d.spec.path, durability); !moved) {
        discard();
        return moved;
    }
    d.committed = true;
    return {};
}

void WavWriter::discard()
{
    if (!m_impl)
        return;
    m_impl->close();
    if (!m_impl->committed && !m_impl->temp.isEmpty())
        QFile::remove(m_impl->temp);
    m_impl->temp.clear();
}

std::int64_t WavWriter::framesWritten() const { return m_impl ? m_impl->frames : 0; }

const QString &WavWriter::tempPath() const
{
    static const QString none;
    return m_impl ? m_impl->temp : none;
}

}  // namespace stemship::io
