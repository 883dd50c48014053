// Faults during `stemship package` and audit report writing: full disk, read-only destination, a source that
// vanishes mid-job (held at a named stage), a killed or interrupted audit. Signals during packaging are in
// tst_cli_interrupts. Afterwards there is a complete, verifying output or none at all, no
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

// Starts the CLI in a child; fileSizeLimit > 0 is a full disk for every file it writes; environment holds it at a
// stage (test::pauseAt).
Child start(const QStringList &args, const QString &captureDir, rlim_t fileSizeLimit = 0, const QStringList &environment = {})
{
    test::ChildSetup setup;
    setup.captureDir = captureDir;
    setup.fileSizeLimitBytes = fileSizeLimit;
    setup.environment = environment;
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
        // 8 stereo stems of 6 s at 48 kHz, resampled to 44.1 kHz: a 12.7 MB delivery with 2.1 MB float caches. Faults
        // that must land mid-job hold it at a named stage (test::pauseAt), so the set need not be long.
        m_sources = dir(QStringLiteral("sources"));
        const char *names[] = {"Kick", "Snare", "Bass", "Gtr L", "Gtr R", "Keys", "Vox", "FX"};
        for (int i = 0; i < 8; ++i)
            QVERIFY(test::writeAudio(m_sources + QStringLiteral("/%1 %2.wav").arg(i + 1, 2, 10, QLatin1Char('0')).arg(QLatin1String(names[i])),
                                     test::programme(48000, 2, 6.0, std::uint32_t(i + 1), -8.0), {SF_FORMAT_WAV | SF_FORMAT_PCM_24, {}}));
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
        QTest::newRow("1 MiB (a float cache)") << 1024;
        QTest::newRow("8 MiB (the zip)") << 8 * 1024;
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

    void vanishingSource_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("deleted") << "delete";
        QTest::newRow("truncated to its header") << "truncate";
        QTest::newRow("replaced by garbage") << "garbage";
    }

    // A source that changes while the job is held measuring the first stem (08 FX is read last, with --jobs 1):
    // exit 1 naming it and nothing at OUT, or (truncated to its header, it reads as a short stem) a delivery that
    // verifies. Never a partial or inconsistent zip.
    void vanishingSource()
    {
        QFETCH(QString, how);
        const QString set = dir(QStringLiteral("vanish-src-") + how);
        for (const QString &f : QDir(m_sources).entryList(QDir::Files))
            QVERIFY(QFile::copy(m_sources + QLatin1Char('/') + f, set + QLatin1Char('/') + f));
        const QString victim = set + QStringLiteral("/08 FX.wav");
        const QString outDir = dir(QStringLiteral("vanish-out-") + how);
        const QString out = outDir + QStringLiteral("/stems.zip");
        const QString marker = m_root.filePath(QStringLiteral("marker-vanish-") + how);
        const Child child = start(packageArgs(out, set), dir(QStringLiteral("cap-vanish")), 0, test::pauseAt(QStringLiteral("measuring"), marker));
        QVERIFY2(test::waitForPause(child, marker), "the job never reached measuring");
        if (how == QLatin1String("delete"))
            QVERIFY(QFile::remove(victim));
        else if (how == QLatin1String("truncate"))
            QVERIFY(QFile(victim).resize(44));
        else
            QVERIFY(test::writeFile(victim, QByteArray(4096, '\x99')));
        test::release(marker);
        const Run run = finish(child);
        QVERIFY2(!run.timedOut && run.signal == 0, qPrintable(describe(run)));
        if (run.exitCode == 0 && how == QLatin1String("truncate")) {
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

        // Killed mid-audit (held while measuring): old report intact.
        const QStringList auditArgs{QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--jobs"), QStringLiteral("1"), option, report, m_sources};
        const QString marker = m_root.filePath(QStringLiteral("marker-audit-") + option.mid(2));
        const Child child = start(auditArgs, dir(QStringLiteral("cap-audit2")), 0, test::pauseAt(QStringLiteral("auditing"), marker));
        QVERIFY2(test::waitForPause(child, marker), "the audit never reached measuring");
        kill(child.pid, SIGKILL);
        test::release(marker);
        QCOMPARE(finish(child, 30000).signal, SIGKILL);
        QCOMPARE(test::sha256File(report), earlier);
        verifyNothingLeft(outDir, {report});

        // Ctrl-C while measuring: cancelled, "no report written", exit 130, no temporaries.
        const Child interrupted = start(auditArgs, dir(QStringLiteral("cap-audit3")), 0, test::pauseAt(QStringLiteral("auditing"), marker));
        QVERIFY2(test::waitForPause(interrupted, marker), "the audit never reached measuring");
        kill(interrupted.pid, SIGINT);
        test::release(marker);
        const Run cancelled = finish(interrupted, 30000);
        QVERIFY2(!cancelled.timedOut && cancelled.signal == 0 && cancelled.exitCode == 130, qPrintable(describe(cancelled)));
        QVERIFY2(cancelled.err.contains("no report written"), qPrintable(describe(cancelled)));
        QCOMPARE(test::sha256File(report), earlier);
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
