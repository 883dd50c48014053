#pragma once

// What every stage of a delivery runs in: the spec, the progress report, the user's cancel and the workers' stop
// (the user's cancel, or a failure in another worker), and the work folder beside OUT. The stages' data is
// handed from one to the next as values (packager.cpp); this is only their surroundings.

#include "delivery/deliveryspec.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/progress.h"

#include <QDir>
#include <QString>

#include <atomic>
#include <functional>
#include <optional>
#include <vector>

namespace stemship::delivery {

using PackageProgress = ProgressFn;  // util/progress.h: the one convention

struct DeliveryJob {
    const DeliverySpec &spec;
    PackageProgress progress;
    const CancelToken &cancel;  // the user's
    CancelToken stop;           // the workers': set on the user's cancel or on a failure
    QDir work;                  // work files and float caches, removed with the job
    std::optional<Error> failure;  // a worker threw or could not start (util::parallelFor): the job fails with it

    void report(double fraction, const QString &stage) const;
    Error cancelled() const;
    // Runs fn(i) for i in [0, n) on the spec's threads; reports fraction() mapped onto [from, from + span] under
    // `stage` while they run, and forwards the user's cancel to stop. A worker failure is kept in `failure` (the
    // first one) and stops the others; each stage checks it after its workers.
    void runParallel(int n, const std::function<void(int)> &fn, const std::function<double()> &fraction, double from,
                     double span, const std::function<QString()> &stage);
};

// The mean of per-worker fractions (1 when there are none).
double averageOf(const std::vector<std::atomic<double>> &done);

}  // namespace stemship::delivery
