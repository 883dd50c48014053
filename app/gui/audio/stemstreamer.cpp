#include "audio/stemstreamer.h"

#include "io/stemsource.h"
#include "gain/resampler.h"

#include <algorithm>
#include <chrono>
#include <memory>
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

StemStreamer::StemStreamer(MixGraph &graph, QList<io::StemSource> sources)
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
    // Per stem: its reader, a resampler when it is not at the session rate, and the stereo frames already
    // made but not yet written (resampling does not give exactly one block per block).
    struct Feed {
        std::optional<io::AudioReader> reader;
        std::unique_ptr<gain::Resampler> resampler;
        int channels = 0;
        bool ended = true;
        std::int64_t leadingSilence = 0;  // frames of silence before the stem starts (placed by its BWF start)
        std::vector<float> pending;
    };
    const std::size_t laneCount = m_graph.lanes.size();
    std::vector<Feed> feeds(laneCount);
    std::vector<float> readBuffer;
    std::vector<float> stereo(std::size_t(kBlockFrames * kMixChannels));
    std::vector<float> resampled;
    for (std::size_t i = 0; i < laneCount && i < std::size_t(m_sources.size()); ++i) {
        Feed &feed = feeds[i];
        auto opened = io::openStemSource(m_sources.at(qsizetype(i)));
        if (!opened.ok())
            continue;  // the engine already reported it; the lane plays silence to stay in step
        feed.reader.emplace(std::move(opened.value()));
        const io::AudioInfo &info = feed.reader->info();
        feed.channels = info.channels;
        // The stem starts offsetFrames into the timeline: before that the lane plays silence, after it the stem
        // from the matching frame, as the delivery places it.
        const std::int64_t offset = m_graph.lanes[i]->offsetFrames;
        std::int64_t startFrame = std::max<std::int64_t>(0, m_graph.startFrame - offset);
        feed.leadingSilence = std::max<std::int64_t>(0, offset - m_graph.startFrame);
        if (info.sampleRateHz != m_graph.sampleRateHz) {
            feed.resampler = std::make_unique<gain::Resampler>(info.sampleRateHz, m_graph.sampleRateHz, kMixChannels,
                                                               std::size_t(kBlockFrames));
            if (!feed.resampler->ok()) {
                feed.reader.reset();
                continue;
            }
            resampled.resize(std::max(resampled.size(), feed.resampler->maxOutputFrames() * kMixChannels));
            startFrame = std::int64_t(double(startFrame) * info.sampleRateHz / m_graph.sampleRateHz);
        }
        feed.ended = !feed.reader->seek(startFrame);
        feed.pending.reserve(std::size_t(4 * kBlockFrames * kMixChannels));
        readBuffer.resize(std::max(readBuffer.size(), std::size_t(kBlockFrames * feed.channels)));
    }

    const auto fill = [&](Feed &feed) {
        if (feed.leadingSilence > 0 && feed.pending.size() < std::size_t(kBlockFrames * kMixChannels)) {
            // At most a block at a time: a stem an hour into the session never allocates an hour of zeros.
            const std::int64_t n = std::min(feed.leadingSilence, kBlockFrames);
            feed.pending.insert(feed.pending.end(), std::size_t(n * kMixChannels), 0.0f);
            feed.leadingSilence -= n;
            if (feed.leadingSilence > 0)
                return;  // the stem itself follows in the same block, below
        }
        while (!feed.ended && feed.pending.size() < std::size_t(kBlockFrames * kMixChannels)) {
            const std::int64_t n = feed.reader->read(readBuffer.data(), kBlockFrames);
            if (n <= 0) {
                // End of file, or a read error: the rest of this stem is silence.
                if (feed.resampler)
                    while (const std::size_t m = feed.resampler->flush(resampled.data()))
                        feed.pending.insert(feed.pending.end(), resampled.begin(), resampled.begin() + std::ptrdiff_t(m * kMixChannels));
                feed.ended = true;
                break;
            }
            foldToStereo(readBuffer.data(), feed.channels, n, stereo.data());
            if (feed.resampler) {
                const std::size_t m = feed.resampler->process(stereo.data(), std::size_t(n), resampled.data());
                feed.pending.insert(feed.pending.end(), resampled.begin(), resampled.begin() + std::ptrdiff_t(m * kMixChannels));
            } else {
                feed.pending.insert(feed.pending.end(), stereo.begin(), stereo.begin() + n * kMixChannels);
            }
        }
    };

    std::vector<float> block(std::size_t(kBlockFrames * kMixChannels));
    using namespace std::chrono_literals;
    while (!m_stop.load(std::memory_order_relaxed)) {
        // Every lane is read and consumed in lockstep, so their free space is equal; take the smallest anyway.
        std::size_t freeFrames = SIZE_MAX;
        for (const auto &lane : m_graph.lanes)
            freeFrames = std::min(freeFrames, lane->ring.writeAvailable() / kMixChannels);
        if (laneCount == 0) {
            m_graph.producerFinished.store(true, std::memory_order_release);
            m_graph.primed.store(true, std::memory_order_release);
            return;
        }
        if (freeFrames < std::size_t(kBlockFrames)) {
            m_graph.primed.store(true, std::memory_order_release);
            std::this_thread::sleep_for(4ms);
            continue;
        }
        std::size_t longest = 0;
        for (Feed &feed : feeds) {
            if (feed.reader)
                fill(feed);
            longest = std::max(longest, std::min(feed.pending.size() / kMixChannels, std::size_t(kBlockFrames)));
        }
        if (longest == 0) {
            m_graph.producerFinished.store(true, std::memory_order_release);
            m_graph.primed.store(true, std::memory_order_release);
            return;
        }
        for (std::size_t i = 0; i < laneCount; ++i) {
            Feed &feed = feeds[i];
            const std::size_t have = std::min(feed.pending.size() / kMixChannels, longest);
            std::copy_n(feed.pending.begin(), have * kMixChannels, block.begin());
            std::fill(block.begin() + std::ptrdiff_t(have * kMixChannels), block.begin() + std::ptrdiff_t(longest * kMixChannels), 0.0f);
            feed.pending.erase(feed.pending.begin(), feed.pending.begin() + std::ptrdiff_t(have * kMixChannels));
            m_graph.lanes[i]->ring.write(block.data(), longest * kMixChannels);
        }
    }
}

}  // namespace stemship::gui
