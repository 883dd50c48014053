#include "templates/dawprojectexport.h"
#include "templates/dawprojectimport.h"
#include "templates/rppexport.h"
#include "templates/rppimport.h"
#include "templates/templatestore.h"

#include "filetree.h"

#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace stemship::templates;

namespace {
SessionTemplate loaded(const QString &name)
{
    const stemship::Result<SessionTemplate> t = loadTemplate(name);
    if (!t)
        qFatal("%s", qPrintable(t.error().line()));
    return *t;
}

QString busName(const SessionTemplate &t, const QString &id)
{
    const Bus *b = t.bus(id.isEmpty() ? t.mixBusId() : id);
    return b ? b->name : QStringLiteral("?") + id;
}

// The folders holding tracks, as a session shows them: a group's folder is its bus, named and coloured as the
// bus. Imported, such a folder becomes a group carrying the bus's name and colour.
QStringList folders(const SessionTemplate &t)
{
    QSet<QString> lines;
    for (const Track &track : t.tracks) {
        const QString output = t.trackOutput(track);
        const Bus *b = output == t.mixBusId() ? nullptr : t.bus(output);
        if (b)
            lines.insert(QStringLiteral("folder %1 %2").arg(b->name, b->colour));
    }
    QStringList sorted(lines.cbegin(), lines.cend());
    sorted.sort();
    return sorted;
}

// What a DAW session keeps of a template, by name (ids are the importer's choice).
// REAPER has no folder without a bus, so withGroupsAndLayouts = false also leaves outputs out.
QStringList routing(const SessionTemplate &t, bool withGroupsAndLayouts)
{
    QStringList lines;
    lines << QStringLiteral("tempo %1 %2/%3").arg(t.tempoBpm).arg(t.timeSignature.numerator).arg(t.timeSignature.denominator);
    QStringList trackLines;
    for (const Track &track : t.tracks) {
        QString line = track.name + QStringLiteral(" | ") + t.trackColour(track);
        if (withGroupsAndLayouts)
            line += QStringLiteral(" | -> ") + busName(t, t.trackOutput(track));
        if (withGroupsAndLayouts)
            line += QStringLiteral(" | ") + channelLayoutName(track.layout);
        QStringList sends;
        for (const Send &s : track.sends)
            sends << QStringLiteral(" | send %1 %2 %3").arg(busName(t, s.bus)).arg(s.levelDb, 0, 'f', 2).arg(s.preFader ? QStringLiteral("pre") : QStringLiteral("post"));
        sends.sort();
        trackLines << line + sends.join(QString());
    }
    trackLines.sort();
    lines << trackLines;
    QStringList buses;
    for (const Bus &b : t.buses)
        buses << QStringLiteral("bus %1 %2 %3 -> %4").arg(b.name, busKindName(b.kind), b.colour, b.kind == BusKind::Mix ? QString() : busName(t, t.busOutput(b)));
    buses.sort();
    lines << buses;
    if (withGroupsAndLayouts)
        lines << folders(t);
    return lines;
}

void compareLines(const QStringList &actual, const QStringList &expected)
{
    for (qsizetype i = 0; i < std::min(actual.size(), expected.size()); ++i)
        QCOMPARE(actual[i], expected[i]);
    QCOMPARE(actual.size(), expected.size());
}

}  // namespace

class TestTemplateImport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void bundled_data();
    void dawProjectRoundTrip_data();
    void dawProjectRoundTrip();
    void rppRoundTrip_data();
    void rppRoundTrip();
    void foreignDawProject();
    void hostileDawProjectXml_data();
    void hostileDawProjectXml();
    void hostileDawProjectFiles();
    void hostileRpp_data();
    void hostileRpp();
    void rppQuirks();
};

#ifndef Q_MOC_RUN  // moc misreads raw strings with unbalanced brackets
void TestTemplateImport::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("STEMSHIP_DATA_DIR"))
        qputenv("STEMSHIP_DATA_DIR", STEMSHIP_SOURCE_DATA_DIR);
}

void TestTemplateImport::bundled_data()
{
    QTest::addColumn<QString>("name");
    for (const QString &name : listTemplates())
        QTest::newRow(qPrintable(name)) << name;
}

void TestTemplateImport::dawProjectRoundTrip_data() { bundled_data(); }

void TestTemplateImport::dawProjectRoundTrip()
{
    QFETCH(QString, name);
    const SessionTemplate original = loaded(name);
    QTemporaryDir dir;
    const QString path = dir.filePath(name + QStringLiteral(".dawproject"));
    QVERIFY(exportDawProject(original, path).ok());
    const stemship::Result<SessionTemplate> back = importDawProject(path);
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().line()));
    QCOMPARE(back->name, name);
    QCOMPARE(back->title, original.title);
    QCOMPARE(back->description, original.description);
    compareLines(routing(*back, true), routing(original, true));
    // A folder imported is a group named and coloured as its bus: what every export shows.
    for (const Group &g : back->groups) {
        const Bus *b = back->bus(g.bus);
        QVERIFY2(b && b->name == g.name && b->colour == g.colour, qPrintable(g.name));
    }
    for (qsizetype i = 0; i < original.buses.size(); ++i) {
        const Bus *b = nullptr;
        for (const Bus &candidate : back->buses)
            b = candidate.name == original.buses[i].name ? &candidate : b;
        QVERIFY(b);
        QCOMPARE(b->effect, original.buses[i].effect);
    }
}

void TestTemplateImport::rppRoundTrip_data() { bundled_data(); }

void TestTemplateImport::rppRoundTrip()
{
    QFETCH(QString, name);
    const SessionTemplate original = loaded(name);
    const stemship::Result<SessionTemplate> back = importRppText(rppProject(original), name + QStringLiteral(".RPP"));
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().line()));
    // REAPER keeps names, colours, folders (as buses), sends and tempo; a folder is both group and bus.
    QStringList expected = routing(original, false), actual = routing(*back, false);
    expected = expected.mid(0, original.tracks.size() + 1);
    actual = actual.mid(0, back->tracks.size() + 1);
    compareLines(actual, expected);
    QCOMPARE(back->description, original.description);
    // Where every group owns its bus, the folders give back each track's output exactly.
    if (name == QLatin1String("band-tracking")) {
        for (qsizetype i = 0; i < original.tracks.size(); ++i)
            QCOMPARE(busName(*back, back->trackOutput(back->tracks[i])), busName(original, original.trackOutput(original.tracks[i])));
    }
}

void TestTemplateImport::foreignDawProject()
{
    // Shaped like a Bitwig Studio export: a group with a send to an effect return, the master last.
    const QByteArray xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<Project version="1.0"><Application name="Bitwig Studio" version="5.0"/>
<Transport><Tempo unit="bpm" value="149" id="id0"/><TimeSignature numerator="7" denominator="8" id="id1"/></Transport>
<Structure>
 <Track contentType="audio notes" loaded="true" id="id2" name="Drums" color="#a2eabf">
  <Channel audioChannels="2" destination="id9" role="submix" id="id3"><Volume unit="linear" value="1"/></Channel>
  <Track contentType="audio" loaded="true" id="id4" name="Drumloop" color="#b53bba">
   <Channel audioChannels="2" destination="id3" role="regular" id="id5">
<Sends><Send destination="id7" type="pre" id="id6"><Volume unit="decibel" value="-9.5"/></Send></Sends>
   </Channel>
  </Track>
 </Track>
 <Track contentType="audio" loaded="true" id="id10" name="Verb"><Channel audioChannels="2" destination="id9" role="effect" id="id7"/></Track>
 <Track contentType="audio notes" loaded="true" id="id8" name="Master"><Channel audioChannels="2" role="master" id="id9"/></Track>
</Structure></Project>)";
    const stemship::Result<SessionTemplate> t = importDawProjectXml(xml, {}, QStringLiteral("My Song.dawproject"));
    QVERIFY2(t.ok(), qPrintable(t.ok() ? QString() : t.error().line()));
    QCOMPARE(t->name, QStringLiteral("my-song"));
    QCOMPARE(t->tempoBpm, 149.0);
    QCOMPARE(t->timeSignature.numerator, 7);
    QCOMPARE(t->tracks.size(), 1);
    QCOMPARE(t->tracks[0].name, QStringLiteral("Drumloop"));
    QCOMPARE(t->trackColour(t->tracks[0]), QStringLiteral("#B53BBA"));
    QCOMPARE(t->group(t->tracks[0].group)->name, QStringLiteral("Drums"));
    QCOMPARE(busName(*t, t->trackOutput(t->tracks[0])), QStringLiteral("Drums"));
    QCOMPARE(t->tracks[0].sends.size(), 1);
    QCOMPARE(busName(*t, t->tracks[0].sends[0].bus), QStringLiteral("Verb"));
    QCOMPARE(t->tracks[0].sends[0].levelDb, -9.5);
    QVERIFY(t->tracks[0].sends[0].preFader);
    QCOMPARE(t->mixBus()->name, QStringLiteral("Master"));
}

void TestTemplateImport::hostileDawProjectXml_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QString>("what");
    QTest::newRow("not XML") << QByteArray("\x01\x02 garbage <<<") << "not well-formed XML";
    QTest::newRow("wrong root") << QByteArray("<html/>") << "not a DAWproject";
    QTest::newRow("unclosed") << QByteArray("<Project><Structure><Track name=\"a\">") << "not well-formed XML";
    QTest::newRow("billion laughs") << QByteArray("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>"
                                                  "<Project><Structure><Track name=\"&lol2;\"/></Structure></Project>") << "document type declarations are not allowed";
    QTest::newRow("100 000 nested tracks") << QByteArray("<Project><Structure>") + QByteArray("<Track name=\"x\">").repeated(100000) << "nested more than 64 deep";
    QTest::newRow("no tracks") << QByteArray("<Project><Structure/></Project>") << "no tracks";
    QByteArray many = "<Project><Structure>";
    for (int i = 0; i < 5000; ++i)
        many += "<Track name=\"t" + QByteArray::number(i) + "\"><Channel role=\"regular\"/></Track>";
    QTest::newRow("5000 tracks") << many + "</Structure></Project>" << "more than";
}

void TestTemplateImport::hostileDawProjectXml()
{
    QFETCH(QByteArray, xml);
    QFETCH(QString, what);
    const stemship::Result<SessionTemplate> t = importDawProjectXml(xml, {}, QStringLiteral("x.dawproject"));
    QVERIFY(!t.ok());
    QVERIFY2(t.error().what.contains(what), qPrintable(t.error().line()));
}

void TestTemplateImport::hostileDawProjectFiles()
{
    QTemporaryDir dir;
    QVERIFY(!importDawProject(dir.filePath(QStringLiteral("missing.dawproject"))).ok());
    QCOMPARE(importDawProject(dir.filePath(QStringLiteral("missing.dawproject"))).error().code, stemship::ErrorCode::NotFound);
    const stemship::Result<SessionTemplate> notZip = importDawProject(stemship::test::writeFileIn(dir, QStringLiteral("a.dawproject"), QByteArray(4096, 'x')));
    QVERIFY(!notZip.ok());
    QVERIFY(notZip.error().what.contains(QStringLiteral("not a zip")));
    // A real zip without project.xml: export one, then read it as if it lacked the entry.
    const QString zipPath = dir.filePath(QStringLiteral("b.dawproject"));
    QVERIFY(exportDawProject(loaded(QStringLiteral("hip-hop")), zipPath).ok());
    const stemship::Result<QByteArray> absent = readDawProjectEntry(zipPath, QStringLiteral("nothing.xml"), 1024);
    QVERIFY(!absent.ok());
    const stemship::Result<QByteArray> capped = readDawProjectEntry(zipPath, QStringLiteral("project.xml"), 100);
    QVERIFY(!capped.ok());
    QVERIFY(capped.error().what.contains(QStringLiteral("larger than 100 bytes")));
}

void TestTemplateImport::hostileRpp_data()
{
    QTest::addColumn<QByteArray>("rpp");
    QTest::addColumn<QString>("what");
    QTest::newRow("not RPP") << QByteArray("hello\n") << "not a REAPER project";
    QTest::newRow("binary") << QByteArray("\x00\xff\xfe<<>>\n", 8) << "not a REAPER project";
    QTest::newRow("truncated") << QByteArray("<REAPER_PROJECT 0.1 \"7.0\" 0\n  <TRACK\n    NAME \"Kick\"\n") << "ends inside a block";
    QTest::newRow("stray close") << QByteArray("<REAPER_PROJECT 0.1\n>\n>\n") << "closes no block";
    QTest::newRow("100 000 nested blocks") << QByteArray("<REAPER_PROJECT 0.1\n") + QByteArray("<X\n").repeated(100000) << "nested more than 64 deep";
    QByteArray many = "<REAPER_PROJECT 0.1\n";
    for (int i = 0; i < 1001; ++i)
        many += "<TRACK\nNAME t" + QByteArray::number(i) + "\n>\n";
    QTest::newRow("1001 tracks") << many + ">\n" << "more than 1000 tracks";
    QTest::newRow("no tracks") << QByteArray("<REAPER_PROJECT 0.1\n  TEMPO 120 4 4\n>\n") << "no tracks";
}

void TestTemplateImport::hostileRpp()
{
    QFETCH(QByteArray, rpp);
    QFETCH(QString, what);
    const stemship::Result<SessionTemplate> t = importRppText(rpp, QStringLiteral("x.RPP"));
    QVERIFY(!t.ok());
    QVERIFY2(t.error().what.contains(what), qPrintable(t.error().line()));
}

void TestTemplateImport::rppQuirks()
{
    // Hand-written like REAPER's own files: nested FX/item blocks, odd quoting, out-of-range AUXRECV sources.
    const QByteArray rpp = "<REAPER_PROJECT 0.1 \"6.80/linux-x86_64\" 1681234567\n  TEMPO 92.5 6 8\n"
                           "  <TRACK {A}\n    NAME 'Kick \"In\"'\n    PEAKCOL 16793792\n    ISBUS 0 0\n"
                           "    <FXCHAIN\n      <VST \"VST: ReaEQ\" reaeq.dll 0 \"\"\n        AAAA\n      >\n    >\n  >\n"
                           "  <TRACK {B}\n    NAME `Tom's \"big\" verb`\n    AUXRECV 0 3 0.5 0 0 0 0 0 0 -1:U 0 -1 ''\n"
                           "    AUXRECV 99 0 1 0 0 0 0 0 0 -1:U 0 -1 ''\n  >\n>\n";
    const stemship::Result<SessionTemplate> t = importRppText(rpp, QStringLiteral("s.RPP"));
    QVERIFY2(t.ok(), qPrintable(t.ok() ? QString() : t.error().line()));
    QCOMPARE(t->tempoBpm, 92.5);
    QCOMPARE(t->timeSignature.denominator, 8);
    QCOMPARE(t->tracks.size(), 1);
    QCOMPARE(t->tracks[0].name, QStringLiteral("Kick \"In\""));
    QCOMPARE(t->tracks[0].colour, QStringLiteral("#C04000"));
    QCOMPARE(t->tracks[0].sends.size(), 1);
    QCOMPARE(busName(*t, t->tracks[0].sends[0].bus), QStringLiteral("Tom's \"big\" verb"));
    QVERIFY(t->tracks[0].sends[0].preFader);
    QCOMPARE(t->tracks[0].sends[0].levelDb, -6.02);
}
#endif

QTEST_GUILESS_MAIN(TestTemplateImport)
#include "tst_templateimport.moc"
