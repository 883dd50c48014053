#include "delivery/gainrequest.h"

#include <QTest>

using namespace stemship;
using delivery::GainChoice;
using gain::GainMode;
using gain::Measure;
using templates::GainTarget;
using templates::TargetMeasure;

// The one rule for a delivery's gain request, shared by the packager and the GUI's preview.
class TestGainRequest : public QObject {
    Q_OBJECT

private:
    // Drums at peak -12 (group), Kick In inherits it, Lead Vox at -20 LUFS (own), Bass with no target of its own.
    static templates::SessionTemplate session()
    {
        templates::SessionTemplate t;
        t.defaultTarget = GainTarget{TargetMeasure::Peak, -16.0};
        t.truePeakCeilingDbtp = -2.0;
        t.audit.silenceFloorDbfs = -70.0;
        templates::Group drums;
        drums.id = QStringLiteral("drums");
        drums.target = GainTarget{TargetMeasure::Peak, -12.0};
        t.groups << drums;
        templates::Track kick;
        kick.name = QStringLiteral("Kick In");
        kick.group = QStringLiteral("drums");
        templates::Track vox;
        vox.name = QStringLiteral("Lead Vox");
        vox.target = GainTarget{TargetMeasure::Lufs, -20.0};
        templates::Track bass;
        bass.name = QStringLiteral("Bass");
        t.tracks << kick << vox << bass;
        return t;
    }
    // Stems: Kick In, Lead Vox, Bass, one unmatched, one with an index the template does not have.
    static std::vector<std::optional<int>> tracks() { return {0, 1, 2, std::nullopt, 7}; }

private Q_SLOTS:
    void targetMeasureFollowsTheMode()
    {
        QCOMPARE(delivery::targetMeasure(GainMode::None, Measure::Lufs), Measure::Peak);
        QCOMPARE(delivery::targetMeasure(GainMode::Peak, Measure::Lufs), Measure::Peak);
        QCOMPARE(delivery::targetMeasure(GainMode::Rms, Measure::Peak), Measure::Rms);
        QCOMPARE(delivery::targetMeasure(GainMode::Lufs, Measure::Peak), Measure::Lufs);
        QCOMPARE(delivery::targetMeasure(GainMode::Balanced, Measure::Rms), Measure::Rms);
    }

    void peakModeUsesTrackTargetsThatMeasurePeaks()
    {
        const auto t = session();
        const gain::GainRequest r = delivery::gainRequestFor({GainMode::Peak, Measure::Peak, {}, {}}, &t, tracks());
        QCOMPARE(r.targetDb, -16.0);  // the template's default, a peak target
        QCOMPARE(r.ceilingDbtp, -2.0);
        QCOMPARE(r.silenceFloorDbfs, -70.0);
        QCOMPARE(r.stemTargetsDb.size(), std::size_t(5));
        QCOMPARE(r.stemTargetsDb[0], std::optional<double>(-12.0));  // the group's
        QCOMPARE(r.stemTargetsDb[1], std::optional<double>());       // a LUFS target does not apply to peaks
        QCOMPARE(r.stemTargetsDb[2], std::optional<double>(-16.0));  // the default, through trackTarget
        QCOMPARE(r.stemTargetsDb[3], std::optional<double>());
        QCOMPARE(r.stemTargetsDb[4], std::optional<double>());
    }

    void loudnessModeNeverTakesAPeakDefault()
    {
        const auto t = session();
        const gain::GainRequest r = delivery::gainRequestFor({GainMode::Lufs, Measure::Peak, {}, {}}, &t, tracks());
        QCOMPARE(r.targetDb, -23.0);  // EBU R128, not the template's -16 dBFS peak
        QCOMPARE(r.stemTargetsDb[0], std::optional<double>());
        QCOMPARE(r.stemTargetsDb[1], std::optional<double>(-20.0));
        QCOMPARE(r.stemTargetsDb[2], std::optional<double>());
        const gain::GainRequest rms = delivery::gainRequestFor({GainMode::Rms, Measure::Peak, {}, {}}, &t, tracks());
        QCOMPARE(rms.targetDb, -20.0);
    }

    void explicitTargetAndCeilingWin()
    {
        const auto t = session();
        const gain::GainRequest r = delivery::gainRequestFor({GainMode::Peak, Measure::Peak, -10.0, -0.5}, &t, tracks());
        QCOMPARE(r.targetDb, -10.0);
        QCOMPARE(r.ceilingDbtp, -0.5);
        for (const auto &target : r.stemTargetsDb)
            QVERIFY(!target);
    }

    void withoutATemplate()
    {
        const gain::GainRequest r = delivery::gainRequestFor({GainMode::Balanced, Measure::Lufs, {}, {}}, nullptr, {0, std::nullopt});
        QCOMPARE(r.mode, GainMode::Balanced);
        QCOMPARE(r.measure, Measure::Lufs);
        QCOMPARE(r.targetDb, -23.0);
        QCOMPARE(r.ceilingDbtp, -1.0);
        QCOMPARE(r.silenceFloorDbfs, gain::GainRequest{}.silenceFloorDbfs);
        QCOMPARE(r.stemTargetsDb, (std::vector<std::optional<double>>{std::nullopt, std::nullopt}));
        QCOMPARE(delivery::gainRequestFor({GainMode::Peak, Measure::Peak, {}, {}}, nullptr, {}).targetDb, -18.0);
    }
};

QTEST_GUILESS_MAIN(TestGainRequest)
#include "tst_gainrequest.moc"
