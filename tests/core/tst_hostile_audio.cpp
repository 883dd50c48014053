// Malformed-audio corpus: every file is built byte by byte here; the reader must answer each one with a clean
// Error naming the file (or open it with a sane header), never crash, hang or read past what it promised.

#include "io/audioreader.h"
#include "testsignals.h"

#include <QBuffer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstring>

using namespace stemship;

namespace {

// What a case must produce. "error:CODE" demands that code; "error" accepts unreadable or unsupported_format;
// "truncated" demands an open reader flagged truncated; "ok" an open, untruncated reader; "sane" accepts an
// error or an open reader, but an open one must have a plausible header and deliver exactly info().frames.
using Bytes = QByteArray;

void put(Bytes &out, std::uint64_t value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out.append(char((value >> (8 * i)) & 0xff));
}
void putBe(Bytes &out, std::uint64_t value, int bytes)
{
    for (int i = bytes - 1; i >= 0; --i)
        out.append(char((value >> (8 * i)) & 0xff));
}
Bytes le16(std::uint64_t v) { Bytes b; put(b, v, 2); return b; }
Bytes le32(std::uint64_t v) { Bytes b; put(b, v, 4); return b; }
Bytes le64(std::uint64_t v) { Bytes b; put(b, v, 8); return b; }
Bytes be16(std::uint64_t v) { Bytes b; putBe(b, v, 2); return b; }
Bytes be32(std::uint64_t v) { Bytes b; putBe(b, v, 4); return b; }

// A RIFF-style chunk; declared overrides the size field (a lying chunk), the body is padded to even length.
Bytes chunk(const char *id, const Bytes &body, std::optional<std::uint64_t> declared = {})
{
    Bytes c(id, 4);
    c += le32(declared.value_or(std::uint64_t(body.size())));
    c += body;
    if (body.size() & 1)
        c.append('\0');
    return c;
}

Bytes fmtBody(int tag, int channels, std::uint32_t rate, int bits, std::optional<int> blockAlign = {})
{
    const int align = blockAlign.value_or(channels * ((bits + 7) / 8));
    Bytes b = le16(std::uint64_t(tag)) + le16(std::uint64_t(channels)) + le32(rate)
            + le32(std::uint64_t(rate) * std::uint64_t(align)) + le16(std::uint64_t(align)) + le16(std::uint64_t(bits));
    return b;
}

// Deterministic 16-bit PCM noise: real sample data.
Bytes pcm16(int frames, int channels)
{
    Bytes b;
    std::uint32_t x = 2463534242u;
    for (int i = 0; i < frames * channels; ++i) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        put(b, (x >> 16) & 0x3fff, 2);
    }
    return b;
}

Bytes riff(const Bytes &chunks, std::optional<std::uint64_t> riffSize = {}, const char *magic = "RIFF")
{
    return Bytes(magic, 4) + le32(riffSize.value_or(std::uint64_t(chunks.size() + 4))) + Bytes("WAVE", 4) + chunks;
}

Bytes wav(int channels, std::uint32_t rate, int bits, const Bytes &data, std::optional<std::uint64_t> declaredData = {},
          const Bytes &extraChunks = {}, int tag = 1)
{
    return riff(chunk("fmt ", fmtBody(tag, channels, rate, bits)) + extraChunks + chunk("data", data, declaredData));
}

Bytes goodWav() { return wav(2, 48000, 16, pcm16(4800, 2)); }

Bytes randomBytes(int n, std::uint32_t seed)
{
    Bytes b(n, '\0');
    for (auto &c : b) {
        seed = seed * 1664525u + 1013904223u;
        c = char(seed >> 24);
    }
    return b;
}

Bytes float32Wav(const std::vector<float> &samples)
{
    Bytes data;
    for (float f : samples) {
        std::uint32_t u;
        std::memcpy(&u, &f, 4);
        put(data, u, 4);
    }
    return wav(1, 48000, 32, data, {}, {}, 3);
}

// IEEE 754 80-bit extended (AIFF COMM sampleRate); raw lets a test write NaN/Inf bit patterns.
Bytes ext80(double value)
{
    Bytes b;
    if (value == 0) {
        b.fill('\0', 10);
        return b;
    }
    int exponent = 0;
    const double mantissa = std::frexp(value, &exponent);  // value = mantissa * 2^exponent, 0.5 <= m < 1
    const std::uint64_t m = std::uint64_t(std::ldexp(mantissa, 64));
    putBe(b, std::uint64_t(exponent - 1 + 16383), 2);
    putBe(b, m, 8);
    return b;
}
Bytes ext80Raw(std::uint16_t exponent, std::uint64_t mantissa)
{
    Bytes b;
    putBe(b, exponent, 2);
    putBe(b, mantissa, 8);
    return b;
}

Bytes aiffChunk(const char *id, const Bytes &body, std::optional<std::uint64_t> declared = {})
{
    Bytes c(id, 4);
    c += be32(declared.value_or(std::uint64_t(body.size())));
    c += body;
    if (body.size() & 1)
        c.append('\0');
    return c;
}

Bytes comm(int channels, std::uint32_t frames, int bits, const Bytes &rate)
{
    return be16(std::uint64_t(channels)) + be32(frames) + be16(std::uint64_t(bits)) + rate;
}

Bytes pcm16Be(int frames, int channels)
{
    Bytes le = pcm16(frames, channels), be = le;
    for (qsizetype i = 0; i + 1 < le.size(); i += 2) {
        be[i] = le[i + 1];
        be[i + 1] = le[i];
    }
    return be;
}

Bytes aiff(const Bytes &chunks, const char *form = "AIFF")
{
    return Bytes("FORM", 4) + be32(std::uint64_t(chunks.size() + 4)) + Bytes(form, 4) + chunks;
}

Bytes ssnd(const Bytes &data, std::uint32_t offset = 0, std::optional<std::uint64_t> declared = {})
{
    return aiffChunk("SSND", be32(offset) + be32(0) + data, declared);
}

Bytes goodAiff() { return aiff(aiffChunk("COMM", comm(1, 4800, 16, ext80(48000))) + ssnd(pcm16Be(4800, 1))); }

// FLAC: "fLaC" then a STREAMINFO block (RFC 9639 §8.2), fields packed by hand.
Bytes streamInfo(int minBlock, int maxBlock, std::uint32_t rate, int channels, int bits, std::uint64_t totalSamples,
                 bool last = true, std::optional<std::uint32_t> declaredLength = {})
{
    Bytes b("fLaC", 4);
    b.append(char((last ? 0x80 : 0x00) | 0x00));
    const std::uint32_t len = declaredLength.value_or(34);
    b.append(char((len >> 16) & 0xff));
    b.append(char((len >> 8) & 0xff));
    b.append(char(len & 0xff));
    putBe(b, std::uint64_t(minBlock), 2);
    putBe(b, std::uint64_t(maxBlock), 2);
    putBe(b, 0, 3);  // min frame size unknown
    putBe(b, 0, 3);  // max frame size unknown
    // 20 bits rate, 3 bits channels-1, 5 bits bps-1, 36 bits total samples.
    const std::uint64_t packed = (std::uint64_t(rate & 0xFFFFF) << 44) | (std::uint64_t((channels - 1) & 7) << 41)
                               | (std::uint64_t((bits - 1) & 31) << 36) | (totalSamples & 0xFFFFFFFFFull);
    putBe(b, packed, 8);
    b += Bytes(16, '\0');  // MD5 unknown
    return b;
}

Bytes ds64(std::uint64_t riffSize, std::uint64_t dataSize, std::uint64_t sampleCount, std::optional<std::uint64_t> declared = {})
{
    return chunk("ds64", le64(riffSize) + le64(dataSize) + le64(sampleCount) + le32(0), declared);
}

Bytes rf64(const Bytes &ds, const Bytes &data, std::uint32_t declaredData = 0xFFFFFFFFu)
{
    return riff(ds + chunk("fmt ", fmtBody(1, 2, 48000, 16)) + chunk("data", data, declaredData), 0xFFFFFFFFu, "RF64");
}

// Sony Wave64: GUID-named chunks with 64-bit sizes that include the 24-byte header.
Bytes w64Guid(const char *fourcc)
{
    static const unsigned char tail[12] = {0xf3, 0xac, 0xd3, 0x11, 0x8c, 0xd1, 0x00, 0xc0, 0x4f, 0x8e, 0xdb, 0x8a};
    Bytes g(fourcc, 4);
    g += Bytes(reinterpret_cast<const char *>(tail), 12);
    return g;
}
Bytes w64(std::uint64_t fmtSize, std::uint64_t dataSize, const Bytes &data)
{
    const Bytes fmt = fmtBody(1, 2, 48000, 16);
    Bytes body = w64Guid("wave") + w64Guid("fmt ") + le64(fmtSize) + fmt + w64Guid("data") + le64(dataSize) + data;
    Bytes header("riff", 4);
    header += Bytes("\x2e\x91\xcf\x11\xa5\xd6\x28\xdb\x04\xc1\x00\x00", 12);
    return header + le64(std::uint64_t(body.size() + 24)) + body;
}

bool writeBytes(const QString &path, const Bytes &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size() && f.flush();
}

struct ReadOutcome {
    std::int64_t frames = 0;
    bool timedOut = false;
    bool overran = false;
    bool readError = false;
};

// Reads everything in 4096-frame blocks; stops (and says so) on a runaway stream or after 20 s.
ReadOutcome readAll(io::AudioReader &reader)
{
    ReadOutcome out;
    const int channels = reader.info().channels;
    std::vector<float> block(std::size_t(4096 * channels));
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        const std::int64_t got = reader.read(block.data(), 4096);
        if (got < 0) {
            out.readError = true;
            break;
        }
        if (got == 0)
            break;
        out.frames += got;
        if (out.frames > reader.info().declaredFrames + 4096 && out.frames > reader.info().frames + 4096) {
            out.overran = true;
            break;
        }
        if (clock.elapsed() > 20000) {
            out.timedOut = true;
            break;
        }
    }
    return out;
}

}  // namespace

class TestHostileAudio : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    // Checks one opened-or-refused result against the expectation; `label` names file or device.
    void checkOutcome(Result<io::AudioReader> &reader, const QString &label, const QString &expect, qint64 byteCount)
    {
        if (expect.startsWith(QLatin1String("error"))) {
            QVERIFY2(!reader.ok(), qPrintable(label + QStringLiteral(": opened, expected an error")));
        }
        if (!reader.ok()) {
            const Error &e = reader.error();
            QVERIFY2(expect.startsWith(QLatin1String("error")) || expect == QLatin1String("sane"),
                     qPrintable(label + QStringLiteral(": refused (") + e.codeName() + QStringLiteral(") ") + e.what
                                + QStringLiteral(", expected ") + expect));
            QCOMPARE(e.file, label);
            QVERIFY2(!e.what.isEmpty(), "error without a message");
            QVERIFY2(!e.what.contains(QLatin1Char('\n')), qPrintable(e.what));  // one stderr line per problem
            QVERIFY2(e.code == ErrorCode::Unreadable || e.code == ErrorCode::UnsupportedFormat,
                     qPrintable(e.codeName()));
            if (expect.startsWith(QLatin1String("error:")))
                QCOMPARE(e.codeName(), expect.mid(6));
            return;
        }
        const io::AudioInfo &info = reader->info();
        QCOMPARE(info.path, label);
        QVERIFY2(info.channels >= 1 && info.channels <= io::kMaxChannels, qPrintable(QString::number(info.channels)));
        QVERIFY2(info.sampleRateHz >= io::kMinSampleRateHz && info.sampleRateHz <= io::kMaxSampleRateHz,
                 qPrintable(QString::number(info.sampleRateHz)));
        QVERIFY(info.frames >= 0);
        if (expect == QLatin1String("truncated")) {
            QVERIFY2(info.truncated, qPrintable(label + QStringLiteral(": not flagged truncated")));
            QVERIFY(!info.truncationDetail.isEmpty());
        }
        if (expect == QLatin1String("ok"))
            QVERIFY2(!info.truncated, qPrintable(info.truncationDetail));
        const std::int64_t framesBefore = info.frames;
        const ReadOutcome read = readAll(*reader);
        QVERIFY2(!read.timedOut, "reading did not finish within 20 s");
        QVERIFY2(!read.overran, qPrintable(QStringLiteral("read %1 frames, header said %2").arg(read.frames).arg(framesBefore)));
        // What was delivered is what info() reports afterwards (a stream that ends early is re-labelled).
        if (!read.readError)
            QCOMPARE(read.frames, reader->info().frames);
        // Uncompressed PCM cannot deliver more frames than the file has bytes.
        if (info.format != QLatin1String("FLAC") && info.format != QLatin1String("OGG"))
            QVERIFY2(read.frames <= byteCount, qPrintable(QStringLiteral("%1 frames from %2 bytes").arg(read.frames).arg(byteCount)));
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void corpus_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expect");

        const Bytes good = goodWav();
        const Bytes fmt16 = chunk("fmt ", fmtBody(1, 2, 48000, 16));
        // Empty, tiny, random and text files.
        QTest::newRow("empty") << "empty.wav" << Bytes() << "error:unreadable";
        QTest::newRow("one byte") << "one.wav" << Bytes("R", 1) << "error:unreadable";
        QTest::newRow("random 4k") << "random.wav" << randomBytes(4096, 7) << "error:unreadable";
        QTest::newRow("random 1M") << "random_big.flac" << randomBytes(1 << 20, 99) << "error:unreadable";
        QTest::newRow("text") << "text.aiff" << Bytes("not audio, just words\n").repeated(50) << "error:unreadable";
        QTest::newRow("zeros") << "zeros.wav" << Bytes(65536, '\0') << "error:unreadable";
        // Truncated headers: the file ends inside a header.
        QTest::newRow("riff magic only") << "magic.wav" << Bytes("RIFF", 4) << "error:unreadable";
        QTest::newRow("riff 12 bytes") << "riff12.wav" << good.left(12) << "error:unreadable";
        QTest::newRow("fmt cut") << "fmtcut.wav" << good.left(12 + 8 + 6) << "error:unreadable";
        QTest::newRow("data header cut") << "datacut.wav" << good.left(12 + 24 + 4) << "error:unreadable";
        QTest::newRow("no data chunk") << "nodata.wav" << riff(fmt16) << "error:unreadable";
        QTest::newRow("no fmt chunk") << "nofmt.wav" << riff(chunk("data", pcm16(100, 2))) << "error:unreadable";
        // Truncated data and lying sizes.
        QTest::newRow("data half missing") << "half.wav" << good.left(good.size() - 9600) << "truncated";
        QTest::newRow("data declares 4 GiB") << "4gib.wav" << wav(2, 48000, 16, pcm16(256, 2), 0xFFFFFFF0u) << "truncated";
        QTest::newRow("data odd tail") << "oddtail.wav" << wav(2, 48000, 16, pcm16(100, 2) + Bytes("\x01\x02\x03", 3)) << "sane";
        QTest::newRow("riff size 4 GiB") << "riffsize.wav" << riff(fmt16 + chunk("data", pcm16(100, 2)), 0xFFFFFFFFu) << "ok";
        QTest::newRow("riff size zero") << "riffzero.wav" << riff(fmt16 + chunk("data", pcm16(100, 2)), 0u) << "sane";
        QTest::newRow("fmt size 4 GiB") << "fmthuge.wav" << riff(chunk("fmt ", fmtBody(1, 2, 48000, 16), 0xFFFFFFF0u) + chunk("data", pcm16(100, 2))) << "error:unreadable";
        QTest::newRow("fmt size 2") << "fmt2.wav" << riff(chunk("fmt ", fmtBody(1, 2, 48000, 16), 2u) + chunk("data", pcm16(100, 2))) << "error:unreadable";
        QTest::newRow("junk chunk 2 GiB") << "junkhuge.wav" << riff(fmt16 + chunk("junk", Bytes(8, 'j'), 0x7FFFFFFFu) + chunk("data", pcm16(100, 2))) << "sane";
        Bytes manyChunks;
        for (int i = 0; i < 6000; ++i)
            manyChunks += chunk("junk", Bytes());
        QTest::newRow("6000 empty chunks") << "manychunks.wav" << wav(2, 48000, 16, pcm16(100, 2), {}, manyChunks) << "sane";
        // Absurd channel counts, rates, depths and codecs.
        QTest::newRow("channels 0") << "ch0.wav" << wav(0, 48000, 16, pcm16(100, 2)) << "error:unreadable";
        QTest::newRow("channels 65") << "ch65.wav" << wav(65, 48000, 16, pcm16(65 * 10, 1)) << "error:unreadable";
        QTest::newRow("channels 65535") << "ch65535.wav" << wav(65535, 48000, 16, pcm16(1000, 2)) << "error:unreadable";
        QTest::newRow("rate 0") << "rate0.wav" << wav(2, 0, 16, pcm16(100, 2)) << "error:unreadable";
        QTest::newRow("rate 1") << "rate1.wav" << wav(2, 1, 16, pcm16(100, 2)) << "error:unreadable";
        QTest::newRow("rate 4G") << "rate4g.wav" << wav(2, 0xFFFFFFFFu, 16, pcm16(100, 2)) << "error:unreadable";
        QTest::newRow("bits 0") << "bits0.wav" << wav(2, 48000, 0, pcm16(100, 2)) << "error";
        QTest::newRow("bits 13") << "bits13.wav" << wav(2, 48000, 13, pcm16(100, 2)) << "sane";
        QTest::newRow("bits 64 pcm") << "bits64.wav" << wav(2, 48000, 64, pcm16(100, 2)) << "error";
        QTest::newRow("block align 0") << "align0.wav" << riff(chunk("fmt ", fmtBody(1, 2, 48000, 16, 0)) + chunk("data", pcm16(100, 2))) << "sane";
        QTest::newRow("block align 65535") << "align64k.wav" << riff(chunk("fmt ", fmtBody(1, 2, 48000, 16, 65535)) + chunk("data", pcm16(100, 2))) << "sane";
        QTest::newRow("unknown codec") << "codec.wav" << wav(2, 48000, 16, pcm16(100, 2), {}, {}, 0x1234) << "error:unsupported_format";
        Bytes extensible = fmtBody(0xFFFE, 2, 48000, 16) + le16(22) + le16(16) + le32(3) + randomBytes(16, 5);
        QTest::newRow("extensible garbage guid") << "extguid.wav" << riff(chunk("fmt ", extensible) + chunk("data", pcm16(100, 2))) << "error";
        Bytes extensibleShort = fmtBody(0xFFFE, 2, 48000, 16) + le16(22);
        QTest::newRow("extensible cut") << "extcut.wav" << riff(chunk("fmt ", extensibleShort) + chunk("data", pcm16(100, 2))) << "error";
        // Broadcast-wave and LIST metadata garbage: metadata must never stop the audio being read.
        QTest::newRow("bext empty") << "bext0.wav" << wav(2, 48000, 16, pcm16(100, 2), {}, chunk("bext", Bytes())) << "sane";
        QTest::newRow("bext short") << "bextshort.wav" << wav(2, 48000, 16, pcm16(100, 2), {}, chunk("bext", randomBytes(37, 3))) << "sane";
        QTest::newRow("bext garbage 602") << "bextgarbage.wav" << wav(2, 48000, 16, pcm16(100, 2), {}, chunk("bext", randomBytes(602, 11))) << "sane";
        QTest::newRow("bext size lies") << "bextlie.wav" << wav(2, 48000, 16, pcm16(100, 2), {}, chunk("bext", randomBytes(64, 4), 0xFFFFFF00u)) << "sane";
        QTest::newRow("bext huge coding history") << "bexthist.wav" << wav(2, 48000, 16, pcm16(100, 2), {}, chunk("bext", Bytes(602, ' ') + Bytes(300000, 'A'))) << "ok";
        const Bytes listBody = Bytes("INFO", 4) + chunk("INAM", Bytes("x", 1), 0xFFFFFFF0u);
        QTest::newRow("LIST sub-chunk lies") << "listlie.wav" << wav(2, 48000, 16, pcm16(100, 2), {}, chunk("LIST", listBody)) << "sane";
        QTest::newRow("LIST random") << "listrandom.wav" << wav(2, 48000, 16, pcm16(100, 2), {}, chunk("LIST", randomBytes(513, 77))) << "sane";
        QTest::newRow("LIST size 4 GiB") << "listhuge.wav" << wav(2, 48000, 16, pcm16(100, 2), {}, chunk("LIST", Bytes("INFO", 4), 0xFFFFFFF0u)) << "sane";
        // RF64 ds64 garbage.
        QTest::newRow("rf64 no ds64") << "rf64nods.wav" << riff(fmt16 + chunk("data", pcm16(100, 2), 0xFFFFFFFFu), 0xFFFFFFFFu, "RF64") << "sane";
        QTest::newRow("rf64 ds64 data 2^63") << "rf64neg.wav" << rf64(ds64(1000, 0x8000000000000000ull, 100), pcm16(100, 2)) << "sane";
        QTest::newRow("rf64 ds64 data 4 GiB") << "rf644g.wav" << rf64(ds64(0x100000100ull, 0x100000000ull, 0x40000000ull), pcm16(100, 2)) << "truncated";
        QTest::newRow("rf64 ds64 all ones") << "rf64ones.wav" << rf64(ds64(~0ull, ~0ull, ~0ull), pcm16(100, 2)) << "sane";
        QTest::newRow("rf64 ds64 size 0") << "rf64ds0.wav" << rf64(chunk("ds64", Bytes()), pcm16(100, 2)) << "sane";
        QTest::newRow("rf64 ds64 size lies") << "rf64dslie.wav" << rf64(ds64(1000, 400, 100, 0xFFFFFFF0u), pcm16(100, 2)) << "sane";
        // AIFF COMM / SSND.
        QTest::newRow("aiff good") << "good.aiff" << goodAiff() << "ok";
        QTest::newRow("aiff COMM channels 0") << "comm0.aiff" << aiff(aiffChunk("COMM", comm(0, 4800, 16, ext80(48000))) + ssnd(pcm16Be(4800, 1))) << "error:unreadable";
        QTest::newRow("aiff COMM channels 30000") << "commch.aiff" << aiff(aiffChunk("COMM", comm(30000, 10, 16, ext80(48000))) + ssnd(pcm16Be(4800, 1))) << "error:unreadable";
        QTest::newRow("aiff rate NaN") << "ratenan.aiff" << aiff(aiffChunk("COMM", comm(1, 4800, 16, ext80Raw(0x7FFF, 0xC000000000000000ull))) + ssnd(pcm16Be(4800, 1))) << "error:unreadable";
        QTest::newRow("aiff rate Inf") << "rateinf.aiff" << aiff(aiffChunk("COMM", comm(1, 4800, 16, ext80Raw(0x7FFF, 0x8000000000000000ull))) + ssnd(pcm16Be(4800, 1))) << "error:unreadable";
        QTest::newRow("aiff rate 1e30") << "rate1e30.aiff" << aiff(aiffChunk("COMM", comm(1, 4800, 16, ext80(1e30))) + ssnd(pcm16Be(4800, 1))) << "error:unreadable";
        QTest::newRow("aiff rate negative") << "rateneg.aiff" << aiff(aiffChunk("COMM", comm(1, 4800, 16, ext80Raw(0xC00E, 0xBB80000000000000ull))) + ssnd(pcm16Be(4800, 1))) << "error:unreadable";
        QTest::newRow("aiff bits 0") << "bits0.aiff" << aiff(aiffChunk("COMM", comm(1, 4800, 0, ext80(48000))) + ssnd(pcm16Be(4800, 1))) << "error";
        QTest::newRow("aiff COMM cut") << "commcut.aiff" << aiff(aiffChunk("COMM", comm(1, 4800, 16, ext80(48000)))).left(12 + 8 + 7) << "error:unreadable";
        QTest::newRow("aiff no SSND") << "nossnd.aiff" << aiff(aiffChunk("COMM", comm(1, 4800, 16, ext80(48000)))) << "sane";
        QTest::newRow("aiff frames lie") << "frameslie.aiff" << aiff(aiffChunk("COMM", comm(1, 0xFFFFFFF0u, 16, ext80(48000))) + ssnd(pcm16Be(4800, 1))) << "sane";
        QTest::newRow("aiff SSND size 4 GiB") << "ssndhuge.aiff" << aiff(aiffChunk("COMM", comm(1, 4800, 16, ext80(48000))) + ssnd(pcm16Be(4800, 1), 0, 0xFFFFFFF0u)) << "sane";
        QTest::newRow("aiff SSND offset past end") << "ssndoff.aiff" << aiff(aiffChunk("COMM", comm(1, 4800, 16, ext80(48000))) + ssnd(pcm16Be(100, 1), 0xFFFFFF00u)) << "sane";
        QTest::newRow("aiff SSND size 3") << "ssnd3.aiff" << aiff(aiffChunk("COMM", comm(1, 4800, 16, ext80(48000))) + ssnd(pcm16Be(100, 1), 0, 3)) << "sane";
        QTest::newRow("aifc unknown compression") << "comp.aifc" << aiff(aiffChunk("COMM", comm(1, 4800, 16, ext80(48000)) + Bytes("XXXX\x00\x00", 6)) + ssnd(pcm16Be(100, 1)), "AIFC") << "error";
        // FLAC STREAMINFO.
        QTest::newRow("flac magic only") << "magic.flac" << Bytes("fLaC", 4) << "error:unreadable";
        QTest::newRow("flac streaminfo only") << "noframes.flac" << streamInfo(4096, 4096, 48000, 2, 16, 48000) << "sane";
        QTest::newRow("flac rate 0") << "rate0.flac" << streamInfo(4096, 4096, 0, 2, 16, 48000) + randomBytes(256, 1) << "error";
        QTest::newRow("flac bits 1") << "bits1.flac" << streamInfo(4096, 4096, 48000, 2, 1, 48000) + randomBytes(256, 2) << "sane";
        QTest::newRow("flac block 0") << "block0.flac" << streamInfo(0, 0, 48000, 2, 16, 48000) + randomBytes(256, 3) << "sane";
        QTest::newRow("flac max < min block") << "blockorder.flac" << streamInfo(4096, 16, 48000, 2, 16, 48000) + randomBytes(256, 4) << "sane";
        QTest::newRow("flac samples 2^36") << "samples.flac" << streamInfo(4096, 4096, 48000, 2, 16, 0xFFFFFFFFFull) + randomBytes(4096, 5) << "sane";
        QTest::newRow("flac block length lies") << "blocklen.flac" << streamInfo(4096, 4096, 48000, 2, 16, 48000, true, 0xFFFFFF) << "error";
        QTest::newRow("flac not last, garbage") << "notlast.flac" << streamInfo(4096, 4096, 48000, 2, 16, 48000, false) + randomBytes(1024, 6) << "sane";
        // Other containers with garbage bodies.
        QTest::newRow("w64 chunk size 2^63") << "huge.w64" << w64(0x7FFFFFFFFFFFFFF0ull, 424, pcm16(100, 2)) << "sane";
        QTest::newRow("w64 data size 2^64-1") << "data.w64" << w64(24 + 16, ~0ull, pcm16(100, 2)) << "sane";
        QTest::newRow("w64 chunk size 0") << "zero.w64" << w64(0, 0, pcm16(100, 2)) << "sane";
        QTest::newRow("caf garbage") << "garbage.caf" << Bytes("caff\x00\x01\x00\x00", 8) + randomBytes(2048, 8) << "sane";
        QTest::newRow("ogg garbage") << "garbage.ogg" << Bytes("OggS", 4) + randomBytes(4096, 9) << "error";
        QTest::newRow("id3 only") << "tag.mp3" << Bytes("ID3\x04\x00\x00\x00\x00\x00\x7f", 10) + Bytes(200, '\0') << "error";
    }

    void corpus()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expect);

        // As a file on disk.
        const QString file = m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_'))
                                            + QLatin1Char('-') + name);
        QVERIFY(writeBytes(file, bytes));
        {
            QElapsedTimer clock;
            clock.start();
            auto reader = io::AudioReader::open(file);
            checkOutcome(reader, file, expect, bytes.size());
            if (QTest::currentTestFailed())
                return;
            QVERIFY2(clock.elapsed() < 20000, "took more than 20 s");
        }
        // The same bytes as a zip entry would arrive: a random-access device.
        {
            auto buffer = std::make_unique<QBuffer>();
            buffer->setData(bytes);
            QVERIFY(buffer->open(QIODevice::ReadOnly));
            const QString label = QStringLiteral("corpus.zip!") + name;
            auto reader = io::AudioReader::openDevice(std::move(buffer), label);
            checkOutcome(reader, label, expect, bytes.size());
        }
        // Reading never writes: the input is unchanged.
        QFile check(file);
        QVERIFY(check.open(QIODevice::ReadOnly));
        QCOMPARE(check.readAll(), bytes);
    }

    void truncationDetailNamesBytes()
    {
        const QString file = m_dir.filePath(QStringLiteral("lying.wav"));
        QVERIFY(writeBytes(file, wav(2, 48000, 16, pcm16(1000, 2), 2u * 1000u * 4u)));
        auto reader = io::AudioReader::open(file);
        QVERIFY(reader.ok());
        QVERIFY(reader->info().truncated);
        QVERIFY2(reader->info().truncationDetail.contains(QLatin1String("8044")), qPrintable(reader->info().truncationDetail));
        QCOMPARE(reader->info().frames, 1000);
        QVERIFY(reader->info().declaredFrames >= 2000);
    }

    void nonFiniteFloatsAreReadNotHidden()
    {
        std::vector<float> samples(4800, 0.25f);
        samples[100] = std::numeric_limits<float>::quiet_NaN();
        samples[200] = std::numeric_limits<float>::infinity();
        samples[300] = -std::numeric_limits<float>::infinity();
        samples[400] = 1e30f;
        const QString file = m_dir.filePath(QStringLiteral("nonfinite.wav"));
        QVERIFY(writeBytes(file, float32Wav(samples)));
        auto reader = io::AudioReader::open(file);
        QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error().line()));
        QVERIFY(reader->info().isFloat);
        std::vector<float> out(4800);
        QCOMPARE(reader->read(out.data(), 4800), 4800);
        QVERIFY(std::isnan(out[100]));
        QVERIFY(std::isinf(out[200]) && out[200] > 0);
        QVERIFY(std::isinf(out[300]) && out[300] < 0);
        QCOMPARE(out[400], 1e30f);
    }

    void specialFilesNamedLikeAudio_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("fifo") << "fifo";
        QTest::newRow("directory") << "directory";
        QTest::newRow("symlink to fifo") << "linkfifo";
        QTest::newRow("symlink to /dev/zero") << "devzero";
        QTest::newRow("dangling symlink") << "dangling";
        QTest::newRow("unreadable mode 000") << "mode000";
    }

    void specialFilesNamedLikeAudio()
    {
        QFETCH(QString, kind);
        const QString file = m_dir.filePath(QStringLiteral("special-%1.wav").arg(kind));
        if (kind == QLatin1String("fifo")) {
            QCOMPARE(mkfifo(QFile::encodeName(file).constData(), 0600), 0);
        } else if (kind == QLatin1String("directory")) {
            QVERIFY(QDir().mkpath(file));
            QVERIFY(writeBytes(file + QStringLiteral("/inner.wav"), goodWav()));
        } else if (kind == QLatin1String("linkfifo")) {
            const QString fifo = m_dir.filePath(QStringLiteral("target.fifo"));
            QCOMPARE(mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
            QVERIFY(QFile::link(fifo, file));
        } else if (kind == QLatin1String("devzero")) {
            QVERIFY(QFile::link(QStringLiteral("/dev/zero"), file));
        } else if (kind == QLatin1String("dangling")) {
            QVERIFY(QFile::link(m_dir.filePath(QStringLiteral("nowhere.wav")), file));
        } else if (kind == QLatin1String("mode000")) {
            QVERIFY(writeBytes(file, goodWav()));
            QVERIFY(QFile::setPermissions(file, QFileDevice::Permissions()));
            if (geteuid() == 0)
                QSKIP("root reads mode-000 files");
        }
        QElapsedTimer clock;
        clock.start();
        auto reader = io::AudioReader::open(file);
        QVERIFY2(clock.elapsed() < 5000, "open blocked");
        QVERIFY(!reader.ok());
        QCOMPARE(reader.error().file, file);
        QCOMPARE(reader.error().code, ErrorCode::Unreadable);
        QVERIFY(!reader.error().what.isEmpty());
    }

    void hostileNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("newline") << QStringLiteral("kick\nsnare.wav");
        QTest::newRow("carriage return") << QStringLiteral("kick\rIn.wav");
        QTest::newRow("quotes") << QStringLiteral("it's \"the\" kick.wav");
        QTest::newRow("unicode") << QStringLiteral("B\u00e4ss \u2603 \U0001F3B8.wav");
        QTest::newRow("rtl override") << QStringLiteral("vox\u202Evaw.exe.wav");
        QTest::newRow("leading dash") << QStringLiteral("-rf.wav");
        QTest::newRow("html") << QStringLiteral("<img src=x onerror=alert(1)>.wav");
        QTest::newRow("long name") << QString(240, QLatin1Char('x')) + QStringLiteral(".wav");
        QTest::newRow("csv injection") << QStringLiteral("=cmd|' -C calc'!A0,x.wav");
    }

    void hostileNames()
    {
        QFETCH(QString, name);
        const QString file = m_dir.filePath(name);
        QVERIFY(writeBytes(file, goodWav()));
        auto reader = io::AudioReader::open(file);
        QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error().line()));
        QCOMPARE(reader->info().path, file);
        QCOMPARE(reader->info().frames, 4800);
        // A bad file with the same kind of name is reported under exactly that name.
        const QString bad = m_dir.filePath(QStringLiteral("bad ") + name);
        QVERIFY(writeBytes(bad, randomBytes(100, 1)));
        auto refused = io::AudioReader::open(bad);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().file, bad);
    }
};

QTEST_GUILESS_MAIN(TestHostileAudio)
#include "tst_hostile_audio.moc"
