#pragma once

// `stemship package`: aligns, normalises and delivers stems as a verified zip (CLI-CONTRACT `package`).

#include "delivery/deliveryspec.h"
#include "util/cancel.h"
#include "util/error.h"

#include <QString>

#include <functional>

namespace stemship::delivery {

using PackageProgress = std::function<void(double fraction, const QString &stage)>;

// Runs the whole job: measure (pass 1, parallel), plan the timeline and gains, write the WAVs (pass 2,
// parallel), null test, zip (stored) under a temporary name beside OUT, verify it, rename it over OUT.
// On any failure or cancel nothing is left beside OUT but what was there before. progress is called on the
// calling thread. Errors with code "usage" are the caller's mistakes (bad spec), others are job failures;
// an unreadable source has code "unreadable" and names the file.
Result<DeliveryResult> packageStems(const DeliverySpec &spec, const PackageProgress &progress, const CancelToken &cancel);

}  // namespace stemship::delivery
