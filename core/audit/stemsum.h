#pragma once

// The stems summed on their common timeline and measured as one programme (audit --sum): each placed by its BWF
// start, resampled to the set's most common rate, mono added to both channels. Streamed in blocks; memory
// depends on the number of stems, never on their length.

#include "templates/auditsettings.h"
#include "audit/stemauditor.h"
#include "audit/stemreport.h"
#include "util/cancel.h"

#include <QList>
#include <QString>

#include <atomic>
#include <cstdint>
#include <memory>

namespace stemship::audit {

// CLI-CONTRACT "Delivery profiles": the pseudo-stem's path.
inline QString sumPath() { return QStringLiteral("(sum of stems)"); }

class StemSum {
public:
    // Opens every readable source (the unreadable ones are the audit's to report) and plans the timeline.
    explicit StemSum(const QList<StemSource> &sources);
    ~StemSum();
    StemSum(const StemSum &) = delete;
    StemSum &operator=(const StemSum &) = delete;

    bool empty() const;              // no readable stem: nothing to sum
    std::int64_t lengthFrames() const;
    int sampleRateHz() const;
    int channels() const;

    // Streams the sum through the metering core: levels, waveform, loudness curve and leading silence, like a
    // stem. Returns false if cancelled. Call once.
    bool measure(const AuditSettings &settings, const CancelToken &cancel, StemReport *report,
                 std::atomic<std::int64_t> *framesDone);

private:
    class PlacedStem;  // one stem as a stream on the sum's timeline (stemsum.cpp)
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace stemship::audit
