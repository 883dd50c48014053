#include "clirunner.h"
#include "filetree.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

using stemship::test::CliRun;
using stemship::test::CliRunner;
using stemship::test::writeFileIn;

namespace {

// `stemship template …`, finding the templates in the source tree when the environment names no data folder.
CliRun runCli(const QStringList &args)
{
    CliRunner cli(QStringLiteral(STEMSHIP_CLI_PATH), {QStringLiteral("template")});
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!env.contains(QStringLiteral("STEMSHIP_DATA_DIR")))
        env.insert(QStringLiteral("STEMSHIP_DATA_DIR"), QStringLiteral(STEMSHIP_SOURCE_DATA_DIR));
    cli.setEnvironment(env);
    return cli.run(args);
}

}  // namespace

class TestCliTemplate : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void list();
    void listJson();
    void show();
    void validate_data();
    void validate();
    void validateMissingFile();
    void exportFormats_data();
    void exportFormats();
    void exportErrors();
    void importRoundTrip_data();
    void importRoundTrip();
    void importErrors();
};

#ifndef Q_MOC_RUN  // moc misreads raw strings with unbalanced brackets
void TestCliTemplate::list()
{
    const CliRun r = runCli({QStringLiteral("list")});
    QCOMPARE(r.exitCode, 0);
    const QList<QByteArray> names = r.out.trimmed().split('\n');
    for (const char *name : {"band-tracking", "electronic-production", "hip-hop", "orchestral-film", "podcast-dialogue"})
        QVERIFY2(names.contains(name), name);
}

void TestCliTemplate::listJson()
{
    const CliRun r = runCli({QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonArray templates = doc.object().value(QStringLiteral("templates")).toArray();
    QVERIFY(templates.size() >= 5);
    for (const QJsonValue &t : templates) {
        QVERIFY(t.toObject().value(QStringLiteral("valid")).toBool());
        QVERIFY(t.toObject().value(QStringLiteral("tracks")).toInt() > 0);
        QVERIFY(!t.toObject().value(QStringLiteral("time_signature")).toString().isEmpty());
    }
}

void TestCliTemplate::show()
{
    const CliRun r = runCli({QStringLiteral("show"), QStringLiteral("band-tracking")});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject t = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(t.value(QStringLiteral("format")).toString(), QStringLiteral("stemship-template/1"));
    QCOMPARE(t.value(QStringLiteral("name")).toString(), QStringLiteral("band-tracking"));
    QCOMPARE(runCli({QStringLiteral("show"), QStringLiteral("no-such-template")}).exitCode, 2);
}

void TestCliTemplate::validate_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QStringList>("lines");
    const QByteArray head = R"({"format":"stemship-template/1","name":"x","title":"X","tempo_bpm":120,)";
    QTest::newRow("valid") << head + R"("time_signature":"6/8","buses":[{"id":"mix","name":"Mix","kind":"mix"}],"tracks":[{"name":"Kick"}]})"
                           << 0 << QStringList();
    QTest::newRow("three mistakes")
        << head + R"("time_signature":"4/3","buses":[{"id":"mix","name":"Mix","kind":"mix"}],"tracks":[{"name":"Kick","colour":"red","output":"drums"}]})"
        << 1
        << QStringList{QStringLiteral(": /time_signature (line 1): \"4/3\" is not a time signature"),
                       QStringLiteral(": /tracks/0/colour (line 1): \"red\" is not a colour"),
                       QStringLiteral(": /tracks/0/output (line 1): no bus \"drums\"")};
    QTest::newRow("nesting") << QByteArray("[").repeated(100000) << 1 << QStringList{QStringLiteral("nested more than 32 levels")};
    QTest::newRow("10 MB") << QByteArray(10 << 20, ' ') << 1 << QStringList{QStringLiteral("larger than the 1048576 bytes")};
}

void TestCliTemplate::validate()
{
    QFETCH(QByteArray, json);
    QFETCH(int, exitCode);
    QFETCH(QStringList, lines);
    QTemporaryDir dir;
    const QString path = writeFileIn(dir, QStringLiteral("t.json"), json);
    const CliRun r = runCli({QStringLiteral("validate"), path});
    QCOMPARE(r.exitCode, exitCode);
    const QStringList errLines = QString::fromUtf8(r.err).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(errLines.size(), lines.size());
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QVERIFY2(errLines[i].startsWith(path + QStringLiteral(": ")), qPrintable(errLines[i]));
        QVERIFY2(errLines[i].contains(lines[i]), qPrintable(errLines[i]));
    }
}

void TestCliTemplate::validateMissingFile()
{
    const CliRun r = runCli({QStringLiteral("validate"), QStringLiteral("/nonexistent/t.json")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("/nonexistent/t.json: no such file"));
}

void TestCliTemplate::exportFormats_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QByteArray>("starts");
    QTest::newRow("dawproject") << "dawproject" << QByteArray("PK");
    QTest::newRow("rpp") << "rpp" << QByteArray("<REAPER_PROJECT");
    QTest::newRow("csv") << "csv" << QByteArray("index,name,group");
    QTest::newRow("html") << "html" << QByteArray("<!DOCTYPE html>");
}

void TestCliTemplate::exportFormats()
{
    QFETCH(QString, format);
    QFETCH(QByteArray, starts);
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("out.") + format);
    const CliRun r = runCli({QStringLiteral("export"), QStringLiteral("orchestral-film"), QStringLiteral("--format"), format,
                            QStringLiteral("-o"), out});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().startsWith(starts));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);  // no temporary left behind
}

void TestCliTemplate::exportErrors()
{
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("x"));
    QCOMPARE(runCli({QStringLiteral("export"), QStringLiteral("no-such"), QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("-o"), out}).exitCode, 2);
    QCOMPARE(runCli({QStringLiteral("export"), QStringLiteral("hip-hop"), QStringLiteral("--format"), QStringLiteral("ptx"), QStringLiteral("-o"), out}).exitCode, 2);
    QCOMPARE(runCli({QStringLiteral("export"), QStringLiteral("hip-hop"), QStringLiteral("--format"), QStringLiteral("csv")}).exitCode, 2);
    QCOMPARE(runCli({QStringLiteral("export"), QStringLiteral("hip-hop"), QStringLiteral("--format"), QStringLiteral("csv"),
                       QStringLiteral("-o"), QStringLiteral("/nonexistent-dir/x.csv")}).exitCode, 2);
    const QString bad = writeFileIn(dir, QStringLiteral("bad.json"), R"({"format":"stemship-template/1"})");
    const CliRun invalid = runCli({QStringLiteral("export"), bad, QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("-o"), out});
    QCOMPARE(invalid.exitCode, 1);
    QVERIFY(invalid.err.contains("missing required key \"name\""));
    QVERIFY(!QFile::exists(out));
    QCOMPARE(runCli({QStringLiteral("frobnicate")}).exitCode, 2);
}

void TestCliTemplate::importRoundTrip_data()
{
    QTest::addColumn<QString>("format");
    QTest::newRow("dawproject") << "dawproject";
    QTest::newRow("rpp") << "rpp";
}

void TestCliTemplate::importRoundTrip()
{
    QFETCH(QString, format);
    QTemporaryDir dir;
    const QString session = dir.filePath(QStringLiteral("My Session.") + format);
    QCOMPARE(runCli({QStringLiteral("export"), QStringLiteral("band-tracking"), QStringLiteral("--format"), format, QStringLiteral("-o"), session}).exitCode, 0);
    const QString json = dir.filePath(QStringLiteral("learnt.json"));
    const CliRun r = runCli({QStringLiteral("import"), session, QStringLiteral("-o"), json});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const CliRun valid = runCli({QStringLiteral("validate"), json});
    QVERIFY2(valid.exitCode == 0, valid.err.constData());
    const QJsonObject t = QJsonDocument::fromJson(runCli({QStringLiteral("show"), json}).out).object();
    QCOMPARE(t.value(QStringLiteral("name")).toString(), QStringLiteral("my-session"));
    QCOMPARE(t.value(QStringLiteral("tracks")).toArray().size(), 21);
}

void TestCliTemplate::importErrors()
{
    QTemporaryDir dir;
    QCOMPARE(runCli({QStringLiteral("import"), dir.filePath(QStringLiteral("none.dawproject")), QStringLiteral("-o"), dir.filePath(QStringLiteral("o.json"))}).exitCode, 2);
    const QString garbage = writeFileIn(dir, QStringLiteral("g.dawproject"), QByteArray(1000, '\x07'));
    const CliRun r = runCli({QStringLiteral("import"), garbage, QStringLiteral("-o"), dir.filePath(QStringLiteral("o.json"))});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.startsWith(QByteArray(garbage.toUtf8() + ": ")));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("o.json"))));
    const QString deep = writeFileIn(dir, QStringLiteral("d.RPP"), QByteArray("<REAPER_PROJECT 0.1\n") + QByteArray("<X\n").repeated(100000));
    QCOMPARE(runCli({QStringLiteral("import"), deep, QStringLiteral("-o"), dir.filePath(QStringLiteral("o.json"))}).exitCode, 1);
}
#endif

QTEST_GUILESS_MAIN(TestCliTemplate)
#include "tst_cli_template.moc"
