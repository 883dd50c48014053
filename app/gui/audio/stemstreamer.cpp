#include "audio/stemstreamer.h"

#include "audio/stemsource.h"

#include <algorithm>
#include <chrono>
#include <optional>

namespace stemship::gui {

void foldToStereo(const float *in, int channels, std::int64_t frames, float *out)
{
    constexpr float kMinus3Db = 0.70710678f;
    for (std::int64_t f = 0; f < frames; ++f) {
        const float *frame = in + f * channels;
        float left = 0.0f;
        float right = 0.0f;
        if (channels == 1) {
            left = right = frame[0];
        } else if (channels >= 2) {
            left = frame[0];
            right = frame[1];
            for (int c = 2; c < channels; ++c) {
                if (c == 3 && (channels == 6 || channels == 8))
                    continue;
                if (c == 2) {
                    left += kMinus3Db * frame[c];
                    right += kMinus3Db * frame[c];
                } else if (c % 2 == 0) {
                    left += kMinus3Db * frame[c];
                } else {
                    right += kMinus3Db * frame[c];
                }
            }
        }
        out[2 * f] = left;
        out[2 * f + 1] = right;
    }
}

StemStreamer::StemStreamer(MixGraph &graph, QList<audit::StemSource> sources)
    : m_graph(graph), m_sources(std::move(sources))
{
}

StemStreamer::~StemStreamer()
{
    stop();
}

void StemStreamer::start()
{
    m_stop.store(false, std::memory_order_relaxed);
    m_thread = std::thread([this] { run(); });
}

void StemStreamer::stop()
{
    m_stop.store(true, std::memory_order_relaxed);
    if (m_thread.joinable())
        m_thread.join();
}

void StemStreamer::run()
{
    struct Feed {
        std::optional<io::AudioReader> reader;
        int channels = 0;
        bool ended = true;
        std::vector<float> stereo;
    };
    const std::size_t laneCount = m_graph.lanes.size();
    std::vector<Feed> feeds(laneCount);
    std::vector<float> readBuffer;
    for (std::size_t i = 0; i < laneCount && i < std::size_t(m_sources.size()); ++i) {
        Feed &feed = feeds[i];
        feed.stereo.assign(std::size_t(kBlockFrames * kMixChannels), 0.0f);
        auto opened = openStemSource(m_sources.at(qsizetype(i)));
        if (!opened.ok())
            continue;  // the engine already reported it; the lane plays silence to stay in step
        feed.reader.emplace(std::move(opened.value()));
        feed.channels = feed.reader->info().channels;
        feed.ended = !feed.reader->seek(m_graph.startFrame);
        readBuffer.resize(std::max(readBuffer.size(), std::size_t(kBlockFrames * feed.channels)));
    }
    for (std::size_t i = 0; i < laneCount; ++i)
        feeds[i].stereo.resize(std::size_t(kBlockFrames * kMixChannels), 0.0f);

    using namespace std::chrono_literals;
    while (!m_stop.load(std::memory_order_relaxed)) {
        // Every lane is read and consumed in lockstep, so their free space is equal; take the smallest anyway.
        std::size_t freeFrames = SIZE_MAX;
        for (const auto &lane : m_graph.lanes)
            freeFrames = std::min(freeFrames, lane->ring.writeAvailable() / kMixChannels);
        if (laneCount == 0 || freeFrames < std::size_t(kBlockFrames)) {
            m_graph.primed.store(true, std::memory_order_release);
            std::this_thread::sleep_for(laneCount == 0 ? 20ms : 4ms);
            if (laneCount == 0) {
                m_graph.producerFinished.store(true, std::memory_order_release);
                return;
            }
            continue;
        }
        std::int64_t longest = 0;
        std::vector<std::int64_t> got(laneCount, 0);
        for (std::size_t i = 0; i < laneCount; ++i) {
            Feed &feed = feeds[i];
            if (feed.ended || !feed.reader)
                continue;
            const std::int64_t n = feed.reader->read(readBuffer.data(), kBlockFrames);
            if (n <= 0) {
                feed.ended = true;  // end of file, or a read error: the rest of this stem is silence
                continue;
            }
            foldToStereo(readBuffer.data(), feed.channels, n, feed.stereo.data());
            got[i] = n;
            longest = std::max(longest, n);
        }
        if (longest == 0) {
            m_graph.producerFinished.store(true, std::memory_order_release);
            m_graph.primed.store(true, std::memory_order_release);
            return;
        }
        for (std::size_t i = 0; i < laneCount; ++i) {
            Feed &feed = feeds[i];
            std::fill(feed.stereo.begin() + got[i] * kMixChannels, feed.stereo.begin() + longest * kMixChannels, 0.0f);
            m_graph.lanes[i]->ring.write(feed.stereo.data(), std::size_t(longest * kMixChannels));
        }
    }
}

}  // namespace stemship::gui
