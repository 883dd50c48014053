#pragma once

// Stage 5 of a delivery, render: each WAV placed on the timeline, with its gain, dithered, written into its sink
// (the zip entry reserved for it, or a work file when something needs the WAV as a file: the null test, RF64)
// and hashed as it goes. Streaming is this stage run early: StreamingRender renders a stem right after pass 1
// measured it, when the headers fixed the timeline and the stem's gain follows from the stem alone.

#include "delivery/cachepool.h"
#include "delivery/collectstage.h"
#include "delivery/deliveryjob.h"
#include "delivery/earlyplan.h"
#include "delivery/measurestage.h"
#include "io/filedigest.h"
#include "delivery/renderjobs.h"
#include "delivery/stemrender.h"
#include "delivery/zipassembly.h"

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace stemship::delivery {

// One WAV to render: what it is, what pass 1 measured, its gain.
struct RenderItem {
    const DeliveryItem *item = nullptr;
    const MeasuredStem *measured = nullptr;
    double gainDb = 0.0;
};

struct RenderedFiles {
    std::vector<io::FileDigest> digests;  // per render item
    bool intoEntries = false;         // rendered into reserved zip entries (else work files in job.work)
};

// Renders every item on the job's threads (progress 0.5 to 0.8). Into reserved entries of `entries` when
// intoEntriesAllowed and every WAV fits a plain RIFF; else into work files.
Result<RenderedFiles> renderAll(DeliveryJob &job, const RenderContext &context, const std::vector<RenderItem> &renders,
                                bool intoEntriesAllowed, ZipEntries &entries);

// Streaming: renders each stem from measureItems' hook into the entries reserved from the early plan.
class StreamingRender {
public:
    // Whether the spec lets a stem's gain follow from the stem alone: per-stem modes, and none (whose 0 dB holds
    // unless a stem is over the ceiling, checked once all are measured); and no reference (the null test reads
    // work files).
    static bool allowedFor(const DeliverySpec &spec);
    // Reserves the entries; nullopt (nothing reserved) when a WAV needs RF64.
    static Result<std::optional<std::unique_ptr<StreamingRender>>> start(DeliveryJob &job, EarlyPlan plan,
                                                                         const std::vector<DeliveryItem> &items,
                                                                         RenderContext &context, ZipEntries &entries);

    // For measureItems: each stem metered on its file's grid (the early timeline) into a recycled cache, rendered
    // once measured, writing counted in the progress; a skipped stem gives streaming up (its entry would stay empty).
    MeasureHooks measureHooks();
    void render(std::size_t index, MeasuredStem &stem);
    // The first error of a worker that is not a cancel.
    std::optional<Error> error() const;
    // Whether every stem kept the early plan: its header's length and start, its probed dither, the timeline,
    // and the gain the full plan gives it.
    bool held(const Timeline &timeline, const std::vector<double> &plannedGainsDb) const;
    const std::vector<io::FileDigest> &digests() const { return m_digests; }

private:
    StreamingRender(DeliveryJob &job, EarlyPlan plan, const std::vector<DeliveryItem> &items, const RenderContext &context,
                    const ZipEntries &entries);
    DeliveryJob &m_job;
    EarlyPlan m_plan;
    const std::vector<DeliveryItem> &m_items;
    const RenderContext &m_context;
    const ZipEntries &m_entries;
    std::vector<bool> m_dither;  // as the layouts were probed
    std::vector<double> m_gainsDb;
    std::vector<io::FileDigest> m_digests;
    std::vector<std::atomic<double>> m_written;
    std::vector<std::optional<Error>> m_errors;
    std::atomic<bool> m_failed{false};
    CachePool m_caches;
};

}  // namespace stemship::delivery
