#pragma once

// The audio side of playback, living on PlaybackEngine's dedicated audio thread: it owns the MixDevice, the
// QAudioSink that pulls it (Qt pulls a sink's QIODevice on the thread the sink lives on) and the silent clock
// that pulls it instead when there is no device or the device fails. The GUI thread only posts start/stop here
// and hears back through queued signals, so a busy GUI cannot starve the device and stop never waits on audio.

#include "audio/mixgraph.h"

#include <QAudioDevice>
#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>

class QAudioSink;

namespace stemship::metering {
class LoudnessMeter;
}

namespace stemship::gui {

class MixDevice;
class StemStreamer;

enum class AudioOutputKind { Device, SilentClock };

// One playback's shared state. The audio thread holds it until it has stopped pulling, so the GUI may drop its
// reference at any time; whoever drops the last one joins the reader (the streamer goes first: declared last).
struct PlaybackRun {
    MixGraph graph;
    std::shared_ptr<metering::LoudnessMeter> meter;
    std::unique_ptr<StemStreamer> streamer;
    ~PlaybackRun();
};

class AudioOutput : public QObject {
    Q_OBJECT

public:
    explicit AudioOutput(QObject *parent = nullptr);
    ~AudioOutput() override;

    // Audio thread only (PlaybackEngine posts them). start() waits for the reader to fill the rings (at most
    // about half a second), then opens `device` (null: the silent clock). stop() closes and lets the run go.
    void start(std::shared_ptr<PlaybackRun> run, const QAudioDevice &device);
    void stop();

    const MixDevice *mixDevice() const { return m_device; }

Q_SIGNALS:
    void outputChanged(stemship::gui::AudioOutputKind kind, const QString &name);
    void outputProblem(const QString &message);

private:
    void onPrimeWait();
    void openOutput();
    bool openSink();
    void onSinkState();
    void startSilentClock();
    void onSilentTick();
    void closeOutput();

    std::shared_ptr<PlaybackRun> m_run;
    QAudioDevice m_target;
    MixDevice *m_device;
    QAudioSink *m_sink = nullptr;
    QTimer m_primeWait;    // until the reader has read ahead
    QTimer m_silentClock;  // pulls the device at real-time rate when there is no sink
    QElapsedTimer m_primeElapsed;
    QElapsedTimer m_silentElapsed;
    std::int64_t m_silentFramesPulled = 0;
    QByteArray m_silentBuffer;
};

}  // namespace stemship::gui
