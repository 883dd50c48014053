// Segmented K-weighting (core/metering/kweightingsegments): a mono or stereo sub-step cut into segments that run
// side by side, then corrected by superposition, against the plain one-sample-after-another filter.

#include "testsignals.h"

#include <metering/kweighting.h>
#include <metering/kweightingsegments.h>
#include <metering/meterkernels.h>

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace stemship::metering;
using namespace stemship::test;

namespace {

KFilterCoefficients coefficientsAt(double rateHz)
{
    const KWeightingCoefficients k = designKWeighting(rateHz);
    return {k.preFilter.b0, k.preFilter.b1, k.preFilter.b2, k.preFilter.a1, k.preFilter.a2,
            k.rlbFilter.a1,  k.rlbFilter.a2};
}

// Superposition adds rounding where the RLB's slow poles make the zero-state and zero-input parts of a segment
// much larger than their sum (worst at 384 kHz); 1e-8 relative is 4e-8 dB, far inside any loudness tolerance.
bool close(double a, double b, double scale)
{
    return std::abs(a - b) <= 1e-8 * scale;
}

}  // namespace

class TestKWeightingSegments : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesSequentialFilter_data();
    void matchesSequentialFilter();
};

void TestKWeightingSegments::matchesSequentialFilter_data()
{
    QTest::addColumn<int>("rate");
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("subStepFrames");
    // Sub-steps of 10 ms (and 44.1 kHz's 441), a short one that still splits, one too short to split, and the
    // longest a 384 kHz sub-step gets; 1, 2 and 3 channels take the segmented paths, 4 to 7 add whole groups.
    for (int channels = 1; channels <= 7; ++channels) {
        QTest::addRow("48k %d ch 480", channels) << 48000 << channels << 480;
        QTest::addRow("44.1k %d ch 441", channels) << 44100 << channels << 441;
    }
    QTest::newRow("8k mono 80") << 8000 << 1 << 80;
    QTest::newRow("48k mono 63") << 48000 << 1 << 63;
    QTest::newRow("48k stereo 33") << 48000 << 2 << 33;
    QTest::newRow("384k stereo 3840") << 384000 << 2 << 3840;
    QTest::newRow("96k 3 ch 960") << 96000 << 3 << 960;
}

void TestKWeightingSegments::matchesSequentialFilter()
{
    QFETCH(int, rate);
    QFETCH(int, channels);
    QFETCH(int, subStepFrames);
    constexpr int kSubSteps = 40;  // long enough for a wrong carried state to show in later sub-steps
    const auto frames = std::size_t(subStepFrames);
    const KFilterCoefficients c = coefficientsAt(rate);
    KWeightingBasis basis;
    basis.design(c, std::max<std::size_t>(frames / 2, 16));
    const Signal s = programme(rate, channels, double(frames * kSubSteps) / rate + 0.01, 9, -1.0);
    const auto n = std::size_t(channels);
    // Planar copies of each sub-step, as the meter keeps them.
    std::vector<std::vector<float>> planar(n, std::vector<float>(frames));
    std::vector<const float *> inputs(n);
    std::vector<KFilterState> segmented(n), sequential(n);
    const MeterKernels &kernels = meterKernels();
    for (int step = 0; step < kSubSteps; ++step) {
        for (std::size_t ch = 0; ch < n; ++ch) {
            for (std::size_t i = 0; i < frames; ++i)
                planar[ch][i] = s.samples[(std::size_t(step) * frames + i) * n + ch];
            inputs[ch] = planar[ch].data();
        }
        std::vector<double> energy(n, 0.0), reference(n, 0.0);
        kWeightChannels(kernels, c, basis, inputs.data(), n, segmented.data(), energy.data(), frames);
        for (std::size_t ch = 0; ch < n; ++ch)
            kernels.kWeight(planar[ch].data(), sequential[ch], reference[ch], frames, c);
        for (std::size_t ch = 0; ch < n; ++ch) {
            QVERIFY2(reference[ch] > 0.0, "the programme signal has energy in every sub-step");
            QVERIFY2(close(energy[ch], reference[ch], reference[ch]),
                     qPrintable(QStringLiteral("sub-step %1 channel %2: %3 vs %4")
                                    .arg(step).arg(ch).arg(energy[ch], 0, 'g', 17).arg(reference[ch], 0, 'g', 17)));
            const KFilterState &a = segmented[ch];
            const KFilterState &b = sequential[ch];
            const double scale = 1.0 + std::abs(b.z1) + std::abs(b.y1);
            QVERIFY(close(a.y1, b.y1, scale) && close(a.y2, b.y2, scale));
            QVERIFY(close(a.z1, b.z1, scale) && close(a.z2, b.z2, scale));
            QCOMPARE(a.x1, b.x1);
            QCOMPARE(a.x2, b.x2);
        }
    }
}

QTEST_GUILESS_MAIN(TestKWeightingSegments)
#include "tst_kweightingsegments.moc"
