#include "util/parallel.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace stemship {

void parallelFor(int count, int threads, const std::function<void(int)> &job, const std::function<void()> &poll,
                 int pollMilliseconds)
{
    if (count <= 0)
        return;
    const int hardware = std::max(1, int(std::thread::hardware_concurrency()));
    const int workers = std::clamp(threads > 0 ? threads : hardware, 1, count);
    std::atomic<int> next{0};
    std::atomic<int> running{workers};
    std::vector<std::thread> pool;
    pool.reserve(std::size_t(workers));
    for (int w = 0; w < workers; ++w)
        pool.emplace_back([&] {
            for (int i = next.fetch_add(1); i < count; i = next.fetch_add(1))
                job(i);
            running.fetch_sub(1, std::memory_order_release);
        });
    while (running.load(std::memory_order_acquire) > 0) {
        if (poll)
            poll();
        std::this_thread::sleep_for(std::chrono::milliseconds(pollMilliseconds));
    }
    for (std::thread &t : pool)
        t.join();
}

}  // namespace stemship
