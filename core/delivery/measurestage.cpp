#include "delivery/measurestage.h"

#include "delivery/monofold.h"
#include "delivery/sourceaudit.h"
#include "metering/blockloudnesslog.h"
#include "util/faultpoint.h"

namespace stemship::delivery {

bool isUnreadable(const Error &e)
{
    // Broken samples too (CLI-CONTRACT wave 2): refused like an unreadable stem, skipped with --skip-unreadable.
    return e.code == ErrorCode::Unreadable || e.code == ErrorCode::UnsupportedFormat
        || e.code == ErrorCode::NonFinite || e.code == ErrorCode::CorruptSamples;
}

bool maySkip(const DeliverySpec &spec, const DeliveryItem &item, const Error &e)
{
    return isUnreadable(e) && spec.skipUnreadable && !item.isReference;
}

MeasuredItems measureItems(DeliveryJob &job, const std::vector<DeliveryItem> &items, const MeasureHooks &hooks)
{
    MeasuredItems out{std::vector<std::optional<MeasuredStem>>(items.size()), std::vector<std::optional<Error>>(items.size()), {}};
    std::vector<std::atomic<double>> done(items.size());
    const std::unique_ptr<SourceAudit> audit = job.spec.auditSources ? std::make_unique<SourceAudit>(job.spec, items) : nullptr;
    job.runParallel(int(items.size()), [&](int index) {
        faultPoint("measuring");
        const auto i = std::size_t(index);
        if (hooks.starting)
            hooks.starting(i);
        auto m = measureStem(items[i].source, job.spec.sampleRateHz, items[i].cachePath, job.stop, &done[i],
                             hooks.placement ? hooks.placement(i) : std::nullopt, audit ? audit->tapFor(i) : nullptr);
        if (m && job.spec.monoDualMono && !items[i].isReference && isDualMono(*m))
            if (Status folded = foldToMono(&*m, job.spec.sampleRateHz, job.stop); !folded)
                m = folded.error();
        if (m) {
            out.stems[i] = std::move(*m);
            if (hooks.measured)
                hooks.measured(i, *out.stems[i]);
            return;
        }
        out.errors[i] = m.error();
        if (!maySkip(job.spec, items[i], m.error()))
            job.stop.cancel();
        else if (hooks.skipped)
            hooks.skipped();
        done[i] = 1.0;
    }, [&] { return hooks.extraFraction ? 0.45 * averageOf(done) + 0.35 * hooks.extraFraction() : 0.45 * averageOf(done); },
       0.0, 1.0, [&] { return hooks.extraFraction ? QStringLiteral("writing") : QStringLiteral("measuring"); });
    if (audit && !job.stop.cancelled())
        out.auditFindings = audit->report(out.errors).findingLines();
    return out;
}

Result<AcceptedItems> acceptMeasured(const DeliverySpec &spec, const std::vector<DeliveryItem> &items,
                                     const MeasuredItems &measured)
{
    AcceptedItems accepted;
    auto isCancelled = [](const std::optional<Error> &e) { return e && e->code == ErrorCode::Cancelled; };
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::optional<Error> &e = measured.errors[i];
        if (e && !isCancelled(e)) {
            if (!maySkip(spec, items[i], *e))
                return Error{items[i].source.displayPath, e->what, e->code};
            accepted.skipped.append({io::deliveredSourceName(items[i].source), e->what});
        } else if (items[i].isReference) {
            accepted.reference = i;
        } else if (measured.stems[i]) {
            accepted.stems.push_back(i);
        }
    }
    // A stem stopped by another's failure: that failure was reported above; this is a guard.
    for (const std::optional<Error> &e : measured.errors)
        if (isCancelled(e))
            return Error{spec.outputPath, QStringLiteral("stopped after an earlier failure"), {}};
    if (accepted.stems.empty())
        return Error{spec.outputPath, QStringLiteral("no readable stems to deliver"), ErrorCode::Unreadable};
    return accepted;
}

void setDeliveredLoudness(MeasuredStem &stem, double gainDb)
{
    const std::shared_ptr<const metering::BlockLoudnessLog> log = stem.levels.blockLog;
    if (!log)
        return;  // not placed: its levels are what there is (the render stage places every stem first)
    // Stored before gain, as every level of a MeasuredStem is: the file's figure is this plus gainDb. Maxima and
    // the range's spread follow the gain exactly; the absolute gates are re-applied at the gain.
    stem.levels.integratedLufs = log->integratedLufsAt(gainDb) - gainDb;
    stem.levels.loudnessRangeLu = log->loudnessRangeLuAt(gainDb);
}

Status measurePlaced(MeasuredStem &stem, const Timeline &timeline, const CancelToken &cancel)
{
    auto placed = meterPlaced(stem, stem.timelineStartFrame - timeline.startFrame, timeline.lengthFrames, timeline.sampleRateHz, cancel);
    if (!placed)
        return placed.error();
    adoptPlacedLevels(&stem, *placed);
    return {};
}

Status measureAllPlaced(DeliveryJob &job, const std::vector<MeasuredStem *> &stems, const Timeline &timeline)
{
    std::vector<std::atomic<double>> done(stems.size());
    std::vector<Status> results(stems.size());
    job.runParallel(int(stems.size()), [&](int i) {
        results[std::size_t(i)] = measurePlaced(*stems[std::size_t(i)], timeline, job.stop);
        done[std::size_t(i)] = 1.0;
    }, [&] { return averageOf(done); }, 0.45, 0.05, [] { return QStringLiteral("measuring"); });
    if (job.cancel.cancelled())
        return job.cancelled();
    if (job.failure)
        return *job.failure;
    for (const Status &s : results)
        if (!s)
            return s;
    return {};
}

}  // namespace stemship::delivery
