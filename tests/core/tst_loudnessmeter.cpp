// LoudnessMeter: K-weighting (BS.1770-4 / BS.2217), statistics, edge cases, and live readouts read from another
// thread while process() runs (the tsan preset runs this test).

#include "testsignals.h"
#include "metersupport.h"

#include <metering/kweighting.h>
#include <metering/loudnessmeter.h>

#include <QTest>

#include <algorithm>
#include <atomic>
#include <numbers>
#include <thread>


using namespace stemship::metering;
using namespace stemship::test;

namespace {

// BS.1770-4 Table 1 and Table 2: the reference K-weighting at 48 kHz.
constexpr BiquadCoefficients kReferencePreFilter{1.53512485958697, -2.69169618940638, 1.19839281085285,
                                                 -1.69065929318241, 0.73248077421585};
constexpr BiquadCoefficients kReferenceRlb{1.0, -2.0, 1.0, -1.99004745483398, 0.99007225036621};

double referenceKWeightingDb(double frequencyHz)
{
    return biquadMagnitudeDb(kReferencePreFilter, frequencyHz, 48000.0) +
           biquadMagnitudeDb(kReferenceRlb, frequencyHz, 48000.0);
}

void compareResults(const MeterResult &a, const MeterResult &b)
{
    QCOMPARE(a.frames, b.frames);
    QCOMPARE(a.integratedLufs, b.integratedLufs);
    QCOMPARE(a.loudnessRangeLu, b.loudnessRangeLu);
    QCOMPARE(a.maxMomentaryLufs, b.maxMomentaryLufs);
    QCOMPARE(a.maxShortTermLufs, b.maxShortTermLufs);
    QCOMPARE(a.samplePeakDbfs, b.samplePeakDbfs);
    QCOMPARE(a.truePeakDbtp, b.truePeakDbtp);
    QCOMPARE(a.samplePeakDbfsPerChannel, b.samplePeakDbfsPerChannel);
    QCOMPARE(a.truePeakDbtpPerChannel, b.truePeakDbtpPerChannel);
    QCOMPARE(a.rmsDbfs, b.rmsDbfs);
    QCOMPARE(a.rmsDbfsPerChannel, b.rmsDbfsPerChannel);
    QCOMPARE(a.dcOffsetPerChannel, b.dcOffsetPerChannel);
    QCOMPARE(a.maxAbsDcOffset, b.maxAbsDcOffset);
    QCOMPARE(a.correlation.has_value(), b.correlation.has_value());
    if (a.correlation)
        QCOMPARE(*a.correlation, *b.correlation);
    QCOMPARE(a.maxChannelDifference, b.maxChannelDifference);
    QCOMPARE(a.fullScaleSamples, b.fullScaleSamples);
    QCOMPARE(a.overFullScaleSamples, b.overFullScaleSamples);
    QCOMPARE(a.clippedSamples, b.clippedSamples);
    QCOMPARE(a.nonFiniteSamples, b.nonFiniteSamples);
    QCOMPARE(a.firstActiveFrame, b.firstActiveFrame);
    QCOMPARE(a.lastActiveFrame, b.lastActiveFrame);
}

}  // namespace

class TestLoudnessMeter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void kWeightingCoefficientsMatchReferenceAt48k();
    void kWeightingResponse_data();
    void kWeightingResponse();
    void liveReadoutFromAnotherThread();
    void zeroFrames();
    void blockSizeDoesNotChangeResults_data();
    void blockSizeDoesNotChangeResults();
    void nonFiniteSamplesAreCountedAndMeteredAsZero();
    void silenceIsMinusInfinity();
    void rmsDcAndCorrelation();
    void fullScaleAndClipping();
    void activeFrames();
    void channelWeights();
    void liveReadoutsAndPeakHold();
    void resetMatchesFreshMeter();
};

void TestLoudnessMeter::kWeightingCoefficientsMatchReferenceAt48k()
{
    const KWeightingCoefficients k = designKWeighting(48000.0);
    const auto near = [](double a, double b) { return std::abs(a - b) < 1e-8; };
    QVERIFY(near(k.preFilter.b0, kReferencePreFilter.b0));
    QVERIFY(near(k.preFilter.b1, kReferencePreFilter.b1));
    QVERIFY(near(k.preFilter.b2, kReferencePreFilter.b2));
    QVERIFY(near(k.preFilter.a1, kReferencePreFilter.a1));
    QVERIFY(near(k.preFilter.a2, kReferencePreFilter.a2));
    QCOMPARE(k.rlbFilter.b0, 1.0);
    QCOMPARE(k.rlbFilter.b1, -2.0);
    QCOMPARE(k.rlbFilter.b2, 1.0);
    QVERIFY(near(k.rlbFilter.a1, kReferenceRlb.a1));
    QVERIFY(near(k.rlbFilter.a2, kReferenceRlb.a2));
}

void TestLoudnessMeter::kWeightingResponse_data()
{
    QTest::addColumn<int>("rate");
    QTest::addColumn<double>("frequencyHz");
    // ITU-R BS.2217 frequency-response tones (25 Hz .. 10 kHz), plus a few between.
    for (int rate : {44100, 48000, 96000, 192000})
        for (double f : {25.0, 50.0, 100.0, 500.0, 2000.0, 5000.0, 10000.0})
            QTest::addRow("%g Hz @ %d Hz", f, rate) << rate << f;
}

void TestLoudnessMeter::kWeightingResponse()
{
    // The level of a tone relative to 1 kHz must follow the 48 kHz reference filter within BS.2217's +-0.1 LU.
    QFETCH(int, rate);
    QFETCH(double, frequencyHz);
    const double tone = measure(sineDb(rate, 2, frequencyHz, -20.0, 5.0)).integratedLufs;
    const double oneKhz = measure(sineDb(rate, 2, 1000.0, -20.0, 5.0)).integratedLufs;
    const double expected = referenceKWeightingDb(frequencyHz) - referenceKWeightingDb(1000.0);
    QVERIFY2(std::abs((tone - oneKhz) - expected) <= 0.1,
             qPrintable(QStringLiteral("%1 dB re 1 kHz, reference %2").arg(tone - oneKhz).arg(expected)));
}

void TestLoudnessMeter::liveReadoutFromAnotherThread()
{
    const Signal s = programme(48000, 2, 5.0, 11, -6.0);
    LoudnessMeter meter(configFor(s));
    std::atomic<bool> done{false};
    std::thread audio([&] {
        for (int pass = 0; pass < 8; ++pass)
            for (std::size_t f = 0; f + 512 <= std::size_t(s.frames()); f += 512)
                meter.process(s.samples.data() + f * 2, 512);
        done.store(true);
    });
    long polls = 0;
    bool sawNaN = false;
    while (!done.load()) {
        const LiveReadout r = meter.live();
        sawNaN |= std::isnan(r.momentaryLufs) || std::isnan(r.integratedLufs) || std::isnan(r.truePeakHoldDbtp) ||
                  std::isnan(r.correlation);
        if (++polls % 64 == 0)
            meter.resetPeakHold();
        std::this_thread::yield();
    }
    audio.join();
    QVERIFY(!sawNaN);
    QVERIFY(polls > 0);
    const LiveReadout r = meter.live();
    QVERIFY(std::abs(double(r.integratedLufs) - meter.result().integratedLufs) < 1e-3);
}


void TestLoudnessMeter::zeroFrames()
{
    LoudnessMeter meter(MeterConfig{});
    meter.process(nullptr, 0);
    const float one[2] = {0.5f, 0.5f};
    meter.process(one, 0);
    const MeterResult r = meter.result();
    QCOMPARE(r.frames, std::uint64_t(0));
    QCOMPARE(r.integratedLufs, -INFINITY);
    QCOMPARE(r.maxMomentaryLufs, -INFINITY);
    QCOMPARE(r.samplePeakDbfs, -INFINITY);
    QCOMPARE(r.truePeakDbtp, -INFINITY);
    QCOMPARE(r.rmsDbfs, -INFINITY);
    QCOMPARE(r.loudnessRangeLu, 0.0);
    QVERIFY(!r.correlation);
    QCOMPARE(r.firstActiveFrame, std::int64_t(-1));
    QCOMPARE(r.dcOffsetPerChannel, std::vector<double>({0.0, 0.0}));
}

void TestLoudnessMeter::blockSizeDoesNotChangeResults_data()
{
    QTest::addColumn<int>("rate");
    QTest::addColumn<int>("channels");
    QTest::newRow("stereo 48k") << 48000 << 2;
    QTest::newRow("mono 44.1k") << 44100 << 1;
    QTest::newRow("5.1 96k") << 96000 << 6;
    QTest::newRow("3 ch 11025") << 11025 << 3;
}

void TestLoudnessMeter::blockSizeDoesNotChangeResults()
{
    QFETCH(int, rate);
    QFETCH(int, channels);
    Signal s = programme(rate, channels, 8.0, 3, 0.5);
    s.samples[std::size_t(rate) * std::size_t(channels)] = NAN;
    const MeterResult whole = measure(s, std::size_t(s.frames()));
    compareResults(measure(s, 1), whole);
    compareResults(measure(s, 4096), whole);
    compareResults(measure(s, 777), whole);
}

void TestLoudnessMeter::nonFiniteSamplesAreCountedAndMeteredAsZero()
{
    Signal dirty = programme(48000, 2, 6.0, 5, -6.0);
    Signal clean = dirty;
    const std::size_t positions[] = {10, 4801, 100000, 200001, 287999};
    const float values[] = {NAN, INFINITY, -INFINITY, NAN, INFINITY};
    for (std::size_t i = 0; i < 5; ++i) {
        dirty.samples[positions[i]] = values[i];
        clean.samples[positions[i]] = 0.0f;
    }
    MeterResult d = measure(dirty);
    const MeterResult c = measure(clean);
    QCOMPARE(d.nonFiniteSamples, std::uint64_t(5));
    QVERIFY(std::isfinite(d.integratedLufs) && std::isfinite(d.truePeakDbtp) && std::isfinite(d.rmsDbfs));
    d.nonFiniteSamples = 0;
    compareResults(d, c);
}

void TestLoudnessMeter::silenceIsMinusInfinity()
{
    const MeterResult r = measure(silence(48000, 2, 10.0));
    QCOMPARE(r.integratedLufs, -INFINITY);
    QCOMPARE(r.maxMomentaryLufs, -INFINITY);
    QCOMPARE(r.maxShortTermLufs, -INFINITY);
    QCOMPARE(r.loudnessRangeLu, 0.0);
    QCOMPARE(r.samplePeakDbfs, -INFINITY);
    QCOMPARE(r.truePeakDbtp, -INFINITY);
    QCOMPARE(r.rmsDbfs, -INFINITY);
    QVERIFY(!r.correlation);
    QCOMPARE(r.firstActiveFrame, std::int64_t(-1));
    QCOMPARE(r.lastActiveFrame, std::int64_t(-1));
    QCOMPARE(r.frames, std::uint64_t(480000));
}

void TestLoudnessMeter::rmsDcAndCorrelation()
{
    const MeterResult tone = measure(sine(48000, 2, 997.0, 1.0, 2.0));
    QVERIFY(std::abs(tone.rmsDbfs + 3.0103) < 0.001);
    QVERIFY(tone.correlation && std::abs(*tone.correlation - 1.0) < 1e-9);
    QCOMPARE(tone.maxChannelDifference, 0.0);

    Signal inverted = sine(48000, 2, 997.0, 0.5, 2.0);
    Signal dc = silence(48000, 2, 1.0);
    for (std::int64_t i = 0; i < inverted.frames(); ++i)
        inverted.at(i, 1) = -inverted.at(i, 0);
    for (std::int64_t i = 0; i < dc.frames(); ++i) {
        dc.at(i, 0) = 0.25f;
        dc.at(i, 1) = -0.125f + 0.01f * float(i % 2);
    }
    const MeterResult inv = measure(inverted);
    QVERIFY(inv.correlation && std::abs(*inv.correlation + 1.0) < 1e-9);
    QVERIFY(std::abs(inv.maxChannelDifference - 1.0) < 1e-4);
    const MeterResult d = measure(dc);
    QVERIFY(std::abs(d.dcOffsetPerChannel[0] - 0.25) < 1e-7);
    QVERIFY(std::abs(d.dcOffsetPerChannel[1] + 0.12) < 1e-7);
    QVERIFY(std::abs(d.maxAbsDcOffset - 0.25) < 1e-7);
    QVERIFY(!d.correlation);  // left channel is constant: Pearson undefined

    const MeterResult noise = measure(programme(48000, 2, 10.0, 99, -6.0));
    QVERIFY(noise.correlation && std::abs(*noise.correlation) < 0.2);
}

void TestLoudnessMeter::fullScaleAndClipping()
{
    const std::vector<float> left = {0, 1, 1, 1, 0, 1, 1, 0, -1, -1, -1, -1, 1.5f, 0.5f};
    Signal s{48000, 2, {}};
    for (float v : left)
        s.samples.insert(s.samples.end(), {v, 0.25f});
    MeterResult r = measure(s, 3);  // runs span process() calls
    QCOMPARE(r.fullScaleSamples, std::uint64_t(10));
    QCOMPARE(r.overFullScaleSamples, std::uint64_t(1));
    QCOMPARE(r.clippedSamples, std::uint64_t(8));  // the run of 3, and the run of 5 (1.5 is full scale too)

    MeterConfig pcm16 = configFor(s);
    pcm16.fullScaleLevel = 32767.0f / 32768.0f;
    LoudnessMeter meter(pcm16);
    const float nearlyOne[] = {32767.0f / 32768.0f, 0.0f, 32767.0f / 32768.0f, 0.0f, 32767.0f / 32768.0f, 0.0f};
    meter.process(nearlyOne, 3);
    QCOMPARE(meter.result().clippedSamples, std::uint64_t(3));
    QCOMPARE(meter.result().overFullScaleSamples, std::uint64_t(0));
}

void TestLoudnessMeter::activeFrames()
{
    Signal s = silence(48000, 2, 1.0);
    s.at(1000, 1) = 0.01f;
    s.at(1001, 0) = 0.01f;
    s.at(40000, 0) = -0.01f;
    s.at(40001, 1) = 0.00001f;  // -100 dBFS: below the default -80 dBFS activity threshold
    const MeterResult r = measure(s, 500);
    QCOMPARE(r.firstActiveFrame, std::int64_t(1000));
    QCOMPARE(r.lastActiveFrame, std::int64_t(40000));
}

void TestLoudnessMeter::channelWeights()
{
    QCOMPARE(defaultWeights(6)[3], ChannelWeighting::Lfe);
    QCOMPARE(defaultWeights(5)[3], ChannelWeighting::Surround);
    QCOMPARE(defaultWeights(8)[6], ChannelWeighting::Surround);
    QCOMPARE(defaultWeights(2), std::vector<ChannelWeighting>(2, ChannelWeighting::Normal));

    const auto toneOn = [](int channel) {
        Signal s = silence(48000, 6, 5.0);
        const Signal tone = sineDb(48000, 1, 1000.0, -20.0, 5.0);
        for (std::int64_t i = 0; i < s.frames(); ++i)
            s.at(i, channel) = tone.samples[std::size_t(i)];
        return measure(s);
    };
    const MeterResult left = toneOn(0);
    const MeterResult lfe = toneOn(3);
    const MeterResult surround = toneOn(4);
    QCOMPARE(lfe.integratedLufs, -INFINITY);  // BS.1770-4: LFE not in the loudness
    QVERIFY(lfe.samplePeakDbfs > -20.1);       // but still in the peaks
    QVERIFY(std::abs((surround.integratedLufs - left.integratedLufs) - 10.0 * std::log10(1.41)) < 1e-6);
}

void TestLoudnessMeter::liveReadoutsAndPeakHold()
{
    const Signal s = sineDb(48000, 2, 1000.0, -10.0, 4.0);
    LoudnessMeter meter(configFor(s));
    QCOMPARE(meter.live().momentaryLufs, -INFINITY);
    meter.process(s.samples.data(), std::size_t(s.frames()));
    LiveReadout r = meter.live();
    QCOMPARE(r.momentaryLufs, float(meter.momentaryLufs()));
    QCOMPARE(r.shortTermLufs, float(meter.shortTermLufs()));
    QVERIFY(std::abs(r.integratedLufs + 10.0f) < 0.1f);
    QVERIFY(std::abs(r.samplePeakHoldDbfs + 10.0f) < 0.01f);
    QVERIFY(r.truePeakHoldDbtp >= r.samplePeakHoldDbfs);
    QVERIFY(std::abs(r.correlation - 1.0f) < 1e-4f);
    meter.resetPeakHold();
    QCOMPARE(meter.live().samplePeakHoldDbfs, -INFINITY);
    const Signal quiet = sineDb(48000, 2, 1000.0, -30.0, 0.5);
    meter.process(quiet.samples.data(), std::size_t(quiet.frames()));
    r = meter.live();
    QVERIFY(std::abs(r.samplePeakHoldDbfs + 30.0f) < 0.01f);
    QVERIFY(std::abs(r.samplePeakDbfs + 30.0f) < 0.01f);
}

void TestLoudnessMeter::resetMatchesFreshMeter()
{
    const Signal a = programme(44100, 2, 5.0, 1, -3.0);
    const Signal b = programme(44100, 2, 5.0, 2, -9.0);
    LoudnessMeter meter(configFor(a));
    meter.process(a.samples.data(), std::size_t(a.frames()));
    meter.reset();
    meter.process(b.samples.data(), std::size_t(b.frames()));
    compareResults(meter.result(), measure(b, std::size_t(b.frames())));
}

QTEST_GUILESS_MAIN(TestLoudnessMeter)
#include "tst_loudnessmeter.moc"
