// True peak: oversampling choice, interpolator design, kernels, and readings against known inter-sample peaks.

#include "ebusignals.h"

#include <metering/loudnessmeter.h>
#include <metering/meterkernels.h>
#include <metering/truepeakfilter.h>

#include <QTest>

#include <algorithm>
#include <bit>
#include <limits>
#include <numbers>

using namespace stemship::metering;
using namespace stemship::test;

namespace {

MeterResult measure(const Signal &s, bool truePeak = true)
{
    MeterConfig c;
    c.sampleRateHz = s.sampleRateHz;
    c.channels = s.channels;
    c.truePeak = truePeak;
    LoudnessMeter meter(c);
    meter.process(s.samples.data(), std::size_t(s.frames()));
    return meter.result();
}

// A sine whose true peak lies halfway between two samples: A sin(2 pi f n / fs + phase) with the crest at n + 1/2.
Signal crestHalfwayBetweenSamples(int rate, double cyclesPerSample, double amplitude)
{
    Signal s{rate, 1, {}};
    const double w = 2.0 * std::numbers::pi * cyclesPerSample;
    const double phase = std::numbers::pi / 2.0 - w * 0.5;  // crest at n = 0.5
    for (int i = 0; i < rate; ++i)
        s.samples.push_back(float(amplitude * std::sin(w * i + phase)));
    taper(s, 0.010);  // an abrupt start would ring (Gibbs) above the crest
    return s;
}

// The crest of crestHalfwayBetweenSamples at fs/4 on every channel: a true peak 3 dB over its sample peak.
Signal crestHalfwayBetweenSamplesOn(int rate, int channels)
{
    const Signal mono = crestHalfwayBetweenSamples(rate, 0.25, 0.97);
    Signal s{rate, channels, {}};
    for (float v : mono.samples)
        s.samples.insert(s.samples.end(), std::size_t(channels), v);
    return s;
}

// Every interpolated value of every channel, in double, straight from the filter's taps (history zeros before
// the first sample, as the meter starts): the true peak with no block ever skipped.
std::vector<double> directTruePeaks(const Signal &s, const TruePeakFilter &f)
{
    std::vector<double> peaks(std::size_t(s.channels), 0.0);
    const int taps = f.tapsPerPhase;
    for (int c = 0; c < s.channels; ++c) {
        for (std::int64_t o = 0; o < s.frames(); ++o) {
            double largest = std::abs(double(s.samples[std::size_t(o * s.channels + c)]));
            for (int p = 0; p < f.factor - 1; ++p) {
                double acc = 0.0;
                for (int k = 0; k < taps; ++k) {
                    const std::int64_t i = o - (taps - 1) + k;
                    if (i >= 0)
                        acc += double(f.coefficients[std::size_t(p * taps + k)]) * s.samples[std::size_t(i * s.channels + c)];
                }
                largest = std::max(largest, std::abs(acc));
            }
            peaks[std::size_t(c)] = std::max(peaks[std::size_t(c)], largest);
        }
    }
    return peaks;
}

}  // namespace

class TestTruePeak : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void oversamplingFollowsRate_data();
    void oversamplingFollowsRate();
    void interpolatorPhasesHaveUnityDcGainAndMirrorEachOther_data();
    void interpolatorPhasesHaveUnityDcGainAndMirrorEachOther();
    void ebuCasesAtOtherRates_data();
    void ebuCasesAtOtherRates();
    void crestBetweenSamples_data();
    void crestBetweenSamples();
    void noOversamplingFrom192k();
    void disabledTruePeakEqualsSamplePeak();
    void neverBelowSamplePeak();
    void perChannel();
    void kernelsAgree_data();
    void kernelsAgree();
    void skippedBlocksChangeNothing_data();
    void skippedBlocksChangeNothing();
    void liveHoldAfterResetSeesQuieterPeaks();
};

void TestTruePeak::oversamplingFollowsRate_data()
{
    QTest::addColumn<double>("rate");
    QTest::addColumn<int>("factor");
    QTest::newRow("8k") << 8000.0 << 4;
    QTest::newRow("44.1k") << 44100.0 << 4;
    QTest::newRow("88.2k") << 88200.0 << 4;
    QTest::newRow("96k") << 96000.0 << 2;
    QTest::newRow("176.4k") << 176400.0 << 2;
    QTest::newRow("192k") << 192000.0 << 1;
    QTest::newRow("384k") << 384000.0 << 1;
}

void TestTruePeak::oversamplingFollowsRate()
{
    QFETCH(double, rate);
    QFETCH(int, factor);
    QCOMPARE(truePeakOversampling(rate), factor);
    QCOMPARE(designTruePeakFilter(rate).factor, factor);
}

void TestTruePeak::interpolatorPhasesHaveUnityDcGainAndMirrorEachOther_data()
{
    QTest::addColumn<double>("rate");
    QTest::newRow("4x") << 48000.0;
    QTest::newRow("2x") << 96000.0;
}

void TestTruePeak::interpolatorPhasesHaveUnityDcGainAndMirrorEachOther()
{
    QFETCH(double, rate);
    const TruePeakFilter f = designTruePeakFilter(rate);
    QCOMPARE(int(f.coefficients.size()), (f.factor - 1) * f.tapsPerPhase);
    for (int p = 0; p < f.factor - 1; ++p) {
        double sum = 0.0;
        for (int j = 0; j < f.tapsPerPhase; ++j)
            sum += f.coefficients[std::size_t(p * f.tapsPerPhase + j)];
        QVERIFY(std::abs(sum - 1.0) < 1e-6);
        // Phase p/L is phase (L-p)/L reversed in time (linear phase).
        const int mirror = f.factor - 2 - p;
        for (int j = 0; j < f.tapsPerPhase; ++j)
            QVERIFY(std::abs(f.coefficients[std::size_t(p * f.tapsPerPhase + j)] -
                             f.coefficients[std::size_t(mirror * f.tapsPerPhase + f.tapsPerPhase - 1 - j)]) < 1e-6);
    }
}

void TestTruePeak::ebuCasesAtOtherRates_data()
{
    // Cases 15-19 are defined relative to fs, so they hold at 44.1 kHz (4x) and 96 kHz (2x) too.
    QTest::addColumn<int>("caseNumber");
    QTest::addColumn<int>("rate");
    for (int rate : {44100, 96000})
        for (int n = 15; n <= 19; ++n)
            QTest::addRow("3341-%d @ %d Hz", n, rate) << n << rate;
}

void TestTruePeak::ebuCasesAtOtherRates()
{
    QFETCH(int, caseNumber);
    QFETCH(int, rate);
    const double tp = measure(tech3341TruePeak(caseNumber, rate)).truePeakDbtp;
    const double expected = tech3341TruePeakExpected(caseNumber);
    QVERIFY2(tp <= expected + 0.2 && tp >= expected - 0.4, qPrintable(QString::number(tp)));
}

void TestTruePeak::crestBetweenSamples_data()
{
    QTest::addColumn<int>("rate");
    QTest::addColumn<double>("frequencyHz");
    for (int rate : {44100, 48000, 96000})
        for (double f : {1000.0, 5000.0, 10000.0, 15000.0})
            QTest::addRow("%g Hz @ %d", f, rate) << rate << f;
}

void TestTruePeak::crestBetweenSamples()
{
    // The crest sits exactly on the half-sample phase every factor evaluates, so the reading is the amplitude
    // within the interpolator's passband ripple.
    QFETCH(int, rate);
    QFETCH(double, frequencyHz);
    const MeterResult r = measure(crestHalfwayBetweenSamples(rate, frequencyHz / rate, 0.5));
    QVERIFY2(std::abs(r.truePeakDbtp - linearToDb(0.5)) < 0.05, qPrintable(QString::number(r.truePeakDbtp)));
    QVERIFY(r.samplePeakDbfs <= r.truePeakDbtp);
}

void TestTruePeak::noOversamplingFrom192k()
{
    const MeterResult r = measure(tech3341TruePeak(16, 192000));
    QCOMPARE(r.truePeakDbtp, r.samplePeakDbfs);
    QVERIFY(std::abs(r.truePeakDbtp + 9.03) < 0.01);  // samples of fs/4 at 45 degrees: 0.5 / sqrt(2)
}

void TestTruePeak::disabledTruePeakEqualsSamplePeak()
{
    const MeterResult r = measure(tech3341TruePeak(19, 48000), false);
    QCOMPARE(r.truePeakDbtp, r.samplePeakDbfs);
    QCOMPARE(r.truePeakDbtpPerChannel, r.samplePeakDbfsPerChannel);
}

void TestTruePeak::neverBelowSamplePeak()
{
    for (int rate : {44100, 96000}) {
        Signal s = programme(rate, 2, 3.0, 21, -1.0);
        s.samples[1234] = 0.9999f;  // an isolated spike
        const MeterResult r = measure(s);
        for (std::size_t c = 0; c < 2; ++c)
            QVERIFY(r.truePeakDbtpPerChannel[c] >= r.samplePeakDbfsPerChannel[c]);
        // A constant reads the same between samples as on them.
        Signal dc{rate, 1, std::vector<float>(std::size_t(rate), 0.7f)};
        taper(dc, 0.010);
        QVERIFY(std::abs(measure(dc).truePeakDbtp - linearToDb(0.7)) < 0.001);
    }
}

void TestTruePeak::perChannel()
{
    Signal s = silence(48000, 3, 1.0);
    const Signal loud = tech3341TruePeak(19, 48000);
    const Signal quiet = tech3341TruePeak(16, 48000);
    for (std::int64_t i = 0; i < s.frames() && i < loud.frames(); ++i) {
        s.at(i, 0) = loud.samples[std::size_t(2 * i)];
        s.at(i, 2) = quiet.samples[std::size_t(2 * i)];
    }
    const MeterResult r = measure(s);
    QVERIFY(std::abs(r.truePeakDbtpPerChannel[0] - 3.0) < 0.2);
    QCOMPARE(r.truePeakDbtpPerChannel[1], -INFINITY);
    QVERIFY(std::abs(r.truePeakDbtpPerChannel[2] + 6.0) < 0.2);
    QCOMPARE(r.truePeakDbtp, r.truePeakDbtpPerChannel[0]);
}

void TestTruePeak::kernelsAgree_data()
{
    QTest::addColumn<int>("rate");
    QTest::newRow("4x") << 48000;
    QTest::newRow("2x") << 96000;
}

void TestTruePeak::kernelsAgree()
{
    // The dispatched kernels (AVX2+FMA where available) against the baseline ones, block by block.
    QFETCH(int, rate);
    const MeterKernels &best = meterKernels();
    const MeterKernels &base = baselineMeterKernels();
    qInfo("dispatched kernels: %s", best.name);
    const TruePeakFilter f = designTruePeakFilter(rate);
    // Long enough to be read below as 20000 frames of up to 4 interleaved channels.
    const Signal s = programme(rate, 1, 80000.0 / rate + 0.1, 5, -1.0);
    for (std::size_t n : {1u, 15u, 16u, 17u, 480u, 1000u}) {
        const float *buffer = s.samples.data() + 100;
        const auto kernel = f.factor == 4 ? best.truePeak4x : best.truePeak2x;
        const auto reference = f.factor == 4 ? base.truePeak4x : base.truePeak2x;
        const float a = kernel(buffer, n, f.coefficients.data(), 0.0f, f.gainBound);
        const float b = reference(buffer, n, f.coefficients.data(), 0.0f, f.gainBound);
        QVERIFY2(std::abs(a - b) <= 1e-6f * b, qPrintable(QStringLiteral("n %1: %2 vs %3").arg(n).arg(a).arg(b)));
    }
    KFilterCoefficients c{1.53512485958697, -2.69169618940638, 1.19839281085285, -1.69065929318241,
                          0.73248077421585, -1.99004745483398, 0.99007225036621};
    // One channel, and four lanes reading four stretches of the signal.
    KFilterState oneA, oneB;
    double energyA = 0.0, energyB = 0.0;
    best.kWeight(s.samples.data(), oneA, energyA, 20000, c);
    base.kWeight(s.samples.data(), oneB, energyB, 20000, c);
    QVERIFY(std::abs(energyA - energyB) <= 1e-9 * energyB);
    const float *lanes[4] = {s.samples.data(), s.samples.data() + 20000, s.samples.data() + 40000,
                             s.samples.data() + 60000};
    KFilterState sa[4], sb[4];
    double ea[4] = {}, eb[4] = {};
    best.kWeightLanes(lanes, sa, ea, nullptr, nullptr, 20000, c);
    base.kWeightLanes(lanes, sb, eb, nullptr, nullptr, 20000, c);
    for (int g = 0; g < 4; ++g)
        QVERIFY(std::abs(ea[g] - eb[g]) <= 1e-9 * eb[g]);
    QVERIFY(std::abs(ea[0] - energyB) <= 1e-9 * energyB);
    // The overview's range, with NaN, infinities and out-of-range values, every length from 0 to 40.
    std::vector<float> odd(s.samples.begin(), s.samples.begin() + 40);
    odd[3] = std::numeric_limits<float>::quiet_NaN();
    odd[9] = std::numeric_limits<float>::infinity();
    odd[20] = -5.0f;
    odd[30] = std::numeric_limits<float>::quiet_NaN();
    for (std::size_t n = 0; n <= odd.size(); ++n) {
        float loA = 0.0f, hiA = 0.0f, loB = 0.0f, hiB = 0.0f;
        best.clampedRange(odd.data(), n, 2.0f, loA, hiA);
        base.clampedRange(odd.data(), n, 2.0f, loB, hiB);
        QCOMPARE(loA, loB);
        QCOMPARE(hiA, hiB);
        QVERIFY(!std::isnan(loA) && !std::isnan(hiA));
        QCOMPARE(hiA, n > 9 ? 2.0f : hiA);
        QCOMPARE(loA, n > 20 ? -2.0f : loA);
    }
    // The codes' bits: 16-bit codes (as read from a file) and the same with one odd code placed at every position.
    std::vector<float> codes(37);
    for (std::size_t i = 0; i < codes.size(); ++i)
        codes[i] = float((int(i * 2654435761u % 65536) - 32768) & ~0xff) / 32768.0f;
    for (std::size_t at = 0; at <= codes.size(); ++at) {
        std::vector<float> x = codes;
        if (at < x.size())
            x[at] = 3.0f / 32768.0f;
        std::uint32_t bitsA = 0, bitsB = 0;
        std::uint64_t nonZeroA = 0, nonZeroB = 0;
        best.codeBits(x.data(), x.size(), 32768.0f, bitsA, nonZeroA);
        base.codeBits(x.data(), x.size(), 32768.0f, bitsB, nonZeroB);
        QCOMPARE(bitsA, bitsB);
        QCOMPARE(nonZeroA, nonZeroB);
        QCOMPARE(std::countr_zero(bitsA), at < x.size() ? 0 : 8);
        QCOMPARE(nonZeroA, std::uint64_t(std::count_if(x.begin(), x.end(), [](float v) { return v != 0.0f; })));
    }
}

void TestTruePeak::skippedBlocksChangeNothing_data()
{
    QTest::addColumn<int>("rate");
    QTest::addColumn<int>("channels");
    QTest::newRow("4x stereo") << 48000 << 2;
    QTest::newRow("4x mono 44.1k") << 44100 << 1;
    QTest::newRow("2x 5.1") << 96000 << 6;
}

void TestTruePeak::skippedBlocksChangeNothing()
{
    // The meter skips the FIR of blocks whose inputs cannot raise a peak already known (truepeakfilter.h
    // gainBound). Programme material with a moving envelope, a quiet stretch and a late loud burst whose
    // inter-sample peak beats everything before: each channel's reading must equal the FIR run on every sample.
    QFETCH(int, rate);
    QFETCH(int, channels);
    Signal s = concat(programme(rate, channels, 3.0, 11, -1.0), scaled(programme(rate, channels, 1.0, 12, -1.0), -20.0));
    s = concat(s, crestHalfwayBetweenSamplesOn(rate, channels));
    const TruePeakFilter f = designTruePeakFilter(rate);
    const std::vector<double> expected = directTruePeaks(s, f);
    for (std::size_t block : {std::size_t(4096), std::size_t(37)}) {
        MeterConfig c;
        c.sampleRateHz = rate;
        c.channels = channels;
        LoudnessMeter meter(c);
        for (std::int64_t done = 0; done < s.frames(); done += std::int64_t(block))
            meter.process(s.samples.data() + done * channels, std::min<std::size_t>(block, std::size_t(s.frames() - done)));
        const MeterResult r = meter.result();
        for (int ch = 0; ch < channels; ++ch) {
            const double want = linearToDb(expected[std::size_t(ch)]);
            QVERIFY2(std::abs(r.truePeakDbtpPerChannel[std::size_t(ch)] - want) < 1e-4,
                     qPrintable(QStringLiteral("block %1 channel %2: %3 vs %4 dBTP")
                                    .arg(block).arg(ch).arg(r.truePeakDbtpPerChannel[std::size_t(ch)]).arg(want)));
        }
    }
}

void TestTruePeak::liveHoldAfterResetSeesQuieterPeaks()
{
    // Blocks below the programme's true peak are skipped only while the live hold keeps a higher value: after a
    // hold reset, a quieter passage's inter-sample peak must reach the hold.
    const Signal loud = programme(48000, 2, 2.0, 21, -1.0);
    // One 100 ms step: the hold is reset at its end, so this step alone must carry the quieter true peak.
    Signal quiet = scaled(crestHalfwayBetweenSamplesOn(48000, 2), -12.0);
    quiet.samples.resize(4800 * 2);
    LoudnessMeter meter(MeterConfig{});
    meter.process(loud.samples.data(), std::size_t(loud.frames()));
    QVERIFY(std::abs(double(meter.live().truePeakHoldDbtp) - meter.result().truePeakDbtp) < 1e-3);
    meter.resetPeakHold();
    meter.process(quiet.samples.data(), std::size_t(quiet.frames()));
    const double expected = linearToDb(directTruePeaks(quiet, designTruePeakFilter(48000))[0]);
    QVERIFY2(std::abs(double(meter.live().truePeakHoldDbtp) - expected) < 1e-3,
             qPrintable(QStringLiteral("hold %1 vs %2 dBTP").arg(meter.live().truePeakHoldDbtp).arg(expected)));
}

QTEST_GUILESS_MAIN(TestTruePeak)
#include "tst_truepeak.moc"
