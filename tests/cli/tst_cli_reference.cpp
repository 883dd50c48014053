#include "auditsupport.h"
#include "clirunner.h"
#include "referencesession.h"

#include "gain/resampler.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

#include <cmath>

using namespace stemship;
using namespace stemship::test;

namespace {

// The issue's session: +26, +53 and -30 samples, a flipped stem, a mono stem, a 0.75 master gain.
SessionSpec plantedSession()
{
    SessionSpec spec;
    spec.masterGain = 0.75;
    spec.stems = {stem("Kick", 26), stem("Bass", 53, false, 1), stem("Keys", -30), stem("Vocal", 0, true), stem("Pad")};
    return spec;
}

QJsonObject stemByName(const QJsonObject &report, const QString &suffix)
{
    for (const auto &v : report.value(QStringLiteral("stems")).toArray())
        if (v.toObject().value(QStringLiteral("path")).toString().endsWith(suffix))
            return v.toObject();
    return {};
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

// Rewrites a 48 kHz file at 44.1 kHz through the delivery's resampler (the point is the placement, not the filter).
bool rewriteAt44k1(const QString &path)
{
    auto s = readAudio(path);
    if (!s)
        return false;
    gain::Resampler r(s->sampleRateHz, 44100, s->channels, std::size_t(s->frames()));
    Signal out{44100, s->channels, std::vector<float>(r.maxOutputFrames() * std::size_t(s->channels))};
    std::size_t n = r.process(s->samples.data(), std::size_t(s->frames()), out.samples.data());
    std::vector<float> tail(r.maxOutputFrames() * std::size_t(s->channels));
    for (std::size_t k; (k = r.flush(tail.data())) > 0; n += k) {
        out.samples.resize((n + k) * std::size_t(s->channels));
        std::copy_n(tail.data(), k * std::size_t(s->channels), out.samples.data() + n * std::size_t(s->channels));
    }
    out.samples.resize(n * std::size_t(s->channels));
    return writeAudio(path, out);
}

}  // namespace

class TestCliReference : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    const CliRunner m_cli{QStringLiteral(STEMSHIP_CLI_PATH), {QStringLiteral("audit")}};

    QString sessionDir(const QString &name, const SessionSpec &spec, ReferenceSession *session)
    {
        const QString dir = m_dir.filePath(name);
        QDir().mkpath(dir);
        auto written = writeReferenceSession(dir, spec);
        if (!written)
            qFatal("cannot write the session");
        *session = *written;
        return dir;
    }

private Q_SLOTS:
    // Every planted fault reported exactly, the mix (inside the folder audited) never taken for a stem.
    void auditExplainsPlantedFaults()
    {
        ReferenceSession session;
        const QString dir = sessionDir(QStringLiteral("planted"), plantedSession(), &session);
        const QString json = m_dir.filePath(QStringLiteral("planted.json")), html = m_dir.filePath(QStringLiteral("planted.html"));
        const CliRun run = m_cli.run({QStringLiteral("--reference"), session.mixPath, QStringLiteral("--json"), json,
                                      QStringLiteral("--html"), html, QStringLiteral("--quiet"), dir});
        QCOMPARE(run.exitCode, 0);  // warnings only
        const QJsonObject report = readJson(json);
        QCOMPARE(report.value(QStringLiteral("stems")).toArray().size(), 5);
        const QJsonObject ref = report.value(QStringLiteral("reference")).toObject();
        QCOMPARE(ref.value(QStringLiteral("file")).toString(), QStringLiteral("Mix.wav"));
        QCOMPARE(ref.value(QStringLiteral("null_passed")).toBool(true), false);
        QVERIFY(ref.value(QStringLiteral("null_residual_relative_db")).toDouble() > -20.0);
        QVERIFY(ref.value(QStringLiteral("null_residual_db")).isDouble());
        QCOMPARE(ref.value(QStringLiteral("best_fit_gain_db")).toDouble(), std::round(2000.0 * std::log10(0.75)) / 100.0);
        QVERIFY(ref.value(QStringLiteral("residual_after_fit_db")).toDouble() < -80.0);
        const struct {
            const char *name;
            int offset;
            bool inverted;
        } expected[] = {{"Kick.wav", 26, false}, {"Bass.wav", 53, false}, {"Keys.wav", -30, false}, {"Vocal.wav", 0, true}, {"Pad.wav", 0, false}};
        for (const auto &e : expected) {
            const QJsonObject s = stemByName(report, QString::fromLatin1(e.name));
            QCOMPARE(s.value(QStringLiteral("offset_samples")).toInt(-999), e.offset);
            QCOMPARE(s.value(QStringLiteral("polarity_inverted")).toBool(!e.inverted), e.inverted);
            QCOMPARE(issueCodes(s).contains(QStringLiteral("offset_vs_reference")), e.offset != 0);
            QCOMPARE(issueCodes(s).contains(QStringLiteral("polarity_vs_reference")), e.inverted);
        }
        QVERIFY(issueCodes(report).contains(QStringLiteral("null_failed")));
        const QString text = QString::fromUtf8(run.out);
        QVERIFY2(text.contains(QStringLiteral("Kick.wav: late by 26 samples")), run.out.constData());
        QVERIFY(text.contains(QStringLiteral("Keys.wav: early by 30 samples")));
        QVERIFY(text.contains(QStringLiteral("Vocal.wav: polarity inverted")));
        QVERIFY(text.contains(QStringLiteral("best-fit gain on the stem sum -2.50 dB")));
        QFile page(html);
        QVERIFY(page.open(QIODevice::ReadOnly));
        const QByteArray h = page.readAll();
        QVERIFY(h.contains("Null test against the reference mix") && h.contains("aria-label=\"residual over time\"") && h.contains("polyline class=\"res\""));
    }

    void requireNullMakesItAnError()
    {
        ReferenceSession session;
        const QString dir = sessionDir(QStringLiteral("require"), plantedSession(), &session);
        const CliRun run = m_cli.run({QStringLiteral("--reference"), session.mixPath, QStringLiteral("--require-null"), QStringLiteral("--quiet"), dir});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.out.contains("error null_failed"));
    }

    // A clean set nulls; a float mix with overs is compared as it is, never clipped; a 44.1 kHz stem is placed on the
    // mix's 48 kHz timeline and its offset given at its own rate.
    void cleanSetWithOversAndMixedRates()
    {
        SessionSpec spec;
        spec.masterGain = 4.0;  // peaks well over 0 dBFS in the float mix
        spec.stems = {stem("Kick"), stem("Bass", 0, false, 1), stem("Keys", 26)};
        spec.stems[2].lowPassHz = 18000.0;  // what a 44.1 kHz file can hold
        ReferenceSession session;
        const QString dir = sessionDir(QStringLiteral("clean"), spec, &session);
        QVERIFY(rewriteAt44k1(session.stemPaths[2]));
        const QString json = m_dir.filePath(QStringLiteral("clean.json"));
        const CliRun run = m_cli.run({QStringLiteral("--reference"), session.mixPath, QStringLiteral("--json"), json, QStringLiteral("--quiet"),
                                      session.stemPaths[0], session.stemPaths[1], session.stemPaths[2]});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject report = readJson(json);
        const QJsonObject ref = report.value(QStringLiteral("reference")).toObject();
        QVERIFY(std::fabs(ref.value(QStringLiteral("best_fit_gain_db")).toDouble() - 20.0 * std::log10(4.0)) < 0.02);
        QVERIFY2(ref.value(QStringLiteral("residual_after_fit_db")).toDouble() < -60.0, qPrintable(QString::number(ref.value(QStringLiteral("residual_after_fit_db")).toDouble())));
        QCOMPARE(stemByName(report, QStringLiteral("Kick.wav")).value(QStringLiteral("offset_samples")).toInt(-1), 0);
        QCOMPARE(stemByName(report, QStringLiteral("Keys.wav")).value(QStringLiteral("offset_samples")).toInt(-1), 24);  // 26 * 44100 / 48000
    }

    void cleanSetPasses()
    {
        SessionSpec spec;
        spec.stems = {stem("Kick"), stem("Bass", 0, false, 1), stem("Keys")};
        ReferenceSession session;
        const QString dir = sessionDir(QStringLiteral("passes"), spec, &session);
        const QString json = m_dir.filePath(QStringLiteral("passes.json"));
        const CliRun run = m_cli.run({QStringLiteral("--reference"), session.mixPath, QStringLiteral("--require-null"),
                                      QStringLiteral("--json"), json, QStringLiteral("--quiet"), dir});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject ref = readJson(json).value(QStringLiteral("reference")).toObject();
        QCOMPARE(ref.value(QStringLiteral("null_passed")).toBool(), true);
        QVERIFY(ref.value(QStringLiteral("null_residual_relative_db")).isNull() || ref.value(QStringLiteral("null_residual_relative_db")).toDouble() < -100.0);
        QVERIFY(!issueCodes(readJson(json)).contains(QStringLiteral("null_failed")));
    }

    void badReferences_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("says");
        QTest::newRow("missing") << "missing" << 2 << "no such file";
        QTest::newRow("not audio") << "text" << 1 << "Mix.wav";
        QTest::newRow("channels") << "mono mix" << 1 << "cannot add up";
        QTest::newRow("much shorter") << "short" << 1 << "far shorter";
        QTest::newRow("bad threshold") << "threshold" << 2 << "--null-threshold";
    }
    void badReferences()
    {
        QFETCH(QString, kind);
        QFETCH(int, exitCode);
        QFETCH(QString, says);
        SessionSpec spec;
        spec.stems = {stem("Kick"), stem("Keys")};
        ReferenceSession session;
        const QString dir = sessionDir(QStringLiteral("bad-") + kind, spec, &session);
        QStringList args{QStringLiteral("--quiet")};
        if (kind == QLatin1String("missing")) {
            QFile::remove(session.mixPath);
        } else if (kind == QLatin1String("text")) {
            QFile f(session.mixPath);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write("not a mix\n");
        } else if (kind == QLatin1String("mono mix")) {
            QVERIFY(writeAudio(session.mixPath, programme(48000, 1, 6.6, 3)));
        } else if (kind == QLatin1String("short")) {
            QVERIFY(writeAudio(session.mixPath, programme(48000, 2, 1.0, 3)));
        } else {
            args << QStringLiteral("--null-threshold") << QStringLiteral("loud");
        }
        const QString json = m_dir.filePath(kind + QStringLiteral(".json"));
        const CliRun run = m_cli.run(args + QStringList{QStringLiteral("--reference"), session.mixPath, QStringLiteral("--json"), json,
                                                         session.stemPaths[0], session.stemPaths[1]});
        QCOMPARE(run.exitCode, exitCode);
        QCOMPARE(run.err.trimmed().count('\n'), 0);  // one line
        QVERIFY2(run.err.contains(says.toUtf8()), run.err.constData());
        QVERIFY(!QFile::exists(json));  // nothing written
    }
};

QTEST_GUILESS_MAIN(TestCliReference)
#include "tst_cli_reference.moc"
