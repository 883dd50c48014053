#include "delivery/stemrender.h"

#include "io/stemsource.h"
#include "delivery/timeline.h"
#include "gain/dither.h"
#include "gain/resampler.h"
#include "metering/channellayout.h"
#include "io/atomicfile.h"
#include "io/bwfchunks.h"
#include "io/checkedwrite.h"
#include "io/ziparchive.h"

#include <QFile>
#include <QFileInfo>
#include <QIODevice>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

namespace stemship::delivery {
namespace {

// CLI-CONTRACT wave 2: a stem with NaN/Inf or samples beyond +100 dBFS (a broken render) is refused like an
// unreadable one; its overs would otherwise decide the gain of every stem in balanced mode. Checked on the
// source's samples, before resampling spreads them.
Status refuseBrokenSamples(const float *block, std::int64_t frames, int channels, std::int64_t firstFrame, int rateHz,
                           const QString &name)
{
    const std::size_t count = std::size_t(frames) * std::size_t(channels);
    // The common case first, on the bits in a loop the compiler vectorises (a float compare reduced into a bool
    // stayed scalar): IEEE 754 orders non-negative floats as integers and gives Inf and NaN the largest magnitude
    // bits, so one integer compare of |x|'s bits against 1e5's catches overs, Inf and NaN alike.
    constexpr float kLimit = 1e5f;  // +100 dBFS
    const std::int32_t limitBits = std::bit_cast<std::int32_t>(kLimit);
    std::int32_t insane = 0;
    for (std::size_t i = 0; i < count; ++i)
        insane |= std::int32_t((std::bit_cast<std::int32_t>(block[i]) & 0x7fffffff) > limitBits);
    if (insane == 0)
        return {};
    for (std::size_t i = 0; i < count; ++i) {
        const float v = block[i];
        if (std::isfinite(v) && std::fabs(v) <= 1e5f)  // 1e5 = +100 dBFS
            continue;
        const std::int64_t frame = firstFrame + std::int64_t(i / std::size_t(channels));
        const QString where = QStringLiteral("at %1 s (frame %2)").arg(double(frame) / std::max(1, rateHz), 0, 'f', 3).arg(frame);
        if (!std::isfinite(v))
            return Error{name, QStringLiteral("NaN or infinite sample %1; not delivered").arg(where), ErrorCode::NonFinite};
        return Error{name, QStringLiteral("sample at %1 dBFS %2, beyond +100 dBFS (a broken render); not delivered")
                               .arg(20.0 * std::log10(double(std::fabs(v))), 0, 'f', 1).arg(where),
                     ErrorCode::CorruptSamples};
    }
    return {};
}

QString errnoText(int error) { return QString::fromLocal8Bit(std::strerror(error)); }
}  // namespace

Result<io::AudioReader> openSource(const io::StemSource &source)
{
    return io::openStemSource(source);  // one opener for audit, delivery and playback (refuses hostile entries)
}

MeasuredStem placedStemFor(const io::AudioInfo &info, int deliveryRateHz, const QString &cachePath)
{
    MeasuredStem stem;
    stem.info = info;
    stem.channels = info.channels;
    stem.cachePath = cachePath;
    stem.resampled = info.sampleRateHz != deliveryRateHz;
    stem.timelineStartFrame = info.timeReferenceSamples ? timelineFrame(*info.timeReferenceSamples, info.sampleRateHz, deliveryRateHz) : 0;
    return stem;
}

std::uint64_t cacheReservationBytes(std::int64_t sourceBytes, std::int64_t frames, int sourceRateHz, int deliveryRateHz,
                                    int channels)
{
    if (frames <= 0 || sourceBytes <= 0 || sourceRateHz <= 0 || channels <= 0)
        return 0;
    const double ratio = std::max(1.0, double(deliveryRateHz) / sourceRateHz);
    // 8-bit PCM, or FLAC at 2:1, as float: 8 bytes of cache per byte of source, times the rate change.
    const double plausible = double(sourceBytes) * 8.0 * ratio + double(1 << 20);
    const double expected = double(gain::Resampler::outputLength(frames, sourceRateHz, deliveryRateHz)) * channels * sizeof(float);
    return std::uint64_t(std::min(expected, plausible));
}

namespace {

metering::MeterConfig meterConfigFor(const MeasuredStem &stem, int rateHz, std::size_t maxBlockFrames)
{
    metering::MeterConfig config;
    config.sampleRateHz = rateHz;
    config.channels = stem.channels;
    config.weights = metering::weightsOf(metering::layoutOf(stem.channels, stem.info.channelMask), stem.channels);
    config.maxBlockFrames = maxBlockFrames;
    return config;
}

// Pass 1's float cache: its expected length reserved first, then written from a buffer of about 1 MiB that the
// resampler fills directly, in one write whenever another block might not fit. A recycled cache (cachepool.h) is
// overwritten in place and cut to its length at the end.
class CacheWriter {
public:
    CacheWriter(const QString &path, std::size_t channels, std::size_t blockFrames)
        : m_path(path), m_channels(channels), m_blockFrames(blockFrames),
          m_capacity(blockFrames + std::max(blockFrames * 3, (std::size_t(1) << 20) / (channels * sizeof(float)))),
          m_buffer(m_capacity * channels)
    {
    }
    ~CacheWriter()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    CacheWriter(const CacheWriter &) = delete;
    CacheWriter &operator=(const CacheWriter &) = delete;

    Status open(std::uint64_t reserveBytes)
    {
        m_fd = ::open(QFile::encodeName(m_path).constData(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        if (m_fd < 0)
            return Error{m_path, QStringLiteral("cannot create: ") + errnoText(errno), {}};
        // Only a help, given back at once if refused (a full disk then fails at the first write).
        if (!io::preallocate(m_fd, 0, reserveBytes) && ::ftruncate(m_fd, 0) != 0)
            return Error{m_path, QStringLiteral("cannot release the space it reserved: ") + errnoText(errno), {}};
        return {};
    }
    float *free() { return m_buffer.data() + m_used * m_channels; }  // room for one more block
    // The `frames` just put at free() are kept; written out when another block might not fit.
    Status keep(std::size_t frames) { return (m_used += frames) + m_blockFrames > m_capacity ? flush() : Status{}; }
    Status flush()
    {
        const std::size_t bytes = m_used * m_channels * sizeof(float);
        if (!io::pwriteAll(m_fd, m_buffer.data(), bytes, m_written))
            return Error{m_path, QStringLiteral("write failed (disk full?): ") + errnoText(errno), {}};
        m_written += bytes;
        m_used = 0;
        return {};
    }
    // The last flush: whatever a recycled cache held beyond this stem is cut off.
    Status finish()
    {
        if (Status s = flush(); !s)
            return s;
        if (::ftruncate(m_fd, off_t(m_written)) != 0)
            return Error{m_path, QStringLiteral("cannot set its length: ") + errnoText(errno), {}};
        return {};
    }

private:
    QString m_path;
    std::size_t m_channels, m_blockFrames, m_capacity;
    std::vector<float> m_buffer;
    std::size_t m_used = 0;  // frames in m_buffer
    std::uint64_t m_written = 0;
    int m_fd = -1;
};

void meterSilence(metering::LoudnessMeter &meter, std::int64_t frames, int channels)
{
    static constexpr std::int64_t kZeroFrames = 1024;
    static const std::vector<float> zeros(std::size_t(kZeroFrames) * 64, 0.0f);  // up to 64 channels
    for (std::int64_t n; frames > 0 && channels <= 64; frames -= n)
        meter.process(zeros.data(), std::size_t(n = std::min(frames, kZeroFrames)));
}

// Pass 1's meter saw the stem placed: its levels are the placed ones, but positions count from the stem's start.
void unplaceLevels(MeasuredStem &stem, const Placement &placement, bool whollyInside)
{
    metering::MeterResult &l = stem.levels;
    l.frames = std::uint64_t(stem.frames);
    const std::int64_t silenceBefore = std::max<std::int64_t>(0, placement.offsetFrames);  // what the meter was fed
    for (std::int64_t *frame : {&l.firstActiveFrame, &l.lastActiveFrame})
        if (*frame >= 0)
            *frame -= silenceBefore;
    if (!whollyInside)
        l.blockLog.reset();  // not the file's grid after all: the render stage measures it placed
}

}  // namespace

Result<MeasuredStem> measureStem(const io::StemSource &source, int deliveryRateHz, const QString &cachePath,
                                 const CancelToken &cancel, std::atomic<double> *progress,
                                 const std::optional<Placement> &placement, const SourceTap *tap)
{
    auto reader = openSource(source);
    if (!reader)
        return reader.error();
    MeasuredStem stem = placedStemFor(reader->info(), deliveryRateHz, cachePath);
    const QString &name = source.displayPath;
    if (tap)
        tap->opened(reader->info());
    gain::Resampler resampler(stem.info.sampleRateHz, deliveryRateHz, stem.channels, std::size_t(kBlockFrames));
    if (!resampler.ok())
        return Error{name, QStringLiteral("cannot resample: ") + QString::fromStdString(resampler.error()), {}};
    metering::MeterConfig config = meterConfigFor(stem, deliveryRateHz, resampler.maxOutputFrames());
    config.keepBlockLog = placement.has_value();
    metering::LoudnessMeter meter(config);
    CacheWriter cache(cachePath, std::size_t(stem.channels), resampler.maxOutputFrames());
    if (Status s = cache.open(cacheReservationBytes(QFileInfo(source.filePath).size(), stem.info.frames, stem.info.sampleRateHz,
                                                    deliveryRateHz, stem.channels)); !s)
        return s.error();
    auto deliver = [&](std::size_t frames) -> Status {
        meter.process(cache.free(), frames);
        return cache.keep(frames);
    };
    if (placement)
        meterSilence(meter, std::max<std::int64_t>(0, placement->offsetFrames), stem.channels);
    std::vector<float> in(std::size_t(kBlockFrames) * std::size_t(stem.channels));
    const double total = double(std::max<std::int64_t>(1, stem.info.frames));
    for (std::int64_t got; (got = reader->read(in.data(), kBlockFrames)) != 0;) {
        if (cancel.cancelled())
            return Error::cancelled(name);
        if (got < 0)
            return Error{name, reader->lastError().what, ErrorCode::Unreadable};
        if (Status s = refuseBrokenSamples(in.data(), got, stem.channels, std::int64_t(resampler.inputFrames()),
                                           stem.info.sampleRateHz, name); !s)
            return s.error();
        if (tap)
            tap->block(in.data(), got);
        if (Status s = deliver(resampler.process(in.data(), std::size_t(got), cache.free())); !s)
            return s.error();
        if (progress)
            progress->store(double(resampler.inputFrames()) / total, std::memory_order_relaxed);
    }
    for (std::size_t n; (n = resampler.flush(cache.free())) > 0;)
        if (Status s = deliver(n); !s)
            return s.error();
    if (!resampler.ok())
        return Error{name, QStringLiteral("resampling failed: ") + QString::fromStdString(resampler.error()), {}};
    if (Status s = cache.finish(); !s)
        return s.error();
    stem.frames = resampler.outputFrames();
    const std::int64_t after = placement ? placement->lengthFrames - placement->offsetFrames - stem.frames : 0;
    if (placement)
        meterSilence(meter, after, stem.channels);  // the file's silence after the stem ends, its windows closed
    stem.levels = meter.result();
    if (placement)
        unplaceLevels(stem, *placement, placement->offsetFrames >= 0 && after >= 0);
    if (tap)
        tap->finished(reader->info());
    if (progress)
        progress->store(1.0, std::memory_order_relaxed);
    return stem;
}

PlacedReader::PlacedReader(const QString &cachePath, int channels, std::int64_t stemFrames, std::int64_t offsetFrames,
                           std::int64_t lengthFrames, std::int64_t blockFrames)
    : m_cache(cachePath), m_channels(channels), m_blockFrames(blockFrames), m_stemBegin(std::max<std::int64_t>(0, offsetFrames)),
      m_stemEnd(std::min(lengthFrames, offsetFrames + stemFrames)), m_offset(offsetFrames), m_length(lengthFrames)
{
}

Status PlacedReader::open()
{
    if (!m_cache.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return Error{m_cache.fileName(), QStringLiteral("cannot open: ") + m_cache.errorString(), {}};
    // Stem frames [0, stemFrames) land on file frames [offset, offset + stemFrames).
    if (m_offset < 0 && !m_cache.seek(qint64(-m_offset) * qint64(std::size_t(m_channels) * sizeof(float))))
        return Error{m_cache.fileName(), QStringLiteral("cannot seek: ") + m_cache.errorString(), {}};
    return {};
}

Result<std::int64_t> PlacedReader::next(float *block)
{
    const std::size_t channels = std::size_t(m_channels);
    const std::int64_t n = std::min(m_blockFrames, m_length - m_pos);
    if (n <= 0)
        return std::int64_t(0);
    const std::int64_t from = std::min(std::max(m_pos, m_stemBegin), m_pos + n), to = std::max(from, std::min(m_pos + n, m_stemEnd));
    // Zeros only where the stem is not: the silence before and after it (the read fills the rest).
    std::fill(block, block + std::size_t(from - m_pos) * channels, 0.0f);
    std::fill(block + std::size_t(to - m_pos) * channels, block + std::size_t(n) * channels, 0.0f);
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
    PlacedReader reader(stem.cachePath, stem.channels, stem.frames, offsetFrames, lengthFrames, renderBlockFrames(stem.channels));
    if (Status s = reader.open(); !s)
        return s.error();
    metering::MeterConfig config;
    config.sampleRateHz = rateHz;
    config.channels = stem.channels;
    config.weights = metering::weightsOf(metering::layoutOf(stem.channels, stem.info.channelMask), stem.channels);
    config.truePeak = false;
    config.maxBlockFrames = std::size_t(kBlockFrames);
    config.keepBlockLog = true;  // the delivered loudness at the stem's gain, without metering it again
    metering::LoudnessMeter meter(config);
    std::vector<float> block(std::size_t(reader.blockFrames() * stem.channels));
    for (;;) {
        if (cancel.cancelled())
            return Error::cancelled(stem.cachePath);
        auto n = reader.next(block.data());
        if (!n)
            return n.error();
        if (*n == 0)
            break;
        meter.process(block.data(), std::size_t(*n));
    }
    return meter.result();
}

void adoptPlacedLevels(MeasuredStem *stem, const metering::MeterResult &placed)
{
    metering::MeterResult &l = stem->levels;
    l.rmsDbfs = placed.rmsDbfs;
    l.integratedLufs = placed.integratedLufs;
    l.loudnessRangeLu = placed.loudnessRangeLu;
    l.maxMomentaryLufs = placed.maxMomentaryLufs;
    l.maxShortTermLufs = placed.maxShortTermLufs;
    l.blockLog = placed.blockLog;
}

namespace {

// Pass 2's loop, for both ways of writing: the placed stem block by block, the gain applied and, for PCM
// (pcmBits 16, 24 or 32), dithered and rounded to the data chunk's bytes in the same pass; each block goes to
// sink(bytes, frames). For float output (pcmBits 0) the bytes are the scaled floats.
template <typename Sink>
Status renderBlocks(const RenderJob &job, int pcmBits, const CancelToken &cancel, std::atomic<double> *progress, Sink &&sink)
{
    PlacedReader reader(job.cachePath, job.channels, job.stemFrames, job.offsetFrames, job.lengthFrames, renderBlockFrames(job.channels));
    if (Status s = reader.open(); !s)
        return s;
    gain::Quantizer quantizer(pcmBits > 0 ? pcmBits : 32, job.dither, job.ditherSeed);
    const float gain = float(metering::dbToLinear(job.gainDb)) * (job.invertPolarity ? -1.0f : 1.0f);
    const std::size_t channels = std::size_t(job.channels);
    std::vector<float> block(std::size_t(reader.blockFrames()) * channels);
    std::vector<unsigned char> pcm(pcmBits > 0 ? block.size() * std::size_t(pcmBits / 8) : 0);
    for (;;) {
        if (cancel.cancelled())
            return Error::cancelled(job.output.path);
        auto got = reader.next(block.data());
        if (!got)
            return got.error();
        const std::int64_t n = *got;
        if (n == 0)
            return {};
        if (pcmBits > 0) {
            quantizer.processPacked(block.data(), gain, pcm.data(), std::size_t(n) * channels);
            if (Status s = sink(static_cast<const void *>(pcm.data()), n); !s)
                return s;
        } else {
            if (gain != 1.0f)
                for (float *p = block.data(), *e = p + std::size_t(n) * channels; p != e; ++p)
                    *p *= gain;
            if (Status s = sink(static_cast<const void *>(block.data()), n); !s)
                return s;
        }
        if (progress)
            progress->store(double(reader.position()) / double(std::max<std::int64_t>(1, job.lengthFrames)), std::memory_order_relaxed);
    }
}

}  // namespace

Result<io::FileDigest> renderStem(const RenderJob &job, const CancelToken &cancel, std::atomic<double> *progress)
{
    // The same bytes as a zip entry's (one header rule: io/wavheader.h), into a temporary beside the work file.
    auto layout = io::wavLayoutFor(job.output, job.lengthFrames);
    if (!layout)
        return layout.error();
    const QString temp = io::tempPathBeside(job.output.path);
    const int fd = ::open(QFile::encodeName(temp).constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return Error{job.output.path, QStringLiteral("cannot create: ") + errnoText(errno), {}};
    io::OffsetWriter sink(fd, 0, layout->bytes(job.lengthFrames), job.output.path);
    auto digest = renderStemInto(job, *layout, sink, cancel, progress);
    const int closed = ::close(fd);
    if (digest && closed != 0)
        digest = Error{job.output.path, QStringLiteral("cannot finish the file: ") + errnoText(errno), {}};
    if (digest)
        if (Status moved = io::commitRename(temp, job.output.path, job.output.syncToDisk ? io::Durability::Durable
                                                                                       : io::Durability::Volatile); !moved)
            digest = moved.error();
    if (!digest)
        QFile::remove(temp);
    return digest;
}

Result<io::FileDigest> renderStemInto(const RenderJob &job, const WavLayout &layout, io::OffsetWriter &sink,
                                  const CancelToken &cancel, std::atomic<double> *progress)
{
    const QString &name = job.output.path;
    const std::uint64_t total = layout.bytes(job.lengthFrames);
    if (job.lengthFrames != layout.frames)
        return Error{name, QStringLiteral("laid out for %1 frames, rendering %2").arg(layout.frames).arg(job.lengthFrames), {}};
    io::FileDigest digest;
    io::Sha256 hash;
    auto emit = [&](const void *data, std::size_t n) -> Status {
        hash.add(data, n);
        digest.crc32 = io::crc32Update(digest.crc32, data, n);
        if (Status s = sink.write(data, n); !s)
            return Error{name, s.error().what, {}};
        digest.bytes += n;
        return {};
    };
    // The entry may have been reserved before this stem was measured: its loudness words are this job's.
    const io::BroadcastInfo &b = job.output.bext;
    const QByteArray header = layout.headerWith({b.integratedLufs, b.loudnessRangeLu, b.maxTruePeakDbtp, b.maxMomentaryLufs, b.maxShortTermLufs});
    if (Status s = emit(header.constData(), std::size_t(header.size())); !s)
        return s.error();

    const bool isFloat = job.output.encoding == io::SampleEncoding::Float32;
    const Status rendered = renderBlocks(job, isFloat ? 0 : io::bitsOf(job.output.encoding), cancel, progress,
                                         [&](const void *bytes, std::int64_t frames) {
        return emit(bytes, std::size_t(frames * layout.frameBytes));
    });
    if (!rendered)
        return rendered.error();
    if (Status s = emit(layout.gap.constData(), std::size_t(layout.gap.size())); !s)
        return s.error();
    if (Status s = emit(layout.tail.constData(), std::size_t(layout.tail.size())); !s)
        return s.error();
    digest.sha256 = hash.hex();
    if (digest.sha256.isEmpty() || digest.bytes != total)
        return Error{name, QStringLiteral("SHA-256 failed"), {}};
    return digest;
}

}  // namespace stemship::delivery
