// The audio path's lock-free hand-offs, with real threads so ThreadSanitizer (the tsan preset) sees them: the SPSC
// ring, the stem-reading worker feeding the mixing device, the meters and channel peaks read from a "GUI" thread.
// The engine's own audio thread (a QThread with an event loop) is tested in tst_audiothread: its hand-offs go
// through Qt's event queue, whose synchronisation sits in uninstrumented Qt and glib, so TSan cannot judge it.

#include "playbackstems.h"

#include "audio/mixdevice.h"
#include "audio/spscring.h"
#include "audio/stemstreamer.h"
#include "audit/stemauditor.h"
#include "metering/loudnessmeter.h"

#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <cmath>
#include <random>
#include <thread>

using namespace stemship;
using namespace stemship::gui;

class TestAudioHandoff : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_stems.write());
    }

    void ringKeepsOrderAcrossThreads()
    {
        SpscRing<std::uint32_t> ring(1000);
        QCOMPARE(ring.capacity(), std::size_t(1024));
        constexpr std::uint32_t kCount = 2'000'000;
        std::thread producer([&ring] {
            std::minstd_rand random(1);
            std::uint32_t next = 0;
            std::vector<std::uint32_t> chunk(300);
            while (next < kCount) {
                const std::size_t n = std::min<std::size_t>(1 + random() % chunk.size(), kCount - next);
                for (std::size_t i = 0; i < n; ++i)
                    chunk[i] = next + std::uint32_t(i);
                const std::size_t written = ring.write(chunk.data(), n);
                next += std::uint32_t(written);
                if (written == 0)
                    std::this_thread::yield();
            }
        });
        std::vector<std::uint32_t> out(257);
        std::uint32_t expected = 0;
        bool inOrder = true;
        while (expected < kCount) {
            const std::size_t n = ring.read(out.data(), out.size());
            for (std::size_t i = 0; i < n; ++i)
                inOrder = inOrder && out[i] == expected++;
            if (n == 0)
                std::this_thread::yield();
        }
        producer.join();
        QVERIFY(inOrder);
        QCOMPARE(ring.readAvailable(), std::size_t(0));
    }

    // The worker reads the file into the ring on its thread; the device (the audio callback) mixes on this
    // one; a third thread polls the meter the way the GUI's QTimer does.
    void workerDeviceAndMeterAcrossThreads()
    {
        MixGraph graph;
        graph.sampleRateHz = 48000;
        graph.lanes.push_back(std::make_unique<StemLane>(8192, 1));
        metering::MeterConfig config;
        config.channels = kMixChannels;
        metering::LoudnessMeter meter(config);
        MixDevice device;
        device.attach(&graph, &meter, MixDevice::SampleFormat::Float32);
        StemStreamer streamer(graph, {io::StemSource{m_stems.sinePath, m_stems.sinePath, QString()}});
        streamer.start();

        std::atomic<bool> polling{true};
        std::atomic<int> polls{0};
        std::thread gui([&] {
            while (polling.load()) {
                const metering::LiveReadout live = meter.live();
                Q_UNUSED(live);
                takePeak(graph.channelPeak[0], graph.channelPeakTaken);
                Q_UNUSED(graph.lanes[0]->channelPeaks[0].load(std::memory_order_relaxed));
                graph.lanes[0]->channelPeaksTaken.store(true, std::memory_order_relaxed);
                polls.fetch_add(1);
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
        });

        // No QVERIFY while the threads run: a failing check would return with them still joinable.
        std::vector<float> block(512 * kMixChannels);
        std::vector<float> mixed;
        bool fullReads = true;
        QElapsedTimer deadline;
        deadline.start();
        while (!graph.drained.load() && deadline.elapsed() < 20000) {
            // A real callback runs at the device's pace; this one waits for the worker instead of underrunning.
            if (graph.lanes[0]->ring.readAvailable() < block.size() && !graph.producerFinished.load()) {
                std::this_thread::yield();
                continue;
            }
            const qint64 got = device.read(reinterpret_cast<char *>(block.data()), qint64(block.size() * sizeof(float)));
            fullReads = fullReads && got == qint64(block.size() * sizeof(float));
            mixed.insert(mixed.end(), block.begin(), block.end());
        }
        polling.store(false);
        gui.join();
        streamer.stop();
        device.detach();
        QVERIFY(fullReads);
        QVERIFY2(graph.drained.load(), qPrintable(QStringLiteral("position %1, finished %2")
                                                      .arg(graph.positionFrames.load())
                                                      .arg(graph.producerFinished.load())));
        QVERIFY(polls.load() > 0);
        QCOMPARE(graph.underrunFrames.load(), std::uint64_t(0));

        // Every frame of the file came through, mono on both sides, in order.
        QCOMPARE(graph.positionFrames.load(), std::int64_t(3 * 48000));
        const auto source = test::readAudio(m_stems.sinePath);
        QVERIFY(source);
        for (std::int64_t f = 0; f < source->frames(); f += 997) {
            QCOMPARE(mixed[std::size_t(2 * f)], source->samples[std::size_t(f)]);
            QCOMPARE(mixed[std::size_t(2 * f + 1)], source->samples[std::size_t(f)]);
        }
        // 1 kHz at -20 dBFS on both channels is -20 LUFS (BS.1770: K-weighting is ~0 dB at 1 kHz, +3 dB for two).
        const metering::LiveReadout live = meter.live();
        QVERIFY2(std::abs(live.integratedLufs - (-20.0f)) < 0.3f, qPrintable(QString::number(live.integratedLufs)));
        QVERIFY(std::abs(live.samplePeakHoldDbfs - (-20.0f)) < 0.1f);
    }

    void muteRampsToSilence()
    {
        MixGraph graph;
        graph.lanes.push_back(std::make_unique<StemLane>(8192, 2));
        MixDevice device;
        device.attach(&graph, nullptr, MixDevice::SampleFormat::Float32);
        StemStreamer streamer(graph, {io::StemSource{m_stems.programmePath, m_stems.programmePath, QString()}});
        streamer.start();
        QTRY_VERIFY(graph.primed.load());
        std::vector<float> block(1024 * kMixChannels);
        device.read(reinterpret_cast<char *>(block.data()), qint64(block.size() * sizeof(float)));
        QVERIFY(*std::max_element(block.begin(), block.end()) > 0.01f);
        graph.lanes[0]->gain.store(0.0f);
        device.read(reinterpret_cast<char *>(block.data()), qint64(block.size() * sizeof(float)));  // the ramp
        // The ramp is monotonic: no click from an instant jump.
        QVERIFY(std::abs(block[block.size() - 2]) < 1e-3f);
        device.read(reinterpret_cast<char *>(block.data()), qint64(block.size() * sizeof(float)));
        for (float v : block)
            QCOMPARE(v, 0.0f);
        streamer.stop();
    }

private:
    test::PlaybackStems m_stems;
};

QTEST_GUILESS_MAIN(TestAudioHandoff)
#include "tst_audiohandoff.moc"
