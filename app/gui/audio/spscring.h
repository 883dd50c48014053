#pragma once

// Lock-free single-producer single-consumer ring of trivially copyable values (Mixxx's FIFO idea):
// the file-reading worker writes, the audio callback reads. Storage is allocated once, in the constructor.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <vector>

namespace stemship::gui {

template <typename T>
class SpscRing {
    static_assert(std::is_trivially_copyable_v<T>);

public:
    // Capacity is rounded up to a power of two so indices wrap with a mask.
    explicit SpscRing(std::size_t minimumCapacity)
    {
        std::size_t capacity = 1;
        while (capacity < minimumCapacity)
            capacity <<= 1;
        m_buffer.resize(capacity);
        m_mask = capacity - 1;
    }
    SpscRing(const SpscRing &) = delete;
    SpscRing &operator=(const SpscRing &) = delete;

    std::size_t capacity() const noexcept { return m_buffer.size(); }

    // Producer side.
    std::size_t writeAvailable() const noexcept
    {
        const auto head = m_head.load(std::memory_order_relaxed);
        const auto tail = m_tail.load(std::memory_order_acquire);
        return capacity() - (head - tail);
    }
    std::size_t write(const T *data, std::size_t count) noexcept
    {
        const auto head = m_head.load(std::memory_order_relaxed);
        const auto tail = m_tail.load(std::memory_order_acquire);
        count = std::min(count, capacity() - (head - tail));
        const std::size_t start = head & m_mask;
        const std::size_t first = std::min(count, capacity() - start);
        std::memcpy(m_buffer.data() + start, data, first * sizeof(T));
        std::memcpy(m_buffer.data(), data + first, (count - first) * sizeof(T));
        m_head.store(head + count, std::memory_order_release);
        return count;
    }

    // Consumer side (the audio callback).
    std::size_t readAvailable() const noexcept
    {
        const auto head = m_head.load(std::memory_order_acquire);
        const auto tail = m_tail.load(std::memory_order_relaxed);
        return head - tail;
    }
    std::size_t read(T *out, std::size_t count) noexcept
    {
        const auto head = m_head.load(std::memory_order_acquire);
        const auto tail = m_tail.load(std::memory_order_relaxed);
        count = std::min(count, head - tail);
        const std::size_t start = tail & m_mask;
        const std::size_t first = std::min(count, capacity() - start);
        std::memcpy(out, m_buffer.data() + start, first * sizeof(T));
        std::memcpy(out + first, m_buffer.data(), (count - first) * sizeof(T));
        m_tail.store(tail + count, std::memory_order_release);
        return count;
    }

private:
    std::vector<T> m_buffer;
    std::size_t m_mask = 0;
    // Separate cache lines so producer and consumer do not false-share their indices.
    alignas(64) std::atomic<std::size_t> m_head{0};  // total written
    alignas(64) std::atomic<std::size_t> m_tail{0};  // total read
};

}  // namespace stemship::gui
