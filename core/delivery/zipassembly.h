#pragma once

// Stage 6 of a delivery, assemble and verify: the delivery zip around its WAVs. Each WAV's entry is reserved
// before it is rendered straight into it (renderstage.h), or its work file is copied in; then any extra files,
// NOTES.txt and manifest.json; then the zip is read back and verified. Committing it is stage 7 (commitstage.h).

#include "delivery/deliveryjob.h"
#include "delivery/deliveryspec.h"
#include "io/zipwriter.h"
#include "delivery/renderjobs.h"
#include "delivery/stemrender.h"
#include "util/cancel.h"
#include "util/error.h"

#include <atomic>
#include <functional>
#include <vector>

namespace stemship::delivery {

struct ZipEntries {
    io::ZipWriter zip;
    QString zipPath;  // the temporary name beside OUT
    std::vector<WavLayout> layouts;
    std::vector<io::ZipWriter::Reserved> slots;
};

struct EntryPlan {
    const MeasuredStem *stem;
    QString file;
    double gainDb;
};

// Probes each WAV's layout (context.timeline must be set) and reserves its entry in the zip, opened at
// entries->zipPath, with its disk space. *fits is false (nothing opened) when a WAV needs RF64 (over 4 GiB): it
// then goes through a work file. dither, when given, gets each WAV's dither as probed.
Status reserveZipEntries(const RenderContext &context, const std::vector<EntryPlan> &plans, ZipEntries *entries,
                         std::vector<bool> *dither, bool *fits);

// Pass 2 of one WAV: straight into its reserved entry when the zip has them (index into them), else a work file
// (job.output.path), then hashed.
Result<io::FileDigest> renderFile(const RenderJob &job, const ZipEntries &entries, std::size_t index, const CancelToken &cancel,
                              std::atomic<double> *progress);

struct DeliveredFile {
    QString file;
    QString workPath;  // empty when rendered into its reserved entry
    io::FileDigest digest;
};

// Adds the WAVs (committing the reserved entries, or copying the work files in on the spec's threads), the extra
// files, NOTES.txt and manifest.json (from result, whose sha256 fields it fills: stems in order, then the
// reference), closes the zip at entries.zipPath and verifies it.
Status assembleDelivery(DeliveryJob &job, DeliveryResult &result, const std::vector<DeliveredFile> &files, ZipEntries &entries);

}  // namespace stemship::delivery
