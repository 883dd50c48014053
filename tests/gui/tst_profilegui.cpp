// Delivery profiles in the window: the picker on the Audit and Deliver pages, the verdict per stem in the
// table (pass, or the rules that fail), the sum as the last row, and the profile's format on the Deliver page.

#include "guitestsession.h"

#include "mainwindow.h"
#include "models/stemtablemodel.h"
#include "pages/auditpage.h"
#include "pages/deliverpage.h"
#include "session.h"
#include "widgets/profilepicker.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QTest>

using namespace stemship;
using namespace stemship::gui;

class TestProfileGui : public QObject {
    Q_OBJECT

    test::GuiSession m_session;

private Q_SLOTS:
    void initTestCase()
    {
        test::setUpGuiTest();
        QVERIFY(m_session.write());
    }

    void verdictsAndTheSumInTheTable()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.openPaths({m_session.dir.path()});
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->report().has_value() && !window.auditPage()->isRunning(), 60000);

        // Choosing a profile and the sum re-runs the audit with them.
        ProfilePicker *picker = window.auditPage()->profilePicker();
        QVERIFY(picker->choose(QStringLiteral("atsc-a85")).isEmpty());
        picker->sumBox()->setChecked(true);
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->sumReport().has_value() && !window.auditPage()->isRunning(), 60000);
        QCOMPARE(window.session()->report()->profileName, QStringLiteral("atsc-a85"));
        // The stems' report stays the stems' (Gain and Deliver work on it); the sum is kept beside it.
        QCOMPARE(window.session()->report()->stems.size(), m_session.files.size());

        StemTableModel *model = window.auditPage()->model();
        QCOMPARE(model->rowCount(), m_session.files.size() + 1);
        const int sumRow = model->rowCount() - 1;
        QCOMPARE(model->index(sumRow, StemTableModel::Stem).data().toString(), QStringLiteral("(sum of stems)"));
        const audit::StemReport *sum = model->stem(sumRow);
        QVERIFY(sum && sum->isSum && sum->profile);
        // The table says what core decided: "pass", or "fail: " and the failing rules.
        for (int row = 0; row < model->rowCount(); ++row) {
            const audit::StemReport *stem = model->stem(row);
            QVERIFY(stem->profile);
            const QString shown = model->index(row, StemTableModel::Profile).data().toString();
            QStringList failed;
            for (const profiles::RuleVerdict &r : stem->profile->failures())
                failed.append(r.rule);
            QCOMPARE(shown, failed.isEmpty() ? QStringLiteral("pass") : QStringLiteral("fail: ") + failed.join(QStringLiteral(", ")));
            QVERIFY(model->index(row, StemTableModel::Profile).data(Qt::ToolTipRole).toString().contains(QStringLiteral("true_peak")));
        }
        // Loudness judges the sum only: the stems have no integrated rule, the sum has.
        QCOMPARE(sum->profile->rules.first().rule, QStringLiteral("integrated"));
        for (int row = 0; row < sumRow; ++row)
            for (const profiles::RuleVerdict &r : model->stem(row)->profile->rules)
                QVERIFY(r.rule != QLatin1String("integrated"));

        // The Deliver page shares the choice; atmos-music fixes 48 kHz / 24-bit and a -1 dBTP ceiling.
        window.showPage(MainWindow::DeliverPageIndex);
        DeliverPage *deliver = window.deliverPage();
        QVERIFY(picker->choose(QStringLiteral("atmos-music")).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!window.auditPage()->isRunning(), 60000);
        const delivery::DeliverySpec spec = deliver->spec();
        QVERIFY(spec.profile);
        QCOMPARE(spec.profile->name, QStringLiteral("atmos-music"));
        QCOMPARE(spec.sampleRateHz, 48000);
        QCOMPARE(spec.bitDepth, 24);
        QCOMPARE(*spec.ceilingDbtp, -1.0);

        // A broken profile file is named in the banner, one line per problem, and changes nothing.
        const QString bad = m_session.dir.filePath(QStringLiteral("bad-profile.json"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"format\": \"stemship-profile/1\", \"name\": \"x\", \"title\": \"x\", \"true_peak_max_dbtp\": 2}");
        f.close();
        QCOMPARE(picker->choose(bad).size(), 1);
        QCOMPARE(window.session()->profile()->name, QStringLiteral("atmos-music"));
    }
};

QTEST_MAIN(TestProfileGui)
#include "tst_profilegui.moc"
