// One template ceiling on every page: the template's audit ceiling, the one true_peak_over is judged on. A template
// whose top-level ceiling (-1.0) differs from its audit's (-2.5) is loaded; the Template page's summary, the Gain
// page's ceiling, the plan's request and the Deliver page's job all say -2.5.

#include "guitestsession.h"

#include "mainwindow.h"
#include "models/gainplanmodel.h"
#include "pages/auditpage.h"
#include "pages/deliverpage.h"
#include "pages/gainpage.h"
#include "pages/templatepage.h"
#include "session.h"
#include "templates/templatestore.h"
#include "templates/templatewriter.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QTest>

using namespace stemship;
using namespace stemship::gui;

class TestTemplateCeiling : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        test::setUpGuiTest();
        QVERIFY(m_session.write());
        auto demo = templates::loadTemplate(QStringLiteral("stemship-demo"));
        QVERIFY(demo.ok());
        QJsonObject json = templates::templateToJsonObject(*demo);
        json.insert(QStringLiteral("name"), QStringLiteral("two-ceilings"));
        json.insert(QStringLiteral("true_peak_ceiling_dbtp"), -1.0);
        QJsonObject audit = json.value(QStringLiteral("audit")).toObject();
        audit.insert(QStringLiteral("true_peak_ceiling_dbtp"), -2.5);
        json.insert(QStringLiteral("audit"), audit);
        m_templatePath = m_session.dir.filePath(QStringLiteral("two-ceilings.json"));
        QFile f(m_templatePath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(json).toJson());
        f.close();
        auto parsed = templates::loadTemplate(m_templatePath);
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().line()));
        QCOMPARE(parsed->truePeakCeilingDbtp, -1.0);  // the two really differ
        QCOMPARE(parsed->audit.truePeakCeilingDbtp, -2.5);
    }

    void everyPageUsesTheAuditCeiling()
    {
        MainWindow window;
        window.show();
        QVERIFY(window.openTemplate(m_templatePath));
        QCOMPARE(window.session()->sessionTemplate()->name, QStringLiteral("two-ceilings"));
        QCOMPARE(window.session()->templateCeilingDbtp(), -2.5);

        QLabel *templateSummary = nullptr;
        for (QLabel *label : window.templatePage()->findChildren<QLabel *>())
            if (label->accessibleName() == QLatin1String("Template summary"))
                templateSummary = label;
        QVERIFY(templateSummary);
        QVERIFY2(templateSummary->text().contains(QLatin1String("ceiling -2.5 dBTP")), qPrintable(templateSummary->text()));

        GainPage *gainPage = window.gainPage();
        QCOMPARE(gainPage->ceilingSpin()->value(), -2.5);
        QCOMPARE(window.session()->ceilingDbtp(), -2.5);
        QVERIFY(window.deliverPage()->spec().ceilingDbtp.has_value());
        QCOMPARE(*window.deliverPage()->spec().ceilingDbtp, -2.5);

        // The preview plans with it (core's request), on the stems opened.
        window.openPaths(m_session.files);
        window.auditPage()->cancelAudit();
        window.showPage(MainWindow::GainPageIndex);
        gainPage->modeCombo()->setCurrentIndex(gainPage->modeCombo()->findData(int(gain::GainMode::Peak)));
        QTRY_VERIFY_WITH_TIMEOUT(!gainPage->isMeasuring() && gainPage->model()->rowCount() > 0, 30000);
        QCOMPARE(gainPage->model()->request().ceilingDbtp, -2.5);
    }

private:
    test::GuiSession m_session;
    QString m_templatePath;
};

QTEST_MAIN(TestTemplateCeiling)
#include "tst_templateceiling.moc"
