#include "delivery/collectstage.h"
#include "delivery/gainstage.h"
#include "delivery/stemrender.h"
#include "delivery/timelinestage.h"
#include "io/audioreader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <vector>

using namespace stemship;

// The delivery's stages on their own: the timeline from stems added one by one, one gain plan for a stem alone
// and in its set, and the render stage placing a stem where the alignment stage put it, polarity flipped.
class TestStages : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void timelineFromStems()
    {
        delivery::DeliverySpec spec;
        spec.tempoBpm = 120.0;  // 4/4: a bar is 2 s = 96 000 frames at 48 kHz
        spec.barOneSeconds = 2.0;
        delivery::TimelineInput in = delivery::timelineInput(spec);
        // A pickup sounding 0.5 s before bar one, a stem ending at 7.1 s.
        delivery::addStem(in, 48000, 48000, 72000);
        delivery::addStem(in, 96000, 244800, std::nullopt);
        const delivery::Timeline t = delivery::planTimeline(in);
        QCOMPARE(t.barOneFrame, std::int64_t(96000));
        QCOMPARE(t.prerollBars, 1);
        QCOMPARE(t.startFrame, std::int64_t(0));
        // From 0 to 340 800 frames: 3.55 bars, rounded up to 4.
        QCOMPARE(t.bars, 4);
        QCOMPARE(t.lengthFrames, std::int64_t(384000));
        // The order stems are added in does not matter.
        delivery::TimelineInput reversed = delivery::timelineInput(spec);
        delivery::addStem(reversed, 96000, 244800, std::nullopt);
        delivery::addStem(reversed, 48000, 48000, 72000);
        QVERIFY(delivery::sameTimeline(t, delivery::planTimeline(reversed)));
        delivery::TimelineInput silent = delivery::timelineInput(spec);
        delivery::addStem(silent, 48000, 48000, std::nullopt);
        QCOMPARE(delivery::planTimeline(silent).prerollBars, 0);
    }

    void aStemAloneGetsItsGainInTheSet()
    {
        // Streaming plans each stem alone; in per-stem modes that must be the gain the whole set's plan gives it.
        delivery::DeliverySpec spec;
        spec.gainMode = gain::GainMode::Rms;
        std::vector<delivery::DeliveryItem> items(3);
        std::vector<delivery::MeasuredStem> measured(3);
        const double rms[] = {-30.0, -30.0, -24.0}, truePeak[] = {-20.5, -4.5, -14.0};
        for (int i = 0; i < 3; ++i) {
            measured[std::size_t(i)].levels.samplePeakDbfs = truePeak[i] - 0.5;
            measured[std::size_t(i)].levels.truePeakDbtp = truePeak[i];
            measured[std::size_t(i)].levels.rmsDbfs = rms[i];
            measured[std::size_t(i)].levels.integratedLufs = rms[i] - 1.0;
        }
        const delivery::DeliveryGains set = delivery::planDeliveryGains(spec, {&items[0], &items[1], &items[2]},
                                                                      {&measured[0], &measured[1], &measured[2]});
        for (std::size_t i = 0; i < 3; ++i) {
            const delivery::DeliveryGains alone = delivery::planDeliveryGains(spec, {&items[i]}, {&measured[i]});
            QCOMPARE(alone.plan.stems[0].gainDb, set.plan.stems[i].gainDb);
            QCOMPARE(alone.plan.stems[0].limitedByCeiling, set.plan.stems[i].limitedByCeiling);
        }
        // -20 dBFS RMS by default; the peaky stem is held by the -1 dBTP ceiling instead.
        QVERIFY(std::abs(set.plan.stems[0].gainDb - 10.0) < 1e-9);
        QVERIFY(!set.plan.stems[0].limitedByCeiling);
        QVERIFY(set.plan.stems[1].limitedByCeiling);
        QVERIFY(std::abs(set.plan.stems[1].gainDb - 3.5) < 1e-9);
        QVERIFY(std::abs(set.plan.stems[2].gainDb - 4.0) < 1e-9);
    }

    void renderShiftsAndFlipsPolarity()
    {
        QTemporaryDir dir;
        // A float cache of 100 mono frames: a ramp 1..100 (x 0.001).
        const QString cache = dir.filePath(QStringLiteral("0.f32"));
        std::vector<float> ramp(100);
        for (std::size_t i = 0; i < ramp.size(); ++i)
            ramp[i] = float(i + 1) * 0.001f;
        QFile f(cache);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(reinterpret_cast<const char *>(ramp.data()), qint64(ramp.size() * sizeof(float))), qint64(400));
        f.close();
        delivery::RenderJob job;
        job.cachePath = cache;
        job.channels = 1;
        job.stemFrames = 100;
        job.offsetFrames = 13;  // the alignment stage moved it 7 frames earlier than its BWF start (20)
        job.lengthFrames = 200;
        job.dither = false;
        job.invertPolarity = true;
        job.output.path = dir.filePath(QStringLiteral("out.wav"));
        job.output.channels = 1;
        job.output.encoding = io::SampleEncoding::Float32;
        job.output.syncToDisk = false;
        QVERIFY(delivery::renderStem(job, CancelToken(), nullptr).ok());
        auto reader = io::AudioReader::open(job.output.path);
        QVERIFY(reader.ok());
        std::vector<float> out(200);
        QCOMPARE(reader->read(out.data(), 200), std::int64_t(200));
        // The ramp starts at frame 13, inverted; silence around it.
        for (std::size_t i = 0; i < out.size(); ++i) {
            const float expected = i >= 13 && i < 113 ? -ramp[i - 13] : 0.0f;
            QCOMPARE(out[i], expected);
        }
    }
};

QTEST_GUILESS_MAIN(TestStages)
#include "tst_stages.moc"
