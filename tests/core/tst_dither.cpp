#include "gain/dither.h"

#include <QTest>

#include <cmath>
#include <vector>

using namespace stemship::gain;

// TPDF dither and quantisation: distribution, determinism, rounding, clipping, silence.
class TestDither : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void triangularWithinOneLsb()
    {
        TpdfDither d(42);
        const int n = 200000;
        double sum = 0, sumSq = 0, lo = 1, hi = -1;
        int central = 0;
        for (int i = 0; i < n; ++i) {
            const double v = d.next();
            sum += v;
            sumSq += v * v;
            lo = std::min(lo, v);
            hi = std::max(hi, v);
            central += std::abs(v) < 0.5;
        }
        QVERIFY(lo > -1.0 && hi < 1.0);
        QVERIFY(std::abs(sum / n) < 0.01);
        // Triangular on (-1, 1): variance 1/6; 75% of the mass within +-0.5 (a uniform would give 50%).
        QVERIFY(std::abs(sumSq / n - 1.0 / 6.0) < 0.005);
        QVERIFY(std::abs(double(central) / n - 0.75) < 0.01);
    }

    void deterministicPerSeed()
    {
        TpdfDither a(7), b(7), c(8);
        bool differs = false;
        for (int i = 0; i < 100; ++i) {
            const float x = a.next();
            QCOMPARE(x, b.next());
            differs = differs || x != c.next();
        }
        QVERIFY(differs);
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
