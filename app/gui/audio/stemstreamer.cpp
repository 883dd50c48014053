#include "audio/stemstreamer.h"

#include "io/stemsource.h"
#include "gain/resampler.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>

namespace stemship::gui {

namespace {

// Per stem: its reader, a resampler when it is not at the session rate, and the frames (in the stem's
// channels) already made but not yet written (resampling does not give exactly one block per block).
struct Feed {
    std::optional<io::AudioReader> reader;
    std::unique_ptr<gain::Resampler> resampler;
    int channels = 0;
    bool ended = true;
    std::int64_t leadingSilence = 0;  // frames of silence before the stem starts (placed by its BWF start)
    std::vector<float> pending;
};

// Opens a lane's stem at the playback's start frame. A stem that no longer opens as the engine probed it is
// left without a reader: its lane plays silence and stays in step (the engine already reported it).
void openFeed(Feed &feed, const io::StemSource &source, const StemLane &lane, const MixGraph &graph)
{
    auto opened = io::openStemSource(source);
    if (!opened.ok() || opened->info().channels != lane.channels)
        return;
    feed.reader.emplace(std::move(opened.value()));
    const io::AudioInfo &info = feed.reader->info();
    feed.channels = info.channels;
    // The stem starts offsetFrames into the timeline: before that the lane plays silence, after it the stem
    // from the matching frame, as the delivery places it.
    std::int64_t startFrame = std::max<std::int64_t>(0, graph.startFrame - lane.offsetFrames);
    feed.leadingSilence = std::max<std::int64_t>(0, lane.offsetFrames - graph.startFrame);
    if (info.sampleRateHz != graph.sampleRateHz) {
        feed.resampler = std::make_unique<gain::Resampler>(info.sampleRateHz, graph.sampleRateHz, info.channels,
                                                           std::size_t(StemStreamer::kBlockFrames));
        if (!feed.resampler->ok()) {
            feed.reader.reset();
            feed.resampler.reset();
            return;
        }
        startFrame = std::int64_t(double(startFrame) * info.sampleRateHz / graph.sampleRateHz);
    }
    feed.ended = !feed.reader->seek(startFrame);
    feed.pending.reserve(std::size_t(4 * StemStreamer::kBlockFrames * info.channels));
}

// `frames` of a stem's pending samples into its lane, padded with silence when the stem has ended (every lane
// advances in lockstep, so the callback can mix them frame for frame). `block` holds a block of the widest lane.
void writeLane(StemLane &lane, std::vector<float> &pending, std::size_t frames, std::vector<float> &block)
{
    const auto channels = std::size_t(lane.channels);
    const std::size_t have = std::min(pending.size() / channels, frames);
    std::copy_n(pending.begin(), have * channels, block.begin());
    std::fill(block.begin() + std::ptrdiff_t(have * channels), block.begin() + std::ptrdiff_t(frames * channels), 0.0f);
    pending.erase(pending.begin(), pending.begin() + std::ptrdiff_t(have * channels));
    lane.ring.write(block.data(), frames * channels);
}

}  // namespace

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

void StemStreamer::requestStop()
{
    m_stop.store(true, std::memory_order_relaxed);
}

void StemStreamer::stop()
{
    requestStop();
    if (m_thread.joinable())
        m_thread.join();
}

void StemStreamer::run()
{
    const std::size_t laneCount = m_graph.lanes.size();
    std::vector<Feed> feeds(laneCount);
    std::vector<float> readBuffer;
    std::vector<float> resampled;
    std::size_t widest = kMixChannels;
    for (const auto &lane : m_graph.lanes)
        widest = std::max(widest, std::size_t(lane->channels));
    for (std::size_t i = 0; i < laneCount && i < std::size_t(m_sources.size()); ++i) {
        openFeed(feeds[i], m_sources.at(qsizetype(i)), *m_graph.lanes[i], m_graph);
        if (feeds[i].reader) {
            readBuffer.resize(std::max(readBuffer.size(), std::size_t(kBlockFrames * feeds[i].channels)));
            if (feeds[i].resampler)
                resampled.resize(std::max(resampled.size(), feeds[i].resampler->maxOutputFrames() * std::size_t(feeds[i].channels)));
        }
    }

    const auto fill = [&](Feed &feed) {
        const auto blockSamples = std::size_t(kBlockFrames * feed.channels);
        if (feed.leadingSilence > 0 && feed.pending.size() < blockSamples) {
            // At most a block at a time: a stem an hour into the session never allocates an hour of zeros.
            const std::int64_t n = std::min(feed.leadingSilence, kBlockFrames);
            feed.pending.insert(feed.pending.end(), std::size_t(n * feed.channels), 0.0f);
            feed.leadingSilence -= n;
            if (feed.leadingSilence > 0)
                return;  // the stem itself follows in the same block, below
        }
        while (!feed.ended && feed.pending.size() < blockSamples) {
            const std::int64_t n = feed.reader->read(readBuffer.data(), kBlockFrames);
            if (n <= 0) {
                // End of file, or a read error: the rest of this stem is silence.
                if (feed.resampler)
                    while (const std::size_t m = feed.resampler->flush(resampled.data()))
                        feed.pending.insert(feed.pending.end(), resampled.begin(), resampled.begin() + std::ptrdiff_t(m * feed.channels));
                feed.ended = true;
                break;
            }
            const float *from = feed.resampler ? resampled.data() : readBuffer.data();
            const std::size_t made = feed.resampler ? feed.resampler->process(readBuffer.data(), std::size_t(n), resampled.data()) : std::size_t(n);
            feed.pending.insert(feed.pending.end(), from, from + made * std::size_t(feed.channels));
        }
    };

    std::vector<float> block(std::size_t(kBlockFrames) * widest);
    using namespace std::chrono_literals;
    while (!m_stop.load(std::memory_order_relaxed)) {
        // Every lane is read and consumed in lockstep, so their free space is equal; take the smallest anyway.
        std::size_t freeFrames = SIZE_MAX;
        for (const auto &lane : m_graph.lanes)
            freeFrames = std::min(freeFrames, lane->ring.writeAvailable() / std::size_t(lane->channels));
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
            if (feed.channels > 0)
                longest = std::max(longest, std::min(feed.pending.size() / std::size_t(feed.channels), std::size_t(kBlockFrames)));
        }
        if (longest == 0) {
            m_graph.producerFinished.store(true, std::memory_order_release);
            m_graph.primed.store(true, std::memory_order_release);
            return;
        }
        for (std::size_t i = 0; i < laneCount; ++i)
            writeLane(*m_graph.lanes[i], feeds[i].pending, longest, block);
    }
}

}  // namespace stemship::gui
