// EBU Tech 3341 (cases 1-6, 9-23) and Tech 3342 (cases 1-4) minimum requirements, synthesised per their tables.

#include "ebusignals.h"

#include <metering/loudnessmeter.h>

#include <QTest>

#include <functional>

using namespace stemship::metering;
using namespace stemship::test;

namespace {

constexpr double kLoudnessToleranceLu = 0.1;  // Tech 3341 Table 1: M, S, I +-0.1
constexpr double kRangeToleranceLu = 1.0;     // Tech 3342 Table 1: LRA +-1
constexpr double kTruePeakAbove = 0.2;        // Tech 3341 Table 1: true peak +0.2 / -0.4 dB
constexpr double kTruePeakBelow = 0.4;

MeterConfig configFor(const Signal &s)
{
    MeterConfig c;
    c.sampleRateHz = s.sampleRateHz;
    c.channels = s.channels;
    return c;
}

MeterResult measure(const Signal &s)
{
    LoudnessMeter meter(configFor(s));
    meter.process(s.samples.data(), std::size_t(s.frames()));
    return meter.result();
}

// Feeds s in 100 ms blocks and calls visit(meter, secondsSoFar) after each, as a live meter's display would read.
void feedInSteps(const Signal &s, const std::function<void(const LoudnessMeter &, double)> &visit)
{
    LoudnessMeter meter(configFor(s));
    const std::size_t step = std::size_t((s.sampleRateHz + 5) / 10);
    for (std::size_t done = 0; done < std::size_t(s.frames()); done += step) {
        const std::size_t n = std::min(step, std::size_t(s.frames()) - done);
        meter.process(s.samples.data() + done * std::size_t(s.channels), n);
        visit(meter, double(done + n) / s.sampleRateHz);
    }
}

}  // namespace

class TestEbuConformance : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void integrated_data();
    void integrated();
    void momentaryAndShortTermOfSteadyTone_data();
    void momentaryAndShortTermOfSteadyTone();
    void shortTermConstantCase9();
    void momentaryConstantCase12();
    void maxShortTermFileBasedCase10_data();
    void maxShortTermFileBasedCase10();
    void maxShortTermLiveCase11();
    void maxMomentaryFileBasedCase13_data();
    void maxMomentaryFileBasedCase13();
    void maxMomentaryLiveCase14();
    void truePeak_data();
    void truePeak();
    void loudnessRange_data();
    void loudnessRange();
};

void TestEbuConformance::integrated_data()
{
    QTest::addColumn<int>("caseNumber");
    QTest::addColumn<int>("rate");
    QTest::addColumn<double>("expectedLufs");
    const double expected[] = {0.0, -23.0, -33.0, -23.0, -23.0, -23.0, -23.0};
    for (int rate : {48000, 44100, 96000})
        for (int n = 1; n <= 6; ++n)
            QTest::addRow("3341-%d @ %d Hz", n, rate) << n << rate << expected[n];
}

void TestEbuConformance::integrated()
{
    QFETCH(int, caseNumber);
    QFETCH(int, rate);
    QFETCH(double, expectedLufs);
    const MeterResult r = measure(tech3341Loudness(caseNumber, rate));
    QVERIFY2(std::abs(r.integratedLufs - expectedLufs) <= kLoudnessToleranceLu,
             qPrintable(QStringLiteral("I = %1 LUFS").arg(r.integratedLufs, 0, 'f', 3)));
}

void TestEbuConformance::momentaryAndShortTermOfSteadyTone_data()
{
    QTest::addColumn<int>("caseNumber");
    QTest::addColumn<double>("expectedLufs");
    QTest::newRow("3341-1") << 1 << -23.0;
    QTest::newRow("3341-2") << 2 << -33.0;
}

void TestEbuConformance::momentaryAndShortTermOfSteadyTone()
{
    QFETCH(int, caseNumber);
    QFETCH(double, expectedLufs);
    const Signal s = tech3341Loudness(caseNumber, 48000);
    LoudnessMeter meter(configFor(s));
    meter.process(s.samples.data(), std::size_t(s.frames()));
    const MeterResult r = meter.result();
    QVERIFY2(std::abs(meter.momentaryLufs() - expectedLufs) <= kLoudnessToleranceLu, "M");
    QVERIFY2(std::abs(meter.shortTermLufs() - expectedLufs) <= kLoudnessToleranceLu, "S");
    QVERIFY2(std::abs(r.maxMomentaryLufs - expectedLufs) <= kLoudnessToleranceLu, "max M");
    QVERIFY2(std::abs(r.maxShortTermLufs - expectedLufs) <= kLoudnessToleranceLu, "max S");
    QVERIFY2(std::abs(r.integratedLufs - expectedLufs) <= kLoudnessToleranceLu, "I");
}

void TestEbuConformance::shortTermConstantCase9()
{
    // S = -23.0 +-0.1, constant after 3 s.
    int readings = 0;
    feedInSteps(tech3341Loudness(9, 48000), [&](const LoudnessMeter &m, double t) {
        if (t < 3.0 - 1e-9)
            return;
        ++readings;
        QVERIFY2(std::abs(m.shortTermLufs() + 23.0) <= kLoudnessToleranceLu,
                 qPrintable(QStringLiteral("S = %1 at %2 s").arg(m.shortTermLufs()).arg(t)));
    });
    QCOMPARE(readings, 121);
}

void TestEbuConformance::momentaryConstantCase12()
{
    // M = -23.0 +-0.1, constant after 1 s.
    int readings = 0;
    feedInSteps(tech3341Loudness(12, 48000), [&](const LoudnessMeter &m, double t) {
        if (t < 1.0 - 1e-9)
            return;
        ++readings;
        QVERIFY2(std::abs(m.momentaryLufs() + 23.0) <= kLoudnessToleranceLu,
                 qPrintable(QStringLiteral("M = %1 at %2 s").arg(m.momentaryLufs()).arg(t)));
    });
    QCOMPARE(readings, 91);
}

void TestEbuConformance::maxShortTermFileBasedCase10_data()
{
    QTest::addColumn<int>("index");
    for (int i = 0; i < 20; ++i)
        QTest::addRow("3341-10-%d", i + 1) << i;
}

void TestEbuConformance::maxShortTermFileBasedCase10()
{
    QFETCH(int, index);
    const MeterResult r = measure(tech3341Loudness(10, 48000, index));
    QVERIFY2(std::abs(r.maxShortTermLufs + 23.0) <= kLoudnessToleranceLu,
             qPrintable(QStringLiteral("max S = %1").arg(r.maxShortTermLufs, 0, 'f', 3)));
}

void TestEbuConformance::maxShortTermLiveCase11()
{
    // One file of 20 tones rising 1 dB each; a live meter's max S after tone i reads -38 + i.
    const Signal s = tech3341Loudness(11, 48000);
    LoudnessMeter meter(configFor(s));
    std::size_t done = 0;
    for (int i = 0; i < 20; ++i) {
        const auto frames = std::size_t(std::llround(6.0 * s.sampleRateHz));  // i*0.15 + 3 + (3 - i*0.15) s
        meter.process(s.samples.data() + done * 2, frames);
        done += frames;
        const double maxS = meter.result().maxShortTermLufs;
        QVERIFY2(std::abs(maxS - (-38.0 + i)) <= kLoudnessToleranceLu,
                 qPrintable(QStringLiteral("tone %1: max S = %2").arg(i).arg(maxS, 0, 'f', 3)));
    }
    QCOMPARE(done, std::size_t(s.frames()));
}

void TestEbuConformance::maxMomentaryFileBasedCase13_data()
{
    QTest::addColumn<int>("index");
    for (int i = 0; i < 20; ++i)
        QTest::addRow("3341-13-%d", i + 1) << i;
}

void TestEbuConformance::maxMomentaryFileBasedCase13()
{
    QFETCH(int, index);
    const MeterResult r = measure(tech3341Loudness(13, 48000, index));
    QVERIFY2(std::abs(r.maxMomentaryLufs + 23.0) <= kLoudnessToleranceLu,
             qPrintable(QStringLiteral("max M = %1").arg(r.maxMomentaryLufs, 0, 'f', 3)));
}

void TestEbuConformance::maxMomentaryLiveCase14()
{
    const Signal s = tech3341Loudness(14, 48000);
    LoudnessMeter meter(configFor(s));
    std::size_t done = 0;
    for (int i = 0; i < 20; ++i) {
        const auto frames = std::size_t(std::llround(0.8 * s.sampleRateHz));  // i*0.02 + 0.4 + (0.4 - i*0.02) s
        meter.process(s.samples.data() + done * 2, frames);
        done += frames;
        const double maxM = meter.result().maxMomentaryLufs;
        QVERIFY2(std::abs(maxM - (-38.0 + i)) <= kLoudnessToleranceLu,
                 qPrintable(QStringLiteral("tone %1: max M = %2").arg(i).arg(maxM, 0, 'f', 3)));
    }
    QCOMPARE(done, std::size_t(s.frames()));
}

void TestEbuConformance::truePeak_data()
{
    QTest::addColumn<int>("caseNumber");
    for (int n = 15; n <= 23; ++n)
        QTest::addRow("3341-%d", n) << n;
}

void TestEbuConformance::truePeak()
{
    QFETCH(int, caseNumber);
    const MeterResult r = measure(tech3341TruePeak(caseNumber, 48000));
    const double expected = tech3341TruePeakExpected(caseNumber);
    const QByteArray what = QStringLiteral("true peak %1 dBTP, expected %2 +%3/-%4")
                                .arg(r.truePeakDbtp, 0, 'f', 3)
                                .arg(expected)
                                .arg(kTruePeakAbove)
                                .arg(kTruePeakBelow)
                                .toUtf8();
    QVERIFY2(r.truePeakDbtp <= expected + kTruePeakAbove && r.truePeakDbtp >= expected - kTruePeakBelow,
             what.constData());
    for (double perChannel : r.truePeakDbtpPerChannel)
        QCOMPARE(perChannel, r.truePeakDbtp);
}

void TestEbuConformance::loudnessRange_data()
{
    QTest::addColumn<int>("caseNumber");
    QTest::addColumn<int>("rate");
    for (int rate : {48000, 44100, 96000})
        for (int n = 1; n <= 4; ++n)
            QTest::addRow("3342-%d @ %d Hz", n, rate) << n << rate;
}

void TestEbuConformance::loudnessRange()
{
    QFETCH(int, caseNumber);
    QFETCH(int, rate);
    const MeterResult r = measure(tech3342Range(caseNumber, rate));
    const double expected = tech3342RangeExpected(caseNumber);
    QVERIFY2(std::abs(r.loudnessRangeLu - expected) <= kRangeToleranceLu,
             qPrintable(QStringLiteral("LRA = %1 LU").arg(r.loudnessRangeLu, 0, 'f', 3)));
}

QTEST_GUILESS_MAIN(TestEbuConformance)
#include "tst_ebuconformance.moc"
