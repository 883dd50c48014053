#pragma once

// The QIODevice a QAudioSink pulls from: mixes the stem rings, meters the mix, converts to the device format.
// readData() is the audio callback: no allocation, lock, log or I/O in it; all buffers are sized in attach().
// It runs on the thread that pulls the device: PlaybackEngine's audio thread (the sink's or the silent clock's).

#include "audio/mixgraph.h"

#include <QIODevice>

#include <atomic>
#include <vector>

namespace stemship::metering {
class LoudnessMeter;
}

namespace stemship::gui {

class MixDevice : public QIODevice {
    Q_OBJECT

public:
    enum class SampleFormat { Float32, Int16 };

    explicit MixDevice(QObject *parent = nullptr);

    // Call while no one reads: before the sink starts, after it stopped. meter may be null.
    void attach(MixGraph *graph, metering::LoudnessMeter *meter, SampleFormat format);
    void detach();

    int bytesPerFrame() const { return m_format == SampleFormat::Float32 ? 8 : 4; }
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override;

    static constexpr qint64 kChunkFrames = 1024;

    // The thread that last pulled audio (diagnostics and tests: it is never the GUI thread).
    Qt::HANDLE lastReaderThread() const { return m_lastReaderThread.load(std::memory_order_relaxed); }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 maxSize) override;

private:
    void mixChunk(char *out, qint64 frames);
    float mixLane(std::size_t index, qint64 frames);

    MixGraph *m_graph = nullptr;
    metering::LoudnessMeter *m_meter = nullptr;
    SampleFormat m_format = SampleFormat::Float32;
    std::vector<float> m_mix;           // kChunkFrames stereo frames
    std::vector<float> m_laneScratch;   // one lane's chunk in the stem's channels
    std::vector<float> m_foldScratch;   // the same chunk folded to stereo
    std::vector<float> m_currentGains;  // per lane: where the gain ramp stands
    std::vector<float> m_lanePeaks;     // per lane: peak since the GUI last took it
    float m_channelPeaks[kMixChannels] = {0.0f, 0.0f};
    std::atomic<Qt::HANDLE> m_lastReaderThread{nullptr};
};

}  // namespace stemship::gui
