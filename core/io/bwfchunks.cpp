#include "io/bwfchunks.h"

#include <QUuid>
#include <QtEndian>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace stemship::io {
namespace {

constexpr std::int16_t kLoudnessNotSet = 0x7FFF;  // EBU Tech 3285 v2: a loudness field that is not used

void putField(QByteArray *out, const QByteArray &value, int size)
{
    QByteArray field = value.left(size);
    field.resize(size, '\0');
    out->append(field);
}

void putLe(QByteArray *out, std::uint64_t value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out->append(char((value >> (8 * i)) & 0xff));
}

QByteArray chunk(const char id[4], const QByteArray &body)
{
    QByteArray out(id, 4);
    putLe(&out, std::uint64_t(body.size()), 4);
    out += body;
    if (body.size() % 2)
        out.append('\0');  // RIFF: chunks start on even offsets
    return out;
}

}  // namespace

std::int16_t bextLoudnessWord(const std::optional<double> &value)
{
    if (!value || !std::isfinite(*value))
        return kLoudnessNotSet;
    // x100 rounded, kept inside int16 without reaching the "not set" code.
    return std::int16_t(std::clamp(std::lround(*value * 100.0), -32768L, 32766L));
}

namespace {

std::optional<double> decodeLoudness(const char *p)
{
    const auto v = qFromLittleEndian<qint16>(p);
    if (v == kLoudnessNotSet)
        return std::nullopt;
    return double(v) / 100.0;
}

QByteArray field(const QByteArray &body, int offset, int size)
{
    QByteArray f = body.mid(offset, size);
    const qsizetype nul = f.indexOf('\0');
    return nul >= 0 ? f.left(nul) : f;
}

}  // namespace

Umid newBasicUmid(int channels)
{
    // SMPTE ST 330:2011 §5.1: universal label 06 0A 2B 34 01 01 01 05 01 01, material type (0x08 one audio
    // component, 0x09 two or more), number creation method 0x20 (high nibble 2: UUID material number;
    // low nibble 0: instance not defined), then length 0x13, a 3-byte instance number (0: the original)
    // and a 16-byte material number: a random (version 4) UUID.
    Umid umid{};
    const std::uint8_t label[12] = {0x06, 0x0A, 0x2B, 0x34, 0x01, 0x01, 0x01, 0x05, 0x01, 0x01,
                                    std::uint8_t(channels > 1 ? 0x09 : 0x08), 0x20};
    std::memcpy(umid.data(), label, sizeof label);
    umid[12] = 0x13;
    const QByteArray material = QUuid::createUuid().toRfc4122();
    std::memcpy(umid.data() + 16, material.constData(), 16);
    return umid;
}

QString umidToHex(const Umid &umid)
{
    const QByteArray basic(reinterpret_cast<const char *>(umid.data()), 32);
    if (basic.count('\0') == basic.size())
        return {};
    return QString::fromLatin1(basic.toHex());
}

QByteArray encodeBextLoudness(const BextLoudness &l)
{
    QByteArray out;
    for (const auto &v : {l.loudnessValueLufs, l.loudnessRangeLu, l.maxTruePeakLevelDbtp, l.maxMomentaryLoudnessLufs,
                          l.maxShortTermLoudnessLufs})
        putLe(&out, std::uint16_t(bextLoudnessWord(v)), 2);
    return out;
}

QByteArray buildBextChunk(const BextFields &b)
{
    QByteArray body;
    body.reserve(kBextFixedBytes + b.codingHistory.size());
    putField(&body, b.description, 256);
    putField(&body, b.originator, 32);
    putField(&body, b.originatorReference, 32);
    putField(&body, b.originationDate, 10);
    putField(&body, b.originationTime, 8);
    putLe(&body, b.timeReferenceSamples, 8);  // TimeReferenceLow, then High
    putLe(&body, b.version, 2);
    body.append(reinterpret_cast<const char *>(b.umid.data()), qsizetype(b.umid.size()));
    body += encodeBextLoudness(b.loudness);
    body.append(180, '\0');  // Reserved
    body += b.codingHistory;
    return chunk("bext", body);
}

QByteArray r98Line(int sampleRateHz, int bits, const QByteArray &mode, const QByteArray &text)
{
    // EBU R98: A=coding algorithm, F=sampling frequency, W=word length, M=mode, T=free text; CR LF ends it.
    return "A=PCM,F=" + QByteArray::number(sampleRateHz) + ",W=" + QByteArray::number(bits) + ",M=" + mode
        + ",T=" + text + "\r\n";
}

std::optional<BextFields> parseBextBody(const QByteArray &body, QStringList *problems)
{
    // Version 0 bodies end after TimeReference/Version (348 bytes) plus UMID-less padding; anything shorter
    // than Version is not a bext chunk at all.
    constexpr int kUpToVersion = 256 + 32 + 32 + 10 + 8 + 8 + 2;
    if (body.size() < kUpToVersion) {
        problems->append(QStringLiteral("bext chunk is %1 bytes, shorter than the %2 of its fixed fields; ignored")
                             .arg(body.size()).arg(kBextFixedBytes));
        return std::nullopt;
    }
    BextFields b;
    b.description = field(body, 0, 256);
    b.originator = field(body, 256, 32);
    b.originatorReference = field(body, 288, 32);
    b.originationDate = field(body, 320, 10);
    b.originationTime = field(body, 330, 8);
    b.timeReferenceSamples = qFromLittleEndian<quint64>(body.constData() + 338);
    b.version = qFromLittleEndian<quint16>(body.constData() + 346);
    if (body.size() < kBextFixedBytes) {
        problems->append(QStringLiteral("bext chunk is %1 bytes, shorter than the %2 of its fixed fields; only "
                                        "its time reference is used")
                             .arg(body.size()).arg(kBextFixedBytes));
        return b;
    }
    std::memcpy(b.umid.data(), body.constData() + 348, b.umid.size());
    if (b.version >= 2) {
        const char *l = body.constData() + kBextLoudnessOffset;
        b.loudness = {decodeLoudness(l), decodeLoudness(l + 2), decodeLoudness(l + 4), decodeLoudness(l + 6),
                      decodeLoudness(l + 8)};
    }
    b.codingHistory = field(body, kBextFixedBytes, int(body.size()) - kBextFixedBytes);
    return b;
}

QByteArray buildFmtChunk(int channels, int sampleRateHz, int bits, bool isFloat, std::uint32_t channelMask,
                         bool alwaysExtensible)
{
    const int blockAlign = channels * bits / 8;
    QByteArray body;
    const bool extensible = channelMask != 0 || alwaysExtensible;
    putLe(&body, extensible ? 0xFFFE : (isFloat ? 3 : 1), 2);  // WAVE_FORMAT_EXTENSIBLE / IEEE_FLOAT / PCM
    putLe(&body, std::uint64_t(channels), 2);
    putLe(&body, std::uint64_t(sampleRateHz), 4);
    putLe(&body, std::uint64_t(sampleRateHz) * std::uint64_t(blockAlign), 4);
    putLe(&body, std::uint64_t(blockAlign), 2);
    putLe(&body, std::uint64_t(bits), 2);
    if (extensible) {
        putLe(&body, 22, 2);                        // cbSize
        putLe(&body, std::uint64_t(bits), 2);       // wValidBitsPerSample
        putLe(&body, channelMask, 4);               // dwChannelMask
        // SubFormat: KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT, {0000000x-0000-0010-8000-00AA00389B71}.
        putLe(&body, isFloat ? 3 : 1, 4);
        body.append(QByteArray::fromHex("00001000800000aa00389b71"));
    }
    return chunk("fmt ", body);
}

}  // namespace stemship::io
