#pragma once

#include <atomic>

namespace stemship {

// Shared cancellation flag: set by Ctrl-C in the CLI or the Cancel button in the GUI, polled by jobs per block.
class CancelToken {
public:
    void cancel() noexcept { m_cancelled.store(true, std::memory_order_relaxed); }
    bool cancelled() const noexcept { return m_cancelled.load(std::memory_order_relaxed); }
    void reset() noexcept { m_cancelled.store(false, std::memory_order_relaxed); }

private:
    std::atomic<bool> m_cancelled{false};
};

}  // namespace stemship
