#include "deliverysignals.h"
#include "delivery/packager.h"
#include "delivery/verifier.h"
#include "io/ziparchive.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

using namespace stemship;
using namespace stemship::test;

// verifyDelivery: a good delivery passes; damage, tampering and hostile archives fail, naming the file.
class TestVerifier : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_good;

    static bool mentions(const delivery::VerifyReport &r, const QString &needle)
    {
        for (const Error &e : r.problems)
            if (e.line().contains(needle))
                return true;
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QList<io::StemSource> sources;
        for (int i = 0; i < 2; ++i) {
            const QString path = m_dir.filePath(QStringLiteral("Stem %1.wav").arg(i));
            QVERIFY(writeAudio(path, programme(44100, 2, 3.0, 20u + i)));
            sources.append({path, path, {}});
        }
        delivery::DeliverySpec spec;
        spec.sources = sources;
        spec.outputPath = m_good = m_dir.filePath(QStringLiteral("good.zip"));
        spec.version = QStringLiteral("v2");
        spec.jobs = 2;
        auto result = delivery::packageStems(spec, {}, CancelToken());
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().line()));
    }

    void goodDeliveryVerifies()
    {
        const auto report = delivery::verifyDelivery(m_good);
        QVERIFY2(report.ok, qPrintable(report.problems.value(0).line()));
        QCOMPARE(report.files.size(), 2);
    }

    void corruptedByteNamesTheFile()
    {
        QByteArray zip = readFile(m_good);
        auto archive = io::ZipArchive::open(m_good);
        QVERIFY(archive.ok());
        const io::ZipEntry *e = archive->entry(QStringLiteral("02 Stem 1.wav"));
        QVERIFY(e);
        const qsizetype at = qsizetype(e->dataOffset + e->size / 2);
        zip[at] = char(zip[at] ^ 0x5a);
        const QString bad = m_dir.filePath(QStringLiteral("bad.zip"));
        QVERIFY(writeFile(bad, zip));
        const auto report = delivery::verifyDelivery(bad);
        QVERIFY(!report.ok);
        QVERIFY(mentions(report, QStringLiteral("02 Stem 1.wav")));
        QVERIFY(mentions(report, QStringLiteral("SHA-256 mismatch")));
        QVERIFY(!mentions(report, QStringLiteral("01 Stem 0.wav")));
    }

    void missingAndUnlistedFiles()
    {
        auto archive = io::ZipArchive::open(m_good);
        QList<RawZipEntry> entries;
        for (const auto &e : archive->entries()) {
            if (e.name == QLatin1String("01 Stem 0.wav"))
                continue;
            entries.append({e.name, archive->openEntry(e.name)->readAll()});
        }
        entries.append({QStringLiteral("extra.wav"), QByteArrayLiteral("RIFF")});
        const QString path = m_dir.filePath(QStringLiteral("edited.zip"));
        QVERIFY(writeFile(path, buildZip(entries)));
        const auto report = delivery::verifyDelivery(path);
        QVERIFY(!report.ok);
        QVERIFY(mentions(report, QStringLiteral("01 Stem 0.wav: listed in manifest.json but missing")));
        QVERIFY(mentions(report, QStringLiteral("extra.wav: in the zip but not listed")));
    }

    void hostileArchivesAreRejected_data()
    {
        QTest::addColumn<QString>("entryName");
        QTest::addColumn<bool>("symlink");
        QTest::newRow("dotdot") << QStringLiteral("../01 Stem 0.wav") << false;
        QTest::newRow("absolute") << QStringLiteral("/tmp/01 Stem 0.wav") << false;
        QTest::newRow("symlink") << QStringLiteral("link.wav") << true;
        QTest::newRow("duplicate") << QStringLiteral("manifest.json") << false;
    }
    void hostileArchivesAreRejected()
    {
        QFETCH(QString, entryName);
        QFETCH(bool, symlink);
        auto archive = io::ZipArchive::open(m_good);
        QList<RawZipEntry> entries;
        for (const auto &e : archive->entries())
            entries.append({e.name, archive->openEntry(e.name)->readAll()});
        RawZipEntry extra{entryName, QByteArrayLiteral("{}")};
        extra.symlink = symlink;
        entries.append(extra);
        const QString path = m_dir.filePath(QStringLiteral("hostile-%1.zip").arg(QString::fromLatin1(QTest::currentDataTag())));
        QVERIFY(writeFile(path, buildZip(entries)));
        const auto report = delivery::verifyDelivery(path);
        QVERIFY(!report.ok);
        QVERIFY(mentions(report, entryName));
    }

    void bombIsRejected()
    {
        RawZipEntry bomb{QStringLiteral("manifest.json"), QByteArray(1000, ' '), 8};
        bomb.declaredSize = std::uint64_t(3) << 30;
        const QString path = m_dir.filePath(QStringLiteral("bomb.zip"));
        QVERIFY(writeFile(path, buildZip({bomb})));
        const auto report = delivery::verifyDelivery(path);
        QVERIFY(!report.ok);
        QVERIFY(mentions(report, QStringLiteral("compression bomb")));
    }

    void notAZip()
    {
        const QString path = m_dir.filePath(QStringLiteral("text.zip"));
        QVERIFY(writeFile(path, QByteArrayLiteral("just text")));
        const auto report = delivery::verifyDelivery(path);
        QVERIFY(!report.ok);
        QVERIFY(mentions(report, path));
    }
};

QTEST_GUILESS_MAIN(TestVerifier)
#include "tst_verifier.moc"
