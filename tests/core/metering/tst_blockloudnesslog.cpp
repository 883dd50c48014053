#include "ebur128reference.h"
#include "metering/blockloudnesslog.h"
#include "metering/loudnessmeter.h"
#include "testsignals.h"

#include <QTest>

#include <cmath>

using namespace stemship;
using namespace stemship::test;

namespace {

metering::MeterResult meter(const Signal &s, bool keepBlockLog)
{
    metering::MeterConfig config;
    config.sampleRateHz = s.sampleRateHz;
    config.channels = s.channels;
    config.truePeak = false;
    config.keepBlockLog = keepBlockLog;
    metering::LoudnessMeter m(config);
    m.process(s.samples.data(), std::size_t(s.frames()));
    return m.result();
}

// Four passages whose blocks straddle the -70 LUFS absolute gate (BS.1770-4, EBU Tech 3342): 1 kHz in stereo
// reads about its peak in LUFS. Whether the quiet ones count depends on the gain.
Signal nearTheGate()
{
    Signal s = sineDb(48000, 2, 1000.0, -74.0, 6.0);
    s = concat(s, sineDb(48000, 2, 1000.0, -71.5, 6.0));
    s = concat(s, sineDb(48000, 2, 1000.0, -68.0, 6.0));
    s = concat(s, silence(48000, 2, 1.0));
    return concat(s, sineDb(48000, 2, 1000.0, -66.0, 6.0));
}

}  // namespace

// Integrated loudness and loudness range at a gain offset, from one measurement at 0 dB, against libebur128 and
// the metering core run again on the signal at that gain.
class TestBlockLoudnessLog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void loudnessAtGain_data()
    {
        QTest::addColumn<double>("gainDb");
        for (double g : {-12.0, -3.0, 0.0, 2.0, 5.0, 9.0, 30.0, 100.0})
            QTest::newRow(qPrintable(QStringLiteral("%1 dB").arg(g))) << g;
    }

    void loudnessAtGain()
    {
        QFETCH(double, gainDb);
        const Signal s = nearTheGate();
        const metering::MeterResult atZero = meter(s, true);
        QVERIFY(atZero.blockLog);
        const Signal gained = scaled(s, gainDb);
        const metering::MeterResult again = meter(gained, false);
        const ReferenceLoudness reference = referenceLoudness(gained);

        const double integrated = atZero.blockLog->integratedLufsAt(gainDb);
        const QByteArray what = QStringLiteral("at %1 dB: log I %2 LRA %3, meter I %4 LRA %5, libebur128 I %6")
                                    .arg(gainDb).arg(integrated).arg(atZero.blockLog->loudnessRangeLuAt(gainDb))
                                    .arg(again.integratedLufs).arg(again.loudnessRangeLu).arg(reference.integratedLufs).toUtf8();
        QVERIFY2(std::isfinite(integrated) == std::isfinite(reference.integratedLufs), what.constData());
        if (std::isfinite(integrated)) {
            QVERIFY2(std::abs(integrated - reference.integratedLufs) <= 0.1, what.constData());
            QVERIFY2(std::abs(integrated - again.integratedLufs) <= 0.02, what.constData());
        }
        QVERIFY2(std::abs(atZero.blockLog->loudnessRangeLuAt(gainDb) - again.loudnessRangeLu) <= 0.05, what.constData());
    }

    void theGateMovesWithTheGain()
    {
        // The case above is one where shifting the 0 dB figure would be wrong: at +5 dB the -71.5 LUFS passage
        // passes the gate, at -3 dB the -68 LUFS one no longer does, at -12 dB nothing does.
        const Signal s = nearTheGate();
        const metering::MeterResult atZero = meter(s, true);
        for (double gainDb : {5.0, -3.0}) {
            const double shifted = atZero.integratedLufs + gainDb;
            const double reference = referenceLoudness(scaled(s, gainDb)).integratedLufs;
            QVERIFY2(std::abs(shifted - reference) > 0.5, qPrintable(QStringLiteral("%1 vs %2").arg(shifted).arg(reference)));
            QVERIFY(std::abs(atZero.blockLog->integratedLufsAt(gainDb) - reference) <= 0.1);
        }
        QVERIFY(std::isinf(atZero.blockLog->integratedLufsAt(-12.0)));
        QCOMPARE(atZero.blockLog->loudnessRangeLuAt(-12.0), 0.0);
    }

    void agreesWithTheMeterAtZero()
    {
        const Signal s = concat(programme(44100, 2, 20.0, 7u, -20.0), scaled(programme(44100, 2, 10.0, 8u, -6.0), -40.0));
        const metering::MeterResult r = meter(s, true);
        QVERIFY(std::abs(r.blockLog->integratedLufsAt(0.0) - r.integratedLufs) <= 0.01);
        QVERIFY(std::abs(r.blockLog->loudnessRangeLuAt(0.0) - r.loudnessRangeLu) <= 0.01);
        // Off unless asked for: live meters keep no log.
        QVERIFY(!meter(s, false).blockLog);
    }
};

QTEST_GUILESS_MAIN(TestBlockLoudnessLog)
#include "tst_blockloudnesslog.moc"
