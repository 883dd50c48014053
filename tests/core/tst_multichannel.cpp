// Multichannel stems: layouts from WAVE_FORMAT_EXTENSIBLE masks, BS.1770 weights by position (checked against
// libebur128 with its channel map), and the channel_layout_unknown / lfe_wideband / channel_silent checks.

#include "auditsupport.h"

#include "audit/reportwriters.h"
#include "audit/stemauditor.h"
#include "metering/bandenergy.h"
#include "metering/channellayout.h"
#include "testsignals.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

#include <cmath>

#include <ebur128.h>

using namespace stemship;
using metering::ChannelLayout;
using test::Signal;

Q_DECLARE_METATYPE(ChannelLayout)

namespace {

constexpr int kRate = 48000;
constexpr int kPcm24 = SF_FORMAT_WAV | SF_FORMAT_PCM_24;

// Programme material with a different level per channel, so a wrong weight or a counted LFE shows.
Signal unevenProgramme(int channels, std::uint32_t seed, double seconds = 8.0)
{
    Signal s = test::programme(kRate, channels, seconds, seed, -6.0);
    for (std::int64_t i = 0; i < s.frames(); ++i)
        for (int c = 0; c < channels; ++c)
            s.at(i, c) *= float(std::pow(10.0, -(c % 5) * 2.5 / 20.0));
    return s;
}

audit::StemReport auditFile(const QString &path)
{
    CancelToken cancel;
    return audit::auditStem(io::StemSource{path, path, {}}, audit::AuditSettings{}, cancel);
}

}  // namespace

class TestMultichannel : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString write(const QString &name, const Signal &s, std::optional<std::uint32_t> mask)
    {
        const QString path = m_dir.filePath(name);
        test::WriteOptions options{kPcm24, {}, mask};
        if (!test::writeAudio(path, s, options))
            return {};
        return path;
    }

private Q_SLOTS:
    void layoutFromMask_data();
    void layoutFromMask();
    void loudnessMatchesLibebur128ChannelMap_data();
    void loudnessMatchesLibebur128ChannelMap();
    void unknownLayout_data();
    void unknownLayout();
    void lfeBandSplit_data();
    void lfeBandSplit();
    void channelSilent();
    void reportsCarryLayout();
};

void TestMultichannel::layoutFromMask_data()
{
    QTest::addColumn<int>("channels");
    QTest::addColumn<uint>("mask");
    QTest::addColumn<ChannelLayout>("layout");
    QTest::newRow("mono") << 1 << 0u << ChannelLayout::Mono;
    QTest::newRow("stereo, no mask") << 2 << 0u << ChannelLayout::Stereo;
    QTest::newRow("5.1 back") << 6 << 0x3Fu << ChannelLayout::Surround51;
    QTest::newRow("5.1 side") << 6 << 0x60Fu << ChannelLayout::Surround51;
    QTest::newRow("7.1") << 8 << 0x63Fu << ChannelLayout::Surround71;
    QTest::newRow("7.1.4") << 12 << 0x2D63Fu << ChannelLayout::Surround714;
    QTest::newRow("6 ch, no mask") << 6 << 0u << ChannelLayout::Unknown;
    QTest::newRow("6 ch, 7.1 mask") << 6 << 0x63Fu << ChannelLayout::Unknown;
    QTest::newRow("8 ch, 5.1 mask") << 8 << 0x3Fu << ChannelLayout::Unknown;
    QTest::newRow("quad") << 4 << 0x33u << ChannelLayout::Unknown;
}

void TestMultichannel::layoutFromMask()
{
    QFETCH(int, channels);
    QFETCH(uint, mask);
    QFETCH(ChannelLayout, layout);
    QCOMPARE(metering::layoutOf(channels, mask), layout);
    if (layout != ChannelLayout::Unknown) {
        QCOMPARE(int(metering::channelLabels(layout).size()), channels);
        QCOMPARE(int(metering::weightsOf(layout, channels).size()), channels);
        QCOMPARE(metering::layoutOf(channels, metering::maskOf(layout)), layout);
    }
}

void TestMultichannel::loudnessMatchesLibebur128ChannelMap_data()
{
    QTest::addColumn<uint>("mask");
    QTest::addColumn<QList<int>>("ebuChannels");
    // libebur128 weighs Mp110/Mm110 1.41, Mp135/Mm135 and the heights 1.0, and leaves EBUR128_UNUSED out.
    const int l = EBUR128_LEFT, r = EBUR128_RIGHT, c = EBUR128_CENTER, lfe = EBUR128_UNUSED;
    QTest::newRow("5.1") << 0x3Fu << QList<int>{l, r, c, lfe, EBUR128_Mp110, EBUR128_Mm110};
    QTest::newRow("5.1 side") << 0x60Fu << QList<int>{l, r, c, lfe, EBUR128_Mp110, EBUR128_Mm110};
    QTest::newRow("7.1") << 0x63Fu << QList<int>{l, r, c, lfe, EBUR128_Mp135, EBUR128_Mm135, EBUR128_Mp090, EBUR128_Mm090};
    QTest::newRow("7.1.4") << 0x2D63Fu << QList<int>{l, r, c, lfe, EBUR128_Mp135, EBUR128_Mm135, EBUR128_Mp090,
                                                     EBUR128_Mm090, EBUR128_Up030, EBUR128_Um030, EBUR128_Up135, EBUR128_Um135};
}

void TestMultichannel::loudnessMatchesLibebur128ChannelMap()
{
    QFETCH(uint, mask);
    QFETCH(QList<int>, ebuChannels);
    const int channels = int(ebuChannels.size());
    const Signal s = unevenProgramme(channels, mask);
    const QString path = write(QStringLiteral("mc %1.wav").arg(mask, 0, 16), s, mask);
    QVERIFY(!path.isEmpty());

    // The reference measures what was written (24-bit), read back by libsndfile.
    const auto written = test::readAudio(path);
    QVERIFY(written);
    ebur128_state *st = ebur128_init(unsigned(channels), unsigned(kRate), EBUR128_MODE_I);
    QVERIFY(st);
    for (int ch = 0; ch < channels; ++ch)
        QCOMPARE(ebur128_set_channel(st, unsigned(ch), ebuChannels[ch]), int(EBUR128_SUCCESS));
    ebur128_add_frames_float(st, written->samples.data(), std::size_t(written->frames()));
    double reference = 0.0;
    ebur128_loudness_global(st, &reference);
    ebur128_destroy(&st);

    const audit::StemReport stem = auditFile(path);
    QVERIFY(stem.readable);
    QCOMPARE(stem.info.channelMask, std::uint32_t(mask));
    QCOMPARE(stem.layout, metering::layoutOf(channels, mask));
    const QByteArray what = QStringLiteral("ours %1 LUFS, libebur128 %2 LUFS")
                                .arg(stem.levels.integratedLufs, 0, 'f', 3).arg(reference, 0, 'f', 3).toUtf8();
    qInfo("%s", what.constData());
    QVERIFY2(std::abs(stem.levels.integratedLufs - reference) <= 0.1, what.constData());
    QVERIFY2(!test::sortedIssueCodes(stem).contains(QStringLiteral("channel_layout_unknown")), what.constData());
}

void TestMultichannel::unknownLayout_data()
{
    QTest::addColumn<int>("channels");
    QTest::addColumn<std::optional<std::uint32_t>>("mask");
    QTest::addColumn<bool>("flagged");
    QTest::newRow("6 ch plain WAV") << 6 << std::optional<std::uint32_t>{} << true;
    QTest::newRow("6 ch, mask 0") << 6 << std::optional<std::uint32_t>{0u} << true;
    QTest::newRow("6 ch, 7.1 mask") << 6 << std::optional<std::uint32_t>{0x63Fu} << true;
    QTest::newRow("3 ch, LCR") << 3 << std::optional<std::uint32_t>{0x7u} << true;
    QTest::newRow("6 ch, 5.1 mask") << 6 << std::optional<std::uint32_t>{0x3Fu} << false;
    QTest::newRow("stereo, no mask") << 2 << std::optional<std::uint32_t>{} << false;
}

void TestMultichannel::unknownLayout()
{
    QFETCH(int, channels);
    QFETCH(std::optional<std::uint32_t>, mask);
    QFETCH(bool, flagged);
    const QString path = write(QStringLiteral("%1.wav").arg(QString::fromUtf8(QTest::currentDataTag())),
                               test::programme(kRate, channels, 2.0, 7, -12.0), mask);
    QVERIFY(!path.isEmpty());
    const audit::StemReport stem = auditFile(path);
    QVERIFY(stem.readable);
    QCOMPARE(test::sortedIssueCodes(stem).count(QStringLiteral("channel_layout_unknown")), flagged ? 1 : 0);
    QCOMPARE(stem.layout == ChannelLayout::Unknown, flagged);
    QCOMPARE(test::sortedIssueCodes(stem).contains(QStringLiteral("channel_silent")), false);
}

void TestMultichannel::lfeBandSplit_data()
{
    QTest::addColumn<double>("highDb");  // level of the 1 kHz tone against the 50 Hz tone; NaN = none
    QTest::addColumn<double>("nearHz");  // a second tone just below the split, counted low
    QTest::addColumn<bool>("flagged");
    QTest::newRow("clean sub") << double(NAN) << 105.0 << false;
    QTest::newRow("1 kHz at -40 dB") << -40.0 << 0.0 << false;
    QTest::newRow("1 kHz at -20 dB") << -20.0 << 0.0 << true;
    QTest::newRow("1 kHz at -6 dB") << -6.0 << 105.0 << true;
}

void TestMultichannel::lfeBandSplit()
{
    QFETCH(double, highDb);
    QFETCH(double, nearHz);
    QFETCH(bool, flagged);
    Signal s = test::programme(kRate, 6, 4.0, 11, -12.0);
    const double a = 0.25;
    for (std::int64_t i = 0; i < s.frames(); ++i) {
        const double t = double(i) / kRate;
        double lfe = a * std::sin(2 * M_PI * 50.0 * t);
        if (nearHz > 0)
            lfe += a * std::sin(2 * M_PI * nearHz * t);
        if (std::isfinite(highDb))
            lfe += a * std::pow(10.0, highDb / 20.0) * std::sin(2 * M_PI * 1000.0 * t);
        s.at(i, 3) = float(lfe);
    }
    const QString path = write(QStringLiteral("lfe %1.wav").arg(QString::fromUtf8(QTest::currentDataTag())), s, 0x3Fu);
    QVERIFY(!path.isEmpty());
    const audit::StemReport stem = auditFile(path);
    QVERIFY(stem.lfeHighToLowDb);
    // The energy ratio of the tones: one (or two) low tones of equal amplitude against the 1 kHz tone.
    if (std::isfinite(highDb)) {
        const double expected = highDb - 10.0 * std::log10(nearHz > 0 ? 2.0 : 1.0);
        QVERIFY2(std::abs(*stem.lfeHighToLowDb - expected) < 0.2,
                 qPrintable(QStringLiteral("measured %1 dB, expected %2 dB").arg(*stem.lfeHighToLowDb).arg(expected)));
    } else {
        QVERIFY2(*stem.lfeHighToLowDb < -60.0, qPrintable(QString::number(*stem.lfeHighToLowDb)));
    }
    QCOMPARE(test::sortedIssueCodes(stem).count(QStringLiteral("lfe_wideband")), flagged ? 1 : 0);
}

void TestMultichannel::channelSilent()
{
    Signal s = test::programme(kRate, 8, 3.0, 13, -12.0);
    for (std::int64_t i = 0; i < s.frames(); ++i)
        s.at(i, 5) = 0.0f;  // Rrs of 7.1
    const QString path = write(QStringLiteral("7.1 one silent.wav"), s, 0x63Fu);
    QVERIFY(!path.isEmpty());
    const audit::StemReport stem = auditFile(path);
    QCOMPARE(test::sortedIssueCodes(stem).count(QStringLiteral("channel_silent")), 1);
    for (const auto &issue : stem.issues)
        if (issue.code == QLatin1String("channel_silent"))
            QVERIFY2(issue.message.contains(QStringLiteral("channel 6 (Rrs)")), qPrintable(issue.message));

    // A wholly silent stem is `silent`, not eight silent channels.
    const QString quiet = write(QStringLiteral("7.1 silent.wav"), test::silence(kRate, 8, 1.0), 0x63Fu);
    const audit::StemReport silent = auditFile(quiet);
    QCOMPARE(test::sortedIssueCodes(silent), QStringList{QStringLiteral("silent")});

    // Every channel live: nothing.
    const QString live = write(QStringLiteral("7.1 live.wav"), test::programme(kRate, 8, 3.0, 14, -12.0), 0x63Fu);
    QVERIFY(!test::sortedIssueCodes(auditFile(live)).contains(QStringLiteral("channel_silent")));
}

void TestMultichannel::reportsCarryLayout()
{
    audit::AuditReport report;
    report.stems.append(auditFile(write(QStringLiteral("bed 714.wav"), unevenProgramme(12, 3, 2.0), 0x2D63Fu)));
    report.stems.append(auditFile(write(QStringLiteral("mono.wav"), test::programme(kRate, 1, 2.0, 4), {})));
    report.stems.append(auditFile(write(QStringLiteral("six.wav"), test::programme(kRate, 6, 2.0, 5), {})));
    const QJsonArray stems = audit::reportToJson(report).value(QStringLiteral("stems")).toArray();
    QCOMPARE(stems.at(0).toObject().value(QStringLiteral("layout")).toString(), QStringLiteral("7.1.4"));
    QCOMPARE(stems.at(1).toObject().value(QStringLiteral("layout")).toString(), QStringLiteral("mono"));
    QCOMPARE(stems.at(2).toObject().value(QStringLiteral("layout")).toString(), QStringLiteral("unknown"));
    const QStringList csv = QString::fromUtf8(audit::reportToCsv(report)).split(QStringLiteral("\r\n"));
    const int column = int(csv.at(0).split(QLatin1Char(',')).indexOf(QStringLiteral("layout")));
    QVERIFY(column > 0);
    QCOMPARE(csv.at(1).split(QLatin1Char(',')).at(column), QStringLiteral("7.1.4"));
    QVERIFY(QString::fromUtf8(audit::reportToHtml(report)).contains(QStringLiteral(">7.1.4</td>")));
}

QTEST_GUILESS_MAIN(TestMultichannel)
#include "tst_multichannel.moc"
