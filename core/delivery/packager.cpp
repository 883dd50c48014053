#include "delivery/packager.h"

#include "delivery/earlyplan.h"
#include "delivery/filedigest.h"
#include "delivery/gainrequest.h"
#include "delivery/monofold.h"
#include "delivery/nulltest.h"
#include "delivery/renderjobs.h"
#include "delivery/stemnames.h"
#include "delivery/stemrender.h"
#include "delivery/zipassembly.h"
#include "io/atomicfile.h"
#include "util/parallel.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#include <memory>
#include <vector>

namespace stemship::delivery {
namespace {

Error usage(const QString &what) { return Error{{}, what, QStringLiteral("usage")}; }
Error cancelledJob(const DeliverySpec &spec) { return Error{spec.outputPath, QStringLiteral("cancelled"), QStringLiteral("cancelled")}; }

// Removes the job's temporaries however it ends.
struct TempGuard {
    QString workDir, zip;
    ~TempGuard()
    {
        io::removePath(workDir);
        if (!zip.isEmpty())
            io::removePath(zip);
    }
};

// One thing to deliver: a stem, or the reference mix (last).
struct Item {
    audit::StemSource source;
    QString file;
    std::optional<int> trackIndex;
    bool isReference = false;
    std::optional<MeasuredStem> measured;
    std::optional<Error> error;
};

// Runs fn(i) for i in [0, n) on `jobs` threads; polls progress (fraction() on the calling thread, to report) and
// forwards cancel to stop.
void runParallel(int jobs, int n, const std::function<void(int)> &fn, const std::function<double()> &fraction,
                 const std::function<void(double)> &report, const CancelToken &cancel, CancelToken &stop)
{
    auto poll = [&] {
        report(fraction());
        if (cancel.cancelled())
            stop.cancel();
    };
    parallelFor(n, jobs, fn, poll, 40);
    poll();
}

double average(const std::vector<std::atomic<double>> &done)
{
    double sum = 0.0;
    for (const auto &d : done)
        sum += d.load(std::memory_order_relaxed);
    return done.empty() ? 1.0 : sum / double(done.size());
}

bool isUnreadable(const Error &e)
{
    return e.code == QLatin1String("unreadable") || e.code == QLatin1String("unsupported_format");
}

// Streaming (earlyplan.h): what was written for each stem while pass 1 ran.
struct Streamed {
    std::vector<MeasuredStem> expected;
    std::vector<bool> dither;  // as the layouts were probed
    std::vector<double> gainsDb;
    std::vector<FileDigest> digests;
    std::vector<std::atomic<double>> written;
    std::vector<std::optional<Error>> errors;  // writing failed (a full disk...)
    std::atomic<bool> failed{false};  // a stem did not match its header or its probed layout
    explicit Streamed(std::size_t n) : dither(n), gainsDb(n), digests(n), written(n), errors(n) {}
};

// nullopt: streaming was tried and the stems did not keep the headers' promise; package the usual way.
std::optional<Result<DeliveryResult>> package(const DeliverySpec &spec, const PackageProgress &progress,
                                              const CancelToken &cancel, bool mayStream)
{
    auto report = [&](double fraction, const QString &stage) {
        if (progress)
            progress(std::clamp(fraction, 0.0, 1.0), stage);
    };
    TempGuard guard{io::tempPathBeside(spec.outputPath, QStringLiteral(".d")), io::tempPathBeside(spec.outputPath)};
    if (!QDir().mkpath(guard.workDir))
        return Error{spec.outputPath, QStringLiteral("output folder is not writable"), QStringLiteral("usage")};
    const QDir work(guard.workDir);

    std::vector<Item> items;
    for (const NamedStem &n : nameStems(spec.sources, spec.sessionTemplate, spec.version))
        items.push_back(Item{spec.sources[n.sourceIndex], n.file, n.trackIndex, false, {}, {}});
    if (!spec.referencePath.isEmpty())
        items.push_back(Item{audit::StemSource{spec.referencePath, spec.referencePath, {}},
                             referenceFileName(spec.referencePath), {}, true, {}, {}});
    const int count = int(items.size());
    const int jobs = spec.jobs;  // 0: all cores
    QStringList cachePaths;
    for (int i = 0; i < count; ++i)
        cachePaths << work.filePath(QStringLiteral("%1.f32").arg(i));

    DeliveryResult result;
    result.outputPath = spec.outputPath;
    result.title = !spec.title.isEmpty() ? spec.title : spec.sessionTemplate ? spec.sessionTemplate->title : QString();
    const templates::SessionTemplate *sessionTemplate = spec.sessionTemplate ? &*spec.sessionTemplate : nullptr;
    // The gain request for these stems (per-track targets in their order).
    auto requestFor = [&](const std::vector<const Item *> &stems) {
        std::vector<std::optional<int>> trackIndices;
        for (const Item *item : stems)
            trackIndices.push_back(item->trackIndex);
        return gainRequestFor({spec.gainMode, spec.measure, spec.targetDb, spec.ceilingDbtp}, sessionTemplate, trackIndices);
    };
    std::vector<const Item *> everyItem;
    for (const Item &item : items)
        everyItem.push_back(&item);
    const gain::GainRequest streamRequest = requestFor(everyItem);  // streaming: no reference, nothing skipped
    // Every stem is metered as placed (with the file's silence around it, on the file's 100 ms grid): the gain's
    // RMS and loudness, and the bext v2 loudness fields, describe the delivered file whatever the gain measures.
    const bool placedLevels = true;
    RenderContext context{&spec, {}, result.title, QDateTime::currentDateTime(), work};

    // Streaming needs each stem's gain to be known from the stem alone: its own in peak, rms and lufs; 0 dB in
    // none unless the ceiling lowers the common gain (checked once all are measured; balanced needs every stem).
    // And no reference (the null test reads work files), and the timeline from the headers; and no mono folding
    // (a dual-mono stem is known only once read, and its entry was reserved for two channels).
    ZipEntries entries;
    entries.zipPath = guard.zip;
    std::unique_ptr<Streamed> streamed;
    const bool perStemGain = spec.gainMode != gain::GainMode::Balanced;
    QList<audit::StemSource> sources;
    for (const Item &item : items)
        sources << item.source;
    std::vector<MeasuredStem> expected;
    const std::optional<Timeline> early = mayStream && perStemGain && spec.referencePath.isEmpty() && !spec.monoDualMono
        ? earlyTimeline(spec, sources, cachePaths, &expected) : std::nullopt;

    if (early) {
        streamed = std::make_unique<Streamed>(items.size());
        streamed->expected = std::move(expected);
        // Probed with the gain expected (0 dB in none, some gain in the others: the dither it implies is in the
        // coding history); a stem whose gain says otherwise is caught below.
        const double expectedGainDb = spec.gainMode == gain::GainMode::None ? 0.0 : 1.0;
        std::vector<EntryPlan> plans;
        for (std::size_t i = 0; i < items.size(); ++i)
            plans.push_back({&streamed->expected[i], items[i].file, expectedGainDb});
        context.timeline = *early;
        bool fits = false;
        if (Status s = reserveZipEntries(context, plans, spec.forceZip64, &entries, &streamed->dither, &fits); !s)
            return s.error();
        if (!fits)
            return std::nullopt;
    }

    CancelToken stop;
    std::vector<std::atomic<double>> done(items.size());
    // The stem's own gain and its WAV, straight after measuring it; its cache goes at once.
    auto streamStem = [&](int i) {
        MeasuredStem &m = *items[std::size_t(i)].measured;
        const MeasuredStem &promised = streamed->expected[std::size_t(i)];
        if (m.frames != promised.frames || m.timelineStartFrame != promised.timelineStartFrame) {
            streamed->failed = true;
            return;
        }
        if (placedLevels) {
            auto placed = meterPlaced(m, m.timelineStartFrame - early->startFrame, early->lengthFrames, spec.sampleRateHz, stop);
            if (!placed) {
                streamed->errors[std::size_t(i)] = placed.error();
                stop.cancel();
                return;
            }
            adoptPlacedLevels(&m, *placed);
        }
        gain::GainRequest own = streamRequest;
        own.stemTargetsDb = {streamRequest.stemTargetsDb[std::size_t(i)]};
        const auto &l = m.levels;
        const double gainDb = gain::planGains({{l.samplePeakDbfs, l.truePeakDbtp, l.rmsDbfs, l.integratedLufs}}, own).stems[0].gainDb;
        // context.timeline is *early until pass 1 is over.
        const RenderJob job = renderJobFor(context, m, items[std::size_t(i)].file, gainDb, i);
        if (job.dither != streamed->dither[std::size_t(i)]) {
            streamed->failed = true;
            return;
        }
        const auto &slot = entries.slots[std::size_t(i)];
        auto digest = renderStemInto(job, entries.layouts[std::size_t(i)], slot.fd, slot.dataOffset, stop, &streamed->written[std::size_t(i)]);
        if (!digest) {
            streamed->errors[std::size_t(i)] = digest.error();
            stop.cancel();
            return;
        }
        streamed->gainsDb[std::size_t(i)] = gainDb;
        streamed->digests[std::size_t(i)] = *digest;
        streamed->written[std::size_t(i)] = 1.0;
        QFile::remove(m.cachePath);
    };

    // Pass 1: resample and measure every stem on the delivered signal (and, streaming, write it).
    runParallel(jobs, count, [&](int i) {
        Item &item = items[std::size_t(i)];
        auto m = measureStem(item.source, spec.sampleRateHz, cachePaths[i], stop, &done[std::size_t(i)]);
        if (m && spec.monoDualMono && !item.isReference && isDualMono(*m))
            if (Status folded = foldToMono(&*m, spec.sampleRateHz, stop); !folded)
                m = folded.error();
        if (m) {
            item.measured = std::move(*m);
            if (streamed && !streamed->failed)
                streamStem(i);
            return;
        }
        item.error = m.error();
        if (!(isUnreadable(m.error()) && spec.skipUnreadable && !item.isReference))
            stop.cancel();
        else if (streamed)
            streamed->failed = true;  // its reserved entry would stay empty
        done[std::size_t(i)] = 1.0;
    }, [&] { return streamed ? 0.45 * average(done) + 0.35 * average(streamed->written) : 0.45 * average(done); },
       [&](double f) { report(f, streamed ? QStringLiteral("writing") : QStringLiteral("measuring")); }, cancel, stop);
    if (cancel.cancelled())
        return cancelledJob(spec);
    if (streamed) {
        for (const auto &e : streamed->errors)
            if (e && e->code != QLatin1String("cancelled"))
                return *e;
    }

    std::vector<Item *> stems;
    for (Item &item : items) {
        if (item.error && item.error->code != QLatin1String("cancelled")) {
            if (!(isUnreadable(*item.error) && spec.skipUnreadable && !item.isReference))
                return Error{item.source.displayPath, item.error->what, item.error->code};
            result.skipped.append({item.source.displayPath, item.error->what});
        } else if (!item.isReference && item.measured) {
            stems.push_back(&item);
        }
    }
    for (const Item &item : items)
        if (item.error && item.error->code == QLatin1String("cancelled"))
            return Error{spec.outputPath, QStringLiteral("stopped after an earlier failure"), {}};
    if (stems.empty())
        return Error{spec.outputPath, QStringLiteral("no readable stems to deliver"), QStringLiteral("unreadable")};
    if (streamed && streamed->failed)
        return std::nullopt;
    Item *reference = spec.referencePath.isEmpty() ? nullptr : &items.back();

    // The timeline: bar one, preroll for sound before it, whole bars to the end of the longest stem plus tail.
    TimelineInput tin = timelineInput(spec);
    for (Item &item : items) {
        if (!item.measured)
            continue;
        const MeasuredStem &m = *item.measured;
        if (m.levels.firstActiveFrame >= 0) {
            const std::int64_t sound = m.timelineStartFrame + m.levels.firstActiveFrame;
            tin.earliestSoundFrame = tin.earliestSoundFrame ? std::min(*tin.earliestSoundFrame, sound) : sound;
        }
        tin.latestEndFrame = std::max(tin.latestEndFrame, m.timelineStartFrame + m.frames);
    }
    result.timeline = planTimeline(tin);
    context.timeline = result.timeline;
    if (streamed && !sameTimeline(*early, result.timeline))
        return std::nullopt;

    // Gains, from the levels of the resampled signal. RMS and loudness as the delivered files will measure them:
    // with the timeline's silence around the stem (streaming measured them so already).
    if (placedLevels && !streamed) {
        std::vector<std::atomic<double>> placedDone(stems.size());
        std::vector<std::optional<Error>> placedErrors(stems.size());
        runParallel(jobs, int(stems.size()), [&](int i) {
            MeasuredStem &m = *stems[std::size_t(i)]->measured;
            auto placed = meterPlaced(m, m.timelineStartFrame - result.timeline.startFrame, result.timeline.lengthFrames,
                                      spec.sampleRateHz, stop);
            if (placed) {
                adoptPlacedLevels(&m, *placed);
            } else {
                placedErrors[std::size_t(i)] = placed.error();
            }
            placedDone[std::size_t(i)] = 1.0;
        }, [&] { return average(placedDone); }, [&](double f) { report(0.45 + 0.05 * f, QStringLiteral("measuring")); }, cancel, stop);
        if (cancel.cancelled())
            return cancelledJob(spec);
        for (const auto &e : placedErrors)
            if (e)
                return *e;
    }
    std::vector<gain::StemLevels> levels;
    for (Item *s : stems) {
        const auto &l = s->measured->levels;
        levels.push_back({l.samplePeakDbfs, l.truePeakDbtp, l.rmsDbfs, l.integratedLufs});
    }
    const gain::GainRequest request = requestFor(std::vector<const Item *>(stems.begin(), stems.end()));
    const gain::GainPlan plan = gain::planGains(levels, request);
    result.gainMode = spec.gainMode;
    result.targetDb = request.targetDb;
    result.ceilingDbtp = request.ceilingDbtp;
    const double referenceGainDb = plan.commonGainDb.value_or(0.0);
    if (streamed)
        for (std::size_t i = 0; i < stems.size(); ++i)
            if (plan.stems[i].gainDb != streamed->gainsDb[i])
                return std::nullopt;  // none: a stem over the ceiling lowered the common gain of all

    // Pass 2: place, gain, dither, write (done already when streaming). Straight into the zip entries when nothing
    // needs the WAVs as files (the null test reads them) and each is a plain RIFF (under 4 GiB): no work WAV, no
    // copy, no read-back. Otherwise work files, hashed, then copied in.
    std::vector<Item *> renders(stems);
    if (reference)
        renders.push_back(reference);
    std::vector<FileDigest> digests(renders.size());
    auto gainOf = [&](std::size_t i) { return renders[i]->isReference ? referenceGainDb : plan.stems[i].gainDb; };
    bool direct = reference == nullptr;
    if (streamed) {
        digests = streamed->digests;
        result.streamed = true;
    } else {
        if (direct) {
            std::vector<EntryPlan> plans;
            for (std::size_t i = 0; i < renders.size(); ++i)
                plans.push_back({&*renders[i]->measured, renders[i]->file, gainOf(i)});
            if (Status s = reserveZipEntries(context, plans, spec.forceZip64, &entries, nullptr, &direct); !s)
                return s.error();
        }
        std::vector<std::atomic<double>> written(renders.size());
        std::vector<std::optional<Error>> renderErrors(renders.size());
        runParallel(jobs, int(renders.size()), [&](int i) {
            const MeasuredStem &m = *renders[std::size_t(i)]->measured;
            const RenderJob job = renderJobFor(context, m, renders[std::size_t(i)]->file, gainOf(std::size_t(i)), i);
            if (auto digest = renderFile(job, entries, std::size_t(i), stop, &written[std::size_t(i)]); digest) {
                digests[std::size_t(i)] = *digest;
            } else {
                renderErrors[std::size_t(i)] = digest.error();
                stop.cancel();
            }
            written[std::size_t(i)] = 1.0;
            QFile::remove(m.cachePath);
        }, [&] { return average(written); }, [&](double f) { report(0.5 + 0.3 * f, QStringLiteral("writing")); }, cancel, stop);
        if (cancel.cancelled())
            return cancelledJob(spec);
        for (const auto &e : renderErrors)
            if (e && e->code != QLatin1String("cancelled"))
                return *e;
        for (const auto &e : renderErrors)
            if (e)
                return *e;
    }
    for (std::size_t i = 0; i < stems.size(); ++i)
        result.stems.append(deliveredStemFor(*stems[i]->measured, plan.stems[i], stems[i]->file, stems[i]->source.displayPath,
                                             result.timeline.lengthFrames));
    if (reference) {
        DeliveredReference r;
        r.file = reference->file;
        r.source = reference->source.displayPath;
        r.gainDb = referenceGainDb;
        QStringList files;
        for (const Item *s : stems)
            files << work.filePath(s->file);
        report(0.8, QStringLiteral("null test"));
        auto residual = nullResidualDbfs(files, work.filePath(reference->file), cancel);
        if (!residual)
            return residual.error();
        r.nullResidualDbfs = *residual;
        result.reference = r;
    }

    // The zip: WAVs, NOTES.txt, manifest.json (last, with every file's SHA-256); verified, renamed over OUT.
    std::vector<DeliveredFile> files;
    for (std::size_t i = 0; i < renders.size(); ++i)
        files.push_back({renders[i]->file, direct ? QString() : work.filePath(renders[i]->file), digests[i]});
    if (Status s = completeDelivery(spec, result, files, entries, jobs, report, cancel); !s)
        return s.error();
    guard.zip.clear();
    report(1.0, QStringLiteral("done"));
    return result;
}

}  // namespace

Result<DeliveryResult> packageStems(const DeliverySpec &spec, const PackageProgress &progress, const CancelToken &cancel)
{
    if (spec.outputPath.isEmpty())
        return usage(QStringLiteral("no output path"));
    if (spec.sources.isEmpty())
        return usage(QStringLiteral("no stems to package"));
    if (spec.bitDepth != 16 && spec.bitDepth != 24 && spec.bitDepth != 32)
        return usage(QStringLiteral("bit depth must be 16, 24 or 32, not %1").arg(spec.bitDepth));
    if (spec.sampleRateHz < 8000 || spec.sampleRateHz > 384000)
        return usage(QStringLiteral("sample rate %1 Hz is out of range").arg(spec.sampleRateHz));
    if (!(spec.tempoBpm > 0.0 && spec.tempoBpm < 1000.0) || spec.beatsPerBar < 1 || spec.beatUnit < 1)
        return usage(QStringLiteral("tempo and time signature must be positive"));
    const QFileInfo outInfo(spec.outputPath);
    if (!outInfo.absoluteDir().exists())
        return usage(spec.outputPath + QStringLiteral(": folder does not exist"));
    io::removeStaleTemps(spec.outputPath);
    if (auto streamed = package(spec, progress, cancel, spec.allowStreaming))
        return *streamed;
    return *package(spec, progress, cancel, false);
}

}  // namespace stemship::delivery
