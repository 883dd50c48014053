#include "gain/dither.h"

#include <QTest>

#include <cmath>
#include <vector>

using namespace stemship::gain;

// TPDF dither and quantisation: distribution, determinism, rounding, clipping, silence.
class TestDither : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The delivery's dither as the Quantizer applies it: with TPDF dither the total error is bounded by 1.5 LSB,
    // has zero mean and a variance of 1/4 LSB^2 (1/12 rounding + 1/6 dither) whatever the signal — the property
    // that makes TPDF the right dither (Lipshitz, Wannamaker & Vanderkooy 1992).
    void errorIsSignalIndependent_data()
    {
        QTest::addColumn<double>("offsetLsb");
        QTest::newRow("on a code") << 0.0;
        QTest::newRow("quarter") << 0.25;
        QTest::newRow("half") << 0.5;
        QTest::newRow("three quarters") << 0.75;
    }

    void errorIsSignalIndependent()
    {
        QFETCH(double, offsetLsb);
        Quantizer q(16, true, 42);
        const std::size_t n = 200000;
        std::vector<float> in(n);
        for (std::size_t i = 0; i < n; ++i)
            in[i] = float((double(int(i % 2000) - 1000) + offsetLsb) / 32768.0);
        std::vector<std::int32_t> out(n);
        q.process(in.data(), out.data(), n);
        double sum = 0, sumSq = 0, worst = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double e = double(out[i] >> 16) - double(in[i]) * 32768.0;
            sum += e;
            sumSq += e * e;
            worst = std::max(worst, std::abs(e));
        }
        const double mean = sum / n, variance = sumSq / n - mean * mean;
        QVERIFY2(worst <= 1.5, qPrintable(QString::number(worst)));
        QVERIFY2(std::abs(mean) < 0.01, qPrintable(QString::number(mean)));
        QVERIFY2(std::abs(variance - 0.25) < 0.01, qPrintable(QString::number(variance)));
    }

    void deterministicPerSeed()
    {
        std::vector<float> in(4096);
        for (std::size_t i = 0; i < in.size(); ++i)
            in[i] = float(std::sin(double(i) * 0.01) * 0.3);
        std::vector<std::int32_t> a(in.size()), b(in.size()), c(in.size());
        Quantizer(24, true, 7).process(in.data(), a.data(), in.size());
        Quantizer(24, true, 7).process(in.data(), b.data(), in.size());
        Quantizer(24, true, 8).process(in.data(), c.data(), in.size());
        QVERIFY(a == b);
        QVERIFY(a != c);
    }

    void packedMatchesUnpacked()
    {
        std::vector<float> in(1001);
        for (std::size_t i = 0; i < in.size(); ++i)
            in[i] = float(std::sin(double(i) * 0.037) * 0.8);
        std::vector<std::int32_t> codes(in.size());
        std::vector<float> scaled(in);
        for (float &x : scaled)
            x *= 0.5f;
        Quantizer(24, true, 9).process(scaled.data(), codes.data(), in.size());
        std::vector<unsigned char> packed(in.size() * 3);
        Quantizer(24, true, 9).processPacked(in.data(), 0.5f, packed.data(), in.size());
        for (std::size_t i = 0; i < in.size(); ++i) {
            const std::int32_t v = std::int32_t(std::uint32_t(packed[3 * i]) << 8 | std::uint32_t(packed[3 * i + 1]) << 16
                                                | std::uint32_t(packed[3 * i + 2]) << 24);
            QCOMPARE(v, codes[i]);
        }
    }

    void roundsClipsAndKeepsSilence()
    {
        Quantizer q16(16, false);
        const std::vector<float> in{0.5f, -1.0f, 1.5f, 1.0f / 32768.0f, -0.25f};
        std::vector<std::int32_t> out(in.size());
        q16.process(in.data(), out.data(), in.size());
        QCOMPARE(out[0], 16384 << 16);
        QCOMPARE(out[1], std::int32_t(-32768 * 65536));
        QCOMPARE(out[2], 32767 << 16);
        QCOMPARE(out[3], 1 << 16);
        QCOMPARE(out[4], -8192 * 65536);
        QCOMPARE(q16.clippedSamples(), std::uint64_t(1));

        Quantizer q24(24, true, 3);
        std::vector<float> zeros(4096, 0.0f);
        std::vector<std::int32_t> z(zeros.size(), 1);
        q24.process(zeros.data(), z.data(), z.size());
        for (std::int32_t v : z)
            QCOMPARE(v, 0);
    }

    void ditherDecorrelatesTheError()
    {
        // A -130 dBFS sine is below 24-bit resolution: undithered it rounds to zero, dithered it survives
        // as the mean of the output.
        Quantizer plain(24, false), dithered(24, true, 5);
        std::vector<float> in(48000, float(0.3 / 8388608.0));  // 0.3 LSB of DC
        std::vector<std::int32_t> a(in.size()), b(in.size());
        plain.process(in.data(), a.data(), in.size());
        dithered.process(in.data(), b.data(), in.size());
        double meanA = 0, meanB = 0;
        for (std::size_t i = 0; i < in.size(); ++i) {
            meanA += a[i] / 256.0;
            meanB += b[i] / 256.0;
        }
        QCOMPARE(meanA, 0.0);
        QVERIFY(std::abs(meanB / double(in.size()) - 0.3) < 0.02);
    }

    // The dither's shape, not only its moments: a DC of 1/4 LSB with TPDF on (-1, 1) LSB rounds to +1 with
    // probability (3/4)^2 / 2, to -1 with (1/4)^2 / 2, else to 0 (the areas of the triangle beyond the thresholds).
    void ditherIsTriangular()
    {
        const std::size_t n = 1 << 20;
        std::vector<float> in(n, float(0.25 / 32768.0));
        std::vector<std::int32_t> out(n);
        Quantizer(16, true, 11).process(in.data(), out.data(), n);
        double plus = 0, minus = 0, other = 0;
        for (std::int32_t v : out) {
            const int code = v >> 16;
            plus += code == 1;
            minus += code == -1;
            other += code != 0 && code != 1 && code != -1;
        }
        QCOMPARE(other, 0.0);
        QVERIFY2(std::abs(plus / n - 0.28125) < 0.002, qPrintable(QString::number(plus / n)));
        QVERIFY2(std::abs(minus / n - 0.03125) < 0.001, qPrintable(QString::number(minus / n)));
    }

    // The AVX2 path and the portable one give the same bytes and clip counts, across blocks (the dither state
    // carries over), odd tails, overs, NaN and infinities.
    void portableMatchesFastest_data()
    {
        QTest::addColumn<int>("bits");
        QTest::addColumn<bool>("dither");
        QTest::addColumn<float>("gain");
        QTest::newRow("24 dithered") << 24 << true << 0.7f;
        QTest::newRow("16 dithered, gain up") << 16 << true << 2.5f;
        QTest::newRow("24 plain") << 24 << false << 1.0f;
        QTest::newRow("32") << 32 << true << 1.0f;
    }
    void portableMatchesFastest()
    {
        QFETCH(int, bits);
        QFETCH(bool, dither);
        QFETCH(float, gain);
        std::vector<float> in(10007);
        for (std::size_t i = 0; i < in.size(); ++i)
            in[i] = float(std::sin(double(i) * 0.0123) * 1.2 + 1e-7 * double(i % 13));
        in[100] = NAN;
        in[101] = INFINITY;
        in[102] = -INFINITY;
        in[103] = 1e30f;
        Quantizer fast(bits, dither, 3, Quantizer::Path::Fastest), portable(bits, dither, 3, Quantizer::Path::Portable);
        const std::size_t width = std::size_t(bits / 8);
        std::vector<unsigned char> a(in.size() * width), b(in.size() * width);
        for (std::size_t done = 0, block = 1; done < in.size(); done += block, block = block * 3 + 1) {
            const std::size_t k = std::min(block, in.size() - done);
            fast.processPacked(in.data() + done, gain, a.data() + done * width, k);
            portable.processPacked(in.data() + done, gain, b.data() + done * width, k);
        }
        QVERIFY(a == b);
        QCOMPARE(fast.clippedSamples(), portable.clippedSamples());
        QVERIFY(fast.clippedSamples() > 0);
    }

    void whenToDither()
    {
        QVERIFY(needsDither(24, false, true, 32, false));   // float source
        QVERIFY(needsDither(16, false, false, 24, false));  // 24 -> 16
        QVERIFY(needsDither(24, false, false, 24, true));   // gain or resampling applied
        QVERIFY(!needsDither(24, false, false, 24, false)); // bit-exact copy
        QVERIFY(!needsDither(24, false, false, 16, false));
        QVERIFY(!needsDither(32, false, true, 32, true));
    }
};

QTEST_GUILESS_MAIN(TestDither)
#include "tst_dither.moc"
