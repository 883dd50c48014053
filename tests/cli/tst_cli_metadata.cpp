// A delivery of mono, stereo, 5.1, 7.1 and 7.1.4 stems read back by readers other than Stemship's: the test's own
// RIFF chunk walker, libsndfile, libebur128 (the loudness fields), mediainfo (masks and loudness), xmllint (iXML).
// Then `stemship verify` on it, and on copies whose fields or UMIDs were tampered with.

#include "clirunner.h"
#include "mediainfo.h"
#include "deliverysignals.h"
#include "testsignals.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <sndfile.h>

#include <cmath>

#include <ebur128.h>

using namespace stemship::test;

namespace {

// The test's chunk walker: id -> body of the first chunk with that id (RIFF only; deliveries here are small).
QHash<QByteArray, QByteArray> chunksOf(const QByteArray &wav)
{
    QHash<QByteArray, QByteArray> out;
    if (!wav.startsWith("RIFF") || wav.mid(8, 4) != "WAVE")
        return out;
    for (qsizetype at = 12; at + 8 <= wav.size();) {
        const QByteArray id = wav.mid(at, 4);
        const quint32 size = qFromLittleEndian<quint32>(wav.constData() + at + 4);
        if (!out.contains(id))
            out.insert(id, wav.mid(at + 8, size));
        at += 8 + qsizetype(size) + (size & 1);
    }
    return out;
}

double loudnessWord(const QByteArray &bext, int index)
{
    const qint16 v = qFromLittleEndian<qint16>(bext.constData() + 412 + 2 * index);
    return v == 0x7FFF ? NAN : v / 100.0;
}

struct StemCase {
    const char *name;
    int channels;
    std::uint32_t sourceMask;   // 0: plain WAV
    std::uint32_t deliveredMask;  // what fmt must carry (0: not WAVE_FORMAT_EXTENSIBLE needed)
    const char *functions;      // iXML FUNCTION labels, space-separated
    const char *mediainfoLayout;
};

// In delivery order (numbered by file name).
const StemCase kStems[] = {
    {"01 Bed 51.wav", 6, 0x60F, 0x3F, "L R C LFE Ls Rs", "L R C LFE Lb Rb"},
    {"02 Bed 71.wav", 8, 0x63F, 0x63F, "L R C LFE Lrs Rrs Ls Rs", "L R C LFE Lb Rb Ls Rs"},
    {"03 Bed 714.wav", 12, 0x2D63F, 0x2D63F, "L R C LFE Lrs Rrs Ls Rs Ltf Rtf Ltr Rtr", nullptr},
    {"04 Keys.wav", 2, 0, 0, "L R", nullptr},
    {"05 Vox.wav", 1, 0, 0, "M", nullptr},
    // Under the -70 LUFS gate as received, over it at the gain its -40 dBFS click gets (+22 dB to -18 dBFS peak):
    // its loudness counts only at the gain (BS.1770-4).
    {"06 Whisper.wav", 1, 0, 0, "M", nullptr},
};

// libebur128's channel map for a delivered layout, by the iXML function of each channel.
int ebuChannel(const QString &function)
{
    static const QHash<QString, int> map{
        {QStringLiteral("M"), EBUR128_CENTER}, {QStringLiteral("L"), EBUR128_LEFT}, {QStringLiteral("R"), EBUR128_RIGHT},
        {QStringLiteral("C"), EBUR128_CENTER}, {QStringLiteral("LFE"), EBUR128_UNUSED},
        {QStringLiteral("Ls"), EBUR128_Mp110}, {QStringLiteral("Rs"), EBUR128_Mm110},
        {QStringLiteral("Lrs"), EBUR128_Mp135}, {QStringLiteral("Rrs"), EBUR128_Mm135},
        {QStringLiteral("Ltf"), EBUR128_Up030}, {QStringLiteral("Rtf"), EBUR128_Um030},
        {QStringLiteral("Ltr"), EBUR128_Up135}, {QStringLiteral("Rtr"), EBUR128_Um135}};
    return map.value(function, EBUR128_LEFT);
}

}  // namespace

class TestCliMetadata : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_zip;
    QString m_extracted;
    const CliRunner m_cli{QStringLiteral(STEMSHIP_CLI_PATH)};

    QString extractedPath(const StemCase &c) const { return m_extracted + QLatin1Char('/') + QString::fromLatin1(c.name); }

private Q_SLOTS:
    void initTestCase();
    void fmtCarriesTheLayoutMask();
    void bextVersion2WithLoudnessOfTheDeliveredFile();
    void umidsAreUnique();
    void ixmlNamesEveryChannel();
    void codingHistoryEndsWithStemship();
    void mediainfoReadsMasksAndLoudness();
    void verifyChecksTheFields();
    void monoDualMono();
};

void TestCliMetadata::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString stems = m_dir.filePath(QStringLiteral("stems"));
    QVERIFY(QDir().mkpath(stems));
    std::uint32_t seed = 1;
    for (const StemCase &c : kStems) {
        // 44.1 kHz sources: the delivery resamples, so the fields describe the delivered signal, not the source.
        Signal s = programme(44100, c.channels, 6.0, seed++, -8.0);
        if (QByteArray(c.name).contains("Whisper")) {
            s = sineDb(44100, 1, 1000.0, -78.0, 6.0);  // about -81 LUFS
            s.at(44100, 0) = 0.01f;                     // -40 dBFS
        }
        for (std::int64_t i = 0; i < s.frames(); ++i)
            for (int ch = 0; ch < c.channels; ++ch)
                s.at(i, ch) *= float(1.0 - 0.06 * ch);
        // Placed 1.23 s into the session: the delivered files' 100 ms grid is not the stems' own grid.
        WriteOptions options{SF_FORMAT_WAV | SF_FORMAT_PCM_24, std::uint64_t(54243), {}};
        if (c.sourceMask)
            options.channelMask = c.sourceMask;
        QVERIFY(writeAudio(stems + QLatin1Char('/') + QString::fromLatin1(c.name).mid(3), s, options));
    }
    m_zip = m_dir.filePath(QStringLiteral("Song v3 stems.zip"));
    const CliRun run = m_cli.run({QStringLiteral("package"), QStringLiteral("-o"), m_zip, QStringLiteral("--tempo"), QStringLiteral("120"),
                                  QStringLiteral("--time-signature"), QStringLiteral("4/4"), QStringLiteral("--version"), QStringLiteral("3"),
                                  QStringLiteral("--title"), QStringLiteral("Song"), QStringLiteral("--gain"), QStringLiteral("peak"),
                                  QStringLiteral("--quiet"), stems});
    QVERIFY2(run.exitCode == 0, qPrintable(QStringLiteral("exit %1: %2").arg(run.exitCode).arg(QString::fromUtf8(run.err))));
    m_extracted = m_dir.filePath(QStringLiteral("x"));
    QProcess unzip;
    unzip.start(QStringLiteral("unzip"), {QStringLiteral("-q"), m_zip, QStringLiteral("-d"), m_extracted});
    QVERIFY(unzip.waitForFinished(60000));
    QCOMPARE(unzip.exitCode(), 0);
    for (const StemCase &c : kStems)
        QVERIFY2(QFile::exists(extractedPath(c)), c.name);
}

void TestCliMetadata::fmtCarriesTheLayoutMask()
{
    for (const StemCase &c : kStems) {
        QFile f(extractedPath(c));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray fmt = chunksOf(f.readAll()).value("fmt ");
        QVERIFY2(fmt.size() >= 16, c.name);
        QCOMPARE(int(qFromLittleEndian<quint16>(fmt.constData() + 2)), c.channels);
        if (c.deliveredMask) {
            QCOMPARE(qFromLittleEndian<quint16>(fmt.constData()), quint16(0xFFFE));
            QCOMPARE(qFromLittleEndian<quint32>(fmt.constData() + 20), quint32(c.deliveredMask));
        }
    }
}

void TestCliMetadata::bextVersion2WithLoudnessOfTheDeliveredFile()
{
    for (const StemCase &c : kStems) {
        QFile f(extractedPath(c));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bext = chunksOf(f.readAll()).value("bext");
        QVERIFY2(bext.size() >= 602, c.name);
        QCOMPARE(qFromLittleEndian<quint16>(bext.constData() + 346), quint16(2));

        const auto audio = readAudio(extractedPath(c));
        QVERIFY(audio);
        ebur128_state *st = ebur128_init(unsigned(c.channels), unsigned(audio->sampleRateHz),
                                         EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK | EBUR128_MODE_S);
        const QStringList functions = QString::fromLatin1(c.functions).split(QLatin1Char(' '));
        for (int ch = 0; ch < c.channels; ++ch)
            ebur128_set_channel(st, unsigned(ch), ebuChannel(functions.at(ch)));
        ebur128_add_frames_float(st, audio->samples.data(), std::size_t(audio->frames()));
        double integrated = 0.0, peak = 0.0;
        ebur128_loudness_global(st, &integrated);
        for (int ch = 0; ch < c.channels; ++ch) {
            double p = 0.0;
            ebur128_true_peak(st, unsigned(ch), &p);
            peak = std::max(peak, p);
        }
        ebur128_destroy(&st);
        const double truePeakDbtp = 20.0 * std::log10(peak);
        const QByteArray what = QStringLiteral("%1: bext I %2 TP %3, libebur128 I %4 TP %5")
                                    .arg(QString::fromLatin1(c.name)).arg(loudnessWord(bext, 0)).arg(loudnessWord(bext, 2))
                                    .arg(integrated, 0, 'f', 3).arg(truePeakDbtp, 0, 'f', 3).toUtf8();
        qInfo("%s", what.constData());
        QVERIFY2(std::abs(loudnessWord(bext, 0) - integrated) <= 0.1, what.constData());
        QVERIFY2(std::abs(loudnessWord(bext, 2) - truePeakDbtp) <= 0.2, what.constData());
        QVERIFY2(std::isfinite(loudnessWord(bext, 1)) && std::isfinite(loudnessWord(bext, 3)) && std::isfinite(loudnessWord(bext, 4)),
                 what.constData());
    }
}

void TestCliMetadata::umidsAreUnique()
{
    QSet<QByteArray> umids;
    for (const StemCase &c : kStems) {
        QFile f(extractedPath(c));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray umid = chunksOf(f.readAll()).value("bext").mid(348, 64);
        QCOMPARE(umid.left(10), QByteArray::fromHex("060a2b34010101050101"));  // SMPTE ST 330 label
        QCOMPARE(umid.at(12), char(0x13));
        QCOMPARE(umid.mid(32), QByteArray(32, '\0'));
        umids.insert(umid);
    }
    QCOMPARE(umids.size(), int(std::size(kStems)));
}

void TestCliMetadata::ixmlNamesEveryChannel()
{
    const QString xmllint = QStandardPaths::findExecutable(QStringLiteral("xmllint"));
    for (const StemCase &c : kStems) {
        QFile f(extractedPath(c));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto chunks = chunksOf(f.readAll());
        const QByteArray ixml = chunks.value("iXML");
        QVERIFY2(!ixml.isEmpty(), c.name);
        const QString text = QString::fromUtf8(ixml);
        QVERIFY(text.contains(QStringLiteral("<PROJECT>Song</PROJECT>")));
        QVERIFY(text.contains(QStringLiteral("<NOTE>version 3, 120 BPM, 4/4</NOTE>")));
        QCOMPARE(int(text.count(QStringLiteral("<TRACK>"))), c.channels);
        const QStringList functions = QString::fromLatin1(c.functions).split(QLatin1Char(' '));
        for (int ch = 0; ch < c.channels; ++ch)
            QVERIFY2(text.contains(QStringLiteral("<CHANNEL_INDEX>%1</CHANNEL_INDEX>").arg(ch + 1)), c.name);
        for (const QString &function : functions)
            QVERIFY2(text.contains(QStringLiteral("<FUNCTION>%1</FUNCTION>").arg(function)), qPrintable(function));
        const quint64 timeReference = qFromLittleEndian<quint64>(chunks.value("bext").constData() + 338);
        QVERIFY(text.contains(QStringLiteral("<BWF_TIME_REFERENCE_LOW>%1</BWF_TIME_REFERENCE_LOW>").arg(timeReference & 0xffffffffu)));
        QVERIFY(text.contains(QStringLiteral("<BWF_TIME_REFERENCE_HIGH>%1</BWF_TIME_REFERENCE_HIGH>").arg(timeReference >> 32)));
        if (xmllint.isEmpty())
            continue;
        QProcess p;
        p.start(xmllint, {QStringLiteral("--noout"), QStringLiteral("-")});
        p.write(ixml.left(ixml.indexOf('\0') < 0 ? ixml.size() : ixml.indexOf('\0')));
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(10000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    }
}

void TestCliMetadata::codingHistoryEndsWithStemship()
{
    for (const StemCase &c : kStems) {
        QFile f(extractedPath(c));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bext = chunksOf(f.readAll()).value("bext");
        QByteArray history = bext.mid(602);
        history.truncate(history.indexOf('\0') < 0 ? history.size() : history.indexOf('\0'));
        const QList<QByteArray> lines = history.trimmed().split('\n');
        QVERIFY2(lines.last().startsWith("A=PCM,F=48000,W=24,M="), history.constData());
        QVERIFY2(lines.last().contains(",T=Stemship "), history.constData());
    }
}

void TestCliMetadata::mediainfoReadsMasksAndLoudness()
{
    for (const StemCase &c : kStems) {
        const QJsonObject audio = mediaInfoTrack(extractedPath(c), QStringLiteral("Audio"));
        QVERIFY2(!audio.isEmpty(), "mediainfo read nothing (scripts/setup.sh installs it)");
        QCOMPARE(audio.value(QStringLiteral("Channels")).toString().toInt(), c.channels);
        if (c.mediainfoLayout)
            QCOMPARE(audio.value(QStringLiteral("ChannelLayout")).toString(), QString::fromLatin1(c.mediainfoLayout));
        QFile f(extractedPath(c));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bext = chunksOf(f.readAll()).value("bext");
        const QJsonObject extra = audio.value(QStringLiteral("extra")).toObject();
        QCOMPARE(extra.value(QStringLiteral("LoudnessValue")).toString().toDouble(), loudnessWord(bext, 0));
        QCOMPARE(extra.value(QStringLiteral("MaxTruePeakLevel")).toString().toDouble(), loudnessWord(bext, 2));
    }
}

void TestCliMetadata::verifyChecksTheFields()
{
    CliRun ok = m_cli.run({QStringLiteral("verify"), m_zip});
    QVERIFY2(ok.exitCode == 0, ok.err.constData());

    // Tamper with the copy inside a re-zipped delivery: the LoudnessValue of one stem and the UMID of another
    // (copied from the first). The manifest's hashes are updated so only the metadata is wrong.
    const QString tampered = m_dir.filePath(QStringLiteral("tampered"));
    QVERIFY(QDir().mkpath(tampered));
    QDir source(m_extracted);
    for (const QString &name : source.entryList(QDir::Files))
        QVERIFY(QFile::copy(source.filePath(name), tampered + QLatin1Char('/') + name));
    auto patch = [&](const StemCase &c, qsizetype bextOffset, const QByteArray &bytes) {
        QFile f(tampered + QLatin1Char('/') + QString::fromLatin1(c.name));
        if (!f.open(QIODevice::ReadWrite))
            return false;
        const QByteArray all = f.readAll();
        const qsizetype at = all.indexOf("bext") + 8 + bextOffset;
        return f.seek(at) && f.write(bytes) == bytes.size();
    };
    QByteArray loud(2, '\0');
    qToLittleEndian<qint16>(-1000, loud.data());  // -10 LUFS: far from what the stem measures
    QVERIFY(patch(kStems[1], 412, loud));
    QFile first(extractedPath(kStems[0]));
    QVERIFY(first.open(QIODevice::ReadOnly));
    QVERIFY(patch(kStems[2], 348, chunksOf(first.readAll()).value("bext").mid(348, 32)));

    QFile manifestFile(tampered + QStringLiteral("/manifest.json"));
    QVERIFY(manifestFile.open(QIODevice::ReadOnly));
    QJsonObject manifest = QJsonDocument::fromJson(manifestFile.readAll()).object();
    manifestFile.close();
    QJsonArray files = manifest.value(QStringLiteral("stems")).toArray();
    for (int i = 0; i < files.size(); ++i) {
        QJsonObject o = files.at(i).toObject();
        o.insert(QStringLiteral("sha256"), QString::fromLatin1(sha256File(tampered + QLatin1Char('/') + o.value(QStringLiteral("file")).toString())));
        files.replace(i, o);
    }
    manifest.insert(QStringLiteral("stems"), files);
    QVERIFY(manifestFile.open(QIODevice::WriteOnly | QIODevice::Truncate));
    manifestFile.write(QJsonDocument(manifest).toJson());
    manifestFile.close();
    const QString zip = m_dir.filePath(QStringLiteral("tampered.zip"));
    QProcess zipper;
    zipper.setWorkingDirectory(tampered);
    zipper.start(QStringLiteral("zip"), QStringList{QStringLiteral("-q"), QStringLiteral("-0"), zip} + QDir(tampered).entryList(QDir::Files));
    QVERIFY(zipper.waitForFinished(60000));
    if (zipper.exitStatus() != QProcess::NormalExit || zipper.exitCode() != 0)
        QSKIP("zip not installed");

    const CliRun bad = m_cli.run({QStringLiteral("verify"), zip});
    QCOMPARE(bad.exitCode, 1);
    const QString err = QString::fromUtf8(bad.err);
    const QString tamperedLoudness = QString::fromLatin1(kStems[1].name), copiedUmid = QString::fromLatin1(kStems[2].name);
    QVERIFY2(err.contains(tamperedLoudness + QStringLiteral(": bext LoudnessValue says -10.00 LUFS")), qPrintable(err));
    QVERIFY2(err.contains(copiedUmid + QStringLiteral(": UMID")) || err.contains(QString::fromLatin1(kStems[0].name) + QStringLiteral(": UMID")),
             qPrintable(err));
    QCOMPARE(int(err.count(QStringLiteral("is also the UMID of"))), 1);
}

void TestCliMetadata::monoDualMono()
{
    const QString stems = m_dir.filePath(QStringLiteral("dual"));
    QVERIFY(QDir().mkpath(stems));
    Signal guitar = programme(48000, 2, 3.0, 21, -10.0);
    for (std::int64_t i = 0; i < guitar.frames(); ++i)
        guitar.at(i, 1) = guitar.at(i, 0);
    QVERIFY(writeAudio(stems + QStringLiteral("/Guitar.wav"), guitar, {SF_FORMAT_WAV | SF_FORMAT_PCM_24, {}}));
    QVERIFY(writeAudio(stems + QStringLiteral("/Pad.wav"), programme(48000, 2, 3.0, 22, -10.0), {SF_FORMAT_WAV | SF_FORMAT_PCM_24, {}}));

    for (const bool fold : {false, true}) {
        const QString zip = m_dir.filePath(fold ? QStringLiteral("folded.zip") : QStringLiteral("unfolded.zip"));
        QStringList args{QStringLiteral("package"), QStringLiteral("-o"), zip, QStringLiteral("--tempo"), QStringLiteral("100"),
                         QStringLiteral("--time-signature"), QStringLiteral("4/4"), QStringLiteral("--version"), QStringLiteral("1"),
                         QStringLiteral("--quiet"), stems};
        if (fold)
            args.insert(1, QStringLiteral("--mono-dual-mono"));
        const CliRun run = m_cli.run(args);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QString out = m_dir.filePath(fold ? QStringLiteral("folded") : QStringLiteral("unfolded"));
        QProcess unzip;
        unzip.start(QStringLiteral("unzip"), {QStringLiteral("-q"), zip, QStringLiteral("-d"), out});
        QVERIFY(unzip.waitForFinished(60000));
        QFile manifestFile(out + QStringLiteral("/manifest.json"));
        QVERIFY(manifestFile.open(QIODevice::ReadOnly));
        const QJsonArray list = QJsonDocument::fromJson(manifestFile.readAll()).object().value(QStringLiteral("stems")).toArray();
        QCOMPARE(list.size(), 2);
        for (const QJsonValue &v : list) {
            const QJsonObject stem = v.toObject();
            const bool guitarStem = stem.value(QStringLiteral("file")).toString().contains(QStringLiteral("Guitar"));
            const bool folded = fold && guitarStem;
            QCOMPARE(stem.value(QStringLiteral("folded_to_mono")).toBool(false), folded);
            QCOMPARE(stem.value(QStringLiteral("channels")).toInt(), folded ? 1 : 2);
            QCOMPARE(stem.value(QStringLiteral("layout")).toString(), folded ? QStringLiteral("mono") : QStringLiteral("stereo"));
            const auto delivered = readAudio(out + QLatin1Char('/') + stem.value(QStringLiteral("file")).toString());
            QVERIFY(delivered);
            QCOMPARE(delivered->channels, folded ? 1 : 2);
            if (folded) {
                // 48 kHz, 24-bit, 0 dB: no resampling, no dither, so the mono file is the source's channel exactly.
                const auto source = readAudio(stems + QStringLiteral("/Guitar.wav"));
                QVERIFY(source);
                QVERIFY(delivered->frames() >= source->frames());
                for (std::int64_t i = 0; i < source->frames(); i += 97)
                    QCOMPARE(delivered->samples[std::size_t(i)], source->samples[std::size_t(2 * i)]);
            }
        }
        QFile notes(out + QStringLiteral("/NOTES.txt"));
        QVERIFY(notes.open(QIODevice::ReadOnly));
        QCOMPARE(notes.readAll().contains("both channels identical, delivered as mono"), fold);
    }
}

QTEST_GUILESS_MAIN(TestCliMetadata)
#include "tst_cli_metadata.moc"
