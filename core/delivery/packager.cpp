#include "delivery/packager.h"

#include "delivery/deliveryzip.h"
#include "delivery/filedigest.h"
#include "delivery/gainrequest.h"
#include "delivery/manifest.h"
#include "delivery/notes.h"
#include "delivery/nulltest.h"
#include "delivery/stemnames.h"
#include "delivery/stemrender.h"
#include "delivery/verifier.h"
#include "gain/dither.h"
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

// Runs fn(i) for i in [0, n) on `jobs` threads; polls progress on the calling thread; forwards cancel to stop.
void runParallel(int jobs, int n, const std::function<void(int)> &fn, std::vector<std::atomic<double>> &done,
                 const std::function<void(double)> &report, const CancelToken &cancel, CancelToken &stop)
{
    auto poll = [&] {
        double sum = 0.0;
        for (int i = 0; i < n; ++i)
            sum += done[std::size_t(i)].load(std::memory_order_relaxed);
        report(n > 0 ? sum / n : 1.0);
        if (cancel.cancelled())
            stop.cancel();
    };
    parallelFor(n, jobs, fn, poll, 40);
    poll();
}

}  // namespace

Result<DeliveryResult> packageStems(const DeliverySpec &spec, const PackageProgress &progress, const CancelToken &cancel)
{
    auto report = [&](double fraction, const QString &stage) {
        if (progress)
            progress(std::clamp(fraction, 0.0, 1.0), stage);
    };
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
    CancelToken stop;
    std::vector<std::atomic<double>> done(items.size());

    // Pass 1: resample and measure every stem on the delivered signal.
    runParallel(jobs, count, [&](int i) {
        Item &item = items[std::size_t(i)];
        auto m = measureStem(item.source, spec.sampleRateHz, work.filePath(QStringLiteral("%1.f32").arg(i)), stop, &done[std::size_t(i)]);
        if (m) {
            item.measured = std::move(*m);
            return;
        }
        item.error = m.error();
        const bool unreadable = m.error().code == QLatin1String("unreadable") || m.error().code == QLatin1String("unsupported_format");
        if (!(unreadable && spec.skipUnreadable && !item.isReference))
            stop.cancel();
        done[std::size_t(i)] = 1.0;
    }, done, [&](double f) { report(0.45 * f, QStringLiteral("measuring")); }, cancel, stop);
    if (cancel.cancelled())
        return Error{spec.outputPath, QStringLiteral("cancelled"), QStringLiteral("cancelled")};

    DeliveryResult result;
    std::vector<Item *> stems;
    for (Item &item : items) {
        if (item.error && item.error->code != QLatin1String("cancelled")) {
            const bool unreadable = item.error->code == QLatin1String("unreadable") || item.error->code == QLatin1String("unsupported_format");
            if (!(unreadable && spec.skipUnreadable && !item.isReference))
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
    Item *reference = spec.referencePath.isEmpty() ? nullptr : &items.back();

    // The timeline: bar one, preroll for sound before it, whole bars to the end of the longest stem plus tail.
    TimelineInput tin;
    tin.tempoBpm = spec.tempoBpm;
    tin.beatsPerBar = spec.beatsPerBar;
    tin.beatUnit = spec.beatUnit;
    tin.barOneSeconds = spec.barOneSeconds;
    tin.sampleRateHz = spec.sampleRateHz;
    tin.tailSeconds = spec.tailSeconds;
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
    result.outputPath = spec.outputPath;
    result.title = !spec.title.isEmpty() ? spec.title : spec.sessionTemplate ? spec.sessionTemplate->title : QString();

    // Gains, from the levels of the resampled signal.
    const templates::SessionTemplate *sessionTemplate = spec.sessionTemplate ? &*spec.sessionTemplate : nullptr;
    std::vector<std::optional<int>> trackIndices;
    for (const Item *s : stems)
        trackIndices.push_back(s->trackIndex);
    const gain::GainRequest request = gainRequestFor({spec.gainMode, spec.measure, spec.targetDb, spec.ceilingDbtp},
                                                     sessionTemplate, trackIndices);
    // RMS and loudness as the delivered files will measure them: with the timeline's silence around the stem.
    if (targetMeasure(spec.gainMode, spec.measure) != gain::Measure::Peak) {
        std::vector<std::atomic<double>> placedDone(stems.size());
        std::vector<std::optional<Error>> placedErrors(stems.size());
        runParallel(jobs, int(stems.size()), [&](int i) {
            MeasuredStem &m = *stems[std::size_t(i)]->measured;
            auto placed = meterPlaced(m, m.timelineStartFrame - result.timeline.startFrame, result.timeline.lengthFrames,
                                      spec.sampleRateHz, stop);
            if (placed) {
                m.levels.rmsDbfs = placed->rmsDbfs;
                m.levels.integratedLufs = placed->integratedLufs;
            } else {
                placedErrors[std::size_t(i)] = placed.error();
            }
            placedDone[std::size_t(i)] = 1.0;
        }, placedDone, [&](double f) { report(0.45 + 0.05 * f, QStringLiteral("measuring")); }, cancel, stop);
        if (cancel.cancelled())
            return Error{spec.outputPath, QStringLiteral("cancelled"), QStringLiteral("cancelled")};
        for (const auto &e : placedErrors)
            if (e)
                return *e;
    }
    std::vector<gain::StemLevels> levels;
    for (Item *s : stems) {
        const auto &l = s->measured->levels;
        levels.push_back({l.samplePeakDbfs, l.truePeakDbtp, l.rmsDbfs, l.integratedLufs});
    }
    const gain::GainPlan plan = gain::planGains(levels, request);
    result.gainMode = spec.gainMode;
    result.targetDb = request.targetDb;
    result.ceilingDbtp = request.ceilingDbtp;
    const double referenceGainDb = plan.commonGainDb.value_or(0.0);

    // Pass 2: place, gain, dither, write.
    std::vector<Item *> renders(stems);
    if (reference)
        renders.push_back(reference);
    std::vector<std::atomic<double>> written(renders.size());
    std::vector<std::optional<Error>> renderErrors(renders.size());
    std::vector<FileDigest> digests(renders.size());
    const io::SampleEncoding encoding = *io::pcmEncodingForBits(spec.bitDepth);
    const QDateTime originated = QDateTime::currentDateTime();  // one bext time for every file, before the workers
    auto makeJob = [&](int i) {
        const Item &item = *renders[std::size_t(i)];
        const MeasuredStem &m = *item.measured;
        const double gainDb = item.isReference ? referenceGainDb : plan.stems[std::size_t(i)].gainDb;
        RenderJob job;
        job.cachePath = m.cachePath;
        job.channels = m.channels;
        job.stemFrames = m.frames;
        job.offsetFrames = m.timelineStartFrame - result.timeline.startFrame;
        job.lengthFrames = result.timeline.lengthFrames;
        job.gainDb = gainDb;
        job.dither = gain::needsDither(spec.bitDepth, false, m.info.isFloat, m.info.bitDepth.value_or(32), m.resampled || gainDb != 0.0);
        job.ditherSeed = spec.ditherSeed + std::uint64_t(i) * 0x9e3779b97f4a7c15ULL;
        job.output.path = work.filePath(item.file);
        job.output.sampleRateHz = spec.sampleRateHz;
        job.output.channels = m.channels;
        job.output.encoding = encoding;
        job.output.syncToDisk = false;  // a work file: its bytes are checked and copied into the zip, then removed
        const QString stemName = QFileInfo(item.file).completeBaseName();
        job.output.bext.description = (result.title.isEmpty() ? stemName : result.title + QStringLiteral(" - ") + stemName).left(256);
        job.output.bext.originator = QStringLiteral("Stemship");
        job.output.bext.originated = originated;
        job.output.bext.originatorReference = spec.version.left(32);
        job.output.bext.timeReferenceSamples = result.timeline.timeReferenceSamples();
        job.output.bext.codingHistory = QStringLiteral("A=PCM,F=%1,W=%2,M=%3,T=Stemship %4%5")
            .arg(spec.sampleRateHz).arg(spec.bitDepth).arg(m.channels == 1 ? QStringLiteral("mono") : m.channels == 2 ? QStringLiteral("stereo") : QStringLiteral("multichannel"))
            .arg(QStringLiteral(STEMSHIP_VERSION), job.dither ? QStringLiteral(";TPDF dither") : QString());
        job.output.tags.title = stemName;
        job.output.tags.tempoBpm = spec.tempoBpm;
        job.output.tags.version = spec.version;
        job.output.tags.comment = (result.title.isEmpty() ? QString() : result.title + QLatin1Char(' ')) + QStringLiteral("version ") + spec.version;
        return job;
    };

    // Straight into the zip entries when nothing needs the WAVs as files (the null test reads them) and each is a
    // plain RIFF (under 4 GiB): no work WAV, no copy, no read-back. Otherwise work files, hashed, then copied in.
    DeliveryZipWriter zip;
    std::vector<WavLayout> layouts;
    std::vector<DeliveryZipWriter::Reserved> slots;
    bool direct = reference == nullptr;
    std::uint64_t directBytes = 0;
    for (int i = 0; direct && i < int(renders.size()); ++i) {
        RenderJob job = makeJob(i);
        job.output.path = work.filePath(QStringLiteral(".probe-%1.wav").arg(i));
        auto layout = probeWavLayout(job.output, job.lengthFrames);
        if (!layout)
            return layout.error();
        direct = layout->bytes(job.lengthFrames) - 8 <= 0xffffffffull;
        directBytes += layout->bytes(job.lengthFrames);
        layouts.push_back(*layout);
    }
    if (direct) {
        // Zip64 before the 4 GiB limits of the classic format are near (APPNOTE §4.4.8).
        if (Status s = zip.open(guard.zip, spec.forceZip64 || directBytes > 0xF0000000ull); !s)
            return s.error();
        for (std::size_t i = 0; i < renders.size(); ++i)
            slots.push_back(zip.reserve(renders[i]->file, layouts[i].bytes(result.timeline.lengthFrames)));
        if (Status s = zip.preallocate(); !s)
            return s.error();
    }
    runParallel(jobs, int(renders.size()), [&](int i) {
        const MeasuredStem &m = *renders[std::size_t(i)]->measured;
        const RenderJob job = makeJob(i);
        if (direct) {
            const auto &slot = slots[std::size_t(i)];
            if (auto digest = renderStemInto(job, layouts[std::size_t(i)], slot.fd, slot.dataOffset, stop, &written[std::size_t(i)]); digest) {
                digests[std::size_t(i)] = *digest;
            } else {
                renderErrors[std::size_t(i)] = digest.error();
                stop.cancel();
            }
        } else if (Status s = renderStem(job, stop, &written[std::size_t(i)]); !s) {
            renderErrors[std::size_t(i)] = s.error();
            stop.cancel();
        } else if (auto digest = digestFile(job.output.path, stop); digest) {
            // SHA-256 and the zip's CRC-32 here, in parallel, in one read, rather than in the sequential zip copy.
            digests[std::size_t(i)] = *digest;
        } else {
            renderErrors[std::size_t(i)] = digest.error();
            stop.cancel();
        }
        written[std::size_t(i)] = 1.0;
        QFile::remove(m.cachePath);
    }, written, [&](double f) { report(0.5 + 0.3 * f, QStringLiteral("writing")); }, cancel, stop);
    if (cancel.cancelled())
        return Error{spec.outputPath, QStringLiteral("cancelled"), QStringLiteral("cancelled")};
    for (const auto &e : renderErrors)
        if (e && e->code != QLatin1String("cancelled"))
            return *e;
    for (const auto &e : renderErrors)
        if (e)
            return *e;

    for (std::size_t i = 0; i < stems.size(); ++i) {
        const Item &item = *stems[i];
        const auto &l = item.measured->levels;
        const gain::StemGain &g = plan.stems[i];
        DeliveredStem d;
        d.file = item.file;
        d.source = item.source.displayPath;
        d.frames = result.timeline.lengthFrames;
        d.channels = item.measured->channels;
        d.gainDb = g.gainDb;
        d.limitedByCeiling = g.limitedByCeiling;
        d.silent = g.silent;
        d.note = QString::fromStdString(g.note);
        d.samplePeakDbfs = l.samplePeakDbfs + g.gainDb;
        d.truePeakDbtp = l.truePeakDbtp + g.gainDb;
        d.rmsDbfs = l.rmsDbfs + g.gainDb;
        d.integratedLufs = l.integratedLufs + g.gainDb;
        result.stems.append(d);
    }
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

    // The zip: WAVs, NOTES.txt, manifest.json (last, with every file's SHA-256).
    report(0.85, QStringLiteral("zipping"));
    std::uint64_t totalBytes = 0;
    QList<DeliveryZipWriter::File> files;
    for (std::size_t i = 0; i < renders.size(); ++i) {
        const Item &item = *renders[i];
        totalBytes += digests[i].bytes;
        if (!direct)
            files.append({item.file, work.filePath(item.file), digests[i]});
        if (item.isReference)
            result.reference->sha256 = digests[i].sha256;
        else
            result.stems[qsizetype(i)].sha256 = digests[i].sha256;
    }
    if (direct) {
        for (std::size_t i = 0; i < renders.size(); ++i)
            if (Status s = zip.commitReserved(slots[i].index, digests[i]); !s)
                return s.error();
    } else {
        // Zip64 before the 4 GiB limits of the classic format are near (APPNOTE §4.4.8).
        if (Status s = zip.open(guard.zip, spec.forceZip64 || totalBytes > 0xF0000000ull); !s)
            return s.error();
        if (Status added = zip.addFiles(files, jobs, cancel); !added)
            return added.error();
    }
    report(0.95, QStringLiteral("zipping"));
    result.notes = notesText(result, spec);
    result.manifestJson = manifestJson(result, spec);
    if (Status s = zip.addData(QStringLiteral("NOTES.txt"), result.notes.toUtf8()); !s)
        return s.error();
    if (Status s = zip.addData(QStringLiteral("manifest.json"), result.manifestJson); !s)
        return s.error();
    if (Status s = zip.close(); !s)
        return s.error();
    if (cancel.cancelled())
        return Error{spec.outputPath, QStringLiteral("cancelled"), QStringLiteral("cancelled")};

    report(0.95, QStringLiteral("verifying"));
    const VerifyReport verified = verifyDelivery(guard.zip, &cancel, false);
    if (cancel.cancelled())
        return Error{spec.outputPath, QStringLiteral("cancelled"), QStringLiteral("cancelled")};
    if (!verified.ok)
        return Error{spec.outputPath, QStringLiteral("the written zip does not verify: ") + verified.problems.value(0).line(), {}};
    if (Status s = io::commitRename(guard.zip, spec.outputPath); !s)
        return s.error();
    guard.zip.clear();
    report(1.0, QStringLiteral("done"));
    return result;
}

}  // namespace stemship::delivery
