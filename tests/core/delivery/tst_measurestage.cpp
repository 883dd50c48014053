#include "delivery/measurestage.h"
#include "delivery/stemrender.h"
#include "delivery/timeline.h"
#include "metering/blockloudnesslog.h"
#include "testsignals.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>

using namespace stemship;
using namespace stemship::test;

// The measure stage on its own: pass 1 metering a stem on the delivered file's grid (streaming knows the timeline
// before pass 1) gives the levels that measuring it placed afterwards gives, and the delivered loudness at a gain
// comes from the block log without a read.
class TestMeasureStage : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    io::StemSource write(const QString &name, const Signal &s)
    {
        const QString path = m_dir.filePath(name);
        if (!writeAudio(path, s))  // WAV float
            return {};
        return io::StemSource{name, path, {}};
    }

private Q_SLOTS:
    void passOnePlacedEqualsMeasuredPlaced_data()
    {
        QTest::addColumn<std::int64_t>("offsetFrames");
        QTest::addColumn<std::int64_t>("lengthFrames");
        // Off the 100 ms grid (1.23 s in), with 2.5 s of silence after; flush at both ends; and a stem that starts
        // before the file (its pass 1 cannot be the placed one: no block log, measured placed later).
        QTest::newRow("inside") << std::int64_t(59040) << std::int64_t(59040 + 624000 + 120000);
        QTest::newRow("flush") << std::int64_t(0) << std::int64_t(624000);
        QTest::newRow("cut") << std::int64_t(-4800) << std::int64_t(624000);
    }

    void passOnePlacedEqualsMeasuredPlaced()
    {
        QFETCH(std::int64_t, offsetFrames);
        QFETCH(std::int64_t, lengthFrames);
        // 13 s at 48 kHz (no resampling, so the lengths are exact): a quiet programme, then a passage just under the gate.
        const Signal s = concat(programme(48000, 2, 7.0, 5u, -50.0), sineDb(48000, 2, 1000.0, -72.0, 6.0));
        const io::StemSource source = write(QStringLiteral("stem.wav"), s);
        const delivery::Placement placement{offsetFrames, lengthFrames};
        auto placedFirst = delivery::measureStem(source, 48000, m_dir.filePath(QStringLiteral("a.f32")), CancelToken(), nullptr, placement);
        auto plain = delivery::measureStem(source, 48000, m_dir.filePath(QStringLiteral("b.f32")), CancelToken(), nullptr);
        QVERIFY(placedFirst && plain);
        QCOMPARE(placedFirst->frames, plain->frames);
        QCOMPARE(placedFirst->levels.firstActiveFrame, plain->levels.firstActiveFrame);
        QCOMPARE(placedFirst->levels.lastActiveFrame, plain->levels.lastActiveFrame);
        QCOMPARE(placedFirst->levels.samplePeakDbfs, plain->levels.samplePeakDbfs);
        QVERIFY(!plain->levels.blockLog);
        if (offsetFrames < 0) {
            QVERIFY(!placedFirst->levels.blockLog);
            return;
        }
        QVERIFY(placedFirst->levels.blockLog);

        // The same stem measured placed after pass 1, as the two-pass job does.
        delivery::MeasuredStem afterwards = *plain;
        afterwards.timelineStartFrame = offsetFrames;
        delivery::Timeline timeline;
        timeline.startFrame = 0;
        timeline.lengthFrames = lengthFrames;
        timeline.sampleRateHz = 48000;
        QVERIFY(delivery::measurePlaced(afterwards, timeline, CancelToken()));
        const metering::MeterResult &a = placedFirst->levels, &b = afterwards.levels;
        QVERIFY2(std::abs(a.integratedLufs - b.integratedLufs) < 1e-6, qPrintable(QStringLiteral("%1 %2").arg(a.integratedLufs).arg(b.integratedLufs)));
        QVERIFY(std::abs(a.loudnessRangeLu - b.loudnessRangeLu) < 1e-6);
        QVERIFY(std::abs(a.maxMomentaryLufs - b.maxMomentaryLufs) < 1e-6);
        QVERIFY(std::abs(a.maxShortTermLufs - b.maxShortTermLufs) < 1e-6);
        QVERIFY(std::abs(a.rmsDbfs - b.rmsDbfs) < 1e-6);
        if (offsetFrames % 4800 != 0)  // off the grid, placing changes the figures: the test compares something
            QVERIFY(std::abs(a.maxMomentaryLufs - plain->levels.maxMomentaryLufs) > 1e-4 || std::abs(a.rmsDbfs - plain->levels.rmsDbfs) > 0.1);

        // The delivered loudness at +20 dB: the -72 LUFS passage now counts (BS.1770-4's -70 LUFS gate).
        for (delivery::MeasuredStem *m : {&*placedFirst, &afterwards}) {
            delivery::MeasuredStem delivered = *m;
            delivery::setDeliveredLoudness(delivered, 20.0);
            QCOMPARE(delivered.levels.integratedLufs, m->levels.blockLog->integratedLufsAt(20.0) - 20.0);
            QCOMPARE(delivered.levels.loudnessRangeLu, m->levels.blockLog->loudnessRangeLuAt(20.0));
        }
        QVERIFY(placedFirst->levels.blockLog->loudnessRangeLuAt(20.0) > placedFirst->levels.loudnessRangeLu + 5.0);
    }

    // Pass 1 refuses a broken render on its source samples (CLI-CONTRACT wave 2): NaN and infinities as non_finite,
    // finite samples beyond +100 dBFS (1e5) as corrupt_samples, wherever they sit in a block; 1e5 itself passes.
    void brokenSamplesAreRefused_data()
    {
        QTest::addColumn<float>("value");
        QTest::addColumn<int>("frame");
        QTest::addColumn<int>("code");
        const float inf = std::numeric_limits<float>::infinity();
        QTest::newRow("NaN") << std::numeric_limits<float>::quiet_NaN() << 5000 << int(ErrorCode::NonFinite);
        QTest::newRow("+Inf") << inf << 7 << int(ErrorCode::NonFinite);
        QTest::newRow("-Inf, last frame") << -inf << 9599 << int(ErrorCode::NonFinite);
        QTest::newRow("just over +100 dBFS") << std::nextafter(1e5f, inf) << 4096 << int(ErrorCode::CorruptSamples);
        QTest::newRow("-1e6") << -1e6f << 1 << int(ErrorCode::CorruptSamples);
        QTest::newRow("+100 dBFS exactly") << 1e5f << 3 << int(ErrorCode::None);
        QTest::newRow("-100 dBFS exactly") << -1e5f << 3 << int(ErrorCode::None);
    }

    void brokenSamplesAreRefused()
    {
        QFETCH(float, value);
        QFETCH(int, frame);
        QFETCH(int, code);
        Signal s = sineDb(48000, 2, 440.0, -6.0, 0.2);  // 9600 frames
        s.samples[std::size_t(frame) * 2 + 1] = value;
        const io::StemSource source = write(QStringLiteral("broken.wav"), s);
        auto m = delivery::measureStem(source, 48000, m_dir.filePath(QStringLiteral("broken.f32")), CancelToken(), nullptr);
        if (code == int(ErrorCode::None)) {
            QVERIFY2(m, qPrintable(m ? QString() : m.error().line()));
            return;
        }
        QVERIFY(!m);
        QCOMPARE(int(m.error().code), code);
        QVERIFY2(m.error().what.contains(QStringLiteral("(frame %1)").arg(frame)), qPrintable(m.error().what));
    }
};

QTEST_GUILESS_MAIN(TestMeasureStage)
#include "tst_measurestage.moc"
