#include "audit/stemmeasure.h"

#include "metering/bandenergy.h"
#include "metering/channellayout.h"
#include "metering/loudnessmeter.h"
#include "metering/meterkernels.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <optional>
#include <vector>

namespace stemship::audit {
namespace {

constexpr std::int64_t kBlockFrames = kMeasureBlockFrames;
constexpr std::size_t kMaxCurvePoints = 2400;
// The LFE channel is band-limited to 120 Hz (ITU-R BS.775-3 §4, Dolby/SMPTE practice): what lies above leaks.
constexpr double kLfeBandLimitHz = 120.0;

// Keeps the loudness curve bounded: when full, pairs of points merge (keeping the louder) and the step doubles.
void appendCurvePoint(LoudnessCurve *curve, float momentary, float shortTerm, int *pointsPerSample, int *pending,
                      float *pendingM, float *pendingS)
{
    *pendingM = std::max(*pendingM, momentary);
    *pendingS = std::max(*pendingS, shortTerm);
    if (++*pending < *pointsPerSample)
        return;
    curve->momentaryLufs.push_back(*pendingM);
    curve->shortTermLufs.push_back(*pendingS);
    *pending = 0;
    *pendingM = -INFINITY;
    *pendingS = -INFINITY;
    if (curve->momentaryLufs.size() >= kMaxCurvePoints) {
        const std::size_t half = curve->momentaryLufs.size() / 2;
        for (std::size_t i = 0; i < half; ++i) {
            curve->momentaryLufs[i] = std::max(curve->momentaryLufs[2 * i], curve->momentaryLufs[2 * i + 1]);
            curve->shortTermLufs[i] = std::max(curve->shortTermLufs[2 * i], curve->shortTermLufs[2 * i + 1]);
        }
        curve->momentaryLufs.resize(half);
        curve->shortTermLufs.resize(half);
        *pointsPerSample *= 2;
        curve->stepSeconds *= 2.0;
    }
}

}  // namespace

float fullScaleLevelFor(const io::AudioInfo &info)
{
    if (info.isFloat || !info.bitDepth || *info.bitDepth <= 1)
        return 1.0f;
    // libsndfile scales integer PCM by 1 / 2^(n-1): positive full scale is (2^(n-1) - 1) / 2^(n-1).
    const double scale = std::ldexp(1.0, *info.bitDepth - 1);
    return float((scale - 1.0) / scale);
}

bool measureStem(io::AudioReader &reader, const AuditSettings &settings, const CancelToken &cancel,
                 StemReport *report, std::atomic<std::int64_t> *framesDone)
{
    return measureStream(reader.info(), [&reader](float *out, std::int64_t frames) { return reader.read(out, frames); },
                         settings, cancel, report, framesDone);
}

bool measureStream(const io::AudioInfo &info, const BlockReader &read, const AuditSettings &settings,
                   const CancelToken &cancel, StemReport *report, std::atomic<std::int64_t> *framesDone)
{
    StemMeasurer measurer(info, settings, report);
    std::vector<float> block(std::size_t(kBlockFrames * info.channels));
    for (;;) {
        if (cancel.cancelled())
            return false;
        const std::int64_t got = read(block.data(), kBlockFrames);
        if (got <= 0)
            break;
        measurer.add(block.data(), got);
        if (framesDone)
            framesDone->fetch_add(got, std::memory_order_relaxed);
    }
    measurer.finish();
    return true;
}

struct StemMeasurer::State {
    metering::LoudnessMeter meter;
    int lfe = -1;
    std::optional<metering::BandEnergySplit> lfeSplit;
    int channels = 0;
    std::int64_t totalFrames = 1;
    std::int64_t stepFrames = 1;  // the curve samples the meter on its own 100 ms grid
    int pointsPerSample = 1, pending = 0;
    float pendingM = -INFINITY, pendingS = -INFINITY;
    std::int64_t position = 0;
    int declaredBits = 0;   // integer PCM of 9 to 24 bits, else 0: the codes are not looked at
    std::uint32_t codeBits = 0;
    std::uint64_t nonZeroCodes = 0;

    explicit State(const metering::MeterConfig &config) : meter(config) {}
};

StemMeasurer::StemMeasurer(const io::AudioInfo &info, const AuditSettings &settings, StemReport *report)
    : m_report(report)
{
    metering::MeterConfig config;
    config.sampleRateHz = info.sampleRateHz;
    config.channels = info.channels;
    config.truePeak = true;
    config.maxBlockFrames = std::size_t(kBlockFrames);
    config.activityThresholdDbfs = settings.silenceFloorDbfs;
    config.clipRunMinSamples = settings.clipRunMinSamples;
    config.fullScaleLevel = fullScaleLevelFor(info);
    report->layout = metering::layoutOf(info.channels, info.channelMask);
    config.weights = metering::weightsOf(report->layout, info.channels);
    m = std::make_unique<State>(config);
    m->lfe = metering::lfeChannel(report->layout);
    if (m->lfe >= 0)
        m->lfeSplit.emplace(double(info.sampleRateHz), kLfeBandLimitHz);
    m->channels = info.channels;
    m->totalFrames = std::max<std::int64_t>(info.frames, 1);
    m->stepFrames = std::max<std::int64_t>(1, std::llround(info.sampleRateHz * 0.1));
    // libsndfile reads a code c of a b-bit file as c / 2^(b-1), exactly in a float up to 24 bits.
    if (info.bitDepth && !info.isFloat && !info.lossy && *info.bitDepth > 8 && *info.bitDepth <= 24)
        m->declaredBits = *info.bitDepth;
    report->overview.minimum.assign(std::size_t(kOverviewBuckets), 0.0f);
    report->overview.maximum.assign(std::size_t(kOverviewBuckets), 0.0f);
    report->loudness = LoudnessCurve{};
}

StemMeasurer::~StemMeasurer() = default;

void StemMeasurer::add(const float *block, std::int64_t frames)
{
    for (std::int64_t n; frames > 0; block += n * m->channels, frames -= n) {
        n = std::min(frames, kBlockFrames);  // the meter takes at most kBlockFrames at a time
        addOverview(block, n);
        addLevels(block, n);
        if (m->declaredBits > 0)
            metering::meterKernels().codeBits(block, std::size_t(n * m->channels), std::ldexp(1.0f, m->declaredBits - 1),
                                              m->codeBits, m->nonZeroCodes);
        m->position += n;
    }
}

// Waveform overview: min/max per bucket, walking the block one bucket-sized run at a time.
void StemMeasurer::addOverview(const float *block, std::int64_t got)
{
    Overview &overview = m_report->overview;
    const std::int64_t position = m->position, totalFrames = m->totalFrames;
    const int channels = m->channels;
    for (std::int64_t i = 0; i < got;) {
        const std::int64_t frame = position + i;
        const std::int64_t bucket = std::min<std::int64_t>(kOverviewBuckets - 1, frame * kOverviewBuckets / totalFrames);
        const std::int64_t bucketEnd = bucket == kOverviewBuckets - 1
            ? position + got
            : std::max(frame + 1, ((bucket + 1) * totalFrames + kOverviewBuckets - 1) / kOverviewBuckets);
        const std::int64_t runEnd = std::min(got, bucketEnd - position);
        // NaN never enters; Inf is clamped to the drawing range.
        metering::meterKernels().clampedRange(block + i * channels, std::size_t((runEnd - i) * channels), 2.0f,
                                              overview.minimum[std::size_t(bucket)], overview.maximum[std::size_t(bucket)]);
        i = runEnd;
    }
}

// Feeds the meter in pieces that end on the 100 ms grid, sampling the curve at each grid line; and the LFE split.
void StemMeasurer::addLevels(const float *block, std::int64_t got)
{
    const std::int64_t position = m->position;
    for (std::int64_t offset = 0; offset < got;) {
        const std::int64_t untilStep = m->stepFrames - (position + offset) % m->stepFrames;
        const std::int64_t n = std::min(untilStep, got - offset);
        m->meter.process(block + offset * m->channels, std::size_t(n));
        offset += n;
        if ((position + offset) % m->stepFrames == 0)
            appendCurvePoint(&m_report->loudness, float(m->meter.momentaryLufs()), float(m->meter.shortTermLufs()),
                             &m->pointsPerSample, &m->pending, &m->pendingM, &m->pendingS);
    }
    if (m->lfeSplit)
        m->lfeSplit->process(block, std::size_t(got), m->channels, m->lfe);
}

void StemMeasurer::finish()
{
    m_report->levels = m->meter.result();
    // Enough samples that real low bits would have shown: a bit is zero in 4096 random codes once in 2^4096.
    constexpr std::uint64_t kMinCodes = 4096;
    if (m->declaredBits > 0 && m->nonZeroCodes >= kMinCodes && m->codeBits != 0)
        m_report->usedBitDepth = m->declaredBits - std::countr_zero(m->codeBits);
    if (m->lfeSplit) {
        m->lfeSplit->finish();
        m_report->lfeHighToLowDb = m->lfeSplit->highToLowDb();
    }
}

}  // namespace stemship::audit
