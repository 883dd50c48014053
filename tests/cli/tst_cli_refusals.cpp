// Inputs Stemship reads but must not pass (CLI-CONTRACT wave 2): zips unsafe to extract (`unsafe_archive`, from
// audit and verify, whatever the hostile entry is called) and float renders with absurd samples
// (`corrupt_samples`, readable numbers in the message, refused by package like an unreadable stem).

#include "clirunner.h"
#include "deliverysignals.h"
#include "testsignals.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

using namespace stemship::test;

Q_DECLARE_METATYPE(stemship::test::RawZipEntry)

namespace {

QByteArray wavBytes(const QString &scratch)
{
    if (!writeAudio(scratch, sineDb(48000, 1, 440.0, -12.0, 0.5), {SF_FORMAT_WAV | SF_FORMAT_PCM_24, {}}))
        return {};
    return readFile(scratch);
}

RawZipEntry link(const QString &name, const QByteArray &target)
{
    RawZipEntry e(name, target);
    e.symlink = true;
    return e;
}

RawZipEntry withMode(const QString &name, std::uint32_t mode)
{
    RawZipEntry e(name, QByteArray());
    e.unixMode = mode;
    return e;
}

QJsonObject jsonOf(const CliRun &r) { return QJsonDocument::fromJson(r.out).object(); }

}  // namespace

class TestCliRefusals : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QByteArray m_wav;
    const CliRunner m_cli{QStringLiteral(STEMSHIP_CLI_PATH)};

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_wav = wavBytes(m_dir.filePath(QStringLiteral("scratch.wav")));
        QVERIFY(!m_wav.isEmpty());
    }

    void unsafeArchive_data()
    {
        QTest::addColumn<QList<RawZipEntry>>("hostile");
        QTest::addColumn<QString>("entry");
        QTest::newRow("symlink without an audio extension") << QList<RawZipEntry>{link(QStringLiteral("notes"), "/etc/passwd")} << "notes";
        QTest::newRow("file through a symlink folder") << QList<RawZipEntry>{link(QStringLiteral("docs"), "/tmp"),
                                                                            RawZipEntry(QStringLiteral("docs/readme.txt"), "x")}
                                                       << "docs/readme.txt";
        QTest::newRow("dot-dot text file") << QList<RawZipEntry>{RawZipEntry(QStringLiteral("../outside.txt"), "x")} << "../outside.txt";
        QTest::newRow("absolute text file") << QList<RawZipEntry>{RawZipEntry(QStringLiteral("/tmp/abs.txt"), "x")} << "/tmp/abs.txt";
        QTest::newRow("character device") << QList<RawZipEntry>{withMode(QStringLiteral("dev"), 020644)} << "dev";
        QTest::newRow("fifo") << QList<RawZipEntry>{withMode(QStringLiteral("pipe"), 010644)} << "pipe";
    }

    // Before: a symlink entry without an audio extension passed audit, and extracting that zip with ordinary
    // tools follows the link.
    void unsafeArchive()
    {
        QFETCH(QList<RawZipEntry>, hostile);
        QFETCH(QString, entry);
        QList<RawZipEntry> entries{RawZipEntry(QStringLiteral("Kick.wav"), m_wav)};
        entries += hostile;
        const QString zip = m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_')) + QStringLiteral(".zip"));
        QVERIFY(writeFile(zip, buildZip(entries)));

        const CliRun audit = m_cli.run({QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--json"), QStringLiteral("-"), zip});
        QCOMPARE(audit.exitCode, 1);
        const QJsonObject report = jsonOf(audit);
        QJsonObject unsafe;
        for (const auto &i : report.value(QStringLiteral("issues")).toArray())
            if (i.toObject().value(QStringLiteral("code")).toString() == QLatin1String("unsafe_archive"))
                unsafe = i.toObject();
        QVERIFY2(!unsafe.isEmpty(), audit.out.constData());
        QCOMPARE(unsafe.value(QStringLiteral("severity")).toString(), QStringLiteral("error"));
        QVERIFY2(unsafe.value(QStringLiteral("message")).toString().contains(QLatin1Char('\'') + entry + QLatin1Char('\'')),
                 audit.out.constData());
        // The safe audio entry is still measured.
        const QJsonArray stems = report.value(QStringLiteral("stems")).toArray();
        QCOMPARE(stems.size(), 1);
        QVERIFY(stems[0].toObject().value(QStringLiteral("sample_peak_dbfs")).toDouble() > -13.0);

        const CliRun verify = m_cli.run({QStringLiteral("verify"), QStringLiteral("--json"), QStringLiteral("-"), zip});
        QCOMPARE(verify.exitCode, 1);
        bool named = false;
        for (const auto &p : jsonOf(verify).value(QStringLiteral("problems")).toArray())
            named = named || (p.toObject().value(QStringLiteral("code")).toString() == QLatin1String("unsafe_archive")
                              && p.toObject().value(QStringLiteral("file")).toString().endsWith(QLatin1Char('!') + entry));
        QVERIFY2(named, verify.out.constData());
    }

    // A delivery Stemship wrote is safe: no unsafe_archive from audit or verify.
    void ownDeliveryIsSafe()
    {
        const QString session = m_dir.filePath(QStringLiteral("safe"));
        QDir().mkpath(session);
        QVERIFY(writeAudio(session + QStringLiteral("/Kick.wav"), sineDb(48000, 1, 60.0, -12.0, 1.0)));
        const QString out = m_dir.filePath(QStringLiteral("safe.zip"));
        QCOMPARE(m_cli.run({QStringLiteral("package"), QStringLiteral("--quiet"), QStringLiteral("-o"), out, QStringLiteral("--tempo"),
                            QStringLiteral("120"), QStringLiteral("--time-signature"), QStringLiteral("4/4"), QStringLiteral("--version"),
                            QStringLiteral("1"), session}).exitCode, 0);
        const CliRun audit = m_cli.run({QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--json"), QStringLiteral("-"), out});
        QVERIFY(!audit.out.contains("unsafe_archive"));
        QCOMPARE(m_cli.run({QStringLiteral("verify"), out}).exitCode, 0);
    }

    // A broken plug-in render: 3 samples of 1e28 in an otherwise sane float stem. Before: no error, and the
    // audit said "DC offset 12586162348509660765856202752.0000"; packaging let it set the balanced gain.
    void corruptSamples()
    {
        const QString session = m_dir.filePath(QStringLiteral("corrupt"));
        QDir().mkpath(session);
        Signal broken = sineDb(48000, 2, 440.0, -12.0, 2.0);
        for (std::int64_t f : {24000, 24001, 50000})
            broken.at(f, 1) = 1e28f;
        QVERIFY(writeAudio(session + QStringLiteral("/Synth.wav"), broken));  // WAV float
        QVERIFY(writeAudio(session + QStringLiteral("/Bass.wav"), sineDb(48000, 2, 55.0, -12.0, 2.0)));

        const CliRun audit = m_cli.run({QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--json"), QStringLiteral("-"),
                                        session + QStringLiteral("/Synth.wav")});
        QCOMPARE(audit.exitCode, 1);
        const QJsonObject stem = jsonOf(audit).value(QStringLiteral("stems")).toArray().at(0).toObject();
        QString message;
        for (const auto &i : stem.value(QStringLiteral("issues")).toArray()) {
            const QJsonObject issue = i.toObject();
            if (issue.value(QStringLiteral("code")).toString() == QLatin1String("corrupt_samples")) {
                QCOMPARE(issue.value(QStringLiteral("severity")).toString(), QStringLiteral("error"));
                message = issue.value(QStringLiteral("message")).toString();
            }
            QVERIFY2(issue.value(QStringLiteral("code")).toString() != QLatin1String("dc_offset"), audit.out.constData());
        }
        QVERIFY2(message.startsWith(QLatin1String("3 samples beyond +100 dBFS")), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("0.500 s (frame 24000)")), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("560.0 dBFS")), qPrintable(message));  // 20 log10(1e28)
        QVERIFY2(audit.err.contains("Synth.wav"), audit.err.constData());
        // Metered as silence: the sine's own levels, not 1e28.
        QVERIFY(std::abs(stem.value(QStringLiteral("sample_peak_dbfs")).toDouble() + 12.0) < 0.1);

        const QStringList package{QStringLiteral("package"), QStringLiteral("--quiet"), QStringLiteral("-o"), m_dir.filePath(QStringLiteral("corrupt.zip")),
                                  QStringLiteral("--tempo"), QStringLiteral("120"), QStringLiteral("--time-signature"), QStringLiteral("4/4"),
                                  QStringLiteral("--version"), QStringLiteral("1"), QStringLiteral("--gain"), QStringLiteral("balanced"), session};
        const CliRun refused = m_cli.run(package);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("Synth.wav") && refused.err.contains("beyond +100 dBFS"), refused.err.constData());
        QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("corrupt.zip"))));

        const CliRun skipped = m_cli.run(QStringList(package) << QStringLiteral("--skip-unreadable"));
        QVERIFY2(skipped.exitCode == 0, skipped.err.constData());
        QVERIFY2(skipped.err.contains("Synth.wav: skipped"), skipped.err.constData());
        // Balanced: Bass alone sets the common gain, to the -18 dBFS peak target (its peak is -12).
        const CliRun delivered = m_cli.run({QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--json"), QStringLiteral("-"),
                                            m_dir.filePath(QStringLiteral("corrupt.zip"))});
        const QJsonArray stems = jsonOf(delivered).value(QStringLiteral("stems")).toArray();
        QCOMPARE(stems.size(), 1);
        QVERIFY(std::abs(stems[0].toObject().value(QStringLiteral("sample_peak_dbfs")).toDouble() + 18.0) < 0.2);
    }
};

QTEST_GUILESS_MAIN(TestCliRefusals)
#include "tst_cli_refusals.moc"
