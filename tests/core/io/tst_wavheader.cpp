// The header bytes of a delivered WAV, built in memory (io/wavheader.h): libsndfile and MediaInfo read what they
// say, the bext loudness words sit where the reader finds them, and every chunk the libsndfile + TagLib writer
// used to leave (the reference writer of tests/support/referencewav.h) is there with the same body.

#include "io/audioreader.h"
#include "io/bwfchunks.h"
#include "io/wavheader.h"
#include "mediainfo.h"
#include "referencewav.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <sndfile.h>

#include <random>

using namespace stemship;

namespace {

constexpr std::uint32_t kMask714 = 0x2D63F;

io::WavWriterSpec specFor(const QString &path, int channels, int bits, std::uint32_t mask, bool metadata)
{
    io::WavWriterSpec spec;
    spec.path = path;
    spec.sampleRateHz = 48000;
    spec.channels = channels;
    spec.encoding = *io::pcmEncodingForBits(bits);
    spec.channelMask = mask;
    if (!metadata)
        return spec;
    spec.bext.description = QStringLiteral("Song - 01 Kick");
    spec.bext.originator = QStringLiteral("Stemship");
    spec.bext.originatorReference = QStringLiteral("3");
    spec.bext.originated = QDateTime(QDate(2026, 12, 5), QTime(7, 8, 9));
    spec.bext.timeReferenceSamples = (std::uint64_t(1) << 33) + 12345;  // both 32-bit halves
    spec.bext.codingHistory = QString::fromLatin1(io::r98Line(48000, bits, "stereo", "Stemship 0.1.0;TPDF dither"));
    spec.bext.integratedLufs = -23.456;
    spec.bext.loudnessRangeLu = 7.5;
    spec.bext.maxTruePeakDbtp = -1.01;
    spec.bext.maxMomentaryLufs = -15.0;
    spec.bext.maxShortTermLufs = -18.25;
    spec.bext.umid = io::newBasicUmid(channels);
    io::IxmlFields ixml{QStringLiteral("Song"), QStringLiteral("version 3, 120 BPM, 4/4"), {}, spec.bext.timeReferenceSamples};
    for (int c = 1; c <= channels; ++c)
        ixml.tracks.append({c, c, QStringLiteral("Kick %1").arg(c), QStringLiteral("M")});
    spec.ixml = ixml;
    spec.tags = {QStringLiteral("01 Kick"), 120.0, QStringLiteral("3"), QStringLiteral("Song version 3")};
    return spec;
}

// Random PCM as the data chunk holds it: little-endian, bits / 8 bytes per sample.
QByteArray randomPcm(std::int64_t frames, int channels, int bits, std::uint32_t seed)
{
    std::mt19937 random(seed);
    QByteArray out(qsizetype(frames * channels * (bits / 8)), Qt::Uninitialized);
    for (char &b : out)
        b = char(random() & 0xff);
    return out;
}

QByteArray wholeFile(const io::WavLayout &layout, const QByteArray &pcm)
{
    return layout.header + pcm + layout.gap + layout.tail;
}

// Chunk id -> body, in file order (RIFF chunks: a pad byte after odd sizes).
QList<QPair<QByteArray, QByteArray>> chunksOf(const QByteArray &file)
{
    QList<QPair<QByteArray, QByteArray>> out;
    for (qsizetype at = 12; at + 8 <= file.size();) {
        const quint32 size = qFromLittleEndian<quint32>(file.constData() + at + 4);
        out.append({file.mid(at, 4), file.mid(at + 8, size)});
        at += 8 + qsizetype(size) + qsizetype(size & 1);
    }
    return out;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

}  // namespace

class TestWavHeader : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void readsBackEverywhere_data()
    {
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("bits");
        QTest::addColumn<quint32>("mask");
        QTest::addColumn<qint64>("frames");
        QTest::addColumn<bool>("metadata");
        QTest::addColumn<QString>("mediaInfoLayout");
        QTest::newRow("mono 24 odd data") << 1 << 24 << 0u << qint64(4801) << true << "C";
        QTest::newRow("mono 16 bare") << 1 << 16 << 0u << qint64(1000) << false << "C";
        QTest::newRow("stereo 24") << 2 << 24 << 0u << qint64(48000) << true << "L R";
        QTest::newRow("stereo 16 odd frames") << 2 << 16 << 0u << qint64(777) << true << "L R";
        QTest::newRow("stereo 32") << 2 << 32 << 0u << qint64(1001) << true << "L R";
        // MediaInfo names the mask's speakers in bit order: 0x3F's fifth and sixth are the back pair (Lb Rb).
        QTest::newRow("5.1 24") << 6 << 24 << 0x3Fu << qint64(12345) << true << "L R C LFE Lb Rb";
        const QString layout714 = QStringLiteral("L R C LFE Lb Rb Ls Rs Tfl Tfr Tbl Tbr");
        QTest::newRow("7.1.4 24 odd") << 12 << 24 << kMask714 << qint64(999) << true << layout714;
        QTest::newRow("7.1.4 16 bare") << 12 << 16 << kMask714 << qint64(480) << false << layout714;
        QTest::newRow("3 channels, no mask") << 3 << 24 << 0u << qint64(333) << true << "";
        QTest::newRow("empty") << 2 << 24 << 0u << qint64(0) << true << "L R";
    }
    // libsndfile (format, channels, frames, rate, every sample), our reader (bext, iXML, mask) and MediaInfo
    // (format, depth, channel layout) read the bytes as what the spec asked for.
    void readsBackEverywhere()
    {
        QFETCH(int, channels);
        QFETCH(int, bits);
        QFETCH(quint32, mask);
        QFETCH(qint64, frames);
        QFETCH(bool, metadata);
        QFETCH(QString, mediaInfoLayout);
        const QString path = m_dir.filePath(QStringLiteral("%1.wav").arg(QString::fromLatin1(QTest::currentDataTag())));
        const io::WavWriterSpec spec = specFor(path, channels, bits, mask, metadata);
        auto layout = io::wavLayoutFor(spec, frames);
        QVERIFY2(layout, qPrintable(layout ? QString() : layout.error().line()));
        QVERIFY(layout->fitsRiff(frames));
        const QByteArray pcm = randomPcm(frames, channels, bits, 7u + quint32(channels));
        const QByteArray file = wholeFile(*layout, pcm);
        QCOMPARE(quint64(file.size()), layout->bytes(frames));
        QCOMPARE(file.size() % 2, 0);
        QCOMPARE(qFromLittleEndian<quint32>(file.constData() + 4), quint32(file.size() - 8));
        QVERIFY(writeFile(path, file));

        SF_INFO info{};
        SNDFILE *sf = sf_open(QFile::encodeName(path).constData(), SFM_READ, &info);
        QVERIFY2(sf, sf_strerror(nullptr));
        const int subtype = bits == 16 ? SF_FORMAT_PCM_16 : bits == 24 ? SF_FORMAT_PCM_24 : SF_FORMAT_PCM_32;
        QCOMPARE(info.format & SF_FORMAT_SUBMASK, subtype);
        QCOMPARE(info.format & SF_FORMAT_TYPEMASK, SF_FORMAT_WAVEX);
        QCOMPARE(info.channels, channels);
        QCOMPARE(info.samplerate, 48000);
        QCOMPARE(qint64(info.frames), frames);
        QByteArray back(pcm.size(), '\0');
        QCOMPARE(qint64(sf_read_raw(sf, back.data(), back.size())), qint64(pcm.size()));
        sf_close(sf);
        QVERIFY(back == pcm);

        auto reader = io::AudioReader::open(path);
        QVERIFY(reader);
        QCOMPARE(reader->info().channelMask, mask ? mask : io::defaultChannelMask(channels));
        QCOMPARE(reader->info().frames, frames);
        QVERIFY2(reader->info().metadataProblems.isEmpty(), qPrintable(reader->info().metadataProblems.join(u'\n')));
        QVERIFY(reader->info().bext);
        const io::BextFields &bext = *reader->info().bext;
        QCOMPARE(bext.version, std::uint16_t(2));
        QCOMPARE(reader->info().timeReferenceSamples.value_or(0), spec.bext.timeReferenceSamples);
        QCOMPARE(QString::fromLatin1(bext.description), spec.bext.description);
        QVERIFY(bext.umid == spec.bext.umid);
        if (metadata) {
            QCOMPARE(bext.originationDate, QByteArray("2026-12-05"));
            QCOMPARE(bext.originationTime, QByteArray("07:08:09"));
            QCOMPARE(bext.loudness.loudnessValueLufs.value_or(0), -23.46);
            QCOMPARE(bext.loudness.maxShortTermLoudnessLufs.value_or(0), -18.25);
            QCOMPARE(bext.codingHistory, spec.bext.codingHistory.toLatin1());
            QVERIFY(reader->info().ixml);
            QCOMPARE(reader->info().ixml->tracks.size(), channels);
            QCOMPARE(reader->info().ixml->timeReferenceSamples, std::optional<std::uint64_t>(spec.bext.timeReferenceSamples));
        } else {
            QVERIFY(!bext.loudness.loudnessValueLufs);  // 0x7FFF: not measured
            QVERIFY(!reader->info().ixml);
        }

        const QJsonObject audio = test::mediaInfoTrack(path, QStringLiteral("Audio"));
        const QString dump = QString::fromUtf8(QJsonDocument(audio).toJson());
        QVERIFY2(audio[QStringLiteral("Format")].toString() == QLatin1String("PCM"), qPrintable(dump));
        QCOMPARE(audio[QStringLiteral("BitDepth")].toString(), QString::number(bits));
        QCOMPARE(audio[QStringLiteral("Channels")].toString(), QString::number(channels));
        QCOMPARE(audio[QStringLiteral("SamplingRate")].toString(), QStringLiteral("48000"));
        QCOMPARE(audio[QStringLiteral("ChannelLayout")].toString(), mediaInfoLayout);
    }

    // The loudness words the renderer patches (bextAt + kBextLoudnessOffset) are the ones a reader decodes.
    void loudnessWordsWhereTheReaderLooks()
    {
        const QString path = m_dir.filePath(QStringLiteral("patched.wav"));
        const io::WavWriterSpec spec = specFor(path, 2, 24, 0, true);
        auto layout = io::wavLayoutFor(spec, 100);
        QVERIFY(layout);
        QVERIFY(layout->bextAt > 0);
        QCOMPARE(layout->header.mid(layout->bextAt - 8, 4), QByteArray("bext"));
        QByteArray header = layout->header;
        const QByteArray words = io::encodeBextLoudness({-9.87, 3.21, -0.55, -5.43, -7.65});
        QCOMPARE(header.mid(layout->bextAt + io::kBextLoudnessOffset, 10),
                 io::encodeBextLoudness({-23.456, 7.5, -1.01, -15.0, -18.25}));
        header.replace(layout->bextAt + io::kBextLoudnessOffset, words.size(), words);
        QCOMPARE(qFromLittleEndian<quint32>(header.constData() + layout->factFramesAt), 100u);
        QVERIFY(writeFile(path, header + randomPcm(100, 2, 24, 1) + layout->gap + layout->tail));
        auto reader = io::AudioReader::open(path);
        QVERIFY(reader && reader->info().bext);
        const io::BextLoudness &l = reader->info().bext->loudness;
        QCOMPARE(l.loudnessValueLufs.value_or(0), -9.87);
        QCOMPARE(l.loudnessRangeLu.value_or(0), 3.21);
        QCOMPARE(l.maxTruePeakLevelDbtp.value_or(0), -0.55);
        QCOMPARE(l.maxMomentaryLoudnessLufs.value_or(0), -5.43);
        QCOMPARE(l.maxShortTermLoudnessLufs.value_or(0), -7.65);
    }

    void sameChunksAsTheLibsndfileWriter_data()
    {
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("bits");
        QTest::addColumn<quint32>("mask");
        QTest::addColumn<qint64>("frames");
        QTest::newRow("mono 24 odd") << 1 << 24 << 0u << qint64(3);
        QTest::newRow("stereo 16") << 2 << 16 << 0u << qint64(10);
        QTest::newRow("5.1 24") << 6 << 24 << 0x3Fu << qint64(5);
        QTest::newRow("8 channels, no mask") << 8 << 32 << 0u << qint64(4);
        QTest::newRow("7.1.4 24 odd") << 12 << 24 << kMask714 << qint64(7);
    }
    // What the reference writer (libsndfile's RF64 writer downgraded to RIFF, TagLib's tags, Stemship's iXML)
    // writes for the same spec: the same chunks in the same order, every body equal but the coding history, where
    // libsndfile adds its own line (the delivery does not write through it).
    void sameChunksAsTheLibsndfileWriter()
    {
        QFETCH(int, channels);
        QFETCH(int, bits);
        QFETCH(quint32, mask);
        QFETCH(qint64, frames);
        const QString path = m_dir.filePath(QStringLiteral("writer-%1.wav").arg(QString::fromLatin1(QTest::currentDataTag())));
        const io::WavWriterSpec spec = specFor(path, channels, bits, mask, true);
        const QByteArray pcm = randomPcm(frames, channels, bits, 3);
        const Status reference = test::writeReferenceWav(spec, pcm);
        QVERIFY2(reference, qPrintable(reference ? QString() : reference.error().line()));
        QFile written(path);
        QVERIFY(written.open(QIODevice::ReadOnly));
        const QByteArray theirs = written.readAll();
        auto layout = io::wavLayoutFor(spec, frames);
        QVERIFY(layout);
        const QByteArray ours = wholeFile(*layout, pcm);
        QCOMPARE(theirs.left(4), QByteArray("RIFF"));
        QCOMPARE(ours.left(4), QByteArray("RIFF"));
        const auto a = chunksOf(ours), b = chunksOf(theirs);
        QStringList ids, theirIds;
        for (const auto &c : a)
            ids << QString::fromLatin1(c.first);
        for (const auto &c : b)
            theirIds << QString::fromLatin1(c.first);
        QCOMPARE(ids, theirIds);
        QCOMPARE(ids.join(u','), QStringLiteral("JUNK,fmt ,fact,bext,data,ID3 ,LIST,iXML"));
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (a[i].first != "bext") {
                QVERIFY2(a[i].second == b[i].second, a[i].first.constData());
                continue;
            }
            QCOMPARE(a[i].second.left(io::kBextFixedBytes), b[i].second.left(io::kBextFixedBytes));
            const QByteArray line = spec.bext.codingHistory.toLatin1();
            QCOMPARE(a[i].second.mid(io::kBextFixedBytes), line + QByteArray(line.size() % 2, '\0'));
            QVERIFY(b[i].second.mid(io::kBextFixedBytes).contains("T=libsndfile"));
            QVERIFY(b[i].second.mid(io::kBextFixedBytes).contains(line));
        }
    }

    // Past 4 GiB the file is RF64 (EBU Tech 3306): the sizes in ds64, the metadata before the data. A sparse file
    // of 6 GiB: libsndfile and our reader take its length, format and metadata from the header alone.
    void rf64PastFourGiB()
    {
        const QString path = m_dir.filePath(QStringLiteral("big.wav"));
        const io::WavWriterSpec spec = specFor(path, 2, 24, 0, true);
        const std::int64_t fitting = (0xffffffffll - 4096) / 6;
        auto small = io::wavLayoutFor(spec, fitting);
        QVERIFY(small && small->fitsRiff(fitting) && !small->rf64);
        const std::int64_t frames = std::int64_t(1) << 30;
        auto big = io::wavLayoutFor(spec, frames);
        QVERIFY(big && big->rf64 && !big->fitsRiff(frames));
        QCOMPARE(big->header.left(16), QByteArray("RF64\xff\xff\xff\xffWAVEds64", 16));
        QCOMPARE(qFromLittleEndian<quint64>(big->header.constData() + 20), quint64(big->bytes(frames) - 8));
        QCOMPARE(qFromLittleEndian<quint64>(big->header.constData() + 28), quint64(frames * 6));
        QCOMPARE(qFromLittleEndian<quint64>(big->header.constData() + 36), quint64(frames));
        QVERIFY(big->tail.isEmpty());
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.resize(qint64(big->bytes(frames))));  // sparse: the samples are zeros nobody writes
        QCOMPARE(f.write(big->headerWith({-20.0, 5.0, -3.0, -12.0, -15.0})), big->header.size());
        f.close();
        SF_INFO info{};
        SNDFILE *sf = sf_open(QFile::encodeName(path).constData(), SFM_READ, &info);
        QVERIFY2(sf, sf_strerror(nullptr));
        sf_close(sf);
        QCOMPARE(info.format & SF_FORMAT_TYPEMASK, SF_FORMAT_RF64);
        QCOMPARE(qint64(info.frames), frames);
        QCOMPARE(info.channels, 2);
        auto reader = io::AudioReader::open(path);
        QVERIFY(reader && reader->info().bext && reader->info().ixml);
        QCOMPARE(reader->info().frames, frames);
        QCOMPARE(reader->info().bext->loudness.loudnessValueLufs.value_or(0), -20.0);
        QCOMPARE(reader->info().ixml->tracks.size(), 2);
        QVERIFY(QFile::remove(path));
    }
};

QTEST_GUILESS_MAIN(TestWavHeader)
#include "tst_wavheader.moc"
