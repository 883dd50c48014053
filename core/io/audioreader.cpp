#include "io/audioreader.h"

#include "io/containerprobe.h"

#include <QFile>
#include <QIODevice>

#include <sndfile.h>

#include <algorithm>
#include <cerrno>
#include <iterator>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace stemship::io {
namespace {

QString sfError(SNDFILE *file) { return QString::fromUtf8(sf_strerror(file)).trimmed(); }

QString formatName(int format, const ContainerFacts &facts)
{
    switch (format & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_WAV:
    case SF_FORMAT_WAVEX: return QStringLiteral("WAV");
    case SF_FORMAT_RF64: return QStringLiteral("RF64");
    case SF_FORMAT_W64: return QStringLiteral("W64");
    case SF_FORMAT_AIFF: return facts.container == QLatin1String("AIFC") ? QStringLiteral("AIFC") : QStringLiteral("AIFF");
    case SF_FORMAT_FLAC: return QStringLiteral("FLAC");
    case SF_FORMAT_CAF: return QStringLiteral("CAF");
    case SF_FORMAT_OGG: return QStringLiteral("OGG");
    case SF_FORMAT_AU: return QStringLiteral("AU");
    case SF_FORMAT_RAW: return QStringLiteral("RAW");
    case SF_FORMAT_MPEG: return QStringLiteral("MPEG");
    default: {
        SF_FORMAT_INFO info{};
        info.format = format & SF_FORMAT_TYPEMASK;
        if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &info, sizeof info) == 0 && info.extension)
            return QString::fromLatin1(info.extension).toUpper();
        return QStringLiteral("UNKNOWN");
    }
    }
}

void describeSampleFormat(int format, AudioInfo *info)
{
    struct Sub { int code; const char *name; int bits; bool isFloat; bool lossy; };
    static constexpr Sub kSubtypes[] = {
        {SF_FORMAT_PCM_S8, "pcm_s8", 8, false, false},     {SF_FORMAT_PCM_U8, "pcm_u8", 8, false, false},
        {SF_FORMAT_PCM_16, "pcm_s16", 16, false, false},   {SF_FORMAT_PCM_24, "pcm_s24", 24, false, false},
        {SF_FORMAT_PCM_32, "pcm_s32", 32, false, false},   {SF_FORMAT_FLOAT, "float32", 0, true, false},
        {SF_FORMAT_DOUBLE, "float64", 0, true, false},     {SF_FORMAT_VORBIS, "vorbis", 0, false, true},
        {SF_FORMAT_OPUS, "opus", 0, false, true},          {SF_FORMAT_ULAW, "ulaw", 0, false, true},
        {SF_FORMAT_ALAW, "alaw", 0, false, true},          {SF_FORMAT_IMA_ADPCM, "ima_adpcm", 0, false, true},
        {SF_FORMAT_MS_ADPCM, "ms_adpcm", 0, false, true},  {SF_FORMAT_ALAC_16, "alac16", 16, false, false},
        {SF_FORMAT_ALAC_20, "alac20", 20, false, false},   {SF_FORMAT_ALAC_24, "alac24", 24, false, false},
        {SF_FORMAT_ALAC_32, "alac32", 32, false, false},   {SF_FORMAT_MPEG_LAYER_III, "mp3", 0, false, true},
        {SF_FORMAT_MPEG_LAYER_II, "mp2", 0, false, true},  {SF_FORMAT_MPEG_LAYER_I, "mp1", 0, false, true},
    };
    const int sub = format & SF_FORMAT_SUBMASK;
    for (const Sub &s : kSubtypes) {
        if (s.code == sub) {
            info->sampleFormat = QString::fromLatin1(s.name);
            info->isFloat = s.isFloat;
            info->lossy = s.lossy;
            if (s.bits > 0)
                info->bitDepth = s.bits;
            return;
        }
    }
    info->sampleFormat = QStringLiteral("other");
}

// libsndfile's virtual I/O over a random-access QIODevice (zip entries).
sf_count_t vioLength(void *user) { return static_cast<QIODevice *>(user)->size(); }
sf_count_t vioSeek(sf_count_t offset, int whence, void *user)
{
    auto *device = static_cast<QIODevice *>(user);
    qint64 target = offset;
    if (whence == SEEK_CUR)
        target = device->pos() + offset;
    else if (whence == SEEK_END)
        target = device->size() + offset;
    if (target < 0 || !device->seek(target))
        return -1;
    return device->pos();
}
sf_count_t vioRead(void *ptr, sf_count_t count, void *user)
{
    const qint64 n = static_cast<QIODevice *>(user)->read(static_cast<char *>(ptr), count);
    return n < 0 ? 0 : n;
}
sf_count_t vioWrite(const void *, sf_count_t, void *) { return 0; }
sf_count_t vioTell(void *user) { return static_cast<QIODevice *>(user)->pos(); }

bool looksLikeAudioContainer(const ReadAtFn &readAt)
{
    char magic[4]{};
    if (readAt(0, magic, 4) != 4)
        return false;
    static const char *kMagics[] = {"RIFF", "RF64", "BW64", "FORM", "fLaC", "OggS", "caff", "riff", ".snd", "ID3"};
    for (const char *m : kMagics)
        if (std::memcmp(magic, m, std::strlen(m)) == 0)
            return true;
    return false;
}

}  // namespace

struct AudioReader::Impl {
    SNDFILE *file = nullptr;
    std::unique_ptr<QIODevice> device;
    SF_VIRTUAL_IO vio{};
    AudioInfo info;
    Error lastError;
    std::int64_t framesRead = 0;

    ~Impl()
    {
        if (file)
            sf_close(file);
    }
};

AudioReader::AudioReader() = default;
AudioReader::~AudioReader() = default;
AudioReader::AudioReader(AudioReader &&) noexcept = default;
AudioReader &AudioReader::operator=(AudioReader &&) noexcept = default;

const AudioInfo &AudioReader::info() const { return m_impl->info; }
Error AudioReader::lastError() const { return m_impl->lastError; }

namespace {

// Fills info from an open SNDFILE and the container facts; returns an error for absurd headers.
std::optional<Error> describe(SNDFILE *file, const SF_INFO &sf, const ContainerFacts &facts, std::int64_t fileSize,
                              AudioInfo *info)
{
    const QString &path = info->path;
    info->fileSizeBytes = fileSize;
    info->format = formatName(sf.format, facts);
    describeSampleFormat(sf.format, info);
    info->sampleRateHz = sf.samplerate;
    info->channels = sf.channels;
    info->frames = sf.frames;
    info->declaredFrames = sf.frames;
    info->channelMask = facts.channelMask;
    if (sf.channels < 1 || sf.channels > kMaxChannels)
        return Error{path, QStringLiteral("%1 channels is not a stem (at most %2)").arg(sf.channels).arg(kMaxChannels),
                     ErrorCode::Unreadable};
    if (sf.samplerate < kMinSampleRateHz || sf.samplerate > kMaxSampleRateHz)
        return Error{path, QStringLiteral("sample rate %1 Hz is outside %2..%3 Hz").arg(sf.samplerate)
                               .arg(kMinSampleRateHz).arg(kMaxSampleRateHz), ErrorCode::Unreadable};
    if (sf.frames < 0)
        return Error{path, QStringLiteral("header declares a negative length"), ErrorCode::Unreadable};

    const int bytesPerFrame = facts.blockAlign > 0 ? facts.blockAlign
                              : info->bitDepth ? sf.channels * ((*info->bitDepth + 7) / 8) : 0;
    if (facts.dataChunkFound && facts.declaredDataBytes >= 0 && bytesPerFrame > 0) {
        info->declaredFrames = facts.declaredDataBytes / bytesPerFrame;
        const std::int64_t declaredEnd = facts.dataOffset + facts.declaredDataBytes;
        if (declaredEnd > fileSize && info->declaredFrames > sf.frames) {
            info->truncated = true;
            info->truncationDetail = QStringLiteral("data chunk ends at byte %1, header says %2")
                                         .arg(fileSize).arg(declaredEnd);
        }
    }

    SF_BROADCAST_INFO bext{};
    if (sf_command(file, SFC_GET_BROADCAST_INFO, &bext, sizeof bext) == SF_TRUE) {
        info->timeReferenceSamples = (std::uint64_t(bext.time_reference_high) << 32) | bext.time_reference_low;
        info->bextDescription = QString::fromUtf8(bext.description, int(strnlen(bext.description, sizeof bext.description)));
        info->bextOriginator = QString::fromUtf8(bext.originator, int(strnlen(bext.originator, sizeof bext.originator)));
    }
    return std::nullopt;
}

void keepMetadata(BwfMetadata metadata, AudioInfo *info)
{
    info->bext = std::move(metadata.bext);
    info->ixml = std::move(metadata.ixml);
    info->metadataProblems = std::move(metadata.problems);
}

// WAVE encodings libsndfile decodes (PCM, MS ADPCM, IEEE float, A-law, mu-law, IMA ADPCM, GSM 6.10, G.721,
// MPEG layer 3, extensible). For any other tag it reports a malformed fmt chunk, which is really an encoding it
// does not decode: `unsupported_format`, not `unreadable`.
bool decodableWaveTag(int tag)
{
    static constexpr int kTags[] = {0x0001, 0x0002, 0x0003, 0x0006, 0x0007, 0x0011, 0x0031, 0x0040, 0x0055, 0xFFFE};
    return std::find(std::begin(kTags), std::end(kTags), tag) != std::end(kTags);
}

Error openError(const QString &path, const QString &why, bool audioMagic, const ContainerFacts &facts)
{
    if (audioMagic && facts.waveFormatTag >= 0 && !decodableWaveTag(facts.waveFormatTag))
        return Error{path, QStringLiteral("unsupported audio encoding: WAVE format tag 0x%1 is not one libsndfile decodes")
                               .arg(facts.waveFormatTag, 4, 16, QLatin1Char('0')),
                     ErrorCode::UnsupportedFormat};
    const QString lower = why.toLower();
    const bool unsupported = audioMagic && (lower.contains(QLatin1String("unsupported"))
                                            || lower.contains(QLatin1String("not supported"))
                                            || lower.contains(QLatin1String("unknown format"))
                                            || lower.contains(QLatin1String("codec")));
    return Error{path, (unsupported ? QStringLiteral("unsupported audio encoding: ") : QStringLiteral("not readable as audio: ")) + why,
                 unsupported ? ErrorCode::UnsupportedFormat : ErrorCode::Unreadable};
}

}  // namespace

Result<AudioReader> AudioReader::open(const QString &path)
{
    const QByteArray name = QFile::encodeName(path);
    // O_NONBLOCK so a FIFO cannot hang the open; fstat then refuses anything but a regular file.
    const int fd = ::open(name.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return Error{path, QString::fromLocal8Bit(std::strerror(errno)), ErrorCode::Unreadable};
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        const QString what = S_ISDIR(st.st_mode) ? QStringLiteral("is a directory, not an audio file")
                                                 : QStringLiteral("is not a regular file (FIFO, device or socket)");
        return Error{path, what, ErrorCode::Unreadable};
    }
    if (st.st_size == 0) {
        ::close(fd);
        return Error{path, QStringLiteral("empty file (0 bytes)"), ErrorCode::Unreadable};
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);

    const ReadAtFn readAt = [fd](std::int64_t offset, char *out, std::int64_t size) -> std::int64_t {
        return ::pread(fd, out, size_t(size), off_t(offset));
    };
    const ContainerFacts facts = probeContainer(readAt, st.st_size);
    const bool audioMagic = looksLikeAudioContainer(readAt);
    BwfMetadata metadata = readBwfMetadata(readAt, st.st_size);

    SF_INFO sf{};
    SNDFILE *file = sf_open_fd(fd, SFM_READ, &sf, SF_TRUE);
    if (!file) {
        const QString why = sfError(nullptr);
        ::close(fd);  // sf_open_fd does not close the descriptor when it fails
        return openError(path, why, audioMagic, facts);
    }
    AudioReader reader;
    reader.m_impl = std::make_unique<Impl>();
    reader.m_impl->file = file;
    reader.m_impl->info.path = path;
    if (auto error = describe(file, sf, facts, st.st_size, &reader.m_impl->info))
        return *error;
    keepMetadata(std::move(metadata), &reader.m_impl->info);
    return reader;
}

Result<AudioReader> AudioReader::openDevice(std::unique_ptr<QIODevice> device, const QString &displayName)
{
    if (!device || !device->isOpen() || device->isSequential())
        return Error{displayName, QStringLiteral("cannot be read in place"), ErrorCode::Unreadable};
    const std::int64_t size = device->size();
    if (size == 0)
        return Error{displayName, QStringLiteral("empty file (0 bytes)"), ErrorCode::Unreadable};
    QIODevice *raw = device.get();
    const ReadAtFn readAt = [raw](std::int64_t offset, char *out, std::int64_t n) -> std::int64_t {
        return raw->seek(offset) ? raw->read(out, n) : -1;
    };
    const ContainerFacts facts = probeContainer(readAt, size);
    const bool audioMagic = looksLikeAudioContainer(readAt);
    BwfMetadata metadata = readBwfMetadata(readAt, size);
    raw->seek(0);

    AudioReader reader;
    reader.m_impl = std::make_unique<Impl>();
    Impl &impl = *reader.m_impl;
    impl.device = std::move(device);
    impl.vio = SF_VIRTUAL_IO{vioLength, vioSeek, vioRead, vioWrite, vioTell};
    impl.info.path = displayName;
    SF_INFO sf{};
    impl.file = sf_open_virtual(&impl.vio, SFM_READ, &sf, raw);
    if (!impl.file)
        return openError(displayName, sfError(nullptr), audioMagic, facts);
    if (auto error = describe(impl.file, sf, facts, size, &impl.info))
        return *error;
    keepMetadata(std::move(metadata), &impl.info);
    return reader;
}

std::int64_t AudioReader::read(float *out, std::int64_t frames)
{
    Impl &impl = *m_impl;
    sf_count_t got = sf_readf_float(impl.file, out, frames);
    const bool failed = got < 0 || (got == 0 && sf_error(impl.file) != SF_ERR_NO_ERROR);
    if (failed && impl.framesRead == 0) {
        impl.lastError = Error{impl.info.path, QStringLiteral("read error: ") + sfError(impl.file),
                               ErrorCode::Unreadable};
        return -1;
    }
    if (failed)
        got = 0;
    impl.framesRead += got;
    if (got < frames && impl.framesRead < impl.info.frames && !impl.info.truncated) {
        // A compressed stream (FLAC, Ogg) that ends, or loses sync, before the frame count its header
        // declares: the readable part is still delivered and measured.
        impl.info.truncated = true;
        impl.info.truncationDetail = QStringLiteral("stream ends at frame %1, header says %2")
                                         .arg(impl.framesRead).arg(impl.info.frames);
        if (failed)
            impl.info.truncationDetail += QStringLiteral(" (") + sfError(impl.file) + QLatin1Char(')');
        impl.info.frames = impl.framesRead;
    }
    return got;
}

bool AudioReader::seek(std::int64_t frame)
{
    if (sf_seek(m_impl->file, frame, SEEK_SET) < 0)
        return false;
    m_impl->framesRead = frame;
    return true;
}

}  // namespace stemship::io
