#include "templates/deliveryname.h"
#include "templates/templatestore.h"
#include "templates/trackmatcher.h"

#include <QTest>

using namespace stemship::templates;

namespace {
SessionTemplate namedTracks(const QStringList &names)
{
    SessionTemplate t;
    for (const QString &name : names) {
        Track track;
        track.name = name;
        t.tracks.append(track);
    }
    return t;
}

QString matchedName(const SessionTemplate &t, const QString &file)
{
    const std::optional<int> index = matchTrack(t, file);
    return index ? t.tracks.at(*index).name : QString();
}
}  // namespace

class TestTrackMatcher : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("STEMSHIP_DATA_DIR"))
            qputenv("STEMSHIP_DATA_DIR", STEMSHIP_SOURCE_DATA_DIR);
    }

    void normalises()
    {
        QCOMPARE(normaliseName(QStringLiteral("  KICK__In-(2) ")), QStringLiteral("kick in 2"));
        QCOMPARE(normaliseName(QStringLiteral("Ｋｉｃｋ")), QStringLiteral("kick"));  // full-width, NFKC
        QCOMPARE(normaliseName(QStringLiteral("\u00C4RGER \u00D6L")), QStringLiteral("\u00E4rger \u00F6l"));  // case folding
        QCOMPARE(normaliseName(QStringLiteral("Violi\u0301n")), normaliseName(QStringLiteral("Viol\u00EDn")));  // NFD = NFC
    }

    void bandTracking_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("track");
        QTest::addColumn<QString>("side");
        auto row = [](const char *file, const char *track, const char *side = "") {
            QTest::newRow(file) << QString::fromUtf8(file) << QString::fromUtf8(track) << QString::fromLatin1(side);
        };
        row("Kick In.wav", "Kick In");
        row("kick_in_01.wav", "Kick In");
        row("KICK-IN.aif", "Kick In");
        row("01 Kick In.wav", "Kick In");
        row("Kick In_03-02.wav", "Kick In");
        row("KickIn.wav", "Kick In");
        row("kick.in.wav", "Kick In");
        row("BD int.wav", "Kick In");  // the track's pattern
        row("Kick Out.flac", "Kick Out");
        row("OH L.wav", "OH", "L");
        row("OH_R.wav", "OH", "R");
        row("Overheads-Left.wav", "OH", "L");
        row("Piano L.wav", "Piano", "L");
        row("Piano_R_01.wav", "Piano", "R");
        row("Room.L.wav", "Room", "L");
        row("/sessions/song/Room.R.wav", "Room", "R");
        row("Lead Vox (2).wav", "Lead Vox");
        row("Lead Vox Dbl.wav", "Lead Vox Dbl");
        row("Lead Vox Dbl_take 3.wav", "Lead Vox Dbl");
        row("Lead Gtr tk2.wav", "Lead Gtr");
        row("Snare Top - Stem.wav", "Snare Top");
        row("Snare Bottom-bounce.wav", "Snare Bottom");
        row("Bass DI_st.wav", "Bass DI");
        row("Tom 2.wav", "Rack Tom 2");
        row("Rack Tom 1_01.wav", "Rack Tom 1");
        row("Floor Tom_v2.wav", "Floor Tom");
        row("HH.wav", "Hi-Hat");
        row("hi hat.wav", "Hi-Hat");
        row("My Song - Lead Vox.wav", "Lead Vox");
        row("My Song - Lead Vox Dbl - print.wav", "Lead Vox Dbl");
        row("Backing Vocals 02.wav", "Backing Vox");
        row("Cowbell.wav", "");
        row("", "");
        row("___.wav", "");
    }

    void bandTracking()
    {
        QFETCH(QString, file);
        QFETCH(QString, track);
        QFETCH(QString, side);
        const stemship::Result<SessionTemplate> t = loadTemplate(QStringLiteral("band-tracking"));
        QVERIFY(t.ok());
        const std::optional<TrackMatch> m = TrackMatcher(*t).match(file);
        QCOMPARE(m ? t->tracks.at(m->index).name : QString(), track);
        if (m)
            QCOMPARE(m->side, side);
    }

    void nonAscii_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("track");
        QTest::newRow("NFD file name") << QStringLiteral("Violi\u0301n_01.wav") << QStringLiteral("Viol\u00EDn");
        QTest::newRow("upper-case umlaut") << QStringLiteral("GESANG_M\u00C4NNLICH_02.wav") << QStringLiteral("Gesang M\u00E4nnlich");
        QTest::newRow("Japanese") << QStringLiteral("\u30DC\u30FC\u30AB\u30EB_01.wav") << QStringLiteral("\u30DC\u30FC\u30AB\u30EB");
        QTest::newRow("Cyrillic") << QStringLiteral("\u0411\u0410\u0421 (2).wav") << QStringLiteral("\u0431\u0430\u0441");
        QTest::newRow("full-width") << QStringLiteral("\uFF2B\uFF49\uFF43\uFF4B.wav") << QStringLiteral("Kick");
    }

    void nonAscii()
    {
        QFETCH(QString, file);
        QFETCH(QString, track);
        const SessionTemplate t = namedTracks({QStringLiteral("Kick"), QStringLiteral("Viol\u00EDn"),
                                               QStringLiteral("Gesang M\u00E4nnlich"), QStringLiteral("\u30DC\u30FC\u30AB\u30EB"),
                                               QStringLiteral("\u0431\u0430\u0441")});
        QCOMPARE(matchedName(t, file), track);
    }

    void mostSpecificWins_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("track");
        QTest::newRow("exact numbered name") << "Gtr 2.wav" << "Gtr 2";
        QTest::newRow("number peeled") << "Gtr 3.wav" << "Gtr";
        QTest::newRow("longest contained") << "Song Snare Top Mic.wav" << "Snare Top";
        QTest::newRow("contained, shorter") << "Song Snare Mic.wav" << "Snare";
        QTest::newRow("tie: earlier track") << "Vox Gtr.wav" << "Gtr";
    }

    void mostSpecificWins()
    {
        QFETCH(QString, file);
        QFETCH(QString, track);
        const SessionTemplate t = namedTracks({QStringLiteral("Gtr"), QStringLiteral("Gtr 2"), QStringLiteral("Snare"),
                                               QStringLiteral("Snare Top"), QStringLiteral("Vox")});
        QCOMPARE(matchedName(t, file), track);
    }

    void patternsPreferLongestMatch()
    {
        SessionTemplate t = namedTracks({QStringLiteral("Perc"), QStringLiteral("Shaker")});
        t.tracks[0].patterns = {QStringLiteral("sh")};
        t.tracks[1].patterns = {QStringLiteral("shak\\w+")};
        QCOMPARE(matchedName(t, QStringLiteral("egg shakers.wav")), QStringLiteral("Shaker"));
        QCOMPARE(matchedName(t, QStringLiteral("shhh.wav")), QStringLiteral("Perc"));
    }

    void deliveryNames_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        QTest::newRow("default") << "" << "Kick In" << "03 Kick In";
        QTest::newRow("all tokens") << "{title}_{index:02}_{group}_{name}_{tempo}bpm_{version}" << "Kick In" << "Song_03_Drums_Kick In_92.5bpm_v2";
        QTest::newRow("no padding") << "{index}-{name}" << "Kick" << "3-Kick";
        QTest::newRow("forbidden characters") << "{name}" << "Kick: In/Out? <L|R> \"*\\\"" << "Kick_ In_Out_ _L_R_ ____";
        QTest::newRow("control characters") << "{name}" << "Kick\tIn\n" << "Kick_In_";
        QTest::newRow("trailing dots and spaces") << "{name}" << "  Vox... . " << "Vox";
        QTest::newRow("reserved CON") << "{name}" << "CON" << "_CON";
        QTest::newRow("reserved nul.x") << "{name}" << "nul.stem" << "_nul.stem";
        QTest::newRow("reserved COM1") << "{name}" << "com1" << "_com1";
        QTest::newRow("not reserved") << "{name}" << "Console" << "Console";
        QTest::newRow("NFC") << "{name}" << "Violi\u0301n" << "Viol\u00EDn";
        QTest::newRow("unicode kept") << "{name}" << "\u30DC\u30FC\u30AB\u30EB" << "\u30DC\u30FC\u30AB\u30EB";
        QTest::newRow("empty") << "{name}" << "..." << "_";
    }

    void deliveryNames()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, name);
        QFETCH(QString, expected);
        SessionTemplate t;
        t.title = QStringLiteral("Song");
        t.tempoBpm = 92.5;
        DeliveryTokens tokens;
        tokens.index = 3;
        tokens.name = name;
        tokens.group = QStringLiteral("Drums");
        tokens.version = QStringLiteral("v2");
        QCOMPARE(deliveryFileName(t, pattern, tokens), expected);
    }

    void deliveryNameLength()
    {
        const QString name = portableFileName(QString(300, QChar(0x00E9)));
        QVERIFY(name.toUtf8().size() <= 200);
        QVERIFY(name.size() >= 99);
    }

    void deliveryPatternChecks()
    {
        QVERIFY(checkDeliveryPattern(QStringLiteral("{index:02} {name}")).isEmpty());
        QVERIFY(checkDeliveryPattern(QStringLiteral("{foo} {name}")).contains(QStringLiteral("unknown token \"{foo}\"")));
        QVERIFY(checkDeliveryPattern(QStringLiteral("{index {name}")).contains(QStringLiteral("unknown token")));
        QVERIFY(checkDeliveryPattern(QStringLiteral("{name")).contains(QStringLiteral("unclosed")));
        QVERIFY(checkDeliveryPattern(QStringLiteral("name}")).contains(QStringLiteral("without")));
        QVERIFY(checkDeliveryPattern(QStringLiteral("{title}")).contains(QStringLiteral("needs {name} or {index}")));
        QVERIFY(checkDeliveryPattern(QStringLiteral("{name:02}")).contains(QStringLiteral("unknown token")));
    }
};

QTEST_GUILESS_MAIN(TestTrackMatcher)
#include "tst_trackmatcher.moc"
