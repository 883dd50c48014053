#include "deliverysignals.h"
#include "io/audioreader.h"
#include "io/wavwriter.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

using namespace stemship;
using namespace stemship::test;

// WavWriter: encodings, bext, tags, temp + rename, discard on failure.
class TestWavWriter : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void writesPcmWithBextAndTags_data()
    {
        QTest::addColumn<int>("encoding");
        QTest::addColumn<int>("bits");
        QTest::newRow("16") << int(io::SampleEncoding::Pcm16) << 16;
        QTest::newRow("24") << int(io::SampleEncoding::Pcm24) << 24;
        QTest::newRow("32") << int(io::SampleEncoding::Pcm32) << 32;
        QTest::newRow("float") << int(io::SampleEncoding::Float32) << 0;
    }
    void writesPcmWithBextAndTags()
    {
        QFETCH(int, encoding);
        QFETCH(int, bits);
        io::WavWriterSpec spec;
        spec.path = m_dir.filePath(QStringLiteral("out-%1.wav").arg(encoding));
        spec.encoding = io::SampleEncoding(encoding);
        spec.bext.timeReferenceSamples = (std::uint64_t(1) << 33) + 5;  // needs both 32-bit halves
        spec.bext.description = QStringLiteral("Song - Kick");
        spec.bext.originator = QStringLiteral("Stemship");
        spec.bext.codingHistory = QStringLiteral("A=PCM,F=48000,W=24,M=stereo,T=Stemship");
        spec.tags = {QStringLiteral("Kick"), 120.0, QStringLiteral("v3"), QStringLiteral("Song version v3")};
        auto w = io::WavWriter::create(spec);
        QVERIFY2(w.ok(), qPrintable(w.ok() ? QString() : w.error().line()));
        QVERIFY(!QFileInfo::exists(spec.path));
        const Signal s = sine(48000, 2, 440.0, 0.5, 1.0);
        QVERIFY(w->writeFloat(s.samples.data(), s.frames()).ok());
        QVERIFY(w->commit().ok());
        QVERIFY(QFileInfo::exists(spec.path));
        QVERIFY(QDir(m_dir.path()).entryList({QStringLiteral(".*stemship-tmp*")}, QDir::Files | QDir::Hidden).isEmpty());

        auto r = io::AudioReader::open(spec.path);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().line()));
        QCOMPARE(r->info().format, QStringLiteral("WAV"));  // RF64 downgraded below 4 GiB
        QCOMPARE(r->info().frames, s.frames());
        QCOMPARE(r->info().timeReferenceSamples.value_or(0), spec.bext.timeReferenceSamples);
        QCOMPARE(r->info().bextDescription, spec.bext.description);
        if (bits)
            QCOMPARE(r->info().bitDepth.value_or(0), bits);
        else
            QVERIFY(r->info().isFloat);
        const auto back = readAudio(spec.path);
        QVERIFY(back);
        double maxErr = 0;
        for (std::size_t i = 0; i < s.samples.size(); ++i)
            maxErr = std::max(maxErr, double(std::abs(back->samples[i] - s.samples[i])));
        QVERIFY(maxErr < (bits == 16 ? 1.0 / 32768 : 1e-6));
        const QByteArray bytes = readFile(spec.path);
        QVERIFY(bytes.contains("bext"));
        QVERIFY(bytes.contains("ID3 ") || bytes.contains("id3 "));
        QVERIFY(bytes.contains("TBPM"));
        QVERIFY(bytes.contains("INAM"));
    }

    void writesLeftJustifiedPcm()
    {
        io::WavWriterSpec spec;
        spec.path = m_dir.filePath(QStringLiteral("pcm.wav"));
        spec.channels = 1;
        auto w = io::WavWriter::create(spec);
        QVERIFY(w.ok());
        const std::int32_t samples[] = {1 << 8, -(1 << 8), 0x7fffff << 8};
        QVERIFY(w->writePcm(samples, 3).ok());
        QVERIFY(w->commit().ok());
        SF_INFO info{};
        SNDFILE *f = sf_open(QFile::encodeName(spec.path).constData(), SFM_READ, &info);
        QVERIFY(f);
        int back[3] = {};
        QCOMPARE(sf_readf_int(f, back, 3), sf_count_t(3));
        sf_close(f);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(back[i], samples[i]);
    }

    void discardLeavesNothing()
    {
        io::WavWriterSpec spec;
        spec.path = m_dir.filePath(QStringLiteral("gone.wav"));
        {
            auto w = io::WavWriter::create(spec);
            QVERIFY(w.ok());
            const Signal s = silence(48000, 2, 0.1);
            QVERIFY(w->writeFloat(s.samples.data(), s.frames()).ok());
        }  // destroyed without commit
        QVERIFY(!QFileInfo::exists(spec.path));
        QVERIFY(QDir(m_dir.path()).entryList({QStringLiteral(".gone*")}, QDir::Files | QDir::Hidden).isEmpty());
        spec.path = QStringLiteral("/nonexistent/dir/x.wav");
        QVERIFY(!io::WavWriter::create(spec).ok());
    }
};

QTEST_GUILESS_MAIN(TestWavWriter)
#include "tst_wavwriter.moc"
