// Negative cases at the CLI: each audit check fires on the signal made to trigger it (and its severity follows a
// template's overrides), and package's --measure, --ceiling and --reference change the delivered numbers as the
// README says, read back by an independent path (the audit of the delivery, unzip, mediainfo for the tags).

#include "clirunner.h"
#include "mediainfo.h"
#include "deliverysignals.h"
#include "testsignals.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

#include <cmath>

using namespace stemship::test;

namespace {

QJsonObject jsonOf(const CliRun &r) { return QJsonDocument::fromJson(r.out).object(); }

// Every issue (stem and set level) as "code:severity".
QStringList issuesOf(const QJsonObject &report)
{
    QStringList out;
    for (const auto &s : report.value(QStringLiteral("stems")).toArray())
        for (const auto &i : s.toObject().value(QStringLiteral("issues")).toArray())
            out << i.toObject().value(QStringLiteral("code")).toString() + QLatin1Char(':') + i.toObject().value(QStringLiteral("severity")).toString();
    for (const auto &i : report.value(QStringLiteral("issues")).toArray())
        out << i.toObject().value(QStringLiteral("code")).toString() + QLatin1Char(':') + i.toObject().value(QStringLiteral("severity")).toString();
    return out;
}

Signal inverted(Signal s)
{
    for (std::int64_t f = 0; f < s.frames(); ++f)
        s.at(f, 1) = -s.at(f, 0);
    return s;
}

}  // namespace

class TestCliChecks : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    const CliRunner m_cli{QStringLiteral(STEMSHIP_CLI_PATH)};

    QString folder(const QString &name)
    {
        const QString d = m_dir.filePath(name);
        QDir().mkpath(d);
        return d;
    }

    QStringList packageArgs(const QString &out) const
    {
        return {QStringLiteral("package"), QStringLiteral("--quiet"), QStringLiteral("-o"), out, QStringLiteral("--tempo"),
                QStringLiteral("123"), QStringLiteral("--time-signature"), QStringLiteral("4/4"), QStringLiteral("--version"),
                QStringLiteral("7"), QStringLiteral("--title"), QStringLiteral("Tag Song")};
    }

    // The audit of a delivery: its stems' measured levels, by delivered file name.
    QHash<QString, QJsonObject> deliveredStems(const QString &zip)
    {
        QHash<QString, QJsonObject> stems;
        const CliRun r = m_cli.run({QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--json"), QStringLiteral("-"), zip});
        for (const auto &s : jsonOf(r).value(QStringLiteral("stems")).toArray())
            stems.insert(s.toObject().value(QStringLiteral("path")).toString().section(QLatin1Char('!'), -1), s.toObject());
        return stems;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void auditCheckFires_data()
    {
        QTest::addColumn<QString>("row");
        QTest::addColumn<QString>("expected");
        QTest::newRow("phase_inverted") << "phase" << "phase_inverted:warning";
        QTest::newRow("low_bit_depth") << "depth" << "low_bit_depth:warning";
        QTest::newRow("early_start") << "early" << "early_start:warning";
        QTest::newRow("length_mismatch") << "length" << "length_mismatch:warning";
        QTest::newRow("lossy_source") << "vorbis" << "lossy_source:warning";
        QTest::newRow("extension_mismatch") << "misnamed" << "extension_mismatch:warning";
        QTest::newRow("padded_bit_depth") << "padded" << "padded_bit_depth:warning";
    }

    // Each set is clean but for the one thing the row is about.
    void auditCheckFires()
    {
        QFETCH(QString, row);
        QFETCH(QString, expected);
        const QString set = folder(QStringLiteral("audit-") + row);
        const WriteOptions pcm24{SF_FORMAT_WAV | SF_FORMAT_PCM_24, {}};
        for (int i = 0; i < 3; ++i) {
            // The lossy stem is an honest .ogg; the misnamed one a FLAC called .wav.
            const bool vorbis = i == 2 && row == QLatin1String("vorbis");
            const QString path = set + QStringLiteral("/%1 stem.%2").arg(i + 1).arg(vorbis ? QStringLiteral("ogg") : QStringLiteral("wav"));
            Signal s = programme(48000, 2, row == QLatin1String("length") && i == 2 ? 1.5 : 2.0, std::uint32_t(i + 3), -12.0);
            WriteOptions options = pcm24;
            if (row == QLatin1String("early"))
                options.timeReferenceSamples = i == 2 ? 0 : 48000;
            if (i == 2 && row == QLatin1String("phase"))
                s = inverted(sineDb(48000, 2, 220.0, -12.0, 2.0));
            if (i == 2 && row == QLatin1String("depth"))
                options.sfFormat = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
            if (vorbis)
                options.sfFormat = SF_FORMAT_OGG | SF_FORMAT_VORBIS;
            if (i == 2 && row == QLatin1String("padded"))  // 16-bit audio in a 24-bit file, as a 16-bit bounce saved as 24-bit is
                for (float &x : s.samples)
                    x = std::round(x * 32768.0f) / 32768.0f;
            if (i == 2 && row == QLatin1String("misnamed"))
                options.sfFormat = SF_FORMAT_FLAC | SF_FORMAT_PCM_24;
            QVERIFY(writeAudio(path, s, options));
        }
        const CliRun r = m_cli.run({QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--json"), QStringLiteral("-"), set});
        const QStringList issues = issuesOf(jsonOf(r));
        QVERIFY2(issues.contains(expected), qPrintable(issues.join(QLatin1Char(' '))));
        for (const QString &issue : issues)  // nothing else of note (leading silence is information)
            QVERIFY2(issue == expected || issue.endsWith(QLatin1String(":info")) || issue.startsWith(QLatin1String("bit_depth_mismatch")),
                     qPrintable(issues.join(QLatin1Char(' '))));
        QCOMPARE(r.exitCode, 0);  // warnings only
    }

    // A template's threshold silences a check, its severity override turns a warning into an error (exit 1).
    void templateOverrides()
    {
        const QString set = folder(QStringLiteral("overrides"));
        QVERIFY(writeAudio(set + QStringLiteral("/Kick In.wav"), programme(48000, 1, 1.0, 5, -12.0), {SF_FORMAT_WAV | SF_FORMAT_PCM_16, {}}));
        const CliRun shown = m_cli.run({QStringLiteral("template"), QStringLiteral("show"), QStringLiteral("band-tracking")});
        QCOMPARE(shown.exitCode, 0);
        const QJsonObject base = QJsonDocument::fromJson(shown.out).object();
        QVERIFY(!base.isEmpty());
        auto withAudit = [&](const QJsonObject &audit, const QString &name) {
            QJsonObject t = base;
            t[QStringLiteral("audit")] = audit;
            const QString path = m_dir.filePath(name);
            return writeFile(path, QJsonDocument(t).toJson()) ? path : QString();
        };
        auto auditWith = [&](const QString &tmpl) {
            return m_cli.run({QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--template"), tmpl,
                              QStringLiteral("--json"), QStringLiteral("-"), set});
        };
        const CliRun plain = auditWith(withAudit({}, QStringLiteral("plain.json")));
        QVERIFY2(issuesOf(jsonOf(plain)).contains(QStringLiteral("low_bit_depth:warning")), plain.out.constData());
        const CliRun lowered = auditWith(withAudit({{QStringLiteral("min_bit_depth"), 16}}, QStringLiteral("min16.json")));
        QVERIFY2(!issuesOf(jsonOf(lowered)).join(QLatin1Char(' ')).contains(QLatin1String("low_bit_depth")), lowered.out.constData());
        const CliRun raised = auditWith(withAudit({{QStringLiteral("severity"), QJsonObject{{QStringLiteral("low_bit_depth"), QStringLiteral("error")}}}},
                                                  QStringLiteral("severe.json")));
        QVERIFY2(issuesOf(jsonOf(raised)).contains(QStringLiteral("low_bit_depth:error")), raised.out.constData());
        QCOMPARE(raised.exitCode, 1);
    }

    // --gain balanced --measure rms: the stem with the highest RMS lands on the -20 dBFS RMS target, the others
    // keep their distance to it; --ceiling lowers the gain of a stem whose true peak would pass it.
    void measureAndCeiling()
    {
        const QString set = folder(QStringLiteral("measure"));
        QVERIFY(writeAudio(set + QStringLiteral("/Loud.wav"), sineDb(48000, 1, 200.0, -10.0, 2.0)));   // RMS -13.0
        QVERIFY(writeAudio(set + QStringLiteral("/Quiet.wav"), sineDb(48000, 1, 300.0, -16.0, 2.0)));  // RMS -19.0
        const QString out = m_dir.filePath(QStringLiteral("measure.zip"));
        const CliRun r = m_cli.run(packageArgs(out) << QStringLiteral("--gain") << QStringLiteral("balanced") << QStringLiteral("--measure")
                                                    << QStringLiteral("rms") << set);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto stems = deliveredStems(out);
        QVERIFY(std::abs(stems.value(QStringLiteral("01 Loud.wav")).value(QStringLiteral("rms_dbfs")).toDouble() + 20.0) < 0.1);
        QVERIFY(std::abs(stems.value(QStringLiteral("02 Quiet.wav")).value(QStringLiteral("rms_dbfs")).toDouble() + 26.0) < 0.1);

        const QString limited = m_dir.filePath(QStringLiteral("ceiling.zip"));
        const CliRun c = m_cli.run(packageArgs(limited) << QStringLiteral("--gain") << QStringLiteral("peak") << QStringLiteral("--target")
                                                        << QStringLiteral("-3") << QStringLiteral("--ceiling") << QStringLiteral("-6") << set);
        QVERIFY2(c.exitCode == 0, c.err.constData());
        const QJsonArray manifestStems = QJsonDocument::fromJson(unzipEntry(limited, QStringLiteral("manifest.json"))).object()
                                             .value(QStringLiteral("stems")).toArray();
        QCOMPARE(manifestStems.size(), 2);
        for (const auto &s : manifestStems)
            QVERIFY(s.toObject().value(QStringLiteral("limited_by_ceiling")).toBool());
        for (const QJsonObject &s : deliveredStems(limited))
            QVERIFY2(s.value(QStringLiteral("true_peak_dbtp")).toDouble() <= -6.0 + 0.02, qPrintable(QString::number(s.value(QStringLiteral("true_peak_dbtp")).toDouble())));
    }

    // The null test: stems that sum to the reference null deeply; one stem shifted by 100 samples must not.
    void nullTestCanFail()
    {
        const Signal a = programme(48000, 2, 2.0, 11, -12.0), b = programme(48000, 2, 2.0, 12, -12.0);
        Signal mix = a;
        for (std::size_t i = 0; i < mix.samples.size(); ++i)
            mix.samples[i] += b.samples[i];
        const QString mixPath = m_dir.filePath(QStringLiteral("mix.wav"));
        QVERIFY(writeAudio(mixPath, mix));
        Signal shifted = b;
        std::fill(shifted.samples.begin(), shifted.samples.end(), 0.0f);
        std::copy(b.samples.begin(), b.samples.end() - 200, shifted.samples.begin() + 200);
        double residual[2] = {};
        for (int variant = 0; variant < 2; ++variant) {
            const QString set = folder(QStringLiteral("null-%1").arg(variant));
            QVERIFY(writeAudio(set + QStringLiteral("/a.wav"), a));
            QVERIFY(writeAudio(set + QStringLiteral("/b.wav"), variant == 0 ? b : shifted));
            const QString out = m_dir.filePath(QStringLiteral("null-%1.zip").arg(variant));
            const CliRun r = m_cli.run(packageArgs(out) << QStringLiteral("--reference") << mixPath << set);
            QVERIFY2(r.exitCode == 0, r.err.constData());
            const QJsonValue db = QJsonDocument::fromJson(unzipEntry(out, QStringLiteral("manifest.json"))).object()
                                      .value(QStringLiteral("reference")).toObject().value(QStringLiteral("null_residual_db"));
            residual[variant] = db.isNull() ? -INFINITY : db.toDouble();
        }
        QVERIFY2(residual[0] < -90.0, qPrintable(QString::number(residual[0])));  // 24-bit dither only
        QVERIFY2(residual[1] > -40.0, qPrintable(QString::number(residual[1])));
    }

    // Title, BPM, version and comment in a delivered WAV, read back by mediainfo (an independent reader).
    void tagsReadBackByMediainfo()
    {
        const QString set = folder(QStringLiteral("tags"));
        QVERIFY(writeAudio(set + QStringLiteral("/Kick.wav"), sineDb(48000, 1, 60.0, -12.0, 1.0)));
        const QString out = m_dir.filePath(QStringLiteral("tags.zip"));
        const CliRun r = m_cli.run(packageArgs(out) << set);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString wav = m_dir.filePath(QStringLiteral("extracted.wav"));
        QVERIFY(writeFile(wav, unzipEntry(out, QStringLiteral("01 Kick.wav"))));
        const QJsonObject general = mediaInfoTrack(wav, QStringLiteral("General"));
        QVERIFY2(!general.isEmpty(), "mediainfo read nothing (scripts/setup.sh installs it)");
        const QString dump = QString::fromUtf8(QJsonDocument(general).toJson());
        // Title is the stem's delivered name; the song's title and version are in the comment (renderjobs.cpp).
        QCOMPARE(general.value(QStringLiteral("Title")).toString(), QStringLiteral("01 Kick"));
        QVERIFY2(general.value(QStringLiteral("Comment")).toString().contains(QLatin1String("Tag Song version 7")), qPrintable(dump));
        QVERIFY2(general.value(QStringLiteral("BPM")).toString() == QLatin1String("123"), qPrintable(dump));
        QVERIFY2(general.value(QStringLiteral("extra")).toObject().value(QStringLiteral("VERSION")).toString() == QLatin1String("7"), qPrintable(dump));
    }
};

QTEST_GUILESS_MAIN(TestCliChecks)
#include "tst_cli_checks.moc"
