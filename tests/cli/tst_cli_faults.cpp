// Faults during `stemship package` and audit report writing: full disk, read-only destination, a source that
// vanishes mid-job, kill -9 and Ctrl-C. Afterwards there is a complete, verifying output or none at all, no
// temporary files once the next run has been, and the sources are byte-identical.

#include "childprocess.h"
#include "deliverysignals.h"
#include "filetree.h"
#include "testsignals.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

#include <csignal>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace stemship;

using stemship::test::hashTree;
using stemship::test::listTree;

namespace {

using Run = test::ChildRun;
using test::Child;

// Starts the CLI in a child; fileSizeLimit > 0 is a full disk for every file it writes.
Child start(const QStringList &args, const QString &captureDir, rlim_t fileSizeLimit = 0)
{
    test::ChildSetup setup;
    setup.captureDir = captureDir;
    setup.fileSizeLimitBytes = fileSizeLimit;
    return test::startChild(QStringLiteral(STEMSHIP_CLI_PATH), args, setup);
}

Run finish(const Child &c, int timeoutMs = 300000)
{
    return test::finishChild(c, timeoutMs);
}

Run runCli(const QStringList &args, const QString &captureDir, rlim_t fileSizeLimit = 0)
{
    return finish(start(args, captureDir, fileSizeLimit));
}

QString describe(const Run &r)
{
    return QStringLiteral("exit %1 signal %2%3; stderr: %4").arg(r.exitCode).arg(r.signal)
        .arg(r.timedOut ? QStringLiteral(" TIMED OUT") : QString()).arg(QString::fromUtf8(r.err.left(1500)));
}

// Waits until the child has been running for ms, or has ended (seen without reaping it: WNOWAIT).
void runFor(const Child &c, int ms)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < ms) {
        siginfo_t info{};
        if (waitid(P_PID, id_t(c.pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == c.pid)
            break;
        usleep(10000);
    }
}

// True when the child has already ended (checked without reaping it).
bool hasEnded(const Child &c)
{
    siginfo_t info{};
    return waitid(P_PID, id_t(c.pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == c.pid;
}

}  // namespace

class TestCliFaults : public QObject {
    Q_OBJECT
    QTemporaryDir m_root;
    QString m_sources;
    QHash<QString, QByteArray> m_sourceHashes;

    QString dir(const QString &name)
    {
        const QString d = m_root.filePath(name);
        QDir().mkpath(d);
        return d;
    }

    QStringList packageArgs(const QString &out, const QString &sources) const
    {
        return {QStringLiteral("package"), QStringLiteral("--quiet"), QStringLiteral("-o"), out,
                QStringLiteral("--tempo"), QStringLiteral("120"), QStringLiteral("--time-signature"), QStringLiteral("4/4"),
                QStringLiteral("--version"), QStringLiteral("1"), QStringLiteral("--gain"), QStringLiteral("peak"),
                QStringLiteral("--target"), QStringLiteral("-6"), QStringLiteral("--sample-rate"), QStringLiteral("44100"),
                QStringLiteral("--jobs"), QStringLiteral("1"), sources};
    }

    // Nothing at the destination but what was there before: no OUT (or the old one intact), no temporaries.
    void verifyNothingLeft(const QString &outDir, const QStringList &expected)
    {
        QCOMPARE(listTree(outDir), expected);
    }

    void verifySourcesIntact()
    {
        QCOMPARE(hashTree(m_sources), m_sourceHashes);
    }

    bool verifies(const QString &zip)
    {
        const Run run = runCli({QStringLiteral("verify"), zip}, dir(QStringLiteral("cap-verify")));
        if (run.exitCode != 0)
            qWarning("verify %s: %s", qPrintable(zip), qPrintable(describe(run)));
        return run.exitCode == 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        QVERIFY(QFileInfo(QStringLiteral(STEMSHIP_CLI_PATH)).isExecutable());
        // A set big enough that packaging takes a while: 8 stereo stems of 40 s at 48 kHz, resampled to 44.1 kHz.
        m_sources = dir(QStringLiteral("sources"));
        const char *names[] = {"Kick", "Snare", "Bass", "Gtr L", "Gtr R", "Keys", "Vox", "FX"};
        for (int i = 0; i < 8; ++i)
            QVERIFY(test::writeAudio(m_sources + QStringLiteral("/%1 %2.wav").arg(i + 1, 2, 10, QLatin1Char('0')).arg(QLatin1String(names[i])),
                                     test::programme(48000, 2, 40.0, std::uint32_t(i + 1), -8.0), {SF_FORMAT_WAV | SF_FORMAT_PCM_24, {}}));
        m_sourceHashes = hashTree(m_sources);
    }

    void baselineDeliveryVerifies()
    {
        const QString out = dir(QStringLiteral("baseline")) + QStringLiteral("/stems.zip");
        const Run run = runCli(packageArgs(out, m_sources), dir(QStringLiteral("cap-baseline")));
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY(verifies(out));
        QCOMPARE(listTree(QFileInfo(out).path()), QStringList{out});
        verifySourcesIntact();
    }

    void fullDisk_data()
    {
        QTest::addColumn<int>("limitKiB");
        QTest::newRow("64 KiB") << 64;
        QTest::newRow("8 MiB") << 8 * 1024;
        QTest::newRow("40 MiB") << 40 * 1024;
    }

    // RLIMIT_FSIZE makes every write past the limit fail with EFBIG, as a full disk would.
    void fullDisk()
    {
        QFETCH(int, limitKiB);
        const QString outDir = dir(QStringLiteral("full-%1").arg(limitKiB));
        const QString out = outDir + QStringLiteral("/stems.zip");
        const Run run = runCli(packageArgs(out, m_sources), dir(QStringLiteral("cap-full")), rlim_t(limitKiB) * 1024);
        QVERIFY2(!run.timedOut && run.signal == 0, qPrintable(describe(run)));
        QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
        const QStringList lines = QString::fromUtf8(run.err).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(lines.size() == 1, qPrintable(describe(run)));
        verifyNothingLeft(outDir, {});
        verifySourcesIntact();
    }

    // A real small filesystem, where mounting is allowed (root in a VM or container with CAP_SYS_ADMIN).
    void fullTmpfs()
    {
        const QString outDir = dir(QStringLiteral("tmpfs"));
        if (mount("tmpfs", QFile::encodeName(outDir).constData(), "tmpfs", 0, "size=4m") != 0)
            QSKIP("cannot mount a tmpfs here");
        const QString out = outDir + QStringLiteral("/stems.zip");
        const Run run = runCli(packageArgs(out, m_sources), dir(QStringLiteral("cap-tmpfs")));
        const QStringList left = listTree(outDir);
        umount(QFile::encodeName(outDir).constData());
        QVERIFY2(!run.timedOut && run.signal == 0, qPrintable(describe(run)));
        QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
        QVERIFY2(left.isEmpty(), qPrintable(left.join(QLatin1Char(' '))));
        verifySourcesIntact();
    }

    // A read-only destination is a usage error (2), found before any work; root ignores modes, so a read-only
    // mount is used where possible, else a mode-0555 folder for non-root runs.
    void readOnlyDestination()
    {
        const QString outDir = dir(QStringLiteral("readonly"));
        bool mounted = false;
        if (geteuid() == 0) {
            mounted = mount("tmpfs", QFile::encodeName(outDir).constData(), "tmpfs", MS_RDONLY, "size=1m") == 0;
            if (!mounted)
                QSKIP("running as root without permission to mount: cannot make a read-only folder");
        } else {
            QVERIFY(QFile::setPermissions(outDir, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        }
        const Run run = runCli(packageArgs(outDir + QStringLiteral("/stems.zip"), m_sources), dir(QStringLiteral("cap-ro")));
        const Run audit = runCli({QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--json"),
                                    outDir + QStringLiteral("/r.json"), m_sources}, dir(QStringLiteral("cap-ro2")));
        const QStringList left = listTree(outDir);
        if (mounted)
            umount(QFile::encodeName(outDir).constData());
        QVERIFY2(run.exitCode == 2, qPrintable(describe(run)));
        QVERIFY2(run.err.contains(QFile::encodeName(outDir)), qPrintable(describe(run)));
        QVERIFY2(audit.exitCode == 2, qPrintable(describe(audit)));
        QVERIFY(left.isEmpty());
        verifySourcesIntact();
    }

    void killDuringPackaging_data()
    {
        QTest::addColumn<int>("signalNumber");
        QTest::addColumn<int>("afterMs");
        QTest::newRow("SIGKILL early") << int(SIGKILL) << 300;
        QTest::newRow("SIGKILL late") << int(SIGKILL) << 2500;
        QTest::newRow("SIGINT early") << int(SIGINT) << 300;
        QTest::newRow("SIGINT late") << int(SIGINT) << 2500;
        QTest::newRow("SIGTERM") << int(SIGTERM) << 1000;
    }

    // An earlier delivery at OUT survives a killed or interrupted run untouched; the next run cleans up.
    void killDuringPackaging()
    {
        QFETCH(int, signalNumber);
        QFETCH(int, afterMs);
        const QString outDir = dir(QStringLiteral("kill-%1-%2").arg(signalNumber).arg(afterMs));
        const QString out = outDir + QStringLiteral("/stems.zip");
        QVERIFY(test::writeFile(out, QByteArray("an earlier delivery")));
        const QByteArray earlier = test::sha256File(out);

        const Child child = start(packageArgs(out, m_sources), dir(QStringLiteral("cap-kill")));
        runFor(child, afterMs);
        kill(child.pid, signalNumber);
        const Run run = finish(child, 60000);
        QVERIFY2(!run.timedOut, "did not stop after the signal");
        if (run.signal == 0 && run.exitCode == 0) {
            // The job finished before the signal landed (a fast machine): then OUT must be the whole new delivery.
            QProcess verify;
            verify.start(QStringLiteral(STEMSHIP_CLI_PATH), {QStringLiteral("verify"), out});
            QVERIFY(verify.waitForFinished(60000));
            QCOMPARE(verify.exitCode(), 0);
            verifyNothingLeft(outDir, {out});
            verifySourcesIntact();
            return;
        }
        QCOMPARE(test::sha256File(out), earlier);  // OUT is the old delivery, never a partial new one
        if (signalNumber != SIGKILL) {
            // Ctrl-C / SIGTERM cancel cleanly: a failure exit, one line, and no temporary files at all.
            QVERIFY2(run.signal == 0 && run.exitCode != 0, qPrintable(describe(run)));
            verifyNothingLeft(outDir, {out});
        }
        verifySourcesIntact();

        // The next run replaces OUT with a verified delivery and removes what the killed one left.
        const Run again = runCli(packageArgs(out, m_sources), dir(QStringLiteral("cap-kill2")));
        QVERIFY2(again.exitCode == 0, qPrintable(describe(again)));
        verifyNothingLeft(outDir, {out});
        QVERIFY(verifies(out));
        verifySourcesIntact();
    }

    void vanishingSource_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("deleted") << "delete";
        QTest::newRow("truncated to its header") << "truncate";
        QTest::newRow("replaced by garbage") << "garbage";
    }

    // A source that disappears mid-job: exit 1 naming it and nothing at OUT, or (if it was already read) a
    // delivery that verifies. Never a partial or inconsistent zip.
    void vanishingSource()
    {
        QFETCH(QString, how);
        const QString set = dir(QStringLiteral("vanish-src-") + how);
        for (const QString &f : QDir(m_sources).entryList(QDir::Files))
            QVERIFY(QFile::copy(m_sources + QLatin1Char('/') + f, set + QLatin1Char('/') + f));
        const QString victim = set + QStringLiteral("/08 FX.wav");
        const QString outDir = dir(QStringLiteral("vanish-out-") + how);
        const QString out = outDir + QStringLiteral("/stems.zip");
        const Child child = start(packageArgs(out, set), dir(QStringLiteral("cap-vanish")));
        runFor(child, 600);
        if (how == QLatin1String("delete"))
            QVERIFY(QFile::remove(victim));
        else if (how == QLatin1String("truncate"))
            QVERIFY(QFile(victim).resize(44));
        else
            QVERIFY(test::writeFile(victim, QByteArray(4096, '\x99')));
        const Run run = finish(child);
        QVERIFY2(!run.timedOut && run.signal == 0, qPrintable(describe(run)));
        if (run.exitCode == 0) {
            QVERIFY(verifies(out));
        } else {
            QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
            QVERIFY2(run.err.contains("08 FX.wav"), qPrintable(describe(run)));
            verifyNothingLeft(outDir, {});
        }
        verifySourcesIntact();
    }

    // Audit reports are written atomically too: a failed or killed audit leaves the earlier report intact.
    void auditReportsAreAtomic_data()
    {
        QTest::addColumn<QString>("option");
        QTest::newRow("json") << "--json";
        QTest::newRow("html") << "--html";
        QTest::newRow("csv") << "--csv";
    }

    void auditReportsAreAtomic()
    {
        QFETCH(QString, option);
        const QString outDir = dir(QStringLiteral("audit-") + option.mid(2));
        const QString report = outDir + QStringLiteral("/report.") + option.mid(2);
        QVERIFY(test::writeFile(report, QByteArray("earlier report")));
        const QByteArray earlier = test::sha256File(report);

        // Full disk while writing the report: exit non-zero, old report intact, no temporaries.
        const Run full = runCli({QStringLiteral("audit"), QStringLiteral("--quiet"), option, report, m_sources},
                                  dir(QStringLiteral("cap-audit")), 1024);
        QVERIFY2(!full.timedOut && full.signal == 0, qPrintable(describe(full)));
        QVERIFY2(full.exitCode != 0, qPrintable(describe(full)));
        QCOMPARE(test::sha256File(report), earlier);
        verifyNothingLeft(outDir, {report});

        // Killed mid-audit: old report intact.
        const Child child = start({QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--jobs"), QStringLiteral("1"), option, report, m_sources}, dir(QStringLiteral("cap-audit2")));
        runFor(child, 500);
        const bool endedFirst = hasEnded(child);
        kill(child.pid, SIGKILL);
        finish(child, 30000);
        if (endedFirst)
            qInfo("the audit ended before the kill; its report replaced the earlier one whole");
        else
            QCOMPARE(test::sha256File(report), earlier);
        verifyNothingLeft(outDir, {report});

        // Ctrl-C: cancelled, "no report written", exit non-zero, no temporaries.
        const Child interrupted = start({QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--jobs"), QStringLiteral("1"), option, report, m_sources}, dir(QStringLiteral("cap-audit3")));
        QVERIFY(test::writeFile(report, QByteArray("earlier report")));
        runFor(interrupted, 500);
        const bool interruptedLate = hasEnded(interrupted);
        kill(interrupted.pid, SIGINT);
        const Run cancelled = finish(interrupted, 30000);
        QVERIFY2(!cancelled.timedOut && cancelled.signal == 0, qPrintable(describe(cancelled)));
        if (!interruptedLate) {
            QVERIFY2(cancelled.exitCode != 0 && cancelled.exitCode != 1, qPrintable(describe(cancelled)));
            QCOMPARE(test::sha256File(report), earlier);
        }
        verifyNothingLeft(outDir, {report});

        // A good run then replaces it whole.
        const Run ok = runCli({QStringLiteral("audit"), QStringLiteral("--quiet"), option, report, m_sources}, dir(QStringLiteral("cap-audit4")));
        QVERIFY2(ok.exitCode == 0 || ok.exitCode == 1, qPrintable(describe(ok)));
        QVERIFY(test::sha256File(report) != earlier);
        verifyNothingLeft(outDir, {report});
        verifySourcesIntact();
    }
};

QTEST_GUILESS_MAIN(TestCliFaults)
#include "tst_cli_faults.moc"
