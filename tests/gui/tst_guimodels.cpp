// Every GUI model under QAbstractItemModelTester, filled from real core results (an audit of generated stems,
// a bundled template), plus the values and roles the views rely on.

#include "guitestsession.h"

#include "audio/playbackengine.h"
#include "audit/stemauditor.h"
#include "delivery/gainpreview.h"
#include "models/busmodel.h"
#include "models/gainplanmodel.h"
#include "models/mixermodel.h"
#include "models/routingmodel.h"
#include "models/stemtablemodel.h"
#include "models/trackmodel.h"
#include "templates/templateparser.h"
#include "templates/templatestore.h"

#include <QAbstractItemModelTester>
#include <QFileInfo>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

#include <cmath>

using namespace stemship;
using namespace stemship::gui;

class TestGuiModels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        test::setUpGuiTest();
        QVERIFY(m_session.write());
        QList<Error> errors;
        const QList<io::StemSource> sources = io::collectSources({m_session.dir.path()}, &errors);
        QVERIFY(errors.isEmpty());
        QCOMPARE(sources.size(), m_session.files.size());
        auto tmpl = templates::loadTemplate(QStringLiteral("stemship-demo"));
        QVERIFY2(tmpl.ok(), qPrintable(tmpl.ok() ? QString() : tmpl.error().line()));
        m_template = tmpl.value();
        audit::AuditOptions options;
        options.sessionTemplate = m_template;
        options.settings = m_template->audit;
        CancelToken cancel;
        m_report = audit::runAudit(sources, options, {}, cancel);
        m_sources = sources;
    }

    void stemTableModel()
    {
        StemTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setReport(&m_report);
        QCOMPARE(model.rowCount(), m_session.files.size());
        QCOMPARE(model.columnCount(), int(StemTableModel::ColumnCount));
        for (int row = 0; row < model.rowCount(); ++row) {
            const audit::StemReport *stem = model.stem(row);
            QVERIFY(stem);
            QCOMPARE(model.index(row, StemTableModel::Lufs).data(StemTableModel::SortRole).toDouble(), stem->levels.integratedLufs);
            QVERIFY(model.index(row, StemTableModel::Peak).data(Qt::FontRole).value<QFont>().fixedPitch()
                    || model.index(row, StemTableModel::Peak).data(Qt::FontRole).value<QFont>().styleHint() == QFont::Monospace);
            QVERIFY(model.index(row, StemTableModel::Role).data().toString().size() > 0);  // matched the demo's tracks
        }
        QSortFilterProxyModel proxy;
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.setSortRole(StemTableModel::SortRole);
        proxy.sort(StemTableModel::Peak, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, StemTableModel::Stem).data().toString(), QStringLiteral("Kick In.wav"));
        model.setReport(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    // The Bits column says what the samples are: a depth, float, or lossy (an Ogg Vorbis stem has no depth).
    void depthColumnSaysWhatTheSamplesAre()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const test::Signal s = test::programme(48000, 2, 1.0, 5u, -12.0);
        QVERIFY(test::writeAudio(dir.filePath(QStringLiteral("a.wav")), s, {SF_FORMAT_WAV | SF_FORMAT_PCM_24, {}}));
        QVERIFY(test::writeAudio(dir.filePath(QStringLiteral("b.wav")), s, {SF_FORMAT_WAV | SF_FORMAT_FLOAT, {}}));
        QVERIFY(test::writeAudio(dir.filePath(QStringLiteral("c.ogg")), s, {SF_FORMAT_OGG | SF_FORMAT_VORBIS, {}}));
        QList<Error> errors;
        CancelToken cancel;
        const audit::AuditReport report = audit::runAudit(io::collectSources({dir.path()}, &errors), {}, {}, cancel);
        StemTableModel model;
        model.setReport(&report);
        QCOMPARE(model.rowCount(), 3);
        QStringList depths;
        for (int row = 0; row < 3; ++row)
            depths << QFileInfo(model.stem(row)->path).fileName() + QLatin1Char('=') + model.index(row, StemTableModel::Depth).data().toString();
        depths.sort();
        QCOMPARE(depths.join(QLatin1Char(' ')), QStringLiteral("a.wav=24 b.wav=float c.ogg=lossy"));
    }

    void gainPlanModel()
    {
        GainPlanModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        delivery::DeliverySpec spec;
        spec.sources = m_sources;
        spec.sessionTemplate = m_template;
        spec.gainMode = gain::GainMode::Lufs;
        spec.targetDb = -23.0;
        CancelToken cancel;
        auto measured = delivery::measureForGainPreview(spec, {}, cancel);
        QVERIFY2(measured.ok(), qPrintable(measured.ok() ? QString() : measured.error().line()));
        model.setPlan(&*measured, delivery::planGainPreview(*measured, spec));
        QCOMPARE(model.rowCount(), m_session.files.size());
        for (int row = 0; row < model.rowCount(); ++row) {
            const double measuredLufs = model.index(row, GainPlanModel::Measured).data(GainPlanModel::ValueRole).toDouble();
            const gain::StemGain &planned = model.gainPlan().stems[std::size_t(row)];
            if (!planned.limitedByCeiling)
                QVERIFY(std::abs(measuredLufs + planned.gainDb + 23.0) < 1e-6);
            QVERIFY(m_session.files.contains(model.source(row)));
        }
        // The request the packager builds (delivery::gainRequestFor), from the spec's choice.
        QCOMPARE(model.request().targetDb, -23.0);
        QCOMPARE(model.request().ceilingDbtp, m_template->truePeakCeilingDbtp);
        QCOMPARE(model.request().stemTargetsDb.size(), std::size_t(m_report.stems.size()));
        for (const auto &target : model.request().stemTargetsDb)
            QVERIFY(!target);  // an explicit target wins over the tracks'
        // Without one: the template's default is a peak target, so LUFS falls back to EBU R128's -23, never -18.
        spec.targetDb.reset();
        model.setPlan(&*measured, delivery::planGainPreview(*measured, spec));
        QCOMPARE(model.request().targetDb, -23.0);
        model.setPlan(nullptr, {});
        QCOMPARE(model.rowCount(), 0);
    }

    void busModelEditsTheSameTemplate()
    {
        auto band = templates::loadTemplate(QStringLiteral("band-tracking"));
        QVERIFY(band.ok());
        TrackModel tracks;
        BusModel buses(&tracks);
        QAbstractItemModelTester tester(&buses, QAbstractItemModelTester::FailureReportingMode::QtTest);
        tracks.setTemplate(band.value());
        QCOMPARE(buses.rowCount(), band->buses.size());
        QSignalSpy edited(&tracks, &TrackModel::templateEdited);
        const auto &t = tracks.sessionTemplate();
        auto busRow = [&](const QString &id) {
            for (int i = 0; i < t.buses.size(); ++i)
                if (t.buses.at(i).id == id)
                    return i;
            return -1;
        };
        const int drums = busRow(QStringLiteral("drum_bus")), verb = busRow(QStringLiteral("verb"));
        QVERIFY(drums >= 0 && verb >= 0);
        auto groupBus = [&](const QString &group) {
            for (const templates::Group &g : t.groups)
                if (g.id == group)
                    return g.bus;
            return QString();
        };
        auto sendsTo = [&](const QString &bus) {
            int n = 0;
            for (const templates::Track &track : t.tracks)
                for (const templates::Send &send : track.sends)
                    n += send.bus == bus;
            return n;
        };
        const int verbSends = sendsTo(QStringLiteral("verb"));
        QVERIFY(verbSends > 0);

        // Renaming an id renames every reference: the group's bus, the sends.
        QVERIFY(buses.setData(buses.index(drums, BusModel::Id), QStringLiteral("drums_bus"), Qt::EditRole));
        QCOMPARE(groupBus(QStringLiteral("drums")), QStringLiteral("drums_bus"));
        QVERIFY(buses.setData(buses.index(verb, BusModel::Id), QStringLiteral("plate"), Qt::EditRole));
        QCOMPARE(sendsTo(QStringLiteral("plate")), verbSends);
        QCOMPARE(sendsTo(QStringLiteral("verb")), 0);
        QVERIFY(!buses.setData(buses.index(verb, BusModel::Id), QStringLiteral("drums_bus"), Qt::EditRole));  // taken
        QVERIFY(templates::checkTemplate(t).isEmpty());
        QCOMPARE(tracks.index(0, TrackModel::Output).data().toString(), QStringLiteral("drums_bus"));  // the track table follows

        // A new bus is a group bus with a unique id; tracks can be routed to it.
        QVERIFY(buses.insertRows(buses.rowCount(), 2));
        QCOMPARE(t.buses.at(t.buses.size() - 2).id, QStringLiteral("new_bus"));
        QCOMPARE(t.buses.constLast().id, QStringLiteral("new_bus_2"));
        QCOMPARE(t.buses.constLast().kind, templates::BusKind::Group);
        QVERIFY(tracks.setData(tracks.index(0, TrackModel::Output), QStringLiteral("new_bus"), Qt::EditRole));
        QVERIFY(templates::checkTemplate(t).isEmpty());

        // Removing a bus sends what fed it to the mix bus and drops the sends to it; the mix bus stays.
        QVERIFY(buses.removeRows(busRow(QStringLiteral("new_bus")), 1));
        QVERIFY(t.tracks.at(0).output.isEmpty());
        QVERIFY(buses.removeRows(busRow(QStringLiteral("plate")), 1));
        QCOMPARE(sendsTo(QStringLiteral("plate")), 0);
        QVERIFY(!buses.removeRows(busRow(QStringLiteral("mix")), 1));
        QVERIFY(templates::checkTemplate(t).isEmpty());

        // A bad id is kept and shown on its cell by validation.
        QVERIFY(buses.setData(buses.index(0, BusModel::Id), QStringLiteral("not an id"), Qt::EditRole));
        const QList<templates::TemplateProblem> problems = templates::checkTemplate(t);
        QVERIFY(!problems.isEmpty());
        buses.setProblems(problems);
        QVERIFY(!buses.index(0, BusModel::Id).data(TrackModel::ProblemRole).toString().isEmpty());
        QCOMPARE(edited.count(), 7);
        // A new template resets the bus table with it.
        tracks.setTemplate(band.value());
        QCOMPARE(buses.rowCount(), band->buses.size());
        QVERIFY(buses.index(0, BusModel::Id).data(TrackModel::ProblemRole).toString().isEmpty());
    }

    void mixerModelTogglesSoloAndMute()
    {
        PlaybackEngine engine;
        engine.setStems(m_sources);
        MixerModel model(&engine);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), m_session.files.size());
        QVERIFY(model.flags(model.index(0, MixerModel::Solo)) & Qt::ItemIsUserCheckable);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(model.setData(model.index(1, MixerModel::Solo), Qt::Checked, Qt::CheckStateRole));
        QVERIFY(engine.stems().at(1).soloed);
        QCOMPARE(model.index(1, MixerModel::Solo).data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Checked);
        QVERIFY(model.setData(model.index(2, MixerModel::Mute), Qt::Checked, Qt::CheckStateRole));
        QVERIFY(engine.stems().at(2).muted);
        QCOMPARE(changed.count(), 2);
        engine.clearSoloAndMute();
        model.reload();
        QVERIFY(!engine.stems().at(1).soloed);
    }

    void trackAndRoutingModels()
    {
        auto band = templates::loadTemplate(QStringLiteral("band-tracking"));
        QVERIFY(band.ok());
        TrackModel tracks;
        QAbstractItemModelTester trackTester(&tracks, QAbstractItemModelTester::FailureReportingMode::QtTest);
        tracks.setTemplate(band.value());
        QCOMPARE(tracks.rowCount(), band->tracks.size());
        QSignalSpy edited(&tracks, &TrackModel::templateEdited);
        QVERIFY(tracks.setData(tracks.index(0, TrackModel::Name), QStringLiteral("Kick Sub"), Qt::EditRole));
        QCOMPARE(tracks.sessionTemplate().tracks.at(0).name, QStringLiteral("Kick Sub"));
        QVERIFY(!tracks.setData(tracks.index(0, TrackModel::Layout), QStringLiteral("quad"), Qt::EditRole));
        QVERIFY(tracks.setData(tracks.index(0, TrackModel::Target), QStringLiteral("lufs -20"), Qt::EditRole));
        QCOMPARE(tracks.sessionTemplate().tracks.at(0).target->measure, templates::TargetMeasure::Lufs);
        QCOMPARE(edited.count(), 2);
        // Rows: insert (unique names, the group above), move, remove, through the model tester's checks.
        const int rows = tracks.rowCount();
        QVERIFY(tracks.insertRows(rows, 2));
        QCOMPARE(tracks.rowCount(), rows + 2);
        QCOMPARE(tracks.sessionTemplate().tracks.at(rows).name, QStringLiteral("New Track"));
        QCOMPARE(tracks.sessionTemplate().tracks.at(rows + 1).name, QStringLiteral("New Track 2"));
        QCOMPARE(tracks.sessionTemplate().tracks.at(rows).group, tracks.sessionTemplate().tracks.at(rows - 1).group);
        QVERIFY(tracks.moveRows({}, rows + 1, 1, {}, 0));
        QCOMPARE(tracks.sessionTemplate().tracks.at(0).name, QStringLiteral("New Track 2"));
        QCOMPARE(tracks.sessionTemplate().tracks.at(1).name, QStringLiteral("Kick Sub"));
        QVERIFY(tracks.moveRows({}, 0, 1, {}, 3));  // before row 3: it lands at 2
        QCOMPARE(tracks.sessionTemplate().tracks.at(2).name, QStringLiteral("New Track 2"));
        QVERIFY(!tracks.moveRows({}, 0, 1, {}, 1));  // onto itself
        QVERIFY(!tracks.removeRows(rows, 3));        // past the end
        QVERIFY(tracks.removeRows(2, 1));
        QVERIFY(tracks.removeRows(rows, 1));
        QCOMPARE(tracks.rowCount(), rows);
        QVERIFY(templates::checkTemplate(tracks.sessionTemplate()).isEmpty());
        QCOMPARE(edited.count(), 7);
        QVERIFY(tracks.index(0, TrackModel::Group).data(TrackModel::OptionsRole).toStringList().size() == band->groups.size());

        RoutingModel routing;
        QAbstractItemModelTester routingTester(&routing, QAbstractItemModelTester::FailureReportingMode::QtTest);
        routing.setTemplate(band.value());
        QCOMPARE(routing.rowCount(), 1);
        // Every track appears once in the tree.
        int trackRows = 0;
        std::function<void(const QModelIndex &)> walk = [&](const QModelIndex &parent) {
            for (int row = 0; row < routing.rowCount(parent); ++row) {
                const QModelIndex index = routing.index(row, 0, parent);
                if (routing.index(row, RoutingModel::Kind, parent).data().toString() == QLatin1String("track"))
                    ++trackRows;
                walk(index);
            }
        };
        walk({});
        QCOMPARE(trackRows, band->tracks.size());
    }

private:
    test::GuiSession m_session;
    std::optional<templates::SessionTemplate> m_template;
    audit::AuditReport m_report;
    QList<io::StemSource> m_sources;
};

QTEST_MAIN(TestGuiModels)
#include "tst_guimodels.moc"
