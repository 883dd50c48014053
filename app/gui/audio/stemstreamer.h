#pragma once

// Reads the stems ahead of the audio callback into their rings (Mixxx's CachingReader idea), on its own thread,
// in each stem's own channels (resampled to the session rate when needed).

#include "audio/mixgraph.h"

#include "io/stemsource.h"

#include <QList>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace stemship::gui {

class StemStreamer {
public:
    // sources[i] feeds graph.lanes[i]; every stem is read from graph.startFrame.
    StemStreamer(MixGraph &graph, QList<io::StemSource> sources);
    ~StemStreamer();
    StemStreamer(const StemStreamer &) = delete;
    StemStreamer &operator=(const StemStreamer &) = delete;

    void start();
    void requestStop();  // asks the worker to end and returns at once (the GUI thread's stop)
    void stop();         // asks, then joins the worker

    static constexpr std::int64_t kBlockFrames = 4096;

private:
    void run();

    MixGraph &m_graph;
    QList<io::StemSource> m_sources;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

// Folds any channel count to the stereo mix bus: 1 -> both sides; 2 as is; more: L/R, centre at -3 dB to
// both, LFE (4th channel of 6 and 8) left out, the rest at -3 dB alternating sides.
void foldToStereo(const float *in, int channels, std::int64_t frames, float *stereoOut);

}  // namespace stemship::gui
