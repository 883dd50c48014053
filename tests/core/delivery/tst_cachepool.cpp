// Pass 1's float caches recycled while streaming (delivery/cachepool.h): a rendered stem's cache is taken over by
// the next stem, whose pass 1 overwrites it in place and cuts it to its own length; once the last stem has started,
// spares are removed rather than kept.

#include "delivery/cachepool.h"
#include "delivery/stemrender.h"
#include "testsignals.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <vector>

#include <sys/stat.h>

using namespace stemship;
using namespace stemship::test;

namespace {

ino_t inodeOf(const QString &path)
{
    struct stat st {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_ino : 0;
}

std::vector<float> readFloats(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = f.readAll();
    std::vector<float> out(std::size_t(bytes.size()) / sizeof(float));
    std::memcpy(out.data(), bytes.constData(), out.size() * sizeof(float));
    return out;
}

}  // namespace

class TestCachePool : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    // The next stem's cache is the same file (the same inode, so the same page-cache pages) as the rendered one.
    void adoptTakesTheRecycledFile()
    {
        QDir work(m_dir.path());
        work.mkdir(QStringLiteral("adopt"));
        work.cd(QStringLiteral("adopt"));
        delivery::CachePool pool(work, 3);
        const QString first = work.filePath(QStringLiteral("0.f32")), second = work.filePath(QStringLiteral("1.f32"));
        pool.adopt(first);  // nothing to adopt yet: pass 1 creates it
        QVERIFY(!QFile::exists(first));
        QFile f(first);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        const ino_t inode = inodeOf(first);
        pool.recycle(first);
        QVERIFY(!QFile::exists(first));
        pool.adopt(second);
        QVERIFY(QFile::exists(second));
        QCOMPARE(inodeOf(second), inode);
        QCOMPARE(work.entryList(QDir::Files).size(), 1);
    }

    // Once every stem has started, a rendered cache has no taker: it is removed, and so are the spares left.
    void nothingKeptOnceTheLastStemStarted()
    {
        QDir work(m_dir.path());
        work.mkdir(QStringLiteral("last"));
        work.cd(QStringLiteral("last"));
        delivery::CachePool pool(work, 2);
        const QString a = work.filePath(QStringLiteral("0.f32")), b = work.filePath(QStringLiteral("1.f32")),
                      c = work.filePath(QStringLiteral("extra.f32"));
        for (const QString &p : {a, c}) {
            QFile f(p);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(100, 'y'));
        }
        pool.adopt(a);
        pool.recycle(c);  // a spare
        pool.recycle(a);  // a second spare; the last stem takes one, the other goes
        pool.adopt(b);
        QCOMPARE(work.entryList(QDir::Files), QStringList{QStringLiteral("1.f32")});
        pool.recycle(b);
        QVERIFY(work.entryList(QDir::Files).isEmpty());
    }

    // Pass 1 into a recycled cache longer than the stem: the cache holds exactly the stem's samples afterwards.
    // Before the cache writer cut it to length, the old cache's tail stayed behind it.
    void passOneOverwritesAndCutsARecycledCache()
    {
        const Signal s = sineDb(48000, 2, 997.0, -12.0, 0.5);
        const QString source = path(QStringLiteral("short.wav"));
        QVERIFY(writeAudio(source, s));
        const QString cache = path(QStringLiteral("recycled.f32"));
        {
            QFile f(cache);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(qsizetype(s.samples.size() * sizeof(float) * 3), char(0x7f)));  // NaN-ish garbage
        }
        auto m = delivery::measureStem(io::StemSource{QStringLiteral("short.wav"), source, {}}, 48000, cache, CancelToken(), nullptr);
        QVERIFY2(m, qPrintable(m ? QString() : m.error().line()));
        const std::vector<float> cached = readFloats(cache);
        QCOMPARE(cached.size(), s.samples.size());
        QVERIFY(cached == s.samples);  // 48 kHz in and out: the samples themselves
    }
};

QTEST_GUILESS_MAIN(TestCachePool)
#include "tst_cachepool.moc"
