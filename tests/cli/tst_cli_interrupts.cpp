// Signals, failing workers and concurrent runs during `stemship package`, each landing at a named stage of a job
// that is provably still running there (core/util/faultpoint.h holds it until the test lets go). Afterwards: the
// contract's exit code, an earlier delivery intact or one complete new one, no temporary files, sources unchanged.

#include "childprocess.h"
#include "deliverysignals.h"
#include "filetree.h"
#include "testsignals.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

#include <csignal>

using namespace stemship;
using test::Child;
using test::ChildRun;
using test::listTree;

namespace {

QString describe(const ChildRun &r)
{
    return QStringLiteral("exit %1 signal %2%3; stderr: %4").arg(r.exitCode).arg(r.signal)
        .arg(r.timedOut ? QStringLiteral(" TIMED OUT") : QString()).arg(QString::fromUtf8(r.err.left(1500)));
}

// The manifest of a delivery, read by Info-ZIP's unzip (an independent reader).
QJsonObject manifestOf(const QString &zip)
{
    QProcess unzip;
    unzip.start(QStringLiteral("unzip"), {QStringLiteral("-p"), zip, QStringLiteral("manifest.json")});
    if (!unzip.waitForFinished(30000))
        return {};
    return QJsonDocument::fromJson(unzip.readAllStandardOutput()).object();
}

}  // namespace

class TestCliInterrupts : public QObject {
    Q_OBJECT
    QTemporaryDir m_root;
    QString m_sources;
    QHash<QString, QByteArray> m_sourceHashes;
    int m_runs = 0;

    QString dir(const QString &name)
    {
        const QString d = m_root.filePath(name);
        QDir().mkpath(d);
        return d;
    }

    QStringList packageArgs(const QString &out, const QString &title = QStringLiteral("Song")) const
    {
        return {QStringLiteral("package"), QStringLiteral("--quiet"), QStringLiteral("-o"), out, QStringLiteral("--tempo"),
                QStringLiteral("120"), QStringLiteral("--time-signature"), QStringLiteral("4/4"), QStringLiteral("--version"),
                QStringLiteral("1"), QStringLiteral("--gain"), QStringLiteral("peak"), QStringLiteral("--title"), title,
                QStringLiteral("--sample-rate"), QStringLiteral("44100"), QStringLiteral("--jobs"), QStringLiteral("2"), m_sources};
    }

    Child start(const QStringList &args, const QStringList &environment = {})
    {
        test::ChildSetup setup;
        setup.captureDir = dir(QStringLiteral("cap-%1").arg(++m_runs));
        setup.environment = environment;
        return test::startChild(QStringLiteral(STEMSHIP_CLI_PATH), args, setup);
    }

    ChildRun run(const QStringList &args, const QStringList &environment = {})
    {
        return test::finishChild(start(args, environment), 120000);
    }

    bool verifies(const QString &zip)
    {
        const ChildRun r = run({QStringLiteral("verify"), zip});
        if (r.exitCode != 0)
            qWarning("verify %s: %s", qPrintable(zip), qPrintable(describe(r)));
        return r.exitCode == 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        // 3 stereo stems of 6 s at 48 kHz, resampled to 44.1 kHz: a job with real stages to stop at (the pause
        // points hold it there, so it need not be long).
        m_sources = dir(QStringLiteral("sources"));
        for (int i = 0; i < 3; ++i)
            QVERIFY(test::writeAudio(m_sources + QStringLiteral("/%1 stem.wav").arg(i + 1),
                                     test::programme(48000, 2, 6.0, std::uint32_t(i + 1), -8.0), {SF_FORMAT_WAV | SF_FORMAT_PCM_24, {}}));
        m_sourceHashes = test::hashTree(m_sources);
    }

    void signalAtStage_data()
    {
        QTest::addColumn<int>("signalNumber");
        QTest::addColumn<QString>("stage");
        QTest::addColumn<int>("expectedExit");
        QTest::newRow("SIGKILL measuring") << int(SIGKILL) << "measuring" << -1;
        QTest::newRow("SIGKILL verifying") << int(SIGKILL) << "verifying" << -1;
        QTest::newRow("SIGINT measuring") << int(SIGINT) << "measuring" << 130;
        QTest::newRow("SIGINT zipping") << int(SIGINT) << "zipping" << 130;
        QTest::newRow("SIGTERM measuring") << int(SIGTERM) << "measuring" << 143;
        QTest::newRow("SIGTERM verifying") << int(SIGTERM) << "verifying" << 143;
    }

    // An earlier delivery at OUT survives a killed or interrupted run untouched; Ctrl-C exits 130, SIGTERM 143,
    // with no temporary file left; after SIGKILL the next run cleans up and delivers.
    void signalAtStage()
    {
        QFETCH(int, signalNumber);
        QFETCH(QString, stage);
        QFETCH(int, expectedExit);
        const QString outDir = dir(QStringLiteral("signal-%1-%2").arg(signalNumber).arg(stage));
        const QString out = outDir + QStringLiteral("/stems.zip");
        QVERIFY(test::writeFile(out, QByteArray("an earlier delivery")));
        const QByteArray earlier = test::sha256File(out);
        const QString marker = m_root.filePath(QStringLiteral("marker-") + QString::fromLatin1(QTest::currentDataTag()));

        const Child child = start(packageArgs(out), test::pauseAt(stage, marker));
        QVERIFY2(test::waitForPause(child, marker), "the job never reached the stage, or ended before it");
        QVERIFY(listTree(outDir).size() > 1);  // its temporaries exist: the fault lands mid-job
        kill(child.pid, signalNumber);
        test::release(marker);
        const ChildRun r = test::finishChild(child, 60000);
        QVERIFY2(!r.timedOut, "did not stop after the signal");
        QCOMPARE(test::sha256File(out), earlier);
        if (signalNumber == SIGKILL) {
            QCOMPARE(r.signal, SIGKILL);
        } else {
            QVERIFY2(r.signal == 0 && r.exitCode == expectedExit, qPrintable(describe(r)));
            QCOMPARE(QString::fromUtf8(r.err).trimmed().count(QLatin1Char('\n')), 0);  // one line
            QCOMPARE(listTree(outDir), QStringList{out});
        }
        QCOMPARE(test::hashTree(m_sources), m_sourceHashes);
        if (signalNumber != SIGKILL)
            return;

        // The next run removes what the killed one left and delivers.
        const ChildRun again = run(packageArgs(out));
        QVERIFY2(again.exitCode == 0, qPrintable(describe(again)));
        QCOMPARE(listTree(outDir), QStringList{out});
        QVERIFY(verifies(out));
    }

    void secondSignalDuringCleanup_data()
    {
        QTest::addColumn<int>("signalNumber");
        QTest::addColumn<int>("expectedExit");
        QTest::newRow("Ctrl-C twice") << int(SIGINT) << 130;
        QTest::newRow("SIGTERM twice") << int(SIGTERM) << 143;
    }

    // The first signal cancels; the second lands while the job's cleanup is held, with the work folder and the
    // temporary zip still there. Before, the second signal _exit-ed past the cleanup and left them behind.
    void secondSignalDuringCleanup()
    {
        QFETCH(int, signalNumber);
        QFETCH(int, expectedExit);
        const QString outDir = dir(QStringLiteral("twice-%1").arg(signalNumber));
        const QString out = outDir + QStringLiteral("/stems.zip");
        const QString marker = m_root.filePath(QStringLiteral("marker-twice-%1").arg(signalNumber));
        const Child child = start(packageArgs(out), test::pauseAt(QStringLiteral("measuring,cleanup"), marker));
        QVERIFY2(test::waitForPause(child, marker), "the job never reached measuring");
        kill(child.pid, signalNumber);
        test::release(marker);
        QVERIFY2(test::waitForPause(child, marker), "the cancelled job never reached its cleanup");
        const QStringList during = listTree(outDir);
        QVERIFY2(!during.isEmpty(), "no temporaries to remove: the test would prove nothing");
        kill(child.pid, signalNumber);
        const ChildRun r = test::finishChild(child, 30000);
        test::release(marker);
        QVERIFY2(r.signal == 0 && r.exitCode == expectedExit, qPrintable(describe(r)));
        QVERIFY2(listTree(outDir).isEmpty(), qPrintable(listTree(outDir).join(QLatin1Char(' '))));
        QCOMPARE(test::hashTree(m_sources), m_sourceHashes);
    }

    void workerFailure_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::newRow("a stem's job throws") << "throw@measuring";
        QTest::newRow("a worker thread cannot start") << "throw@thread_start";
    }

    // A worker that throws or cannot be started is an error result: exit 1 with one line, no work folder, no
    // temporary zip (before, the exception ended the process through std::terminate, past every cleanup).
    void workerFailure()
    {
        QFETCH(QString, fault);
        const QString outDir = dir(QStringLiteral("worker-") + fault.section(QLatin1Char('@'), 1));
        const QString out = outDir + QStringLiteral("/stems.zip");
        const ChildRun r = run(packageArgs(out), {QStringLiteral("STEMSHIP_FAULT=") + fault});
        QVERIFY2(r.signal == 0 && r.exitCode == 1, qPrintable(describe(r)));
        QCOMPARE(QString::fromUtf8(r.err).trimmed().count(QLatin1Char('\n')), 0);
        QVERIFY2(r.err.contains("injected fault"), qPrintable(describe(r)));
        QVERIFY2(listTree(outDir).isEmpty(), qPrintable(listTree(outDir).join(QLatin1Char(' '))));

        const ChildRun audit = run({QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--json"),
                                    outDir + QStringLiteral("/audit.json"), m_sources},
                                   {QStringLiteral("STEMSHIP_FAULT=") + fault.replace(QStringLiteral("measuring"), QStringLiteral("auditing"))});
        QVERIFY2(audit.signal == 0 && audit.exitCode == 1, qPrintable(describe(audit)));
        QVERIFY(listTree(outDir).isEmpty());
    }

    // Two runs to one OUT (CLI-CONTRACT wave 2): the last complete rename wins. A is held after writing and before
    // verifying its zip while B runs start to end; B must not take A's temporaries for a dead run's, and A's
    // rename then replaces B's delivery with its own, whole.
    void concurrentRunsToOneOut()
    {
        const QString outDir = dir(QStringLiteral("concurrent"));
        const QString out = outDir + QStringLiteral("/stems.zip");
        const QString marker = m_root.filePath(QStringLiteral("marker-concurrent"));
        const Child a = start(packageArgs(out, QStringLiteral("Run A")), test::pauseAt(QStringLiteral("verifying"), marker));
        QVERIFY2(test::waitForPause(a, marker), "run A never reached verifying");
        const ChildRun b = run(packageArgs(out, QStringLiteral("Run B")));
        QVERIFY2(b.exitCode == 0, qPrintable(describe(b)));
        QCOMPARE(manifestOf(out).value(QStringLiteral("title")).toString(), QStringLiteral("Run B"));
        test::release(marker);
        const ChildRun ra = test::finishChild(a, 60000);
        QVERIFY2(ra.exitCode == 0, qPrintable(describe(ra)));
        QCOMPARE(manifestOf(out).value(QStringLiteral("title")).toString(), QStringLiteral("Run A"));
        QVERIFY(verifies(out));
        QCOMPARE(listTree(outDir), QStringList{out});
    }
};

QTEST_GUILESS_MAIN(TestCliInterrupts)
#include "tst_cli_interrupts.moc"
