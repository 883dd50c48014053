#include "audit/stemsum.h"

#include "audit/stemmeasure.h"
#include "io/stemsource.h"
#include "delivery/timeline.h"
#include "gain/resampler.h"

#include <QMap>

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

namespace stemship::audit {
namespace {

constexpr std::int64_t kReadFrames = kMeasureBlockFrames;

}  // namespace

// One stem as a stream on the sum's timeline and rate: reads, cleans and resamples block by block.
class StemSum::PlacedStem {
public:
    PlacedStem(io::AudioReader reader, int sumRateHz) : m_reader(std::move(reader))
    {
        const io::AudioInfo &info = m_reader.info();
        m_channels = info.channels;
        m_startFrame = delivery::timelineFrame(info.timeReferenceSamples.value_or(0), info.sampleRateHz, sumRateHz);
        m_lengthFrames = gain::Resampler::outputLength(info.frames, info.sampleRateHz, sumRateHz);
        m_in.resize(std::size_t(kReadFrames * m_channels));
        if (info.sampleRateHz != sumRateHz) {
            m_resampler = std::make_unique<gain::Resampler>(info.sampleRateHz, sumRateHz, m_channels, std::size_t(kReadFrames));
            m_out.resize(m_resampler->maxOutputFrames() * std::size_t(m_channels));
        }
    }

    std::int64_t startFrame() const { return m_startFrame; }
    std::int64_t endFrame() const { return m_startFrame + m_lengthFrames; }

    // Adds this stem's next `frames` frames into acc (accChannels wide): mono to the first two channels, others
    // channel by channel. A stream that ends early (a truncated file) adds silence.
    void addInto(float *acc, int accChannels, std::int64_t frames)
    {
        std::int64_t done = 0;
        while (done < frames) {
            if (m_pos == m_available && !refill())
                return;
            const std::int64_t n = std::min(frames - done, m_available - m_pos);
            const float *src = data() + m_pos * m_channels;
            float *dst = acc + done * accChannels;
            if (m_channels == 1) {
                for (std::int64_t f = 0; f < n; ++f, dst += accChannels) {
                    dst[0] += src[f];
                    dst[1] += src[f];
                }
            } else {
                for (std::int64_t f = 0; f < n; ++f, dst += accChannels, src += m_channels)
                    for (int c = 0; c < m_channels; ++c)
                        dst[c] += src[c];
            }
            m_pos += n;
            done += n;
        }
    }

private:
    const float *data() const { return m_resampler ? m_out.data() : m_in.data(); }

    bool refill()
    {
        m_pos = m_available = 0;
        while (!m_ended && m_available == 0) {
            const std::int64_t got = m_reader.read(m_in.data(), kReadFrames);
            if (got > 0) {
                // NaN or infinite samples are the audit's finding (non_finite); in the sum they count as silence,
                // as the meter counts them, instead of poisoning every other stem's contribution.
                for (float &v : std::span(m_in.data(), std::size_t(got * m_channels)))
                    v = std::isfinite(v) ? v : 0.0f;
                m_available = m_resampler ? std::int64_t(m_resampler->process(m_in.data(), std::size_t(got), m_out.data())) : got;
            } else if (m_resampler) {
                m_available = std::int64_t(m_resampler->flush(m_out.data()));
                m_ended = m_available == 0;
            } else {
                m_ended = true;
            }
        }
        return m_available > 0;
    }

    io::AudioReader m_reader;
    std::unique_ptr<gain::Resampler> m_resampler;
    std::vector<float> m_in;
    std::vector<float> m_out;
    int m_channels = 1;
    std::int64_t m_startFrame = 0;
    std::int64_t m_lengthFrames = 0;
    std::int64_t m_pos = 0;
    std::int64_t m_available = 0;
    bool m_ended = false;
};

namespace {

// The set's most common rate; of two as common, the higher (no stem loses bandwidth to a tie).
int commonRate(const std::vector<io::AudioReader> &readers)
{
    QMap<int, int> counts;
    for (const io::AudioReader &r : readers)
        ++counts[r.info().sampleRateHz];
    int best = 0, bestCount = 0;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        if (it.value() >= bestCount) {
            best = it.key();
            bestCount = it.value();
        }
    return best;
}

}  // namespace

struct StemSum::Impl {
    std::vector<PlacedStem> stems;
    int rateHz = 0;
    int channels = 2;
    std::int64_t startFrame = 0;
    std::int64_t endFrame = 0;
};

StemSum::StemSum(const QList<StemSource> &sources) : m_impl(std::make_unique<Impl>())
{
    std::vector<io::AudioReader> readers;
    for (const StemSource &source : sources)
        if (auto reader = openStemSource(source); reader.ok() && reader->info().frames > 0)
            readers.push_back(std::move(*reader));
    if (readers.empty())
        return;
    m_impl->rateHz = commonRate(readers);
    for (const io::AudioReader &r : readers)
        m_impl->channels = std::max(m_impl->channels, r.info().channels);
    m_impl->startFrame = INT64_MAX;
    m_impl->endFrame = INT64_MIN;
    for (io::AudioReader &r : readers) {
        m_impl->stems.emplace_back(std::move(r), m_impl->rateHz);
        m_impl->startFrame = std::min(m_impl->startFrame, m_impl->stems.back().startFrame());
        m_impl->endFrame = std::max(m_impl->endFrame, m_impl->stems.back().endFrame());
    }
}

StemSum::~StemSum() = default;

bool StemSum::empty() const { return m_impl->stems.empty(); }
std::int64_t StemSum::lengthFrames() const { return empty() ? 0 : m_impl->endFrame - m_impl->startFrame; }
int StemSum::sampleRateHz() const { return m_impl->rateHz; }
int StemSum::channels() const { return m_impl->channels; }

bool StemSum::measure(const AuditSettings &settings, const CancelToken &cancel, StemReport *report,
                      std::atomic<std::int64_t> *framesDone)
{
    io::AudioInfo info;
    info.path = sumPath();
    info.format = QStringLiteral("SUM");
    info.sampleFormat = QStringLiteral("float32");
    info.isFloat = true;
    info.sampleRateHz = m_impl->rateHz;
    info.channels = m_impl->channels;
    info.frames = info.declaredFrames = lengthFrames();
    report->path = sumPath();
    report->readable = !empty();
    report->isSum = true;
    report->info = info;
    if (empty())
        return true;
    report->startSeconds = double(m_impl->startFrame) / m_impl->rateHz;
    std::int64_t position = m_impl->startFrame;  // on the session timeline, at the sum's rate
    const int channels = m_impl->channels;
    auto read = [&](float *out, std::int64_t frames) -> std::int64_t {
        const std::int64_t n = std::min(frames, m_impl->endFrame - position);
        std::fill(out, out + n * channels, 0.0f);
        for (PlacedStem &stem : m_impl->stems) {
            const std::int64_t from = std::max(position, stem.startFrame());
            const std::int64_t to = std::min(position + n, stem.endFrame());
            if (from < to)
                stem.addInto(out + (from - position) * channels, channels, to - from);
        }
        position += n;
        return n;
    };
    if (!measureStream(info, read, settings, cancel, report, framesDone))
        return false;
    const metering::MeterResult &m = report->levels;
    report->leadingSilenceSeconds = double(m.firstActiveFrame >= 0 ? m.firstActiveFrame : std::int64_t(m.frames)) / m_impl->rateHz;
    return true;
}

}  // namespace stemship::audit
