#include "io/wavheader.h"

#include "io/bwfchunks.h"
#include "io/wavtags.h"

#include <QDateTime>
#include <QtEndian>

#include <algorithm>

namespace stemship::io {
namespace {

// EBU Tech 3306 §4 (and libsndfile's RF64 writer): a RIFF file that may have to become RF64 reserves room for a
// ds64 chunk with a JUNK chunk where ds64 would go.
constexpr int kJunkBytes = 24;

void putLe32(QByteArray *out, std::uint64_t value)
{
    const auto v = qToLittleEndian<quint32>(quint32(value));
    out->append(reinterpret_cast<const char *>(&v), 4);
}

void putLe32At(QByteArray *out, qsizetype at, std::uint64_t value) { qToLittleEndian<quint32>(quint32(value), out->data() + at); }

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

QByteArray WavLayout::headerWith(const BextLoudness &loudness) const
{
    QByteArray out = header;
    if (bextAt >= 0) {
        const QByteArray words = encodeBextLoudness(loudness);
        out.replace(bextAt + kBextLoudnessOffset, words.size(), words);
    }
    return out;
}

namespace {

// The chunks every delivered WAV has before its data, whatever its container.
struct FormatChunks {
    QByteArray fmt, bext, ixml;
};

// RIFF: JUNK (room for ds64), fmt, fact, bext, data; after the samples the tags and iXML.
void layRiff(WavLayout *layout, const FormatChunks &chunks, const QByteArray &tags, std::uint64_t dataBytes)
{
    QByteArray &h = layout->header;
    h = chunkHeader("RIFF", 0) + "WAVE" + chunkHeader("JUNK", kJunkBytes) + QByteArray(kJunkBytes, '\0') + chunks.fmt;
    h += chunkHeader("fact", 4);  // WAVE_FORMAT_EXTENSIBLE: the length in frames
    layout->factFramesAt = h.size();
    putLe32(&h, std::uint64_t(layout->frames));
    layout->bextAt = h.size() + 8;
    h += chunks.bext + chunkHeader("data", dataBytes);
    layout->tail = tags + chunks.ixml;
    // Too long for RIFF: the size says "unknown" (0xFFFFFFFF), and fitsRiff tells the caller to lay out RF64.
    const std::uint64_t total = layout->bytes(layout->frames);
    putLe32At(&h, 4, total - 8 <= 0xffffffffull ? total - 8 : 0xffffffffull);
}

// RF64 (EBU Tech 3306 §3): the 32-bit sizes say 0xFFFFFFFF and ds64 holds the RIFF and data sizes and the frames.
void layRf64(WavLayout *layout, const FormatChunks &chunks, std::uint64_t dataBytes)
{
    layout->rf64 = true;
    layout->tail.clear();
    QByteArray body(28, '\0');  // RIFF size, data size, sample count (64-bit each), table length 0
    QByteArray &h = layout->header;
    h = chunkHeader("RF64", 0xffffffffull) + "WAVE" + chunkHeader("ds64", 28) + body + chunks.fmt;
    h += chunkHeader("fact", 4);
    layout->factFramesAt = h.size();
    putLe32(&h, std::min<std::uint64_t>(std::uint64_t(layout->frames), 0xffffffffull));  // the true count is ds64's
    layout->bextAt = h.size() + 8;
    h += chunks.bext + chunks.ixml + chunkHeader("data", 0xffffffffull);
    const std::uint64_t total = layout->bytes(layout->frames);
    qToLittleEndian<quint64>(total - 8, h.data() + 20);
    qToLittleEndian<quint64>(dataBytes, h.data() + 28);
    qToLittleEndian<quint64>(quint64(layout->frames), h.data() + 36);
}

}  // namespace

Result<WavLayout> wavLayoutFor(const WavWriterSpec &spec, std::int64_t frames)
{
    const bool isFloat = spec.encoding == SampleEncoding::Float32;
    const int bits = bitsOf(spec.encoding);
    if (spec.channels < 1 || spec.channels > 64 || spec.sampleRateHz < 1 || frames < 0)
        return Error{spec.path, QStringLiteral("unsupported output format (%1 Hz, %2 channels)").arg(spec.sampleRateHz).arg(spec.channels), {}};
    WavLayout layout;
    layout.frameBytes = std::int64_t(bits / 8) * spec.channels;
    layout.frames = frames;
    const std::uint64_t dataBytes = std::uint64_t(frames) * std::uint64_t(layout.frameBytes);
    if (dataBytes % 2)
        layout.gap = QByteArray(1, '\0');
    // libsndfile's RF64 writer uses WAVE_FORMAT_EXTENSIBLE for every channel count; the mask names the speakers.
    const std::uint32_t mask = spec.channelMask != 0 ? spec.channelMask : defaultChannelMask(spec.channels);
    const FormatChunks chunks{buildFmtChunk(spec.channels, spec.sampleRateHz, bits, isFloat, mask, true),
                              buildBextChunk(bextFieldsOf(spec.bext)), spec.ixml ? buildIxmlChunk(*spec.ixml) : QByteArray()};
    layRiff(&layout, chunks, wavTagChunks(spec.tags), dataBytes);
    if (!layout.fitsRiff(frames))
        layRf64(&layout, chunks, dataBytes);
    return layout;
}

}  // namespace stemship::io
