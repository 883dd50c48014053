#include "io/audioreader.h"
#include "session/midifile.h"
#include "session/tempomapimport.h"
#include "templates/dawprojectimport.h"
#include "templates/rppimport.h"
#include "templates/templatestore.h"

#include "clirunner.h"
#include "deliverysignals.h"
#include "sessionreaders.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace stemship;
using stemship::test::CliRunner;

namespace {

struct HandStem {
    QString file;
    QString source;
    double seconds = 1.0;
    int channels = 2;
};

// A delivery zip built by hand: small WAVs and a manifest (tempo_map when given), so each test picks its timing.
QString handDelivery(const QString &dir, const QList<HandStem> &stems, QJsonObject manifest, bool withManifest = true)
{
    QList<test::RawZipEntry> entries;
    QJsonArray list;
    for (const HandStem &s : stems) {
        const QString path = QDir(dir).filePath(QStringLiteral("src-") + s.file);
        if (!test::writeAudio(path, test::sineDb(48000, s.channels, 440, -12, s.seconds), {0x010000 | 0x0003, std::nullopt}))  // WAV PCM 24
            return {};
        entries.append({s.file, test::readFile(path)});
        list.append(QJsonObject{{QStringLiteral("file"), s.file}, {QStringLiteral("source"), s.source}});
    }
    manifest.insert(QStringLiteral("stems"), list);
    if (withManifest)
        entries.append({QStringLiteral("manifest.json"), QJsonDocument(manifest).toJson()});
    const QString zip = QDir(dir).filePath(QStringLiteral("delivery.zip"));
    return test::writeFile(zip, test::buildZip(entries)) ? zip : QString();
}

QJsonObject baseManifest(int prerollBars)
{
    return {{QStringLiteral("title"), QStringLiteral("Song")}, {QStringLiteral("version"), QStringLiteral("3")},
            {QStringLiteral("tempo_bpm"), 120}, {QStringLiteral("time_signature"), QStringLiteral("4/4")},
            {QStringLiteral("preroll_bars"), prerollBars}, {QStringLiteral("sample_rate"), 48000}};
}

// Every local header of a zip: no data-descriptor flag (bit 3) and the CRC written in place.
void checkLocalHeaders(const QByteArray &zip)
{
    qsizetype pos = 0;
    int headers = 0;
    while (zip.mid(pos, 4) == QByteArray("PK\x03\x04", 4)) {
        auto u16 = [&](qsizetype at) { return quint16(quint8(zip[pos + at]) | quint8(zip[pos + at + 1]) << 8); };
        auto u32 = [&](qsizetype at) { return quint32(u16(at)) | quint32(u16(at + 2)) << 16; };
        QCOMPARE(u16(6) & 0x0008, 0);
        QVERIFY(u32(14) != 0);
        pos += 30 + u16(26) + u16(28) + u32(18);
        ++headers;
    }
    QCOMPARE(headers, 2);
}

void xmllint(const QString &dir, const QByteArray &xml, const QString &xsd)
{
    const QString tool = QStandardPaths::findExecutable(QStringLiteral("xmllint"));
    if (tool.isEmpty())
        QSKIP("xmllint is not installed");
    const QString path = QDir(dir).filePath(QStringLiteral("lint.xml"));
    QVERIFY(test::writeFile(path, xml));
    QProcess p;
    p.start(tool, {QStringLiteral("--noout"), QStringLiteral("--schema"), QStringLiteral(STEMSHIP_TEST_DATA_DIR "/dawproject/") + xsd, path});
    QVERIFY(p.waitForFinished(60000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    QFile::remove(path);
}

double wavSeconds(const QString &path)
{
    Result<io::AudioReader> r = io::AudioReader::open(path);
    return r ? r->info().durationSeconds() : -1.0;
}

// What the tests check in every session: the clips at 0 and as long as their files, the marker, and that the
// DAWproject, the RPP and Stemship's importers agree on names, colours and folders.
struct SessionCheck {
    QString dir;
    QString base;
    int prerollBars = 0;
    double barSeconds = 2.0;
    double barBeats = 4.0;
    QStringList trackNames;  // sorted
    bool constantTempo = true;
};

void checkDawProject(const SessionCheck &c)
{
    const QString path = QDir(c.dir).filePath(c.base + QStringLiteral(".dawproject"));
    checkLocalHeaders(test::readFile(path));
    const QByteArray project = *templates::readDawProjectEntry(path, QStringLiteral("project.xml"), 64 << 20);
    xmllint(c.dir, project, QStringLiteral("Project.xsd"));
    xmllint(c.dir, *templates::readDawProjectEntry(path, QStringLiteral("metadata.xml"), 1 << 20), QStringLiteral("MetaData.xsd"));
    QVERIFY(!project.contains("<Warps"));
    QXmlStreamReader xml(project);
    int clips = 0;
    double clipBeats = 0, audioSeconds = 0;
    while (!xml.atEnd()) {
        xml.readNext();
        const QXmlStreamAttributes a = xml.attributes();
        if (xml.isStartElement() && xml.name() == QLatin1String("Clip")) {
            QCOMPARE(a.value(QLatin1String("time")).toDouble(), 0.0);
            QCOMPARE(a.value(QLatin1String("contentTimeUnit")).toString(), QStringLiteral("seconds"));
            clipBeats = a.value(QLatin1String("duration")).toDouble();
            ++clips;
        }
        if (xml.isStartElement() && xml.name() == QLatin1String("Audio"))
            audioSeconds = a.value(QLatin1String("duration")).toDouble();
        if (xml.isStartElement() && xml.name() == QLatin1String("File")) {
            // The clip is the whole file: its seconds are the WAV's, its beats what the map makes of them.
            const double seconds = wavSeconds(QDir(c.dir).filePath(a.value(QLatin1String("path")).toString()));
            QVERIFY2(seconds > 0 && std::abs(seconds - audioSeconds) < 1e-9, qPrintable(a.value(QLatin1String("path")).toString()));
            QCOMPARE(a.value(QLatin1String("external")).toString(), QStringLiteral("true"));
            if (c.constantTempo)
                QVERIFY(std::abs(clipBeats - seconds * c.barBeats / c.barSeconds) < 1e-6);
        }
        if (xml.isStartElement() && xml.name() == QLatin1String("Marker"))
            QCOMPARE(a.value(QLatin1String("time")).toDouble(), c.prerollBars * c.barBeats);
    }
    QCOMPARE(clips, c.trackNames.size());
    Result<templates::SessionTemplate> back = templates::importDawProject(path);
    QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().line()));
    QStringList names;
    for (const templates::Track &t : back->tracks)
        names.append(t.name);
    names.sort();
    QCOMPARE(names, c.trackNames);
}

void checkRpp(const SessionCheck &c)
{
    const QString path = QDir(c.dir).filePath(c.base + QStringLiteral(".RPP"));
    const QByteArray rpp = test::readFile(path);
    static const QRegularExpression item(QStringLiteral("POSITION (\\S+)\\n\\s+LENGTH (\\S+)\\n[\\s\\S]*?FILE \"([^\"]+)\""));
    int items = 0;
    for (auto it = item.globalMatch(QString::fromUtf8(rpp)); it.hasNext(); ++items) {
        const QRegularExpressionMatch m = it.next();
        QCOMPARE(m.captured(1).toDouble(), 0.0);
        QVERIFY(std::abs(m.captured(2).toDouble() - wavSeconds(QDir(c.dir).filePath(m.captured(3)))) < 1e-6);
    }
    QCOMPARE(items, c.trackNames.size());
    QVERIFY2(rpp.contains(QByteArray("MARKER 1 " + QByteArray::number(c.prerollBars * c.barSeconds, 'f', 9) + " \"Bar 1\"")), rpp.constData());
    Result<templates::SessionTemplate> back = templates::importRppText(rpp, path);
    QVERIFY(back.ok());
    QStringList names;
    for (const templates::Track &t : back->tracks)
        names.append(t.name);
    QVERIFY(names.size() >= c.trackNames.size());  // folder tracks without items are learnt as tracks too
    for (const QString &n : c.trackNames)
        QVERIFY2(names.contains(n), qPrintable(n));
    const QByteArray project = *templates::readDawProjectEntry(QDir(c.dir).filePath(c.base + QStringLiteral(".dawproject")),
                                                               QStringLiteral("project.xml"), 64 << 20);
    QCOMPARE(test::rppFolders(rpp), test::dawProjectFolders(project));
}

}  // namespace

class TestCliSession : public QObject {
    Q_OBJECT
private:
    CliRunner cli{QStringLiteral(STEMSHIP_CLI_PATH)};
    QTemporaryDir work;
    QString demoZip;

private Q_SLOTS:
    void initTestCase()
    {
        const test::CliRun demo = cli.run({QStringLiteral("demo"), QStringLiteral("-o"), work.filePath(QStringLiteral("demo"))});
        QVERIFY2(demo.exitCode == 0, demo.err.constData());
        demoZip = work.filePath(QStringLiteral("demo/Stemship Demo v1 stems.zip"));
        QVERIFY(QFileInfo(demoZip).isFile());
    }

    void demoSession_data()
    {
        QTest::addColumn<QString>("tmpl");
        QTest::newRow("suggested template") << QString();
        QTest::newRow("band-tracking") << QStringLiteral("band-tracking");
    }
    void demoSession()
    {
        QFETCH(QString, tmpl);
        const QString dir = work.filePath(QStringLiteral("session-") + (tmpl.isEmpty() ? QStringLiteral("auto") : tmpl));
        QStringList args{QStringLiteral("session"), demoZip, QStringLiteral("-o"), dir, QStringLiteral("--quiet")};
        if (!tmpl.isEmpty())
            args << QStringLiteral("--template") << tmpl;
        const test::CliRun run = cli.run(args);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject manifest = QJsonDocument::fromJson(test::readFile(QDir(dir).filePath(QStringLiteral("manifest.json")))).object();
        SessionCheck c{dir, QStringLiteral("Stemship Demo v1"), manifest.value(QStringLiteral("preroll_bars")).toInt(), 2.0, 4.0, {}, true};
        QVERIFY(c.prerollBars >= 1);  // the demo's vocal pickup
        const templates::SessionTemplate t = *templates::loadTemplate(tmpl.isEmpty() ? QStringLiteral("stemship-demo") : tmpl);
        QStringList names;
        for (const templates::Track &track : t.tracks)
            names.append(track.name);
        for (const QJsonValue &v : manifest.value(QStringLiteral("stems")).toArray())
            c.trackNames.append(v.toObject().value(QStringLiteral("file")).toString());
        QVERIFY(!c.trackNames.isEmpty());
        // With the demo's own template every stem takes its track's name; band-tracking names some of them.
        c.trackNames.clear();
        const Result<templates::SessionTemplate> back = templates::importDawProject(QDir(dir).filePath(c.base + QStringLiteral(".dawproject")));
        QVERIFY(back.ok());
        int named = 0;
        for (const templates::Track &track : back->tracks) {
            c.trackNames.append(track.name);
            named += names.contains(track.name) ? 1 : 0;
        }
        c.trackNames.sort();
        QCOMPARE(c.trackNames.size(), manifest.value(QStringLiteral("stems")).toArray().size());
        QVERIFY(named >= (tmpl.isEmpty() ? c.trackNames.size() : 2));
        checkDawProject(c);
        checkRpp(c);
        const QStringList events = test::midoMetaEvents(QDir(dir).filePath(c.base + QStringLiteral(" tempo.mid")));
        if (events.isEmpty())
            QSKIP("python3-mido is not installed");
        QCOMPARE(events, (QStringList{QStringLiteral("meter 0 4 4"), QStringLiteral("tempo 0 120.0"),
                                      QStringLiteral("marker %1 Bar 1").arg(c.prerollBars * 4 * 960)}));
    }

    // package --session: the files at the zip's root, listed with their SHA-256, checked by verify; a session
    // made from that zip writes them afresh instead of refusing to overwrite the extracted copies.
    void packageWithSession()
    {
        QTemporaryDir dir;
        const QString zip = dir.filePath(QStringLiteral("out.zip"));
        test::CliRun r = cli.run({QStringLiteral("package"), QStringLiteral("-o"), zip, QStringLiteral("--tempo"), QStringLiteral("120"),
                                  QStringLiteral("--time-signature"), QStringLiteral("4/4"), QStringLiteral("--version"), QStringLiteral("v2"),
                                  QStringLiteral("--template"), QStringLiteral("stemship-demo"), QStringLiteral("--session"), QStringLiteral("rpp,midi,dawproject"),
                                  QStringLiteral("--quiet"), work.filePath(QStringLiteral("demo/session"))});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = cli.run({QStringLiteral("verify"), zip, QStringLiteral("--json"), QStringLiteral("-")});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray verified = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("files")).toArray();
        const QString out = dir.filePath(QStringLiteral("s"));
        r = cli.run({QStringLiteral("session"), zip, QStringLiteral("-o"), out, QStringLiteral("--quiet")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray listed = QJsonDocument::fromJson(test::readFile(QDir(out).filePath(QStringLiteral("manifest.json")))).object()
                                      .value(QStringLiteral("session_files")).toArray();
        QCOMPARE(listed.size(), 3);
        for (const QJsonValue &v : listed) {
            const QString file = v.toObject().value(QStringLiteral("file")).toString();
            QVERIFY(file.startsWith(QLatin1String("Stemship Demo Session v2")));
            // Written again from the same delivery: byte for byte what the zip holds.
            QCOMPARE(QString::fromLatin1(test::sha256File(QDir(out).filePath(file))), v.toObject().value(QStringLiteral("sha256")).toString());
            bool checked = false;
            for (const QJsonValue &f : verified)
                checked = checked || (f.toObject().value(QStringLiteral("file")).toString() == file && f.toObject().value(QStringLiteral("ok")).toBool());
            QVERIFY2(checked, qPrintable(file));
        }
        r = cli.run({QStringLiteral("package"), QStringLiteral("-o"), zip, QStringLiteral("--tempo"), QStringLiteral("120"), QStringLiteral("--time-signature"),
                     QStringLiteral("4/4"), QStringLiteral("--version"), QStringLiteral("3"), QStringLiteral("--session"), QStringLiteral("ptx"),
                     work.filePath(QStringLiteral("demo/session"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("unknown session format 'ptx'"));
    }

    // package --tempo-map: 120 BPM for bars 1-2, then 90 BPM (bars of 2.667 s): the whole-bar end follows the map,
    // the manifest and NOTES list the change, and the session files carry it.
    void packageWithTempoMap()
    {
        QTemporaryDir dir;
        const QString mapFile = dir.filePath(QStringLiteral("map.mid"));
        const session::TempoMap map = *session::TempoMap::make({{0, 120}, {8, 90}}, {{0, 4, 4}}, QString());
        QVERIFY(test::writeFile(mapFile, session::tempoMidi(map, 0, {}, QStringLiteral("map"))));
        const QString zip = dir.filePath(QStringLiteral("out.zip"));
        test::CliRun r = cli.run({QStringLiteral("package"), QStringLiteral("-o"), zip, QStringLiteral("--tempo-map"), mapFile,
                                  QStringLiteral("--version"), QStringLiteral("1"), QStringLiteral("--bar-one"), QStringLiteral("1.0"),
                                  QStringLiteral("--template"), QStringLiteral("stemship-demo"),
                                  QStringLiteral("--session"), QStringLiteral("dawproject,rpp,midi"), QStringLiteral("--quiet"),
                                  work.filePath(QStringLiteral("demo/session"))});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString out = dir.filePath(QStringLiteral("s"));
        r = cli.run({QStringLiteral("session"), zip, QStringLiteral("-o"), out, QStringLiteral("--quiet")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject manifest = QJsonDocument::fromJson(test::readFile(QDir(out).filePath(QStringLiteral("manifest.json")))).object();
        const QJsonArray changes = manifest.value(QStringLiteral("tempo_map")).toArray();
        QCOMPARE(changes.size(), 2);
        QCOMPARE(changes[1].toObject().value(QStringLiteral("bar")).toInt(), 3);
        QCOMPARE(changes[1].toObject().value(QStringLiteral("time_s")).toDouble(), 5.0);  // bar one at 1 s, then two bars of 2 s
        QCOMPARE(changes[1].toObject().value(QStringLiteral("tempo_bpm")).toDouble(), 90.0);
        QCOMPARE(manifest.value(QStringLiteral("tempo_bpm")).toDouble(), 120.0);
        // The end sits on a 90 BPM bar line after bar 3: whole 128000-frame bars after 2 bars of 96000 frames.
        const qint64 preroll = manifest.value(QStringLiteral("preroll_bars")).toInt() * 96000;
        const qint64 afterBarThree = qint64(manifest.value(QStringLiteral("length_frames")).toDouble()) - preroll - 192000;
        QVERIFY2(afterBarThree > 0 && afterBarThree % 128000 == 0, qPrintable(QString::number(afterBarThree)));
        QVERIFY(test::readFile(QDir(out).filePath(QStringLiteral("NOTES.txt"))).contains("bar 3 beat 1 (5.000 s): 90 BPM, 4/4"));
        for (const QString &ext : {QStringLiteral(".dawproject"), QStringLiteral(".RPP"), QStringLiteral(" tempo.mid")}) {
            const QString file = QDir(out).filePath(QStringLiteral("Stemship Demo Session v1") + ext);
            const Result<session::TempoMap> back = session::readTempoMapFile(file);
            QVERIFY2(back.ok() && back->tempi().size() == 2, qPrintable(file));
            QVERIFY(std::abs(back->tempi()[1].quarterNotes - (8 + preroll / 96000 * 4)) < 1e-6);
        }
        const QString bad = dir.filePath(QStringLiteral("bad.mid"));
        QVERIFY(test::writeFile(bad, QByteArray("MThd\0\0\0\x06\0\x01\0\x01\x03\xC0MTrk\0\0\0\x04\0\xFF\x2F\0", 26)));
        r = cli.run({QStringLiteral("package"), QStringLiteral("-o"), zip, QStringLiteral("--tempo-map"), bad, QStringLiteral("--version"),
                     QStringLiteral("1"), work.filePath(QStringLiteral("demo/session"))});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.err.trimmed(), QByteArray(bad.toUtf8() + ": the tempo map has no tempo event"));
    }

    // Bar 3 goes to 90 BPM in 3/4: every format carries the change where the map puts it.
    void twoTempoMap()
    {
        QTemporaryDir dir;
        QJsonObject manifest = baseManifest(1);
        manifest.insert(QStringLiteral("tempo_map"), QJsonArray{
            QJsonObject{{QStringLiteral("time_s"), 0}, {QStringLiteral("bar"), 1}, {QStringLiteral("beat"), 1}, {QStringLiteral("tempo_bpm"), 120}, {QStringLiteral("time_signature"), QStringLiteral("4/4")}},
            QJsonObject{{QStringLiteral("time_s"), 4}, {QStringLiteral("bar"), 3}, {QStringLiteral("beat"), 1}, {QStringLiteral("tempo_bpm"), 90}, {QStringLiteral("time_signature"), QStringLiteral("3/4")}}});
        const QString zip = handDelivery(dir.path(), {{QStringLiteral("01 Kick In.wav"), QStringLiteral("kick in.wav"), 9.0, 1},
                                                      {QStringLiteral("02 Bass DI.wav"), QStringLiteral("bass di.wav"), 9.0, 1}}, manifest);
        QVERIFY(!zip.isEmpty());
        const QString out = dir.filePath(QStringLiteral("out"));
        const test::CliRun run = cli.run({QStringLiteral("session"), zip, QStringLiteral("-o"), out, QStringLiteral("--template"), QStringLiteral("band-tracking")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        SessionCheck c{out, QStringLiteral("Song v3"), 1, 2.0, 4.0, {QStringLiteral("Bass DI"), QStringLiteral("Kick In")}, false};
        checkDawProject(c);
        checkRpp(c);
        const QByteArray project = *templates::readDawProjectEntry(QDir(out).filePath(QStringLiteral("Song v3.dawproject")), QStringLiteral("project.xml"), 1 << 20);
        QVERIFY(project.contains("<RealPoint time=\"12\" value=\"90\" interpolation=\"hold\"/>"));
        QVERIFY(project.contains("<TimeSignaturePoint time=\"12\" numerator=\"3\" denominator=\"4\"/>"));
        // 9 s of audio: 2 s pre-roll + 4 s at 120 = 12 beats, then 3 s at 90 BPM = 4.5 beats.
        QVERIFY(project.contains("duration=\"16.5\""));
        const QByteArray rpp = test::readFile(QDir(out).filePath(QStringLiteral("Song v3.RPP")));
        QVERIFY2(rpp.contains("PT 0.000000 120 1 262148 0\n") && rpp.contains("PT 6.000000 90 1 262147 0\n"), rpp.constData());
        // Stemship's own readers give the same map back from every format (the pre-roll bar in front).
        for (const QString &ext : {QStringLiteral(".dawproject"), QStringLiteral(".RPP"), QStringLiteral(" tempo.mid")}) {
            const Result<session::TempoMap> map = session::readTempoMapFile(QDir(out).filePath(QStringLiteral("Song v3") + ext));
            QVERIFY2(map.ok(), map.ok() ? "" : qPrintable(map.error().line()));
            QCOMPARE(map->tempi().size(), 2);
            QVERIFY2(std::abs(map->tempi()[1].quarterNotes - 12.0) < 1e-6 && std::abs(map->tempi()[1].tempoBpm - 90.0) < 1e-3, qPrintable(ext));
            QCOMPARE(map->meters().size(), 2);
            QCOMPARE(map->meters()[1].bar, 3);
            QCOMPARE(map->meters()[1].numerator, 3);
        }
        const QStringList events = test::midoMetaEvents(QDir(out).filePath(QStringLiteral("Song v3 tempo.mid")));
        if (events.isEmpty())
            QSKIP("python3-mido is not installed");
        QCOMPARE(events, (QStringList{QStringLiteral("meter 0 4 4"), QStringLiteral("tempo 0 120.0"), QStringLiteral("marker 3840 Bar 1"),
                                      QStringLiteral("meter 11520 3 4"), QStringLiteral("tempo 11520 90.0")}));
    }

    void badInput()
    {
        QTemporaryDir dir;
        auto session = [&](const QStringList &extra) { return cli.run(QStringList{QStringLiteral("session")} + extra); };
        const QString out = dir.filePath(QStringLiteral("out"));
        test::CliRun r = session({dir.filePath(QStringLiteral("missing.zip")), QStringLiteral("-o"), out});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("missing.zip: no such file"));
        r = session({demoZip, QStringLiteral("-o"), out, QStringLiteral("--format"), QStringLiteral("rpp,logic")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("unknown session format 'logic'"));
        QVERIFY(!QFileInfo::exists(out));

        // Hostile: nothing written inside DIR, nothing outside it.
        const QString hostile = dir.filePath(QStringLiteral("hostile.zip"));
        QVERIFY(test::writeFile(hostile, test::buildZip({{QStringLiteral("01 Kick.wav"), QByteArray("RIFF")}, {QStringLiteral("../evil.wav"), QByteArray("x")}})));
        r = session({hostile, QStringLiteral("-o"), out});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("../evil.wav"), r.err.constData());
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("evil.wav"))));
        QVERIFY(QDir(out).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden).isEmpty());

        // No manifest: exit 2 asking for the tempo, then a session from the WAVs at that tempo.
        QTemporaryDir loose;
        const QString zip = handDelivery(loose.path(), {{QStringLiteral("10 Zorg.wav"), {}, 1.0, 2}, {QStringLiteral("2 Blip.wav"), {}, 1.0, 2}}, {}, false);
        r = session({zip, QStringLiteral("-o"), out});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("give --tempo and --time-signature"), r.err.constData());
        r = session({zip, QStringLiteral("-o"), out, QStringLiteral("--tempo"), QStringLiteral("0")});
        QCOMPARE(r.exitCode, 2);
        r = session({zip, QStringLiteral("-o"), out, QStringLiteral("--tempo"), QStringLiteral("100"), QStringLiteral("--time-signature"), QStringLiteral("6/8")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QByteArray rpp = test::readFile(QDir(out).filePath(QStringLiteral("delivery v1.RPP")));
        QVERIFY(rpp.contains("TEMPO 100 6 8"));
        QVERIFY(rpp.indexOf("NAME \"2 Blip\"") >= 0 && rpp.indexOf("NAME \"2 Blip\"") < rpp.indexOf("NAME \"10 Zorg\""));  // natural order

        // A second run never overwrites: exit 2 naming the first existing file.
        r = session({zip, QStringLiteral("-o"), out, QStringLiteral("--tempo"), QStringLiteral("100")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("already exists"), r.err.constData());
        QCOMPARE(test::readFile(QDir(out).filePath(QStringLiteral("delivery v1.RPP"))), rpp);
    }

    // Not a timed assertion: prints how long 100 stems take to lay out once extracted (README's figure).
    void hundredStems()
    {
        QTemporaryDir dir;
        QList<HandStem> stems;
        for (int i = 1; i <= 100; ++i)
            stems.append({QStringLiteral("%1 Stem %1.wav").arg(i, 3, 10, QLatin1Char('0')), QStringLiteral("stem %1.wav").arg(i), 0.05, 2});
        const QString zip = handDelivery(dir.path(), stems, baseManifest(0));
        const test::CliRun r = cli.run({QStringLiteral("session"), zip, QStringLiteral("-o"), dir.filePath(QStringLiteral("out"))});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("(\\d+) tracks, session files built in (\\d+) ms")).match(QString::fromUtf8(r.err));
        QVERIFY2(m.hasMatch(), r.err.constData());
        QCOMPARE(m.captured(1).toInt(), 100);
        qInfo("100 stems: session files built in %s ms after extraction", qPrintable(m.captured(2)));
    }
};

QTEST_GUILESS_MAIN(TestCliSession)
#include "tst_cli_session.moc"
