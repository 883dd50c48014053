#include "gain/gainplanner.h"

#include <QTest>

using namespace stemship::gain;

// planGains: targets per mode, the common gain of balanced, the ceiling, silence.
class TestGainPlanner : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void perStemTargets()
    {
        const std::vector<StemLevels> levels{{-6, -5.5, -20, -18}, {-12, -11.8, -25, -24}};
        GainRequest r;
        r.targetDb = -18;
        r.mode = GainMode::Peak;
        auto plan = planGains(levels, r);
        QCOMPARE(plan.stems[0].gainDb, -12.0);
        QCOMPARE(plan.stems[1].gainDb, -6.0);
        QVERIFY(!plan.commonGainDb);
        r.mode = GainMode::Lufs;
        r.targetDb = -23;
        plan = planGains(levels, r);
        QCOMPARE(plan.stems[0].gainDb, -5.0);
        QCOMPARE(plan.stems[1].gainDb, 1.0);
        r.stemTargetsDb = {std::nullopt, -30.0};
        plan = planGains(levels, r);
        QCOMPARE(plan.stems[1].gainDb, -6.0);
    }

    void balancedIsOneGain()
    {
        const std::vector<StemLevels> levels{{-6, -5.5, -20, -18}, {-12, -11.8, -25, -24}, {-30, -29, -40, -40}};
        GainRequest r;
        r.mode = GainMode::Balanced;
        r.targetDb = -18;
        const auto plan = planGains(levels, r);
        for (const auto &g : plan.stems)
            QCOMPARE(g.gainDb, -12.0);
        QCOMPARE(*plan.commonGainDb, -12.0);
    }

    void ceilingWins()
    {
        const std::vector<StemLevels> levels{{-10, -4, -40, -38}, {-20, -19, -30, -30}};
        GainRequest r;
        r.mode = GainMode::Rms;
        r.targetDb = -20;
        r.ceilingDbtp = -1;
        auto plan = planGains(levels, r);
        QCOMPARE(plan.stems[0].gainDb, 3.0);  // wanted +20, true peak -4 allows +3
        QVERIFY(plan.stems[0].limitedByCeiling);
        QVERIFY(!plan.stems[0].note.empty());
        QCOMPARE(plan.stems[1].gainDb, 10.0);
        QVERIFY(!plan.stems[1].limitedByCeiling);
        // Balanced lowers the common gain, so the balance holds.
        r.mode = GainMode::Balanced;
        r.measure = Measure::Peak;
        r.targetDb = 0;
        plan = planGains(levels, r);
        QCOMPARE(plan.stems[0].gainDb, 3.0);
        QCOMPARE(plan.stems[1].gainDb, 3.0);
        QVERIFY(plan.stems[0].limitedByCeiling);
        QVERIFY(!plan.stems[1].limitedByCeiling);
        // Even "none" respects the ceiling.
        r.mode = GainMode::None;
        const std::vector<StemLevels> hot{{-0.5, 0.4, -10, -8}};
        plan = planGains(hot, r);
        QCOMPARE(plan.stems[0].gainDb, -1.4);
        QVERIFY(plan.stems[0].limitedByCeiling);
    }

    void silenceGetsZero_data()
    {
        QTest::addColumn<int>("mode");
        for (GainMode m : {GainMode::Peak, GainMode::Rms, GainMode::Lufs, GainMode::Balanced, GainMode::None})
            QTest::newRow(gainModeName(m)) << int(m);
    }
    void silenceGetsZero()
    {
        QFETCH(int, mode);
        const std::vector<StemLevels> levels{{}, {-100, -100, -110, -INFINITY}};
        GainRequest r;
        r.mode = GainMode(mode);
        const auto plan = planGains(levels, r);
        for (const auto &g : plan.stems) {
            QVERIFY(g.silent);
            QCOMPARE(g.gainDb, 0.0);
            QVERIFY(std::isfinite(g.gainDb));
        }
        QVERIFY(planGains({}, r).stems.empty());
    }

    void names()
    {
        QCOMPARE(*parseGainMode("balanced"), GainMode::Balanced);
        QVERIFY(!parseGainMode("loud"));
        QCOMPARE(*parseMeasure("lufs"), Measure::Lufs);
    }
};

QTEST_GUILESS_MAIN(TestGainPlanner)
#include "tst_gainplanner.moc"
