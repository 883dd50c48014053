#pragma once

// `stemship package`: aligns, normalises and delivers stems as a verified zip (CLI-CONTRACT `package`).

#include "delivery/deliveryjob.h"
#include "delivery/deliveryspec.h"
#include "util/cancel.h"
#include "util/error.h"

#include <QString>

#include <functional>

namespace stemship::delivery {

// Where later features plug into the stages (packager.cpp); every hook is optional.
struct DeliveryHooks {
    // Once every WAV is rendered and the result holds the stems' figures, before the zip is assembled: may add
    // files to result.extraFiles (written at the zip's root, before NOTES.txt and manifest.json).
    std::function<Status(DeliveryResult &)> beforeAssembly;
    // Once the zip is assembled and verified, before it replaces OUT: a last check of the delivered set; an error
    // leaves OUT as it was.
    std::function<Status(const DeliveryResult &)> beforeCommit;
};

// Runs the whole job in stages: collect the sources, plan the timeline, measure (pass 1, parallel, at the
// delivery rate, placed on the timeline), plan the gains, render the WAVs into their sinks (pass 2, parallel),
// assemble the zip under a temporary name beside OUT and verify it, commit it over OUT. On any failure or cancel
// nothing is left beside OUT but what was there before. progress is called on the calling thread. Errors with
// code "usage" are the caller's mistakes (bad spec), others are job failures; an unreadable source has code
// "unreadable" and names the file.
Result<DeliveryResult> packageStems(const DeliverySpec &spec, const PackageProgress &progress, const CancelToken &cancel,
                                    const DeliveryHooks &hooks = {});

}  // namespace stemship::delivery
