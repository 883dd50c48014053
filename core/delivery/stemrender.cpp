#include "delivery/stemrender.h"

#include "audit/stemsource.h"
#include "delivery/timeline.h"
#include "gain/dither.h"
#include "gain/resampler.h"
#include "io/ziparchive.h"

#include <QFile>
#include <QIODevice>

#include <algorithm>
#include <vector>

namespace stemship::delivery {
namespace {
Error cancelled(const QString &file) { return Error{file, QStringLiteral("cancelled"), QStringLiteral("cancelled")}; }
}  // namespace

Result<io::AudioReader> openSource(const audit::StemSource &source)
{
    return audit::openStemSource(source);  // one opener for audit, delivery and playback (refuses hostile entries)
}

Result<MeasuredStem> measureStem(const audit::StemSource &source, int deliveryRateHz, const QString &cachePath,
                                 const CancelToken &cancel, std::atomic<double> *progress)
{
    auto reader = openSource(source);
    if (!reader)
        return reader.error();
    MeasuredStem stem;
    stem.info = reader->info();
    stem.channels = stem.info.channels;
    stem.cachePath = cachePath;
    stem.resampled = stem.info.sampleRateHz != deliveryRateHz;
    stem.timelineStartFrame = stem.info.timeReferenceSamples
        ? timelineFrame(*stem.info.timeReferenceSamples, stem.info.sampleRateHz, deliveryRateHz) : 0;
    const QString &name = source.displayPath;

    gain::Resampler resampler(stem.info.sampleRateHz, deliveryRateHz, stem.channels, std::size_t(kBlockFrames));
    if (!resampler.ok())
        return Error{name, QStringLiteral("cannot resample: ") + QString::fromStdString(resampler.error()), {}};
    metering::MeterConfig config;
    config.sampleRateHz = deliveryRateHz;
    config.channels = stem.channels;
    config.maxBlockFrames = resampler.maxOutputFrames();
    metering::LoudnessMeter meter(config);

    QFile cache(cachePath);
    if (!cache.open(QIODevice::WriteOnly))
        return Error{cachePath, QStringLiteral("cannot create: ") + cache.errorString(), {}};
    std::vector<float> in(std::size_t(kBlockFrames * stem.channels));
    std::vector<float> out(resampler.maxOutputFrames() * std::size_t(stem.channels));
    auto deliver = [&](std::size_t frames) -> Status {
        if (frames == 0)
            return {};
        meter.process(out.data(), frames);
        const qint64 bytes = qint64(frames * std::size_t(stem.channels) * sizeof(float));
        if (cache.write(reinterpret_cast<const char *>(out.data()), bytes) != bytes)
            return Error{cachePath, QStringLiteral("write failed: ") + cache.errorString(), {}};
        return {};
    };

    const double total = double(std::max<std::int64_t>(1, stem.info.frames));
    for (;;) {
        if (cancel.cancelled())
            return cancelled(name);
        const std::int64_t got = reader->read(in.data(), kBlockFrames);
        if (got < 0)
            return Error{name, reader->lastError().what, QStringLiteral("unreadable")};
        if (got == 0)
            break;
        if (Status s = deliver(resampler.process(in.data(), std::size_t(got), out.data())); !s)
            return s.error();
        if (progress)
            progress->store(double(resampler.inputFrames()) / total, std::memory_order_relaxed);
    }
    for (std::size_t n; (n = resampler.flush(out.data())) > 0;)
        if (Status s = deliver(n); !s)
            return s.error();
    if (!resampler.ok())
        return Error{name, QStringLiteral("resampling failed: ") + QString::fromStdString(resampler.error()), {}};
    if (!cache.flush())
        return Error{cachePath, QStringLiteral("write failed: ") + cache.errorString(), {}};
    cache.close();
    stem.frames = resampler.outputFrames();
    stem.levels = meter.result();
    if (progress)
        progress->store(1.0, std::memory_order_relaxed);
    return stem;
}

PlacedReader::PlacedReader(const QString &cachePath, int channels, std::int64_t stemFrames, std::int64_t offsetFrames,
                           std::int64_t lengthFrames)
    : m_cache(cachePath), m_channels(channels), m_stemBegin(std::max<std::int64_t>(0, offsetFrames)),
      m_stemEnd(std::min(lengthFrames, offsetFrames + stemFrames)), m_offset(offsetFrames), m_length(lengthFrames)
{
}

Status PlacedReader::open()
{
    if (!m_cache.open(QIODevice::ReadOnly))
        return Error{m_cache.fileName(), QStringLiteral("cannot open: ") + m_cache.errorString(), {}};
    // Stem frames [0, stemFrames) land on file frames [offset, offset + stemFrames).
    if (m_offset < 0 && !m_cache.seek(qint64(-m_offset) * qint64(std::size_t(m_channels) * sizeof(float))))
        return Error{m_cache.fileName(), QStringLiteral("cannot seek: ") + m_cache.errorString(), {}};
    return {};
}

Result<std::int64_t> PlacedReader::next(float *block)
{
    const std::size_t channels = std::size_t(m_channels);
    const std::int64_t n = std::min(kBlockFrames, m_length - m_pos);
    if (n <= 0)
        return std::int64_t(0);
    std::fill(block, block + std::size_t(n) * channels, 0.0f);
    const std::int64_t from = std::max(m_pos, m_stemBegin), to = std::min(m_pos + n, m_stemEnd);
    if (from < to) {
        const qint64 bytes = qint64(std::size_t(to - from) * channels * sizeof(float));
        if (m_cache.read(reinterpret_cast<char *>(block + std::size_t(from - m_pos) * channels), bytes) != bytes)
            return Error{m_cache.fileName(), QStringLiteral("short read"), {}};
    }
    m_pos += n;
    return n;
}

Result<metering::MeterResult> meterPlaced(const MeasuredStem &stem, std::int64_t offsetFrames, std::int64_t lengthFrames,
                                          int rateHz, const CancelToken &cancel)
{
    PlacedReader reader(stem.cachePath, stem.channels, stem.frames, offsetFrames, lengthFrames);
    if (Status s = reader.open(); !s)
        return s.error();
    metering::MeterConfig config;
    config.sampleRateHz = rateHz;
    config.channels = stem.channels;
    config.truePeak = false;
    config.maxBlockFrames = std::size_t(kBlockFrames);
    metering::LoudnessMeter meter(config);
    std::vector<float> block(std::size_t(kBlockFrames * stem.channels));
    for (;;) {
        if (cancel.cancelled())
            return cancelled(stem.cachePath);
        auto n = reader.next(block.data());
        if (!n)
            return n.error();
        if (*n == 0)
            break;
        meter.process(block.data(), std::size_t(*n));
    }
    return meter.result();
}

Status renderStem(const RenderJob &job, const CancelToken &cancel, std::atomic<double> *progress)
{
    const QString &name = job.output.path;
    PlacedReader reader(job.cachePath, job.channels, job.stemFrames, job.offsetFrames, job.lengthFrames);
    if (Status s = reader.open(); !s)
        return s;
    auto writer = io::WavWriter::create(job.output);
    if (!writer)
        return writer.error();
    const bool isFloat = job.output.encoding == io::SampleEncoding::Float32;
    gain::Quantizer quantizer(io::bitsOf(job.output.encoding), job.dither, job.ditherSeed);
    const float gain = float(metering::dbToLinear(job.gainDb));
    const std::size_t channels = std::size_t(job.channels);
    std::vector<float> block(std::size_t(kBlockFrames) * channels);
    // Gain, dither and rounding in one pass, straight to the bytes of the data chunk.
    std::vector<unsigned char> pcm(isFloat ? 0 : block.size() * std::size_t(quantizer.bits() / 8));
    for (;;) {
        if (cancel.cancelled())
            return Error{name, QStringLiteral("cancelled"), QStringLiteral("cancelled")};
        auto got = reader.next(block.data());
        if (!got)
            return got.error();
        const std::int64_t n = *got;
        if (n == 0)
            break;
        if (isFloat) {
            if (gain != 1.0f)
                for (float *p = block.data(), *e = p + std::size_t(n) * channels; p != e; ++p)
                    *p *= gain;
            if (Status s = writer->writeFloat(block.data(), n); !s)
                return s;
        } else {
            quantizer.processPacked(block.data(), gain, pcm.data(), std::size_t(n) * channels);
            if (Status s = writer->writePacked(pcm.data(), n); !s)
                return s;
        }
        if (progress)
            progress->store(double(reader.position()) / double(std::max<std::int64_t>(1, job.lengthFrames)), std::memory_order_relaxed);
    }
    return writer->commit();
}

}  // namespace stemship::delivery
