// The reference WAV writer of tests/support (test::writeReferenceWav), which tst_wavheader holds the delivered
// WAV's in-memory layout to: what it writes must be right on its own, read back by libsndfile, Stemship's reader
// and MediaInfo, or that comparison proves nothing. Also the coding-history reordering it relies on.

#include "deliverysignals.h"
#include "io/audioreader.h"
#include "mediainfo.h"
#include "referencewav.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

#include <cstring>
#include <random>

using namespace stemship;
using namespace stemship::test;

namespace {

io::WavWriterSpec specFor(const QString &path, io::SampleEncoding encoding)
{
    io::WavWriterSpec spec;
    spec.path = path;
    spec.encoding = encoding;
    spec.bext.timeReferenceSamples = (std::uint64_t(1) << 33) + 5;  // needs both 32-bit halves
    spec.bext.description = QStringLiteral("Song - Kick");
    spec.bext.originator = QStringLiteral("Stemship");
    spec.bext.codingHistory = QStringLiteral("A=PCM,F=48000,W=24,M=stereo,T=Stemship");
    spec.bext.integratedLufs = -23.0;
    spec.tags = {QStringLiteral("Kick"), 120.0, QStringLiteral("v3"), QStringLiteral("Song version v3")};
    spec.ixml = io::IxmlFields{QStringLiteral("Song"), QStringLiteral("version v3"), {}, spec.bext.timeReferenceSamples};
    return spec;
}

// Interleaved samples as the data chunk holds them: random PCM, or a sine for float (random bits could be NaN).
QByteArray packedSamples(io::SampleEncoding encoding, int channels, std::int64_t frames)
{
    if (encoding == io::SampleEncoding::Float32) {
        const Signal s = sine(48000, channels, 440.0, 0.5, double(frames) / 48000.0);
        return QByteArray(reinterpret_cast<const char *>(s.samples.data()), qsizetype(s.samples.size() * sizeof(float)));
    }
    std::mt19937 random(11);
    QByteArray out(qsizetype(frames * channels * (io::bitsOf(encoding) / 8)), Qt::Uninitialized);
    for (char &b : out)
        b = char(random() & 0xff);
    return out;
}

QByteArray rawSamples(const QString &path, qsizetype bytes)
{
    SF_INFO info{};
    SNDFILE *f = sf_open(QFile::encodeName(path).constData(), SFM_READ, &info);
    if (!f)
        return {};
    QByteArray out(bytes, '\0');
    const sf_count_t got = sf_read_raw(f, out.data(), bytes);
    sf_close(f);
    return got == bytes ? out : QByteArray();
}

}  // namespace

class TestWavWriter : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void writesSamplesBextTagsAndIxml_data()
    {
        QTest::addColumn<int>("encoding");
        QTest::addColumn<int>("bits");
        QTest::newRow("16") << int(io::SampleEncoding::Pcm16) << 16;
        QTest::newRow("24") << int(io::SampleEncoding::Pcm24) << 24;
        QTest::newRow("32") << int(io::SampleEncoding::Pcm32) << 32;
        QTest::newRow("float") << int(io::SampleEncoding::Float32) << 0;
    }
    void writesSamplesBextTagsAndIxml()
    {
        QFETCH(int, encoding);
        QFETCH(int, bits);
        const io::WavWriterSpec spec = specFor(m_dir.filePath(QStringLiteral("out-%1.wav").arg(encoding)), io::SampleEncoding(encoding));
        const QByteArray samples = packedSamples(spec.encoding, spec.channels, 4801);
        const Status written = writeReferenceWav(spec, samples);
        QVERIFY2(written, qPrintable(written ? QString() : written.error().line()));

        QCOMPARE(rawSamples(spec.path, samples.size()), samples);
        auto r = io::AudioReader::open(spec.path);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().line()));
        QCOMPARE(r->info().format, QStringLiteral("WAV"));  // RF64 downgraded below 4 GiB
        QCOMPARE(r->info().frames, 4801);
        if (bits)
            QCOMPARE(r->info().bitDepth.value_or(0), bits);
        else
            QVERIFY(r->info().isFloat);
        QVERIFY2(r->info().metadataProblems.isEmpty(), qPrintable(r->info().metadataProblems.join(u'\n')));
        QVERIFY(r->info().bext && r->info().ixml);
        QCOMPARE(r->info().timeReferenceSamples.value_or(0), spec.bext.timeReferenceSamples);
        QCOMPARE(r->info().bextDescription, spec.bext.description);
        QCOMPARE(r->info().bext->version, std::uint16_t(2));
        QCOMPARE(r->info().bext->loudness.loudnessValueLufs.value_or(0), -23.0);
        QVERIFY(!r->info().bext->loudness.loudnessRangeLu);  // 0x7FFF: not measured
        // libsndfile's own line first, ours last (EBU R98: the last line is the last process).
        const QList<QByteArray> lines = r->info().bext->codingHistory.split('\n');
        QVERIFY2(lines.size() >= 3, r->info().bext->codingHistory.constData());
        QVERIFY(lines.first().contains("T=libsndfile"));
        QCOMPARE(lines.at(lines.size() - 2), QByteArray("A=PCM,F=48000,W=24,M=stereo,T=Stemship\r"));
        QCOMPARE(r->info().ixml->project, QStringLiteral("Song"));
        QCOMPARE(r->info().ixml->timeReferenceSamples, spec.ixml->timeReferenceSamples);

        // A reader that is neither TagLib nor ours: MediaInfo reads the tags (the comment from both LIST/INFO and
        // ID3v2, the frames only ID3v2 carries) and the bext history, our line last.
        const QJsonObject general = mediaInfoTrack(spec.path, QStringLiteral("General"));
        const QString dump = QString::fromUtf8(QJsonDocument(general).toJson());
        QVERIFY2(general[QStringLiteral("Comment")].toString().contains(QStringLiteral("Song version v3")), qPrintable(dump));
        QVERIFY2(general[QStringLiteral("Encoded_Library_Settings")].toString().endsWith(QStringLiteral(",T=Stemship")), qPrintable(dump));
        QCOMPARE(general[QStringLiteral("BPM")].toString(), QStringLiteral("120"));
        QCOMPARE(general[QStringLiteral("extra")][QStringLiteral("VERSION")].toString(), QStringLiteral("v3"));
        QCOMPARE(general[QStringLiteral("Title")].toString(), QStringLiteral("Kick"));
    }

    void writesTheChannelMask()
    {
        io::WavWriterSpec spec = specFor(m_dir.filePath(QStringLiteral("bed.wav")), io::SampleEncoding::Pcm24);
        spec.channels = 6;
        spec.channelMask = 0x60F;  // 5.1 with the surrounds on the side bits
        QVERIFY(writeReferenceWav(spec, packedSamples(spec.encoding, 6, 10)));
        auto r = io::AudioReader::open(spec.path);
        QVERIFY(r);
        QCOMPARE(r->info().channels, 6);
        QCOMPARE(r->info().channelMask, 0x60Fu);
    }

    // A reference that fails says so and leaves nothing a comparison could read.
    void failsWithoutLeavingAFile()
    {
        io::WavWriterSpec spec = specFor(m_dir.filePath(QStringLiteral("gone.wav")), io::SampleEncoding::Pcm24);
        spec.channelMask = 0x3F;  // six speakers for two channels
        Status written = writeReferenceWav(spec, packedSamples(spec.encoding, 2, 10));
        QVERIFY(!written);
        QVERIFY2(written.error().line().contains(QStringLiteral("channel mask")), qPrintable(written.error().line()));
        QVERIFY(!QFileInfo::exists(spec.path));
        spec.channelMask = 0;
        written = writeReferenceWav(spec, QByteArray(7, '\0'));  // not whole 6-byte frames
        QVERIFY(!written);
        QVERIFY(!QFileInfo::exists(spec.path));
        spec.path = QStringLiteral("/nonexistent/dir/x.wav");
        QVERIFY(!writeReferenceWav(spec, packedSamples(spec.encoding, 2, 10)));
        QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files | QDir::Hidden).filter(QStringLiteral("gone")), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestWavWriter)
#include "tst_wavwriter.moc"
