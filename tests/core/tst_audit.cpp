#include "auditsupport.h"

#include "audit/reportwriters.h"
#include "audit/stemauditor.h"
#include "io/stemsource.h"
#include "templates/templatestore.h"
#include "testsignals.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

#include <cmath>

using namespace stemship;
using stemship::test::Signal;

namespace {

constexpr double kSeconds = 6.0;

QStringList setCodesFor(const audit::AuditReport &report, const QString &fileName)
{
    QStringList out;
    for (const auto &issue : report.issues)
        for (const QString &p : issue.paths)
            if (p.endsWith(fileName))
                out.append(issue.code);
    out.sort();
    return out;
}

}  // namespace

class TestAudit : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    audit::AuditReport m_report;

private Q_SLOTS:
    void findingLinesForNotes()
    {
        // One format for the NOTES of every delivery (GUI and CLI): file, severity, code, message; then the set.
        audit::AuditReport report;
        audit::StemReport kick;
        kick.path = QStringLiteral("/sessions/song/Kick In.wav");
        kick.issues.append({audit::Severity::Warning, QStringLiteral("true_peak_over"), QStringLiteral("true peak +0.4 dBTP"), {}});
        report.stems.append(kick);
        report.issues.append({audit::Severity::Error, QStringLiteral("missing_stem"), QStringLiteral("no stem for Snare"), {}});
        const QStringList expected = {QStringLiteral("Kick In.wav: warning true_peak_over: true peak +0.4 dBTP"),
                                      QStringLiteral("set: error missing_stem: no stem for Snare")};
        QCOMPARE(report.findingLines(), expected);
    }

    // The messy session of the audit issue: every problem on its own stem, the rest clean.
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString d = m_dir.path();
        const int pcm24 = SF_FORMAT_WAV | SF_FORMAT_PCM_24;
        QVERIFY(test::writeAudio(d + QStringLiteral("/Kick In.wav"), test::programme(48000, 1, kSeconds, 1, -8.0), {pcm24, 0}));
        QVERIFY(test::writeAudio(d + QStringLiteral("/Drums.wav"), test::programme(48000, 2, kSeconds, 2, -6.0), {pcm24, 0}));
        QVERIFY(test::writeAudio(d + QStringLiteral("/Bass DI.flac"), test::programme(48000, 1, kSeconds, 3, -10.0),
                                 {SF_FORMAT_FLAC | SF_FORMAT_PCM_24, {}}));
        QVERIFY(test::writeAudio(d + QStringLiteral("/Keys.aif"), test::programme(48000, 2, kSeconds, 4, -12.0),
                                 {SF_FORMAT_AIFF | SF_FORMAT_PCM_24, {}}));
        // Mixed rate: the one 44.1 kHz stem.
        QVERIFY(test::writeAudio(d + QStringLiteral("/Perc 44k.wav"), test::programme(44100, 2, kSeconds, 5, -9.0), {pcm24, 0}));

        // Dual-mono guitar: stereo file with identical channels.
        Signal guitar = test::programme(48000, 2, kSeconds, 6, -10.0);
        for (std::int64_t i = 0; i < guitar.frames(); ++i)
            guitar.at(i, 1) = guitar.at(i, 0);
        QVERIFY(test::writeAudio(d + QStringLiteral("/Gitarre Rhythmus ü.wav"), guitar, {pcm24, 0}));

        // Clipped float vocal: samples beyond full scale.
        Signal vocal = test::programme(48000, 1, kSeconds, 7, +3.0);
        QVERIFY(test::writeAudio(d + QStringLiteral("/Voz Principal ñ.wav"), vocal, {SF_FORMAT_WAV | SF_FORMAT_FLOAT, 0}));

        // Pad with DC: a quiet pad sitting on a 0.02 offset.
        Signal pad = test::programme(48000, 2, kSeconds, 8, -20.0);
        for (auto &x : pad.samples)
            x += 0.02f;
        QVERIFY(test::writeAudio(d + QStringLiteral("/Pad 日本.wav"), pad, {pcm24, 0}));

        // Late-starting FX: BWF time reference 2 s into the session, same length.
        QVERIFY(test::writeAudio(d + QStringLiteral("/FX Riser.wav"), test::programme(48000, 2, kSeconds, 9, -14.0),
                                 {pcm24, 2 * 48000}));

        // A silent track.
        QVERIFY(test::writeAudio(d + QStringLiteral("/Spare.wav"), test::silence(48000, 2, kSeconds), {pcm24, 0}));

        // Integer file with runs of full-scale samples.
        Signal hot = test::scaled(test::programme(48000, 2, kSeconds, 10, -1.0), 9.0);
        for (auto &x : hot.samples)
            x = std::clamp(x, -1.0f, 1.0f);
        QVERIFY(test::writeAudio(d + QStringLiteral("/Snare Top.wav"), hot, {pcm24, 0}));

        // A broken file: a WAV header and garbage.
        QFile broken(d + QStringLiteral("/Broken.wav"));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write(QByteArray("RIFF\x10\x00\x00\x00WAVEjunkjunkjunk", 20));
        broken.close();

        QList<Error> errors;
        const QList<io::StemSource> sources = io::collectSources({d}, &errors);
        QCOMPARE(sources.size(), 12);
        audit::AuditOptions options;
        options.jobs = 2;
        CancelToken cancel;
        // Core's one progress convention: a fraction that never goes back, and the stems counted in words.
        int lastDone = -1;
        double lastFraction = 0.0;
        m_report = audit::runAudit(sources, options, [&](double fraction, const QString &stage) {
            const auto m = QRegularExpression(QStringLiteral("^(\\d+)/12 stems$")).match(stage);
            QVERIFY2(m.hasMatch(), qPrintable(stage));
            const int done = m.captured(1).toInt();
            QVERIFY(done >= lastDone && done <= 12 && fraction >= lastFraction && fraction <= 1.0);
            lastDone = done;
            lastFraction = fraction;
        }, cancel);
        QCOMPARE(lastDone, 12);
        QCOMPARE(lastFraction, 1.0);
    }

    void stemCodes_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("clean kick") << "Kick In.wav" << QStringList{};
        QTest::newRow("clean drums") << "Drums.wav" << QStringList{};
        QTest::newRow("clean flac bass") << "Bass DI.flac" << QStringList{};
        QTest::newRow("clean aiff keys") << "Keys.aif" << QStringList{};
        QTest::newRow("44.1k perc") << "Perc 44k.wav" << QStringList{};
        QTest::newRow("dual mono guitar") << "Gitarre Rhythmus ü.wav" << QStringList{QStringLiteral("dual_mono")};
        QTest::newRow("clipped float vocal") << "Voz Principal ñ.wav"
                                             << QStringList{QStringLiteral("over_full_scale"), QStringLiteral("true_peak_over")};
        QTest::newRow("pad with dc") << "Pad 日本.wav" << QStringList{QStringLiteral("dc_offset")};
        QTest::newRow("late fx") << "FX Riser.wav" << QStringList{QStringLiteral("late_start")};
        QTest::newRow("silent") << "Spare.wav" << QStringList{QStringLiteral("silent")};
        QTest::newRow("clipped integer") << "Snare Top.wav" << QStringList{QStringLiteral("clipping"), QStringLiteral("true_peak_over")};
        QTest::newRow("broken") << "Broken.wav" << QStringList{QStringLiteral("unreadable")};
    }

    // extension_mismatch: the name's extension against the container the reader found.
    void extensionNamesTheContainer_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("format");
        QTest::addColumn<bool>("fits");
        QTest::newRow("wav") << "a.wav" << "WAV" << true;
        QTest::newRow("upper case") << "A.WAV" << "WAV" << true;
        QTest::newRow("bwf") << "a.bwf" << "WAV" << true;
        QTest::newRow("rf64 called .wav") << "a.wav" << "RF64" << true;
        QTest::newRow("mp3 called .wav") << "a.wav" << "MPEG" << false;
        QTest::newRow("flac called .wav") << "a.wav" << "FLAC" << false;
        QTest::newRow("w64 called .wav") << "a.wav" << "W64" << false;
        QTest::newRow("aifc called .aif") << "a.aif" << "AIFC" << true;
        QTest::newRow("wav called .aiff") << "a.aiff" << "WAV" << false;
        QTest::newRow("opus in ogg") << "a.opus" << "OGG" << true;
        QTest::newRow("zip entry") << "x.zip!dir/a.mp3" << "MPEG" << true;
        QTest::newRow("zip entry misnamed") << "x.zip!dir/a.flac" << "WAV" << false;
        QTest::newRow("no extension") << "take 3" << "WAV" << true;
        QTest::newRow("not an audio extension") << "a.bin" << "WAV" << true;
    }
    void extensionNamesTheContainer()
    {
        QFETCH(QString, name);
        QFETCH(QString, format);
        QFETCH(bool, fits);
        QCOMPARE(io::extensionFitsFormat(name, format), fits);
    }

    void stemCodes()
    {
        QFETCH(QString, file);
        QFETCH(QStringList, expected);
        const audit::StemReport *stem = test::stemEndingWith(m_report, file);
        QVERIFY2(stem, qPrintable(file));
        QCOMPARE(test::sortedIssueCodes(*stem).join(QLatin1Char(',')), expected.join(QLatin1Char(',')));
    }

    void setCodes()
    {
        QCOMPARE(setCodesFor(m_report, QStringLiteral("Perc 44k.wav")), QStringList{QStringLiteral("sample_rate_mismatch")});
        QCOMPARE(setCodesFor(m_report, QStringLiteral("Voz Principal ñ.wav")), QStringList{QStringLiteral("bit_depth_mismatch")});
        for (const QString &clean : {QStringLiteral("Kick In.wav"), QStringLiteral("Drums.wav"), QStringLiteral("Keys.aif")})
            QVERIFY2(setCodesFor(m_report, clean).isEmpty(), qPrintable(clean));
        QVERIFY(m_report.hasErrors());  // broken file, clipping
    }

    void measurements()
    {
        const audit::StemReport *fx = test::stemEndingWith(m_report, QStringLiteral("FX Riser.wav"));
        QCOMPARE(fx->startSeconds, 2.0);
        QCOMPARE(fx->info.timeReferenceSamples.value_or(0), 96000u);
        const audit::StemReport *kick = test::stemEndingWith(m_report, QStringLiteral("Kick In.wav"));
        QVERIFY(std::abs(kick->levels.samplePeakDbfs - (-8.0)) < 0.01);
        QVERIFY(kick->levels.truePeakDbtp >= kick->levels.samplePeakDbfs - 0.01);
        QVERIFY(!kick->levels.correlation);  // mono: no correlation
        const audit::StemReport *pad = test::stemEndingWith(m_report, QStringLiteral("Pad 日本.wav"));
        QVERIFY(std::abs(pad->levels.maxAbsDcOffset - 0.02) < 0.001);
        const audit::StemReport *guitar = test::stemEndingWith(m_report, QStringLiteral("Gitarre Rhythmus ü.wav"));
        QVERIFY(guitar->levels.correlation && *guitar->levels.correlation > 0.999);
        QCOMPARE(int(kick->overview.maximum.size()), audit::kOverviewBuckets);
        QVERIFY(kick->loudness.momentaryLufs.size() >= std::size_t(kSeconds * 10 - 1));
    }

    void jsonReport()
    {
        const QJsonDocument doc = QJsonDocument::fromJson(audit::reportToJsonBytes(m_report));
        QVERIFY(doc.isObject());
        const QJsonObject root = doc.object();
        QCOMPARE(root.value(QStringLiteral("tool")).toString(), QStringLiteral("stemship"));
        QVERIFY(root.value(QStringLiteral("template")).isNull());
        const QJsonArray stems = root.value(QStringLiteral("stems")).toArray();
        QCOMPARE(stems.size(), 12);
        const char *keys[] = {"path", "format", "sample_format", "sample_rate", "channels", "frames", "duration_s",
                                  "bit_depth", "time_reference_samples", "start_s", "sample_peak_dbfs", "true_peak_dbtp",
                                  "rms_dbfs", "integrated_lufs", "loudness_range_lu", "max_momentary_lufs",
                                  "max_short_term_lufs", "dc_offset", "correlation", "clipped_samples", "role", "issues"};
        for (const auto &value : stems) {
            const QJsonObject stem = value.toObject();
            for (const char *key : keys)
                QVERIFY2(stem.contains(QLatin1String(key)), key);
            if (stem.value(QStringLiteral("path")).toString().endsWith(QLatin1String("Spare.wav"))) {
                QVERIFY(stem.value(QStringLiteral("sample_peak_dbfs")).isNull());  // -inf is null, never NaN
                QVERIFY(stem.value(QStringLiteral("integrated_lufs")).isNull());
            }
            if (stem.value(QStringLiteral("path")).toString().endsWith(QLatin1String("Voz Principal ñ.wav")))
                QVERIFY(stem.value(QStringLiteral("bit_depth")).isNull());
        }
        QVERIFY(!audit::reportToJsonBytes(m_report).contains("nan"));
        QVERIFY(!audit::reportToJsonBytes(m_report).contains("Infinity"));
    }

    void csvAndHtml()
    {
        const QByteArray csv = audit::reportToCsv(m_report);
        QCOMPARE(csv.count("\r\n"), 13);  // header + 12 stems
        QVERIFY(csv.startsWith("path,status,role,format"));
        // A stem flagged only by a set-level check takes its status and code from it.
        const audit::StemReport *perc = test::stemEndingWith(m_report, QStringLiteral("Perc 44k.wav"));
        QCOMPARE(m_report.statusOf(*perc), QStringLiteral("warning"));
        QCOMPARE(m_report.issuesFor(*perc).size(), 1);
        for (const QByteArray &line : csv.split('\n'))
            if (line.contains("Perc 44k.wav"))
                QVERIFY2(line.contains(",warning,") && line.contains("sample_rate_mismatch"), line.constData());
        QCOMPARE(m_report.statusOf(*test::stemEndingWith(m_report, QStringLiteral("Kick In.wav"))), QStringLiteral("ok"));
        const QByteArray html = audit::reportToHtml(m_report);
        QVERIFY(html.startsWith("<!DOCTYPE html>"));
        QVERIFY(html.contains("Failed"));
        QCOMPARE(html.count("aria-label=\"waveform overview\""), 11);  // every readable stem
        QVERIFY(html.contains("Gitarre Rhythmus ü.wav"));
        QVERIFY(!html.contains("http://") && !html.contains("https://"));  // self-contained
    }

    void templateMatchesMessyNames()
    {
        QTemporaryDir dir;
        const QStringList files = {QStringLiteral("kick_in_01.wav"), QStringLiteral("SNARE-TOP.wav"), QStringLiteral("snare top.aif"),
                                   QStringLiteral("OH L.wav"), QStringLiteral("OH R.wav"), QStringLiteral("Lead Vox (2).wav"),
                                   QStringLiteral("BASS_DI.wav"), QStringLiteral("weird_noise.wav")};
        for (int i = 0; i < files.size(); ++i) {
            const int format = files[i].endsWith(QLatin1String(".aif")) ? SF_FORMAT_AIFF | SF_FORMAT_PCM_24 : SF_FORMAT_WAV | SF_FORMAT_PCM_24;
            QVERIFY(test::writeAudio(dir.filePath(files[i]), test::programme(48000, 1, 2.0, std::uint32_t(20 + i), -12.0), {format, {}}));
        }
        auto tmpl = templates::loadTemplate(QStringLiteral("band-tracking"));
        QVERIFY2(tmpl.ok(), qPrintable(tmpl.ok() ? QString() : tmpl.error().line()));
        audit::AuditOptions options;
        options.sessionTemplate = *tmpl;
        QList<Error> errors;
        const auto report = audit::runAudit(io::collectSources({dir.path()}, &errors), options, {}, CancelToken{});
        QCOMPARE(report.templateName, QStringLiteral("band-tracking"));

        const QHash<QString, QString> expectedRoles = {
            {QStringLiteral("kick_in_01.wav"), QStringLiteral("Kick In")}, {QStringLiteral("SNARE-TOP.wav"), QStringLiteral("Snare Top")},
            {QStringLiteral("snare top.aif"), QStringLiteral("Snare Top")}, {QStringLiteral("OH L.wav"), QStringLiteral("OH")},
            {QStringLiteral("OH R.wav"), QStringLiteral("OH")}, {QStringLiteral("Lead Vox (2).wav"), QStringLiteral("Lead Vox")},
            {QStringLiteral("BASS_DI.wav"), QStringLiteral("Bass DI")}};
        for (auto it = expectedRoles.cbegin(); it != expectedRoles.cend(); ++it) {
            const audit::StemReport *stem = test::stemEndingWith(report, it.key());
            QVERIFY(stem);
            QCOMPARE(stem->role.value_or(QString()), it.value());
            QVERIFY(!stem->hasIssue(QStringLiteral("name_unmatched")));
        }
        const audit::StemReport *weird = test::stemEndingWith(report, QStringLiteral("weird_noise.wav"));
        QVERIFY(!weird->role);
        QVERIFY(weird->hasIssue(QStringLiteral("name_unmatched")));

        // The two snare files are duplicates of one track; the OH L/R pair is one split-stereo track, not a duplicate.
        QStringList duplicates, missing;
        for (const audit::Issue &issue : report.issues) {
            if (issue.code == QLatin1String("name_duplicate"))
                duplicates += issue.paths;
            if (issue.code == QLatin1String("missing_stem"))
                missing.append(issue.message);
        }
        QCOMPARE(duplicates.size(), 2);
        QVERIFY(duplicates[0].contains(QLatin1String("snare"), Qt::CaseInsensitive) && duplicates[1].contains(QLatin1String("snare"), Qt::CaseInsensitive));
        QVERIFY(std::any_of(missing.cbegin(), missing.cend(), [](const QString &m) { return m.contains(QLatin1String("\"Kick Out\"")); }));
        QVERIFY(std::none_of(missing.cbegin(), missing.cend(), [](const QString &m) { return m.contains(QLatin1String("\"OH\"")); }));
        QVERIFY(report.hasErrors());  // missing stems and the duplicate are errors by default
    }

    void cancelStopsEarly()
    {
        CancelToken cancel;
        cancel.cancel();
        QList<Error> errors;
        const auto report = audit::runAudit(io::collectSources({m_dir.path()}, &errors), {}, {}, cancel);
        QVERIFY(report.cancelled);
        QVERIFY(report.stems.isEmpty());
    }

    void missingPathIsAnError()
    {
        QList<Error> errors;
        const auto sources = io::collectSources({m_dir.filePath(QStringLiteral("nope"))}, &errors);
        QVERIFY(sources.isEmpty());
        QCOMPARE(errors.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestAudit)
#include "tst_audit.moc"
