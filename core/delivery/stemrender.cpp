#include "delivery/stemrender.h"

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
    if (source.zipEntry.isEmpty())
        return io::AudioReader::open(source.filePath);
    auto zip = io::ZipArchive::open(source.filePath);
    if (!zip)
        return zip.error();
    QString why;
    auto device = zip->openEntry(source.zipEntry, &why);
    if (!device)
        return Error{source.displayPath, why, QStringLiteral("unreadable")};
    return io::AudioReader::openDevice(std::move(device), source.displayPath);
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

Status renderStem(const RenderJob &job, const CancelToken &cancel, std::atomic<double> *progress)
{
    const QString &name = job.output.path;
    QFile cache(job.cachePath);
    if (!cache.open(QIODevice::ReadOnly))
        return Error{job.cachePath, QStringLiteral("cannot open: ") + cache.errorString(), {}};
    auto writer = io::WavWriter::create(job.output);
    if (!writer)
        return writer.error();
    const bool isFloat = job.output.encoding == io::SampleEncoding::Float32;
    gain::Quantizer quantizer(io::bitsOf(job.output.encoding), job.dither, job.ditherSeed);
    const float gain = float(metering::dbToLinear(job.gainDb));
    const std::size_t channels = std::size_t(job.channels);
    std::vector<float> block(std::size_t(kBlockFrames) * channels);
    std::vector<std::int32_t> pcm(block.size());

    // Stem frames [0, stemFrames) land on file frames [offset, offset + stemFrames).
    const std::int64_t stemBegin = std::max<std::int64_t>(0, job.offsetFrames);
    const std::int64_t stemEnd = std::min(job.lengthFrames, job.offsetFrames + job.stemFrames);
    if (job.offsetFrames < 0 && !cache.seek(qint64(-job.offsetFrames) * qint64(channels * sizeof(float))))
        return Error{job.cachePath, QStringLiteral("cannot seek: ") + cache.errorString(), {}};

    for (std::int64_t pos = 0; pos < job.lengthFrames; pos += kBlockFrames) {
        if (cancel.cancelled())
            return Error{name, QStringLiteral("cancelled"), QStringLiteral("cancelled")};
        const std::int64_t n = std::min(kBlockFrames, job.lengthFrames - pos);
        std::fill(block.begin(), block.begin() + std::ptrdiff_t(std::size_t(n) * channels), 0.0f);
        const std::int64_t from = std::max(pos, stemBegin), to = std::min(pos + n, stemEnd);
        if (from < to) {
            float *dst = block.data() + std::size_t(from - pos) * channels;
            const qint64 bytes = qint64(std::size_t(to - from) * channels * sizeof(float));
            if (cache.read(reinterpret_cast<char *>(dst), bytes) != bytes)
                return Error{job.cachePath, QStringLiteral("short read"), {}};
            if (gain != 1.0f)
                for (float *p = dst, *e = dst + std::size_t(to - from) * channels; p != e; ++p)
                    *p *= gain;
        }
        if (isFloat) {
            if (Status s = writer->writeFloat(block.data(), n); !s)
                return s;
        } else {
            quantizer.process(block.data(), pcm.data(), std::size_t(n) * channels);
            if (Status s = writer->writePcm(pcm.data(), n); !s)
                return s;
        }
        if (progress)
            progress->store(double(pos + n) / double(std::max<std::int64_t>(1, job.lengthFrames)), std::memory_order_relaxed);
    }
    return writer->commit();
}

}  // namespace stemship::delivery
