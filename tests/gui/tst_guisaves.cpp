// Reports and templates saved from the GUI go through io::writeFileAtomically like every CLI output: the bytes
// land whole, the temporaries of a killed earlier save beside it are cleaned (which QSaveFile never did), and a
// failure is one line in the page's banner naming the file, with an earlier file left intact.

#include "guitestsession.h"

#include "audit/stemauditor.h"
#include "pages/auditpage.h"
#include "pages/templatepage.h"
#include "session.h"
#include "templates/templatestore.h"
#include "widgets/banner.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace stemship;
using namespace stemship::gui;

namespace {

// A temporary a save killed before its rename would leave: ".<name>.stemship-tmp-<pid>-<random>", with a pid above
// Linux's PID_MAX_LIMIT (2^22) so no process can have it.
QString plantStaleTemp(const QString &destination)
{
    const QFileInfo info(destination);
    const QString stale = info.absoluteDir().filePath(QStringLiteral(".%1.stemship-tmp-4194305-x1y2").arg(info.fileName()));
    QFile f(stale);
    if (f.open(QIODevice::WriteOnly))
        f.write("half a file");
    return stale;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TestGuiSaves : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        test::setUpGuiTest();
        QVERIFY(m_session.write());
    }

    void templateSaveIsAtomic()
    {
        Session session;
        TemplatePage page(&session);
        QVERIFY(page.loadBundledTemplate(QStringLiteral("band-tracking")));
        const QString path = m_session.dir.filePath(QStringLiteral("band.json"));
        const QString stale = plantStaleTemp(path);
        QVERIFY(QFileInfo::exists(stale));
        QVERIFY(page.saveTemplate(path));
        QVERIFY2(!QFileInfo::exists(stale), "the killed save's temporary is still beside the template");
        auto saved = templates::loadTemplate(path);
        QVERIFY2(saved.ok(), qPrintable(saved.ok() ? QString() : saved.error().line()));
        QCOMPARE(saved->name, QStringLiteral("band-tracking"));
        QCOMPARE(saved->tracks.size(), templates::loadTemplate(QStringLiteral("band-tracking"))->tracks.size());

        // A folder that does not exist: one line in the banner naming the file; nothing else written.
        const QString missing = m_session.dir.filePath(QStringLiteral("no-such-folder/band.json"));
        QVERIFY(!page.saveTemplate(missing));
        QCOMPARE(page.banner()->status(), theme::Status::Error);
        QVERIFY2(page.banner()->text().startsWith(missing + QStringLiteral(": ")), qPrintable(page.banner()->text()));
        QVERIFY(!QFileInfo::exists(missing));
    }

    void reportExportIsAtomic()
    {
        Session session;
        session.setInputs(m_session.files);
        CancelToken cancel;
        session.setReport(audit::runAudit(session.sources(), {}, {}, cancel));
        AuditPage page(&session);
        const QString path = m_session.dir.filePath(QStringLiteral("audit.json"));
        const QString stale = plantStaleTemp(path);
        QVERIFY(page.exportReport(AuditPage::ReportFormat::Json, path));
        QVERIFY2(!QFileInfo::exists(stale), "the killed export's temporary is still beside the report");
        const QJsonObject json = QJsonDocument::fromJson(readAll(path)).object();
        QCOMPARE(json.value(QStringLiteral("stems")).toArray().size(), m_session.files.size());
        QCOMPARE(page.banner()->status(), theme::Status::Ok);

        // A destination that is a folder cannot be replaced: the error is shown, the folder untouched.
        const QString folder = m_session.dir.filePath(QStringLiteral("a-folder.json"));
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(!page.exportReport(AuditPage::ReportFormat::Json, folder));
        QCOMPARE(page.banner()->status(), theme::Status::Error);
        QVERIFY2(page.banner()->text().startsWith(folder + QStringLiteral(": ")), qPrintable(page.banner()->text()));
        QVERIFY(QFileInfo(folder).isDir());
        const QStringList left = QDir(m_session.dir.path()).entryList({QStringLiteral(".*stemship-tmp*")}, QDir::Files | QDir::Hidden);
        QVERIFY2(left.isEmpty(), qPrintable(left.join(QLatin1Char(' '))));
    }

private:
    test::GuiSession m_session;
};

QTEST_MAIN(TestGuiSaves)
#include "tst_guisaves.moc"
