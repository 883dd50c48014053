#include "io/filedigest.h"
#include "io/ziparchive.h"
#include "io/zipwriter.h"

#include <quazip.h>
#include <quazipfile.h>
#include <zlib.h>

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <stdexcept>
#include <thread>
#include <vector>

using namespace stemship;

// The zip writer alone: entries from memory, copied files and reserved entries filled by their OffsetWriters
// from several threads, read back by QuaZip (minizip) and Info-ZIP's unzip; the classic and zip64 limits; names
// the format cannot hold; CRC-32 against zlib's crc32() on both of Stemship's paths.
class TestZipWriter : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static QByteArray randomBytes(quint32 seed, qsizetype n)
    {
        QRandomGenerator rng(seed);
        QByteArray b(n, Qt::Uninitialized);
        for (qsizetype i = 0; i < n; ++i)
            b[i] = char(rng.bounded(256));
        return b;
    }
    static io::FileDigest digestOf(const QByteArray &b)
    {
        io::FileDigest d;
        d.crc32 = std::uint32_t(::crc32(0, reinterpret_cast<const Bytef *>(b.constData()), uInt(b.size())));
        d.bytes = std::uint64_t(b.size());
        d.sha256 = QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex();
        return d;
    }
    // Name -> content through minizip, whose close() checks each CRC.
    static QMap<QString, QByteArray> readWithQuaZip(const QString &path, QString *problem)
    {
        QMap<QString, QByteArray> out;
        QuaZip zip(path);
        if (!zip.open(QuaZip::mdUnzip)) {
            *problem = QStringLiteral("QuaZip cannot open it");
            return out;
        }
        for (bool more = zip.goToFirstFile(); more; more = zip.goToNextFile()) {
            QuaZipFile file(&zip);
            if (!file.open(QIODevice::ReadOnly))
                *problem = QStringLiteral("cannot open an entry");
            const QByteArray data = file.readAll();
            file.close();
            if (file.getZipError() != UNZ_OK)
                *problem = QStringLiteral("minizip error %1 (CRC)").arg(file.getZipError());
            out.insert(zip.getCurrentFileName(), data);
        }
        return out;
    }

private Q_SLOTS:
    void writtenEntriesReadBack_data()
    {
        QTest::addColumn<bool>("zip64");
        QTest::newRow("classic") << false;
        QTest::newRow("zip64") << true;
    }
    void writtenEntriesReadBack()
    {
        QFETCH(bool, zip64);
        const QString path = m_dir.filePath(zip64 ? QStringLiteral("z64.zip") : QStringLiteral("classic.zip"));
        QMap<QString, QByteArray> expected;
        io::ZipWriter zip;
        QVERIFY(zip.open(path, zip64).ok());
        expected.insert(QStringLiteral("NOTES.txt"), QByteArrayLiteral("notes\n"));
        QVERIFY(zip.addData(QStringLiteral("NOTES.txt"), expected.value(QStringLiteral("NOTES.txt"))).ok());
        // Reserved entries of odd sizes, each filled by its own writer on its own thread, in uneven pieces.
        std::vector<io::ZipWriter::Reserved> slots;
        std::vector<QByteArray> contents;
        for (int i = 0; i < 4; ++i) {
            contents.push_back(randomBytes(quint32(7 + i), 100000 + 4099 * i));
            const QString name = QStringLiteral("0%1 Stem é.wav").arg(i);
            expected.insert(name, contents.back());
            auto reserved = zip.reserve(name, std::uint64_t(contents.back().size()));
            QVERIFY(reserved.ok());
            slots.push_back(*reserved);
        }
        QVERIFY(zip.preallocate().ok());
        std::vector<std::thread> threads;
        std::vector<bool> wrote(slots.size(), false);
        for (std::size_t i = 0; i < slots.size(); ++i)
            threads.emplace_back([&, i] {
                bool ok = true;
                for (qsizetype at = 0; at < contents[i].size() && ok; at += 777)
                    ok = slots[i].writer.write(contents[i].constData() + at, std::size_t(std::min<qsizetype>(777, contents[i].size() - at))).ok();
                wrote[i] = ok;
            });
        for (std::thread &t : threads)
            t.join();
        for (std::size_t i = 0; i < slots.size(); ++i) {
            QVERIFY(wrote[i]);
            QVERIFY(zip.commitReserved(slots[i].index, digestOf(contents[i])).ok());
        }
        const QByteArray copied = randomBytes(99, 12345);
        const QString copyPath = m_dir.filePath(QStringLiteral("copy.bin"));
        QFile f(copyPath);
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write(copied) == copied.size());
        f.close();
        expected.insert(QStringLiteral("copied.wav"), copied);
        QVERIFY(zip.addFiles({{QStringLiteral("copied.wav"), copyPath, digestOf(copied)}}, 2, CancelToken()).ok());
        QVERIFY(zip.close().ok());
        QVERIFY(!QFile::exists(copyPath));  // removed once copied in

        QString problem;
        QCOMPARE(readWithQuaZip(path, &problem), expected);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        // The zip64 end records are there exactly when asked for (APPNOTE §4.3.14, §4.3.15).
        QFile z(path);
        QVERIFY(z.open(QIODevice::ReadOnly));
        QCOMPARE(z.readAll().contains(QByteArrayLiteral("PK\x06\x07")), zip64);
        const QString unzip = QStandardPaths::findExecutable(QStringLiteral("unzip"));
        if (unzip.isEmpty())
            QSKIP("Info-ZIP unzip is not installed (scripts/setup.sh installs it)");
        QProcess p;
        p.start(unzip, {QStringLiteral("-t"), path});
        QVERIFY(p.waitForFinished(30000));
        const QString out = QString::fromLocal8Bit(p.readAllStandardOutput() + p.readAllStandardError());
        QVERIFY2(p.exitCode() == 0 && out.contains(QStringLiteral("No errors detected")), qPrintable(out));
    }

    void aWriterStaysInItsEntry()
    {
        io::ZipWriter zip;
        QVERIFY(zip.open(m_dir.filePath(QStringLiteral("bounded.zip")), false).ok());
        auto reserved = zip.reserve(QStringLiteral("a.wav"), 10);
        QVERIFY(reserved.ok());
        const QByteArray eleven(11, 'x');
        QVERIFY(reserved->writer.write(eleven.constData(), 10).ok());
        QVERIFY(!reserved->writer.write(eleven.constData(), 1).ok());
        QCOMPARE(reserved->writer.written(), std::uint64_t(10));
        // A commit with another size is refused too.
        io::FileDigest wrong = digestOf(eleven);
        QVERIFY(!zip.commitReserved(reserved->index, wrong).ok());
    }

    // close(whileSyncing): the zip is complete (central directory written) when the callback runs on the calling
    // thread, while the fsync runs on another; the packager verifies there. A callback that throws is propagated
    // after the fsync thread is joined (not std::terminate on a joinable thread).
    void closeRunsWorkWhileSyncing()
    {
        const QString path = m_dir.filePath(QStringLiteral("syncing.zip"));
        io::ZipWriter zip;
        QVERIFY(zip.open(path, false).ok());
        const QByteArray data = randomBytes(7, 100000);
        QVERIFY(zip.addData(QStringLiteral("a.bin"), data).ok());
        bool ran = false;
        std::thread::id where;
        QString readBack;
        QVERIFY(zip.close([&] {
            ran = true;
            where = std::this_thread::get_id();
            auto archive = io::ZipArchive::open(path);
            readBack = archive.ok() && archive->entries().size() == 1 ? archive->entries().front().name : archive.error().line();
        }).ok());
        QVERIFY(ran);
        QCOMPARE(where, std::this_thread::get_id());
        QCOMPARE(readBack, QStringLiteral("a.bin"));
        QString problem;
        QCOMPARE(readWithQuaZip(path, &problem).value(QStringLiteral("a.bin")), data);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));

        io::ZipWriter throwing;
        QVERIFY(throwing.open(m_dir.filePath(QStringLiteral("throwing.zip")), false).ok());
        bool caught = false;
        try {
            (void)throwing.close([] { throw std::runtime_error("verify broke"); });
        } catch (const std::runtime_error &) {
            caught = true;
        }
        QVERIFY(caught);
    }

    void namesLongerThanTheFormatAreRefused()
    {
        io::ZipWriter zip;
        const QString path = m_dir.filePath(QStringLiteral("names.zip"));
        QVERIFY(zip.open(path, false).ok());
        const QString longest(0xffff, QLatin1Char('n'));
        QVERIFY(zip.addData(longest, QByteArrayLiteral("ok")).ok());
        const QString tooLong(0x10000, QLatin1Char('n'));
        const Status added = zip.addData(tooLong, QByteArrayLiteral("no"));
        QVERIFY(!added.ok());
        QVERIFY2(added.error().what.contains(QStringLiteral("65 535")), qPrintable(added.error().line()));
        QVERIFY(!zip.reserve(tooLong, 1).ok());
        // Two-byte UTF-8 characters count as two.
        QVERIFY(!zip.reserve(QString(0x8000, QChar(0xe9)), 1).ok());
        QVERIFY(zip.close().ok());
        auto archive = io::ZipArchive::open(path);
        QVERIFY(archive.ok());
        QCOMPARE(archive->entries().size(), qsizetype(1));
        QCOMPARE(archive->entries().front().name.size(), qsizetype(0xffff));
    }

    void classicAndZip64Limits()
    {
        QVERIFY(!io::needsZip64(0xF0000000ull));
        QVERIFY(io::needsZip64(0xF0000001ull));
        // A classic zip whose central directory would start beyond 4 GiB is refused at close (sparse, never written).
        {
            io::ZipWriter zip;
            QVERIFY(zip.open(m_dir.filePath(QStringLiteral("big-classic.zip")), false).ok());
            QVERIFY(zip.reserve(QStringLiteral("big.wav"), 0xffffffffull).ok());
            const Status closed = zip.close();
            QVERIFY(!closed.ok());
            QVERIFY2(closed.error().what.contains(QStringLiteral("zip64")), qPrintable(closed.error().line()));
        }
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("big-classic.zip"))));  // an unclosed zip is removed
        // Zip64 holds an entry past 4 GiB and a second one after it: sizes and offsets in the zip64 fields.
        const QString path = m_dir.filePath(QStringLiteral("big64.zip"));
        const std::uint64_t big = 0x120000000ull;  // 4.5 GiB of zeros, a hole in a sparse file
        io::ZipWriter zip;
        QVERIFY(zip.open(path, true).ok());
        auto reserved = zip.reserve(QStringLiteral("big.wav"), big);
        QVERIFY(reserved.ok());
        io::FileDigest zeros;
        zeros.bytes = big;
        // zlib's CRC of 4.5 GiB of zeros: 1 MiB doubled to 4 GiB, then 512 MiB after it.
        const QByteArray mib(1 << 20, 0);
        uLong crc = ::crc32(0, reinterpret_cast<const Bytef *>(mib.constData()), uInt(mib.size())), crc512MiB = 0;
        for (std::uint64_t len = 1 << 20; len < 0x100000000ull; len *= 2) {
            if (len == 0x20000000ull)
                crc512MiB = crc;
            crc = ::crc32_combine64(crc, crc, z_off64_t(len));
        }
        zeros.crc32 = std::uint32_t(::crc32_combine64(crc, crc512MiB, z_off64_t(0x20000000)));
        QVERIFY(zip.commitReserved(reserved->index, zeros).ok());
        QVERIFY(zip.addData(QStringLiteral("after.txt"), QByteArrayLiteral("after")).ok());
        QVERIFY(zip.close().ok());
        auto archive = io::ZipArchive::open(path);
        QVERIFY2(archive.ok(), qPrintable(archive.ok() ? QString() : archive.error().line()));
        QCOMPARE(archive->entries().size(), qsizetype(2));
        QCOMPARE(archive->entries().at(0).size, big);
        QVERIFY(archive->entries().at(1).localHeaderOffset > big);
        QuaZip q(path);
        QVERIFY(q.open(QuaZip::mdUnzip));
        QVERIFY(q.setCurrentFile(QStringLiteral("after.txt")));
        QuaZipFile after(&q);
        QVERIFY(after.open(QIODevice::ReadOnly));
        QCOMPARE(after.readAll(), QByteArrayLiteral("after"));
    }

    void crcMatchesZlib_data()
    {
        QTest::addColumn<bool>("folding");
        QTest::newRow("pclmul folding where the CPU has it") << true;
        QTest::newRow("tables only") << false;
    }
    void crcMatchesZlib()
    {
        QFETCH(bool, folding);
        io::setCrc32Folding(folding);
        const QByteArray data = randomBytes(2026, 70000);
        QRandomGenerator rng(12);
        for (int round = 0; round < 400; ++round) {
            const qsizetype align = rng.bounded(16), length = rng.bounded(round < 200 ? 300 : 65000);
            const auto *p = reinterpret_cast<const Bytef *>(data.constData() + align);
            const auto expected = std::uint32_t(::crc32(0, p, uInt(length)));
            QCOMPARE(io::crc32Update(0, p, std::size_t(length)), expected);
            // In two pieces, split anywhere, as the renderer feeds it.
            const qsizetype split = length > 0 ? rng.bounded(length) : 0;
            QCOMPARE(io::crc32Update(io::crc32Update(0, p, std::size_t(split)), p + split, std::size_t(length - split)), expected);
        }
        io::setCrc32Folding(true);
    }
};

QTEST_GUILESS_MAIN(TestZipWriter)
#include "tst_zipwriter.moc"
