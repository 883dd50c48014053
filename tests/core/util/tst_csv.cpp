#include "audit/reportwriters.h"
#include "util/csv.h"

#include <QTest>

using namespace stemship;

// One CSV cell writer for every CSV Stemship writes: quoting per RFC 4180, and a text cell a spreadsheet would
// run as a formula made inert, while numbers stay numbers.
class TestCsv : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cells_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("cell");
        QTest::newRow("plain") << QStringLiteral("Kick In") << QStringLiteral("Kick In");
        QTest::newRow("comma") << QStringLiteral("Kick, In") << QStringLiteral("\"Kick, In\"");
        QTest::newRow("quote") << QStringLiteral("12\" kick") << QStringLiteral("\"12\"\" kick\"");
        QTest::newRow("newline") << QStringLiteral("a\nb") << QStringLiteral("\"a\nb\"");
        QTest::newRow("formula =") << QStringLiteral("=SUM(A1)") << QStringLiteral("'=SUM(A1)");
        QTest::newRow("formula +") << QStringLiteral("+1+cmd") << QStringLiteral("'+1+cmd");
        QTest::newRow("formula @") << QStringLiteral("@SUM(1)") << QStringLiteral("'@SUM(1)");
        QTest::newRow("formula -") << QStringLiteral("-2+3+cmd|' /C calc'!A0") << QStringLiteral("'-2+3+cmd|' /C calc'!A0");
        QTest::newRow("formula tab") << QStringLiteral("\t=1") << QStringLiteral("'\t=1");
        QTest::newRow("formula and comma") << QStringLiteral("=HYPERLINK(\"x\"),y")
                                           << QStringLiteral("\"'=HYPERLINK(\"\"x\"\"),y\"");
        QTest::newRow("negative number") << QStringLiteral("-18.25") << QStringLiteral("-18.25");
        QTest::newRow("exponent") << QStringLiteral("-1e-05") << QStringLiteral("-1e-05");
        QTest::newRow("empty") << QString() << QString();
    }

    void cells()
    {
        QFETCH(QString, text);
        QFETCH(QString, cell);
        QCOMPARE(csvCell(text), cell);
    }

    void rowIsCrlfTerminated() { QCOMPARE(csvRow({QStringLiteral("a"), QStringLiteral("=b")}), QStringLiteral("a,'=b\r\n")); }

    // The audit CSV goes through the same cell writer: a stem named like a formula (a relative path as the user
    // typed it) is inert, a negative level stays a number.
    void auditCsvUsesTheGuard()
    {
        audit::AuditReport report;
        audit::StemReport stem;
        stem.path = QStringLiteral("=cmd|' /C calc'!A0.wav");
        stem.readable = true;
        stem.levels.samplePeakDbfs = -18.5;
        report.stems.append(stem);
        const QStringList lines = QString::fromUtf8(audit::reportToCsv(report)).split(QStringLiteral("\r\n"));
        QVERIFY(lines.size() >= 2);
        QVERIFY2(lines[1].startsWith(QStringLiteral("'=cmd|' /C calc'!A0.wav,")), qPrintable(lines[1]));
        QVERIFY2(lines[1].contains(QStringLiteral(",-18.5,")), qPrintable(lines[1]));
    }
};

QTEST_GUILESS_MAIN(TestCsv)
#include "tst_csv.moc"
