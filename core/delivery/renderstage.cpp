#include "delivery/renderstage.h"

#include "delivery/gainstage.h"
#include "delivery/measurestage.h"
#include "delivery/timelinestage.h"

#include "util/faultpoint.h"

#include <QFile>

namespace stemship::delivery {

Result<RenderedFiles> renderAll(DeliveryJob &job, const RenderContext &context, const std::vector<RenderItem> &renders,
                                bool intoEntriesAllowed, ZipEntries &entries)
{
    RenderedFiles out;
    out.digests.resize(renders.size());
    if (intoEntriesAllowed) {
        std::vector<EntryPlan> plans;
        for (const RenderItem &r : renders)
            plans.push_back({r.measured, r.item->file, r.gainDb});
        if (Status s = reserveZipEntries(context, plans, &entries, nullptr, &out.intoEntries); !s)
            return s.error();
    }
    std::vector<std::atomic<double>> written(renders.size());
    std::vector<std::optional<Error>> errors(renders.size());
    job.runParallel(int(renders.size()), [&](int index) {
        faultPoint("writing");
        const auto i = std::size_t(index);
        MeasuredStem m = *renders[i].measured;  // its levels become the file's; the plan's stay as planned
        setDeliveredLoudness(m, renders[i].gainDb);
        const RenderJob render = renderJobFor(context, m, renders[i].item->file, renders[i].gainDb, index);
        if (auto digest = renderFile(render, entries, i, job.stop, &written[i]); digest) {
            out.digests[i] = *digest;
        } else {
            errors[i] = digest.error();
            job.stop.cancel();
        }
        written[i] = 1.0;
        QFile::remove(renders[i].measured->cachePath);
    }, [&] { return averageOf(written); }, 0.5, 0.3, [] { return QStringLiteral("writing"); });
    if (job.cancel.cancelled())
        return job.cancelled();
    if (job.failure)
        return *job.failure;
    // The failure that stopped the others, rather than their cancels.
    for (const auto &e : errors)
        if (e && e->code != ErrorCode::Cancelled)
            return *e;
    for (const auto &e : errors)
        if (e)
            return *e;
    return out;
}

bool StreamingRender::allowedFor(const DeliverySpec &spec)
{
    // --mono-dual-mono: a dual-mono stem is known only once read, and its entry was reserved for two channels.
    return spec.allowStreaming && spec.gainMode != gain::GainMode::Balanced && spec.referencePath.isEmpty()
        && !spec.monoDualMono;
}

StreamingRender::StreamingRender(DeliveryJob &job, EarlyPlan plan, const std::vector<DeliveryItem> &items,
                                 const RenderContext &context, const ZipEntries &entries)
    : m_job(job), m_plan(std::move(plan)), m_items(items), m_context(context), m_entries(entries), m_dither(items.size()),
      m_gainsDb(items.size()), m_digests(items.size()), m_written(items.size()), m_errors(items.size()), m_caches(job.work, items.size())
{
}

Result<std::optional<std::unique_ptr<StreamingRender>>> StreamingRender::start(DeliveryJob &job, EarlyPlan plan,
                                                                               const std::vector<DeliveryItem> &items,
                                                                               RenderContext &context, ZipEntries &entries)
{
    context.timeline = plan.timeline;
    std::unique_ptr<StreamingRender> streaming(new StreamingRender(job, std::move(plan), items, context, entries));
    // Probed with the gain expected (0 dB in none, some gain in the others: the dither it implies is in the
    // coding history); a stem whose gain says otherwise is caught in render().
    const double expectedGainDb = job.spec.gainMode == gain::GainMode::None ? 0.0 : 1.0;
    std::vector<EntryPlan> plans;
    for (std::size_t i = 0; i < items.size(); ++i)
        plans.push_back({&streaming->m_plan.expected[i], items[i].file, expectedGainDb});
    bool fits = false;
    if (Status s = reserveZipEntries(context, plans, &entries, &streaming->m_dither, &fits); !s)
        return s.error();
    if (!fits)
        return std::optional<std::unique_ptr<StreamingRender>>();
    return std::optional<std::unique_ptr<StreamingRender>>(std::move(streaming));
}

MeasureHooks StreamingRender::measureHooks()
{
    return {[this](std::size_t i, MeasuredStem &m) { render(i, m); }, [this] { return averageOf(m_written); },
            [this] { m_failed = true; },
            [this](std::size_t i) -> std::optional<Placement> {
                return Placement{m_plan.expected[i].timelineStartFrame - m_plan.timeline.startFrame, m_plan.timeline.lengthFrames};
            },
            [this](std::size_t i) { m_caches.adopt(m_items[i].cachePath); }};
}

void StreamingRender::render(std::size_t i, MeasuredStem &m)
{
    if (m_failed)
        return;
    const MeasuredStem &promised = m_plan.expected[i];
    if (m.frames != promised.frames || m.timelineStartFrame != promised.timelineStartFrame) {
        m_failed = true;
        return;
    }
    auto fail = [&](const Error &e) {
        m_errors[i] = e;
        m_job.stop.cancel();
    };
    // Placed for the gain (RMS, loudness) and for the delivered loudness (bext v2), unless pass 1 metered it placed.
    if (!m.levels.blockLog)
        if (Status s = measurePlaced(m, m_plan.timeline, m_job.stop); !s)
            return fail(s.error());
    const double gainDb = planDeliveryGains(m_job.spec, {&m_items[i]}, {&m}).plan.stems[0].gainDb;
    MeasuredStem delivered = m;  // its levels become the file's; the stem's stay what the plan is checked against
    setDeliveredLoudness(delivered, gainDb);
    m.levels.blockLog.reset();  // used: a session's stems do not each keep one while the others are measured
    const RenderJob job = renderJobFor(m_context, delivered, m_items[i].file, gainDb, int(i));
    if (job.dither != m_dither[i]) {
        m_failed = true;
        return;
    }
    auto digest = renderFile(job, m_entries, i, m_job.stop, &m_written[i]);
    if (!digest)
        return fail(digest.error());
    m_gainsDb[i] = gainDb;
    m_digests[i] = *digest;
    m_written[i] = 1.0;
    m_caches.recycle(m.cachePath);
}

std::optional<Error> StreamingRender::error() const
{
    for (const auto &e : m_errors)
        if (e && e->code != ErrorCode::Cancelled)
            return e;
    return std::nullopt;
}

bool StreamingRender::held(const Timeline &timeline, const std::vector<double> &plannedGainsDb) const
{
    // In none, a stem over the ceiling lowers the common gain of all: the streamed 0 dB does not hold.
    return !m_failed && sameTimeline(m_plan.timeline, timeline) && plannedGainsDb == m_gainsDb;
}

}  // namespace stemship::delivery
