// The audit's measurement pushed block by block (audit::StemMeasurer, what `package` feeds from pass 1) gives the
// figures the audit's own pull (measureStream) gives, whatever the blocks: the findings in NOTES are the audit's.

#include "audit/stemchecks.h"
#include "audit/stemmeasure.h"
#include "testsignals.h"

#include <QTest>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

using namespace stemship;

namespace {

io::AudioInfo infoOf(const test::Signal &s, int bits, std::uint32_t mask = 0)
{
    io::AudioInfo info;
    info.path = QStringLiteral("x.wav");
    info.sampleRateHz = s.sampleRateHz;
    info.channels = s.channels;
    info.frames = s.frames();
    info.bitDepth = bits;
    info.channelMask = mask;
    return info;
}

audit::StemReport pulled(const test::Signal &s, const io::AudioInfo &info)
{
    audit::StemReport report;
    std::int64_t at = 0;
    const bool done = audit::measureStream(info, [&](float *out, std::int64_t frames) {
        const std::int64_t n = std::min(frames, s.frames() - at);
        std::copy_n(s.samples.data() + at * s.channels, n * s.channels, out);
        at += n;
        return n;
    }, audit::AuditSettings{}, CancelToken(), &report, nullptr);
    return done ? report : audit::StemReport{};
}

audit::StemReport pushed(const test::Signal &s, const io::AudioInfo &info, std::int64_t blockFrames)
{
    audit::StemReport report;
    audit::StemMeasurer measurer(info, audit::AuditSettings{}, &report);
    for (std::int64_t at = 0; at < s.frames(); at += blockFrames)
        measurer.add(s.samples.data() + at * s.channels, std::min(blockFrames, s.frames() - at));
    measurer.finish();
    return report;
}

}  // namespace

class TestStemMeasurer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sameFiguresWhateverTheBlocks_data()
    {
        QTest::addColumn<qint64>("blockFrames");
        QTest::newRow("1 frame") << qint64(1);
        QTest::newRow("1000 frames") << qint64(1000);
        QTest::newRow("pass 1's 4096") << qint64(4096);
        QTest::newRow("10000 frames, more than the meter takes at once") << qint64(10000);
    }
    void sameFiguresWhateverTheBlocks()
    {
        QFETCH(qint64, blockFrames);
        // Hot (clipped at full scale), with a DC offset, 5.1 with an LFE: every figure the checks read.
        test::Signal s = test::scaled(test::programme(48000, 6, blockFrames == 1 ? 1.5 : 4.0, 21u, -1.0), 6.0);
        for (float &x : s.samples)
            x = std::clamp(x + 0.01f, -1.0f, 32767.0f / 32768.0f);
        const io::AudioInfo info = infoOf(s, 16, 0x3F);
        const audit::StemReport a = pulled(s, info), b = pushed(s, info, blockFrames);
        const metering::MeterResult &x = a.levels, &y = b.levels;
        QVERIFY(x.clippedSamples > 0);
        QVERIFY(x.maxAbsDcOffset > 0.005);
        QCOMPARE(y.frames, x.frames);
        QCOMPARE(y.integratedLufs, x.integratedLufs);
        QCOMPARE(y.truePeakDbtp, x.truePeakDbtp);
        QCOMPARE(y.samplePeakDbfs, x.samplePeakDbfs);
        QCOMPARE(y.clippedSamples, x.clippedSamples);
        QCOMPARE(y.maxAbsDcOffset, x.maxAbsDcOffset);
        QCOMPARE(y.maxShortTermLufs, x.maxShortTermLufs);
        QCOMPARE(y.firstActiveFrame, x.firstActiveFrame);
        QVERIFY(a.lfeHighToLowDb && b.lfeHighToLowDb);
        QCOMPARE(*b.lfeHighToLowDb, *a.lfeHighToLowDb);
        QVERIFY(b.overview.maximum == a.overview.maximum && b.overview.minimum == a.overview.minimum);
        QVERIFY(b.loudness.shortTermLufs == a.loudness.shortTermLufs);
        // And so the same findings, in the same words.
        audit::StemReport checkedA = a, checkedB = b;
        audit::checkStem(&checkedA, audit::AuditSettings{});
        audit::checkStem(&checkedB, audit::AuditSettings{});
        QVERIFY(checkedA.hasIssue(QStringLiteral("clipping")) && checkedA.hasIssue(QStringLiteral("dc_offset")));
        QCOMPARE(checkedB.issues.size(), checkedA.issues.size());
        for (qsizetype i = 0; i < checkedA.issues.size(); ++i)
            QCOMPARE(checkedB.issues[i].message, checkedA.issues[i].message);
    }
    void overviewIsEachBucketsRange()
    {
        // Stereo, 1000 buckets over an odd length, with NaN (never drawn), infinities and loud values (clamped to
        // the drawing range +-2) sprinkled in: each bucket holds the min and max of its frames, as a plain loop says.
        test::Signal s = test::programme(44100, 2, 3.3, 7u, -6.0);
        const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
        for (std::size_t i = 0; i < s.samples.size(); i += 977)
            s.samples[i] = std::array<float, 5>{nan, inf, -inf, 7.5f, -3.0f}[(i / 977) % 5];
        const io::AudioInfo info = infoOf(s, 32);
        const audit::StemReport r = pushed(s, info, 4096);
        QCOMPARE(int(r.overview.maximum.size()), audit::kOverviewBuckets);
        int drawnClamped = 0;
        for (int b = 0; b < audit::kOverviewBuckets; ++b) {
            const std::int64_t first = (b * s.frames() + audit::kOverviewBuckets - 1) / audit::kOverviewBuckets;
            const std::int64_t end = ((b + 1) * s.frames() + audit::kOverviewBuckets - 1) / audit::kOverviewBuckets;
            float lo = 0.0f, hi = 0.0f;
            for (std::int64_t i = first * s.channels; i < std::min(end, s.frames()) * s.channels; ++i) {
                const float v = s.samples[std::size_t(i)];
                if (std::isnan(v))
                    continue;
                lo = std::min(lo, std::clamp(v, -2.0f, 2.0f));
                hi = std::max(hi, std::clamp(v, -2.0f, 2.0f));
            }
            QCOMPARE(r.overview.minimum[std::size_t(b)], lo);
            QCOMPARE(r.overview.maximum[std::size_t(b)], hi);
            drawnClamped += hi == 2.0f;
        }
        QVERIFY(drawnClamped > 10);
    }

    void usedBitDepth_data()
    {
        QTest::addColumn<int>("declared");
        QTest::addColumn<int>("grid");          // the samples sit on a grid of this many bits
        QTest::addColumn<double>("seconds");
        QTest::addColumn<int>("expected");      // 0: not judged
        QTest::newRow("real 24-bit") << 24 << 24 << 1.0 << 24;
        QTest::newRow("16-bit padded to 24") << 24 << 16 << 1.0 << 16;
        QTest::newRow("20-bit in 24") << 24 << 20 << 1.0 << 20;
        QTest::newRow("real 16-bit") << 16 << 16 << 1.0 << 16;
        QTest::newRow("too few samples to judge") << 24 << 16 << 0.02 << 0;
        QTest::newRow("32-bit is not judged") << 32 << 16 << 1.0 << 0;
    }
    void usedBitDepth()
    {
        // Samples as libsndfile hands an integer file over: code / 2^(declared - 1), the codes on the grid.
        QFETCH(int, declared);
        QFETCH(int, grid);
        QFETCH(double, seconds);
        QFETCH(int, expected);
        test::Signal s = test::programme(48000, 2, seconds, 9u, -12.0);
        const double step = std::ldexp(1.0, 1 - grid);
        for (float &x : s.samples)
            x = float(std::round(x / step) * step);
        const io::AudioInfo info = infoOf(s, declared);
        audit::StemReport r = pushed(s, info, 4096);
        QCOMPARE(r.usedBitDepth.value_or(0), expected);
        r.info = info;  // as the auditor sets it
        audit::checkStem(&r, audit::AuditSettings{});
        QCOMPARE(r.hasIssue(QStringLiteral("padded_bit_depth")), expected > 0 && expected < declared);
    }
};

QTEST_GUILESS_MAIN(TestStemMeasurer)
#include "tst_stemmeasurer.moc"
