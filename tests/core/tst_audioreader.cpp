#include "io/audioreader.h"
#include "testsignals.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>
#include <sys/stat.h>

#include <cmath>

using namespace stemship;
using stemship::test::Signal;

class TestAudioReader : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

    static std::vector<float> readAll(io::AudioReader &reader, std::int64_t blockFrames = 4096)
    {
        std::vector<float> all;
        std::vector<float> block(std::size_t(blockFrames * reader.info().channels));
        for (;;) {
            const auto got = reader.read(block.data(), blockFrames);
            if (got <= 0)
                break;
            all.insert(all.end(), block.begin(), block.begin() + got * reader.info().channels);
        }
        return all;
    }

    static void truncateFile(const QString &file, qint64 size)
    {
        QFile f(file);
        QVERIFY(f.resize(size));
    }

private Q_SLOTS:
    void formats_data()
    {
        QTest::addColumn<int>("sfFormat");
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("sampleFormat");
        QTest::addColumn<int>("bitDepth");  // 0 = null
        QTest::addColumn<QString>("ext");
        QTest::newRow("wav float") << (SF_FORMAT_WAV | SF_FORMAT_FLOAT) << "WAV" << "float32" << 0 << "wav";
        QTest::newRow("wav 16") << (SF_FORMAT_WAV | SF_FORMAT_PCM_16) << "WAV" << "pcm_s16" << 16 << "wav";
        QTest::newRow("wav 24") << (SF_FORMAT_WAV | SF_FORMAT_PCM_24) << "WAV" << "pcm_s24" << 24 << "wav";
        QTest::newRow("wav 32") << (SF_FORMAT_WAV | SF_FORMAT_PCM_32) << "WAV" << "pcm_s32" << 32 << "wav";
        QTest::newRow("wav double") << (SF_FORMAT_WAV | SF_FORMAT_DOUBLE) << "WAV" << "float64" << 0 << "wav";
        QTest::newRow("aiff 24") << (SF_FORMAT_AIFF | SF_FORMAT_PCM_24) << "AIFF" << "pcm_s24" << 24 << "aif";
        QTest::newRow("flac 16") << (SF_FORMAT_FLAC | SF_FORMAT_PCM_16) << "FLAC" << "pcm_s16" << 16 << "flac";
        QTest::newRow("flac 24") << (SF_FORMAT_FLAC | SF_FORMAT_PCM_24) << "FLAC" << "pcm_s24" << 24 << "flac";
        QTest::newRow("rf64 24") << (SF_FORMAT_RF64 | SF_FORMAT_PCM_24) << "RF64" << "pcm_s24" << 24 << "wav";
        QTest::newRow("w64 float") << (SF_FORMAT_W64 | SF_FORMAT_FLOAT) << "W64" << "float32" << 0 << "w64";
        QTest::newRow("caf 24") << (SF_FORMAT_CAF | SF_FORMAT_PCM_24) << "CAF" << "pcm_s24" << 24 << "caf";
    }

    void formats()
    {
        QFETCH(int, sfFormat);
        QFETCH(QString, format);
        QFETCH(QString, sampleFormat);
        QFETCH(int, bitDepth);
        QFETCH(QString, ext);
        const Signal s = test::sine(44100, 2, 997.0, 0.5, 1.25);
        const QString file = path(QStringLiteral("fmt_%1.%2").arg(QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_')), ext));
        QVERIFY(test::writeAudio(file, s, {sfFormat, {}}));

        auto reader = io::AudioReader::open(file);
        QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error().line()));
        const io::AudioInfo &info = reader->info();
        QCOMPARE(info.format, format);
        QCOMPARE(info.sampleFormat, sampleFormat);
        QCOMPARE(info.bitDepth.value_or(0), bitDepth);
        QCOMPARE(info.isFloat, bitDepth == 0);
        QCOMPARE(info.sampleRateHz, 44100);
        QCOMPARE(info.channels, 2);
        QCOMPARE(info.frames, s.frames());
        QVERIFY(!info.truncated);
        QVERIFY(!info.timeReferenceSamples);

        // Odd block size: the stream must still deliver every frame, equal to what was written.
        const auto samples = readAll(*reader, 1000);
        QCOMPARE(std::int64_t(samples.size()), s.frames() * 2);
        const double tolerance = bitDepth == 16 ? 1.0 / 16384 : 1e-6;
        double maxError = 0.0;
        for (std::size_t i = 0; i < samples.size(); ++i)
            maxError = std::max(maxError, double(std::abs(samples[i] - s.samples[i])));
        QVERIFY2(maxError <= tolerance, qPrintable(QString::number(maxError)));
    }

    void bextTimeReference()
    {
        const Signal s = test::sine(48000, 1, 440.0, 0.25, 0.5);
        const QString file = path(QStringLiteral("bext.wav"));
        const std::uint64_t reference = 48000ull * 3600 * 10 + 123;  // 10 h in: above 2^32 / 2 frames
        QVERIFY(test::writeAudio(file, s, {SF_FORMAT_WAV | SF_FORMAT_PCM_24, reference}));
        auto reader = io::AudioReader::open(file);
        QVERIFY(reader.ok());
        QCOMPARE(reader->info().timeReferenceSamples.value_or(0), reference);
        QCOMPARE(reader->info().bextOriginator, QStringLiteral("stemship-tests"));
    }

    void truncatedWav()
    {
        const Signal s = test::sine(48000, 2, 440.0, 0.25, 2.0);
        const QString file = path(QStringLiteral("truncated.wav"));
        QVERIFY(test::writeAudio(file, s, {SF_FORMAT_WAV | SF_FORMAT_PCM_24, {}}));
        const qint64 full = QFileInfo(file).size();
        truncateFile(file, full - 48000 * 6 / 2);  // lose half a second
        auto reader = io::AudioReader::open(file);
        QVERIFY(reader.ok());
        QVERIFY(reader->info().truncated);
        QCOMPARE(reader->info().declaredFrames, s.frames());
        QCOMPARE(reader->info().frames, s.frames() - 24000);
        QVERIFY2(reader->info().truncationDetail.contains(QString::number(full - 144000)),
                 qPrintable(reader->info().truncationDetail));
        QCOMPARE(std::int64_t(readAll(*reader).size()), (s.frames() - 24000) * 2);
    }

    void truncatedFlac()
    {
        const Signal s = test::programme(48000, 2, 3.0, 7);
        const QString file = path(QStringLiteral("truncated.flac"));
        QVERIFY(test::writeAudio(file, s, {SF_FORMAT_FLAC | SF_FORMAT_PCM_24, {}}));
        truncateFile(file, QFileInfo(file).size() / 2);
        auto reader = io::AudioReader::open(file);
        QVERIFY(reader.ok());
        readAll(*reader);
        QVERIFY(reader->info().truncated);
        QVERIFY(reader->info().frames < s.frames());
    }

    void badFiles_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("needle");
        QTest::newRow("empty") << QByteArray() << "unreadable" << "empty";
        QTest::newRow("text") << QByteArray("this is not audio at all, just a text file\n").repeated(20) << "unreadable" << "not readable";
        QByteArray random(4096, '\0');
        quint32 x = 12345;
        for (auto &c : random) {
            x = x * 1664525u + 1013904223u;
            c = char(x >> 24);
        }
        QTest::newRow("random") << random << "unreadable" << "not readable";
        QTest::newRow("riff header only") << QByteArray("RIFF\x24\x00\x00\x00WAVE", 12) << "unreadable" << "not readable";
    }

    void badFiles()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, code);
        QFETCH(QString, needle);
        const QString file = path(QStringLiteral("bad_%1.wav").arg(QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_'))));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        f.close();
        auto reader = io::AudioReader::open(file);
        QVERIFY(!reader.ok());
        QCOMPARE(reader.error().codeName(), code);
        QCOMPARE(reader.error().file, file);
        QVERIFY2(reader.error().what.contains(needle), qPrintable(reader.error().what));
    }

    void absurdSampleRate()
    {
        const QString file = path(QStringLiteral("absurd_rate.wav"));
        QVERIFY(test::writeAudio(file, test::sine(48000, 1, 440, 0.5, 0.1), {SF_FORMAT_WAV | SF_FORMAT_PCM_16, {}}));
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray header = f.read(64);
        const int fmt = header.indexOf("fmt ");
        QVERIFY(fmt > 0);
        const quint32 rate = 0x7fffffff;
        f.seek(fmt + 12);
        f.write(reinterpret_cast<const char *>(&rate), 4);
        f.close();
        auto reader = io::AudioReader::open(file);
        QVERIFY(!reader.ok());
        QCOMPARE(reader.error().code, ErrorCode::Unreadable);
    }

    void fifoAndDirectory()
    {
        const QString fifo = path(QStringLiteral("pipe.wav"));
        QCOMPARE(mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        auto r1 = io::AudioReader::open(fifo);  // must return at once, not block on the FIFO
        QVERIFY(!r1.ok());
        QVERIFY(r1.error().what.contains(QLatin1String("not a regular file")));

        const QString dir = path(QStringLiteral("folder.wav"));
        QVERIFY(QDir().mkpath(dir));
        auto r2 = io::AudioReader::open(dir);
        QVERIFY(!r2.ok());
        QVERIFY(r2.error().what.contains(QLatin1String("directory")));

        auto r3 = io::AudioReader::open(path(QStringLiteral("does-not-exist.wav")));
        QVERIFY(!r3.ok());
        QCOMPARE(r3.error().code, ErrorCode::Unreadable);
    }

    void nonFiniteFloatsAreDelivered()
    {
        Signal s = test::sine(48000, 1, 440, 0.5, 0.1);
        s.samples[10] = std::numeric_limits<float>::quiet_NaN();
        s.samples[20] = std::numeric_limits<float>::infinity();
        const QString file = path(QStringLiteral("nan.wav"));
        QVERIFY(test::writeAudio(file, s));
        auto reader = io::AudioReader::open(file);
        QVERIFY(reader.ok());
        const auto samples = readAll(*reader);
        QVERIFY(std::isnan(samples[10]));
        QVERIFY(std::isinf(samples[20]));
    }

    void deviceReading()
    {
        const Signal s = test::sine(44100, 2, 1000.0, 0.5, 0.3);
        const QString file = path(QStringLiteral("device.flac"));
        QVERIFY(test::writeAudio(file, s, {SF_FORMAT_FLAC | SF_FORMAT_PCM_24, {}}));
        auto device = std::make_unique<QFile>(file);
        QVERIFY(device->open(QIODevice::ReadOnly));
        auto reader = io::AudioReader::openDevice(std::move(device), QStringLiteral("d.zip!device.flac"));
        QVERIFY(reader.ok());
        QCOMPARE(reader->info().path, QStringLiteral("d.zip!device.flac"));
        QCOMPARE(reader->info().format, QStringLiteral("FLAC"));
        QCOMPARE(std::int64_t(readAll(*reader).size()), s.frames() * 2);
    }

    void channelMask()
    {
        const QString file = path(QStringLiteral("surround.wav"));
        QVERIFY(test::writeAudio(file, test::sine(48000, 6, 100, 0.1, 0.1), {SF_FORMAT_WAVEX | SF_FORMAT_PCM_24, {}}));
        auto reader = io::AudioReader::open(file);
        QVERIFY(reader.ok());
        QCOMPARE(reader->info().channels, 6);
        QCOMPARE(reader->info().channelMask, 0x3Fu);  // FL FR FC LFE BL BR: libsndfile's 5.1 default
    }
};

QTEST_GUILESS_MAIN(TestAudioReader)
#include "tst_audioreader.moc"
