#pragma once

// Runs independent jobs (stems) on a bounded set of std::threads while the calling thread polls for progress.
// Plain threads rather than QThreadPool: their creation and join are synchronisation ThreadSanitizer can see
// (Qt's pool hands work over through futexes inside an uninstrumented libQt6Core), so the tsan run checks
// our code, not Qt's.

#include "util/error.h"

#include <functional>

namespace stemship {

// Calls job(i) for every i in [0, count) on at most `threads` worker threads (0 = all cores), each index once.
// While they run, the calling thread calls poll() about every pollMilliseconds; it returns when all are done.
// A job that throws, or a worker thread that cannot be started, stops the handing out of further indices; the
// started workers are joined and the first such failure is returned as an error (no exception crosses threads).
[[nodiscard]] Status parallelFor(int count, int threads, const std::function<void(int)> &job,
                                 const std::function<void()> &poll = {}, int pollMilliseconds = 50);

}  // namespace stemship
