#include "delivery/deliveryspec.h"
#include "delivery/manifest.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using namespace stemship;

// The manifest on its own: what manifestJson writes (strict JSON, the contract's keys, levels to 0.01 dB) is what
// parseManifest reads back, and parseManifest names what a tampered manifest lacks.
class TestManifest : public QObject {
    Q_OBJECT

    static delivery::DeliveryResult result()
    {
        delivery::DeliveryResult r;
        r.title = QStringLiteral("Song");
        r.timeline.lengthFrames = 480000;
        r.timeline.bars = 5;
        r.gainMode = gain::GainMode::Peak;
        for (int i = 0; i < 2; ++i) {
            delivery::DeliveredStem s;
            s.file = QStringLiteral("0%1 Stem.wav").arg(i + 1);
            s.source = QStringLiteral("stems/Stem %1.wav").arg(i + 1);
            s.sha256 = QByteArray(64, char('a' + i));
            s.frames = 480000;
            s.channels = 2;
            s.layout = QStringLiteral("stereo");
            s.gainDb = -3.456;
            s.samplePeakDbfs = -18.004;
            s.truePeakDbtp = -17.5;
            s.rmsDbfs = -30.0;
            s.integratedLufs = i == 0 ? -INFINITY : -23.019;  // a silent stem: no loudness
            r.stems.append(s);
        }
        r.extraFiles.append({QStringLiteral("Song.RPP"), QByteArray("<REAPER_PROJECT\n>\n")});
        return r;
    }

private Q_SLOTS:
    void roundTrip()
    {
        delivery::DeliverySpec spec;
        spec.sampleRateHz = 48000;
        spec.bitDepth = 24;
        spec.version = QStringLiteral("3");
        const QByteArray json = delivery::manifestJson(result(), spec);
        QVERIFY(!json.contains("nan") && !json.contains("inf"));  // strict JSON (CLI-CONTRACT)
        const QJsonObject root = QJsonDocument::fromJson(json).object();
        QCOMPARE(root.value(QStringLiteral("title")).toString(), QStringLiteral("Song"));
        QCOMPARE(root.value(QStringLiteral("gain_mode")).toString(), QStringLiteral("peak"));
        QVERIFY(root.value(QStringLiteral("reference")).isNull());
        const QJsonArray stems = root.value(QStringLiteral("stems")).toArray();
        QCOMPARE(stems.size(), 2);
        QCOMPARE(stems.at(0).toObject().value(QStringLiteral("gain_db")).toDouble(), -3.46);
        QVERIFY(stems.at(0).toObject().value(QStringLiteral("integrated_lufs")).isNull());
        QCOMPARE(stems.at(1).toObject().value(QStringLiteral("integrated_lufs")).toDouble(), -23.02);
        const QJsonObject session = root.value(QStringLiteral("session_files")).toArray().at(0).toObject();
        QCOMPARE(session.value(QStringLiteral("sha256")).toString().toLatin1(),
                 QCryptographicHash::hash("<REAPER_PROJECT\n>\n", QCryptographicHash::Sha256).toHex());

        QStringList problems;
        const std::optional<delivery::Manifest> back = delivery::parseManifest(json, &problems);
        QVERIFY2(back, qPrintable(problems.join(QLatin1Char('\n'))));
        QVERIFY(problems.isEmpty());
        QCOMPARE(back->sampleRateHz, 48000);
        QCOMPARE(back->bitDepth, 24);
        QCOMPARE(back->lengthFrames, std::int64_t(480000));
        QCOMPARE(back->files.size(), 3);  // two stems, one session file
        QCOMPARE(back->files.at(1).file, QStringLiteral("02 Stem.wav"));
        QCOMPARE(back->files.at(1).sha256, QByteArray(64, 'b'));
        QCOMPARE(back->files.at(1).frames, std::optional<std::int64_t>(480000));
        QVERIFY(back->files.at(0).isAudio && !back->files.at(2).isAudio);
    }

    void namesWhatIsMissing()
    {
        delivery::DeliverySpec spec;
        spec.sampleRateHz = 48000;
        spec.bitDepth = 24;
        QJsonObject root = QJsonDocument::fromJson(delivery::manifestJson(result(), spec)).object();
        root.remove(QStringLiteral("sample_rate"));
        QStringList problems;
        delivery::parseManifest(QJsonDocument(root).toJson(), &problems);  // read on, the problem named
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.join(QLatin1Char(' ')).contains(QStringLiteral("sample_rate")), qPrintable(problems.join(QLatin1Char(' '))));
        problems.clear();
        QVERIFY(!delivery::parseManifest("{\"stems\": [", &problems));
        QCOMPARE(problems.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestManifest)
#include "tst_manifest.moc"
