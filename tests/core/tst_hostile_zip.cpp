// Hostile zip corpus: archives built byte by byte (deliverysignals' buildZip, then patched) or with QuaZip for
// the well-formed ones. ZipArchive must refuse or flag each one, never crash, hang, allocate what an archive
// declares, or create a file anywhere.

#include "io/ziparchive.h"
#include "filetree.h"
#include "deliverysignals.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QIODevice>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipnewinfo.h>

#include <zlib.h>

using namespace stemship;
using stemship::test::RawZipEntry;

using stemship::test::hashTree;
using stemship::test::listTree;

namespace {

void putAt(QByteArray &b, qsizetype at, std::uint64_t value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        b[at + i] = char((value >> (8 * i)) & 0xff);
}
std::uint64_t getAt(const QByteArray &b, qsizetype at, int bytes)
{
    std::uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | std::uint8_t(b[at + i]);
    return v;
}

// Offsets inside a buildZip() archive without a comment.
qsizetype eocdAt(const QByteArray &zip) { return zip.lastIndexOf(QByteArray("PK\x05\x06", 4)); }
qsizetype cdAt(const QByteArray &zip) { return qsizetype(getAt(zip, eocdAt(zip) + 16, 4)); }
qsizetype cdAt64(const QByteArray &zip)
{
    const qsizetype z = zip.lastIndexOf(QByteArray("PK\x06\x06", 4));
    return qsizetype(getAt(zip, z + 48, 8));
}

QByteArray wavBytes(int frames = 1000)
{
    QByteArray data(frames * 4, '\0');
    for (int i = 0; i < data.size(); ++i)
        data[i] = char((i * 7919) & 0x3f);
    QByteArray b("RIFF", 4);
    auto le = [&](std::uint64_t v, int n) { for (int i = 0; i < n; ++i) b.append(char((v >> (8 * i)) & 0xff)); };
    le(std::uint64_t(36 + data.size()), 4);
    b += "WAVEfmt ";
    le(16, 4); le(1, 2); le(2, 2); le(48000, 4); le(48000 * 4, 4); le(4, 2); le(16, 2);
    b += "data";
    le(std::uint64_t(data.size()), 4);
    return b + data;
}

RawZipEntry ze(const QString &name, const QByteArray &data, int method = 0)
{
    RawZipEntry e;
    e.name = name;
    e.data = data;
    e.method = method;
    return e;
}

QByteArray zipOf(const QList<RawZipEntry> &entries, bool zip64 = false) { return test::buildZip(entries, zip64); }

struct Case {
    QByteArray bytes;
    QString expect;  // "open_error:NEEDLE", "hostile:ENTRY:NEEDLE" (ENTRY may be empty: the archive; * any; NUL a name with a NUL), "clean"
};

}  // namespace

Q_DECLARE_METATYPE(Case)

class TestHostileZip : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void corpus_data()
    {
        QTest::addColumn<Case>("c");
        const QByteArray w = wavBytes();
        const RawZipEntry good = ze(QStringLiteral("stem.wav"), w);

        // Not zips at all.
        QTest::newRow("empty") << Case{QByteArray(), QStringLiteral("open_error:too short")};
        QTest::newRow("21 bytes") << Case{QByteArray(21, 'P'), QStringLiteral("open_error:too short")};
        QTest::newRow("random") << Case{QByteArray(70000, '\x5a'), QStringLiteral("open_error:no end of central directory")};
        QTest::newRow("wav named zip") << Case{w, QStringLiteral("open_error:no end of central directory")};
        QTest::newRow("empty archive") << Case{zipOf({}), QStringLiteral("clean")};
        QTest::newRow("one good entry") << Case{zipOf({good}), QStringLiteral("clean")};
        QTest::newRow("good deflated") << Case{zipOf({ze(QStringLiteral("stem.wav"), w, 8)}), QStringLiteral("clean")};

        // Paths that would escape an extraction folder.
        QTest::newRow("dotdot") << Case{zipOf({ze(QStringLiteral("../../evil.wav"), w)}), QStringLiteral("hostile:../../evil.wav:..")};
        QTest::newRow("inner dotdot") << Case{zipOf({ze(QStringLiteral("stems/../../../evil.wav"), w)}), QStringLiteral("hostile:stems/../../../evil.wav:..")};
        QTest::newRow("trailing dotdot") << Case{zipOf({ze(QStringLiteral("stems/.."), w)}), QStringLiteral("hostile:stems/..:..")};
        QTest::newRow("absolute") << Case{zipOf({ze(QStringLiteral("/tmp/evil.wav"), w)}), QStringLiteral("hostile:/tmp/evil.wav:absolute")};
        QTest::newRow("backslash dotdot") << Case{zipOf({ze(QStringLiteral("..\\..\\evil.wav"), w)}), QStringLiteral("hostile:..\\..\\evil.wav:backslash")};
        QTest::newRow("backslash absolute") << Case{zipOf({ze(QStringLiteral("\\Windows\\evil.wav"), w)}), QStringLiteral("hostile:\\Windows\\evil.wav:backslash")};
        QTest::newRow("drive letter") << Case{zipOf({ze(QStringLiteral("C:/evil.wav"), w)}), QStringLiteral("hostile:C:/evil.wav:drive")};
        QTest::newRow("drive relative") << Case{zipOf({ze(QStringLiteral("C:evil.wav"), w)}), QStringLiteral("hostile:C:evil.wav:drive")};
        QTest::newRow("empty name") << Case{zipOf({ze(QString(), w)}), QStringLiteral("hostile::empty entry name")};
        QTest::newRow("nul in name") << Case{zipOf({ze(QStringLiteral("a.wav") + QChar(0) + QStringLiteral("../x"), w)}), QStringLiteral("hostile:NUL:NUL")};
        RawZipEntry link = ze(QStringLiteral("link.wav"), QByteArray("/etc/passwd"));
        link.symlink = true;
        QTest::newRow("symlink") << Case{zipOf({link}), QStringLiteral("hostile:link.wav:symbolic link")};
        RawZipEntry dirLink = ze(QStringLiteral("stems"), QByteArray("../../"));
        dirLink.symlink = true;
        QTest::newRow("symlink then file through it") << Case{zipOf({dirLink, ze(QStringLiteral("stems/kick.wav"), w)}), QStringLiteral("hostile:stems:symbolic link")};

        // Duplicates.
        QTest::newRow("duplicate") << Case{zipOf({good, ze(QStringLiteral("stem.wav"), wavBytes(10))}), QStringLiteral("hostile:stem.wav:duplicate")};
        QTest::newRow("case duplicate") << Case{zipOf({good, ze(QStringLiteral("STEM.WAV"), w)}), QStringLiteral("hostile:STEM.WAV:duplicate")};
        QTest::newRow("three duplicates") << Case{zipOf({good, good, good}), QStringLiteral("hostile:stem.wav:duplicate")};

        // Compression bombs and lying sizes.
        QTest::newRow("real bomb 64 MiB of zeros") << Case{zipOf({ze(QStringLiteral("zeros.wav"), QByteArray(64 << 20, '\0'), 8)}), QStringLiteral("hostile:zeros.wav:compression bomb")};
        RawZipEntry liar = ze(QStringLiteral("liar.wav"), w, 8);
        liar.declaredSize = std::uint64_t(0xFFFFFFF0u);
        QTest::newRow("declares 4 GiB") << Case{zipOf({liar}), QStringLiteral("hostile:liar.wav:compression bomb")};
        RawZipEntry liar64 = ze(QStringLiteral("liar64.wav"), w, 8);
        liar64.declaredSize = std::uint64_t(1) << 62;
        QTest::newRow("zip64 declares 4 EiB") << Case{zipOf({liar64}, true), QStringLiteral("hostile:liar64.wav:oversized")};
        RawZipEntry stored = ze(QStringLiteral("stored.wav"), w, 0);
        stored.declaredSize = std::uint64_t(w.size()) * 1000;
        QTest::newRow("stored sizes differ") << Case{zipOf({stored}), QStringLiteral("hostile:stored.wav:differing sizes")};
        QList<RawZipEntry> many;
        for (int i = 0; i < 10001; ++i)
            many.append(ze(QStringLiteral("e%1.wav").arg(i), QByteArray("x")));
        QTest::newRow("10001 entries") << Case{zipOf(many), QStringLiteral("hostile::entries (limit")};
        RawZipEntry secret = ze(QStringLiteral("secret.wav"), w);
        secret.encrypted = true;
        QTest::newRow("encrypted") << Case{zipOf({secret}), QStringLiteral("hostile:secret.wav:encrypted")};
        {
            QByteArray z = zipOf({good});
            putAt(z, cdAt(z) + 10, 99, 2);  // central method
            putAt(z, 8, 99, 2);             // local method
            QTest::newRow("unknown method") << Case{z, QStringLiteral("hostile:stem.wav:method 99")};
        }
        {
            // Two central entries over one local header: one stream, two names (the overlapping-file bomb).
            QByteArray z = zipOf({good, ze(QStringLiteral("other.wav"), w)});
            const qsizetype cd = cdAt(z);
            const qsizetype second = cd + 46 + QByteArray("stem.wav").size();
            putAt(z, second + 42, 0, 4);
            QTest::newRow("overlapping entries") << Case{z, QStringLiteral("hostile:*:overlaps")};
        }

        // Broken central directory and end records.
        {
            QByteArray z = zipOf({good});
            putAt(z, eocdAt(z) + 16, 0x7FFFFFF0u, 4);
            QTest::newRow("cd offset past end") << Case{z, QStringLiteral("open_error:outside the file")};
        }
        {
            QByteArray z = zipOf({good});
            putAt(z, eocdAt(z) + 12, 0xFFFFFFF0u, 4);
            QTest::newRow("cd size 4 GiB") << Case{z, QStringLiteral("open_error:outside the file")};
        }
        {
            QByteArray z = zipOf({good});
            putAt(z, eocdAt(z) + 8, 0xFFFF, 2);
            putAt(z, eocdAt(z) + 10, 0xFFFF, 2);
            QTest::newRow("entry count lies") << Case{z, QStringLiteral("open_error:more entries")};
        }
        {
            QByteArray z = zipOf({good, good});
            putAt(z, eocdAt(z) + 10, 2, 2);
            putAt(z, cdAt(z) + 46 + 8, 0xdeadbeef, 4);  // second central header's signature
            QTest::newRow("cd signature broken") << Case{z, QStringLiteral("open_error:damaged central directory")};
        }
        {
            QByteArray z = zipOf({good});
            putAt(z, cdAt(z) + 28, 0xFFFF, 2);  // name length runs past the directory
            QTest::newRow("cd name length lies") << Case{z, QStringLiteral("open_error:damaged central directory")};
        }
        {
            QByteArray z = zipOf({good});
            putAt(z, cdAt(z) + 30, 0xFFFF, 2);  // extra length
            QTest::newRow("cd extra length lies") << Case{z, QStringLiteral("open_error:damaged central directory")};
        }
        {
            QByteArray z = zipOf({good});
            putAt(z, eocdAt(z) + 4, 1, 2);
            QTest::newRow("multi disk") << Case{z, QStringLiteral("open_error:multi-disk")};
        }
        {
            QByteArray z = zipOf({good});
            putAt(z, eocdAt(z) + 20, 0xFFFF, 2);  // comment runs past the end of the file
            QTest::newRow("comment length lies") << Case{z, QStringLiteral("open_error:no end of central directory")};
        }
        {
            QByteArray z = zipOf({good});
            z.chop(1);
            QTest::newRow("eocd cut by one byte") << Case{z, QStringLiteral("open_error:no end of central directory")};
        }
        {
            QByteArray z = zipOf({good});
            putAt(z, cdAt(z) + 42, 0x7FFFFF00u, 4);
            QTest::newRow("local header offset past end") << Case{z, QStringLiteral("hostile:stem.wav:local header")};
        }
        {
            QByteArray z = zipOf({good});
            putAt(z, 0, 0x12345678u, 4);
            QTest::newRow("local header signature broken") << Case{z, QStringLiteral("hostile:stem.wav:local header")};
        }
        {
            QByteArray z = zipOf({good});
            putAt(z, 26, 0xFFFF, 2);  // local name length pushes the data past the central directory
            QTest::newRow("local name length lies") << Case{z, QStringLiteral("hostile:stem.wav:runs past")};
        }
        {
            QByteArray z = zipOf({good}, true);
            const qsizetype locator = z.lastIndexOf(QByteArray("PK\x06\x07", 4));
            putAt(z, locator + 8, 0x7FFFFFFFFFFFull, 8);
            QTest::newRow("zip64 locator points nowhere") << Case{z, QStringLiteral("open_error:zip64")};
        }
        {
            QByteArray z = zipOf({good}, true);
            const qsizetype z64 = z.lastIndexOf(QByteArray("PK\x06\x06", 4));
            putAt(z, z64 + 32, ~0ull, 8);  // entry count 2^64 - 1
            QTest::newRow("zip64 entry count 2^64") << Case{z, QStringLiteral("open_error:more entries")};
        }
        {
            QByteArray z = zipOf({good}, true);
            const qsizetype z64 = z.lastIndexOf(QByteArray("PK\x06\x06", 4));
            putAt(z, z64 + 48, ~0ull - 8, 8);  // cd offset near 2^64: offset + size must not wrap
            QTest::newRow("zip64 cd offset wraps") << Case{z, QStringLiteral("open_error:outside the file")};
        }
        {
            // zip64 local header offset near 2^64: offset + 30 wraps around to a small number.
            QByteArray z = zipOf({good}, true);
            const qsizetype extra = cdAt64(z) + 46 + 8;
            putAt(z, extra + 4 + 16, ~0ull - 15, 8);
            QTest::newRow("zip64 local offset wraps") << Case{z, QStringLiteral("hostile:stem.wav:local header")};
        }
        {
            // zip64 compressed size chosen so that dataOffset + compressedSize wraps to 1.
            QByteArray z = zipOf({ze(QStringLiteral("stem.wav"), w, 8)}, true);
            const qsizetype extra = cdAt64(z) + 46 + 8;
            const std::uint64_t dataOffset = 30 + 8;
            putAt(z, extra + 4 + 8, (~0ull - dataOffset) + 2, 8);
            QTest::newRow("zip64 compressed size wraps") << Case{z, QStringLiteral("hostile:stem.wav:runs past")};
        }
        {
            // Garbage where the deflate stream should be.
            QByteArray z = zipOf({ze(QStringLiteral("stem.wav"), w, 8)});
            for (qsizetype i = 38; i < 38 + 64 && i < cdAt(z); ++i)
                z[i] = char(0xff);
            QTest::newRow("corrupt deflate stream") << Case{z, QStringLiteral("clean")};
        }
        {
            RawZipEntry crcLie = ze(QStringLiteral("stem.wav"), w);
            crcLie.declaredCrc = 0xdeadbeefu;
            QTest::newRow("crc lies") << Case{zipOf({crcLie}), QStringLiteral("clean")};
        }
        {
            // A lying manifest (checksum of other bytes): the archive is clean; verify must catch the lie.
            const QByteArray manifest = R"({"stems":[{"file":"stem.wav","sha256":"00","frames":99999999}]})";
            QTest::newRow("lying manifest") << Case{zipOf({good, ze(QStringLiteral("manifest.json"), manifest)}), QStringLiteral("clean")};
        }
    }

    void corpus()
    {
        QFETCH(Case, c);
        const QString tag = QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_'));
        QTemporaryDir box(m_dir.filePath(QStringLiteral("box-XXXXXX")));
        QVERIFY(box.isValid());
        const QString file = box.filePath(tag + QStringLiteral(".zip"));
        QVERIFY(test::writeFile(file, c.bytes));
        const QStringList before = listTree(m_dir.path());

        QElapsedTimer clock;
        clock.start();
        auto archive = io::ZipArchive::open(file);
        if (c.expect.startsWith(QLatin1String("open_error:"))) {
            QVERIFY2(!archive.ok(), "opened, expected an error");
            QCOMPARE(archive.error().file, file);
            QVERIFY2(archive.error().what.contains(c.expect.mid(11)), qPrintable(archive.error().what));
            QVERIFY(!archive.error().what.contains(QLatin1Char('\n')));
        } else {
            QVERIFY2(archive.ok(), qPrintable(archive.ok() ? QString() : archive.error().line()));
            const QList<io::ZipProblem> problems = archive->hostileEntries();
            QString all;
            for (const io::ZipProblem &p : problems)
                all += p.entry + QStringLiteral(": ") + p.what + QLatin1Char('|');
            if (c.expect == QLatin1String("clean")) {
                QVERIFY2(problems.isEmpty(), qPrintable(all));
            } else {
                // "hostile:ENTRY:NEEDLE": the entry may hold colons ("C:/x"), the needle never does.
                const qsizetype first = c.expect.indexOf(QLatin1Char(':')), last = c.expect.lastIndexOf(QLatin1Char(':'));
                const QString entry = c.expect.mid(first + 1, last - first - 1), needle = c.expect.mid(last + 1);
                bool found = false;
                for (const io::ZipProblem &p : problems) {
                    const bool entryMatches = entry == QLatin1String("*") || (entry == QLatin1String("NUL") ? p.entry.contains(QChar(0)) : p.entry == entry);
                    found = found || (entryMatches && p.what.contains(needle));
                }
                QVERIFY2(found, qPrintable(QStringLiteral("no problem '%1' for '%2' in: %3").arg(needle, entry, all)));
            }
            // Every entry: openEntry refuses or gives a bounded device; reading it stays within what it declared.
            QSet<QString> flagged;
            for (const io::ZipProblem &p : problems)
                flagged.insert(p.entry);
            for (const io::ZipEntry &e : archive->entries()) {
                QString why;
                std::unique_ptr<QIODevice> device = archive->openEntry(e.name, &why, std::uint64_t(256) << 20);
                if (e.isSymlink || e.isEncrypted || e.isDirectory)
                    QVERIFY2(!device, qPrintable(e.name));
                // An entry whose data lies outside the archive's data area must not be handed out.
                bool structural = false;
                for (const io::ZipProblem &p : problems)
                    structural = structural || (p.entry == e.name && (p.what.contains(QLatin1String("runs past"))
                                                                       || p.what.contains(QLatin1String("local header"))));
                if (structural)
                    QVERIFY2(!device, qPrintable(QStringLiteral("openEntry(%1) handed out a device over data out of range").arg(e.name)));
                if (!device) {
                    QVERIFY2(!why.isEmpty(), "refused without a reason");
                    continue;
                }
                QVERIFY(device->size() >= 0);
                QVERIFY(std::uint64_t(device->size()) <= (std::uint64_t(256) << 20));
                qint64 total = 0;
                char buf[65536];
                for (;;) {
                    const qint64 n = device->read(buf, sizeof buf);
                    if (n <= 0)
                        break;
                    total += n;
                    QVERIFY2(total <= device->size(), "read past the declared size");
                    QVERIFY2(clock.elapsed() < 30000, "reading took more than 30 s");
                }
                // Seeking back and forth on the same device is safe too.
                device->seek(device->size() / 2);
                device->seek(0);
                device->read(buf, 16);
            }
        }
        QVERIFY2(clock.elapsed() < 30000, "took more than 30 s");
        // Nothing was extracted: the tree around the archive is exactly as before.
        QCOMPARE(listTree(m_dir.path()), before);
        QCOMPARE(test::readFile(file), c.bytes);
    }

    // A well-formed archive from a real zip library is accepted and reads back byte for byte.
    void quazipArchivesRoundTrip()
    {
        const QString file = m_dir.filePath(QStringLiteral("quazip.zip"));
        const QByteArray w = wavBytes(20000), notes("Title: hostile\n");
        {
            QuaZip zip(file);
            QVERIFY(zip.open(QuaZip::mdCreate));
            QuaZipFile out(&zip);
            QVERIFY(out.open(QIODevice::WriteOnly, QuaZipNewInfo(QStringLiteral("01 Kick.wav"))));
            QCOMPARE(out.write(w), w.size());
            out.close();
            QVERIFY(out.open(QIODevice::WriteOnly, QuaZipNewInfo(QStringLiteral("NOTES.txt")), nullptr, 0, 0, 0));
            QCOMPARE(out.write(notes), notes.size());
            out.close();
            zip.close();
            QCOMPARE(zip.getZipError(), 0);
        }
        auto archive = io::ZipArchive::open(file);
        QVERIFY2(archive.ok(), qPrintable(archive.ok() ? QString() : archive.error().line()));
        QVERIFY(archive->hostileEntries().isEmpty());
        QCOMPARE(archive->entries().size(), 2);
        auto kick = archive->openEntry(QStringLiteral("01 Kick.wav"));
        QVERIFY(kick);
        QCOMPARE(kick->readAll(), w);
        auto text = archive->openEntry(QStringLiteral("NOTES.txt"));
        QVERIFY(text);
        QCOMPARE(text->readAll(), notes);
    }

    // QuaZip writes whatever name it is given: a traversal name made by a real tool is still flagged.
    void quazipHostileNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("needle");
        QTest::newRow("dotdot") << QStringLiteral("../../../tmp/evil.wav") << QStringLiteral("..");
        QTest::newRow("absolute") << QStringLiteral("/tmp/evil.wav") << QStringLiteral("absolute");
        QTest::newRow("backslash") << QStringLiteral("..\\evil.wav") << QStringLiteral("backslash");
    }

    void quazipHostileNames()
    {
        QFETCH(QString, name);
        QFETCH(QString, needle);
        const QString file = m_dir.filePath(QStringLiteral("quazip-%1.zip").arg(QString::fromLatin1(QTest::currentDataTag())));
        {
            QuaZip zip(file);
            QVERIFY(zip.open(QuaZip::mdCreate));
            QuaZipFile out(&zip);
            QVERIFY(out.open(QIODevice::WriteOnly, QuaZipNewInfo(name)));
            out.write(wavBytes(100));
            out.close();
            zip.close();
        }
        auto archive = io::ZipArchive::open(file);
        QVERIFY(archive.ok());
        const QList<io::ZipProblem> problems = archive->hostileEntries();
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems.first().entry, name);
        QVERIFY2(problems.first().what.contains(needle), qPrintable(problems.first().what));
    }

    // A deflated entry that declares fewer bytes than it holds yields exactly the declared bytes.
    void inflateIsCappedAtDeclaredSize()
    {
        RawZipEntry e = ze(QStringLiteral("big.wav"), QByteArray(1 << 20, 'a'), 8);
        e.declaredSize = 1000;
        const QString file = m_dir.filePath(QStringLiteral("capped.zip"));
        QVERIFY(test::writeFile(file, zipOf({e})));
        auto archive = io::ZipArchive::open(file);
        QVERIFY(archive.ok());
        auto device = archive->openEntry(QStringLiteral("big.wav"));
        QVERIFY(device);
        QCOMPARE(device->readAll().size(), 1000);
    }

    // openEntry's own size limit holds even when the archive passes its checks.
    void openEntryHonoursMaxSize()
    {
        const QString file = m_dir.filePath(QStringLiteral("max.zip"));
        QVERIFY(test::writeFile(file, zipOf({ze(QStringLiteral("a.wav"), QByteArray(4096, 'a'))})));
        auto archive = io::ZipArchive::open(file);
        QVERIFY(archive.ok());
        QString why;
        QVERIFY(!archive->openEntry(QStringLiteral("a.wav"), &why, 1000));
        QVERIFY(why.contains(QLatin1String("larger")));
        QVERIFY(!archive->openEntry(QStringLiteral("missing.wav"), &why));
        QVERIFY(why.contains(QLatin1String("no such entry")));
    }
};

QTEST_GUILESS_MAIN(TestHostileZip)
#include "tst_hostile_zip.moc"
