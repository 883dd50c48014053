// What a delivery says about its sources (CLI-CONTRACT wave 2): numbering in natural order without a template,
// `source` relative to the PATH argument it was found under, and no absolute path of the sender's disk anywhere
// in the zip (entries are stored, so the zip's bytes are searched as they are).

#include "clirunner.h"
#include "deliverysignals.h"
#include "testsignals.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace stemship::test;

class TestCliDeliveryNames : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    const CliRunner m_cli{QStringLiteral(STEMSHIP_CLI_PATH)};

    QStringList packageArgs(const QString &out) const
    {
        return {QStringLiteral("package"), QStringLiteral("--quiet"), QStringLiteral("-o"), out, QStringLiteral("--tempo"),
                QStringLiteral("120"), QStringLiteral("--time-signature"), QStringLiteral("4/4"), QStringLiteral("--version"),
                QStringLiteral("1")};
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // As DAWs export them: 1_kick, 2_snare, 10_bass, then a, B (case-insensitive). Before: 10_bass came second.
    void naturalOrderWithoutTemplate()
    {
        const QString session = m_dir.filePath(QStringLiteral("natural"));
        QDir().mkpath(session);
        const QStringList names{QStringLiteral("10_bass"), QStringLiteral("B"), QStringLiteral("2_snare"), QStringLiteral("a"), QStringLiteral("1_kick")};
        for (int i = 0; i < names.size(); ++i)
            QVERIFY(writeAudio(session + QLatin1Char('/') + names[i] + QStringLiteral(".wav"), sineDb(48000, 1, 220.0 * (i + 1), -12.0, 1.0)));
        const QString out = m_dir.filePath(QStringLiteral("natural.zip"));
        const CliRun r = m_cli.run(packageArgs(out) << session);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray stems = QJsonDocument::fromJson(unzipEntry(out, QStringLiteral("manifest.json"))).object().value(QStringLiteral("stems")).toArray();
        QStringList files;
        for (const auto &s : stems)
            files << s.toObject().value(QStringLiteral("file")).toString();
        QCOMPARE(files, (QStringList{QStringLiteral("01 1_kick.wav"), QStringLiteral("02 2_snare.wav"), QStringLiteral("03 10_bass.wav"),
                                     QStringLiteral("04 a.wav"), QStringLiteral("05 B.wav")}));
    }

    // A folder argument: paths below it; a file argument: its name; the reference: its name. Before, manifest
    // and NOTES carried /home/…/session/Kick In.wav.
    void sourcesAreRelativeToTheirArgument()
    {
        const QString session = m_dir.filePath(QStringLiteral("session"));
        QDir().mkpath(session + QStringLiteral("/drums"));
        QVERIFY(writeAudio(session + QStringLiteral("/drums/Kick In.wav"), sineDb(48000, 1, 60.0, -12.0, 2.0)));
        const QString single = m_dir.filePath(QStringLiteral("elsewhere/Vox.wav"));
        QDir().mkpath(QFileInfo(single).path());
        QVERIFY(writeAudio(single, sineDb(48000, 1, 440.0, -12.0, 2.0)));
        const QString mix = m_dir.filePath(QStringLiteral("mixes/Song mix.wav"));
        QDir().mkpath(QFileInfo(mix).path());
        QVERIFY(writeAudio(mix, sineDb(48000, 1, 60.0, -12.0, 2.0)));
        const QString out = m_dir.filePath(QStringLiteral("relative.zip"));
        const CliRun r = m_cli.run(packageArgs(out) << QStringLiteral("--reference") << mix << session << single);
        QVERIFY2(r.exitCode == 0, r.err.constData());

        const QJsonObject manifest = QJsonDocument::fromJson(unzipEntry(out, QStringLiteral("manifest.json"))).object();
        QStringList sources;
        for (const auto &s : manifest.value(QStringLiteral("stems")).toArray())
            sources << s.toObject().value(QStringLiteral("source")).toString();
        QCOMPARE(sources, (QStringList{QStringLiteral("drums/Kick In.wav"), QStringLiteral("Vox.wav")}));
        QCOMPARE(manifest.value(QStringLiteral("reference")).toObject().value(QStringLiteral("source")).toString(), QStringLiteral("Song mix.wav"));
        const QByteArray notes = unzipEntry(out, QStringLiteral("NOTES.txt"));
        QVERIFY2(notes.contains("from drums/Kick In.wav"), notes.constData());

        // Nowhere in the zip: not the temporary folder, not the session's absolute path.
        const QByteArray zip = readFile(out);
        QVERIFY(!zip.isEmpty());
        for (const QString &absolute : {m_dir.path(), QFileInfo(m_dir.path()).canonicalFilePath(), QDir::homePath()})
            if (absolute.size() > 1)
                QVERIFY2(!zip.contains(QFile::encodeName(absolute)), qPrintable(absolute));
    }
};

QTEST_GUILESS_MAIN(TestCliDeliveryNames)
#include "tst_cli_deliverynames.moc"
