// Each of the verifier's per-file audio checks, triggered alone: the first stem of a good delivery is replaced by a
// WAV that differs in exactly one way, the manifest is corrected (SHA-256, frames) so that no other check can fire,
// and the zip is rebuilt. The report must hold exactly one problem, the expected one, naming the file.

#include "deliverysignals.h"
#include "delivery/packager.h"
#include "delivery/verifier.h"
#include "io/ziparchive.h"

#include <QCryptographicHash>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

using namespace stemship;
using namespace stemship::test;

class TestVerifierChecks : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QList<RawZipEntry> m_entries;  // the good delivery's, in order
    std::int64_t m_lengthFrames = 0;

    // The delivery with its first stem replaced by replacement (and listed frames set to listedFrames).
    QString tampered(const QString &name, const QByteArray &replacement, std::int64_t listedFrames)
    {
        QList<RawZipEntry> entries = m_entries;
        QJsonObject manifest;
        for (const RawZipEntry &e : entries)
            if (e.name == QLatin1String("manifest.json"))
                manifest = QJsonDocument::fromJson(e.data).object();
        QJsonArray stems = manifest.value(QStringLiteral("stems")).toArray();
        QJsonObject first = stems[0].toObject();
        first[QStringLiteral("sha256")] = QString::fromLatin1(QCryptographicHash::hash(replacement, QCryptographicHash::Sha256).toHex());
        first[QStringLiteral("frames")] = qint64(listedFrames);
        stems[0] = first;
        manifest[QStringLiteral("stems")] = stems;
        for (RawZipEntry &e : entries) {
            if (e.name == first.value(QStringLiteral("file")).toString())
                e.data = replacement;
            else if (e.name == QLatin1String("manifest.json"))
                e.data = QJsonDocument(manifest).toJson();
        }
        const QString path = m_dir.filePath(name + QStringLiteral(".zip"));
        return writeFile(path, buildZip(entries)) ? path : QString();
    }

    QByteArray wav(int format, int rateHz, std::int64_t frames)
    {
        const QString path = m_dir.filePath(QStringLiteral("replacement.bin"));
        Signal s = sineDb(rateHz, 2, 440.0, -12.0, 0.0);
        s.sampleRateHz = rateHz;
        s.samples.assign(std::size_t(frames * 2), 0.1f);
        return writeAudio(path, s, {format, {}}) ? readFile(path) : QByteArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QList<io::StemSource> sources;
        for (int i = 0; i < 2; ++i) {
            const QString path = m_dir.filePath(QStringLiteral("Stem %1.wav").arg(i));
            QVERIFY(writeAudio(path, programme(48000, 2, 2.0, 40u + i)));
            sources.append({path, path, {}});
        }
        delivery::DeliverySpec spec;
        spec.sources = sources;
        spec.outputPath = m_dir.filePath(QStringLiteral("good.zip"));
        spec.version = QStringLiteral("1");
        auto result = delivery::packageStems(spec, {}, CancelToken());
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().line()));
        m_lengthFrames = result->timeline.lengthFrames;
        auto archive = io::ZipArchive::open(spec.outputPath);
        QVERIFY(archive.ok());
        for (const io::ZipEntry &e : archive->entries()) {
            auto device = archive->openEntry(e.name);
            QVERIFY(device);
            m_entries.append(RawZipEntry(e.name, device->readAll()));
        }
        // The rebuilt, untampered zip verifies: what fails below fails for the one difference.
        const QString same = tampered(QStringLiteral("same"), m_entries[0].data, m_lengthFrames);
        const auto report = delivery::verifyDelivery(same);
        QVERIFY2(report.ok, qPrintable(report.problems.value(0).line()));
    }

    void oneCheckAlone_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("rateHz");
        QTest::addColumn<int>("extraFrames");    // file length - delivery length
        QTest::addColumn<int>("listedExtra");    // manifest frames - file length
        QTest::addColumn<QString>("expected");
        const int pcm24 = SF_FORMAT_WAV | SF_FORMAT_PCM_24;
        QTest::newRow("format") << (SF_FORMAT_AIFF | SF_FORMAT_PCM_24) << 48000 << 0 << 0 << "format AIFF, expected WAV";
        QTest::newRow("rate") << pcm24 << 44100 << 0 << 0 << "sample rate 44100 Hz, manifest says 48000 Hz";
        QTest::newRow("depth") << (SF_FORMAT_WAV | SF_FORMAT_PCM_16) << 48000 << 0 << 0 << "manifest says 24-bit PCM";
        QTest::newRow("float") << (SF_FORMAT_WAV | SF_FORMAT_FLOAT) << 48000 << 0 << 0 << "manifest says 24-bit PCM";
        QTest::newRow("frame count") << pcm24 << 48000 << 0 << 7 << "manifest says";
        QTest::newRow("equal length") << pcm24 << 48000 << 480 << 0 << "the delivery is";
    }

    void oneCheckAlone()
    {
        QFETCH(int, format);
        QFETCH(int, rateHz);
        QFETCH(int, extraFrames);
        QFETCH(int, listedExtra);
        QFETCH(QString, expected);
        const std::int64_t frames = m_lengthFrames + extraFrames;
        const QByteArray replacement = wav(format, rateHz, frames);
        QVERIFY(!replacement.isEmpty());
        const QString zip = tampered(QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_')),
                                     replacement, frames + listedExtra);
        const auto report = delivery::verifyDelivery(zip);
        QVERIFY(!report.ok);
        // The replacement is a plain libsndfile file with no BWF metadata, so the metadata checks (bext v2, UMID)
        // fire on it too; they are tested in tst_cli_metadata. Of the format checks, exactly one may fire.
        QStringList lines;
        for (const Error &e : report.problems)
            if (!e.what.contains(QLatin1String("bext")) && !e.what.contains(QLatin1String("UMID")))
                lines << e.line();
        QVERIFY2(lines.size() == 1, qPrintable(lines.join(QLatin1Char('\n'))));
        QVERIFY2(lines[0].contains(expected), qPrintable(lines[0]));
        QVERIFY2(lines[0].contains(QLatin1String("!01 ")), qPrintable(lines[0]));
    }
};

QTEST_GUILESS_MAIN(TestVerifierChecks)
#include "tst_verifierchecks.moc"
