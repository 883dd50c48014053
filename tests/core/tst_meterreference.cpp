// LoudnessMeter against libebur128 on programme material: mono, stereo and 5.1 at 8 kHz .. 384 kHz.

#include "testsignals.h"
#include "metersupport.h"

#include <metering/loudnessmeter.h>

#include <QTest>

#include <algorithm>
#include <cmath>

#include <ebur128.h>  // required by tests/CMakeLists.txt: the reference rows never skip

using namespace stemship::metering;
using namespace stemship::test;

class TestMeterReference : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesLibebur128_data();
    void matchesLibebur128();
};

void TestMeterReference::matchesLibebur128_data()
{
    QTest::addColumn<int>("rate");
    QTest::addColumn<int>("channels");
    // 5.1 up to 96 kHz: the channel weights do not depend on the rate, and libebur128's short-term reads over 3 s
    // of 5.1 at 192 and 384 kHz took 15 of this program's 25 s (the test budget is 20 s).
    for (int rate : {8000, 44100, 48000, 96000, 192000, 384000})
        for (int channels : {1, 2, 6})
            if (channels < 6 || rate <= 96000)
                QTest::addRow("%d ch @ %d Hz", channels, rate) << rate << channels;
}

void TestMeterReference::matchesLibebur128()
{
    QFETCH(int, rate);
    QFETCH(int, channels);
    // 20 s: 170 short-term values for the range, and short enough for the sanitizer run at 384 kHz x 6.
    const Signal s = programme(rate, channels, 20.0, std::uint32_t(rate + channels), -3.0);
    const MeterResult ours = measure(s);

    // libebur128's own ebur128_loudness_range() takes a short-term value only every 1 s (2 s overlap), below the
    // 2.9 s overlap (10 Hz) Tech 3342 §3.1 requires, and on this material that alone moves LRA by up to 0.9 LU.
    // So the LRA reference is libebur128's short-term loudness read every 100 ms, put through Tech 3342's MATLAB
    // algorithm (below); its native figure is printed for information.
    ebur128_state *st = ebur128_init(unsigned(channels), unsigned(rate),
                                     EBUR128_MODE_I | EBUR128_MODE_S | EBUR128_MODE_LRA | EBUR128_MODE_TRUE_PEAK);
    QVERIFY(st);
    const auto frames = std::size_t(s.frames());
    const auto step = std::size_t((rate + 5) / 10);
    std::vector<double> shortTerm;
    for (std::size_t done = 0; done + step <= frames; done += step) {
        ebur128_add_frames_float(st, s.samples.data() + done * std::size_t(channels), step);
        double value = 0.0;
        if (done + step >= 30 * step && ebur128_loudness_shortterm(st, &value) == EBUR128_SUCCESS)
            shortTerm.push_back(value);
    }
    double integrated = 0.0, nativeRange = 0.0, truePeak = 0.0;
    ebur128_loudness_global(st, &integrated);
    ebur128_loudness_range(st, &nativeRange);
    for (int c = 0; c < channels; ++c) {
        double p = 0.0;
        ebur128_true_peak(st, unsigned(c), &p);
        truePeak = std::max(truePeak, p);
    }
    ebur128_destroy(&st);
    const double range = tech3342RangeLu(shortTerm);

    const QByteArray what = QStringLiteral("ours I %1 LRA %2 TP %3, libebur128 I %4 LRA %5 (native %6) TP %7")
                                .arg(ours.integratedLufs, 0, 'f', 4).arg(ours.loudnessRangeLu, 0, 'f', 3)
                                .arg(ours.truePeakDbtp, 0, 'f', 3).arg(integrated, 0, 'f', 4)
                                .arg(range, 0, 'f', 3).arg(nativeRange, 0, 'f', 3)
                                .arg(linearToDb(truePeak), 0, 'f', 3).toUtf8();
    qInfo("%s", what.constData());
    QVERIFY2(std::abs(ours.integratedLufs - integrated) <= 0.05, what.constData());
    QVERIFY2(std::abs(ours.loudnessRangeLu - range) <= 0.2, what.constData());
    QVERIFY2(std::abs(ours.truePeakDbtp - linearToDb(truePeak)) <= 0.2, what.constData());
}

QTEST_GUILESS_MAIN(TestMeterReference)
#include "tst_meterreference.moc"
