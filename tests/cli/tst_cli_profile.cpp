// `stemship profile list | show | validate`, and `audit --profile` / `--sum` through the CLI: exit codes, one
// located line per problem, the contract's JSON, the CSV columns and the HTML profile section and sum curve.

#include "clirunner.h"
#include "ebur128reference.h"
#include "filetree.h"
#include "testsignals.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

using stemship::test::CliRun;
using stemship::test::CliRunner;
using stemship::test::writeFileIn;

namespace {

CliRun runCli(const QStringList &args)
{
    CliRunner cli(QStringLiteral(STEMSHIP_CLI_PATH));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!env.contains(QStringLiteral("STEMSHIP_DATA_DIR")))
        env.insert(QStringLiteral("STEMSHIP_DATA_DIR"), QStringLiteral(STEMSHIP_SOURCE_DATA_DIR));
    cli.setEnvironment(env);
    return cli.run(args);
}

QJsonObject rule(const QJsonObject &stem, const QString &name)
{
    for (const QJsonValue &r : stem.value(QStringLiteral("profile")).toObject().value(QStringLiteral("rules")).toArray())
        if (r.toObject().value(QStringLiteral("rule")).toString() == name)
            return r.toObject();
    return {};
}

}  // namespace

class TestCliProfile : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_loud;   // -20 dBFS peak stereo tone: about -20 LUFS, true peak -20 dBTP
    QString m_quiet;  // -24 dBFS: about -24.6 LUFS

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const int pcm24 = SF_FORMAT_WAV | SF_FORMAT_PCM_24;
        m_loud = m_dir.filePath(QStringLiteral("loud.wav"));
        m_quiet = m_dir.filePath(QStringLiteral("quiet.wav"));
        QVERIFY(stemship::test::writeAudio(m_loud, stemship::test::sineDb(48000, 2, 997.0, -20.0, 5.0), {pcm24, {}}));
        QVERIFY(stemship::test::writeAudio(m_quiet, stemship::test::sineDb(48000, 2, 440.0, -24.0, 5.0), {pcm24, {}}));
    }

    void listShowValidate()
    {
        const CliRun list = runCli({QStringLiteral("profile"), QStringLiteral("list")});
        QCOMPARE(list.exitCode, 0);
        QCOMPARE(list.out, QByteArray("aes-streaming\natmos-music\natsc-a85\nebu-r128\nebu-r128-s1\n"));
        const CliRun listJson = runCli({QStringLiteral("profile"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(listJson.exitCode, 0);
        const QJsonArray items = QJsonDocument::fromJson(listJson.out).object().value(QStringLiteral("profiles")).toArray();
        QCOMPARE(items.size(), 5);
        for (const QJsonValue &v : items)
            QVERIFY(v.toObject().value(QStringLiteral("valid")).toBool());

        const CliRun show = runCli({QStringLiteral("profile"), QStringLiteral("show"), QStringLiteral("atsc-a85")});
        QCOMPARE(show.exitCode, 0);
        const QJsonObject shown = QJsonDocument::fromJson(show.out).object();
        QCOMPARE(shown.value(QStringLiteral("name")).toString(), QStringLiteral("atsc-a85"));
        QCOMPARE(shown.value(QStringLiteral("true_peak_max_dbtp")).toDouble(), -2.0);
        QCOMPARE(runCli({QStringLiteral("profile"), QStringLiteral("show"), QStringLiteral("nope")}).exitCode, 2);

        const CliRun valid = runCli({QStringLiteral("profile"), QStringLiteral("validate"), QStringLiteral("ebu-r128")});
        QCOMPARE(valid.exitCode, 0);
        const QString bad = writeFileIn(m_dir, QStringLiteral("bad.json"),
            "{\n  \"format\": \"stemship-profile/1\",\n  \"name\": \"bad\",\n  \"title\": \"Bad\",\n"
            "  \"integrated\": {\"target_lufs\": -23, \"tolerance_lu\": 1, \"max_lufs\": -30},\n"
            "  \"true_peak_max_dbtp\": 1.5\n}\n");
        const CliRun invalid = runCli({QStringLiteral("profile"), QStringLiteral("validate"), bad});
        QCOMPARE(invalid.exitCode, 1);
        const QList<QByteArray> lines = invalid.err.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY2(lines[0].startsWith((bad + QStringLiteral(": /integrated/target_lufs (line 5): ")).toUtf8()), lines[0].constData());
        QVERIFY2(lines[1].startsWith((bad + QStringLiteral(": /true_peak_max_dbtp (line 6): ")).toUtf8()), lines[1].constData());
        QCOMPARE(runCli({QStringLiteral("profile"), QStringLiteral("validate"), m_dir.filePath(QStringLiteral("none.json"))}).exitCode, 2);

        // audit --profile with the same broken file: exit 2, the same lines; unknown names and files: exit 2.
        const CliRun audit = runCli({QStringLiteral("audit"), QStringLiteral("--profile"), bad, m_loud});
        QCOMPARE(audit.exitCode, 2);
        QCOMPARE(audit.err.trimmed().split('\n'), lines);
        const CliRun unknown = runCli({QStringLiteral("audit"), QStringLiteral("--profile"), QStringLiteral("ebu-r129"), m_loud});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains("ebu-r129: no such profile (bundled: aes-streaming, atmos-music"));
        QCOMPARE(runCli({QStringLiteral("audit"), QStringLiteral("--profile"), m_dir.filePath(QStringLiteral("x.json")), m_loud}).exitCode, 2);
    }

    void auditAgainstAProfile()
    {
        const QString json = m_dir.filePath(QStringLiteral("audit.json"));
        const QString csv = m_dir.filePath(QStringLiteral("audit.csv"));
        const CliRun r = runCli({QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--profile"), QStringLiteral("ebu-r128"),
                                 QStringLiteral("--json"), json, QStringLiteral("--csv"), csv, m_loud});
        QCOMPARE(r.exitCode, 1);  // about -20 LUFS: louder than R128 allows
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject report = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(report.value(QStringLiteral("profile")).toString(), QStringLiteral("ebu-r128"));
        const QJsonObject stem = report.value(QStringLiteral("stems")).toArray().first().toObject();
        const QJsonObject profile = stem.value(QStringLiteral("profile")).toObject();
        QCOMPARE(profile.value(QStringLiteral("name")).toString(), QStringLiteral("ebu-r128"));
        QCOMPARE(profile.value(QStringLiteral("passed")).toBool(), false);
        const QJsonObject integrated = rule(stem, QStringLiteral("integrated"));
        QCOMPARE(integrated.value(QStringLiteral("passed")).toBool(), false);
        QCOMPARE(integrated.value(QStringLiteral("limit")).toArray(), (QJsonArray{-23.5, -22.5}));
        QCOMPARE(integrated.value(QStringLiteral("value")).toDouble(), stem.value(QStringLiteral("integrated_lufs")).toDouble());
        const QJsonObject truePeak = rule(stem, QStringLiteral("true_peak"));
        QCOMPARE(truePeak.value(QStringLiteral("passed")).toBool(), true);
        QCOMPARE(truePeak.value(QStringLiteral("limit")).toDouble(), -1.0);
        int violations = 0;
        for (const QJsonValue &i : stem.value(QStringLiteral("issues")).toArray())
            if (i.toObject().value(QStringLiteral("code")).toString() == QLatin1String("profile_violation")) {
                ++violations;
                QCOMPARE(i.toObject().value(QStringLiteral("severity")).toString(), QStringLiteral("error"));
                QVERIFY(i.toObject().value(QStringLiteral("message")).toString().contains(QStringLiteral("integrated")));
            }
        QCOMPARE(violations, 1);
        QFile c(csv);
        QVERIFY(c.open(QIODevice::ReadOnly));
        const QList<QByteArray> rows = c.readAll().trimmed().split('\n');
        QVERIFY(rows[0].trimmed().endsWith(",issues,profile_passed,profile_failed_rules"));
        QVERIFY(rows[1].trimmed().endsWith(",false,integrated"));

        // The quiet tone passes ATSC A/85 (-24 +-2 LKFS, -2 dBTP): exit 0.
        const CliRun atsc = runCli({QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--profile"), QStringLiteral("atsc-a85"), m_quiet});
        QVERIFY2(atsc.exitCode == 0, atsc.out.constData());
        QVERIFY(atsc.out.contains("PROFILE  atsc-a85: 1 of 1 judged passed"));
    }

    void auditTheSum()
    {
        const QString json = m_dir.filePath(QStringLiteral("sum.json"));
        const QString html = m_dir.filePath(QStringLiteral("sum.html"));
        const CliRun r = runCli({QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--sum"), QStringLiteral("--profile"),
                                 QStringLiteral("ebu-r128"), QStringLiteral("--json"), json, QStringLiteral("--html"), html, m_loud, m_quiet});
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonArray stems = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("stems")).toArray();
        QCOMPARE(stems.size(), 3);
        const QJsonObject sum = stems.last().toObject();
        QCOMPARE(sum.value(QStringLiteral("path")).toString(), QStringLiteral("(sum of stems)"));
        QCOMPARE(sum.value(QStringLiteral("sum")).toBool(), true);
        QCOMPARE(sum.value(QStringLiteral("channels")).toInt(), 2);
        QCOMPARE(sum.value(QStringLiteral("frames")).toInt(), 5 * 48000);
        // Louder than the louder stem, by less than 3 dB (the quiet one is about 5 dB down).
        const double loud = stems.first().toObject().value(QStringLiteral("integrated_lufs")).toDouble();
        const double summed = sum.value(QStringLiteral("integrated_lufs")).toDouble();
        QVERIFY2(summed > loud + 0.5 && summed < loud + 3.0, qPrintable(QStringLiteral("%1 vs %2").arg(summed).arg(loud)));
        // The loudness rules judge the sum; the files get true peak only.
        QVERIFY(!rule(sum, QStringLiteral("integrated")).isEmpty());
        for (int i = 0; i < 2; ++i) {
            QVERIFY(rule(stems.at(i).toObject(), QStringLiteral("integrated")).isEmpty());
            QVERIFY(!rule(stems.at(i).toObject(), QStringLiteral("true_peak")).isEmpty());
        }
        QCOMPARE(r.exitCode, 1);  // the sum is about -18 LUFS
        QFile h(html);
        QVERIFY(h.open(QIODevice::ReadOnly));
        const QByteArray page = h.readAll();
        QVERIFY(page.contains("<h2>Profile ebu-r128</h2>"));
        QVERIFY(page.contains("(sum of stems)"));
        QCOMPARE(page.count("aria-label=\"loudness over time\""), 3);  // each stem and the sum
        QVERIFY(page.contains("<td class=\"l fail\">fail</td>"));
    }

    // package --profile ebu-r128 --gain lufs: the target comes from the profile, the delivered files meet it
    // (checked on the WAVs unzipped by Info-ZIP and measured by libebur128), and the manifest and NOTES say so.
    void packageToAProfile()
    {
        const QString out = m_dir.filePath(QStringLiteral("r128.zip"));
        const CliRun r = runCli({QStringLiteral("package"), QStringLiteral("--quiet"), QStringLiteral("-o"), out, QStringLiteral("--tempo"),
                                 QStringLiteral("120"), QStringLiteral("--time-signature"), QStringLiteral("4/4"), QStringLiteral("--version"),
                                 QStringLiteral("1"), QStringLiteral("--gain"), QStringLiteral("lufs"), QStringLiteral("--profile"),
                                 QStringLiteral("ebu-r128"), m_loud, m_quiet});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.err.contains("profile ebu-r128 met") || r.out.contains("profile ebu-r128 met"));
        const QString unzip = QStandardPaths::findExecutable(QStringLiteral("unzip"));
        if (unzip.isEmpty())
            QSKIP("Info-ZIP unzip is not installed (scripts/setup.sh installs it)");
        const QString extracted = m_dir.filePath(QStringLiteral("r128"));
        QCOMPARE(QProcess::execute(unzip, {QStringLiteral("-q"), out, QStringLiteral("-d"), extracted}), 0);
        QFile m(extracted + QStringLiteral("/manifest.json"));
        QVERIFY(m.open(QIODevice::ReadOnly));
        const QJsonObject manifest = QJsonDocument::fromJson(m.readAll()).object();
        QCOMPARE(manifest.value(QStringLiteral("profile")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("ebu-r128"));
        QCOMPARE(manifest.value(QStringLiteral("target_db")).toDouble(), -23.0);
        QCOMPARE(manifest.value(QStringLiteral("ceiling_dbtp")).toDouble(), -1.0);
        const QJsonArray stems = manifest.value(QStringLiteral("stems")).toArray();
        QCOMPARE(stems.size(), 2);
        for (const QJsonValue &v : stems) {
            const QJsonObject stem = v.toObject();
            QVERIFY(stem.value(QStringLiteral("profile")).toObject().value(QStringLiteral("passed")).toBool());
            const auto wav = stemship::test::readAudio(extracted + QLatin1Char('/') + stem.value(QStringLiteral("file")).toString());
            QVERIFY(wav);
            const stemship::test::ReferenceLoudness ref = stemship::test::referenceLoudness(*wav);
            QVERIFY2(std::abs(ref.integratedLufs + 23.0) <= 0.1, qPrintable(QString::number(ref.integratedLufs)));
            QVERIFY(ref.truePeakDbtp <= -1.0 + 0.05);
        }
        QFile notes(extracted + QStringLiteral("/NOTES.txt"));
        QVERIFY(notes.open(QIODevice::ReadOnly));
        QVERIFY(notes.readAll().contains("Profile: ebu-r128"));
    }

    // A stem whose crest factor makes -23 LUFS impossible under -1 dBTP: exit 1 naming it, nothing written.
    void packageRefusesAnImpossibleSpec()
    {
        QTemporaryDir dir;
        stemship::test::Signal clicks = stemship::test::silence(48000, 2, 10.0);
        for (std::int64_t i = 0; i < clicks.frames(); i += 4800)
            clicks.at(i, 0) = clicks.at(i, 1) = 0.9f;  // full-scale clicks, 36 dB of crest factor
        const QString source = dir.filePath(QStringLiteral("clicks.wav"));
        QVERIFY(stemship::test::writeAudio(source, clicks, {SF_FORMAT_WAV | SF_FORMAT_PCM_24, {}}));
        const QStringList before = stemship::test::listTree(dir.path());
        const QString out = dir.filePath(QStringLiteral("clicks.zip"));
        const CliRun r = runCli({QStringLiteral("package"), QStringLiteral("--quiet"), QStringLiteral("-o"), out, QStringLiteral("--tempo"),
                                 QStringLiteral("120"), QStringLiteral("--time-signature"), QStringLiteral("4/4"), QStringLiteral("--version"),
                                 QStringLiteral("1"), QStringLiteral("--gain"), QStringLiteral("lufs"), QStringLiteral("--profile"),
                                 QStringLiteral("ebu-r128"), source});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("profile ebu-r128 cannot be met") && r.err.contains("01 clicks.wav: integrated"), r.err.constData());
        QCOMPARE(stemship::test::listTree(dir.path()), before);

        // An explicit format the profile forbids is a usage error.
        const CliRun rate = runCli({QStringLiteral("package"), QStringLiteral("-o"), out, QStringLiteral("--tempo"), QStringLiteral("120"),
                                    QStringLiteral("--time-signature"), QStringLiteral("4/4"), QStringLiteral("--version"), QStringLiteral("1"),
                                    QStringLiteral("--sample-rate"), QStringLiteral("44100"), QStringLiteral("--profile"),
                                    QStringLiteral("atmos-music"), source});
        QCOMPARE(rate.exitCode, 2);
        QVERIFY(rate.err.contains("atmos-music: the profile requires 48000 Hz"));
        QCOMPARE(stemship::test::listTree(dir.path()), before);
    }
};

QTEST_GUILESS_MAIN(TestCliProfile)
#include "tst_cli_profile.moc"
