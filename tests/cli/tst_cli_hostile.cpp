// The CLI over sets that hold bad files: the good stems are still reported, exit 1, one stderr line per problem
// naming the file, inputs byte-identical, nothing created outside the destination, memory and time bounded.

#include "auditsupport.h"
#include "childprocess.h"
#include "deliverysignals.h"
#include "filetree.h"
#include "testsignals.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

#include <sys/resource.h>
#include <sys/stat.h>

using namespace stemship;


#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
using stemship::test::hashTree;
using stemship::test::issueCodes;
using stemship::test::listTree;

namespace {

using Run = test::ChildRun;

// Runs the CLI in a child of its own (fork/exec, so wait4 gives this child's peak RSS), with an optional address
// space limit, a working directory and TMPDIR of the test's choosing, killed after timeoutMs.
Run runCli(const QStringList &args, const QString &workDir, const QString &tmpDir, int timeoutMs = 120000,
             rlim_t addressSpaceBytes = 0)
{
    QTemporaryDir capture;
    test::ChildSetup setup;
    setup.captureDir = capture.path();
    setup.workDir = workDir;
    setup.tmpDir = tmpDir;
    // Under AddressSanitizer the shadow memory needs terabytes of address space, so the cap would only
    // kill the sanitizer; peak RSS (wait4) still bounds memory there.
    if (!kSanitized)
        setup.addressSpaceBytes = addressSpaceBytes;
    return test::runChild(QStringLiteral(STEMSHIP_CLI_PATH), args, setup, timeoutMs);
}

QString describe(const Run &r)
{
    return QStringLiteral("exit %1 signal %2%3, %4 ms, %5 MiB; stderr: %6")
        .arg(r.exitCode).arg(r.signal).arg(r.timedOut ? QStringLiteral(" TIMED OUT") : QString())
        .arg(r.elapsedMs).arg(r.maxRssKiB / 1024).arg(QString::fromUtf8(r.err.left(1500)));
}

void put(QByteArray &out, std::uint64_t value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out.append(char((value >> (8 * i)) & 0xff));
}

// A 16-bit stereo 48 kHz WAV header whose data chunk declares dataBytes.
QByteArray wavHeader(std::uint32_t dataBytes)
{
    QByteArray b("RIFF", 4);
    put(b, 36 + std::uint64_t(dataBytes), 4);
    b += "WAVEfmt ";
    put(b, 16, 4); put(b, 1, 2); put(b, 2, 2); put(b, 48000, 4); put(b, 48000 * 4, 4); put(b, 4, 2); put(b, 16, 2);
    b += "data";
    put(b, dataBytes, 4);
    return b;
}

// A 32-bit float mono 48 kHz WAV with a NaN and an Inf among ordinary samples.
QByteArray nonFiniteWav()
{
    QByteArray b("RIFF", 4);
    const int frames = 4800;
    put(b, 36 + frames * 4, 4);
    b += "WAVEfmt ";
    put(b, 16, 4); put(b, 3, 2); put(b, 1, 2); put(b, 48000, 4); put(b, 48000 * 4, 4); put(b, 4, 2); put(b, 32, 2);
    b += "data";
    put(b, frames * 4, 4);
    for (int i = 0; i < frames; ++i) {
        float f = 0.25f * std::sin(float(i) * 0.05f);
        if (i == 100) f = std::numeric_limits<float>::quiet_NaN();
        if (i == 200) f = std::numeric_limits<float>::infinity();
        std::uint32_t u;
        std::memcpy(&u, &f, 4);
        put(b, u, 4);
    }
    return b;
}

// Four readable 24-bit stems (WAV, FLAC, AIFF) in folder; the paths of those written.
QStringList writeGoodStems(const QString &folder)
{
    QStringList good;
    for (const char *name : {"01 Kick.wav", "02 Snare.wav", "03 Bass.flac", "04 Keys.aiff"}) {
        const QString path = folder + QLatin1Char('/') + QLatin1String(name);
        const int format = path.endsWith(QLatin1String(".flac")) ? (SF_FORMAT_FLAC | SF_FORMAT_PCM_24)
                         : path.endsWith(QLatin1String(".aiff")) ? (SF_FORMAT_AIFF | SF_FORMAT_PCM_24)
                                                                 : (SF_FORMAT_WAV | SF_FORMAT_PCM_24);
        if (test::writeAudio(path, test::sineDb(48000, 2, 220.0, -12.0, 2.0), {format, {}}))
            good.append(path);
    }
    return good;
}

// How many of the run's stderr lines name path.
int stderrLinesNaming(const Run &run, const QString &path)
{
    int lines = 0;
    for (const QString &l : QString::fromUtf8(run.err).split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        lines += l.contains(path) ? 1 : 0;
    return lines;
}

// An RF64 header (16-bit stereo 48 kHz) whose ds64 chunk declares a 1 TiB data chunk.
QByteArray rf64Header()
{
    QByteArray b("RF64", 4);
    put(b, 0xFFFFFFFFu, 4);
    b += "WAVEds64";
    put(b, 28, 4);
    put(b, std::uint64_t(1) << 40, 8);
    put(b, std::uint64_t(1) << 40, 8);
    put(b, std::uint64_t(1) << 38, 8);
    put(b, 0, 4);
    b += "fmt ";
    put(b, 16, 4); put(b, 1, 2); put(b, 2, 2); put(b, 48000, 4); put(b, 48000 * 4, 4); put(b, 4, 2); put(b, 16, 2);
    b += "data";
    put(b, 0xFFFFFFFFu, 4);
    return b;
}

QJsonObject stemFor(const QJsonObject &report, const QString &path)
{
    for (const auto &v : report.value(QStringLiteral("stems")).toArray())
        if (v.toObject().value(QStringLiteral("path")).toString() == path)
            return v.toObject();
    return {};
}

// Valid template whose patterns backtrack exponentially (kept out of the class: moc misreads raw strings there).
QByteArray redosTemplate()
{
    return R"({"format": "stemship-template/1", "name": "redos", "title": "R", "tempo_bpm": 120, "time_signature": "4/4",
              "tracks": [ { "name": "Kick", "patterns": ["^(a+)+$", "^(a|aa)+$", "(x+x+)+y"] } ],
              "buses": [ { "id": "mix", "name": "Mix", "kind": "mix" } ]})";
}

// The template of a resourceBounds row: 10 MB, 100 000 levels deep, one huge key holding many values, or a
// catastrophic pattern.
QByteArray hostileTemplate(const QString &kind)
{
    if (kind == QLatin1String("template10m"))
        return "{\"format\": \"stemship-template/1\", \"description\": \"" + QByteArray(10 << 20, 'x') + "\"}";
    if (kind == QLatin1String("templatedeep"))
        return "{\"format\": \"stemship-template/1\", \"description\": " + QByteArray(100000, '[') + QByteArray(100000, ']') + "}";
    if (kind == QLatin1String("templatekeys")) {
        // One 300 000-character key holding 300 000 values: under the 1 MiB file limit, but every value's
        // JSON pointer repeats the key.
        return "{\"format\": \"stemship-template/1\", \"" + QByteArray(300000, 'k') + "\": ["
             + QByteArray("0,").repeated(299999) + "0]}";
    }
    return redosTemplate();
}

// A manifest whose checksum and length are lies.
QByteArray lyingManifest()
{
    return R"({"title":"x","version":"1","stems":[{"file":"01 Kick.wav","source":"k.wav","sha256":"0000","frames":99999999}]})";
}

constexpr long kMaxRssKiB = 200 * 1024;  // 200 MiB: the bound every hostile input must stay under

}  // namespace

class TestCliHostile : public QObject {
    Q_OBJECT
    QTemporaryDir m_root;
    QString m_work, m_tmp;

    QString dir(const QString &name)
    {
        const QString d = m_root.filePath(name);
        QDir().mkpath(d);
        return d;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        QVERIFY(QFileInfo(QStringLiteral(STEMSHIP_CLI_PATH)).isExecutable());
        m_work = dir(QStringLiteral("cwd"));
        m_tmp = dir(QStringLiteral("tmp"));
    }

    void init()
    {
        // Each command starts from an empty working directory and TMPDIR, and must leave them empty.
        QVERIFY(listTree(m_work).isEmpty());
        QVERIFY(listTree(m_tmp).isEmpty());
    }

    void cleanup()
    {
        QVERIFY2(listTree(m_work).isEmpty(), qPrintable(listTree(m_work).join(QLatin1Char(' '))));
        QVERIFY2(listTree(m_tmp).isEmpty(), qPrintable(listTree(m_tmp).join(QLatin1Char(' '))));
    }

    // One bad file never stops the rest: good stems measured, bad ones reported once each on stderr.
    void badFilesAmongGoodStems()
    {
        const QString set = dir(QStringLiteral("set"));
        const QString out = dir(QStringLiteral("report"));
        const QStringList good = writeGoodStems(set);
        QCOMPARE(good.size(), 4);
        struct Bad { QString name; QByteArray bytes; QString code; };
        QByteArray truncated = wavHeader(48000 * 4 * 10);  // declares 10 s, holds 0.5 s
        truncated += QByteArray(48000 * 2, '\x10');
        const QList<Bad> bad{
            {QStringLiteral("05 Empty.wav"), QByteArray(), QStringLiteral("unreadable")},
            {QStringLiteral("06 Random.wav"), QByteArray(5000, '\x7f'), QStringLiteral("unreadable")},
            {QStringLiteral("07 Truncated.wav"), truncated, QStringLiteral("truncated")},
            {QStringLiteral("08 Liar \"quoted\" \u00e9.wav"), wavHeader(0xFFFFFFF0u) + QByteArray(4000, '\x01'), QStringLiteral("truncated")},
            {QStringLiteral("09 NaN.wav"), nonFiniteWav(), QStringLiteral("non_finite")},
            {QStringLiteral("10 Header only.aiff"), QByteArray("FORM\0\0\0\x04" "AIFF", 12), QStringLiteral("unreadable")},
        };
        for (const Bad &b : bad)
            QVERIFY(test::writeFile(set + QLatin1Char('/') + b.name, b.bytes));
        // A FIFO and a directory named like audio, and a broken zip, in the same folder.
        QCOMPARE(mkfifo(QFile::encodeName(set + QStringLiteral("/11 Pipe.wav")).constData(), 0600), 0);
        QVERIFY(QDir().mkpath(set + QStringLiteral("/12 Folder.wav")));
        QVERIFY(test::writeFile(set + QStringLiteral("/13 Broken.zip"), QByteArray("PK\x03\x04 not really a zip")));

        const QHash<QString, QByteArray> before = hashTree(set);
        const QStringList treeBefore = listTree(set);
        const QString json = out + QStringLiteral("/report.json");
        const Run run = runCli({QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--jobs"), QStringLiteral("2"),
                                  QStringLiteral("--json"), json, set}, m_work, m_tmp);
        QVERIFY2(!run.timedOut && run.signal == 0, qPrintable(describe(run)));
        QCOMPARE(run.exitCode, 1);

        QFile f(json);
        QVERIFY2(f.open(QIODevice::ReadOnly), "no JSON report written");
        QJsonParseError parseError;
        const QJsonObject report = QJsonDocument::fromJson(f.readAll(), &parseError).object();
        QCOMPARE(parseError.error, QJsonParseError::NoError);
        for (const QString &path : good) {
            const QJsonObject stem = stemFor(report, path);
            QVERIFY2(!stem.isEmpty(), qPrintable(path + QStringLiteral(" missing from the report")));
            QCOMPARE(stem.value(QStringLiteral("sample_rate")).toInt(), 48000);
            QVERIFY2(stem.value(QStringLiteral("integrated_lufs")).isDouble(), qPrintable(path));
            QVERIFY2(!issueCodes(stem).contains(QStringLiteral("unreadable")), qPrintable(path));
        }
        for (const Bad &b : bad) {
            const QString path = set + QLatin1Char('/') + b.name;
            const QJsonObject stem = stemFor(report, path);
            QVERIFY2(!stem.isEmpty(), qPrintable(path + QStringLiteral(" missing from the report")));
            QVERIFY2(issueCodes(stem).contains(b.code), qPrintable(path + QStringLiteral(": ") + issueCodes(stem).join(QLatin1Char(','))));
        }
        // Every problem file is named on exactly one stderr line; good stems are not named there.
        QStringList problemFiles;
        for (const Bad &b : bad)
            problemFiles.append(set + QLatin1Char('/') + b.name);
        problemFiles << set + QStringLiteral("/11 Pipe.wav") << set + QStringLiteral("/12 Folder.wav") << set + QStringLiteral("/13 Broken.zip");
        for (const QString &path : problemFiles)
            QVERIFY2(stderrLinesNaming(run, path) == 1, qPrintable(QStringLiteral("%1 named on %2 stderr lines; stderr:\n%3")
                                                                       .arg(path).arg(stderrLinesNaming(run, path)).arg(QString::fromUtf8(run.err.left(3000)))));
        for (const QString &path : good)
            QVERIFY2(stderrLinesNaming(run, path) == 0, qPrintable(path));

        // Inputs untouched, nothing new beside them.
        QCOMPARE(listTree(set), treeBefore);
        QCOMPARE(hashTree(set), before);
        QCOMPARE(listTree(out), QStringList{json});
    }

    // A file name holding a newline cannot split one problem over two stderr lines.
    void newlineInFileName()
    {
        const QString set = dir(QStringLiteral("newline"));
        const QString bad = set + QStringLiteral("/evil\nERROR forged.wav");
        QVERIFY(test::writeFile(bad, QByteArray(300, 'x')));
        QVERIFY(test::writeAudio(set + QStringLiteral("/good.wav"), test::sineDb(48000, 1, 440.0, -12.0, 1.0)));
        const Run run = runCli({QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--json"), QStringLiteral("-"), set}, m_work, m_tmp);
        QVERIFY2(!run.timedOut && run.signal == 0, qPrintable(describe(run)));
        QCOMPARE(run.exitCode, 1);
        QJsonParseError parseError;
        const QJsonObject report = QJsonDocument::fromJson(run.out, &parseError).object();
        QCOMPARE(parseError.error, QJsonParseError::NoError);
        QVERIFY(!stemFor(report, bad).isEmpty());  // JSON keeps the exact name
        for (const QString &l : QString::fromUtf8(run.err).split(QLatin1Char('\n')))
            QVERIFY2(!l.startsWith(QLatin1String("ERROR forged")), "a file name forged a stderr line");
    }

    void resourceBounds_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("expectExit");
        QTest::newRow("wav declaring 4 GiB") << "wav4g" << 1;
        QTest::newRow("rf64 declaring 1 TiB") << "rf64" << 1;
        QTest::newRow("256 MiB sparse wav streams") << "sparse" << 0;
        QTest::newRow("zip entry declaring 4 GiB") << "zipliar" << 1;
        QTest::newRow("zip bomb 200 MiB of zeros") << "zipbomb" << 1;
        QTest::newRow("template of 10 MB") << "template10m" << 2;
        QTest::newRow("template 100000 levels deep") << "templatedeep" << 1;
        QTest::newRow("template long key, many values") << "templatekeys" << 1;
        QTest::newRow("template catastrophic pattern") << "templateredos" << 1;  // 1: the template's Kick is missing
    }

    // Peak RSS of the CLI child under 200 MiB and a bounded run time, whatever the input declares.
    void resourceBounds()
    {
        QFETCH(QString, kind);
        QFETCH(int, expectExit);
        const QString d = dir(QStringLiteral("res-") + kind);
        const QString good = d + QStringLiteral("/good.wav");
        QVERIFY(test::writeAudio(good, test::sineDb(48000, 2, 440.0, -12.0, 1.0), {SF_FORMAT_WAV | SF_FORMAT_PCM_16, {}}));
        QStringList args{QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--json"), d + QStringLiteral("/r.json")};
        QString input;
        if (kind == QLatin1String("wav4g")) {
            input = d + QStringLiteral("/liar.wav");
            QVERIFY(test::writeFile(input, wavHeader(0xFFFFFFF0u) + QByteArray(192000, '\x02')));
        } else if (kind == QLatin1String("rf64")) {
            input = d + QStringLiteral("/liar.wav");
            QVERIFY(test::writeFile(input, rf64Header() + QByteArray(192000, '\x03')));
        } else if (kind == QLatin1String("sparse")) {
            input = d + QStringLiteral("/long.wav");
            const std::uint32_t bytes = 256u << 20;
            QVERIFY(test::writeFile(input, wavHeader(bytes)));
            QFile f(input);
            QVERIFY(f.resize(44 + qint64(bytes)));  // sparse: 256 MiB of digital silence, 23 minutes
        } else if (kind == QLatin1String("zipliar") || kind == QLatin1String("zipbomb")) {
            input = d + QStringLiteral("/delivery.zip");
            test::RawZipEntry e;
            e.name = QStringLiteral("stem.wav");
            e.method = 8;
            if (kind == QLatin1String("zipliar")) {
                e.data = wavHeader(4000) + QByteArray(4000, '\x04');
                e.declaredSize = 0xFFFFFFF0u;
            } else {
                e.data = wavHeader(0xFFFFFFF0u) + QByteArray(200 << 20, '\0');
            }
            QVERIFY(test::writeFile(input, test::buildZip({e})));
        } else if (kind.startsWith(QLatin1String("template"))) {
            const QString tmpl = d + QStringLiteral("/t.json");
            const QByteArray json = hostileTemplate(kind);
            if (kind == QLatin1String("templateredos")) {
                const QString name = d + QLatin1Char('/') + QString(200, QLatin1Char('a')) + QStringLiteral("!.wav");
                QVERIFY(test::writeAudio(name, test::sineDb(48000, 1, 440.0, -12.0, 0.5)));
            }
            QVERIFY(json.size() < (10 << 20) + 100);
            QVERIFY(test::writeFile(tmpl, json));
            args << QStringLiteral("--template") << tmpl;
        }
        args << d;
        const QHash<QString, QByteArray> before = hashTree(d);
        // 4 GiB of address space is far above the 200 MiB asked for, and keeps a runaway child from the machine.
        const Run run = runCli(args, m_work, m_tmp, 120000, rlim_t(4) << 30);
        QVERIFY2(!run.timedOut, qPrintable(describe(run)));
        QVERIFY2(run.signal == 0, qPrintable(describe(run)));
        QVERIFY2(run.maxRssKiB < kMaxRssKiB, qPrintable(describe(run)));
        QVERIFY2(run.elapsedMs < 60000, qPrintable(describe(run)));
        QVERIFY2(run.exitCode == expectExit, qPrintable(describe(run)));
        qInfo("%s: exit %d, %lld ms, peak RSS %ld MiB", qPrintable(kind), run.exitCode, run.elapsedMs, run.maxRssKiB / 1024);
        if (expectExit == 2)
            QVERIFY2(run.err.contains(QFile::encodeName(d + QStringLiteral("/t.json"))), run.err.constData());
        QHash<QString, QByteArray> after = hashTree(d);
        after.remove(d + QStringLiteral("/r.json"));
        QCOMPARE(after, before);
        if (!input.isEmpty() && expectExit == 1) {
            QFile f(d + QStringLiteral("/r.json"));
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QJsonObject report = QJsonDocument::fromJson(f.readAll()).object();
            QVERIFY2(!stemFor(report, good).isEmpty(), "the good stem is missing");
            QVERIFY2(issueCodes(stemFor(report, good)).isEmpty() || !issueCodes(stemFor(report, good)).contains(QStringLiteral("unreadable")), "good stem not read");
        }
    }

    // verify over hostile deliveries: exit 1 naming the entry, nothing extracted anywhere.
    void verifyHostileZips_data()
    {
        QTest::addColumn<QByteArray>("zip");
        QTest::addColumn<QString>("needle");
        const QByteArray w = wavHeader(4000) + QByteArray(4000, '\x05');
        auto entry = [](const QString &name, const QByteArray &data, int method = 0) {
            test::RawZipEntry e;
            e.name = name;
            e.data = data;
            e.method = method;
            return e;
        };
        QTest::newRow("dotdot") << test::buildZip({entry(QStringLiteral("../../../escaped.wav"), w)}) << "escaped.wav";
        QTest::newRow("absolute") << test::buildZip({entry(QStringLiteral("/tmp/stemship-escaped.wav"), w)}) << "stemship-escaped.wav";
        test::RawZipEntry link = entry(QStringLiteral("link.wav"), QByteArray("/etc/passwd"));
        link.symlink = true;
        QTest::newRow("symlink") << test::buildZip({link}) << "link.wav";
        QTest::newRow("bomb") << test::buildZip({entry(QStringLiteral("zeros.wav"), QByteArray(50 << 20, '\0'), 8)}) << "zeros.wav";
        const QByteArray manifest = lyingManifest();
        QTest::newRow("lying manifest") << test::buildZip({entry(QStringLiteral("01 Kick.wav"), w), entry(QStringLiteral("manifest.json"), manifest)}) << "01 Kick.wav";
        QTest::newRow("not a zip") << QByteArray(1000, 'z') << "delivery.zip";
    }

    void verifyHostileZips()
    {
        QFETCH(QByteArray, zip);
        QFETCH(QString, needle);
        const QString d = dir(QStringLiteral("verify-") + QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_')));
        const QString file = d + QStringLiteral("/delivery.zip");
        QVERIFY(test::writeFile(file, zip));
        const QStringList rootBefore = listTree(m_root.path());
        const Run run = runCli({QStringLiteral("verify"), file}, m_work, m_tmp, 60000, rlim_t(4) << 30);
        QVERIFY2(!run.timedOut && run.signal == 0, qPrintable(describe(run)));
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.maxRssKiB < kMaxRssKiB, qPrintable(describe(run)));
        QVERIFY2(QByteArray(run.err + run.out).contains(needle.toUtf8()), qPrintable(describe(run)));
        QCOMPARE(listTree(m_root.path()), rootBefore);
        QVERIFY(!QFileInfo::exists(QStringLiteral("/tmp/stemship-escaped.wav")));
        QCOMPARE(test::readFile(file), zip);
    }
};

QTEST_GUILESS_MAIN(TestCliHostile)
#include "tst_cli_hostile.moc"
