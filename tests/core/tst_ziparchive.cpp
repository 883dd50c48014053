#include "deliverysignals.h"
#include "io/ziparchive.h"

#include <QIODevice>
#include <QTemporaryDir>
#include <QTest>

using namespace stemship;
using namespace stemship::test;

// ZipArchive: central directory parsing, random-access entry devices, hostile entries.
class TestZipArchive : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString writeZip(const QString &name, const QList<RawZipEntry> &entries, bool zip64 = false)
    {
        const QString path = m_dir.filePath(name);
        if (!writeFile(path, buildZip(entries, zip64)))
            return {};
        return path;
    }

    static QByteArray pattern(int bytes)
    {
        QByteArray data(bytes, '\0');
        for (int i = 0; i < bytes; ++i)
            data[i] = char((i * 7 + i / 251) & 0xff);
        return data;
    }

private Q_SLOTS:
    void listsEntries_data()
    {
        QTest::addColumn<bool>("zip64");
        QTest::newRow("classic") << false;
        QTest::newRow("zip64") << true;
    }
    void listsEntries()
    {
        QFETCH(bool, zip64);
        const QByteArray a = pattern(1000), b = pattern(300000);
        const QString path = writeZip(QStringLiteral("list.zip"),
                                      {{QStringLiteral("a.wav"), a}, {QStringLiteral("dir/b.bin"), b, 8}}, zip64);
        auto zip = io::ZipArchive::open(path);
        QVERIFY2(zip.ok(), qPrintable(zip.ok() ? QString() : zip.error().line()));
        QCOMPARE(zip->entries().size(), 2);
        QCOMPARE(zip->entries()[0].name, QStringLiteral("a.wav"));
        QCOMPARE(zip->entries()[0].size, std::uint64_t(1000));
        QCOMPARE(zip->entries()[0].method, 0);
        QCOMPARE(zip->entries()[1].method, 8);
        QCOMPARE(zip->entries()[1].size, std::uint64_t(b.size()));
        QVERIFY(zip->entries()[1].compressedSize < zip->entries()[1].size);
        QVERIFY(zip->hostileEntries().isEmpty());
    }

    void storedEntryIsRandomAccess()
    {
        const QByteArray data = pattern(100000);
        const QString path = writeZip(QStringLiteral("stored.zip"),
                                      {{QStringLiteral("x.txt"), QByteArrayLiteral("hello")}, {QStringLiteral("a.wav"), data}});
        auto zip = io::ZipArchive::open(path);
        QVERIFY(zip.ok());
        auto dev = zip->openEntry(QStringLiteral("a.wav"));
        QVERIFY(dev);
        QVERIFY(!dev->isSequential());
        QCOMPARE(dev->size(), qint64(data.size()));
        QCOMPARE(dev->readAll(), data);
        QVERIFY(dev->seek(50000));
        QCOMPARE(dev->read(100), data.mid(50000, 100));
        QVERIFY(dev->seek(10));
        QCOMPARE(dev->read(10), data.mid(10, 10));
        QVERIFY(dev->seek(data.size() - 5));
        QCOMPARE(dev->read(100), data.right(5));
        QVERIFY(dev->atEnd());
        QVERIFY(!dev->seek(data.size() + 1));
        QVERIFY(!dev->isWritable());
        QCOMPARE(dev->write(QByteArrayLiteral("x")), qint64(-1));
    }

    void deflatedEntrySeeksByRestarting()
    {
        const QByteArray data = pattern(500000);
        const QString path = writeZip(QStringLiteral("deflated.zip"), {{QStringLiteral("b.bin"), data, 8}});
        auto zip = io::ZipArchive::open(path);
        QVERIFY(zip.ok());
        auto dev = zip->openEntry(QStringLiteral("b.bin"));
        QVERIFY(dev);
        QVERIFY(dev->seek(400000));
        QCOMPARE(dev->read(1000), data.mid(400000, 1000));
        QVERIFY(dev->seek(123));
        QCOMPARE(dev->read(77), data.mid(123, 77));
        QVERIFY(dev->seek(0));
        QCOMPARE(dev->readAll(), data);
    }

    void missingEntryAndNotAZip()
    {
        const QString path = writeZip(QStringLiteral("one.zip"), {{QStringLiteral("a"), QByteArrayLiteral("x")}});
        auto zip = io::ZipArchive::open(path);
        QVERIFY(zip.ok());
        QString why;
        QVERIFY(!zip->openEntry(QStringLiteral("b"), &why));
        QVERIFY(!why.isEmpty());

        const QString junk = m_dir.filePath(QStringLiteral("junk.zip"));
        QVERIFY(writeFile(junk, QByteArray(5000, 'j')));
        auto bad = io::ZipArchive::open(junk);
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().file, junk);
        QVERIFY(!io::ZipArchive::open(m_dir.filePath(QStringLiteral("nope.zip"))).ok());
    }

    void rejectsHostileEntries_data()
    {
        QTest::addColumn<QList<RawZipEntry>>("entries");
        QTest::addColumn<QString>("culprit");
        const QByteArray d = QByteArrayLiteral("data");
        QTest::newRow("dotdot") << QList<RawZipEntry>{{QStringLiteral("../evil.wav"), d}} << QStringLiteral("../evil.wav");
        QTest::newRow("inner dotdot") << QList<RawZipEntry>{{QStringLiteral("a/../../evil"), d}} << QStringLiteral("a/../../evil");
        QTest::newRow("absolute") << QList<RawZipEntry>{{QStringLiteral("/etc/passwd"), d}} << QStringLiteral("/etc/passwd");
        QTest::newRow("backslash") << QList<RawZipEntry>{{QStringLiteral("..\\evil.wav"), d}} << QStringLiteral("..\\evil.wav");
        QTest::newRow("drive") << QList<RawZipEntry>{{QStringLiteral("C:/evil.wav"), d}} << QStringLiteral("C:/evil.wav");
        RawZipEntry link{QStringLiteral("link.wav"), QByteArrayLiteral("/etc/passwd")};
        link.symlink = true;
        QTest::newRow("symlink") << QList<RawZipEntry>{link} << QStringLiteral("link.wav");
        QTest::newRow("duplicate") << QList<RawZipEntry>{{QStringLiteral("a.wav"), d}, {QStringLiteral("a.wav"), d}}
                                   << QStringLiteral("a.wav");
        QTest::newRow("case duplicate") << QList<RawZipEntry>{{QStringLiteral("A.wav"), d}, {QStringLiteral("a.WAV"), d}}
                                        << QStringLiteral("a.WAV");
        RawZipEntry liar{QStringLiteral("bomb.wav"), QByteArray(1000, 'z'), 8};
        liar.declaredSize = std::uint64_t(3) << 30;
        QTest::newRow("declared bomb") << QList<RawZipEntry>{liar} << QStringLiteral("bomb.wav");
        RawZipEntry zeros{QStringLiteral("zeros.bin"), QByteArray(32 << 20, '\0'), 8};
        QTest::newRow("real bomb") << QList<RawZipEntry>{zeros} << QStringLiteral("zeros.bin");
        RawZipEntry secret{QStringLiteral("secret.wav"), d};
        secret.encrypted = true;
        QTest::newRow("encrypted") << QList<RawZipEntry>{secret} << QStringLiteral("secret.wav");
    }
    void rejectsHostileEntries()
    {
        QFETCH(QList<RawZipEntry>, entries);
        QFETCH(QString, culprit);
        const QString path = writeZip(QStringLiteral("hostile-%1.zip").arg(QString::fromLatin1(QTest::currentDataTag())), entries);
        auto zip = io::ZipArchive::open(path);
        QVERIFY(zip.ok());
        const auto problems = zip->hostileEntries();
        QVERIFY(!problems.isEmpty());
        bool named = false;
        for (const auto &p : problems)
            named = named || p.entry == culprit;
        QVERIFY2(named, qPrintable(problems.first().entry + QStringLiteral(": ") + problems.first().what));
    }

    void refusesSymlinkAndDuplicateDevices()
    {
        RawZipEntry link{QStringLiteral("link"), QByteArrayLiteral("target")};
        link.symlink = true;
        const QString path = writeZip(QStringLiteral("dev.zip"),
                                      {link, {QStringLiteral("d"), QByteArrayLiteral("1")}, {QStringLiteral("d"), QByteArrayLiteral("2")}});
        auto zip = io::ZipArchive::open(path);
        QVERIFY(zip.ok());
        QVERIFY(zip->entries()[0].isSymlink);
        QVERIFY(!zip->openEntry(QStringLiteral("link")));
        QVERIFY(!zip->openEntry(QStringLiteral("d")));
    }

    void deflatedOutputIsCappedAtDeclaredSize()
    {
        RawZipEntry liar{QStringLiteral("short.bin"), pattern(10000), 8};
        liar.declaredSize = 100;
        const QString path = writeZip(QStringLiteral("cap.zip"), {liar});
        auto zip = io::ZipArchive::open(path);
        QVERIFY(zip.ok());
        auto dev = zip->openEntry(QStringLiteral("short.bin"));
        QVERIFY(dev);
        QCOMPARE(dev->readAll().size(), 100);
    }
};

QTEST_GUILESS_MAIN(TestZipArchive)
#include "tst_ziparchive.moc"
