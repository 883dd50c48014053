#include "referencesession.h"
#include "audit/stemauditor.h"
#include "reference/nullforensics.h"

#include <QTemporaryDir>
#include <QTest>

using namespace stemship;
using namespace stemship::test;

namespace {

struct Analysed {
    ReferenceSession session;
    reference::NullForensics result;
};

// Writes the session and runs the forensics on it at its rate, each file placed by its BWF start.
std::optional<Analysed> analyse(const QTemporaryDir &dir, const SessionSpec &spec, reference::ForensicsOptions options = {})
{
    auto session = writeReferenceSession(dir.path(), spec);
    if (!session)
        return std::nullopt;
    std::vector<reference::SignalOpener> stems;
    for (int i = 0; i < session->stemPaths.size(); ++i) {
        const QString &path = session->stemPaths[i];
        stems.push_back(reference::audioSignal(io::StemSource{path, path, {}}, spec.sampleRateHz,
                                               std::int64_t(spec.stems[std::size_t(i)].timeReferenceSamples.value_or(0))));
    }
    options.rateHz = spec.sampleRateHz;
    options.jobs = 2;
    CancelToken cancel;
    auto result = reference::analyseNull(stems, reference::audioSignal(io::StemSource{session->mixPath, session->mixPath, {}}, spec.sampleRateHz, 0),
                                         options, cancel);
    if (!result) {
        qWarning("%s", qPrintable(result.error().line()));
        return std::nullopt;
    }
    return Analysed{*session, *result};
}

}  // namespace

class TestNullForensics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The session: +26, +53 and -30 samples, a flipped stem, a mono stem, a 0.75 master gain.
    void plantedFaultsAreReportedExactly()
    {
        QTemporaryDir dir;
        SessionSpec spec;
        spec.masterGain = 0.75;
        spec.stems = {stem("Kick", 26), stem("Bass", 53, false, 1), stem("Keys", -30), stem("Vocal", 0, true), stem("Pad")};
        auto a = analyse(dir, spec);
        QVERIFY(a);
        const auto &r = a->result;
        QCOMPARE(r.stems.size(), spec.stems.size());
        for (std::size_t i = 0; i < spec.stems.size(); ++i) {
            QVERIFY2(r.stems[i].offsetFrames, qPrintable(spec.stems[i].name));
            QCOMPARE(*r.stems[i].offsetFrames, spec.stems[i].offsetFrames);
            QCOMPARE(*r.stems[i].polarityInverted, spec.stems[i].inverted);
            QVERIFY(std::fabs(r.stems[i].correlation) > 0.99);
        }
        QVERIFY(!r.passed);
        QVERIFY(r.residualRelativeDb > -10.0);
        QVERIFY(r.bestFitGainDb);
        QVERIFY2(std::fabs(*r.bestFitGainDb - 20.0 * std::log10(0.75)) < 0.01, qPrintable(QString::number(*r.bestFitGainDb)));
        QVERIFY2(*r.residualAfterFitDb < -100.0, qPrintable(QString::number(*r.residualAfterFitDb)));
    }

    void aligningNullsTheFittedSet()
    {
        QTemporaryDir dir;
        SessionSpec spec;
        spec.stems = {stem("Kick", 26), stem("Bass", 53), stem("Keys", -30), stem("Vocal", 0, true)};
        reference::ForensicsOptions options;
        options.aligned = true;
        auto a = analyse(dir, spec, options);
        QVERIFY(a);
        QVERIFY2(a->result.residualRelativeDb < -80.0, qPrintable(QString::number(a->result.residualRelativeDb)));
        QVERIFY(a->result.passed);
        QVERIFY(std::fabs(*a->result.bestFitGainDb) < 0.001);
    }

    void cleanSetPasses()
    {
        QTemporaryDir dir;
        SessionSpec spec;
        spec.stems = {stem("Kick"), stem("Bass", 0, false, 1), stem("Keys")};
        auto a = analyse(dir, spec);
        QVERIFY(a);
        const auto &r = a->result;
        QVERIFY(r.passed);
        QVERIFY2(r.residualRelativeDb < -100.0, qPrintable(QString::number(r.residualRelativeDb)));
        QVERIFY(!r.anyMisaligned());
        for (const auto &s : r.stems) {
            QCOMPARE(s.offsetFrames, std::optional<std::int64_t>(0));
            QCOMPARE(s.polarityInverted, std::optional<bool>(false));
        }
        QVERIFY(std::fabs(*r.bestFitGainDb) < 0.001);
        QVERIFY(r.mixRmsDbfs > -40.0 && r.mixRmsDbfs < 0.0);
    }

    // Bleed: the room mic holds half of the overhead; each still resolves to its own offset.
    void sharedContentStillResolves()
    {
        QTemporaryDir dir;
        SessionSpec spec;
        PlantedStem room = stem("Room", -30);
        room.levelDb = -20.0;
        room.bleedFrom = 0;
        spec.stems = {stem("Overhead", 26), room, stem("Bass", 53)};
        auto a = analyse(dir, spec);
        QVERIFY(a);
        for (std::size_t i = 0; i < spec.stems.size(); ++i) {
            QVERIFY(a->result.stems[i].offsetFrames);
            QCOMPARE(*a->result.stems[i].offsetFrames, spec.stems[i].offsetFrames);
        }
        QVERIFY(*a->result.residualAfterFitDb < -100.0);
    }

    // Stems cut from one recording (the same material at other times) carry the same in-phase tone: correlation
    // against the whole mix finds it everywhere. Subtracting the others as they are first keeps each stem to its own.
    void stemsSharingMaterialStayPut()
    {
        QTemporaryDir dir;
        const Signal base = programme(48000, 2, 8.0, 1u, -18.0);
        Signal mix{48000, 2, std::vector<float>(base.samples.size(), 0.0f)};
        std::vector<reference::SignalOpener> stems;
        const std::int64_t planted[] = {0, 26, 0, 0, 0, 0};
        for (int i = 0; i < 6; ++i) {
            Signal part = base;
            std::rotate(part.samples.begin(), part.samples.begin() + std::ptrdiff_t(i) * 2 * 48000 * 7 / 5 * 2 / 2, part.samples.end());
            for (std::size_t k = 0; k < part.samples.size(); ++k)
                mix.samples[k] += part.samples[k];
            Signal file = part;
            const std::int64_t d = planted[i];
            std::fill(file.samples.begin(), file.samples.end(), 0.0f);
            for (std::int64_t t = d; t < part.frames(); ++t)
                for (int c = 0; c < 2; ++c)
                    file.at(t, c) = (i == 3 ? -1.0f : 1.0f) * part.samples[std::size_t((t - d) * 2 + c)];
            const QString path = dir.filePath(QStringLiteral("s%1.wav").arg(i));
            QVERIFY(writeAudio(path, file));
            stems.push_back(reference::audioSignal(io::StemSource{path, path, {}}, 48000, 0));
        }
        const QString mixPath = dir.filePath(QStringLiteral("mix.wav"));
        QVERIFY(writeAudio(mixPath, mix));
        reference::ForensicsOptions options;
        options.jobs = 2;
        CancelToken cancel;
        auto r = reference::analyseNull(stems, reference::audioSignal(io::StemSource{mixPath, mixPath, {}}, 48000, 0), options, cancel);
        QVERIFY(r);
        for (int i = 0; i < 6; ++i) {
            QCOMPARE(r->stems[std::size_t(i)].offsetFrames, std::optional<std::int64_t>(planted[i]));
            QCOMPARE(r->stems[std::size_t(i)].polarityInverted, std::optional<bool>(i == 3));
        }
        // Only the 26 frames the late stem lost at its end (its file is no longer than the others) remain.
        QVERIFY2(*r->residualAfterFitDb < -30.0 && *r->residualAfterFitDb < r->residualRelativeDb - 20.0, qPrintable(QString::number(*r->residualAfterFitDb)));
    }

    void offsetsUpToHalfASecond()
    {
        QTemporaryDir dir;
        SessionSpec spec;
        spec.stems = {stem("Late", 24000), stem("Early", -24000), stem("Near", 1)};
        auto a = analyse(dir, spec);
        QVERIFY(a);
        for (std::size_t i = 0; i < spec.stems.size(); ++i)
            QCOMPARE(a->result.stems[i].offsetFrames, std::optional<std::int64_t>(spec.stems[i].offsetFrames));
    }

    void silentAndMissingStemsHaveNoOffset()
    {
        QTemporaryDir dir;
        SessionSpec spec;
        PlantedStem silent = stem("Silent");
        silent.silent = true;
        PlantedStem extra = stem("Not in the mix");
        extra.inMix = false;
        spec.stems = {stem("Kick", 12), silent, extra};
        auto a = analyse(dir, spec);
        QVERIFY(a);
        const auto &r = a->result;
        QCOMPARE(r.stems[0].offsetFrames, std::optional<std::int64_t>(12));
        QVERIFY(r.stems[1].silent);
        QVERIFY(!r.stems[1].offsetFrames && !r.stems[1].polarityInverted);
        QVERIFY(!r.stems[2].silent);
        QVERIFY(!r.stems[2].offsetFrames);
        QVERIFY(std::fabs(r.stems[2].correlation) < reference::kMinContainedCorrelation);
        QVERIFY(!r.passed);
    }

    // The mix holds something the stems don't (its last two seconds cut): the residual after the fit stays high and
    // its worst block lies in the cut.
    void cutTailIsLocated()
    {
        QTemporaryDir dir;
        SessionSpec spec;
        spec.mixCutAfterSeconds = 4.5;
        spec.stems = {stem("Kick"), stem("Keys", 7)};
        auto a = analyse(dir, spec);
        QVERIFY(a);
        const auto &r = a->result;
        QVERIFY(*r.residualAfterFitDb > -20.0);
        QVERIFY(r.worstResidualSeconds);
        QVERIFY2(*r.worstResidualSeconds >= 4.4 && *r.worstResidualSeconds < 6.3, qPrintable(QString::number(*r.worstResidualSeconds)));
        QCOMPARE(r.residualOverTimeDbfs.size(), r.mixOverTimeDbfs.size());
        // With one least-squares gain over the whole span the uncut part keeps some residual too, less than the cut.
        const std::size_t early = 20, late = 55;  // 2.0 s and 5.5 s
        QVERIFY(r.residualOverTimeDbfs[early] < r.residualOverTimeDbfs[late] - 3.0);
        QVERIFY(std::isinf(r.mixOverTimeDbfs[late]) && r.residualOverTimeDbfs[late] > -40.0);
        QVERIFY(r.mixOverTimeDbfs[early] > -40.0);
    }

    // Stems placed by their BWF starts, the mix from zero.
    void bwfStartsPlaceTheStems()
    {
        QTemporaryDir dir;
        SessionSpec spec;
        PlantedStem late = stem("Pickup", 26);
        late.timeReferenceSamples = 96000;
        spec.stems = {stem("Kick"), late};
        auto a = analyse(dir, spec);
        QVERIFY(a);
        QCOMPARE(a->result.stems[0].offsetFrames, std::optional<std::int64_t>(0));
        QCOMPARE(a->result.stems[1].offsetFrames, std::optional<std::int64_t>(26));
    }
};

QTEST_GUILESS_MAIN(TestNullForensics)
#include "tst_nullforensics.moc"
