#include "session/midifile.h"
#include "session/tempomap.h"
#include "session/tempomapimport.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "deliverysignals.h"
#include "sessionreaders.h"

using namespace stemship::session;

namespace {

// 120 BPM 4/4 for two bars, then 90 BPM and 3/4 from bar 3 (quarter note 8).
TempoMap twoTempoMap()
{
    const stemship::Result<TempoMap> map = TempoMap::make({{0, 120}, {8, 90}}, {{0, 4, 4}, {2, 3, 4}}, QStringLiteral("test"));
    if (!map)
        qFatal("%s", qPrintable(map.error().line()));
    return *map;
}

}  // namespace

class TestTempoMap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void arithmetic()
    {
        const TempoMap map = twoTempoMap();
        QCOMPARE(map.secondsAt(8), 4.0);                 // 8 quarters at 120 BPM
        QCOMPARE(map.secondsAt(11), 4.0 + 3 * 60.0 / 90);  // then 3 at 90 BPM
        QCOMPARE(map.quarterNotesAt(6.0), 8 + 2 * 90.0 / 60);
        QCOMPARE(map.quarterNotesAtBar(2), 8.0);
        QCOMPARE(map.quarterNotesAtBar(4), 14.0);         // two bars of 3/4 after bar 3
        QCOMPARE(map.secondsAtBar(-1), -2.0);             // the pre-roll repeats 120 BPM 4/4
        QCOMPARE(map.barAtOrAfter(4.0), 2);               // exactly on a bar line: that bar
        QCOMPARE(map.barAtOrAfter(4.1), 3);
        QCOMPARE(map.barAtOrAfter(-0.5), 0);
        QCOMPARE(map.barAtOrAfter(-2.5), -1);
        for (double s : {-3.0, 0.0, 1.234, 4.0, 9.87})
            QVERIFY(std::abs(map.secondsAt(map.quarterNotesAt(s)) - s) < 1e-12);
    }

    void changes()
    {
        const QList<TempoChange> c = twoTempoMap().changes();
        QCOMPARE(c.size(), 2);
        QCOMPARE(c[1].bar, 3);
        QCOMPARE(c[1].beat, 1.0);
        QCOMPARE(c[1].seconds, 4.0);
        QCOMPARE(c[1].tempoBpm, 90.0);
        QCOMPARE(c[1].numerator, 3);
        // A tempo change mid-bar: bar 2, beat 3.
        const TempoMap mid = *TempoMap::make({{0, 100}, {6, 140}}, {{0, 4, 4}}, QString());
        QCOMPARE(mid.changes().last().bar, 2);
        QCOMPARE(mid.changes().last().beat, 3.0);
        const stemship::Result<TempoMap> back = tempoMapFromChanges(twoTempoMap().changes(), QString());
        QVERIFY(back.ok());
        QCOMPARE(back->tempi().size(), 2);
        QCOMPARE(back->tempi()[1].quarterNotes, 8.0);
        QCOMPARE(back->meters()[1].bar, 2);
    }

    void rejectsBadMaps_data()
    {
        QTest::addColumn<QList<TempoPoint>>("tempi");
        QTest::addColumn<QList<MeterPoint>>("meters");
        QTest::addColumn<QString>("message");
        QTest::newRow("no tempo") << QList<TempoPoint>{} << QList<MeterPoint>{{0, 4, 4}} << QStringLiteral("no tempo event");
        QTest::newRow("zero tempo") << QList<TempoPoint>{{0, 0}} << QList<MeterPoint>{} << QStringLiteral("outside 10..999");
        QTest::newRow("absurd tempo") << QList<TempoPoint>{{0, 120}, {4, 5000}} << QList<MeterPoint>{} << QStringLiteral("outside 10..999");
        QTest::newRow("7/6") << QList<TempoPoint>{{0, 120}} << QList<MeterPoint>{{0, 7, 6}} << QStringLiteral("power of two");
    }
    void rejectsBadMaps()
    {
        QFETCH(QList<TempoPoint>, tempi);
        QFETCH(QList<MeterPoint>, meters);
        QFETCH(QString, message);
        const stemship::Result<TempoMap> map = TempoMap::make(tempi, meters, QStringLiteral("song.mid"));
        QVERIFY(!map.ok());
        QVERIFY2(map.error().line().startsWith(QLatin1String("song.mid: ")) && map.error().what.contains(message), qPrintable(map.error().line()));
        QVERIFY(!parseTimeSignature(QStringLiteral("4/3"), QString()).ok());
        QVERIFY(parseTimeSignature(QStringLiteral("6/8"), QString()).ok());
    }

    // Written with one pre-roll bar, read back by mido (independent) and by Stemship's reader.
    void midiFile()
    {
        const TempoMap map = twoTempoMap();
        const QByteArray smf = tempoMidi(map, 1, {MidiMarker{4, QStringLiteral("Bar 1")}}, QStringLiteral("Song"));
        QVERIFY(smf.startsWith(QByteArray("MThd\0\0\0\x06\0\x01\0\x01\x03\xC0", 14)));  // type 1, one track, PPQ 960
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("tempo.mid"));
        QVERIFY(stemship::test::writeFile(path, smf));
        const QStringList events = stemship::test::midoMetaEvents(path);
        if (events.isEmpty())
            QSKIP("python3 with mido (python3-mido) is not installed");
        const QStringList expected{QStringLiteral("meter 0 4 4"), QStringLiteral("tempo 0 120.0"),
                                   QStringLiteral("marker 3840 Bar 1"), QStringLiteral("meter 11520 3 4"), QStringLiteral("tempo 11520 90.0")};
        QCOMPARE(events, expected);
        const stemship::Result<TempoMap> back = readTempoMidi(smf, path);
        QVERIFY(back.ok());
        QCOMPARE(back->tempi().size(), 2);
        QCOMPARE(back->tempi()[1].quarterNotes, 12.0);  // the pre-roll bar shifts the map by 4 quarters
        QCOMPARE(back->meters()[1].bar, 3);
        QCOMPARE(readMidiMarkers(smf).first().quarterNotes, 4.0);
    }

    void readsFiles()
    {
        QTemporaryDir dir;
        const QString bad = dir.filePath(QStringLiteral("song.rpp"));
        QVERIFY(stemship::test::writeFile(bad, "<REAPER_PROJECT 0.1\n  TEMPO 120 4 4\n  <TEMPOENVEX\n    PT 0 120 1\n    PT 2 0 1\n  >\n>\n"));
        stemship::Result<TempoMap> map = readTempoMapFile(bad);
        QVERIFY(!map.ok());
        QVERIFY2(map.error().line() == bad + QStringLiteral(": tempo 0 BPM is outside 10..999 BPM"), qPrintable(map.error().line()));
        QVERIFY(!readTempoMapFile(dir.filePath(QStringLiteral("missing.mid"))).ok());
        QVERIFY(stemship::test::writeFile(dir.filePath(QStringLiteral("x.txt")), "120"));
        QVERIFY(readTempoMapFile(dir.filePath(QStringLiteral("x.txt"))).error().what.contains(QLatin1String("not a tempo map")));
        const QByteArray sevenSix = "<Project><Transport><Tempo value=\"100\"/><TimeSignature numerator=\"7\" denominator=\"6\"/></Transport></Project>";
        QVERIFY(readDawProjectTempoMap(sevenSix, QStringLiteral("p.dawproject")).error().what.contains(QLatin1String("power of two")));
        // A REAPER map in seconds: 2 s at 120 BPM is 4 quarter notes, then 6/8.
        map = readRppTempoMap("  TEMPO 120 4 4\n  <TEMPOENVEX\n    PT 0 120 1\n    PT 2 60 1 524294 0\n  >\n", QString());
        QVERIFY(map.ok());
        QCOMPARE(map->tempi()[1].quarterNotes, 4.0);
        QCOMPARE(map->meters()[1].bar, 1);
        QCOMPARE(map->meters()[1].numerator, 6);
        QCOMPARE(map->meters()[1].denominator, 8);
    }

    void rejectsBadMidi_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("message");
        const QByteArray header("MThd\0\0\0\x06\0\x01\0\x01\x03\xC0", 14);
        const QByteArray noteOnly = QByteArray("MTrk\0\0\0\x0C", 8) + QByteArray("\0\x90\x3C\x40\x60\x80\x3C\x40\0\xFF\x2F\0", 12);
        QTest::newRow("not midi") << QByteArray("RIFF....WAVE") << QStringLiteral("not a Standard MIDI File");
        QTest::newRow("smpte") << QByteArray("MThd\0\0\0\x06\0\x01\0\x01\xE7\x28", 14) + noteOnly << QStringLiteral("SMPTE");
        QTest::newRow("no tempo") << header + noteOnly << QStringLiteral("no tempo event");
        QTest::newRow("truncated") << header + noteOnly.left(10) << QStringLiteral("truncated");
        QTest::newRow("zero tempo") << header + QByteArray("MTrk\0\0\0\x0B\0\xFF\x51\x03\0\0\0\0\xFF\x2F\0", 19) << QStringLiteral("outside");
    }
    void rejectsBadMidi()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, message);
        const stemship::Result<TempoMap> map = readTempoMidi(data, QStringLiteral("map.mid"));
        QVERIFY(!map.ok());
        QVERIFY2(map.error().what.contains(message), qPrintable(map.error().line()));
    }
};

QTEST_GUILESS_MAIN(TestTempoMap)
#include "tst_tempomap.moc"
