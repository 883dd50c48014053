#pragma once

// Plays a set of stems through Qt Multimedia: a worker reads ahead into lock-free rings, a QAudioSink pulls
// the mix from MixDevice (the audio callback), the LoudnessMeter runs on that path and the GUI polls live().
// Without an output device the same device is pulled by a silent real-time clock, so meters still move.

#include "audio/mixdevice.h"
#include "io/stemsource.h"
#include "metering/loudnessmeter.h"
#include "util/error.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>

class QAudioSink;

namespace stemship::gui {

class StemStreamer;

struct PlaybackStem {
    io::StemSource source;
    QString path;  // display path
    QString name;  // file name without extension
    int sampleRateHz = 0;
    int channels = 0;
    std::int64_t frames = 0;      // at the session rate
    std::int64_t startFrame = 0;  // on the Listen timeline, at the session rate: its BWF start, as delivered
    bool playable = false;
    QString problem;  // why it does not play, or how it plays (resampled)
    bool muted = false;
    bool soloed = false;
    double gainDb = 0.0;
};

class PlaybackEngine : public QObject {
    Q_OBJECT

public:
    enum class Output { Device, SilentClock };

    explicit PlaybackEngine(QObject *parent = nullptr);
    ~PlaybackEngine() override;

    // Probes the stems (formats, lengths); the session rate is the first readable stem's, others are resampled.
    // Stops playback. Returns one Error per stem that will not play (unreadable).
    QList<Error> setStems(const QList<io::StemSource> &sources);
    const QList<PlaybackStem> &stems() const { return m_stems; }
    int sampleRateHz() const { return m_sampleRateHz; }
    double durationSeconds() const;

    void setMuted(int stem, bool muted);
    void setSoloed(int stem, bool soloed);
    void setGainDb(int stem, double gainDb);
    void soloOnly(int stem);  // plays one stem: solo it, clear the others' solo
    void clearSoloAndMute();

    void play();
    void stop();
    void togglePlayback();
    bool isPlaying() const { return m_playing; }
    void seek(double seconds);  // restarts the worker when playing
    double positionSeconds() const;

    // Forces the silent clock even when a device exists (tests; a device that failed to open).
    void setForceSilentClock(bool force) { m_forceSilentClock = force; }
    bool hasOutputDevice() const;
    Output output() const { return m_output; }
    QString outputDescription() const;

    // GUI-thread reads of what the audio path measured (lock-free).
    metering::LiveReadout live() const;
    void resetPeakHold();
    std::array<float, kMixChannels> takeChannelPeaks();  // linear, since the last call
    float takeStemPeak(int stem);                        // linear, since the last call
    std::uint64_t underrunFrames() const;

Q_SIGNALS:
    void playingChanged(bool playing);
    void finished();
    void outputProblem(const QString &message);
    void stemsChanged();

private:
    void placeOnTimeline(const QList<std::optional<std::uint64_t>> &timeReferences);
    void startOutput();
    void startSilentClock();
    void stopOutput();
    void applyGains();
    void onWatch();
    void onSilentTick();
    float effectiveGain(int stem) const;

    QList<PlaybackStem> m_stems;
    QList<int> m_laneStem;  // lane -> index in m_stems (playable stems only)
    int m_sampleRateHz = 48000;
    bool m_playing = false;
    bool m_outputStarted = false;
    bool m_forceSilentClock = false;
    Output m_output = Output::SilentClock;
    double m_seekSeconds = 0.0;
    QString m_outputName;

    std::unique_ptr<metering::LoudnessMeter> m_meter;
    std::unique_ptr<MixGraph> m_graph;
    std::unique_ptr<StemStreamer> m_streamer;
    MixDevice *m_device = nullptr;
    QAudioSink *m_sink = nullptr;

    QTimer m_watch;        // primes, notices the end of the stems
    QTimer m_silentClock;  // pulls the device at real-time rate when there is no sink
    QElapsedTimer m_silentElapsed;
    std::int64_t m_silentFramesPulled = 0;
    QByteArray m_silentBuffer;
    int m_primeWaitTicks = 0;
};

}  // namespace stemship::gui
