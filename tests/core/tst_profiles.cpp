// Delivery profiles: the stemship-profile/1 parser with located problems and contradictions, the bundled
// profiles (schema-valid, loadable), and every bundled profile passing and failing at its limits on real files
// whose loudness is set exactly by libebur128.

#include "audit/stemauditor.h"
#include "ebur128reference.h"
#include "profiles/profileparser.h"
#include "profiles/profilestore.h"
#include "testsignals.h"

#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

#include <cmath>

using namespace stemship;
using stemship::test::Signal;

namespace {

QByteArray profileJson(const QByteArray &rules)
{
    return QByteArrayLiteral("{\n  \"format\": \"stemship-profile/1\",\n  \"name\": \"custom\",\n  \"title\": \"Custom\"")
           + (rules.isEmpty() ? QByteArray() : QByteArrayLiteral(",\n  ") + rules) + QByteArrayLiteral("\n}\n");
}

// The verdict of one rule of the single stem (or the sum) audited against profile.
struct Judged {
    bool found = false;
    bool passed = false;
    double value = NAN;
};

}  // namespace

class TestProfiles : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_files = 0;

    QString write(const Signal &s, int sfFormat = SF_FORMAT_WAV | SF_FORMAT_FLOAT)
    {
        const QString path = m_dir.filePath(QStringLiteral("stem%1.wav").arg(++m_files));
        return test::writeAudio(path, s, {sfFormat, {}}) ? path : QString();
    }

    Judged judge(const QString &file, const profiles::DeliveryProfile &profile, const QString &rule)
    {
        audit::AuditOptions options;
        options.profile = profile;
        options.jobs = 1;
        const audit::AuditReport report = audit::runAudit({io::StemSource{file, file, {}}}, options, {}, CancelToken());
        Judged j;
        if (report.stems.size() != 1 || !report.stems.first().profile)
            return j;
        const audit::StemReport &stem = report.stems.first();
        for (const profiles::RuleVerdict &r : stem.profile->rules)
            if (r.rule == rule) {
                j.found = true;
                j.passed = r.passed;
                j.value = r.value.value_or(NAN);
            }
        // A failed rule is also an error issue naming it; a passed profile adds none.
        const bool issued = std::any_of(stem.issues.cbegin(), stem.issues.cend(), [&](const audit::Issue &i) {
            return i.code == QLatin1String("profile_violation") && i.message.contains(rule + QLatin1Char(' '))
                && i.severity == audit::Severity::Error;
        });
        if (issued == j.passed)
            j.found = false;
        return j;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void bundledProfilesLoad()
    {
        const QStringList expected{QStringLiteral("aes-streaming"), QStringLiteral("atmos-music"), QStringLiteral("atsc-a85"),
                                   QStringLiteral("ebu-r128"), QStringLiteral("ebu-r128-s1")};
        QCOMPARE(profiles::listProfiles(), expected);
        for (const profiles::ProfileInfo &info : profiles::bundledProfiles()) {
            QVERIFY2(info.problem.isEmpty(), qPrintable(info.name + QStringLiteral(": ") + info.problem));
            QVERIFY2(info.description.contains(QRegularExpression(QStringLiteral("EBU|ATSC|AES|Dolby"))), qPrintable(info.name));
            const Result<profiles::DeliveryProfile> p = profiles::loadProfile(info.name);
            QVERIFY(p.ok());
            QCOMPARE(p->name, info.name);
        }
        const auto r128 = profiles::loadProfile(QStringLiteral("ebu-r128"));
        QCOMPARE(r128->integrated->lowLufs(), -23.5);
        QCOMPARE(r128->integrated->highLufs(), -22.5);
        QCOMPARE(*r128->truePeakMaxDbtp, -1.0);
        QCOMPARE(*profiles::loadProfile(QStringLiteral("ebu-r128-s1"))->shortTermMaxLufs, -18.0);
        QCOMPARE(profiles::loadProfile(QStringLiteral("atsc-a85"))->integrated->lowLufs(), -26.0);
        QCOMPARE(*profiles::loadProfile(QStringLiteral("atsc-a85"))->truePeakMaxDbtp, -2.0);
        QCOMPARE(profiles::loadProfile(QStringLiteral("aes-streaming"))->integrated->highLufs(), -15.0);
        const auto atmos = profiles::loadProfile(QStringLiteral("atmos-music"));
        QVERIFY(std::isinf(atmos->integrated->lowLufs()));
        QCOMPARE(atmos->integrated->highLufs(), -18.0);
        QCOMPARE(*atmos->sampleRateHz, 48000);
        QCOMPARE(*atmos->bitDepth, 24);
        QCOMPARE(profiles::loadProfile(QStringLiteral("no-such-profile")).error().code, ErrorCode::NotFound);
        QCOMPARE(profiles::loadProfile(QStringLiteral("../templates/band-tracking")).error().code, ErrorCode::NotFound);
    }

    // The JSON Schema agrees with the parser: the bundled profiles pass it, a contradiction-free typo fails it.
    void bundledProfilesMatchTheSchema()
    {
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        if (python.isEmpty() || QProcess::execute(python, {QStringLiteral("-c"), QStringLiteral("import jsonschema")}) != 0)
            QSKIP("python3 with jsonschema is not installed");
        const QString schema = profiles::profilesDir() + QStringLiteral("/../templates/schema/stemship-profile-1.schema.json");
        const QString bad = m_dir.filePath(QStringLiteral("typo.json"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(profileJson("\"true_peak_max_dbpt\": -1"));
        f.close();
        QStringList files = {bad};
        for (const profiles::ProfileInfo &info : profiles::bundledProfiles())
            files.append(info.path);
        const QString script = QStringLiteral(
            "import json,sys,jsonschema\n"
            "s=json.load(open(sys.argv[1]))\n"
            "for f in sys.argv[2:]:\n"
            "  errs=list(jsonschema.Draft202012Validator(s).iter_errors(json.load(open(f))))\n"
            "  print(f, 'invalid' if errs else 'valid')\n");
        QProcess p;
        p.start(python, QStringList{QStringLiteral("-c"), script, schema} + files);
        QVERIFY(p.waitForFinished(30000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        QCOMPARE(p.exitCode(), 0);
        QVERIFY2(out.contains(bad + QStringLiteral(" invalid")), qPrintable(out));
        QCOMPARE(out.count(QStringLiteral(" valid\n")), files.size() - 1);
    }

    void problemsAreLocated_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<QString>("what");
        QTest::newRow("target outside its band") << profileJson("\"integrated\": {\"target_lufs\": -23, \"tolerance_lu\": 1, \"max_lufs\": -24}")
                                                 << "/integrated/target_lufs" << "outside its own band";
        QTest::newRow("true peak above 0") << profileJson("\"true_peak_max_dbtp\": 0.5") << "/true_peak_max_dbtp" << "above 0 dBTP";
        QTest::newRow("short-term below integrated") << profileJson("\"integrated\": {\"target_lufs\": -16, \"tolerance_lu\": 1},\n  \"short_term_max_lufs\": -18")
                                                     << "/short_term_max_lufs" << "no programme meets both";
        QTest::newRow("momentary below integrated") << profileJson("\"integrated\": {\"min_lufs\": -20},\n  \"momentary_max_lufs\": -21")
                                                    << "/momentary_max_lufs" << "no programme meets both";
        QTest::newRow("tolerance without target") << profileJson("\"integrated\": {\"tolerance_lu\": 1}") << "/integrated/tolerance_lu" << "needs target_lufs";
        QTest::newRow("target without tolerance") << profileJson("\"integrated\": {\"target_lufs\": -23}") << "/integrated/target_lufs" << "tolerance_lu";
        QTest::newRow("min above max") << profileJson("\"integrated\": {\"min_lufs\": -10, \"max_lufs\": -20}") << "/integrated/min_lufs" << "above max";
        QTest::newRow("lra min above max") << profileJson("\"lra\": {\"min_lu\": 12, \"max_lu\": 4}") << "/lra/min_lu" << "above max";
        QTest::newRow("typo") << profileJson("\"true_peak_max_dbpt\": -1") << "/true_peak_max_dbpt" << "did you mean \"true_peak_max_dbtp\"";
        QTest::newRow("bit depth") << profileJson("\"bit_depth\": 20") << "/bit_depth" << "not one of 16, 24, 32";
        QTest::newRow("layout") << profileJson("\"layouts\": [\"stereo\", \"quad\"]") << "/layouts/1" << "\"quad\" is not one of";
        QTest::newRow("wrong type") << profileJson("\"sample_rate_hz\": \"48k\"") << "/sample_rate_hz" << "expected a number";
        QTest::newRow("no rules") << profileJson({}) << "" << "at least one limit";
        QTest::newRow("other format") << QByteArray("{\"format\": \"stemship-profile/2\", \"name\": \"x\", \"title\": \"x\"}") << "/format" << "not a supported format";
        QTest::newRow("not JSON") << QByteArray("{\"format\": ") << "" << "not valid JSON";
    }

    void problemsAreLocated()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, pointer);
        QFETCH(QString, what);
        const profiles::ProfileReadResult read = profiles::readProfile(json);
        QVERIFY(!read.ok());
        bool found = false;
        for (const profiles::ProfileProblem &p : read.problems) {
            if (p.pointer == pointer && p.what.contains(what)) {
                found = true;
                // The line is the key's own line in the text (rules start on line 5 in profileJson()).
                if (!pointer.isEmpty() && pointer != QLatin1String("/format"))
                    QVERIFY2(p.line >= 5, qPrintable(p.message(QStringLiteral("x.json"))));
            }
        }
        QString all;
        for (const profiles::ProfileProblem &p : read.problems)
            all += p.message(QStringLiteral("x.json")) + QLatin1Char('\n');
        QVERIFY2(found, qPrintable(all));
    }

    // Each bundled profile at its limits: 0.1 LU / dB inside passes, 0.1 outside fails, on the rule that says so.
    void bundledProfilesAtTheirLimits_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QString>("rule");
        QTest::addColumn<double>("level");  // integrated LUFS, true peak dBTP or max short-term LUFS, per rule
        QTest::addColumn<bool>("passes");
        const struct { const char *name; double low, high, truePeak; } bands[] = {
            {"ebu-r128", -23.5, -22.5, -1.0}, {"ebu-r128-s1", -23.5, -22.5, -1.0}, {"atsc-a85", -26.0, -22.0, -2.0},
            {"aes-streaming", -17.0, -15.0, -1.0}, {"atmos-music", -INFINITY, -18.0, -1.0}};
        for (const auto &b : bands) {
            auto row = [&](const char *rule, double level, bool passes) {
                QTest::addRow("%s %s %+.1f", b.name, rule, level) << QString::fromLatin1(b.name) << QString::fromLatin1(rule) << level << passes;
            };
            if (std::isfinite(b.low)) {
                row("integrated", b.low - 0.1, false);
                row("integrated", b.low + 0.1, true);
            } else {
                row("integrated", -40.0, true);  // "no louder than": quiet passes
            }
            row("integrated", b.high - 0.1, true);
            row("integrated", b.high + 0.1, false);
            row("true_peak", b.truePeak - 0.1, true);
            row("true_peak", b.truePeak + 0.1, false);
        }
        QTest::addRow("ebu-r128-s1 short_term -18.1") << QStringLiteral("ebu-r128-s1") << QStringLiteral("short_term") << -18.1 << true;
        QTest::addRow("ebu-r128-s1 short_term -17.9") << QStringLiteral("ebu-r128-s1") << QStringLiteral("short_term") << -17.9 << false;
    }

    void bundledProfilesAtTheirLimits()
    {
        QFETCH(QString, profile);
        QFETCH(QString, rule);
        QFETCH(double, level);
        QFETCH(bool, passes);
        Signal s;
        if (rule == QLatin1String("short_term")) {
            // 20 s of tone, then 3.2 s 6.5 dB louder: the loudest 3 s window sits in the burst while the
            // integrated loudness stays inside R128's band.
            s = test::concat(test::sineDb(48000, 2, 997.0, -30.0, 20.0), test::sineDb(48000, 2, 997.0, -23.5, 3.2));
        } else {
            s = test::sineDb(48000, 2, 997.0, -20.0, 3.0);
        }
        // Scale so libebur128 reads the level asked for: loudness and true peak move dB for dB with the gain.
        const test::ReferenceLoudness ref = test::referenceLoudness(s);
        const double measured = rule == QLatin1String("integrated") ? ref.integratedLufs
                              : rule == QLatin1String("true_peak")  ? ref.truePeakDbtp
                                                                    : ref.maxShortTermLufs;
        s = test::scaled(s, level - measured);
        if (rule == QLatin1String("short_term")) {
            const double integrated = ref.integratedLufs + level - measured;
            QVERIFY2(integrated > -23.5 && integrated < -22.5, qPrintable(QString::number(integrated)));
        }
        const QString file = write(s);
        QVERIFY(!file.isEmpty());
        const Judged j = judge(file, *profiles::loadProfile(profile), rule);
        QVERIFY2(j.found, "the rule is judged, and a failure is a profile_violation error naming it");
        QVERIFY2(std::abs(j.value - level) <= 0.05, qPrintable(QStringLiteral("%1 vs %2").arg(j.value).arg(level)));
        QCOMPARE(j.passed, passes);
    }

    // The format rules of atmos-music, and the rules no bundled profile sets, on files that meet and miss them.
    void formatAndSilenceRules_data()
    {
        QTest::addColumn<QString>("profileFile");  // bundled name, or JSON rules of a custom profile
        QTest::addColumn<QString>("rule");
        QTest::addColumn<int>("rate");
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("sfFormat");
        QTest::addColumn<double>("leadSeconds");  // silence before the tone
        QTest::addColumn<double>("tailSeconds");  // silence after it
        QTest::addColumn<bool>("passes");
        const int pcm24 = SF_FORMAT_WAV | SF_FORMAT_PCM_24, pcm16 = SF_FORMAT_WAV | SF_FORMAT_PCM_16, f32 = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
        QTest::newRow("atmos 48 kHz") << "atmos-music" << "sample_rate" << 48000 << 2 << pcm24 << 0.0 << 0.0 << true;
        QTest::newRow("atmos 44.1 kHz") << "atmos-music" << "sample_rate" << 44100 << 2 << pcm24 << 0.0 << 0.0 << false;
        QTest::newRow("atmos 24-bit") << "atmos-music" << "bit_depth" << 48000 << 2 << pcm24 << 0.0 << 0.0 << true;
        QTest::newRow("atmos 16-bit") << "atmos-music" << "bit_depth" << 48000 << 2 << pcm16 << 0.0 << 0.0 << false;
        QTest::newRow("atmos float") << "atmos-music" << "bit_depth" << 48000 << 2 << f32 << 0.0 << 0.0 << false;
        const QString layouts = QStringLiteral("\"layouts\": [\"stereo\", \"5.1\"]");
        QTest::newRow("layout stereo") << layouts << "layout" << 48000 << 2 << pcm24 << 0.0 << 0.0 << true;
        QTest::newRow("layout mono") << layouts << "layout" << 48000 << 1 << pcm24 << 0.0 << 0.0 << false;
        const QString silence = QStringLiteral("\"leading_silence_max_s\": 0.5, \"trailing_silence_max_s\": 1.0");
        QTest::newRow("lead 0.4 s") << silence << "leading_silence" << 48000 << 2 << pcm24 << 0.4 << 0.0 << true;
        QTest::newRow("lead 0.6 s") << silence << "leading_silence" << 48000 << 2 << pcm24 << 0.6 << 0.0 << false;
        QTest::newRow("tail 0.9 s") << silence << "trailing_silence" << 48000 << 2 << pcm24 << 0.0 << 0.9 << true;
        QTest::newRow("tail 1.1 s") << silence << "trailing_silence" << 48000 << 2 << pcm24 << 0.0 << 1.1 << false;
        // A steady tone has a loudness range of 0 LU.
        QTest::newRow("lra below min") << QStringLiteral("\"lra\": {\"min_lu\": 3, \"max_lu\": 15}") << "lra" << 48000 << 2 << pcm24 << 0.0 << 0.0 << false;
        QTest::newRow("lra within max") << QStringLiteral("\"lra\": {\"max_lu\": 15}") << "lra" << 48000 << 2 << pcm24 << 0.0 << 0.0 << true;
        QTest::newRow("momentary over") << QStringLiteral("\"momentary_max_lufs\": -30") << "momentary" << 48000 << 2 << pcm24 << 0.0 << 0.0 << false;
        QTest::newRow("momentary under") << QStringLiteral("\"momentary_max_lufs\": -10") << "momentary" << 48000 << 2 << pcm24 << 0.0 << 0.0 << true;
    }

    void formatAndSilenceRules()
    {
        QFETCH(QString, profileFile);
        QFETCH(QString, rule);
        QFETCH(int, rate);
        QFETCH(int, channels);
        QFETCH(int, sfFormat);
        QFETCH(double, leadSeconds);
        QFETCH(double, tailSeconds);
        QFETCH(bool, passes);
        profiles::DeliveryProfile profile;
        if (profileFile.startsWith(QLatin1Char('"'))) {
            const profiles::ProfileReadResult read = profiles::readProfile(profileJson(profileFile.toUtf8()));
            QVERIFY(read.ok());
            profile = read.profile;
        } else {
            profile = *profiles::loadProfile(profileFile);
        }
        const Signal s = test::concat(test::concat(test::silence(rate, channels, leadSeconds), test::sineDb(rate, channels, 997.0, -20.0, 4.0)),
                                      test::silence(rate, channels, tailSeconds));
        const QString file = write(s, sfFormat);
        QVERIFY(!file.isEmpty());
        const Judged j = judge(file, profile, rule);
        QVERIFY(j.found);
        QCOMPARE(j.passed, passes);
    }
};

QTEST_GUILESS_MAIN(TestProfiles)
#include "tst_profiles.moc"
