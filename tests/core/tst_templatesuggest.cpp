#include "templates/templatestore.h"
#include "templates/templatesuggest.h"

#include <QTest>

using namespace stemship::templates;

// Suggesting a bundled template for a session opened without one, from its file names.
class TestTemplateSuggest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyBundledTemplateIsFoundFromItsOwnTracks()
    {
        // A session exported with each template's track names (numbered, as DAWs export) suggests that template.
        const QList<TemplateInfo> all = bundledTemplates();
        QVERIFY(all.size() >= 2);
        for (const TemplateInfo &info : all) {
            auto t = loadTemplate(info.path);
            QVERIFY2(t.ok(), qPrintable(info.name));
            QStringList files;
            for (int i = 0; i < t->tracks.size(); ++i)
                files << QStringLiteral("/sessions/x/%1 %2.wav").arg(i + 1, 2, 10, QLatin1Char('0')).arg(t->tracks.at(i).name);
            const auto s = suggestTemplate(files);
            QVERIFY2(s.has_value(), qPrintable(info.name));
            QCOMPARE(s->name, info.name);
            QCOMPARE(s->matched, files.size());
            QCOMPARE(s->files, files.size());
        }
    }

    void theDemoSessionGetsTheDemoTemplate()
    {
        const QStringList demo{QStringLiteral("Kick In.wav"), QStringLiteral("Snare Top.wav"), QStringLiteral("Hi-Hat.wav"),
                               QStringLiteral("Bass DI.wav"), QStringLiteral("Keys.wav"), QStringLiteral("Rhythm Guitar.wav"),
                               QStringLiteral("Lead Vocal.wav"), QStringLiteral("FX Riser.wav")};
        const auto s = suggestTemplate(demo);
        QVERIFY(s.has_value());
        QCOMPARE(s->name, QStringLiteral("stemship-demo"));
        QCOMPARE(s->matched, 8);
    }

    void noGuessFromAFewNames_data()
    {
        QTest::addColumn<QStringList>("files");
        QTest::newRow("nothing") << QStringList{};
        QTest::newRow("one stem") << QStringList{QStringLiteral("Kick In.wav")};
        QTest::newRow("unknown names") << QStringList{QStringLiteral("take 1.wav"), QStringLiteral("take 2.wav"), QStringLiteral("final.wav")};
        // Two of five named (40 %): not most of the session.
        QTest::newRow("a minority") << QStringList{QStringLiteral("Kick In.wav"), QStringLiteral("Snare Top.wav"), QStringLiteral("a.wav"),
                                                   QStringLiteral("b.wav"), QStringLiteral("c.wav")};
    }
    void noGuessFromAFewNames()
    {
        QFETCH(QStringList, files);
        const auto s = suggestTemplate(files);
        QVERIFY2(!s.has_value(), qPrintable(s ? s->name : QString()));
    }
};

QTEST_GUILESS_MAIN(TestTemplateSuggest)
#include "tst_templatesuggest.moc"
