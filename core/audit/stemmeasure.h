#pragma once

#include "templates/auditsettings.h"
#include "audit/stemreport.h"
#include "io/audioreader.h"
#include "util/cancel.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

namespace stemship::audit {

// Streams a whole stem through the metering core in fixed blocks, filling report->levels, the waveform
// overview and the loudness curve. Memory is fixed whatever the length. Returns false if cancelled.
bool measureStem(io::AudioReader &reader, const AuditSettings &settings, const CancelToken &cancel,
                 StemReport *report, std::atomic<std::int64_t> *framesDone);

// Reads up to `frames` interleaved float frames into `out`; returns how many, 0 at the end.
using BlockReader = std::function<std::int64_t(float *out, std::int64_t frames)>;

// The same measurement over any stream of blocks described by info (the stem sum is one).
bool measureStream(const io::AudioInfo &info, const BlockReader &read, const AuditSettings &settings,
                   const CancelToken &cancel, StemReport *report, std::atomic<std::int64_t> *framesDone);

// The same measurement pushed block by block (blocks of any size, in order), for a reader that has the blocks
// already: the delivery's pass 1 feeds it the blocks it reads, so `package` audits its sources without a second
// read. finish() fills report->levels and the LFE split; the overview and loudness curve fill as blocks come.
class StemMeasurer {
public:
    StemMeasurer(const io::AudioInfo &info, const AuditSettings &settings, StemReport *report);
    ~StemMeasurer();
    StemMeasurer(const StemMeasurer &) = delete;
    StemMeasurer &operator=(const StemMeasurer &) = delete;

    void add(const float *interleaved, std::int64_t frames);
    void finish();

private:
    void addOverview(const float *block, std::int64_t frames);
    void addLevels(const float *block, std::int64_t frames);

    struct State;
    std::unique_ptr<State> m;
    StemReport *m_report;
};

// Blocks of this many frames feed the meter.
inline constexpr std::int64_t kMeasureBlockFrames = 4096;

// The level at or above which an integer PCM sample read as float is at full scale.
float fullScaleLevelFor(const io::AudioInfo &info);

}  // namespace stemship::audit
