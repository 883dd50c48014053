#pragma once

// Plays a set of stems through Qt Multimedia: a worker reads ahead into lock-free rings, a QAudioSink on a
// dedicated audio thread pulls the mix from MixDevice (the audio callback), the LoudnessMeter runs on that path
// and the GUI polls live(). Without an output device (or when it fails) a silent real-time clock pulls the same
// device on the same thread, so meters still move. play/stop/seek post to the audio thread and return at once.

#include "audio/audiooutput.h"
#include "io/stemsource.h"
#include "metering/loudnessmeter.h"
#include "util/error.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QThread>
#include <QTimer>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace stemship::gui {

struct PlaybackStem {
    io::StemSource source;
    QString path;  // display path
    QString name;  // file name without extension
    int sampleRateHz = 0;
    int channels = 0;
    QString layout;             // core's layout name for the channel mask: "mono", "stereo", "5.1", ... "unknown"
    QStringList channelLabels;  // in file order, core's names for the layout (L R C LFE Ls Rs); numbers if unknown
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
    using Output = AudioOutputKind;

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
    std::vector<float> takeStemChannelPeaks(int stem);   // linear, per channel of the stem, since the last call
    std::uint64_t underrunFrames() const;

    // The thread that pulls the audio, and the one that last did (tests: neither is the GUI thread).
    QThread *audioThread() { return &m_audioThread; }
    Qt::HANDLE lastPullThread() const;

Q_SIGNALS:
    void playingChanged(bool playing);
    void finished();
    void outputProblem(const QString &message);
    void stemsChanged();

private:
    void placeOnTimeline(const QList<std::optional<std::uint64_t>> &timeReferences);
    void applyGains();
    void onWatch();
    float effectiveGain(int stem) const;
    StemLane *laneOf(int stem) const;

    QList<PlaybackStem> m_stems;
    QList<int> m_laneStem;  // lane -> index in m_stems (playable stems only)
    int m_sampleRateHz = 48000;
    bool m_playing = false;
    bool m_forceSilentClock = false;
    Output m_output = Output::SilentClock;
    double m_seekSeconds = 0.0;
    QString m_outputName;

    std::shared_ptr<metering::LoudnessMeter> m_meter;  // the current (or last) playback's: what the GUI reads
    std::shared_ptr<PlaybackRun> m_run;                // while playing; the audio thread holds it too
    QThread m_audioThread;
    AudioOutput *m_audio;  // lives on m_audioThread; only reached through queued calls
    QTimer m_watch;        // notices the end of the stems
};

}  // namespace stemship::gui
