// Saves a PNG of every page, light and dark, after a real audit and a little playback on the silent clock,
// to $STEMSHIP_SCREENSHOT_DIR (default: screenshots/ beside the test). Checks the images are not blank and
// that the dark palette really is dark.

#include "guitestsession.h"

#include "audio/playbackengine.h"
#include "mainwindow.h"
#include "pages/auditpage.h"
#include "pages/listenpage.h"
#include "pages/templatepage.h"
#include "session.h"

#include <QImage>
#include <QTest>

using namespace stemship;
using namespace stemship::gui;

class TestScreenshots : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        test::setUpGuiTest();
        QVERIFY(m_session.write());
        m_directory = qEnvironmentVariable("STEMSHIP_SCREENSHOT_DIR", QDir::current().filePath(QStringLiteral("screenshots")));
    }

    void everyPageLightAndDark()
    {
        QApplication::setPalette(theme::lightPalette());
        MainWindow window;
        window.resize(1360, 860);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.templatePage()->loadBundledTemplate(QStringLiteral("stemship-demo")));
        window.openPaths({m_session.dir.path()});
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->report().has_value() && !window.auditPage()->isRunning(), 60000);
        PlaybackEngine *engine = window.listenPage()->engine();
        engine->setForceSilentClock(true);
        engine->play();
        QTest::qWait(1500);

        QVERIFY(window.saveScreenshots(m_directory, QStringLiteral("light")));
        QApplication::setPalette(theme::darkPalette());
        QVERIFY(window.saveScreenshots(m_directory, QStringLiteral("dark")));
        engine->stop();
        QApplication::setPalette(theme::lightPalette());

        for (int page = 0; page < MainWindow::PageCount; ++page) {
            for (const QString &suffix : {QStringLiteral("light"), QStringLiteral("dark")}) {
                const QString path = QDir(m_directory).filePath(MainWindow::pageName(page).toLower() + QLatin1Char('-') + suffix + QStringLiteral(".png"));
                QImage image(path);
                QVERIFY2(!image.isNull(), qPrintable(path));
                QVERIFY(image.width() >= 1000);
                // The window background (sampled in the content area's top-right corner) follows the palette.
                const int lightness = image.pixelColor(image.width() - 10, 40).lightness();
                if (suffix == QLatin1String("dark"))
                    QVERIFY2(lightness < 100, qPrintable(path));
                else
                    QVERIFY2(lightness > 180, qPrintable(path));
            }
        }
        qInfo("screenshots in %s", qPrintable(m_directory));
    }

private:
    test::GuiSession m_session;
    QString m_directory;
};

QTEST_MAIN(TestScreenshots)
#include "tst_screenshots.moc"
