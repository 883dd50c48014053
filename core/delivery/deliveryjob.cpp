#include "delivery/deliveryjob.h"

#include "util/parallel.h"

#include <algorithm>

namespace stemship::delivery {

void DeliveryJob::report(double fraction, const QString &stage) const
{
    if (progress)
        progress(std::clamp(fraction, 0.0, 1.0), stage);
}

Error DeliveryJob::cancelled() const { return Error::cancelled(spec.outputPath); }

void DeliveryJob::runParallel(int n, const std::function<void(int)> &fn, const std::function<double()> &fraction,
                              double from, double span, const std::function<QString()> &stage)
{
    auto poll = [&] {
        report(from + span * fraction(), stage());
        if (cancel.cancelled())
            stop.cancel();
    };
    const Status status = parallelFor(n, spec.jobs, fn, poll, 40);
    poll();
    if (!status && !failure) {
        failure = Error{spec.outputPath, status.error().what, status.error().code};
        stop.cancel();
    }
}

double averageOf(const std::vector<std::atomic<double>> &done)
{
    double sum = 0.0;
    for (const auto &d : done)
        sum += d.load(std::memory_order_relaxed);
    return done.empty() ? 1.0 : sum / double(done.size());
}

}  // namespace stemship::delivery
