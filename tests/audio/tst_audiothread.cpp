// PlaybackEngine with its dedicated audio thread: the device is pulled off the GUI thread, a blocked GUI thread does
// not stop the audio, stop and seek never wait for the audio thread, and the engine's playback on the silent clock
// (solo, seek, resampling, unreadable stems). Not under TSan: see tst_audiohandoff.

#include "deliverysignals.h"
#include "playbackstems.h"

#include "audio/playbackengine.h"
#include "metering/loudnessmeter.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <chrono>
#include <cmath>
#include <memory>
#include <thread>

using namespace stemship;
using namespace stemship::gui;

namespace {

// One display frame at 60 Hz. Sanitizers slow every memory access several times over (ASan 2-3x), so there
// the bound is scaled; release measures about 0.3 ms for a seek of two stems.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr qint64 kDisplayFrameNs = 8 * 16'666'667;
#else
constexpr qint64 kDisplayFrameNs = 16'666'667;
#endif

}  // namespace

class TestAudioThread : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_stems.write());
    }

    void engineRunsOnTheSilentClock()
    {
        PlaybackEngine engine;
        engine.setForceSilentClock(true);
        QVERIFY(!engine.hasOutputDevice());
        const QList<Error> errors = engine.setStems({io::StemSource{m_stems.programmePath, m_stems.programmePath, QString()},
                                                    io::StemSource{m_stems.sinePath, m_stems.sinePath, QString()}});
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
        const std::vector<float> channelPeaks = engine.takeStemChannelPeaks(0);  // the programme's own two channels
        QCOMPARE(channelPeaks.size(), std::size_t(2));
        QVERIFY(channelPeaks[0] > 0.01f && channelPeaks[1] > 0.01f);

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
        QVERIFY(engine.setStems({io::StemSource{m_stems.programmePath, m_stems.programmePath, QString()}}).isEmpty());
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
        QVERIFY(engine.setStems({io::StemSource{m_stems.programmePath, m_stems.programmePath, QString()},
                                 io::StemSource{m_stems.sinePath, m_stems.sinePath, QString()}}).isEmpty());
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
        // One display frame is the most either may hold the GUI thread.
        qInfo("seek %lld us, stop %lld us while the audio thread was busy", seekNs / 1000, stopNs / 1000);
        QVERIFY2(seekNs < kDisplayFrameNs && stopNs < kDisplayFrameNs, qPrintable(QStringLiteral("seek %1 us, stop %2 us").arg(seekNs / 1000).arg(stopNs / 1000)));
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
        engine.setStems({io::StemSource{m_stems.sinePath, m_stems.sinePath, QString()}});
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
        const QString other = m_stems.dir.filePath(QStringLiteral("at44k.wav"));
        QVERIFY(test::writeAudio(other, test::sineDb(44100, 1, 440.0, -12.0, 3.0)));
        PlaybackEngine engine;
        engine.setForceSilentClock(true);
        const QList<Error> errors = engine.setStems({io::StemSource{m_stems.sinePath, m_stems.sinePath, QString()},
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
        const QString junk = m_stems.dir.filePath(QStringLiteral("junk.wav"));
        QVERIFY(test::writeFile(junk, "this is not audio"));
        PlaybackEngine engine;
        const QList<Error> errors = engine.setStems({io::StemSource{junk, junk, QString()}});
        QCOMPARE(errors.size(), 1);
        QVERIFY(errors.constFirst().line().contains(QLatin1String("junk.wav")));
        QVERIFY(!engine.stems().at(0).playable);
    }

private:
    test::PlaybackStems m_stems;
};

QTEST_GUILESS_MAIN(TestAudioThread)
#include "tst_audiothread.moc"
