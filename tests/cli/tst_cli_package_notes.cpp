// `stemship package` lists the audit's findings in NOTES.txt, measured while pass 1 reads the stems: the same
// lines, in the same words and order, as `stemship audit` reports for the same files (and the GUI and the demo
// deliver), "none" for a clean session.

#include "clirunner.h"
#include "deliverysignals.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

#include <algorithm>

using namespace stemship;
using namespace stemship::test;

namespace {

// NOTES' audit section: the "Audit findings:" line and the indented lines under it.
QStringList findingsSection(const QString &notes)
{
    const QStringList lines = notes.split(u'\n');
    QStringList section;
    const qsizetype at = lines.indexOf(QStringLiteral("Audit findings:"));
    if (at < 0)
        return lines.filter(QStringLiteral("Audit findings"));
    for (qsizetype i = at + 1; i < lines.size() && lines[i].startsWith(QStringLiteral("  ")); ++i)
        section << lines[i].mid(2);
    return section;
}

WriteOptions format(int sfFormat)
{
    WriteOptions options;
    options.sfFormat = sfFormat;
    return options;
}

// What `stemship audit --json` reports, as NOTES words a finding: "File.wav: severity code: message", then the
// set's as "set: severity code: message".
QStringList auditLines(const QByteArray &json)
{
    const QJsonObject root = QJsonDocument::fromJson(json).object();
    QStringList lines;
    auto line = [](const QString &who, const QJsonValue &issue) {
        const QJsonObject i = issue.toObject();
        return QStringLiteral("%1: %2 %3: %4").arg(who, i[QStringLiteral("severity")].toString(), i[QStringLiteral("code")].toString(),
                                                   i[QStringLiteral("message")].toString());
    };
    for (const QJsonValue &stem : root[QStringLiteral("stems")].toArray())
        for (const QJsonValue &issue : stem[QStringLiteral("issues")].toArray())
            lines << line(QFileInfo(stem[QStringLiteral("path")].toString()).fileName(), issue);
    for (const QJsonValue &issue : root[QStringLiteral("issues")].toArray())
        lines << line(QStringLiteral("set"), issue);
    return lines;
}

}  // namespace

class TestCliPackageNotes : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    const CliRunner m_cli{QStringLiteral(STEMSHIP_CLI_PATH)};
    QString m_findings, m_clean;

    CliRun package(const QString &out, const QString &stems, const QStringList &extra) const
    {
        return m_cli.run(QStringList{QStringLiteral("package"), QStringLiteral("-o"), out, QStringLiteral("--tempo"), QStringLiteral("120"),
                                     QStringLiteral("--time-signature"), QStringLiteral("4/4"), QStringLiteral("--version"),
                                     QStringLiteral("1"), QStringLiteral("--quiet"), QStringLiteral("--jobs"), QStringLiteral("2")}
                         + extra + QStringList{stems});
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_findings = m_dir.filePath(QStringLiteral("findings"));
        m_clean = m_dir.filePath(QStringLiteral("clean"));
        QVERIFY(QDir().mkpath(m_findings) && QDir().mkpath(m_clean));
        const int pcm24 = SF_FORMAT_WAV | SF_FORMAT_PCM_24;
        // Integer stem with runs of full-scale samples: clipping (and its true peak over the ceiling).
        Signal hot = scaled(programme(48000, 2, 3.0, 10u, -1.0), 9.0);
        for (float &x : hot.samples)
            x = std::clamp(x, -1.0f, 1.0f);
        QVERIFY(writeAudio(m_findings + QStringLiteral("/Snare Top.wav"), hot, format(pcm24)));
        // A pad riding on a DC offset of 0.02 (-34 dBFS): dc_offset.
        Signal pad = programme(48000, 2, 3.0, 11u, -20.0);
        for (float &x : pad.samples)
            x += 0.02f;
        QVERIFY(writeAudio(m_findings + QStringLiteral("/Pad.wav"), pad, format(pcm24)));
        // A clean stem at another rate and depth: the set's findings name it.
        QVERIFY(writeAudio(m_findings + QStringLiteral("/Kick In.wav"), programme(44100, 1, 3.0, 12u, -12.0),
                           format(SF_FORMAT_WAV | SF_FORMAT_PCM_16)));

        QVERIFY(writeAudio(m_clean + QStringLiteral("/Kick In.wav"), programme(48000, 1, 3.0, 13u, -12.0), format(pcm24)));
        QVERIFY(writeAudio(m_clean + QStringLiteral("/Bass.wav"), programme(48000, 2, 3.0, 14u, -12.0), format(pcm24)));
    }

    void findingsAsTheAuditWordsThem_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QStringList>("auditOptions");
        // Peak mode streams (each stem written as soon as pass 1 has it); balanced plans all gains first.
        QTest::newRow("streamed") << QStringList{QStringLiteral("--gain"), QStringLiteral("peak")} << QStringList{};
        QTest::newRow("two passes") << QStringList{QStringLiteral("--gain"), QStringLiteral("balanced")} << QStringList{};
        // A template brings its names (name_unmatched) and its thresholds.
        QTest::newRow("template") << QStringList{QStringLiteral("--template"), QStringLiteral("band-tracking")}
                                  << QStringList{QStringLiteral("--template"), QStringLiteral("band-tracking")};
    }
    void findingsAsTheAuditWordsThem()
    {
        QFETCH(QStringList, options);
        QFETCH(QStringList, auditOptions);
        const CliRun audit = m_cli.run(QStringList{QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--json"),
                                                   QStringLiteral("-")} + auditOptions + QStringList{m_findings});
        QCOMPARE(audit.exitCode, 1);  // clipping is an error
        const QStringList expected = auditLines(audit.out);
        QVERIFY2(!expected.filter(QStringLiteral("Snare Top.wav: error clipping: ")).isEmpty(), audit.out.constData());
        QVERIFY2(!expected.filter(QStringLiteral("Pad.wav: warning dc_offset: DC offset 0.02")).isEmpty(), audit.out.constData());
        QVERIFY2(!expected.filter(QStringLiteral("set: warning sample_rate_mismatch: ")).isEmpty(), audit.out.constData());

        const QString out = m_dir.filePath(QStringLiteral("%1.zip").arg(QString::fromLatin1(QTest::currentDataTag())));
        const CliRun run = package(out, m_findings, options);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.err.isEmpty(), run.err.constData());  // --quiet stays quiet
        const QString notes = QString::fromUtf8(unzipEntry(out, QStringLiteral("NOTES.txt")));
        QCOMPARE(findingsSection(notes), expected);
    }

    // A stem that cannot be read, left out with --skip-unreadable: NOTES says why, as the audit does.
    void skippedStemAsTheAuditReportsIt()
    {
        const QString session = m_dir.filePath(QStringLiteral("with-broken"));
        QVERIFY(QDir().mkpath(session));
        for (const QString &name : QDir(m_clean).entryList(QDir::Files))
            QVERIFY(QFile::copy(QDir(m_clean).filePath(name), QDir(session).filePath(name)));
        QVERIFY(writeFile(session + QStringLiteral("/Broken.wav"), QByteArray("RIFF\x10\x00\x00\x00WAVEjunkjunkjunk", 20)));
        const CliRun audit = m_cli.run({QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--json"), QStringLiteral("-"), session});
        const QStringList expected = auditLines(audit.out);
        QVERIFY2(!expected.filter(QStringLiteral("Broken.wav: error unreadable: ")).isEmpty(), audit.out.constData());
        const QString out = m_dir.filePath(QStringLiteral("broken.zip"));
        const CliRun run = package(out, session, {QStringLiteral("--skip-unreadable")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(findingsSection(QString::fromUtf8(unzipEntry(out, QStringLiteral("NOTES.txt")))), expected);
    }

    // A session the audit finds nothing in: NOTES says so, as for every delivery made after an audit.
    void cleanSessionSaysNone()
    {
        const CliRun audit = m_cli.run({QStringLiteral("audit"), QStringLiteral("--quiet"), QStringLiteral("--json"), QStringLiteral("-"), m_clean});
        QCOMPARE(audit.exitCode, 0);
        QVERIFY2(auditLines(audit.out).isEmpty(), audit.out.constData());
        const QString out = m_dir.filePath(QStringLiteral("clean.zip"));
        const CliRun run = package(out, m_clean, {QStringLiteral("--gain"), QStringLiteral("peak")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QString notes = QString::fromUtf8(unzipEntry(out, QStringLiteral("NOTES.txt")));
        QCOMPARE(findingsSection(notes), QStringList{QStringLiteral("Audit findings: none")});
    }
};

QTEST_GUILESS_MAIN(TestCliPackageNotes)
#include "tst_cli_package_notes.moc"
