#include "io/wavheader.h"

#include "io/bwfchunks.h"
#include "io/wavtags.h"

#include <QDateTime>
#include <QtEndian>

namespace stemship::io {
namespace {

// EBU Tech 3306 §4 (and libsndfile's RF64 writer): a RIFF file that may have to become RF64 reserves room for the
// ds64 chunk with a JUNK chunk of the same place.
constexpr int kJunkBytes = 24;

void putLe32(QByteArray *out, std::uint64_t value)
{
    const auto v = qToLittleEndian<quint32>(quint32(value));
    out->append(reinterpret_cast<const char *>(&v), 4);
}

QByteArray chunkHeader(const char id[4], std::uint64_t size)
{
    QByteArray out(id, 4);
    putLe32(&out, size);
    return out;
}

QByteArray ascii(const QString &text) { return text.toLatin1(); }  // bext text fields are ASCII (EBU Tech 3285 §2.3)

}  // namespace

std::uint32_t defaultChannelMask(int channels)
{
    switch (channels) {
    case 1: return 0x4;    // SPEAKER_FRONT_CENTER
    case 2: return 0x3;    // SPEAKER_FRONT_LEFT | SPEAKER_FRONT_RIGHT
    case 4: return 0x33;   // quad: front and back pairs
    case 6: return 0x3F;   // 5.1 on the back bits
    case 8: return 0xFF;   // 5.1 and the front left/right of centre
    default: return 0;
    }
}

BextFields bextFieldsOf(const BroadcastInfo &b)
{
    BextFields f;
    f.description = ascii(b.description).left(256);
    f.originator = ascii(b.originator).left(32);
    f.originatorReference = ascii(b.originatorReference).left(32);
    const QDateTime when = b.originated.isValid() ? b.originated : QDateTime::currentDateTime();
    f.originationDate = ascii(when.toString(QStringLiteral("yyyy-MM-dd")));
    f.originationTime = ascii(when.toString(QStringLiteral("HH:mm:ss")));
    f.timeReferenceSamples = b.timeReferenceSamples;
    f.version = 2;  // always (EBU Tech 3285 v2): a field not measured says so with 0x7FFF
    f.umid = b.umid;
    f.loudness = {b.integratedLufs, b.loudnessRangeLu, b.maxTruePeakDbtp, b.maxMomentaryLufs, b.maxShortTermLufs};
    f.codingHistory = ascii(b.codingHistory);
    if (!f.codingHistory.isEmpty() && !f.codingHistory.endsWith("\r\n"))
        f.codingHistory += "\r\n";  // EBU R98: every line ends in CR LF
    if (f.codingHistory.size() % 2)
        f.codingHistory += '\0';  // the chunk keeps an even size, its history NUL-padded (as libsndfile wrote it)
    return f;
}

Result<WavLayout> wavLayoutFor(const WavWriterSpec &spec, std::int64_t frames)
{
    const bool isFloat = spec.encoding == SampleEncoding::Float32;
    const int bits = bitsOf(spec.encoding);
    if (spec.channels < 1 || spec.channels > 64 || spec.sampleRateHz < 1 || frames < 0)
        return Error{spec.path, QStringLiteral("unsupported output format (%1 Hz, %2 channels)").arg(spec.sampleRateHz).arg(spec.channels), {}};
    WavLayout layout;
    layout.frameBytes = std::int64_t(bits / 8) * spec.channels;
    const std::uint64_t dataBytes = std::uint64_t(frames) * std::uint64_t(layout.frameBytes);

    QByteArray &h = layout.header;
    h = chunkHeader("RIFF", 0) + "WAVE" + chunkHeader("JUNK", kJunkBytes) + QByteArray(kJunkBytes, '\0');
    // libsndfile's RF64 writer uses WAVE_FORMAT_EXTENSIBLE for every channel count; the mask names the speakers.
    const std::uint32_t mask = spec.channelMask != 0 ? spec.channelMask : defaultChannelMask(spec.channels);
    h += buildFmtChunk(spec.channels, spec.sampleRateHz, bits, isFloat, mask, true);
    h += chunkHeader("fact", 4);  // WAVE_FORMAT_EXTENSIBLE: the length in frames
    layout.factFramesAt = h.size();
    putLe32(&h, std::uint64_t(frames));
    const QByteArray bext = buildBextChunk(bextFieldsOf(spec.bext));
    layout.bextAt = h.size() + 8;
    h += bext;
    h += chunkHeader("data", dataBytes);

    if (dataBytes % 2)
        layout.gap = QByteArray(1, '\0');
    layout.tail = wavTagChunks(spec.tags);
    if (spec.ixml)
        layout.tail += buildIxmlChunk(*spec.ixml);
    // Too long for RIFF: the size says "unknown" (0xFFFFFFFF), and fitsRiff tells the caller to write RF64.
    qToLittleEndian<quint32>(quint32(layout.fitsRiff(frames) ? layout.bytes(frames) - 8 : 0xffffffffull), h.data() + 4);
    return layout;
}

}  // namespace stemship::io
