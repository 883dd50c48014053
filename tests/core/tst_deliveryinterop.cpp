#include "deliverysignals.h"
#include "delivery/packager.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipfileinfo.h>

#include <sndfile.h>

using namespace stemship;
using namespace stemship::test;

// The delivery zip is written by Stemship's own stored-zip writer (parallel, at reserved offsets); here it is read
// by independent implementations, as the mix engineer's tools will: QuaZip (minizip) and Info-ZIP's unzip.
class TestDeliveryInterop : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QList<io::StemSource> m_sources;

    QString package(const QString &name)
    {
        delivery::DeliverySpec spec;
        spec.sources = m_sources;
        spec.outputPath = m_dir.filePath(name);
        spec.version = QStringLiteral("v1");
        spec.tempoBpm = 120.0;
        spec.jobs = 2;
        auto result = delivery::packageStems(spec, {}, CancelToken());
        return result ? spec.outputPath : QString();
    }

    // Every entry through minizip: names, stored, CRC-32 checked by minizip on close, SHA-256 against the manifest.
    static QString checkWithQuaZip(const QString &path, int *entries)
    {
        QuaZip zip(path);
        if (!zip.open(QuaZip::mdUnzip))
            return QStringLiteral("QuaZip cannot open it: error %1").arg(zip.getZipError());
        QMap<QString, QByteArray> sha;
        QByteArray manifest;
        *entries = 0;
        for (bool more = zip.goToFirstFile(); more; more = zip.goToNextFile()) {
            QuaZipFileInfo64 info;
            if (!zip.getCurrentFileInfo(&info))
                return QStringLiteral("no file info");
            if (info.method != 0)
                return info.name + QStringLiteral(": method %1, not stored").arg(info.method);
            QuaZipFile file(&zip);
            if (!file.open(QIODevice::ReadOnly))
                return info.name + QStringLiteral(": cannot open");
            const QByteArray data = file.readAll();
            file.close();
            if (file.getZipError() != UNZ_OK)
                return info.name + QStringLiteral(": minizip error %1 on close (CRC)").arg(file.getZipError());
            if (quint64(data.size()) != info.uncompressedSize)
                return info.name + QStringLiteral(": size");
            sha[info.name] = QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
            if (info.name == QLatin1String("manifest.json"))
                manifest = data;
            ++*entries;
        }
        if (zip.getZipError() != UNZ_OK)
            return QStringLiteral("walking the entries: error %1").arg(zip.getZipError());
        const QJsonObject m = QJsonDocument::fromJson(manifest).object();
        const QJsonArray files = m.value(QStringLiteral("stems")).toArray();
        if (files.isEmpty())
            return QStringLiteral("manifest lists no stems");
        for (const QJsonValue &f : files) {
            const QString name = f.toObject().value(QStringLiteral("file")).toString();
            if (sha.value(name) != f.toObject().value(QStringLiteral("sha256")).toString().toLatin1())
                return name + QStringLiteral(": SHA-256 differs from the manifest");
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        const Signal kick = clickAt(48000, 1, 4.0, 48000);
        const Signal keys = clickAt(44100, 2, 5.0, 44100, 0.3f);
        const QString a = m_dir.filePath(QStringLiteral("Kick.wav")), b = m_dir.filePath(QStringLiteral("Keys.wav"));
        QVERIFY(writeAudio(a, kick));
        WriteOptions pcm16;
        pcm16.sfFormat = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
        QVERIFY(writeAudio(b, keys, pcm16));
        m_sources = {io::StemSource{a, a, {}}, io::StemSource{b, b, {}}};
    }

    // Zip64 archives from the same writer are read by QuaZip and unzip in tst_zipwriter.
    void readByOtherTools()
    {
        const QString zip = package(QStringLiteral("classic.zip"));
        QVERIFY(!zip.isEmpty());
        int entries = 0;
        const QString problem = checkWithQuaZip(zip, &entries);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(entries, int(m_sources.size()) + 2);  // the stems, NOTES.txt, manifest.json

        const QString unzip = QStandardPaths::findExecutable(QStringLiteral("unzip"));
        if (unzip.isEmpty())
            QSKIP("Info-ZIP unzip is not installed (scripts/setup.sh installs it)");
        QProcess p;
        p.start(unzip, {QStringLiteral("-t"), zip});
        QVERIFY(p.waitForFinished(30000));
        const QString out = QString::fromLocal8Bit(p.readAllStandardOutput() + p.readAllStandardError());
        QVERIFY2(p.exitCode() == 0 && out.contains(QStringLiteral("No errors detected")), qPrintable(out));
    }

    void aDamagedEntryIsCaughtByThem()
    {
        // The control: the same checks fail on a zip with one byte of one stem flipped.
        const QString zip = package(QStringLiteral("damaged.zip"));
        QVERIFY(!zip.isEmpty());
        QByteArray bytes = readFile(zip);
        const qsizetype at = bytes.indexOf("data") + 64;  // inside the first WAV's samples
        QVERIFY(at > 64);
        bytes[at] = char(bytes[at] ^ 0x40);
        QVERIFY(writeFile(zip, bytes));
        int entries = 0;
        const QString problem = checkWithQuaZip(zip, &entries);
        QVERIFY2(problem.contains(QStringLiteral("error %1 on close").arg(UNZ_CRCERROR)), qPrintable(problem));
        const QString unzip = QStandardPaths::findExecutable(QStringLiteral("unzip"));
        if (unzip.isEmpty())
            QSKIP("Info-ZIP unzip is not installed");
        QProcess p;
        p.start(unzip, {QStringLiteral("-t"), zip});
        QVERIFY(p.waitForFinished(30000));
        QVERIFY(p.exitCode() != 0);
    }
};

QTEST_GUILESS_MAIN(TestDeliveryInterop)
#include "tst_deliveryinterop.moc"
