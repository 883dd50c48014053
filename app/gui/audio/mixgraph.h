#pragma once

// What the stem-reading worker and the audio callback share during one playback: one ring per stem and
// a few atomics. Built on the GUI thread before playback starts, destroyed after both sides have stopped.

#include "audio/spscring.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace stemship::gui {

// The mix bus is stereo: every stem is brought to two channels by the worker, never in the callback.
inline constexpr int kMixChannels = 2;

struct StemLane {
    explicit StemLane(std::size_t ringFrames) : ring(ringFrames * kMixChannels) {}
    SpscRing<float> ring;             // interleaved stereo at the session rate
    std::int64_t offsetFrames = 0;    // where the stem's first frame sits on the Listen timeline (its BWF start)
    std::atomic<float> gain{1.0f};    // linear, after solo/mute; written by the GUI, ramped in the callback
    std::atomic<float> peak{0.0f};    // linear peak since the GUI last took it (audio thread writes)
    std::atomic<bool> peakTaken{false};
};

struct MixGraph {
    int sampleRateHz = 48000;
    std::int64_t startFrame = 0;
    std::vector<std::unique_ptr<StemLane>> lanes;

    std::atomic<bool> primed{false};            // worker filled the rings once (or has nothing to give)
    std::atomic<bool> producerFinished{false};  // worker reached the end of every stem
    std::atomic<bool> drained{false};           // callback played everything the worker produced
    std::atomic<std::int64_t> positionFrames{0};
    std::atomic<std::uint64_t> underrunFrames{0};

    // Mix bus peaks per channel since the GUI last took them, same protocol as StemLane::peak.
    std::atomic<float> channelPeak[kMixChannels] = {0.0f, 0.0f};
    std::atomic<bool> channelPeakTaken{false};
};

// GUI side of the peak hand-off: read the newest peak and ask the audio thread to start a new window.
inline float takePeak(std::atomic<float> &peak, std::atomic<bool> &taken)
{
    const float value = peak.load(std::memory_order_relaxed);
    taken.store(true, std::memory_order_relaxed);
    return value;
}

}  // namespace stemship::gui
