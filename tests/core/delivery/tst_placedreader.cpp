// PlacedReader (delivery/stemrender.h): a cached stem read as it sits in the delivered file, zeros before and
// after it, its start cut when it begins before the file, its end cut when it runs past it; for block sizes whose
// edges fall inside the silence, inside the stem and on its boundaries. The block is filled with garbage before
// every read, so a zero the reader forgets to write shows.

#include "delivery/stemrender.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <limits>
#include <vector>

using namespace stemship;

class TestPlacedReader : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void readsThePlacedStem_data()
    {
        QTest::addColumn<std::int64_t>("offsetFrames");
        QTest::addColumn<std::int64_t>("lengthFrames");
        QTest::addColumn<std::int64_t>("blockFrames");
        const std::int64_t stem = 50;
        for (std::int64_t block : {1, 7, 16, 50, 64, 1000}) {
            QTest::addRow("inside, block %lld", qlonglong(block)) << std::int64_t(13) << stem + 30 << block;
            QTest::addRow("flush, block %lld", qlonglong(block)) << std::int64_t(0) << stem << block;
            QTest::addRow("start cut, block %lld", qlonglong(block)) << std::int64_t(-9) << stem + 5 << block;
            QTest::addRow("end cut, block %lld", qlonglong(block)) << std::int64_t(20) << std::int64_t(40) << block;
            QTest::addRow("after the file, block %lld", qlonglong(block)) << std::int64_t(70) << std::int64_t(60) << block;
            QTest::addRow("before the file, block %lld", qlonglong(block)) << -stem - 3 << std::int64_t(30) << block;
        }
    }

    void readsThePlacedStem()
    {
        QFETCH(std::int64_t, offsetFrames);
        QFETCH(std::int64_t, lengthFrames);
        QFETCH(std::int64_t, blockFrames);
        constexpr int kChannels = 2;
        constexpr std::int64_t kStemFrames = 50;
        // Stem sample k (interleaved) is k + 1: never zero, so silence and samples cannot be confused.
        std::vector<float> stem(std::size_t(kStemFrames * kChannels));
        for (std::size_t k = 0; k < stem.size(); ++k)
            stem[k] = float(k + 1);
        const QString cache = m_dir.filePath(QStringLiteral("stem.f32"));
        {
            QFile f(cache);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(reinterpret_cast<const char *>(stem.data()), qint64(stem.size() * sizeof(float)));
        }
        std::vector<float> expected(std::size_t(lengthFrames * kChannels), 0.0f);
        for (std::int64_t frame = 0; frame < lengthFrames; ++frame) {
            const std::int64_t s = frame - offsetFrames;
            if (s >= 0 && s < kStemFrames)
                for (int c = 0; c < kChannels; ++c)
                    expected[std::size_t(frame * kChannels + c)] = stem[std::size_t(s * kChannels + c)];
        }
        delivery::PlacedReader reader(cache, kChannels, kStemFrames, offsetFrames, lengthFrames, blockFrames);
        QVERIFY(reader.open().ok());
        std::vector<float> got, block(std::size_t(blockFrames * kChannels));
        for (;;) {
            std::fill(block.begin(), block.end(), std::numeric_limits<float>::quiet_NaN());
            auto n = reader.next(block.data());
            QVERIFY(n.ok());
            if (*n == 0)
                break;
            QVERIFY(*n <= blockFrames);
            got.insert(got.end(), block.begin(), block.begin() + *n * kChannels);
        }
        QCOMPARE(reader.position(), lengthFrames);
        QCOMPARE(got.size(), expected.size());
        for (std::size_t k = 0; k < got.size(); ++k)
            QVERIFY2(got[k] == expected[k], qPrintable(QStringLiteral("sample %1: %2, expected %3").arg(k).arg(got[k]).arg(expected[k])));
    }
};

QTEST_GUILESS_MAIN(TestPlacedReader)
#include "tst_placedreader.moc"
