// LoudnessMeter in the real-time thread: process() allocates nothing (counted by a replacement operator new and,
// outside sanitizer builds, malloc), and memory stays fixed on very long input. The audio-thread/GUI-thread test
// is in tst_loudnessmeter, which the tsan preset runs.

#include "testsignals.h"
#include "metersupport.h"

#include <metering/loudnessmeter.h>

#include <QTest>

#include <atomic>
#include <cstdlib>
#include <new>

using namespace stemship::metering;
using namespace stemship::test;

// Counting allocator: every global operator new (and, outside sanitizer builds, every malloc) made on a thread
// whose t_countAllocations is set is counted, so a test can prove process() allocates nothing.
namespace {
std::atomic<long> g_allocations{0};
thread_local bool t_countAllocations = false;
inline void noteAllocation()
{
    if (t_countAllocations)
        g_allocations.fetch_add(1, std::memory_order_relaxed);
}
void *allocate(std::size_t n)
{
    noteAllocation();
    if (void *p = std::malloc(n ? n : 1))
        return p;
    throw std::bad_alloc();
}
void *allocateAligned(std::size_t n, std::align_val_t align)
{
    noteAllocation();
    const auto a = std::size_t(align);
    if (void *p = std::aligned_alloc(a, (n + a - 1) / a * a))
        return p;
    throw std::bad_alloc();
}
}  // namespace

void *operator new(std::size_t n) { return allocate(n); }
void *operator new[](std::size_t n) { return allocate(n); }
void *operator new(std::size_t n, const std::nothrow_t &) noexcept { try { return allocate(n); } catch (...) { return nullptr; } }
void *operator new[](std::size_t n, const std::nothrow_t &) noexcept { try { return allocate(n); } catch (...) { return nullptr; } }
void *operator new(std::size_t n, std::align_val_t a) { return allocateAligned(n, a); }
void *operator new[](std::size_t n, std::align_val_t a) { return allocateAligned(n, a); }
void operator delete(void *p) noexcept { std::free(p); }
void operator delete[](void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t) noexcept { std::free(p); }
void operator delete(void *p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void *p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void *p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t, std::align_val_t) noexcept { std::free(p); }

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define STEMSHIP_COUNTS_MALLOC 1
extern "C" {
void *__libc_malloc(std::size_t);
void *__libc_calloc(std::size_t, std::size_t);
void *__libc_realloc(void *, std::size_t);
void __libc_free(void *);
void *malloc(std::size_t n) { noteAllocation(); return __libc_malloc(n); }
void *calloc(std::size_t n, std::size_t size) { noteAllocation(); return __libc_calloc(n, size); }
void *realloc(void *p, std::size_t n) { noteAllocation(); return __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }
}
#endif

namespace {

}  // namespace

class TestMeterRealtime : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void processAllocatesNothing();
    void veryLongInputKeepsMemoryFixed();
};

void TestMeterRealtime::processAllocatesNothing()
{
    // Dirty input on purpose: clipping runs, NaN and Inf, all block sizes, across many 100 ms steps.
    Signal s = programme(48000, 2, 20.0, 7, 0.0);
    for (std::size_t i = 1000; i < 1100; ++i)
        s.samples[i] = 1.0f;
    s.samples[5000] = NAN;
    s.samples[5001] = INFINITY;
    LoudnessMeter meter(configFor(s));

    g_allocations = 0;
    t_countAllocations = true;
    {
        void *probe = ::operator new(16);  // the counter is live
        ::operator delete(probe);
    }
    const long afterProbe = g_allocations.load();
    std::size_t done = 0;
    std::size_t block = 1;
    const auto frames = std::size_t(s.frames());
    while (done < frames) {
        const std::size_t n = std::min(block, frames - done);
        meter.process(s.samples.data() + done * 2, n);
        done += n;
        block = block * 3 % 9001 + 1;
        const LiveReadout r = meter.live();
        (void)r;
        (void)meter.momentaryLufs();
        meter.resetPeakHold();
    }
    t_countAllocations = false;
    QVERIFY(afterProbe >= 1);
    QCOMPARE(g_allocations.load(), afterProbe);
#ifndef STEMSHIP_COUNTS_MALLOC
    qInfo("sanitizer build: operator new counted, malloc not");
#endif
}

void TestMeterRealtime::veryLongInputKeepsMemoryFixed()
{
    // Six hours of a mono 1 kHz tone at 8 kHz (one second repeated): the histograms hold everything in the
    // memory allocated up front, and the result is still exact.
    const Signal second = sineDb(8000, 1, 1000.0, -20.0, 1.0);
    MeterConfig config = configFor(second);
    LoudnessMeter meter(config);
    g_allocations = 0;
    t_countAllocations = true;
    for (int i = 0; i < 6 * 3600; ++i)
        meter.process(second.samples.data(), std::size_t(second.frames()));
    t_countAllocations = false;
    QCOMPARE(g_allocations.load(), 0L);
    const MeterResult r = meter.result();
    QCOMPARE(r.frames, std::uint64_t(6) * 3600 * 8000);
    const MeterResult oneMinute = [&] {
        LoudnessMeter m(config);
        for (int i = 0; i < 60; ++i)
            m.process(second.samples.data(), std::size_t(second.frames()));
        return m.result();
    }();
    QVERIFY(std::abs(r.integratedLufs - oneMinute.integratedLufs) < 1e-6);
    QVERIFY(std::abs(r.rmsDbfs - oneMinute.rmsDbfs) < 1e-6);
    QVERIFY(r.loudnessRangeLu < 0.01);
}


QTEST_GUILESS_MAIN(TestMeterRealtime)
#include "tst_meterrealtime.moc"
