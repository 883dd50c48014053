#include "delivery/packager.h"

#include "delivery/collectstage.h"
#include "delivery/commitstage.h"
#include "delivery/earlyplan.h"
#include "delivery/gainstage.h"
#include "delivery/measurestage.h"
#include "delivery/referencenull.h"
#include "delivery/profilegate.h"
#include "delivery/renderstage.h"
#include "delivery/timelinestage.h"
#include "delivery/zipassembly.h"
#include "io/atomicfile.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#include <memory>
#include <vector>

namespace stemship::delivery {
namespace {

Error usage(const QString &what) { return Error{{}, what, ErrorCode::Usage}; }

Status checkSpec(const DeliverySpec &spec)
{
    if (spec.outputPath.isEmpty())
        return usage(QStringLiteral("no output path"));
    if (spec.sources.isEmpty())
        return usage(QStringLiteral("no stems to package"));
    if (spec.bitDepth != 16 && spec.bitDepth != 24 && spec.bitDepth != 32)
        return usage(QStringLiteral("bit depth must be 16, 24 or 32, not %1").arg(spec.bitDepth));
    if (spec.sampleRateHz < 8000 || spec.sampleRateHz > 384000)
        return usage(QStringLiteral("sample rate %1 Hz is out of range").arg(spec.sampleRateHz));
    if (!(spec.tempoBpm > 0.0 && spec.tempoBpm < 1000.0) || spec.timeSignature.numerator < 1 || spec.timeSignature.denominator < 1)
        return usage(QStringLiteral("tempo and time signature must be positive"));
    if (!QFileInfo(spec.outputPath).absoluteDir().exists())
        return usage(spec.outputPath + QStringLiteral(": folder does not exist"));
    return {};
}

// What the stages hand on once the stems are measured: which items go on, the timeline, the gains.
struct Plan {
    AcceptedItems accepted;
    DeliveryGains gains;
    std::vector<const DeliveryItem *> stems;
    std::vector<MeasuredStem *> measured;  // of stems
    std::optional<reference::NullForensics> null;  // with a reference: the stems against it, before delivery gain
    gain::StemGain referenceGain;                   // the reference's own gain
};

// With a reference, before the timeline (aligning moves stems, which may change the preroll and the length): the
// stems against the mix as measured (delivery rate, before gain), then --align-to-reference and --require-null.
Status compareWithReference(DeliveryJob &job, const std::vector<DeliveryItem> &items, MeasuredItems &measured, Plan &plan)
{
    const std::size_t mix = *plan.accepted.reference;
    auto null = nullTestMeasured(std::vector<const MeasuredStem *>(plan.measured.begin(), plan.measured.end()), *measured.stems[mix],
                                 items[mix].source.displayPath, job.spec, job.cancel,
                                 [&](double f) { job.report(0.45 + 0.05 * f, QStringLiteral("null test")); });
    if (!null)
        return null.error().code == ErrorCode::Cancelled ? job.cancelled() : null.error();
    if (job.spec.alignToReference)
        alignToReference(plan.measured, *null);
    if (job.spec.requireNull && !null->passed)
        return Error{{}, nullFailure(*null, job.spec.nullThresholdDb, items[mix].source.displayPath), ErrorCode::NullFailed};
    plan.null = std::move(*null);
    return {};
}

// nullopt: streaming was tried and the stems did not keep the early plan; package again without it.
using Attempt = std::optional<Result<DeliveryResult>>;

// Stages 2 to 4 once pass 1 is over: accept what was measured, plan the timeline, measure placed, plan gains.
Result<Plan> planMeasured(DeliveryJob &job, const std::vector<DeliveryItem> &items, MeasuredItems &measured,
                          bool streamed, DeliveryResult &result)
{
    auto accepted = acceptMeasured(job.spec, items, measured);
    if (!accepted)
        return accepted.error();
    Plan plan{*accepted, {}, {}, {}, {}, {}};
    for (std::size_t i : plan.accepted.stems) {
        plan.stems.push_back(&items[i]);
        plan.measured.push_back(&*measured.stems[i]);
    }
    if (plan.accepted.reference)
        if (Status s = compareWithReference(job, items, measured, plan); !s)
            return s.error();
    result.timeline = planMeasuredTimeline(job.spec, measured.stems);
    // Streaming measured each stem placed on the early timeline, which it checks is this one. Otherwise every WAV
    // is measured placed once: its RMS and loudness for the gain, its block log for the delivered loudness.
    if (!streamed) {
        std::vector<MeasuredStem *> placed = plan.measured;
        if (plan.accepted.reference)
            placed.push_back(&*measured.stems[*plan.accepted.reference]);
        if (Status s = measureAllPlaced(job, placed, result.timeline); !s)
            return s.error();
    }
    plan.gains = planDeliveryGains(job.spec, plan.stems, std::vector<const MeasuredStem *>(plan.measured.begin(), plan.measured.end()));
    if (plan.accepted.reference) {
        plan.referenceGain = referenceGain(*measured.stems[*plan.accepted.reference], plan.gains.request.ceilingDbtp);
        plan.gains.referenceGainDb = plan.referenceGain.gainDb;
    }
    result.skipped = plan.accepted.skipped;
    result.auditFindings = measured.auditFindings ? measured.auditFindings : job.spec.auditFindings;
    result.gainMode = job.spec.gainMode;
    result.targetDb = plan.gains.request.targetDb;
    result.ceilingDbtp = plan.gains.request.ceilingDbtp;
    return plan;
}

// The WAVs to render: the stems in order with their gains, then the reference with its own.
std::vector<RenderItem> renderItems(const Plan &plan, const std::vector<DeliveryItem> &items, const MeasuredItems &measured)
{
    std::vector<RenderItem> renders;
    for (std::size_t i = 0; i < plan.stems.size(); ++i)
        renders.push_back({plan.stems[i], plan.measured[i], plan.gains.plan.stems[i].gainDb});
    if (plan.accepted.reference)
        renders.push_back({&items[*plan.accepted.reference], &*measured.stems[*plan.accepted.reference], plan.gains.referenceGainDb});
    return renders;
}

// Stages 5 to 7 for the rendered WAVs: the stems' and the reference's figures, the zip assembled, verified, committed.
Status finish(DeliveryJob &job, const DeliveryHooks &hooks, const Plan &plan, const std::vector<RenderItem> &renders,
              const RenderedFiles &rendered, ZipEntries &entries, DeliveryTemps &temps, DeliveryResult &result)
{
    for (std::size_t i = 0; i < plan.stems.size(); ++i)
        result.stems.append(deliveredStemFor(*plan.measured[i], plan.gains.plan.stems[i], plan.stems[i]->file,
                                             io::deliveredSourceName(plan.stems[i]->source), result.timeline.lengthFrames));
    // The profile judges the delivered files before anything is assembled: a spec that cannot be met writes nothing.
    if (Status s = judgeDelivery(&result, job.spec); !s)
        return s;
    if (plan.accepted.reference)
        result.reference = deliveredReference(renders.back().item->file, io::deliveredSourceName(renders.back().item->source), plan.referenceGain,
                                              *plan.null, job.spec, &result.stems);
    if (hooks.beforeAssembly)
        if (Status s = hooks.beforeAssembly(result); !s)
            return s;
    std::vector<DeliveredFile> files;
    for (std::size_t i = 0; i < renders.size(); ++i)
        files.push_back({renders[i].item->file, rendered.intoEntries ? QString() : job.work.filePath(renders[i].item->file),
                         rendered.digests[i]});
    if (Status s = assembleDelivery(job, result, files, entries); !s)
        return s;
    if (hooks.beforeCommit)
        if (Status s = hooks.beforeCommit(result); !s)
            return s;
    return temps.commit(job.spec.outputPath);
}

Attempt package(const DeliverySpec &spec, const PackageProgress &progress, const CancelToken &cancel,
                const DeliveryHooks &hooks, bool mayStream)
{
    DeliveryTemps temps(spec.outputPath);
    if (!QDir().mkpath(temps.workDir()))
        return Error{spec.outputPath, QStringLiteral("output folder is not writable"), ErrorCode::Usage};
    DeliveryJob job{spec, progress, cancel, {}, QDir(temps.workDir()), {}};
    const std::vector<DeliveryItem> items = collectItems(spec, job.work);
    DeliveryResult result;
    result.outputPath = spec.outputPath;
    result.title = !spec.title.isEmpty() ? spec.title : spec.sessionTemplate ? spec.sessionTemplate->title : QString();
    RenderContext context{&spec, {}, result.title, QDateTime::currentDateTime(), job.work};
    ZipEntries entries;
    entries.zipPath = temps.zipPath();

    // Streaming: the timeline planned from the headers, and each stem rendered as soon as it is measured.
    std::unique_ptr<StreamingRender> streaming;
    if (mayStream && StreamingRender::allowedFor(spec))
        if (std::optional<EarlyPlan> early = earlyPlan(spec, items, cancel)) {
            auto started = StreamingRender::start(job, std::move(*early), items, context, entries);
            if (!started)
                return started.error();
            if (!*started)
                return std::nullopt;
            streaming = std::move(**started);
        }
    MeasuredItems measured = measureItems(job, items, streaming ? streaming->measureHooks() : MeasureHooks{});
    if (cancel.cancelled())
        return job.cancelled();
    if (job.failure)
        return *job.failure;
    if (std::optional<Error> e = streaming ? streaming->error() : std::nullopt)
        return *e;
    auto plan = planMeasured(job, items, measured, bool(streaming), result);
    if (!plan)
        return plan.error();
    context.timeline = result.timeline;
    std::vector<double> gainsDb;
    for (const gain::StemGain &g : plan->gains.plan.stems)
        gainsDb.push_back(g.gainDb);
    if (streaming && !streaming->held(result.timeline, gainsDb))
        return std::nullopt;

    const std::vector<RenderItem> renders = renderItems(*plan, items, measured);
    Result<RenderedFiles> rendered = streaming ? RenderedFiles{streaming->digests(), true}
                                               : renderAll(job, context, renders, true, entries);
    if (!rendered)
        return rendered.error();
    result.streamed = bool(streaming);
    if (Status s = finish(job, hooks, *plan, renders, *rendered, entries, temps, result); !s)
        return s.error();
    job.report(1.0, QStringLiteral("done"));
    return result;
}

}  // namespace

Result<DeliveryResult> packageStems(const DeliverySpec &spec, const PackageProgress &progress, const CancelToken &cancel,
                                    const DeliveryHooks &hooks)
{
    if (Status s = checkSpec(spec); !s)
        return s.error();
    io::removeStaleTemps(spec.outputPath);
    // The one stage decision: stream when the spec allows it; when the stems break the early plan, again without.
    if (Attempt streamed = package(spec, progress, cancel, hooks, spec.allowStreaming))
        return *streamed;
    return *package(spec, progress, cancel, hooks, false);
}

}  // namespace stemship::delivery
