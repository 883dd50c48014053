#include "clirunner.h"
#include "deliverysignals.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include <sndfile.h>

#include <csignal>
#include <sys/resource.h>

using namespace stemship::test;

// `stemship package` and `stemship verify` end to end: exit codes, full disk, Ctrl-C and kill -9.
class TestCliPackage : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_stems;      // a short session
    QString m_longStems;  // long enough to interrupt
    QString m_many;

    // The long stems under many hard-linked names: a job that lasts seconds however fast packaging gets.
    QString manyLongStems()
    {
        if (!m_many.isEmpty())
            return m_many;
        const QString many = m_dir.filePath(QStringLiteral("many"));
        if (!QDir().mkpath(many))
            return {};
        const QStringList longs = QDir(m_longStems).entryList({QStringLiteral("*.wav")}, QDir::Files);
        for (int copy = 0; copy < 10; ++copy)
            for (const QString &name : longs)
                if (::link(QFile::encodeName(m_longStems + QLatin1Char('/') + name).constData(),
                           QFile::encodeName(many + QStringLiteral("/%1 %2").arg(copy).arg(name)).constData()) != 0)
                    return {};
        m_many = many;
        return m_many;
    }

    const CliRunner m_cli{QStringLiteral(STEMSHIP_CLI_PATH), {}, 300000};  // packaging gets longer than the default 120 s

    QStringList packageArgs(const QString &out, const QString &stems) const
    {
        return {QStringLiteral("package"), QStringLiteral("-o"), out, QStringLiteral("--tempo"), QStringLiteral("120"),
                QStringLiteral("--time-signature"), QStringLiteral("4/4"), QStringLiteral("--version"), QStringLiteral("v1"),
                QStringLiteral("--gain"), QStringLiteral("peak"), QStringLiteral("--jobs"), QStringLiteral("2"), stems};
    }

    QStringList leftovers() const
    {
        return QDir(m_dir.path()).entryList({QStringLiteral(".*stemship-tmp*")}, QDir::AllEntries | QDir::Hidden | QDir::System);
    }

    QStringList sourceHashes(const QString &folder) const
    {
        QStringList hashes;
        for (const QString &f : QDir(folder).entryList(QDir::Files, QDir::Name))
            hashes << QString::fromLatin1(sha256File(QDir(folder).filePath(f)));
        return hashes;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_stems = m_dir.filePath(QStringLiteral("stems"));
        m_longStems = m_dir.filePath(QStringLiteral("long"));
        QVERIFY(QDir().mkpath(m_stems));
        QVERIFY(QDir().mkpath(m_longStems));
        QVERIFY(writeAudio(m_stems + QStringLiteral("/Kick.wav"), programme(48000, 2, 4.0, 1u)));
        QVERIFY(writeAudio(m_stems + QStringLiteral("/Bass.wav"), programme(44100, 1, 4.0, 2u), {SF_FORMAT_WAV | SF_FORMAT_PCM_16, {}}));
        QVERIFY(writeAudio(m_stems + QStringLiteral("/Keys.flac"), programme(96000, 2, 4.0, 3u), {SF_FORMAT_FLAC | SF_FORMAT_PCM_24, {}}));
        for (int i = 0; i < 4; ++i)
            QVERIFY(writeAudio(m_longStems + QStringLiteral("/Long %1.wav").arg(i), programme(44100, 2, 60.0, 10u + i)));
    }

    void packagesAndVerifies()
    {
        const QString out = m_dir.filePath(QStringLiteral("ok.zip"));
        const QStringList before = sourceHashes(m_stems);
        const CliRun r = m_cli.run(packageArgs(out, m_stems) << QStringLiteral("--quiet"));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(QFileInfo::exists(out));
        QCOMPARE(sourceHashes(m_stems), before);
        const CliRun v = m_cli.run({QStringLiteral("verify"), out, QStringLiteral("--json"), m_dir.filePath(QStringLiteral("v.json"))});
        QVERIFY2(v.exitCode == 0, v.err.constData());
        QVERIFY(readFile(m_dir.filePath(QStringLiteral("v.json"))).contains("\"ok\": true"));
        QVERIFY(leftovers().isEmpty());

        QByteArray zip = readFile(out);
        zip[zip.size() / 3] = char(zip[zip.size() / 3] ^ 0x21);
        const QString bad = m_dir.filePath(QStringLiteral("bad.zip"));
        QVERIFY(writeFile(bad, zip));
        const CliRun damaged = m_cli.run({QStringLiteral("verify"), bad});
        QCOMPARE(damaged.exitCode, 1);
        QVERIFY2(damaged.err.contains(".wav"), damaged.err.constData());
    }

    void exitCodes_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        const QString out = QDir::tempPath() + QStringLiteral("/stemship-never.zip");
        QTest::newRow("no output") << QStringList{QStringLiteral("package"), QStringLiteral("--tempo"), QStringLiteral("120"), QStringLiteral("x")} << 2;
        QTest::newRow("unknown option") << QStringList{QStringLiteral("package"), QStringLiteral("--frobnicate")} << 2;
        QTest::newRow("missing path") << (QStringList{QStringLiteral("package"), QStringLiteral("-o"), out, QStringLiteral("--tempo"), QStringLiteral("120"),
                                                      QStringLiteral("--time-signature"), QStringLiteral("4/4"), QStringLiteral("--version"), QStringLiteral("1"),
                                                      QStringLiteral("/nonexistent/stems")}) << 2;
        QTest::newRow("bad gain") << (QStringList{QStringLiteral("package"), QStringLiteral("-o"), out, QStringLiteral("--tempo"), QStringLiteral("120"),
                                                  QStringLiteral("--time-signature"), QStringLiteral("4/4"), QStringLiteral("--version"), QStringLiteral("1"),
                                                  QStringLiteral("--gain"), QStringLiteral("loud"), QStringLiteral(".")}) << 2;
        QTest::newRow("output folder missing") << (QStringList{QStringLiteral("package"), QStringLiteral("-o"), QStringLiteral("/nonexistent/x.zip"),
                                                               QStringLiteral("--tempo"), QStringLiteral("120"), QStringLiteral("--time-signature"),
                                                               QStringLiteral("4/4"), QStringLiteral("--version"), QStringLiteral("1"), QStringLiteral(".")}) << 2;
        QTest::newRow("verify missing zip") << QStringList{QStringLiteral("verify"), QStringLiteral("/nonexistent.zip")} << 2;
    }
    void exitCodes()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        const CliRun r = m_cli.run(args);
        QCOMPARE(r.exitCode, code);
        QVERIFY(!QString::fromUtf8(r.err).trimmed().isEmpty());
    }

    void unreadableSourceIsAFinding()
    {
        const QString folder = m_dir.filePath(QStringLiteral("broken"));
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(writeAudio(folder + QStringLiteral("/Good.wav"), programme(48000, 2, 2.0, 4u)));
        QVERIFY(writeFile(folder + QStringLiteral("/Broken.wav"), QByteArray(3000, 'b')));
        const QString out = m_dir.filePath(QStringLiteral("broken.zip"));
        const CliRun r = m_cli.run(packageArgs(out, folder));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("Broken.wav"), r.err.constData());
        QVERIFY(!QFileInfo::exists(out));
        const CliRun skipped = m_cli.run(packageArgs(out, folder) << QStringLiteral("--skip-unreadable"));
        QCOMPARE(skipped.exitCode, 0);
        QVERIFY(skipped.err.contains("Broken.wav"));
    }

    void fullDiskLeavesNothing_data()
    {
        QTest::addColumn<int>("limitKiB");
        QTest::newRow("fails in the float cache") << 600;
        QTest::newRow("fails in the zip") << 2200;
    }
    void fullDiskLeavesNothing()
    {
        QFETCH(int, limitKiB);
        const QString out = m_dir.filePath(QStringLiteral("full.zip"));
        QVERIFY(writeFile(out, QByteArrayLiteral("earlier delivery")));
        // RLIMIT_FSIZE makes writes beyond the limit fail with EFBIG, as a full disk fails them with ENOSPC.
        const CliRun r = m_cli.run(packageArgs(out, m_stems), [limitKiB] {
            ::signal(SIGXFSZ, SIG_IGN);
            const rlimit limit{rlim_t(limitKiB) * 1024, rlim_t(limitKiB) * 1024};
            ::setrlimit(RLIMIT_FSIZE, &limit);
        });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("fail"), r.err.constData());
        QCOMPARE(readFile(out), QByteArrayLiteral("earlier delivery"));
        QVERIFY2(leftovers().isEmpty(), qPrintable(leftovers().join(QLatin1Char(' '))));
        QFile::remove(out);
    }

    void interruptLeavesNothing()
    {
        const QString out = m_dir.filePath(QStringLiteral("interrupted.zip"));
        const QStringList before = sourceHashes(m_longStems);
        const QString many = manyLongStems();
        QVERIFY(!many.isEmpty());
        QProcess p;
        p.start(QStringLiteral(STEMSHIP_CLI_PATH), packageArgs(out, many));
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(!leftovers().isEmpty(), 20000);
        QTest::qWait(300);
        // A job that already ended has no pid (0), and kill(0) would signal this test's own process group.
        QVERIFY2(p.state() == QProcess::Running && p.processId() > 0, "the job ended before it could be interrupted");
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);  // cancelled, as for every command
        QVERIFY(!QFileInfo::exists(out));
        QVERIFY2(leftovers().isEmpty(), qPrintable(leftovers().join(QLatin1Char(' '))));
        QCOMPARE(sourceHashes(m_longStems), before);
    }

    void killedRunIsCleanedUpByTheNext()
    {
        const QString out = m_dir.filePath(QStringLiteral("killed.zip"));
        const QString many = manyLongStems();
        QVERIFY(!many.isEmpty());
        QProcess p;
        p.start(QStringLiteral(STEMSHIP_CLI_PATH), packageArgs(out, many));
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(!leftovers().isEmpty(), 20000);
        QVERIFY2(p.state() == QProcess::Running, "the job ended before it could be killed");
        p.kill();  // SIGKILL: no chance to clean up
        QVERIFY(p.waitForFinished(10000));
        QVERIFY(!QFileInfo::exists(out));
        QVERIFY(!leftovers().isEmpty());
        const CliRun r = m_cli.run(packageArgs(out, m_stems) << QStringLiteral("--quiet"));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(QFileInfo::exists(out));
        QVERIFY2(leftovers().isEmpty(), qPrintable(leftovers().join(QLatin1Char(' '))));
    }
};

QTEST_GUILESS_MAIN(TestCliPackage)
#include "tst_cli_package.moc"
