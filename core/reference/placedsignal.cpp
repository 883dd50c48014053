#include "reference/placedsignal.h"

#include "audit/stemauditor.h"
#include "io/stemsource.h"
#include "gain/resampler.h"
#include "io/audioreader.h"

#include <QFile>

#include <algorithm>
#include <numeric>
#include <vector>

namespace stemship::reference {
namespace {

constexpr std::int64_t kInputBlockFrames = 8192;
// Output frames resampled and thrown away before a span that was reached by seeking, so the span is free of the
// resampler's start-up: libsoxr's very-high-quality filter is a few thousand taps long at most.
constexpr std::int64_t kResamplerWarmUpFrames = 16384;

// The overlap of [from, from + count) with the signal, in the signal's own frames.
struct Span {
    std::int64_t begin = 0, end = 0;
};
Span overlap(const PlacedSignal &s, std::int64_t from, std::int64_t count)
{
    return {std::max<std::int64_t>(0, from - s.startFrame()), std::min(s.frames(), from + count - s.startFrame())};
}

class AudioSignal final : public PlacedSignal {
public:
    AudioSignal(io::AudioReader reader, int rateHz, std::int64_t startFrame)
        : m_reader(std::move(reader)), m_rateHz(rateHz), m_start(startFrame),
          m_frames(gain::Resampler::outputLength(m_reader.info().frames, m_reader.info().sampleRateHz, rateHz))
    {
        const int source = m_reader.info().sampleRateHz;
        const int common = std::gcd(source, rateHz);
        m_gridIn = source / common;   // a restart on a multiple of these input frames...
        m_gridOut = rateHz / common;  // ...lands exactly on a multiple of these output frames
    }
    int channels() const override { return m_reader.info().channels; }
    std::int64_t startFrame() const override { return m_start; }
    std::int64_t frames() const override { return m_frames; }

    Status read(std::int64_t from, std::int64_t count, float *out) override
    {
        const int c = channels();
        std::fill(out, out + count * c, 0.0f);
        const Span span = overlap(*this, from, count);
        if (span.begin >= span.end)
            return {};
        float *dst = out + (m_start + span.begin - from) * c;
        if (m_reader.info().sampleRateHz == m_rateHz)
            return readDirect(span, dst);
        if (span.begin != m_next || !m_resampler)
            if (Status s = restart(span.begin); !s)
                return s;
        return pull(span.end - span.begin, dst);
    }

private:
    Status readDirect(const Span &span, float *dst)
    {
        if (span.begin != m_next && !m_reader.seek(span.begin))
            return m_reader.lastError();
        const std::int64_t got = m_reader.read(dst, span.end - span.begin);
        if (got < 0)
            return m_reader.lastError();
        m_next = span.begin + got;
        return {};
    }

    Status restart(std::int64_t frame)
    {
        const std::int64_t grid = std::max<std::int64_t>(0, frame - kResamplerWarmUpFrames) / m_gridOut;
        if (!m_reader.seek(grid * m_gridIn))
            return m_reader.lastError();
        m_resampler = std::make_unique<gain::Resampler>(m_reader.info().sampleRateHz, m_rateHz, channels(), std::size_t(kInputBlockFrames));
        if (!m_resampler->ok())
            return Error{m_reader.info().path, QString::fromStdString(m_resampler->error()), {}};
        m_input.resize(std::size_t(kInputBlockFrames * channels()));
        m_output.resize(m_resampler->maxOutputFrames() * std::size_t(channels()));
        m_outBegin = m_outEnd = 0;
        m_inputDone = m_flushed = false;
        m_next = grid * m_gridOut;
        std::vector<float> discard(std::size_t(4096 * channels()));
        while (m_next < frame)
            if (Status s = pull(std::min<std::int64_t>(4096, frame - m_next), discard.data()); !s)
                return s;
        return {};
    }

    // The next n resampled frames into dst (zeros past the end).
    Status pull(std::int64_t n, float *dst)
    {
        const int c = channels();
        while (n > 0) {
            if (m_outBegin == m_outEnd && !refill())
                return m_reader.lastError();
            const std::int64_t take = std::min<std::int64_t>(n, std::int64_t(m_outEnd - m_outBegin));
            if (take == 0) {
                std::fill(dst, dst + n * c, 0.0f);
                m_next += n;
                return {};
            }
            std::copy_n(m_output.data() + m_outBegin * std::size_t(c), take * c, dst);
            m_outBegin += std::size_t(take);
            dst += take * c;
            n -= take;
            m_next += take;
        }
        return {};
    }

    bool refill()
    {
        m_outBegin = m_outEnd = 0;
        while (m_outEnd == 0 && !m_flushed) {
            if (!m_inputDone) {
                const std::int64_t got = m_reader.read(m_input.data(), kInputBlockFrames);
                if (got < 0)
                    return false;
                if (got > 0)
                    m_outEnd = m_resampler->process(m_input.data(), std::size_t(got), m_output.data());
                else
                    m_inputDone = true;
            } else {
                m_outEnd = m_resampler->flush(m_output.data());
                m_flushed = m_outEnd == 0;
            }
        }
        return true;
    }

    io::AudioReader m_reader;
    int m_rateHz;
    std::int64_t m_start, m_frames, m_gridIn = 1, m_gridOut = 1;
    std::int64_t m_next = 0;  // the signal frame the reader (or the resampler's output) is at
    std::unique_ptr<gain::Resampler> m_resampler;
    std::vector<float> m_input, m_output;
    std::size_t m_outBegin = 0, m_outEnd = 0;
    bool m_inputDone = false, m_flushed = false;
};

class FloatCacheSignal final : public PlacedSignal {
public:
    FloatCacheSignal(const QString &path, int channels, std::int64_t frames, std::int64_t startFrame)
        : m_file(path), m_channels(channels), m_frames(frames), m_start(startFrame) {}
    Status open()
    {
        if (!m_file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
            return Error{m_file.fileName(), QStringLiteral("cannot open: ") + m_file.errorString(), {}};
        return {};
    }
    int channels() const override { return m_channels; }
    std::int64_t startFrame() const override { return m_start; }
    std::int64_t frames() const override { return m_frames; }

    Status read(std::int64_t from, std::int64_t count, float *out) override
    {
        std::fill(out, out + count * m_channels, 0.0f);
        const Span span = overlap(*this, from, count);
        if (span.begin >= span.end)
            return {};
        const qint64 frameBytes = qint64(m_channels) * qint64(sizeof(float));
        const qint64 bytes = (span.end - span.begin) * frameBytes;
        if (!m_file.seek(span.begin * frameBytes) ||
            m_file.read(reinterpret_cast<char *>(out + (m_start + span.begin - from) * m_channels), bytes) != bytes)
            return Error{m_file.fileName(), QStringLiteral("short read"), {}};
        return {};
    }

private:
    QFile m_file;
    int m_channels;
    std::int64_t m_frames, m_start;
};

}  // namespace

SignalOpener audioSignal(const io::StemSource &source, int rateHz, std::int64_t startFrame)
{
    return [source, rateHz, startFrame]() -> Result<std::unique_ptr<PlacedSignal>> {
        auto reader = io::openStemSource(source);
        if (!reader)
            return reader.error();
        return std::unique_ptr<PlacedSignal>(std::make_unique<AudioSignal>(std::move(*reader), rateHz, startFrame));
    };
}

SignalOpener floatCacheSignal(const QString &cachePath, int channels, std::int64_t frames, std::int64_t startFrame)
{
    return [=]() -> Result<std::unique_ptr<PlacedSignal>> {
        auto signal = std::make_unique<FloatCacheSignal>(cachePath, channels, frames, startFrame);
        if (Status s = signal->open(); !s)
            return s.error();
        return std::unique_ptr<PlacedSignal>(std::move(signal));
    };
}

}  // namespace stemship::reference
