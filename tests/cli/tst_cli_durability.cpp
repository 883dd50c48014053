// Durable commits (CLI-CONTRACT wave 2): every output is fsynced under its temporary name, renamed into place,
// then its folder is fsynced, before the command exits 0. Checked from outside the process: an LD_PRELOAD shim
// (tests/preload/fsynctrace.c) logs fsync and rename calls in order, with the paths they act on.

#include "childprocess.h"
#include "testsignals.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace stemship;

namespace {

struct Call {
    QString what, path, to;
};

QList<Call> readTrace(const QString &file)
{
    QFile f(file);
    QList<Call> calls;
    if (!f.open(QIODevice::ReadOnly))
        return calls;
    for (const QByteArray &line : f.readAll().split('\n')) {
        const QList<QByteArray> parts = line.split('\t');
        if (parts.size() == 3)
            calls.append({QString::fromUtf8(parts[0]), QString::fromUtf8(parts[1]), QString::fromUtf8(parts[2])});
    }
    return calls;
}

QString canonicalDir(const QString &path) { return QFileInfo(QFileInfo(path).absolutePath()).canonicalFilePath(); }

// The rename onto destination, an fsync of its source path before it, an fsync of destination's folder after.
QString checkDurableCommit(const QList<Call> &calls, const QString &destination)
{
    const QString dest = canonicalDir(destination) + QLatin1Char('/') + QFileInfo(destination).fileName();
    qsizetype renameAt = -1;
    for (qsizetype i = 0; i < calls.size(); ++i)
        if (calls[i].what == QLatin1String("rename") && QFileInfo(calls[i].to).absoluteFilePath() == QFileInfo(destination).absoluteFilePath())
            renameAt = i;
    if (renameAt < 0)
        return QStringLiteral("no rename onto ") + destination;
    const QString temp = canonicalDir(calls[renameAt].path) + QLatin1Char('/') + QFileInfo(calls[renameAt].path).fileName();
    bool tempSynced = false;
    for (qsizetype i = 0; i < renameAt; ++i)
        tempSynced = tempSynced || (calls[i].what == QLatin1String("fsync") && calls[i].path == temp);
    if (!tempSynced)
        return QStringLiteral("the temporary %1 was not fsynced before the rename").arg(temp);
    for (qsizetype i = renameAt + 1; i < calls.size(); ++i)
        if (calls[i].what == QLatin1String("fsync") && calls[i].path == canonicalDir(destination))
            return {};
    return QStringLiteral("the folder of %1 was not fsynced after the rename").arg(dest);
}

}  // namespace

class TestCliDurability : public QObject {
    Q_OBJECT
    QTemporaryDir m_root;
    QString m_sources;
    int m_runs = 0;

    test::ChildRun runTraced(const QStringList &args, const QString &trace)
    {
        test::ChildSetup setup;
        setup.captureDir = m_root.filePath(QStringLiteral("cap-%1").arg(++m_runs));
        QDir().mkpath(setup.captureDir);
        // verify_asan_link_order=0: under the asan preset the shim comes before the ASan runtime.
        setup.environment = {QStringLiteral("LD_PRELOAD=" STEMSHIP_SYNC_TRACE_LIB), QStringLiteral("STEMSHIP_SYNC_TRACE=") + trace,
                             QStringLiteral("ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=0")};
        return test::runChild(QStringLiteral(STEMSHIP_CLI_PATH), args, setup, 120000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        m_sources = m_root.filePath(QStringLiteral("sources"));
        QDir().mkpath(m_sources);
        for (int i = 0; i < 2; ++i)
            QVERIFY(test::writeAudio(m_sources + QStringLiteral("/%1 stem.wav").arg(i + 1), test::programme(48000, 2, 3.0, std::uint32_t(i + 7))));
    }

    void outputsAreDurable_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("output");
        QTest::newRow("package") << QStringList{QStringLiteral("package"), QStringLiteral("--quiet"), QStringLiteral("-o"), QStringLiteral("OUT"),
                                                QStringLiteral("--tempo"), QStringLiteral("120"), QStringLiteral("--time-signature"),
                                                QStringLiteral("4/4"), QStringLiteral("--version"), QStringLiteral("1"), QStringLiteral("SOURCES")}
                                 << "stems.zip";
        QTest::newRow("audit --json") << QStringList{QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--json"),
                                                     QStringLiteral("OUT"), QStringLiteral("SOURCES")} << "audit.json";
        QTest::newRow("audit --html") << QStringList{QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--html"),
                                                     QStringLiteral("OUT"), QStringLiteral("SOURCES")} << "audit.html";
        QTest::newRow("template export dawproject") << QStringList{QStringLiteral("template"), QStringLiteral("export"), QStringLiteral("band-tracking"),
                                                                   QStringLiteral("--format"), QStringLiteral("dawproject"), QStringLiteral("-o"),
                                                                   QStringLiteral("OUT")} << "band.dawproject";
        QTest::newRow("template export csv") << QStringList{QStringLiteral("template"), QStringLiteral("export"), QStringLiteral("band-tracking"),
                                                            QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("-o"),
                                                            QStringLiteral("OUT")} << "band.csv";
    }

    // Before: the delivery zip was renamed without any fsync, and no output's folder was fsynced, so a power
    // loss after exit 0 could leave an empty or torn OUT.
    void outputsAreDurable()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, output);
        const QString outDir = m_root.filePath(QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-')));
        QDir().mkpath(outDir);
        const QString out = outDir + QLatin1Char('/') + output;
        args.replaceInStrings(QStringLiteral("OUT"), out).replaceInStrings(QStringLiteral("SOURCES"), m_sources);
        const QString trace = outDir + QStringLiteral(".trace");
        const test::ChildRun run = runTraced(args, trace);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(QFileInfo::exists(out));
        const QList<Call> calls = readTrace(trace);
        QVERIFY2(!calls.isEmpty(), "the trace shim logged nothing: is LD_PRELOAD honoured?");
        const QString problem = checkDurableCommit(calls, out);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
};

QTEST_GUILESS_MAIN(TestCliDurability)
#include "tst_cli_durability.moc"
