// util::parallelFor: every index once, and a job that throws becomes an error result instead of terminating the
// process; the workers are joined and no further index is handed out.

#include "util/parallel.h"

#include <QTest>

#include <atomic>
#include <chrono>
#include <thread>
#include <stdexcept>
#include <vector>

using namespace stemship;

class TestParallel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyIndexOnce_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("threads");
        QTest::newRow("more jobs than threads") << 100 << 3;
        QTest::newRow("fewer jobs than threads") << 2 << 8;
        QTest::newRow("all cores") << 37 << 0;
    }

    void everyIndexOnce()
    {
        QFETCH(int, count);
        QFETCH(int, threads);
        std::vector<std::atomic<int>> seen(static_cast<std::size_t>(count));
        std::atomic<int> polls{0};
        const Status status = parallelFor(count, threads, [&](int i) { seen[std::size_t(i)].fetch_add(1); },
                                          [&] { polls.fetch_add(1); }, 1);
        QVERIFY(status.ok());
        for (int i = 0; i < count; ++i)
            QCOMPARE(seen[std::size_t(i)].load(), 1);
    }

    void throwingJobIsAnError_data()
    {
        QTest::addColumn<int>("threads");
        QTest::newRow("one thread") << 1;
        QTest::newRow("four threads") << 4;
    }

    // Before: the exception escaped the worker's thread function and std::terminate ended the process (and with it
    // the CLI's cleanup of the delivery's work folder).
    void throwingJobIsAnError()
    {
        QFETCH(int, threads);
        constexpr int kCount = 200;
        std::atomic<int> ran{0};
        const Status status = parallelFor(kCount, threads, [&](int i) {
            ran.fetch_add(1);
            if (i == 5)
                throw std::runtime_error("stem 5 broke");
            std::this_thread::sleep_for(std::chrono::milliseconds(1));  // the failure lands long before the end
        });
        QVERIFY(!status.ok());
        QVERIFY2(status.error().what.contains(QLatin1String("stem 5 broke")), qPrintable(status.error().what));
        // Nothing more is handed out after the failure.
        if (threads == 1)
            QCOMPARE(ran.load(), 6);
        else
            QVERIFY2(ran.load() < kCount / 2, qPrintable(QString::number(ran.load())));
    }

    // The caller returns as soon as the last job ends, not at its next poll: a stage's end is not delayed by up to
    // a poll period. Before: the polling thread slept its full period (here 2 s) before it looked again.
    void returnsWhenTheLastJobEnds()
    {
        std::atomic<int> polls{0};
        const auto start = std::chrono::steady_clock::now();
        const Status status = parallelFor(4, 2, [](int) { std::this_thread::sleep_for(std::chrono::milliseconds(20)); },
                                          [&] { polls.fetch_add(1); }, 2000);
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
        QVERIFY(status.ok());
        QVERIFY(polls.load() >= 1);  // still polled at the start
        QVERIFY2(took.count() < 1000, qPrintable(QString::number(took.count())));
    }

    void nothingToDo() { QVERIFY(parallelFor(0, 4, [](int) { QFAIL("called"); }).ok()); }
};

QTEST_GUILESS_MAIN(TestParallel)
#include "tst_parallel.moc"
