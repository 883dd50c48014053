// A WAV rendered into a work file (a delivery with an RF64 WAV) is the zip entry's WAV byte for byte: one header
// rule (io/wavheader.h), and the digest taken while writing is the file's, since the zip's CRC and the manifest's
// SHA-256 come from it without reading the file again.

#include "delivery/stemrender.h"
#include "io/audioreader.h"
#include "io/filedigest.h"
#include "io/wavheader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <unistd.h>

#include <vector>

using namespace stemship;

class TestWorkFile : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    delivery::RenderJob jobFor(const QString &name, int channels, std::int64_t lengthFrames)
    {
        // A float cache of 1000 frames: a slow ramp, placed 37 frames into the file.
        const QString cache = m_dir.filePath(name + QStringLiteral(".f32"));
        std::vector<float> samples(std::size_t(1000 * channels));
        for (std::size_t i = 0; i < samples.size(); ++i)
            samples[i] = float(i % 2000) / 4000.0f - 0.25f;
        QFile f(cache);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(reinterpret_cast<const char *>(samples.data()), qint64(samples.size() * sizeof(float)));
        delivery::RenderJob job;
        job.cachePath = cache;
        job.channels = channels;
        job.stemFrames = 1000;
        job.offsetFrames = 37;
        job.lengthFrames = lengthFrames;
        job.gainDb = -3.0;
        job.ditherSeed = 9;
        job.output.path = m_dir.filePath(name + QStringLiteral(".wav"));
        job.output.channels = channels;
        job.output.encoding = io::SampleEncoding::Pcm24;
        job.output.syncToDisk = false;
        job.output.bext.description = QStringLiteral("Song - ") + name;
        job.output.bext.codingHistory = QStringLiteral("A=PCM,F=48000,W=24,M=mono,T=Stemship;TPDF dither");
        job.output.bext.integratedLufs = -21.5;
        job.output.bext.umid = io::newBasicUmid(channels);
        job.output.ixml = io::IxmlFields{QStringLiteral("Song"), QStringLiteral("version 1"), {{1, 1, name, QStringLiteral("M")}}, 0};
        job.output.tags = {name, 120.0, QStringLiteral("1"), QStringLiteral("Song version 1")};
        return job;
    }

private Q_SLOTS:
    void sameBytesAsTheZipEntry_data()
    {
        QTest::addColumn<int>("channels");
        QTest::addColumn<qint64>("lengthFrames");
        QTest::newRow("mono, odd data") << 1 << qint64(2001);
        QTest::newRow("stereo") << 2 << qint64(1500);
    }
    void sameBytesAsTheZipEntry()
    {
        QFETCH(int, channels);
        QFETCH(qint64, lengthFrames);
        const delivery::RenderJob job = jobFor(QStringLiteral("stem%1").arg(channels), channels, lengthFrames);
        QVERIFY(!job.cachePath.isEmpty());
        auto written = delivery::renderStem(job, CancelToken(), nullptr);
        QVERIFY2(written, qPrintable(written ? QString() : written.error().line()));
        auto read = io::digestFile(job.output.path, CancelToken());
        QVERIFY(read);
        QCOMPARE(written->sha256, read->sha256);
        QCOMPARE(written->crc32, read->crc32);
        QCOMPARE(written->bytes, read->bytes);

        // The zip path: the same job into an entry's sink at an offset.
        auto layout = io::wavLayoutFor(job.output, job.lengthFrames);
        QVERIFY(layout && layout->fitsRiff(job.lengthFrames));
        const QString entryFile = m_dir.filePath(QStringLiteral("entry%1.bin").arg(channels));
        const int fd = ::open(QFile::encodeName(entryFile).constData(), O_RDWR | O_CREAT | O_TRUNC, 0600);
        QVERIFY(fd >= 0);
        io::OffsetWriter sink(fd, 100, layout->bytes(job.lengthFrames), entryFile);
        auto entry = delivery::renderStemInto(job, *layout, sink, CancelToken(), nullptr);
        ::close(fd);
        QVERIFY(entry);
        QCOMPARE(entry->sha256, written->sha256);
        QFile work(job.output.path), zipped(entryFile);
        QVERIFY(work.open(QIODevice::ReadOnly) && zipped.open(QIODevice::ReadOnly));
        const QByteArray bytes = work.readAll();
        QCOMPARE(zipped.readAll().mid(100), bytes);
        QVERIFY(bytes.startsWith(layout->headerWith({-21.5, {}, {}, {}, {}})));
        QVERIFY(bytes.endsWith(QByteArray(layout->gap + layout->tail)));

        auto reader = io::AudioReader::open(job.output.path);
        QVERIFY(reader && reader->info().bext);
        QCOMPARE(reader->info().frames, lengthFrames);
        QCOMPARE(reader->info().bext->loudness.loudnessValueLufs.value_or(0), -21.5);
        QVERIFY(reader->info().ixml);
    }
};

QTEST_GUILESS_MAIN(TestWorkFile)
#include "tst_workfile.moc"
