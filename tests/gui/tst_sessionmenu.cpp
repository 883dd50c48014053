#include "guitestsession.h"

#include "mainwindow.h"
#include "sessionopener.h"

#include "clirunner.h"

#include <QAction>
#include <QApplication>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QTemporaryDir>
#include <QTimer>
#include <QTest>

using namespace stemship;
using namespace stemship::gui;

// File > Open Delivery as Session… is where a received zip becomes a session; the menu is grabbed to a PNG
// when STEMSHIP_GRAB_DIR is set, so it can be looked at.
class TestSessionMenu : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::setUpGuiTest(); }

    void fileMenuOffersOpenAsSession()
    {
        MainWindow window;
        window.show();
        QMenu *file = nullptr;
        for (QAction *a : window.menuBar()->actions())
            file = a->text() == QLatin1String("&File") ? a->menu() : file;
        QVERIFY(file);
        QStringList texts;
        for (QAction *a : file->actions())
            texts.append(a->text());
        QVERIFY2(texts.contains(QStringLiteral("Open Delivery as &Session\u2026")), qPrintable(texts.join(QLatin1Char('|'))));
        if (const QString dir = qEnvironmentVariable("STEMSHIP_GRAB_DIR"); !dir.isEmpty()) {
            file->popup(window.mapToGlobal(QPoint(0, 20)));
            QTest::qWait(100);
            QVERIFY(file->grab().save(dir + QStringLiteral("/file-menu.png")));
            file->hide();
        }
    }

    // The job from a real delivery (made by the CLI): the box names the tracks, the template and the files.
    void openAsSessionReports()
    {
        QTemporaryDir dir;
        const test::CliRunner cli(QStringLiteral(STEMSHIP_CLI_PATH));
        QVERIFY(cli.run({QStringLiteral("demo"), QStringLiteral("-o"), dir.path(), QStringLiteral("--quiet")}).exitCode == 0);
        MainWindow window;
        window.show();
        QString text;
        QTimer poll;
        QObject::connect(&poll, &QTimer::timeout, &window, [&] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box)
                return;
            text = box->text();
            if (const QString grab = qEnvironmentVariable("STEMSHIP_GRAB_DIR"); !grab.isEmpty())
                box->grab().save(grab + QStringLiteral("/open-as-session.png"));
            box->reject();
        });
        poll.start(50);
        runOpenAsSession(&window, dir.filePath(QStringLiteral("Stemship Demo v1 stems.zip")), dir.filePath(QStringLiteral("received")));
        QTRY_VERIFY_WITH_TIMEOUT(!text.isEmpty(), 60000);
        QVERIFY2(text.contains(QLatin1String("8 tracks")) && text.contains(QLatin1String("stemship-demo"))
                     && text.contains(QLatin1String("Stemship Demo v1.dawproject")), qPrintable(text));
        QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("received/Stemship Demo v1.RPP"))));
    }
};

QTEST_MAIN(TestSessionMenu)
#include "tst_sessionmenu.moc"
