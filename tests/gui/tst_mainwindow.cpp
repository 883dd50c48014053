// The whole workflow through the window, as a user drives it: open stems (and drop them), audit, read the
// table, plan gains, package, verify; plus template load/export, shortcuts and the app's --help/--version.

#include "deliverysignals.h"
#include "guitestsession.h"

#include "delivery/verifier.h"

#include "appsettings.h"
#include "audio/playbackengine.h"
#include "mainwindow.h"
#include "models/busmodel.h"
#include "models/gainplanmodel.h"
#include "models/routingmodel.h"
#include "models/stemtablemodel.h"
#include "models/trackmodel.h"
#include "pages/auditpage.h"
#include "pages/deliverpage.h"
#include "pages/gainpage.h"
#include "pages/listenpage.h"
#include "pages/templatepage.h"
#include "session.h"
#include "widgets/banner.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

#include <cmath>

using namespace stemship;
using namespace stemship::gui;

namespace {

constexpr int kAuditTimeoutMs = 60000;

int rowOf(const QAbstractItemModel *model, const QString &fileName)
{
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->index(row, StemTableModel::Stem).data().toString() == fileName)
            return row;
    return -1;
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        test::setUpGuiTest();
        QVERIFY(m_session.write());
    }

    void auditGainPackageVerify()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.openPaths({m_session.dir.path()});
        QCOMPARE(window.currentPage(), int(MainWindow::AuditPageIndex));
        QCOMPARE(window.session()->sources().size(), m_session.files.size());
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->report().has_value() && !window.auditPage()->isRunning(), kAuditTimeoutMs);

        checkAuditPage(window);
        if (QTest::currentTestFailed())
            return;
        checkGainPage(window);
        if (QTest::currentTestFailed())
            return;
        deliverAndVerify(window);
    }

    void missingFieldsAreReportedInline()
    {
        MainWindow window;
        window.openPaths({m_session.files.constFirst()});
        window.deliverPage()->versionEdit()->clear();
        window.deliverPage()->startPackaging();
        QVERIFY(!window.deliverPage()->isRunning());
        QVERIFY(window.deliverPage()->banner()->isVisibleTo(&window) || !window.deliverPage()->banner()->text().isEmpty());
        QVERIFY(window.deliverPage()->banner()->text().contains(QLatin1String("version")));
        window.auditPage()->cancelAudit();
    }

    void aPathThatDoesNotExistIsNamedInTheBanner()
    {
        MainWindow window;
        const QString missing = m_session.dir.filePath(QStringLiteral("no-such-stem.wav"));
        window.openPaths({missing});
        QVERIFY(window.banner()->text().contains(missing));
        QCOMPARE(window.banner()->status(), theme::Status::Error);
    }

    void aSessionWithoutATemplateStartsWithTheOneItsNamesFit()
    {
        MainWindow window;
        QVERIFY(!window.session()->sessionTemplate().has_value());
        window.openPaths(m_session.files);
        QVERIFY(window.session()->sessionTemplate().has_value());
        QCOMPARE(window.session()->sessionTemplate()->name, QStringLiteral("stemship-demo"));
        QCOMPARE(window.banner()->status(), theme::Status::Info);
        QVERIFY2(window.banner()->text().contains(QStringLiteral("name 4 of the 4 stems")), qPrintable(window.banner()->text()));
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->report().has_value() && !window.auditPage()->isRunning(), kAuditTimeoutMs);
        // The audit ran with it: every stem has its role.
        for (const audit::StemReport &stem : window.session()->report()->stems)
            QVERIFY2(stem.roleIndex.has_value(), qPrintable(stem.path));
        // A template the user chose is never replaced.
        MainWindow chosen;
        QVERIFY(chosen.openTemplate(QStringLiteral("band-tracking")));
        chosen.openPaths(m_session.files);
        QCOMPARE(chosen.session()->sessionTemplate()->name, QStringLiteral("band-tracking"));
    }

    void dropOpensStems()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(m_session.files.at(0)), QUrl::fromLocalFile(m_session.files.at(1))});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
        QCOMPARE(window.session()->sources().size(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->report().has_value(), kAuditTimeoutMs);
        QCOMPARE(window.listenPage()->engine()->stems().size(), 2);
        // The drop is remembered as a recent session, through the one settings wrapper.
        const QStringList recent = AppSettings().recentSessions();
        QVERIFY(!recent.isEmpty());
        QCOMPARE(recent.constFirst(), m_session.files.at(0) + QLatin1Char('\n') + m_session.files.at(1));
    }

    void shortcutsSwitchPages()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        for (int page = 0; page < MainWindow::PageCount; ++page) {
            QTest::keyClick(&window, Qt::Key(Qt::Key_1 + page), Qt::ControlModifier);
            QCOMPARE(window.currentPage(), page);
        }
    }

    void spaceTogglesPlayback()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.openPaths({m_session.files.at(0)});
        window.listenPage()->engine()->setForceSilentClock(true);
        window.showPage(MainWindow::ListenPageIndex);
        window.listenPage()->setFocus();
        QTest::keyClick(&window, Qt::Key_Space);
        QVERIFY(window.listenPage()->engine()->isPlaying());
        QTest::keyClick(&window, Qt::Key_Space);
        QVERIFY(!window.listenPage()->engine()->isPlaying());
        window.auditPage()->cancelAudit();
    }

    void templateLoadEditExport()
    {
        MainWindow window;
        TemplatePage *page = window.templatePage();
        QVERIFY(page->loadBundledTemplate(QStringLiteral("band-tracking")));
        QVERIFY(page->isValid());
        QVERIFY(window.session()->sessionTemplate().has_value());
        TrackModel *tracks = page->trackModel();
        QVERIFY(tracks->rowCount() > 4);
        QVERIFY(page->routingModel()->rowCount() == 1);            // the mix bus
        QVERIFY(page->routingModel()->item(0)->rowCount() > 0);    // what feeds it

        // An invalid colour is caught inline, on its cell, and the session keeps the valid template.
        QVERIFY(tracks->setData(tracks->index(0, TrackModel::Colour), QStringLiteral("#XYZ"), Qt::EditRole));
        QVERIFY(!page->isValid());
        QVERIFY(!tracks->index(0, TrackModel::Colour).data(TrackModel::ProblemRole).toString().isEmpty());
        QVERIFY(page->problemModel()->rowCount() > 0);
        QVERIFY(tracks->setData(tracks->index(0, TrackModel::Colour), QStringLiteral("#3BA3E0"), Qt::EditRole));
        QVERIFY(page->isValid());
        QCOMPARE(tracks->index(0, TrackModel::Colour).data().toString().toUpper(), QStringLiteral("#3BA3E0"));

        // Tracks are added below the selection, moved and removed with the buttons; the session follows.
        const int before = tracks->rowCount();
        const QString first = tracks->index(0, TrackModel::Name).data().toString();
        const QString second = tracks->index(1, TrackModel::Name).data().toString();
        QVERIFY(!page->moveUpButton()->isEnabled());
        page->trackView()->selectRow(0);
        QVERIFY(page->addTrackButton()->isEnabled() && !page->moveUpButton()->isEnabled() && page->moveDownButton()->isEnabled());
        page->addTrackButton()->click();
        QCOMPARE(tracks->rowCount(), before + 1);
        QCOMPARE(tracks->index(1, TrackModel::Name).data().toString(), QStringLiteral("New Track"));
        QCOMPARE(tracks->index(1, TrackModel::Group).data(), tracks->index(0, TrackModel::Group).data());
        QVERIFY(page->isValid());
        QVERIFY(tracks->setData(tracks->index(1, TrackModel::Name), QStringLiteral("Kick Sub"), Qt::EditRole));
        page->moveUpButton()->click();  // "Kick Sub" is selected: it goes first
        QCOMPARE(tracks->index(0, TrackModel::Name).data().toString(), QStringLiteral("Kick Sub"));
        QCOMPARE(tracks->index(1, TrackModel::Name).data().toString(), first);
        QCOMPARE(page->trackView()->selectionModel()->selectedRows().value(0).row(), 0);
        QTRY_COMPARE(window.session()->sessionTemplate()->tracks.constFirst().name, QStringLiteral("Kick Sub"));
        page->moveDownButton()->click();
        QCOMPARE(tracks->index(1, TrackModel::Name).data().toString(), QStringLiteral("Kick Sub"));
        page->removeTrackButton()->click();
        QCOMPARE(tracks->rowCount(), before);
        QCOMPARE(tracks->index(0, TrackModel::Name).data().toString(), first);
        QCOMPARE(tracks->index(1, TrackModel::Name).data().toString(), second);
        QTRY_COMPARE(window.session()->sessionTemplate()->tracks.size(), before);

        // Buses: one added on the Buses tab, a track routed to it, both in the session and the routing tree.
        page->tabs()->setCurrentIndex(1);
        QVERIFY(page->addBusButton()->isEnabled() && !page->removeBusButton()->isEnabled());
        const int buses = page->busModel()->rowCount();
        page->addBusButton()->click();
        QCOMPARE(page->busModel()->rowCount(), buses + 1);
        QVERIFY(page->removeBusButton()->isEnabled());  // the new bus is selected
        QVERIFY(tracks->setData(tracks->index(0, TrackModel::Output), QStringLiteral("new_bus"), Qt::EditRole));
        QVERIFY(page->isValid());
        QTRY_COMPARE(window.session()->sessionTemplate()->tracks.constFirst().output, QStringLiteral("new_bus"));
        QCOMPARE(window.session()->sessionTemplate()->buses.size(), buses + 1);
        page->removeBusButton()->click();
        QCOMPARE(page->busModel()->rowCount(), buses);
        QVERIFY(tracks->sessionTemplate().tracks.constFirst().output.isEmpty());
        QVERIFY(page->isValid());
        page->tabs()->setCurrentIndex(0);

        const QString out = m_session.dir.filePath(QStringLiteral("exports"));
        QDir().mkpath(out);
        QVERIFY(page->exportTemplate(TemplatePage::ExportFormat::DawProject, out + QStringLiteral("/s.dawproject")));
        QVERIFY(page->exportTemplate(TemplatePage::ExportFormat::Rpp, out + QStringLiteral("/s.rpp")));
        QVERIFY(page->exportTemplate(TemplatePage::ExportFormat::TrackSheetCsv, out + QStringLiteral("/s.csv")));
        QVERIFY(page->exportTemplate(TemplatePage::ExportFormat::TrackSheetHtml, out + QStringLiteral("/s.html")));
        QVERIFY(page->saveTemplate(out + QStringLiteral("/edited.json")));
        for (const char *file : {"s.dawproject", "s.rpp", "s.csv", "s.html", "edited.json"})
            QVERIFY2(QFileInfo(out + QLatin1Char('/') + QString::fromLatin1(file)).size() > 0, file);
        // The saved file loads back.
        QVERIFY(page->loadTemplateFile(out + QStringLiteral("/edited.json")));
        QCOMPARE(tracks->index(0, TrackModel::Colour).data().toString().toUpper(), QStringLiteral("#3BA3E0"));
    }

    void brokenTemplateFileShowsLocatedProblems()
    {
        MainWindow window;
        const QString path = m_session.dir.filePath(QStringLiteral("broken.json"));
        QVERIFY(test::writeFile(path, "{ \"format\": \"stemship-template/1\", \"name\": \"x\", \"tracks\": [ { \"name\": 3 } ] }\n"));
        QVERIFY(!window.templatePage()->loadTemplateFile(path));
        QVERIFY(window.templatePage()->banner()->text().contains(QLatin1String("broken.json")));
        QVERIFY(window.templatePage()->problemModel()->rowCount() > 0);
        QVERIFY(window.templatePage()->problemModel()->item(0)->text().contains(QLatin1String("broken.json")));
    }

    void executableAnswersHelpAndVersion()
    {
        const QString gui = QFileInfo(QStringLiteral(STEMSHIP_CLI_PATH)).absolutePath() + QStringLiteral("/stemship-gui");
        if (!QFileInfo::exists(gui))
            QSKIP("stemship-gui is not built");
        QProcess process;
        process.start(gui, {QStringLiteral("--version")});
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitCode(), 0);
        QVERIFY(process.readAllStandardOutput().startsWith("stemship-gui " STEMSHIP_VERSION));
        process.start(gui, {QStringLiteral("--help")});
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitCode(), 0);
        QVERIFY(process.readAllStandardOutput().contains("--screenshot"));
    }

private:
    // The audit page after the session's audit: the table, its sorting, the three report formats.
    void checkAuditPage(MainWindow &window)
    {
        // The table holds every stem with the measured values, in the user's units.
        StemTableModel *model = window.auditPage()->model();
        QCOMPARE(model->rowCount(), m_session.files.size());
        for (auto it = m_session.peaksDbfs.cbegin(); it != m_session.peaksDbfs.cend(); ++it) {
            const int row = rowOf(model, it.key());
            QVERIFY2(row >= 0, qPrintable(it.key()));
            const double peak = model->index(row, StemTableModel::Peak).data(StemTableModel::SortRole).toDouble();
            QVERIFY2(std::abs(peak - it.value()) < 0.1, qPrintable(QStringLiteral("%1: %2").arg(it.key()).arg(peak)));
            QCOMPARE(model->index(row, StemTableModel::Rate).data().toString(), QStringLiteral("48000"));
            QCOMPARE(model->index(row, StemTableModel::Depth).data().toString(), QStringLiteral("24"));
            QVERIFY(!model->index(row, StemTableModel::Status).data(Qt::DecorationRole).value<QIcon>().isNull());
        }
        // Sorting by true peak through the proxy puts the quietest stem (Keys, -12 dBFS) first.
        window.auditPage()->proxy()->sort(StemTableModel::TruePeak, Qt::AscendingOrder);
        QCOMPARE(window.auditPage()->proxy()->index(0, StemTableModel::Stem).data().toString(), QStringLiteral("Keys.wav"));

        // Reports export in all three formats.
        for (auto format : {AuditPage::ReportFormat::Html, AuditPage::ReportFormat::Json, AuditPage::ReportFormat::Csv}) {
            const QString path = m_session.dir.filePath(QStringLiteral("report-%1").arg(int(format)));
            QVERIFY(window.auditPage()->exportReport(format, path));
            QVERIFY(QFileInfo(path).size() > 0);
        }
    }

    // The gain page's preview in peak and balanced modes, and a ceiling that binds.
    void checkGainPage(MainWindow &window)
    {
        // Gain: peak mode to -18 dBFS gives each stem target - peak; the ceiling does not bind here.
        window.showPage(MainWindow::GainPageIndex);
        GainPage *gainPage = window.gainPage();
        gainPage->modeCombo()->setCurrentIndex(gainPage->modeCombo()->findData(int(gain::GainMode::Peak)));
        gainPage->targetSpin()->setValue(-18.0);
        QCOMPARE(window.session()->gainChoice().mode, gain::GainMode::Peak);
        GainPlanModel *plan = gainPage->model();
        // The preview measures the stems as the delivery will, on a worker.
        QTRY_VERIFY_WITH_TIMEOUT(!gainPage->isMeasuring() && plan->rowCount() > 0, 60000);
        QCOMPARE(plan->rowCount(), m_session.files.size());
        for (int row = 0; row < plan->rowCount(); ++row) {
            const QString name = plan->index(row, GainPlanModel::Stem).data().toString();
            const double expected = -18.0 - m_session.peaksDbfs.value(name);
            QVERIFY2(std::abs(plan->gainDb(row) - expected) < 0.1, qPrintable(QStringLiteral("%1: %2").arg(name).arg(plan->gainDb(row))));
            const double peakAfter = plan->index(row, GainPlanModel::PredictedPeak).data(GainPlanModel::ValueRole).toDouble();
            QVERIFY(std::abs(peakAfter + 18.0) < 0.1);
        }
        // Balanced keeps the balance: one common gain, the loudest stem (Kick, -6) meets the target.
        gainPage->modeCombo()->setCurrentIndex(gainPage->modeCombo()->findData(int(gain::GainMode::Balanced)));
        QVERIFY(plan->gainPlan().commonGainDb.has_value());
        QVERIFY(std::abs(*plan->gainPlan().commonGainDb - (-12.0)) < 0.1);
        // A tight ceiling binds: gains are lowered so no true peak exceeds it.
        gainPage->modeCombo()->setCurrentIndex(gainPage->modeCombo()->findData(int(gain::GainMode::Peak)));
        gainPage->targetSpin()->setValue(-1.0);
        gainPage->ceilingSpin()->setValue(-3.0);
        for (int row = 0; row < plan->rowCount(); ++row)
            QVERIFY(plan->index(row, GainPlanModel::PredictedTruePeak).data(GainPlanModel::ValueRole).toDouble() <= -3.0 + 1e-6);
        gainPage->ceilingSpin()->setValue(-1.0);
        gainPage->targetSpin()->setValue(-18.0);
    }

    void deliverAndVerify(MainWindow &window)
    {
        // Deliver with those settings; the result verifies.
        window.showPage(MainWindow::DeliverPageIndex);
        DeliverPage *deliver = window.deliverPage();
        deliver->versionEdit()->setText(QStringLiteral("mix-v1"));
        deliver->titleEdit()->setText(QStringLiteral("GUI Test"));
        deliver->barOneSpin()->setValue(0.5);
        const QString zip = m_session.dir.filePath(QStringLiteral("out/delivery.zip"));
        QDir().mkpath(QFileInfo(zip).absolutePath());
        deliver->outputEdit()->setText(zip);
        QCOMPARE(deliver->spec().gainMode, gain::GainMode::Peak);
        QCOMPARE(deliver->spec().barOneSeconds, 0.5);
        deliver->startPackaging();
        QVERIFY(deliver->isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(!deliver->isRunning() && deliver->lastOutcome().has_value(), 120000);
        const DeliveryOutcome &outcome = *deliver->lastOutcome();
        QVERIFY2(!outcome.error, qPrintable(outcome.error ? outcome.error->line() : QString()));
        QVERIFY(outcome.result);
        QVERIFY(QFileInfo::exists(zip));
        // The page shows the packager's own verification; an independent full verify (checksums) agrees.
        QVERIFY(delivery::verifyDelivery(zip).ok);
        QCOMPARE(outcome.result->stems.size(), m_session.files.size());
        QVERIFY(deliver->verdictLabel()->text().contains(QLatin1String("Verified")));
        for (const delivery::DeliveredStem &stem : outcome.result->stems)
            QVERIFY2(std::abs(stem.samplePeakDbfs + 18.0) < 0.3, qPrintable(stem.file));
    }

    test::GuiSession m_session;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
