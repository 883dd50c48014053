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

// The mix bus is stereo: the callback folds each stem's own channels to two (foldToStereo) as it mixes.
inline constexpr int kMixChannels = 2;

struct StemLane {
    StemLane(std::size_t ringFrames, int stemChannels)
        : channels(stemChannels),
          ring(ringFrames * std::size_t(stemChannels)),
          channelPeaks(std::make_unique<std::atomic<float>[]>(std::size_t(stemChannels)))
    {
    }
    const int channels;               // the stem's own channel count: the ring carries them interleaved
    SpscRing<float> ring;             // interleaved, the stem's channels, at the session rate
    std::int64_t offsetFrames = 0;    // where the stem's first frame sits on the Listen timeline (its BWF start)
    std::atomic<float> gain{1.0f};    // linear, after solo/mute; written by the GUI, ramped in the callback
    std::atomic<float> peak{0.0f};    // linear peak of the stem folded to stereo since the GUI last took it
    std::atomic<bool> peakTaken{false};
    // Per channel of the stem, after its gain: what the per-channel meters show (same protocol as peak).
    std::unique_ptr<std::atomic<float>[]> channelPeaks;
    std::atomic<bool> channelPeaksTaken{false};
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
