// The Listen page plays what will be delivered: stems placed by their BWF start with the delivery's own frame
// rule (before, every stem started at the same frame), also when one is resampled and after a seek; and NaN or
// Inf samples reach the output device as silence.

#include "guitestsession.h"

#include "audio/mixdevice.h"
#include "audio/playbackengine.h"
#include "audio/stemstreamer.h"
#include "audit/stemauditor.h"

#include <QElapsedTimer>
#include <QTest>

#include <cmath>
#include <limits>
#include <thread>

using namespace stemship;
using namespace stemship::gui;

namespace {

// Everything the streamer puts into each lane from graph.startFrame, until it finishes (left channel only).
std::vector<std::vector<float>> drainLanes(MixGraph &graph, const QList<io::StemSource> &sources)
{
    StemStreamer streamer(graph, sources);
    streamer.start();
    std::vector<std::vector<float>> lanes(graph.lanes.size());
    std::vector<float> block(1024 * 8);
    QElapsedTimer deadline;
    deadline.start();
    for (;;) {
        const bool finished = graph.producerFinished.load(std::memory_order_acquire);
        std::size_t available = SIZE_MAX;  // frames, in every lane
        for (const auto &lane : graph.lanes)
            available = std::min(available, lane->ring.readAvailable() / std::size_t(lane->channels));
        const std::size_t n = std::min<std::size_t>(available, 1024);
        for (std::size_t i = 0; i < graph.lanes.size(); ++i) {
            const auto channels = std::size_t(graph.lanes[i]->channels);
            graph.lanes[i]->ring.read(block.data(), n * channels);
            for (std::size_t f = 0; f < n; ++f)
                lanes[i].push_back(block[f * channels]);  // the first channel
        }
        if ((finished && n == 0) || deadline.elapsed() > 20000)
            break;
        if (n == 0)
            std::this_thread::yield();
    }
    streamer.stop();
    return lanes;
}

// The frame of the first sample above -60 dBFS, or -1.
qsizetype onset(const std::vector<float> &samples)
{
    for (std::size_t i = 0; i < samples.size(); ++i)
        if (std::fabs(samples[i]) > 0.001f)
            return qsizetype(i);
    return -1;
}

}  // namespace

class TestListenPlacement : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString write(const QString &name, const test::Signal &signal, std::optional<std::uint64_t> timeReference)
    {
        const QString path = m_dir.filePath(name);
        return test::writeAudio(path, signal, {SF_FORMAT_WAV | SF_FORMAT_FLOAT, timeReference}) ? path : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        test::setUpGuiTest();
        QVERIFY(m_dir.isValid());
    }

    void placedByBwfStart_data()
    {
        QTest::addColumn<double>("seekSeconds");
        QTest::newRow("from the start") << 0.0;
        QTest::newRow("after a seek into the late stems' lead-in") << 0.25;
    }

    // Three stems: one at the session's 10 s, one 0.5 s later, one at 44.1 kHz 1 s later (resampled to 48 kHz for
    // listening, as the delivery would). Each starts with an onset at its own frame 0.
    void placedByBwfStart()
    {
        QFETCH(double, seekSeconds);
        const QStringList paths{write(QStringLiteral("a.wav"), test::sineDb(48000, 1, 440.0, -6.0, 1.0), 480000),
                                write(QStringLiteral("b.wav"), test::sineDb(48000, 1, 440.0, -6.0, 1.0), 480000 + 24000),
                                write(QStringLiteral("c.wav"), test::sineDb(44100, 1, 440.0, -6.0, 1.0), 441000 + 44100)};
        QList<io::StemSource> withPaths;
        for (const QString &path : paths) {
            QVERIFY(!path.isEmpty());
            withPaths.append(io::StemSource{path, path, {}});
        }
        PlaybackEngine engine;
        engine.setForceSilentClock(true);
        QVERIFY(engine.setStems(withPaths).isEmpty());
        QCOMPARE(engine.sampleRateHz(), 48000);
        QCOMPARE(engine.stems().at(0).startFrame, std::int64_t(0));
        QCOMPARE(engine.stems().at(1).startFrame, std::int64_t(24000));
        QCOMPARE(engine.stems().at(2).startFrame, std::int64_t(48000));  // delivery::timelineFrame(485100, 44100, 48000) - 480000
        QCOMPARE(engine.durationSeconds(), 2.0);

        MixGraph graph;
        graph.sampleRateHz = 48000;
        graph.startFrame = std::int64_t(seekSeconds * 48000);
        for (const PlaybackStem &stem : engine.stems()) {
            graph.lanes.push_back(std::make_unique<StemLane>(8192, stem.channels));
            graph.lanes.back()->offsetFrames = stem.startFrame;
        }
        const auto lanes = drainLanes(graph, withPaths);
        // A sine starts at a zero crossing: its first audible frame is its second.
        QVERIFY(std::abs(onset(lanes[0]) - 0) <= 1);
        QVERIFY2(std::abs(onset(lanes[1]) - qsizetype(24000 - graph.startFrame)) <= 1, qPrintable(QString::number(onset(lanes[1]))));
        // The resampler's filter rings a few samples ahead of the onset (as in the delivery).
        QVERIFY2(std::abs(onset(lanes[2]) - qsizetype(48000 - graph.startFrame)) <= 64, qPrintable(QString::number(onset(lanes[2]))));
        // Every lane runs to the end of the latest stem.
        QVERIFY2(std::abs(qsizetype(lanes[0].size()) - qsizetype(96000 - graph.startFrame)) <= 64, qPrintable(QString::number(lanes[0].size())));
    }

    // Before: NaN went to the device as is (full-scale noise or a muted device on some backends).
    void nonFiniteSamplesPlayAsSilence()
    {
        MixGraph graph;
        graph.lanes.push_back(std::make_unique<StemLane>(4096, kMixChannels));
        std::vector<float> samples(2048 * kMixChannels, 0.25f);
        samples[10] = std::numeric_limits<float>::quiet_NaN();
        samples[11] = std::numeric_limits<float>::infinity();
        samples[500] = -std::numeric_limits<float>::infinity();
        graph.lanes[0]->ring.write(samples.data(), samples.size());
        MixDevice device;
        device.attach(&graph, nullptr, MixDevice::SampleFormat::Float32);
        std::vector<float> out(samples.size());
        QCOMPARE(device.read(reinterpret_cast<char *>(out.data()), qint64(out.size() * sizeof(float))), qint64(out.size() * sizeof(float)));
        device.detach();
        for (std::size_t i = 0; i < out.size(); ++i) {
            QVERIFY2(std::isfinite(out[i]), qPrintable(QString::number(i)));
            if (i == 10 || i == 11 || i == 500)
                QCOMPARE(out[i], 0.0f);
        }
        QCOMPARE(out[12], 0.25f);
    }
};

QTEST_MAIN(TestListenPlacement)
#include "tst_listenplacement.moc"
