#include "delivery/zipassembly.h"

#include "io/filedigest.h"
#include "delivery/manifest.h"
#include "delivery/notes.h"
#include "delivery/verifier.h"
#include "util/faultpoint.h"

namespace stemship::delivery {

Status reserveZipEntries(const RenderContext &context, const std::vector<EntryPlan> &plans, ZipEntries *entries,
                         std::vector<bool> *dither, bool *fits)
{
    *fits = false;
    std::uint64_t total = 0;
    std::vector<WavLayout> layouts;
    for (std::size_t i = 0; i < plans.size(); ++i) {
        RenderJob job = renderJobFor(context, *plans[i].stem, plans[i].file, plans[i].gainDb, int(i));
        if (dither)
            (*dither)[i] = job.dither;
        // The header bytes come from core/io, built in memory; a WAV over 4 GiB is RF64 and goes through a work file.
        auto layout = io::wavLayoutFor(job.output, job.lengthFrames);
        if (!layout)
            return layout.error();
        if (!layout->fitsRiff(job.lengthFrames))
            return {};
        total += layout->bytes(job.lengthFrames);
        layouts.push_back(*layout);
    }
    if (Status s = entries->zip.open(entries->zipPath, io::needsZip64(total)); !s)
        return s;
    for (std::size_t i = 0; i < plans.size(); ++i) {
        auto reserved = entries->zip.reserve(plans[i].file, layouts[i].bytes(context.timeline.lengthFrames));
        if (!reserved)
            return reserved.error();
        entries->slots.push_back(*reserved);
    }
    entries->layouts = std::move(layouts);
    *fits = true;
    return entries->zip.preallocate();
}

Result<io::FileDigest> renderFile(const RenderJob &job, const ZipEntries &entries, std::size_t index, const CancelToken &cancel,
                              std::atomic<double> *progress)
{
    if (!entries.slots.empty()) {
        io::OffsetWriter sink = entries.slots[index].writer;  // this thread's own copy: one writer per entry
        return renderStemInto(job, entries.layouts[index], sink, cancel, progress);
    }
    // A work file (some WAV is RF64): SHA-256 and the zip's CRC-32 taken as it is written, in parallel, rather
    // than in the sequential zip copy.
    return renderStem(job, cancel, progress);
}

namespace {

// Puts the WAVs into the zip and fills the results' SHA-256 fields from their digests.
Status addWavs(DeliveryJob &job, DeliveryResult &result, const std::vector<DeliveredFile> &files, ZipEntries &entries)
{
    const bool direct = !entries.slots.empty();
    std::uint64_t totalBytes = 0;
    QList<io::ZipWriter::File> copies;
    for (std::size_t i = 0; i < files.size(); ++i) {
        totalBytes += files[i].digest.bytes;
        if (!direct)
            copies.append({files[i].file, files[i].workPath, files[i].digest});
        if (qsizetype(i) < result.stems.size())
            result.stems[qsizetype(i)].sha256 = files[i].digest.sha256;
        else if (result.reference)
            result.reference->sha256 = files[i].digest.sha256;
    }
    if (direct) {
        for (std::size_t i = 0; i < files.size(); ++i)
            if (Status s = entries.zip.commitReserved(entries.slots[i].index, files[i].digest); !s)
                return s;
        return {};
    }
    if (Status s = entries.zip.open(entries.zipPath, io::needsZip64(totalBytes)); !s)
        return s;
    return entries.zip.addFiles(copies, job.spec.jobs, job.cancel);
}

}  // namespace

Status assembleDelivery(DeliveryJob &job, DeliveryResult &result, const std::vector<DeliveredFile> &files, ZipEntries &entries)
{
    faultPoint("zipping");
    job.report(0.85, QStringLiteral("zipping"));
    if (Status s = addWavs(job, result, files, entries); !s)
        return s;
    job.report(0.95, QStringLiteral("zipping"));
    // Extra files at the zip's root (session files...), before NOTES and the manifest that list them.
    for (const ExtraFile &extra : result.extraFiles)
        if (Status s = entries.zip.addData(extra.file, extra.data); !s)
            return s;
    result.notes = notesText(result, job.spec);
    result.manifestJson = manifestJson(result, job.spec);
    if (Status s = entries.zip.addData(QStringLiteral("NOTES.txt"), result.notes.toUtf8()); !s)
        return s;
    if (Status s = entries.zip.addData(QStringLiteral("manifest.json"), result.manifestJson); !s)
        return s;
    // The packager's own verify reads the zip (from the page cache) while the zip's fsync waits for the disk.
    VerifyReport verified;
    const Status closed = entries.zip.close([&] {
        if (job.cancel.cancelled())
            return;
        faultPoint("verifying");
        job.report(0.95, QStringLiteral("verifying"));
        verified = verifyDelivery(entries.zipPath, &job.cancel, false);
    });
    if (!closed)
        return closed;
    if (job.cancel.cancelled())
        return job.cancelled();
    if (!verified.ok)
        return Error{job.spec.outputPath, QStringLiteral("the written zip does not verify: ") + verified.problems.value(0).line(), {}};
    return {};
}

}  // namespace stemship::delivery
