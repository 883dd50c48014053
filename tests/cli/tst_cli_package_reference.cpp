#include "clirunner.h"
#include "filetree.h"
#include "referencesession.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace stemship;
using namespace stemship::test;

namespace {

SessionSpec plantedSession(double masterGain)
{
    SessionSpec spec;
    spec.masterGain = masterGain;
    spec.stems = {stem("Kick", 26), stem("Bass", 53, false, 1), stem("Keys", -30), stem("Vocal", 0, true), stem("Pad")};
    return spec;
}

// The delivery unpacked by Info-ZIP's unzip, an implementation independent of Stemship's zip writer.
bool unzipTo(const QString &zip, const QString &dir)
{
    QProcess unzip;
    unzip.start(QStringLiteral("unzip"), {QStringLiteral("-q"), QStringLiteral("-o"), zip, QStringLiteral("-d"), dir});
    return unzip.waitForFinished(60000) && unzip.exitCode() == 0;
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

QJsonObject stemFrom(const QJsonObject &manifest, const QString &source)
{
    for (const auto &v : manifest.value(QStringLiteral("stems")).toArray())
        if (v.toObject().value(QStringLiteral("source")).toString().endsWith(source))
            return v.toObject();
    return {};
}

// The delivered files read back with libsndfile: the least-squares gain of the stem sum against the mix and what
// it leaves, relative to the mix, in dB.
struct DeliveredNull {
    double gainDb = 0.0;
    double residualAfterGainDb = 0.0;
    double residualDb = 0.0;
};
std::optional<DeliveredNull> nullOfDelivery(const QString &dir, const QJsonObject &manifest)
{
    auto mix = readAudio(QDir(dir).filePath(manifest.value(QStringLiteral("reference")).toObject().value(QStringLiteral("file")).toString()));
    if (!mix)
        return std::nullopt;
    std::vector<double> sum(mix->samples.size(), 0.0);
    for (const auto &v : manifest.value(QStringLiteral("stems")).toArray()) {
        auto s = readAudio(QDir(dir).filePath(v.toObject().value(QStringLiteral("file")).toString()));
        if (!s || s->frames() != mix->frames())
            return std::nullopt;
        const double gain = std::pow(10.0, -v.toObject().value(QStringLiteral("gain_db")).toDouble() / 20.0);  // undo delivery gain
        for (std::int64_t t = 0; t < mix->frames(); ++t)
            for (int c = 0; c < mix->channels; ++c)
                sum[std::size_t(t * mix->channels + c)] += gain * s->samples[std::size_t(t * s->channels + (s->channels == 1 ? 0 : c))];
    }
    const double mixGain = std::pow(10.0, -manifest.value(QStringLiteral("reference")).toObject().value(QStringLiteral("gain_db")).toDouble() / 20.0);
    double sm = 0, ss = 0, mm = 0;
    for (std::size_t k = 0; k < sum.size(); ++k) {
        const double m = mixGain * mix->samples[k];
        sm += sum[k] * m;
        ss += sum[k] * sum[k];
        mm += m * m;
    }
    const double g = sm / ss;
    return DeliveredNull{20.0 * std::log10(g), 10.0 * std::log10((mm - 2 * g * sm + g * g * ss) / mm), 10.0 * std::log10((mm - 2 * sm + ss) / mm)};
}

}  // namespace

class TestCliPackageReference : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    const CliRunner m_cli{QStringLiteral(STEMSHIP_CLI_PATH), {QStringLiteral("package")}};
    const QStringList m_common{QStringLiteral("--tempo"), QStringLiteral("120"), QStringLiteral("--time-signature"), QStringLiteral("4/4"),
                               QStringLiteral("--version"), QStringLiteral("1"), QStringLiteral("--quiet")};

    ReferenceSession session(const QString &name, const SessionSpec &spec)
    {
        const QString dir = m_dir.filePath(name);
        QDir().mkpath(dir);
        auto written = writeReferenceSession(dir, spec);
        if (!written)
            qFatal("cannot write the session");
        return *written;
    }

private Q_SLOTS:
    void packageExplainsPlantedFaults()
    {
        const ReferenceSession s = session(QStringLiteral("planted"), plantedSession(0.75));
        const QString zip = m_dir.filePath(QStringLiteral("planted.zip")), out = m_dir.filePath(QStringLiteral("planted-out"));
        const CliRun run = m_cli.run(m_common + QStringList{QStringLiteral("-o"), zip, QStringLiteral("--reference"), s.mixPath, m_dir.filePath(QStringLiteral("planted"))});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(unzipTo(zip, out));
        const QJsonObject manifest = readJson(QDir(out).filePath(QStringLiteral("manifest.json")));
        QCOMPARE(manifest.value(QStringLiteral("stems")).toArray().size(), 5);  // the mix is not a stem
        const QJsonObject ref = manifest.value(QStringLiteral("reference")).toObject();
        QCOMPARE(ref.value(QStringLiteral("null_passed")).toBool(true), false);
        QCOMPARE(ref.value(QStringLiteral("best_fit_gain_db")).toDouble(), -2.5);
        QVERIFY(ref.value(QStringLiteral("residual_after_fit_db")).toDouble() < -80.0);
        QCOMPARE(stemFrom(manifest, QStringLiteral("Kick.wav")).value(QStringLiteral("offset_samples")).toInt(), 26);
        QCOMPARE(stemFrom(manifest, QStringLiteral("Bass.wav")).value(QStringLiteral("offset_samples")).toInt(), 53);
        QCOMPARE(stemFrom(manifest, QStringLiteral("Keys.wav")).value(QStringLiteral("offset_samples")).toInt(), -30);
        QCOMPARE(stemFrom(manifest, QStringLiteral("Vocal.wav")).value(QStringLiteral("polarity_inverted")).toBool(), true);
        QCOMPARE(stemFrom(manifest, QStringLiteral("Kick.wav")).value(QStringLiteral("shift_samples")).toInt(-1), 0);  // not aligned
        QFile notes(QDir(out).filePath(QStringLiteral("NOTES.txt")));
        QVERIFY(notes.open(QIODevice::ReadOnly));
        const QByteArray text = notes.readAll();
        QVERIFY2(text.contains("late by 26 samples") && text.contains("polarity inverted") && text.contains("FAILED"), text.constData());
        // Independently: the delivered files as they are do not null.
        const auto delivered = nullOfDelivery(out, manifest);
        QVERIFY(delivered);
        QVERIFY(delivered->residualAfterGainDb > -40.0);
    }

    // --align-to-reference: each stem moved and polarity-corrected; the delivered files null to 80 dB below the mix
    // once the mix's master gain is fitted, and outright when the mix has none.
    void alignNullsTheDelivery_data()
    {
        QTest::addColumn<double>("masterGain");
        QTest::newRow("0.75 master gain") << 0.75;
        QTest::newRow("unity") << 1.0;
    }
    void alignNullsTheDelivery()
    {
        QFETCH(double, masterGain);
        const QString name = QStringLiteral("align-%1").arg(masterGain);
        const ReferenceSession s = session(name, plantedSession(masterGain));
        const QString zip = m_dir.filePath(name + QStringLiteral(".zip")), out = m_dir.filePath(name + QStringLiteral("-out"));
        const CliRun run = m_cli.run(m_common + QStringList{QStringLiteral("-o"), zip, QStringLiteral("--reference"), s.mixPath,
                                                            QStringLiteral("--align-to-reference"), m_dir.filePath(name)});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(unzipTo(zip, out));
        const QJsonObject manifest = readJson(QDir(out).filePath(QStringLiteral("manifest.json")));
        QCOMPARE(stemFrom(manifest, QStringLiteral("Kick.wav")).value(QStringLiteral("shift_samples")).toInt(), 26);
        QCOMPARE(stemFrom(manifest, QStringLiteral("Keys.wav")).value(QStringLiteral("shift_samples")).toInt(), -30);
        QCOMPARE(stemFrom(manifest, QStringLiteral("Vocal.wav")).value(QStringLiteral("polarity_flipped")).toBool(), true);
        QCOMPARE(stemFrom(manifest, QStringLiteral("Pad.wav")).value(QStringLiteral("polarity_flipped")).toBool(true), false);
        const QJsonObject ref = manifest.value(QStringLiteral("reference")).toObject();
        QVERIFY(ref.value(QStringLiteral("residual_after_fit_db")).toDouble() < -80.0);
        QCOMPARE(ref.value(QStringLiteral("null_passed")).toBool(), masterGain == 1.0);
        const auto delivered = nullOfDelivery(out, manifest);
        QVERIFY(delivered);
        QVERIFY2(delivered->residualAfterGainDb < -80.0, qPrintable(QString::number(delivered->residualAfterGainDb)));
        QVERIFY(std::fabs(delivered->gainDb - 20.0 * std::log10(masterGain)) < 0.01);
        if (masterGain == 1.0)
            QVERIFY2(delivered->residualDb < -80.0, qPrintable(QString::number(delivered->residualDb)));
    }

    void requireNullWritesNothing()
    {
        const ReferenceSession s = session(QStringLiteral("require"), plantedSession(1.0));
        const QString zip = m_dir.filePath(QStringLiteral("outdir/require.zip"));
        QDir().mkpath(m_dir.filePath(QStringLiteral("outdir")));
        const CliRun run = m_cli.run(m_common + QStringList{QStringLiteral("-o"), zip, QStringLiteral("--reference"), s.mixPath,
                                                            QStringLiteral("--require-null"), m_dir.filePath(QStringLiteral("require"))});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.err.trimmed().count('\n'), 0);
        QVERIFY2(run.err.contains("do not null"), run.err.constData());
        QVERIFY(listTree(m_dir.filePath(QStringLiteral("outdir"))).isEmpty());
        // Aligned, the same set nulls and is delivered.
        const CliRun aligned = m_cli.run(m_common + QStringList{QStringLiteral("-o"), zip, QStringLiteral("--reference"), s.mixPath,
                                                                QStringLiteral("--require-null"), QStringLiteral("--align-to-reference"), m_dir.filePath(QStringLiteral("require"))});
        QCOMPARE(aligned.exitCode, 0);
    }

    // A float mix over full scale is delivered under the ceiling rule (its own gain lowered, never clipped); the
    // stems' gains are untouched and the verdict does not depend on it.
    void referenceWithOversIsNeverClipped()
    {
        SessionSpec spec;
        spec.masterGain = 4.0;
        spec.stems = {stem("Kick"), stem("Keys")};
        const ReferenceSession s = session(QStringLiteral("overs"), spec);
        const QString zip = m_dir.filePath(QStringLiteral("overs.zip")), out = m_dir.filePath(QStringLiteral("overs-out"));
        const CliRun run = m_cli.run(m_common + QStringList{QStringLiteral("-o"), zip, QStringLiteral("--reference"), s.mixPath, s.stemPaths[0], s.stemPaths[1]});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(unzipTo(zip, out));
        const QJsonObject manifest = readJson(QDir(out).filePath(QStringLiteral("manifest.json")));
        const QJsonObject ref = manifest.value(QStringLiteral("reference")).toObject();
        QVERIFY(ref.value(QStringLiteral("limited_by_ceiling")).toBool());
        QVERIFY(ref.value(QStringLiteral("gain_db")).toDouble() < -1.0);
        for (const auto &v : manifest.value(QStringLiteral("stems")).toArray())
            QCOMPARE(v.toObject().value(QStringLiteral("gain_db")).toDouble(), 0.0);
        auto mix = readAudio(QDir(out).filePath(ref.value(QStringLiteral("file")).toString()));
        QVERIFY(mix);
        float peak = 0.0f;
        for (float x : mix->samples)
            peak = std::max(peak, std::fabs(x));
        QVERIFY2(20.0 * std::log10(peak) <= -1.0 + 0.01, qPrintable(QString::number(20.0 * std::log10(peak))));
        QVERIFY(std::fabs(ref.value(QStringLiteral("best_fit_gain_db")).toDouble() - 20.0 * std::log10(4.0)) < 0.01);
        const QJsonValue afterFit = ref.value(QStringLiteral("residual_after_fit_db"));  // null: minus infinity, a perfect null
        QVERIFY2(afterFit.isNull() || afterFit.toDouble() < -80.0, QJsonDocument(ref).toJson().constData());
    }
};

QTEST_GUILESS_MAIN(TestCliPackageReference)
#include "tst_cli_package_reference.moc"
