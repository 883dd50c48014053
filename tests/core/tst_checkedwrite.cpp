#include "io/checkedwrite.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using namespace stemship;

// Checked positional writes and preallocation: every byte lands where asked, a size limit is an error with errno.
class TestCheckedWrite : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    int create(const QString &name)
    {
        return ::open(QFile::encodeName(m_dir.filePath(name)).constData(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    }

    // Runs fn with RLIMIT_FSIZE lowered to limitBytes (writes past it fail with EFBIG), then restores it.
    template <typename Fn>
    static void withFileSizeLimit(rlim_t limitBytes, Fn fn)
    {
        rlimit before{};
        QCOMPARE(::getrlimit(RLIMIT_FSIZE, &before), 0);
        const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit limit = before;
        limit.rlim_cur = limitBytes;
        QCOMPARE(::setrlimit(RLIMIT_FSIZE, &limit), 0);
        fn();
        QCOMPARE(::setrlimit(RLIMIT_FSIZE, &before), 0);
        std::signal(SIGXFSZ, oldHandler);
    }

private Q_SLOTS:
    void writesEveryByteAtItsOffset()
    {
        const int fd = create(QStringLiteral("offsets.bin"));
        QVERIFY(fd >= 0);
        std::vector<unsigned char> a(3 << 20), b(1000);
        for (std::size_t i = 0; i < a.size(); ++i)
            a[i] = static_cast<unsigned char>(i * 7 + 1);
        for (std::size_t i = 0; i < b.size(); ++i)
            b[i] = static_cast<unsigned char>(255 - i % 251);
        // Out of order, with a hole between them, as parallel stems write a zip.
        QVERIFY(io::pwriteAll(fd, b.data(), b.size(), a.size() + 500));
        QVERIFY(io::pwriteAll(fd, a.data(), a.size(), 0));
        ::close(fd);
        QFile f(m_dir.filePath(QStringLiteral("offsets.bin")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QCOMPARE(bytes.size(), qsizetype(a.size() + 500 + b.size()));
        QVERIFY(std::equal(a.begin(), a.end(), reinterpret_cast<const unsigned char *>(bytes.constData())));
        QCOMPARE(bytes.mid(qsizetype(a.size()), 500), QByteArray(500, '\0'));
        QVERIFY(std::equal(b.begin(), b.end(), reinterpret_cast<const unsigned char *>(bytes.constData()) + a.size() + 500));
    }

    void sizeLimitIsAnErrorNotAShortFile()
    {
        const int fd = create(QStringLiteral("limited.bin"));
        QVERIFY(fd >= 0);
        const std::vector<unsigned char> data(256 << 10, 0x5a);
        withFileSizeLimit(100 << 10, [&] {
            errno = 0;
            QVERIFY(!io::pwriteAll(fd, data.data(), data.size(), 0));  // the kernel writes 100 KiB, then refuses
            QCOMPARE(errno, EFBIG);
        });
        ::close(fd);
    }

    void preallocateKeepsTheSizeAndReportsNoSpace()
    {
        const int fd = create(QStringLiteral("reserved.bin"));
        QVERIFY(fd >= 0);
        QVERIFY(io::pwriteAll(fd, "head", 4, 0));
        QVERIFY(io::preallocate(fd, 0, 8 << 20));
        struct stat st{};
        QCOMPARE(::fstat(fd, &st), 0);
        QCOMPARE(qint64(st.st_size), qint64(4));  // reserved, not grown: readers never see zeros that were not written
        // More than any disk here holds: refused with the reason, where the filesystem has fallocate at all.
        if (::fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 4096) != 0 && errno == EOPNOTSUPP)
            QSKIP("this filesystem has no fallocate");
        errno = 0;
        QVERIFY(!io::preallocate(fd, 0, std::uint64_t(1) << 50));
        QVERIFY2(errno == ENOSPC || errno == EFBIG, std::strerror(errno));
        QVERIFY(io::preallocate(fd, 0, 0));
        ::close(fd);
    }
};

QTEST_GUILESS_MAIN(TestCheckedWrite)
#include "tst_checkedwrite.moc"
