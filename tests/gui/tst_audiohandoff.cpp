// The audio path's hand-offs, with real threads so ThreadSanitizer (the tsan preset) sees them: the SPSC ring,
// the stem-reading worker feeding the mixing device, the meter read lock-free from a "GUI" thread, and the
// engine on its silent clock.

#include "guitestsession.h"

#include "audio/mixdevice.h"
#include "audio/playbackengine.h"
#include "audio/spscring.h"
#include "audio/stemstreamer.h"
#include "audit/stemauditor.h"
#include "metering/loudnessmeter.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

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
        test::setUpGuiTest();
        QVERIFY(m_dir.isValid());
        m_sinePath = m_dir.filePath(QStringLiteral("sine.wav"));
        QVERIFY(test::writeAudio(m_sinePath, test::sineDb(48000, 1, 1000.0, -20.0, 3.0)));
        m_programmePath = m_dir.filePath(QStringLiteral("programme.wav"));
        QVERIFY(test::writeAudio(m_programmePath, test::programme(48000, 2, 3.0, 7, -6.0)));
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
        StemStreamer streamer(graph, {io::StemSource{m_sinePath, m_sinePath, QString()}});
        streamer.start();

        std::atomic<bool> polling{true};
        std::atomic<int> polls{0};
        std::thread gui([&] {
            while (polling.load()) {
                const metering::LiveReadout live = meter.live();
                Q_UNUSED(live);
                takePeak(graph.channelPeak[0], graph.channelPeakTaken);
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
        const auto source = test::readAudio(m_sinePath);
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
        StemStreamer streamer(graph, {io::StemSource{m_programmePath, m_programmePath, QString()}});
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

    void engineRunsOnTheSilentClock()
    {
        PlaybackEngine engine;
        engine.setForceSilentClock(true);
        QVERIFY(!engine.hasOutputDevice());
        const QList<Error> errors = engine.setStems({io::StemSource{m_programmePath, m_programmePath, QString()},
                                                    io::StemSource{m_sinePath, m_sinePath, QString()}});
        QVERIFY(errors.isEmpty());
        QCOMPARE(engine.durationSeconds(), 3.0);
        QSignalSpy finished(&engine, &PlaybackEngine::finished);
        engine.play();
        QVERIFY(engine.isPlaying());
        QTest::qWait(800);
        QCOMPARE(engine.output(), PlaybackEngine::Output::SilentClock);
        // Real time: about 0.8 s played (the clock starts once the worker has read ahead).
        QVERIFY2(engine.positionSeconds() > 0.4 && engine.positionSeconds() < 1.1, qPrintable(QString::number(engine.positionSeconds())));
        QVERIFY(std::isfinite(engine.live().momentaryLufs));
        const auto peaks = engine.takeChannelPeaks();
        QVERIFY(peaks[0] > 0.01f && peaks[1] > 0.01f);
        QVERIFY(engine.takeStemPeak(0) > 0.01f);

        // Solo the sine: the programme's lane goes quiet; its peak, taken fresh, falls to zero.
        engine.soloOnly(1);
        QTest::qWait(150);
        engine.takeStemPeak(0);
        QTest::qWait(100);
        QCOMPARE(engine.takeStemPeak(0), 0.0f);
        QVERIFY(engine.takeStemPeak(1) > 0.05f);

        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
        QVERIFY(!engine.isPlaying());
        QCOMPARE(engine.underrunFrames(), std::uint64_t(0));
    }

    // The device is pulled on the engine's audio thread, so a GUI thread that does not return to its event loop
    // (a long paint, a big model reset) does not stop the audio: the clock keeps pulling and the position moves.
    void aBusyGuiThreadDoesNotStopTheAudio()
    {
        PlaybackEngine engine;
        engine.setForceSilentClock(true);
        QVERIFY(engine.setStems({io::StemSource{m_programmePath, m_programmePath, QString()}}).isEmpty());
        engine.play();
        QTRY_VERIFY_WITH_TIMEOUT(engine.positionSeconds() > 0.05, 3000);
        QVERIFY(engine.lastPullThread() != nullptr);
        QVERIFY(engine.lastPullThread() != QThread::currentThreadId());
        QVERIFY(engine.audioThread()->isRunning());

        const double before = engine.positionSeconds();
        engine.takeChannelPeaks();
        std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the GUI thread is busy, no events
        const double during = engine.positionSeconds() - before;
        QVERIFY2(during > 0.2 && during < 0.45, qPrintable(QString::number(during)));
        QVERIFY(engine.takeChannelPeaks()[0] > 0.01f);  // and the meters measured it
        engine.stop();
    }

    // stop() and seek() post to the audio thread and return: they never wait for it, even while it is busy.
    void stopAndSeekDoNotWaitForTheAudioThread()
    {
        PlaybackEngine engine;
        engine.setForceSilentClock(true);
        QVERIFY(engine.setStems({io::StemSource{m_programmePath, m_programmePath, QString()},
                                 io::StemSource{m_sinePath, m_sinePath, QString()}}).isEmpty());
        engine.play();
        QTRY_VERIFY_WITH_TIMEOUT(engine.positionSeconds() > 0.05, 3000);

        // Something else keeps the audio thread busy for 400 ms (an object of its own, deleted there).
        std::unique_ptr<QObject, void (*)(QObject *)> onAudioThread(new QObject, [](QObject *o) { o->deleteLater(); });
        onAudioThread->moveToThread(engine.audioThread());
        auto busyFlag = std::make_shared<std::atomic<bool>>(false);
        std::atomic<bool> &busy = *busyFlag;
        QMetaObject::invokeMethod(onAudioThread.get(), [busyFlag] {
            busyFlag->store(true);
            std::this_thread::sleep_for(std::chrono::milliseconds(400));
            busyFlag->store(false);
        });
        QTRY_VERIFY(busy.load());
        QElapsedTimer timer;
        timer.start();
        engine.seek(1.5);
        const qint64 seekNs = timer.nsecsElapsed();
        QCOMPARE(engine.positionSeconds(), 1.5);
        timer.restart();
        engine.stop();
        const qint64 stopNs = timer.nsecsElapsed();
        QVERIFY(busy.load());  // both returned while the audio thread was still busy
        // One display frame (60 Hz) is the most either may hold the GUI thread.
        qInfo("seek %lld us, stop %lld us while the audio thread was busy", seekNs / 1000, stopNs / 1000);
        QVERIFY2(seekNs < 16'000'000 && stopNs < 16'000'000, qPrintable(QStringLiteral("seek %1 us, stop %2 us").arg(seekNs / 1000).arg(stopNs / 1000)));
        QVERIFY(std::abs(engine.positionSeconds() - 1.5) < 0.05);

        // Once the audio thread is free again, playing from there moves the position on.
        QTRY_VERIFY(!busy.load());
        engine.play();
        QTRY_VERIFY_WITH_TIMEOUT(engine.positionSeconds() > 1.7, 3000);
        engine.stop();
    }

    void seekRestartsAtThePosition()
    {
        PlaybackEngine engine;
        engine.setForceSilentClock(true);
        engine.setStems({io::StemSource{m_sinePath, m_sinePath, QString()}});
        engine.seek(2.0);
        QCOMPARE(engine.positionSeconds(), 2.0);
        engine.play();
        QTest::qWait(300);
        QVERIFY(engine.positionSeconds() >= 2.0);
        engine.stop();
        QVERIFY(engine.positionSeconds() >= 2.0);
    }

    // A stem at another rate is resampled in the worker, so the set plays in step at the common rate.
    void otherRatesAreResampledForListening()
    {
        const QString other = m_dir.filePath(QStringLiteral("at44k.wav"));
        QVERIFY(test::writeAudio(other, test::sineDb(44100, 1, 440.0, -12.0, 3.0)));
        PlaybackEngine engine;
        engine.setForceSilentClock(true);
        const QList<Error> errors = engine.setStems({io::StemSource{m_sinePath, m_sinePath, QString()},
                                                    io::StemSource{other, other, QString()}});
        QVERIFY(errors.isEmpty());
        QCOMPARE(engine.sampleRateHz(), 48000);
        QVERIFY(engine.stems().at(1).playable);
        QVERIFY(engine.stems().at(1).problem.contains(QLatin1String("44100")));
        QCOMPARE(engine.stems().at(1).frames, std::int64_t(3 * 48000));
        engine.soloOnly(1);
        engine.play();
        QTest::qWait(400);
        engine.takeStemPeak(1);
        QTest::qWait(200);
        const float peak = engine.takeStemPeak(1);
        QVERIFY2(std::abs(metering::linearToDb(peak) - (-12.0)) < 0.5, qPrintable(QString::number(peak)));
        engine.stop();
    }

    void unreadableStemsAreNamed()
    {
        const QString junk = m_dir.filePath(QStringLiteral("junk.wav"));
        QFile file(junk);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("this is not audio");
        file.close();
        PlaybackEngine engine;
        const QList<Error> errors = engine.setStems({io::StemSource{junk, junk, QString()}});
        QCOMPARE(errors.size(), 1);
        QVERIFY(errors.constFirst().line().contains(QLatin1String("junk.wav")));
        QVERIFY(!engine.stems().at(0).playable);
    }

private:
    QTemporaryDir m_dir;
    QString m_sinePath;
    QString m_programmePath;
};

QTEST_MAIN(TestAudioHandoff)
#include "tst_audiohandoff.moc"
