#include "templates/dawprojectexport.h"
#include "templates/dawprojectimport.h"
#include "templates/rppexport.h"
#include "templates/templatestore.h"
#include "templates/tracksheet.h"

#include "sessionreaders.h"

#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>


using namespace stemship::templates;

namespace {
QByteArray zipEntry(const QString &zipPath, const QString &name)
{
    const stemship::Result<QByteArray> data = readDawProjectEntry(zipPath, name, 16 << 20);
    return data ? *data : QByteArray();
}

void addBundledRows()
{
    QTest::addColumn<QString>("name");
    for (const QString &name : listTemplates())
        QTest::newRow(qPrintable(name)) << name;
}

SessionTemplate loaded(const QString &name)
{
    const stemship::Result<SessionTemplate> t = loadTemplate(name);
    if (!t)
        qFatal("%s", qPrintable(t.error().line()));
    return *t;
}
}  // namespace

class TestTemplateExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("STEMSHIP_DATA_DIR"))
            qputenv("STEMSHIP_DATA_DIR", STEMSHIP_SOURCE_DATA_DIR);
        QVERIFY(listTemplates().size() >= 5);
    }

    void colours()
    {
        QCOMPARE(reaperColour(QStringLiteral("#C04000")), 16793792);  // 0x01000000 | B<<16 | G<<8 | R
        QCOMPARE(reaperColour(QStringLiteral("#0000FF")), 0x01FF0000);
        QCOMPARE(colourFromReaper(16793792), QStringLiteral("#C04000"));
        QCOMPARE(colourFromReaper(16576), QString());  // no custom-colour flag: REAPER's default
        QCOMPARE(reaperQuote(QStringLiteral("Kick")), QByteArray("\"Kick\""));
        QCOMPARE(reaperQuote(QStringLiteral("12\" Snare")), QByteArray("'12\" Snare'"));
        QCOMPARE(reaperQuote(QStringLiteral("Tom's \"big\"")), QByteArray("`Tom's \"big\"`"));
    }

    void dawProjectIsSchemaValid_data() { addBundledRows(); }
    void dawProjectIsSchemaValid()
    {
        QFETCH(QString, name);
        const SessionTemplate t = loaded(name);
        QTemporaryDir dir;
        const QString out = dir.filePath(name + QStringLiteral(".dawproject"));
        const stemship::Status status = exportDawProject(t, out);
        QVERIFY2(status.ok(), qPrintable(status.ok() ? QString() : status.error().line()));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);  // no temporary left
        const QByteArray project = zipEntry(out, QStringLiteral("project.xml"));
        const QByteArray metadata = zipEntry(out, QStringLiteral("metadata.xml"));
        QVERIFY(project.contains("<Project version=\"1.0\">"));
        QVERIFY(metadata.contains("<MetaData>"));
        for (const Track &track : t.tracks)
            QVERIFY2(project.contains(QByteArray("name=\"" + track.name.toHtmlEscaped().toUtf8() + '"')), qPrintable(track.name));
        QVERIFY(project.contains("role=\"master\""));

        const QString xmllint = QStandardPaths::findExecutable(QStringLiteral("xmllint"));
        if (xmllint.isEmpty())
            QSKIP("xmllint (libxml2-utils) is not installed");
        QFile projectFile(dir.filePath(QStringLiteral("project.xml")));
        QFile metadataFile(dir.filePath(QStringLiteral("metadata.xml")));
        QVERIFY(projectFile.open(QIODevice::WriteOnly) && projectFile.write(project) == project.size());
        QVERIFY(metadataFile.open(QIODevice::WriteOnly) && metadataFile.write(metadata) == metadata.size());
        projectFile.close();
        metadataFile.close();
        const QString xsdDir = QStringLiteral(STEMSHIP_TEST_DATA_DIR "/dawproject/");
        for (const auto &[xml, xsd] : {std::pair{projectFile.fileName(), QString(xsdDir + QStringLiteral("Project.xsd"))},
                                       std::pair{metadataFile.fileName(), QString(xsdDir + QStringLiteral("MetaData.xsd"))}}) {
            QProcess lint;
            lint.start(xmllint, {QStringLiteral("--noout"), QStringLiteral("--schema"), xsd, xml});
            QVERIFY(lint.waitForFinished(60000));
            QVERIFY2(lint.exitCode() == 0, lint.readAllStandardError().constData());
        }
    }

    void rppStructure_data() { addBundledRows(); }
    void rppStructure()
    {
        QFETCH(QString, name);
        const SessionTemplate t = loaded(name);
        const QByteArray rpp = rppProject(t);
        QVERIFY(rpp.startsWith("<REAPER_PROJECT 0.1 "));
        QVERIFY(rpp.endsWith(">\n"));
        const QByteArray tempo = "  TEMPO " + QByteArray::number(t.tempoBpm) + ' ' + QByteArray::number(t.timeSignature.numerator) + ' '
                               + QByteArray::number(t.timeSignature.denominator) + '\n';
        QVERIFY2(rpp.contains(tempo), tempo.constData());
        int blocks = 0, trackCount = 0, folderDepth = 0, auxrecv = 0;
        for (const QByteArray &raw : rpp.split('\n')) {
            const QByteArray line = raw.trimmed();
            if (line.startsWith('<'))
                ++blocks;
            if (line == ">")
                --blocks;
            QVERIFY(blocks >= 0);
            if (line.startsWith("<TRACK {"))
                ++trackCount;
            if (line.startsWith("ISBUS ")) {
                const QList<QByteArray> f = line.split(' ');
                folderDepth += f.at(1) == "1" ? 1 : f.at(2).toInt();
                QVERIFY(folderDepth >= 0);
            }
            if (line.startsWith("AUXRECV ")) {
                ++auxrecv;
                QVERIFY(line.split(' ').at(1).toInt() >= 0);
            }
        }
        QCOMPARE(blocks, 0);
        QCOMPARE(folderDepth, 0);
        int sends = 0;
        for (const Track &track : t.tracks)
            sends += int(track.sends.size());
        QCOMPARE(auxrecv, sends);
        QVERIFY(trackCount >= t.tracks.size() + t.buses.size() - 1);
        for (const Track &track : t.tracks) {
            QVERIFY(rpp.contains(QByteArray("NAME " + reaperQuote(track.name) + "\n")));
            QVERIFY(rpp.contains(QByteArray("PEAKCOL " + QByteArray::number(reaperColour(t.trackColour(track))))));
        }
        QCOMPARE(rppProject(t), rpp);  // deterministic (stable GUIDs)
        QTemporaryDir dir;
        QVERIFY(exportRpp(t, dir.filePath(QStringLiteral("x.RPP"))).ok());
    }

    // One template, one session: a folder is a bus (its name, its colour) in DAWproject and REAPER alike, and a
    // group feeding the mix bus directly is a folder in neither.
    void foldersAgree_data() { addBundledRows(); }
    void foldersAgree()
    {
        QFETCH(QString, name);
        SessionTemplate t = loaded(name);
        t.groups.append(Group{QStringLiteral("loose"), QStringLiteral("Loose Group"), QStringLiteral("#123456"), QString(), {}});
        Track loose;
        loose.name = QStringLiteral("Loose Track");
        loose.group = QStringLiteral("loose");
        t.tracks.append(loose);
        QStringList expected;
        for (const Bus &b : t.buses) {
            bool fed = false;
            for (const Track &track : t.tracks)
                fed = fed || t.trackOutput(track) == b.id;
            for (const Bus &other : t.buses)
                fed = fed || (other.kind != BusKind::Mix && t.busOutput(other) == b.id);
            if (fed && b.kind != BusKind::Mix)
                expected.append(b.name + QLatin1Char(' ') + b.colour);
        }
        expected.sort();
        QVERIFY(!expected.isEmpty());
        QCOMPARE(stemship::test::dawProjectFolders(dawProjectXml(t)), expected);
        QCOMPARE(stemship::test::rppFolders(rppProject(t)), expected);
        QVERIFY(!expected.join(QLatin1Char('|')).contains(QLatin1String("Loose Group")));
        QVERIFY(trackSheetCsv(t).contains("Loose Track,Loose Group,#123456,mono,"));
        QVERIFY(trackSheetHtml(t).contains("Loose Group</b> <span class=\"muted\">no folder"));
    }

    void trackSheets_data() { addBundledRows(); }
    void trackSheets()
    {
        QFETCH(QString, name);
        const SessionTemplate t = loaded(name);
        const QList<QByteArray> rows = trackSheetCsv(t).split('\n');
        QCOMPARE(rows.first(), QByteArray("index,name,group,colour,layout,output,sends,target\r"));
        QCOMPARE(rows.size(), t.tracks.size() + 2);  // header, one per track, the empty piece after the last CRLF
        QVERIFY(rows.at(1).startsWith(QByteArray("1," + t.tracks.first().name.toUtf8() + ',')));
        const QByteArray html = trackSheetHtml(t);
        QVERIFY(html.startsWith("<!DOCTYPE html>"));
        QVERIFY(html.contains("@media print"));
        QVERIFY(!html.contains("src=") && !html.contains("<link") && !html.contains("http"));
        for (const Track &track : t.tracks)
            QVERIFY(html.contains(track.name.toHtmlEscaped().toUtf8()));
        QTemporaryDir dir;
        QVERIFY(exportTrackSheetCsv(t, dir.filePath(QStringLiteral("x.csv"))).ok());
        QVERIFY(exportTrackSheetHtml(t, dir.filePath(QStringLiteral("x.html"))).ok());
    }

    void escapesNames()
    {
        SessionTemplate t = loaded(QStringLiteral("podcast-dialogue"));
        t.tracks[0].name = QStringLiteral("=HYPERLINK(\"x\"), <b>Host</b>");
        const QByteArray csv = trackSheetCsv(t);
        QVERIFY2(csv.contains("1,\"'=HYPERLINK(\"\"x\"\"), <b>Host</b>\","), csv.constData());
        const QByteArray html = trackSheetHtml(t);
        QVERIFY(html.contains("&lt;b&gt;Host&lt;/b&gt;"));
        QVERIFY(!html.contains("<b>Host</b>"));
        const QByteArray project = dawProjectXml(t);
        QVERIFY(project.contains("&lt;b&gt;Host&lt;/b&gt;"));
    }

    void unwritableDestination()
    {
        const SessionTemplate t = loaded(QStringLiteral("hip-hop"));
        QVERIFY(!exportDawProject(t, QStringLiteral("/nonexistent-dir/x.dawproject")).ok());
        QVERIFY(!exportRpp(t, QStringLiteral("/nonexistent-dir/x.rpp")).ok());
        QVERIFY(!exportTrackSheetCsv(t, QStringLiteral("/nonexistent-dir/x.csv")).ok());
    }
};

QTEST_GUILESS_MAIN(TestTemplateExport)
#include "tst_templateexport.moc"
