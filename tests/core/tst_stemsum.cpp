// audit --sum: the stems placed on their common timeline (BWF start), mono to both channels, resampled to the
// most common rate, and measured as one programme, checked against libebur128 on the same sum built here.

#include "audit/stemauditor.h"
#include "audit/stemsum.h"
#include "ebur128reference.h"
#include "gain/resampler.h"
#include "profiles/profilestore.h"
#include "testsignals.h"

#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

#include <cmath>

using namespace stemship;
using stemship::test::Signal;

namespace {

// Adds stem into sum (stereo, 48 kHz) starting at frame; mono goes to both channels.
void addAt(Signal *sum, const Signal &stem, std::int64_t frame)
{
    for (std::int64_t i = 0; i < stem.frames() && frame + i < sum->frames(); ++i)
        for (int c = 0; c < sum->channels; ++c)
            sum->at(frame + i, c) += stem.samples[std::size_t(i * stem.channels + (stem.channels == 1 ? 0 : c))];
}

Signal resampledTo48k(const Signal &s)
{
    gain::Resampler r(s.sampleRateHz, 48000, s.channels, std::size_t(s.frames()));
    Signal out{48000, s.channels, {}};
    std::vector<float> block(r.maxOutputFrames() * std::size_t(s.channels));
    std::size_t n = r.process(s.samples.data(), std::size_t(s.frames()), block.data());
    out.samples.insert(out.samples.end(), block.begin(), block.begin() + std::ptrdiff_t(n * std::size_t(s.channels)));
    while ((n = r.flush(block.data())) > 0)
        out.samples.insert(out.samples.end(), block.begin(), block.begin() + std::ptrdiff_t(n * std::size_t(s.channels)));
    return out;
}

}  // namespace

class TestStemSum : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString write(const QString &name, const Signal &s, std::optional<std::uint64_t> timeReference = {})
    {
        const QString path = m_dir.filePath(name);
        return test::writeAudio(path, s, {SF_FORMAT_WAV | SF_FORMAT_FLOAT, timeReference}) ? path : QString();
    }

    static QList<io::StemSource> sources(const QStringList &files)
    {
        QList<io::StemSource> out;
        for (const QString &f : files)
            out.append({f, f, {}});
        return out;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void sumMatchesLibebur128_data()
    {
        QTest::addColumn<bool>("withResampledStem");
        QTest::newRow("48 kHz stems") << false;
        QTest::newRow("with a 44.1 kHz stem") << true;
    }

    // Drums (stereo, at 0), a mono vocal placed at 1.5 s by its BWF time reference, a 44.1 kHz stereo keys stem at
    // 2.0 s: the sum is 8 s long and measures what libebur128 measures on the same sum within 0.1 LU.
    void sumMatchesLibebur128()
    {
        QFETCH(bool, withResampledStem);
        const Signal drums = test::programme(48000, 2, 8.0, 11, -8.0);
        const Signal vocal = test::programme(48000, 1, 6.0, 12, -6.0);
        const Signal keys = test::programme(44100, 2, 5.0, 13, -9.0);
        QStringList files{write(QStringLiteral("drums.wav"), drums), write(QStringLiteral("vocal.wav"), vocal, 72000)};
        Signal expected = test::silence(48000, 2, 8.0);
        addAt(&expected, drums, 0);
        addAt(&expected, vocal, 72000);
        if (withResampledStem) {
            files.append(write(QStringLiteral("keys 44k.wav"), keys, 88200));
            addAt(&expected, resampledTo48k(keys), 96000);
        }
        audit::AuditOptions options;
        options.sum = true;
        options.jobs = 2;
        const audit::AuditReport report = audit::runAudit(sources(files), options, {}, CancelToken());
        QCOMPARE(report.stems.size(), files.size() + 1);
        const audit::StemReport &sum = report.stems.last();
        QCOMPARE(sum.path, QStringLiteral("(sum of stems)"));
        QVERIFY(sum.isSum && sum.readable);
        QCOMPARE(sum.info.sampleRateHz, 48000);
        QCOMPARE(sum.info.channels, 2);
        QCOMPARE(sum.info.frames, expected.frames());
        QCOMPARE(sum.startSeconds, 0.0);
        QVERIFY(!sum.loudness.momentaryLufs.empty());
        for (int i = 0; i < files.size(); ++i)
            QVERIFY(!report.stems.at(i).isSum);

        const test::ReferenceLoudness ref = test::referenceLoudness(expected);
        const metering::MeterResult &m = sum.levels;
        const QByteArray what = QStringLiteral("sum I %1 M %2 S %3 TP %4; libebur128 I %5 M %6 S %7 TP %8")
                                    .arg(m.integratedLufs, 0, 'f', 3).arg(m.maxMomentaryLufs, 0, 'f', 3)
                                    .arg(m.maxShortTermLufs, 0, 'f', 3).arg(m.truePeakDbtp, 0, 'f', 3)
                                    .arg(ref.integratedLufs, 0, 'f', 3).arg(ref.maxMomentaryLufs, 0, 'f', 3)
                                    .arg(ref.maxShortTermLufs, 0, 'f', 3).arg(ref.truePeakDbtp, 0, 'f', 3).toUtf8();
        qInfo("%s", what.constData());
        QVERIFY2(std::abs(m.integratedLufs - ref.integratedLufs) <= 0.1, what.constData());
        QVERIFY2(std::abs(m.maxMomentaryLufs - ref.maxMomentaryLufs) <= 0.1, what.constData());
        QVERIFY2(std::abs(m.maxShortTermLufs - ref.maxShortTermLufs) <= 0.1, what.constData());
        QVERIFY2(std::abs(m.truePeakDbtp - ref.truePeakDbtp) <= 0.2, what.constData());
        // The sum is louder than any stem alone: it really adds them.
        for (int i = 0; i < files.size(); ++i)
            QVERIFY(m.integratedLufs > report.stems.at(i).levels.integratedLufs);
    }

    // A stem's NaN samples are its own finding (non_finite); in the sum they are silence, never poison.
    void nonFiniteStemDoesNotPoisonTheSum()
    {
        Signal broken = test::sineDb(48000, 2, 440.0, -20.0, 4.0);
        for (std::int64_t i = 1000; i < 1100; ++i)
            broken.at(i, 0) = NAN;
        const Signal clean = test::sineDb(48000, 2, 997.0, -20.0, 4.0);
        const QStringList files{write(QStringLiteral("broken.wav"), broken), write(QStringLiteral("clean.wav"), clean)};
        audit::AuditOptions options;
        options.sum = true;
        const audit::AuditReport report = audit::runAudit(sources(files), options, {}, CancelToken());
        const audit::StemReport &sum = report.stems.last();
        QVERIFY(sum.isSum);
        QVERIFY(std::isfinite(sum.levels.integratedLufs));
        QCOMPARE(sum.levels.nonFiniteSamples, std::uint64_t(0));
        // Two tones of different frequency add in power; the broken stem counts as the meter counts it (NaN = 0).
        double power = 0.0;
        for (int i = 0; i < 2; ++i)
            power += std::pow(10.0, report.stems.at(i).levels.integratedLufs / 10.0);
        QVERIFY2(std::abs(sum.levels.integratedLufs - 10.0 * std::log10(power)) < 0.1, qPrintable(QString::number(sum.levels.integratedLufs)));
    }

    // With --sum, the loudness rules judge the sum only; true peak still judges every file.
    void profileJudgesTheSumForLoudness()
    {
        const Signal a = test::sineDb(48000, 2, 440.0, -26.0, 6.0);
        const Signal b = test::sineDb(48000, 2, 1000.0, -26.0, 6.0);
        const QStringList files{write(QStringLiteral("a.wav"), a), write(QStringLiteral("b.wav"), b)};
        audit::AuditOptions options;
        options.sum = true;
        options.profile = *profiles::loadProfile(QStringLiteral("ebu-r128"));
        const audit::AuditReport report = audit::runAudit(sources(files), options, {}, CancelToken());
        QCOMPARE(report.profileName, QStringLiteral("ebu-r128"));
        auto rules = [](const audit::StemReport &s) {
            QStringList names;
            for (const auto &r : s.profile->rules)
                names.append(r.rule);
            return names;
        };
        for (int i = 0; i < 2; ++i) {
            QVERIFY(report.stems.at(i).profile);
            QCOMPARE(rules(report.stems.at(i)), QStringList{QStringLiteral("true_peak")});
        }
        const audit::StemReport &sum = report.stems.last();
        QVERIFY(sum.profile);
        QCOMPARE(rules(sum), (QStringList{QStringLiteral("integrated"), QStringLiteral("true_peak")}));
        // Each stem alone is about -26 LUFS, outside R128's band, but they are not judged alone: their sum, about
        // -23 LUFS, is, and passes.
        for (int i = 0; i < 2; ++i)
            QVERIFY(report.stems.at(i).levels.integratedLufs < -25.0);
        QVERIFY2(sum.profile->passed, qPrintable(QString::number(sum.levels.integratedLufs)));
        QCOMPARE(report.hasErrors(), !sum.profile->passed);
    }
};

QTEST_GUILESS_MAIN(TestStemSum)
#include "tst_stemsum.moc"
