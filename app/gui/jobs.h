#pragma once

// Offline work (audit, delivery) on a thread pool through QPromise: progress in 0..1000, cancellation through
// a shared CancelToken that the core polls per block. The GUI watches the QFuture; it never blocks on it.

#include "util/cancel.h"
#include "util/progress.h"

#include <QFuture>
#include <QPromise>
#include <QThreadPool>
#include <QtConcurrent>

#include <algorithm>
#include <functional>
#include <memory>

namespace stemship::gui {

inline constexpr int kProgressRange = 1000;

using ProgressSink = ProgressFn;  // core's one convention (util/progress.h)

// Runs work(progress, cancel) on pool; the result is the future's one result.
template <typename T>
QFuture<T> startJob(QThreadPool *pool, std::shared_ptr<CancelToken> cancel,
                    std::function<T(const ProgressSink &, const CancelToken &)> work)
{
    return QtConcurrent::run(pool, [cancel, work = std::move(work)](QPromise<T> &promise) {
        promise.setProgressRange(0, kProgressRange);
        const ProgressSink progress = [&promise](double fraction, const QString &detail) {
            promise.setProgressValueAndText(int(std::clamp(fraction, 0.0, 1.0) * kProgressRange), detail);
        };
        promise.addResult(work(progress, *cancel));
    });
}

}  // namespace stemship::gui
