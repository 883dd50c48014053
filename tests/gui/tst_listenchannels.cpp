// The Listen page's per-channel meters for multichannel stems, through the page: a 5.1 stem with a different level
// on each channel shows six meters labelled in the layout's order with those levels; stereo stems show none.

#include "guitestsession.h"

#include "audio/playbackengine.h"
#include "models/mixermodel.h"
#include "pages/listenpage.h"
#include "session.h"
#include "widgets/channelmeters.h"

#include <QTableView>
#include <QTest>

#include <sndfile.h>

#include <cmath>

using namespace stemship;
using namespace stemship::gui;

namespace {

// 1 kHz on every channel, channel c at levelsDbfs[c] (at 48 kHz a 1 kHz sine's sample peak is its amplitude).
test::Signal perChannelSine(const std::vector<double> &levelsDbfs, double seconds)
{
    const int channels = int(levelsDbfs.size());
    test::Signal signal = test::sine(48000, channels, 1000.0, 1.0, seconds);
    for (std::int64_t f = 0; f < signal.frames(); ++f)
        for (int c = 0; c < channels; ++c)
            signal.at(f, c) *= float(std::pow(10.0, levelsDbfs[std::size_t(c)] / 20.0));
    return signal;
}

int rowNamed(const PlaybackEngine &engine, const QString &name)
{
    for (qsizetype i = 0; i < engine.stems().size(); ++i)
        if (engine.stems().at(i).name == name)
            return int(i);
    return -1;
}

}  // namespace

class TestListenChannels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        test::setUpGuiTest();
        QVERIFY(m_dir.isValid());
        const test::WriteOptions surround = test::wavFloat51();
        QVERIFY(test::writeAudio(m_dir.filePath(QStringLiteral("Beds 51.wav")), perChannelSine(m_levels, 4.0), surround));
        QVERIFY(test::writeAudio(m_dir.filePath(QStringLiteral("Keys.wav")), test::sineDb(48000, 2, 440.0, -10.0, 4.0)));
        test::WriteOptions noMask;
        noMask.sfFormat = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
        QVERIFY(test::writeAudio(m_dir.filePath(QStringLiteral("Unknown 6.wav")), perChannelSine(m_levels, 1.0), noMask));
    }

    void fivePointOneShowsSixLabelledMeters()
    {
        Session session;
        QVERIFY(session.setInputs({m_dir.path()}).isEmpty());
        ListenPage page(&session);
        page.engine()->setForceSilentClock(true);
        page.resize(1200, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const int row = rowNamed(*page.engine(), QStringLiteral("Beds 51"));
        QVERIFY(row >= 0);
        page.stemView()->selectRow(row);
        // The table names the layout, as the Audit page does.
        const auto format = [&page](int r) { return page.mixerModel()->index(r, MixerModel::Format).data().toString(); };
        QCOMPARE(format(row), QStringLiteral("48000 Hz \u00b7 5.1"));
        QCOMPARE(format(rowNamed(*page.engine(), QStringLiteral("Unknown 6"))), QStringLiteral("48000 Hz \u00b7 6 ch ?"));
        QCOMPARE(format(rowNamed(*page.engine(), QStringLiteral("Keys"))), QStringLiteral("48000 Hz \u00b7 2 ch"));

        ChannelMeters *meters = page.channelMeters();
        QVERIFY(meters->isVisible());
        QCOMPARE(meters->labels(), (QStringList{QStringLiteral("L"), QStringLiteral("R"), QStringLiteral("C"),
                                                QStringLiteral("LFE"), QStringLiteral("Ls"), QStringLiteral("Rs")}));
        QVERIFY2(meters->title().contains(QStringLiteral("5.1")), qPrintable(meters->title()));

        page.engine()->soloOnly(row);
        page.engine()->play();
        QTRY_VERIFY_WITH_TIMEOUT(std::isfinite(meters->levelsDb().back()) && page.engine()->positionSeconds() > 0.5, 5000);
        QTest::qWait(200);  // a few display polls of a steady signal
        const std::vector<double> levels = meters->levelsDb();
        page.engine()->stop();
        QCOMPARE(levels.size(), m_levels.size());
        for (std::size_t c = 0; c < levels.size(); ++c)
            QVERIFY2(std::abs(levels[c] - m_levels[c]) < 0.3,
                     qPrintable(QStringLiteral("channel %1: %2 dBFS, wrote %3").arg(c + 1).arg(levels[c]).arg(m_levels[c])));

        // A stereo stem: the mix bus meters say it all, no channel panel.
        page.stemView()->selectRow(rowNamed(*page.engine(), QStringLiteral("Keys")));
        QVERIFY(!meters->isVisible());
        QVERIFY(meters->labels().isEmpty());

        // Six channels without a mask: core knows no layout, the meters are numbered.
        page.stemView()->selectRow(rowNamed(*page.engine(), QStringLiteral("Unknown 6")));
        QVERIFY(meters->isVisible());
        QCOMPARE(meters->labels(), (QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"),
                                                QStringLiteral("4"), QStringLiteral("5"), QStringLiteral("6")}));
        QVERIFY2(meters->title().contains(QStringLiteral("unknown")), qPrintable(meters->title()));
    }

private:
    QTemporaryDir m_dir;
    const std::vector<double> m_levels{-6.0, -12.0, -18.0, -24.0, -30.0, -36.0};
};

QTEST_MAIN(TestListenChannels)
#include "tst_listenchannels.moc"
