#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

// The main job end to end: `stemship demo` generates, audits, normalises, packages and verifies.
class TestCliDemo : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void demoRunsEndToEnd()
    {
        QTemporaryDir dir;
        QProcess p;
        p.start(QStringLiteral(STEMSHIP_CLI_PATH), {QStringLiteral("demo"), QStringLiteral("-o"), dir.path()});
        QVERIFY(p.waitForFinished(180000));
        const QByteArray out = p.readAllStandardOutput();
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        QVERIFY(out.contains("verify: OK"));
        QVERIFY2(out.contains("(8 stems, preroll 1 bar) — verify: OK"), out.constData());  // one bar, not "1 bars"

        // The session as exported, and the reports.
        QCOMPARE(QDir(dir.filePath(QStringLiteral("session"))).entryList(QDir::Files).size(), 8);
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("audit.html"))));
        QFile json(dir.filePath(QStringLiteral("audit.json")));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonObject report = QJsonDocument::fromJson(json.readAll()).object();
        QCOMPARE(report.value(QStringLiteral("template")).toString(), QStringLiteral("stemship-demo"));
        const QJsonArray stems = report.value(QStringLiteral("stems")).toArray();
        QCOMPARE(stems.size(), 8);
        for (const auto &v : stems)
            QVERIFY2(!v.toObject().value(QStringLiteral("role")).isNull(), qPrintable(v.toObject().value(QStringLiteral("path")).toString()));

        // The delivery: verified again by the separate verify command, then audited in place.
        const QString zip = dir.filePath(QStringLiteral("Stemship Demo v1 stems.zip"));
        QVERIFY(QFile::exists(zip));
        QProcess verify;
        verify.start(QStringLiteral(STEMSHIP_CLI_PATH), {QStringLiteral("verify"), zip});
        QVERIFY(verify.waitForFinished(60000));
        QCOMPARE(verify.exitCode(), 0);

        QProcess audit;
        audit.start(QStringLiteral(STEMSHIP_CLI_PATH), {QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--json"), QStringLiteral("-"), zip});
        QVERIFY(audit.waitForFinished(60000));
        const QJsonArray delivered = QJsonDocument::fromJson(audit.readAllStandardOutput()).object().value(QStringLiteral("stems")).toArray();
        QCOMPARE(delivered.size(), 8);
        qint64 frames = -1;
        for (const auto &v : delivered) {
            const QJsonObject stem = v.toObject();
            QCOMPARE(stem.value(QStringLiteral("sample_rate")).toInt(), 48000);
            QCOMPARE(stem.value(QStringLiteral("bit_depth")).toInt(), 24);
            if (frames < 0)
                frames = stem.value(QStringLiteral("frames")).toInteger();
            QCOMPARE(stem.value(QStringLiteral("frames")).toInteger(), frames);  // equal lengths
            // Gain-staged: drums to -12 dBFS, the vocal to -14, the rest to -18 (template targets).
            const double peak = stem.value(QStringLiteral("sample_peak_dbfs")).toDouble();
            const QString path = stem.value(QStringLiteral("path")).toString();
            const double target = path.contains(QLatin1String("Kick")) || path.contains(QLatin1String("Snare")) || path.contains(QLatin1String("Hi-Hat")) ? -12.0
                                  : path.contains(QLatin1String("Vocal")) ? -14.0 : -18.0;
            QVERIFY2(std::abs(peak - target) < 0.1, qPrintable(path + QStringLiteral(" ") + QString::number(peak)));
        }
        QCOMPARE(frames, qint64(960000));  // 10 bars of 4/4 at 120 BPM, 48 kHz
    }
};

QTEST_GUILESS_MAIN(TestCliDemo)
#include "tst_cli_demo.moc"
