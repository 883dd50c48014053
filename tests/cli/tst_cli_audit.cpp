#include "clirunner.h"
#include "testsignals.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

#include <cmath>
#include <csignal>
#include <unistd.h>

using namespace stemship;
using stemship::test::CliRun;

namespace {

QJsonObject stemByName(const QJsonObject &report, const QString &suffix)
{
    for (const auto &v : report.value(QStringLiteral("stems")).toArray())
        if (v.toObject().value(QStringLiteral("path")).toString().endsWith(suffix))
            return v.toObject();
    return {};
}

}  // namespace

class TestCliAudit : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    const test::CliRunner m_cli{QStringLiteral(STEMSHIP_CLI_PATH)};

private Q_SLOTS:
    void formatsReadCorrectly_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("sfFormat");
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("sampleFormat");
        QTest::addColumn<int>("bitDepth");
        QTest::addColumn<int>("rate");
        QTest::addColumn<int>("channels");
        QTest::newRow("wav") << "a.wav" << (SF_FORMAT_WAV | SF_FORMAT_PCM_24) << "WAV" << "pcm_s24" << 24 << 48000 << 2;
        QTest::newRow("aiff") << "b.aiff" << (SF_FORMAT_AIFF | SF_FORMAT_PCM_16) << "AIFF" << "pcm_s16" << 16 << 44100 << 1;
        QTest::newRow("flac") << "c.flac" << (SF_FORMAT_FLAC | SF_FORMAT_PCM_24) << "FLAC" << "pcm_s24" << 24 << 96000 << 2;
        QTest::newRow("rf64") << "d.wav" << (SF_FORMAT_RF64 | SF_FORMAT_FLOAT) << "RF64" << "float32" << 0 << 48000 << 2;
    }

    void formatsReadCorrectly()
    {
        QFETCH(QString, file);
        QFETCH(int, sfFormat);
        QFETCH(QString, format);
        QFETCH(QString, sampleFormat);
        QFETCH(int, bitDepth);
        QFETCH(int, rate);
        QFETCH(int, channels);
        // 1 kHz sine at -20 dBFS peak, 4 s: known peak, RMS (-23.01 dBFS), loudness.
        const QString path = m_dir.filePath(file);
        const bool hasBext = format == QLatin1String("WAV") || format == QLatin1String("RF64");
        test::WriteOptions options{sfFormat, {}};
        if (hasBext)
            options.timeReferenceSamples = 4800;
        QVERIFY(test::writeAudio(path, test::sineDb(rate, channels, 1000.0, -20.0, 4.0), options));
        const CliRun run = m_cli.run({QStringLiteral("audit"), QStringLiteral("--json"), QStringLiteral("-"), QStringLiteral("--quiet"), path});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject report = QJsonDocument::fromJson(run.out).object();
        const QJsonObject stem = stemByName(report, file);
        QVERIFY2(!stem.isEmpty(), run.out.constData());
        QCOMPARE(stem.value(QStringLiteral("path")).toString(), path);
        QCOMPARE(stem.value(QStringLiteral("format")).toString(), format);
        QCOMPARE(stem.value(QStringLiteral("sample_format")).toString(), sampleFormat);
        if (bitDepth)
            QCOMPARE(stem.value(QStringLiteral("bit_depth")).toInt(), bitDepth);
        else
            QVERIFY(stem.value(QStringLiteral("bit_depth")).isNull());
        QCOMPARE(stem.value(QStringLiteral("sample_rate")).toInt(), rate);
        QCOMPARE(stem.value(QStringLiteral("channels")).toInt(), channels);
        QCOMPARE(stem.value(QStringLiteral("frames")).toInteger(), qint64(rate) * 4);
        QCOMPARE(stem.value(QStringLiteral("duration_s")).toDouble(), 4.0);
        if (hasBext) {
            QCOMPARE(stem.value(QStringLiteral("time_reference_samples")).toInteger(), 4800);
            QCOMPARE(stem.value(QStringLiteral("start_s")).toDouble(), 4800.0 / rate);
        } else {
            QVERIFY(stem.value(QStringLiteral("time_reference_samples")).isNull());
        }
        QVERIFY(std::abs(stem.value(QStringLiteral("sample_peak_dbfs")).toDouble() + 20.0) < 0.02);
        QVERIFY(std::abs(stem.value(QStringLiteral("true_peak_dbtp")).toDouble() + 20.0) < 0.1);
        QVERIFY(std::abs(stem.value(QStringLiteral("rms_dbfs")).toDouble() + 23.01) < 0.02);
        // BS.1770: a 1 kHz sine reads 3.01 dB below its peak in LUFS per channel (K-weighting ~ +0.69 dB at 1 kHz)...
        const double perChannel = -20.0 - 3.01 + 0.69 - 0.691;
        const double expected = perChannel + 10.0 * std::log10(double(channels));
        QVERIFY2(std::abs(stem.value(QStringLiteral("integrated_lufs")).toDouble() - expected) < 0.1,
                 qPrintable(QString::number(stem.value(QStringLiteral("integrated_lufs")).toDouble())));
        QVERIFY(stem.value(QStringLiteral("dc_offset")).toDouble() < 1e-4);
        QCOMPARE(stem.value(QStringLiteral("clipped_samples")).toInt(), 0);
        if (channels == 2)
            QVERIFY(std::abs(stem.value(QStringLiteral("correlation")).toDouble() - 1.0) < 1e-3);
        else
            QVERIFY(stem.value(QStringLiteral("correlation")).isNull());
        QVERIFY(stem.value(QStringLiteral("role")).isNull());
    }

    void exitCodes()
    {
        const QString good = m_dir.filePath(QStringLiteral("good.wav"));
        QVERIFY(test::writeAudio(good, test::sineDb(48000, 1, 440.0, -12.0, 1.0), {SF_FORMAT_WAV | SF_FORMAT_PCM_24, {}}));
        QCOMPARE(m_cli.run({QStringLiteral("audit"), QStringLiteral("--quiet"), good}).exitCode, 0);

        const QString bad = m_dir.filePath(QStringLiteral("bad.wav"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("definitely not audio");
        f.close();
        const CliRun broken = m_cli.run({QStringLiteral("audit"), QStringLiteral("--quiet"), good, bad});
        QCOMPARE(broken.exitCode, 1);
        QVERIFY(broken.out.contains("unreadable"));

        const CliRun missing = m_cli.run({QStringLiteral("audit"), m_dir.filePath(QStringLiteral("missing.wav"))});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY(missing.err.contains("missing.wav"));
        QCOMPARE(missing.err.count('\n'), 1);

        QCOMPARE(m_cli.run({QStringLiteral("audit"), QStringLiteral("--bogus"), good}).exitCode, 2);
        QCOMPARE(m_cli.run({QStringLiteral("audit"), QStringLiteral("--jobs"), QStringLiteral("0"), good}).exitCode, 2);
        QCOMPARE(m_cli.run({QStringLiteral("audit")}).exitCode, 2);
        QCOMPARE(m_cli.run({QStringLiteral("audit"), QStringLiteral("--json"), QStringLiteral("/nonexistent/dir/r.json"), good}).exitCode, 2);
        QCOMPARE(m_cli.run({QStringLiteral("audit"), QStringLiteral("--template"), QStringLiteral("no-such-template"), good}).exitCode, 2);
        QCOMPARE(m_cli.run({QStringLiteral("nonsense")}).exitCode, 2);
    }

    void reportsWritten()
    {
        const QString dir = m_dir.filePath(QStringLiteral("set"));
        QVERIFY(QDir().mkpath(dir + QStringLiteral("/sub")));
        QVERIFY(test::writeAudio(dir + QStringLiteral("/one.wav"), test::programme(48000, 2, 3.0, 1), {SF_FORMAT_WAV | SF_FORMAT_PCM_24, {}}));
        QVERIFY(test::writeAudio(dir + QStringLiteral("/sub/two.flac"), test::programme(48000, 2, 3.0, 2), {SF_FORMAT_FLAC | SF_FORMAT_PCM_24, {}}));
        const QString json = m_dir.filePath(QStringLiteral("r.json")), csv = m_dir.filePath(QStringLiteral("r.csv")),
                      html = m_dir.filePath(QStringLiteral("r.html"));
        const CliRun run = m_cli.run({QStringLiteral("audit"), QStringLiteral("--jobs"), QStringLiteral("2"), QStringLiteral("--json"), json,
                                  QStringLiteral("--csv"), csv, QStringLiteral("--html"), html, dir});
        QCOMPARE(run.exitCode, 0);
        QFile j(json), c(csv), h(html);
        QVERIFY(j.open(QIODevice::ReadOnly) && c.open(QIODevice::ReadOnly) && h.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(j.readAll()).object().value(QStringLiteral("stems")).toArray().size(), 2);
        QCOMPARE(c.readAll().count('\n'), 3);
        QVERIFY(h.readAll().contains("<svg"));
        QVERIFY(run.out.contains("passed"));
    }

    void ctrlCCancelsCleanly()
    {
        // Long enough that the (fast) audit is still running when the signal arrives: one 120 s stem under 150
        // hard-linked names, a few seconds of metering without the disk space.
        const QString dir = m_dir.filePath(QStringLiteral("long"));
        QVERIFY(QDir().mkpath(dir));
        const QString first = dir + QStringLiteral("/long000.wav");
        QVERIFY(test::writeAudio(first, test::programme(48000, 2, 120.0, 1)));
        for (int i = 1; i < 150; ++i)
            QCOMPARE(::link(QFile::encodeName(first).constData(),
                            QFile::encodeName(dir + QStringLiteral("/long%1.wav").arg(i, 3, 10, QLatin1Char('0'))).constData()), 0);
        const QString json = m_dir.filePath(QStringLiteral("cancelled.json"));
        QProcess p;
        p.start(QStringLiteral(STEMSHIP_CLI_PATH), {QStringLiteral("audit"), QStringLiteral("--jobs"), QStringLiteral("1"),
                                                   QStringLiteral("--json"), json, dir});
        QVERIFY(p.waitForStarted());
        p.setReadChannel(QProcess::StandardError);  // progress lines come on stderr
        // Interrupt once it reports progress, so the signal lands mid-job.
        QByteArray err;
        while (!err.contains("audit:") && p.state() == QProcess::Running && p.waitForReadyRead(10000))
            err += p.readAllStandardError();
        QVERIFY2(p.state() == QProcess::Running && p.processId() > 0, "the audit ended before it could be interrupted");
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 130);
        err += p.readAllStandardError();
        QVERIFY2(err.contains("cancelled"), err.constData());
        QVERIFY(!QFile::exists(json));
        QVERIFY(QDir(m_dir.path()).entryList({QStringLiteral("cancelled.json*"), QStringLiteral(".cancelled.json*")},
                                             QDir::Files | QDir::Hidden).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCliAudit)
#include "tst_cli_audit.moc"
