#pragma once

// The two streaming passes over one stem. Pass 1 resamples to the delivery rate, meters the result and caches
// it as raw float beside the output; pass 2 places the cached signal on the delivery timeline, applies the
// gain, dithers to the delivery depth and writes the WAV. Memory is a few blocks, whatever the length.

#include "io/stemsource.h"
#include "io/filedigest.h"
#include "io/audioreader.h"
#include "io/wavheader.h"
#include "io/wavspec.h"
#include "io/zipwriter.h"
#include "metering/loudnessmeter.h"
#include "util/cancel.h"
#include "util/error.h"

#include <QFile>
#include <QString>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>

namespace stemship::delivery {

inline constexpr std::int64_t kBlockFrames = 4096;
// Pass 2 reads and writes in blocks of about 256 KiB: the kernel's cost per call outweighs the DSP's cache misses.
inline std::int64_t renderBlockFrames(int channels) { return std::max<std::int64_t>(kBlockFrames, (256 << 10) / (channels * 4)); }

// Opens a file or a zip entry for reading.
Result<io::AudioReader> openSource(const io::StemSource &source);

struct MeasuredStem {
    io::AudioInfo info;            // of the source
    QString cachePath;             // raw interleaved float32 at the delivery rate
    std::int64_t frames = 0;       // at the delivery rate
    int channels = 0;
    bool resampled = false;
    std::int64_t timelineStartFrame = 0;  // BWF start on the session timeline, delivery rate
    metering::MeterResult levels;  // of the resampled signal, before gain
    bool invertPolarity = false;   // --align-to-reference: delivered with its polarity flipped
    bool foldedToMono = false;     // package --mono-dual-mono folded its identical channels into one
};

// A stem placed at the delivery rate from its source's header: everything but its length and levels, which pass 1
// measures (or the header promises: earlyplan.h).
MeasuredStem placedStemFor(const io::AudioInfo &info, int deliveryRateHz, const QString &cachePath);

// How much disk pass 1 reserves for a stem's float cache: its expected size, but never more than the source's
// bytes could become (8 bytes of float per byte of 8-bit PCM or 2:1 FLAC, times the rate change), since a header
// can overstate the length (a FLAC's total is not checked until decoded) and reserving the disk for a length that
// never comes would fail the other stems. 0 when nothing is known.
std::uint64_t cacheReservationBytes(std::int64_t sourceBytes, std::int64_t frames, int sourceRateHz, int deliveryRateHz,
                                    int channels);

// Where the delivered file puts a stem, when it is known before pass 1 (earlyplan.h).
struct Placement {
    std::int64_t offsetFrames = 0;  // file frame of the stem's first frame
    std::int64_t lengthFrames = 0;  // the file's
};

// Sees a source as pass 1 reads it: its info once opened, each block as read (before resampling), then its info
// once read to the end. Package's audit of its sources measures there (sourceaudit.h), so no stem is read twice.
struct SourceTap {
    std::function<void(const io::AudioInfo &info)> opened;
    std::function<void(const float *interleaved, std::int64_t frames)> block;
    std::function<void(const io::AudioInfo &info)> finished;
};

// Pass 1. progress receives the fraction of the source read (relaxed stores). With a placement, the meter also
// sees the file's silence before and after the stem, so its levels (RMS, loudness and the block log on the file's
// 100 ms grid) are the placed ones that measurePlaced would give, without reading the cache again; positions still
// count from the stem's start. A stem that turns out not to lie wholly inside the file gets no block log.
Result<MeasuredStem> measureStem(const io::StemSource &source, int deliveryRateHz, const QString &cachePath,
                                 const CancelToken &cancel, std::atomic<double> *progress,
                                 const std::optional<Placement> &placement = std::nullopt, const SourceTap *tap = nullptr);

// Reads a cached stem as it sits in the delivered file: zeros before and after, its start cut when negative.
class PlacedReader {
public:
    PlacedReader(const QString &cachePath, int channels, std::int64_t stemFrames, std::int64_t offsetFrames,
                 std::int64_t lengthFrames, std::int64_t blockFrames = kBlockFrames);
    Status open();
    std::int64_t blockFrames() const { return m_blockFrames; }
    // Fills `block` with up to blockFrames() frames; returns how many (0 at the end), or an error.
    Result<std::int64_t> next(float *block);
    std::int64_t position() const { return m_pos; }

private:
    QFile m_cache;
    int m_channels;
    std::int64_t m_blockFrames;
    std::int64_t m_stemBegin, m_stemEnd, m_offset, m_length, m_pos = 0;
};

// Meters the placed signal (without true peak): RMS and loudness as the delivered file will measure, with the
// block log that gives its loudness at any gain (metering/blockloudnesslog.h).
Result<metering::MeterResult> meterPlaced(const MeasuredStem &stem, std::int64_t offsetFrames, std::int64_t lengthFrames,
                                          int rateHz, const CancelToken &cancel);

// Takes the placed signal's RMS and loudness (integrated, range, max momentary and short-term, the block log) as
// the stem's: what the delivered file measures. Peaks stay pass 1's (placement adds only silence).
void adoptPlacedLevels(MeasuredStem *stem, const metering::MeterResult &placed);

struct RenderJob {
    QString cachePath;
    int channels = 2;
    std::int64_t stemFrames = 0;
    std::int64_t offsetFrames = 0;  // file frame of the stem's first frame (negative: its start is cut)
    std::int64_t lengthFrames = 0;
    double gainDb = 0.0;
    bool invertPolarity = false;
    bool dither = true;
    std::uint64_t ditherSeed = 1;
    io::WavWriterSpec output;       // path, rate, encoding, bext, tags
};

// Pass 2 into a work file at job.output.path (RIFF, or RF64 over 4 GiB), hashed as it is written.
Result<io::FileDigest> renderStem(const RenderJob &job, const CancelToken &cancel, std::atomic<double> *progress);

// The bytes of a delivered WAV around its samples: core/io builds them in memory (wavheader.h).
using io::WavLayout;

// Pass 2 straight into a zip entry: the WAV of `layout` (laid out for job.lengthFrames) with job's samples and bext
// loudness, written through the entry's sink, SHA-256 and CRC-32 taken as it goes.
Result<io::FileDigest> renderStemInto(const RenderJob &job, const WavLayout &layout, io::OffsetWriter &sink,
                                  const CancelToken &cancel, std::atomic<double> *progress);

}  // namespace stemship::delivery
