#include "delivery/stemnames.h"

#include <QSet>
#include <QTest>

using namespace stemship;

// Stem names on their own: natural order as DAWs number their exports, "NN name.wav", portable and unique.
class TestStemNames : public QObject {
    Q_OBJECT

    static QList<io::StemSource> sources(const QStringList &names)
    {
        QList<io::StemSource> out;
        for (const QString &n : names)
            out.append(io::StemSource{n, QStringLiteral("/in/") + n, {}});
        return out;
    }

private Q_SLOTS:
    void naturalOrder()
    {
        QVERIFY(delivery::naturalLess(QStringLiteral("2_snare"), QStringLiteral("10_bass")));
        QVERIFY(delivery::naturalLess(QStringLiteral("a"), QStringLiteral("B")));
        QCOMPARE(delivery::naturalCompare(u"Kick 02", u"kick 2"), 0);
        QVERIFY(delivery::naturalCompare(u"x9", u"x10") < 0);
    }

    void numberedInNaturalOrder()
    {
        const QList<delivery::NamedStem> named = delivery::nameStems(
            sources({QStringLiteral("10_bass.wav"), QStringLiteral("1_kick.wav"), QStringLiteral("2_snare.flac")}), std::nullopt, {});
        QCOMPARE(named.size(), 3);
        QCOMPARE(named.at(0).sourceIndex, 1);
        QCOMPARE(named.at(0).file, QStringLiteral("01 1_kick.wav"));
        QCOMPARE(named.at(1).file, QStringLiteral("02 2_snare.wav"));  // every delivered file is a WAV
        QCOMPARE(named.at(2).sourceIndex, 0);
    }

    void portableAndUnique()
    {
        // Characters Windows refuses, and two names that differ only in case.
        const QList<delivery::NamedStem> named = delivery::nameStems(
            sources({QStringLiteral("Vox: lead?.wav"), QStringLiteral("pad.wav"), QStringLiteral("PAD.wav")}), std::nullopt, {});
        QSet<QString> folded;
        for (const delivery::NamedStem &n : named) {
            for (QChar c : QStringLiteral("<>:\"/\\|?*"))
                QVERIFY2(!n.file.contains(c), qPrintable(n.file));
            QVERIFY(n.file.endsWith(QStringLiteral(".wav")));
            folded.insert(n.file.toCaseFolded());
        }
        QCOMPARE(folded.size(), 3);
    }
};

QTEST_GUILESS_MAIN(TestStemNames)
#include "tst_stemnames.moc"
