#include "util/parallel.h"

#include "util/faultpoint.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace stemship {
namespace {

// The first failure of a job or a thread start; later ones are consequences of it.
class FirstFailure {
public:
    void record(const QString &what)
    {
        const std::lock_guard lock(m_mutex);
        if (!m_failed) {
            m_failed = true;
            m_what = what;
        }
    }
    Status status() const
    {
        const std::lock_guard lock(m_mutex);
        return m_failed ? Status(Error{{}, m_what, ErrorCode::Internal}) : Status();
    }

private:
    mutable std::mutex m_mutex;
    bool m_failed = false;
    QString m_what;
};

QString describe(const std::exception_ptr &e)
{
    try {
        std::rethrow_exception(e);
    } catch (const std::exception &ex) {
        return QString::fromLocal8Bit(ex.what());
    } catch (...) {
        return QStringLiteral("unknown exception");
    }
}

}  // namespace

Status parallelFor(int count, int threads, const std::function<void(int)> &job, const std::function<void()> &poll,
                   int pollMilliseconds)
{
    if (count <= 0)
        return {};
    const int hardware = std::max(1, int(std::thread::hardware_concurrency()));
    const int workers = std::clamp(threads > 0 ? threads : hardware, 1, count);
    std::atomic<int> next{0};
    // Workers still running, under `done` so that the last one wakes the polling thread at once: a stage's end is
    // not delayed by up to a poll period (two stages of a delivery lost ~40 ms each on a 2 s job).
    std::mutex done;
    std::condition_variable finished;
    int running = 0;
    FirstFailure failure;
    auto work = [&] {
        try {
            for (int i = next.fetch_add(1); i < count; i = next.fetch_add(1))
                job(i);
        } catch (...) {
            failure.record(QStringLiteral("a worker failed: ") + describe(std::current_exception()));
            next.store(count);  // hand out nothing more; the other workers finish their current index
        }
        const std::lock_guard lock(done);
        if (--running == 0)
            finished.notify_all();
    };
    std::vector<std::thread> pool;
    pool.reserve(std::size_t(workers));
    for (int w = 0; w < workers; ++w) {
        {
            const std::lock_guard lock(done);
            ++running;
        }
        try {
            faultPoint("thread_start");
            pool.emplace_back(work);
        } catch (...) {
            const std::lock_guard lock(done);
            --running;
            failure.record(QStringLiteral("cannot start a worker thread: ") + describe(std::current_exception()));
            next.store(count);
            break;
        }
    }
    for (std::unique_lock lock(done); running > 0;) {
        if (poll) {
            lock.unlock();
            poll();
            lock.lock();
        }
        finished.wait_for(lock, std::chrono::milliseconds(pollMilliseconds), [&] { return running == 0; });
    }
    for (std::thread &t : pool)
        t.join();
    return failure.status();
}

}  // namespace stemship
