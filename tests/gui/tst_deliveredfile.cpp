// File > Inspect Delivered File: the view shows what core reads from a file Stemship delivered (a 5.1 and a stereo
// stem in a zip, read in place), the loudness it shows agrees with libebur128, and broken files are a message.

#include "deliverysignals.h"
#include "ebur128reference.h"
#include "guitestsession.h"

#include "delivery/packager.h"
#include "io/bwfchunks.h"
#include "io/stemsource.h"
#include "models/metadatamodel.h"
#include "util/cancel.h"
#include "widgets/banner.h"
#include "widgets/deliveredfiledialog.h"

#include <QComboBox>
#include <QFile>
#include <QTest>
#include <QtEndian>

#include <sndfile.h>

using namespace stemship;
using namespace stemship::gui;

namespace {

// Everything an entry holds, read back through core (tests only; small files).
std::optional<test::Signal> readSource(const io::StemSource &source)
{
    auto reader = io::openStemSource(source);
    if (!reader.ok())
        return std::nullopt;
    test::Signal signal;
    signal.sampleRateHz = reader->info().sampleRateHz;
    signal.channels = reader->info().channels;
    signal.samples.resize(std::size_t(reader->info().frames * signal.channels));
    if (reader->read(signal.samples.data(), reader->info().frames) != reader->info().frames)
        return std::nullopt;
    return signal;
}

// "-23.46 LUFS" -> -23.46
double leadingNumber(const QString &text)
{
    return text.section(QLatin1Char(' '), 0, 0).toDouble();
}

}  // namespace

class TestDeliveredFile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        test::setUpGuiTest();
        QVERIFY(m_dir.isValid());
        const test::WriteOptions surround = test::wavFloat51();
        const QString beds = m_dir.filePath(QStringLiteral("Beds.wav"));
        const QString keys = m_dir.filePath(QStringLiteral("Keys.wav"));
        QVERIFY(test::writeAudio(beds, test::programme(48000, 6, 4.0, 3, -12.0), surround));
        QVERIFY(test::writeAudio(keys, test::programme(48000, 2, 4.0, 4, -9.0)));
        delivery::DeliverySpec spec;
        spec.sources = {io::StemSource{beds, beds, QString()}, io::StemSource{keys, keys, QString()}};
        spec.outputPath = m_dir.filePath(QStringLiteral("Night Drive.zip"));
        spec.title = QStringLiteral("Night Drive");
        spec.version = QStringLiteral("v3");
        spec.jobs = 2;
        auto result = delivery::packageStems(spec, {}, CancelToken());
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().line()));
        m_zip = spec.outputPath;
    }

    void showsWhatCoreReadsFromADelivery()
    {
        DeliveredFileDialog dialog;
        dialog.openPath(m_zip);
        QComboBox *entries = dialog.entryPicker();
        QCOMPARE(entries->count(), 2);
        const QList<io::StemSource> sources = io::collectSources({m_zip}, nullptr);
        QCOMPARE(sources.size(), 2);
        QStringList umids;
        for (int i = 0; i < entries->count(); ++i) {
            entries->setCurrentIndex(i);  // the picker drives the view
            const MetadataModel &model = *dialog.model();
            const QString entry = entries->itemText(i);
            const auto source = std::find_if(sources.begin(), sources.end(), [&](const io::StemSource &s) { return s.zipEntry == entry; });
            QVERIFY2(source != sources.end(), qPrintable(entry));
            auto reader = io::openStemSource(*source);
            QVERIFY(reader.ok());
            const io::AudioInfo &info = reader->info();
            QVERIFY(info.bext && info.ixml);
            QVERIFY2(info.metadataProblems.isEmpty(), qPrintable(info.metadataProblems.join(QLatin1Char('\n'))));
            QVERIFY2(dialog.banner()->isHidden(), qPrintable(dialog.banner()->text()));

            const bool surround = info.channels == 6;
            QCOMPARE(model.value(QStringLiteral("Format"), QStringLiteral("Layout")), surround ? QStringLiteral("5.1") : QStringLiteral("stereo"));
            QCOMPARE(model.value(QStringLiteral("Format"), QStringLiteral("Channel mask")), surround ? QStringLiteral("0x3F") : QStringLiteral("0x3"));
            QCOMPARE(model.value(QStringLiteral("Format"), QStringLiteral("Sample rate")), QStringLiteral("48000 Hz"));
            QCOMPARE(model.value(QStringLiteral("bext"), QStringLiteral("Version")), QStringLiteral("2"));
            QCOMPARE(model.value(QStringLiteral("bext"), QStringLiteral("Description")), QString::fromLatin1(info.bext->description).trimmed());
            QCOMPARE(model.value(QStringLiteral("bext"), QStringLiteral("Time reference")).section(QLatin1Char(' '), 0, 0).toULongLong(),
                     info.bext->timeReferenceSamples);
            const QString umid = model.value(QStringLiteral("bext"), QStringLiteral("UMID"));
            QCOMPARE(umid, io::umidToHex(info.bext->umid));
            QCOMPARE(umid.size(), 64);
            umids.append(umid);
            QVERIFY(model.value(QStringLiteral("bext"), QStringLiteral("Coding history")).contains(QStringLiteral("T=Stemship")));
            const double shownLufs = leadingNumber(model.value(QStringLiteral("bext"), QStringLiteral("Loudness value")));
            QCOMPARE(shownLufs, *info.bext->loudness.loudnessValueLufs);
            QCOMPARE(leadingNumber(model.value(QStringLiteral("bext"), QStringLiteral("Max true peak"))), *info.bext->loudness.maxTruePeakLevelDbtp);
            QCOMPARE(model.value(QStringLiteral("iXML"), QStringLiteral("Project")), QStringLiteral("Night Drive"));
            QCOMPARE(model.value(QStringLiteral("iXML"), QStringLiteral("Track %1").arg(info.channels)).isEmpty(), false);
            QVERIFY(model.value(QStringLiteral("iXML"), QStringLiteral("Track 4")).startsWith(surround ? QStringLiteral("LFE") : QString()));
            if (!surround) {
                // libebur128 on the delivered samples: the loudness the view shows is the file's (bext keeps 0.01 LU).
                const auto signal = readSource(*source);
                QVERIFY(signal);
                const double reference = test::referenceLoudness(*signal).integratedLufs;
                QVERIFY2(std::abs(shownLufs - reference) < 0.1, qPrintable(QStringLiteral("%1 vs %2").arg(shownLufs).arg(reference)));
            }
        }
        QCOMPARE(umids.size(), 2);
        QVERIFY(umids.at(0) != umids.at(1));
    }

    // A received WAV whose bext is cut short: readable, the problem named, the rest shown.
    void truncatedBextIsAMessage()
    {
        const QString path = m_dir.filePath(QStringLiteral("cut.wav"));
        QByteArray bext("bext", 4);
        const auto size = qToLittleEndian<quint32>(120);
        bext.append(reinterpret_cast<const char *>(&size), 4);
        bext.append(120, 'x');
        QByteArray body = "WAVE" + io::buildFmtChunk(2, 48000, 24, false, 0) + bext;
        QByteArray data("data", 4);
        const auto dataSize = qToLittleEndian<quint32>(480 * 2 * 3);
        data.append(reinterpret_cast<const char *>(&dataSize), 4);
        data.append(480 * 2 * 3, '\0');
        body += data;
        QByteArray riff("RIFF", 4);
        const auto riffSize = qToLittleEndian<quint32>(quint32(body.size()));
        riff.append(reinterpret_cast<const char *>(&riffSize), 4);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(riff + body);
        file.close();

        DeliveredFileDialog dialog;
        dialog.openPath(path);
        QVERIFY(!dialog.banner()->isHidden());
        QVERIFY2(dialog.banner()->text().startsWith(QStringLiteral("cut.wav: bext")), qPrintable(dialog.banner()->text()));
        QVERIFY(!dialog.model()->value(QStringLiteral("Problems"), QStringLiteral("Not trusted")).isEmpty());
        QCOMPARE(dialog.model()->value(QStringLiteral("Format"), QStringLiteral("Channels")), QStringLiteral("2"));
    }

    void notAudioIsOneLineNamingTheFile()
    {
        const QString path = m_dir.filePath(QStringLiteral("notes.wav"));
        QVERIFY(test::writeFile(path, "this is not a wave file"));
        DeliveredFileDialog dialog;
        dialog.openPath(path);
        QVERIFY(!dialog.banner()->isHidden());
        QVERIFY2(dialog.banner()->text().contains(QStringLiteral("notes.wav")), qPrintable(dialog.banner()->text()));
        QCOMPARE(dialog.model()->rowCount(), 0);
    }

private:
    QTemporaryDir m_dir;
    QString m_zip;
};

QTEST_MAIN(TestDeliveredFile)
#include "tst_deliveredfile.moc"
