// The chunk writer and parser for bext v2, UMID, iXML and WAVE_FORMAT_EXTENSIBLE: round trips, the bytes
// libsndfile and xmllint read back, and received files whose chunks are truncated, oversized or malformed.

#include "audit/stemauditor.h"
#include "io/bwfchunks.h"
#include "metering/channellayout.h"
#include "referencewav.h"

#include <QFile>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <sndfile.h>

#include <cstring>

using namespace stemship;

namespace {

io::ChunkReadFn readFrom(const QByteArray &bytes)
{
    return [bytes](std::int64_t offset, char *out, std::int64_t size) -> std::int64_t {
        if (offset < 0 || offset > bytes.size())
            return -1;
        const std::int64_t n = std::min<std::int64_t>(size, bytes.size() - offset);
        std::memcpy(out, bytes.constData() + offset, std::size_t(n));
        return n;
    };
}

// RIFF WAVE of 24-bit silence around the given chunks (between fmt and data).
QByteArray wavWith(const QByteArray &chunks, int channels = 2, std::uint32_t mask = 0, int frames = 480)
{
    QByteArray body = "WAVE" + io::buildFmtChunk(channels, 48000, 24, false, mask) + chunks;
    const int dataBytes = frames * channels * 3;
    QByteArray data("data", 4);
    const auto size = qToLittleEndian<quint32>(quint32(dataBytes));
    data.append(reinterpret_cast<const char *>(&size), 4);
    data.append(dataBytes, '\0');
    body += data;
    QByteArray riff("RIFF", 4);
    const auto riffSize = qToLittleEndian<quint32>(quint32(body.size()));
    riff.append(reinterpret_cast<const char *>(&riffSize), 4);
    return riff + body;
}

io::BextFields sampleBext()
{
    io::BextFields b;
    b.description = "Kick In, Song v3";
    b.originator = "Stemship";
    b.originatorReference = "STEMSHIP0001";
    b.originationDate = "2026-12-04";
    b.originationTime = "23:15:00";
    b.timeReferenceSamples = 0x1'2345'6789ull;
    b.umid = io::newBasicUmid(2);
    b.loudness = {-23.456, 7.891, -1.004, -15.5, -18.25};
    b.codingHistory = io::r98Line(48000, 24, "stereo", "Stemship");
    return b;
}

}  // namespace

class TestBwfChunks : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void bextRoundTrip();
    void bextLoudnessEncoding();
    void umidsAreUniqueBasicUmids();
    void stemshipLineGoesLast();
    void ixmlRoundTripIsWellFormed();
    void libsndfileReadsWhatWeWrite();
    void hostileChunks_data();
    void hostileChunks();
    void auditReportsMalformedChunks();
};

void TestBwfChunks::bextRoundTrip()
{
    const io::BextFields b = sampleBext();
    const QByteArray chunk = io::buildBextChunk(b);
    QCOMPARE(chunk.left(4), QByteArray("bext"));
    const quint32 size = qFromLittleEndian<quint32>(chunk.constData() + 4);
    QCOMPARE(qsizetype(size), qsizetype(io::kBextFixedBytes + b.codingHistory.size()));
    QCOMPARE(chunk.size() % 2, 0);
    // Version 2 at byte 346 of the body, the loudness words at 412 (EBU Tech 3285 v2 field order).
    QCOMPARE(qFromLittleEndian<quint16>(chunk.constData() + 8 + 346), quint16(2));
    QCOMPARE(qFromLittleEndian<qint16>(chunk.constData() + 8 + io::kBextLoudnessOffset), qint16(-2346));

    QStringList problems;
    const auto parsed = io::parseBextBody(chunk.mid(8, size), &problems);
    QVERIFY(parsed);
    QVERIFY(problems.isEmpty());
    QCOMPARE(parsed->description, b.description);
    QCOMPARE(parsed->originator, b.originator);
    QCOMPARE(parsed->originationDate, b.originationDate);
    QCOMPARE(parsed->timeReferenceSamples, b.timeReferenceSamples);
    QCOMPARE(parsed->version, quint16(2));
    QVERIFY(parsed->umid == b.umid);
    QCOMPARE(parsed->codingHistory, b.codingHistory);
    QCOMPARE(*parsed->loudness.loudnessValueLufs, -23.46);
    QCOMPARE(*parsed->loudness.loudnessRangeLu, 7.89);
    QCOMPARE(*parsed->loudness.maxTruePeakLevelDbtp, -1.0);
    QCOMPARE(*parsed->loudness.maxMomentaryLoudnessLufs, -15.5);
    QCOMPARE(*parsed->loudness.maxShortTermLoudnessLufs, -18.25);
    QCOMPARE(b.codingHistory, QByteArray("A=PCM,F=48000,W=24,M=stereo,T=Stemship\r\n"));
}

void TestBwfChunks::bextLoudnessEncoding()
{
    // Not measured (silence: -inf) is 0x7FFF, read back as not set; never a wrapped int16.
    const QByteArray words = io::encodeBextLoudness({-INFINITY, 0.0, std::nullopt, -400.0, 12.345});
    QCOMPARE(words.size(), 10);
    QCOMPARE(qFromLittleEndian<qint16>(words.constData()), qint16(0x7FFF));
    QCOMPARE(qFromLittleEndian<qint16>(words.constData() + 2), qint16(0));
    QCOMPARE(qFromLittleEndian<qint16>(words.constData() + 4), qint16(0x7FFF));
    QCOMPARE(qFromLittleEndian<qint16>(words.constData() + 6), qint16(-32768));
    QCOMPARE(qFromLittleEndian<qint16>(words.constData() + 8), qint16(1235));
}

void TestBwfChunks::umidsAreUniqueBasicUmids()
{
    QSet<QString> seen;
    for (int i = 0; i < 2000; ++i) {
        const io::Umid umid = io::newBasicUmid(i % 2 ? 6 : 1);
        const QString hex = io::umidToHex(umid);
        QCOMPARE(hex.size(), 64);
        QVERIFY(hex.startsWith(QStringLiteral("060a2b340101010501010")));  // SMPTE ST 330 universal label
        QCOMPARE(umid[12], std::uint8_t(0x13));                             // length of what follows
        QCOMPARE(umid[10], std::uint8_t(i % 2 ? 0x09 : 0x08));
        for (std::size_t b = 32; b < umid.size(); ++b)
            QCOMPARE(umid[b], std::uint8_t(0));                             // second half of the field
        seen.insert(hex);
    }
    QCOMPARE(seen.size(), 2000);
}

void TestBwfChunks::stemshipLineGoesLast()
{
    // The reference writer's reordering (tests/support/referencewav.h), which tst_wavheader's comparison relies on:
    // libsndfile appends its own line after ours and pads to an even size with a NUL.
    const QByteArray ours = "A=PCM,F=48000,W=24,M=multichannel,T=Stemship 0.1.0\r\n";
    const QByteArray theirs = "A=PCM,F=48000,W=24,M=12chn,T=libsndfile-1.2.0\r\n";
    QCOMPARE(test::stemshipLineLast(ours + theirs + QByteArray(1, '\0')), theirs + ours + QByteArray(1, '\0'));
    QCOMPARE(test::stemshipLineLast(theirs + ours), theirs + ours);
    QCOMPARE(test::stemshipLineLast(QByteArray(ours + theirs)).size(), ours.size() + theirs.size());
}

void TestBwfChunks::ixmlRoundTripIsWellFormed()
{
    io::IxmlFields in;
    in.project = QStringLiteral("Song & <Friends> \u00e9");
    in.note = QStringLiteral("version 3, 120 BPM, 4/4");
    const auto labels = metering::channelLabels(metering::ChannelLayout::Surround51);
    for (int c = 0; c < 6; ++c)
        in.tracks.append({c + 1, c + 1, QStringLiteral("Bed ") + QString::fromLatin1(labels[std::size_t(c)]),
                          QString::fromLatin1(labels[std::size_t(c)])});
    in.timeReferenceSamples = 0x1'0000'0005ull;
    const QByteArray chunk = io::buildIxmlChunk(in);
    QCOMPARE(chunk.left(4), QByteArray("iXML"));
    const quint32 size = qFromLittleEndian<quint32>(chunk.constData() + 4);
    const QByteArray body = chunk.mid(8, size);

    QStringList problems;
    const auto out = io::parseIxmlBody(body, &problems);
    QVERIFY(out);
    QVERIFY(problems.isEmpty());
    QCOMPARE(out->project, in.project);
    QCOMPARE(out->note, in.note);
    QCOMPARE(out->tracks.size(), 6);
    QCOMPARE(out->tracks.at(3).function, QStringLiteral("LFE"));
    QCOMPARE(out->tracks.at(5).channelIndex, 6);
    QCOMPARE(out->tracks.at(4).name, QStringLiteral("Bed Ls"));
    QCOMPARE(out->timeReferenceSamples, in.timeReferenceSamples);

    // xmllint, an independent XML parser, agrees that it is well-formed.
    const QString xmllint = QStandardPaths::findExecutable(QStringLiteral("xmllint"));
    if (xmllint.isEmpty())
        QSKIP("xmllint not installed");
    QProcess p;
    p.start(xmllint, {QStringLiteral("--noout"), QStringLiteral("-")});
    p.write(body);
    p.closeWriteChannel();
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 0);
}

void TestBwfChunks::libsndfileReadsWhatWeWrite()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bed.wav"));
    io::BextFields bext = sampleBext();
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(wavWith(io::buildBextChunk(bext) + io::buildIxmlChunk({}), 6, metering::kMask51));
    }
    SF_INFO info{};
    SNDFILE *sf = sf_open(QFile::encodeName(path).constData(), SFM_READ, &info);
    QVERIFY(sf);
    QCOMPARE(info.channels, 6);
    QCOMPARE(info.frames, sf_count_t(480));
    int map[6] = {};
    QCOMPARE(sf_command(sf, SFC_GET_CHANNEL_MAP_INFO, map, sizeof map), SF_TRUE);
    const int expected[6] = {SF_CHANNEL_MAP_LEFT, SF_CHANNEL_MAP_RIGHT, SF_CHANNEL_MAP_CENTER, SF_CHANNEL_MAP_LFE,
                             SF_CHANNEL_MAP_REAR_LEFT, SF_CHANNEL_MAP_REAR_RIGHT};
    for (int c = 0; c < 6; ++c)
        QCOMPARE(map[c], expected[c]);
    SF_BROADCAST_INFO b{};
    QCOMPARE(sf_command(sf, SFC_GET_BROADCAST_INFO, &b, sizeof b), SF_TRUE);
    QCOMPARE(b.version, 2);
    QCOMPARE(quint64(b.time_reference_low) | (quint64(b.time_reference_high) << 32), bext.timeReferenceSamples);
    QCOMPARE(QByteArray(b.umid, 32), QByteArray(reinterpret_cast<const char *>(bext.umid.data()), 32));
    sf_close(sf);
}

void TestBwfChunks::hostileChunks_data()
{
    QTest::addColumn<QByteArray>("chunks");
    QTest::addColumn<QString>("problem");  // a word the one problem line must hold; empty = none
    QTest::addColumn<bool>("bextKept");
    const QByteArray bext = io::buildBextChunk(sampleBext());
    QByteArray shortBext = bext.left(8 + 100);
    qToLittleEndian<quint32>(100, shortBext.data() + 4);
    QByteArray v0 = bext.left(8 + 360);
    qToLittleEndian<quint32>(360, v0.data() + 4);
    QByteArray lying = bext;
    qToLittleEndian<quint32>(0x7FFFFFF0u, lying.data() + 4);
    QByteArray ixmlBad("iXML", 4);
    ixmlBad += QByteArray("\x0c\0\0\0<BWFXML><PRO", 16);
    QByteArray deep = QByteArray("<a>").repeated(200);
    QByteArray ixmlDeep("iXML", 4);
    ixmlDeep += QByteArray(4, '\0') + deep;
    qToLittleEndian<quint32>(quint32(deep.size()), ixmlDeep.data() + 4);
    QByteArray huge = "<BWFXML><NOTE>" + QByteArray(2 << 20, 'x') + "</NOTE></BWFXML>";
    QByteArray ixmlHuge("iXML", 4);
    ixmlHuge += QByteArray(4, '\0') + huge;
    qToLittleEndian<quint32>(quint32(huge.size()), ixmlHuge.data() + 4);
    QTest::newRow("sound") << bext + io::buildIxmlChunk({}) << QString() << true;
    QTest::newRow("bext of 100 bytes") << shortBext << QStringLiteral("shorter") << false;
    QTest::newRow("bext cut after version") << v0 << QStringLiteral("time reference") << true;
    QTest::newRow("bext past the end") << lying << QStringLiteral("file ends") << true;
    QTest::newRow("iXML malformed") << ixmlBad << QStringLiteral("well-formed") << false;
    QTest::newRow("iXML nesting bomb") << ixmlDeep << QStringLiteral("deeper") << false;
    QTest::newRow("iXML of 2 MiB") << ixmlHuge << QStringLiteral("larger") << false;
}

void TestBwfChunks::hostileChunks()
{
    QFETCH(QByteArray, chunks);
    QFETCH(QString, problem);
    QFETCH(bool, bextKept);
    // The lying size swallows the data chunk: the walk stops, the file is still walked without a crash.
    const QByteArray file = wavWith(chunks);
    const io::BwfMetadata meta = io::readBwfMetadata(readFrom(file), file.size());
    if (problem.isEmpty()) {
        QVERIFY2(meta.problems.isEmpty(), qPrintable(meta.problems.join(QLatin1Char('\n'))));
        QVERIFY(meta.ixml);
    } else {
        QVERIFY2(!meta.problems.isEmpty(), "no problem reported");
        QVERIFY2(meta.problems.join(QLatin1Char(' ')).contains(problem), qPrintable(meta.problems.join(QLatin1Char('\n'))));
    }
    QCOMPARE(bool(meta.bext), bextKept);
    if (meta.bext && !problem.contains(QStringLiteral("file ends")))
        QCOMPARE(meta.bext->timeReferenceSamples, sampleBext().timeReferenceSamples);
}

void TestBwfChunks::auditReportsMalformedChunks()
{
    // A received file with a well-formed bext (its time reference places it) and a broken iXML: readable,
    // measured, placed, and the iXML reported once as metadata_malformed.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("received.wav"));
    QByteArray ixmlBad("iXML", 4);
    ixmlBad += QByteArray("\x0c\0\0\0<BWFXML><PRO", 16);
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(wavWith(io::buildBextChunk(sampleBext()) + ixmlBad));
    }
    const CancelToken cancel;
    const audit::StemReport stem = audit::auditStem({path, path, {}}, audit::AuditSettings{}, cancel);
    QVERIFY(stem.readable);
    QCOMPARE(stem.info.timeReferenceSamples.value_or(0), sampleBext().timeReferenceSamples);
    int malformed = 0;
    for (const auto &issue : stem.issues)
        if (issue.code == QLatin1String("metadata_malformed")) {
            ++malformed;
            QVERIFY2(issue.message.contains(QStringLiteral("iXML")), qPrintable(issue.message));
        }
    QCOMPARE(malformed, 1);
    QVERIFY(stem.info.bext);
    QCOMPARE(*stem.info.bext->loudness.loudnessValueLufs, -23.46);
}

QTEST_GUILESS_MAIN(TestBwfChunks)
#include "tst_bwfchunks.moc"
