// The audit table's colours come from the audit's findings: a figure is coloured exactly when the report has an
// issue about it, with the issue's severity. Stems are generated so that the old re-checks (true peak against
// -1 dBTP whatever the template said, any clipped sample, correlation below -0.3) and the audit disagree.

#include "guitestsession.h"

#include "audit/issuemeasurement.h"
#include "audit/stemauditor.h"
#include "models/stemtablemodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

#include <cmath>

using namespace stemship;
using namespace stemship::gui;

namespace {

// Left and right with correlation -k (Pearson): L = s, R = -k*s + sqrt(1-k^2)*n with s, n uncorrelated noise.
test::Signal anticorrelated(double k, std::uint32_t seed)
{
    const test::Signal a = test::programme(48000, 1, 2.0, seed, -12.0);
    const test::Signal b = test::programme(48000, 1, 2.0, seed + 100, -12.0);
    test::Signal s{48000, 2, std::vector<float>(a.samples.size() * 2)};
    for (std::size_t i = 0; i < a.samples.size(); ++i) {
        s.samples[2 * i] = a.samples[i];
        s.samples[2 * i + 1] = float(-k * a.samples[i] + std::sqrt(1.0 - k * k) * b.samples[i]);
    }
    return s;
}

// A sine with a run of `runFrames` samples at exactly full scale (a float file: not over, not clipping).
test::Signal withFullScaleRun(int runFrames)
{
    test::Signal s = test::sineDb(48000, 1, 997.0, -6.0, 1.0);
    for (int i = 0; i < runFrames; ++i)
        s.samples[std::size_t(24000 + i)] = 1.0f;
    return s;
}

}  // namespace

class TestStemTableColours : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        test::setUpGuiTest();
        QVERIFY(m_dir.isValid());
        const test::WriteOptions pcm24 = test::wavPcm24();
        test::WriteOptions float32;  // WAV float
        // A 997 Hz sine's true peak is its sample peak within a few hundredths of a dB.
        QVERIFY(test::writeAudio(path("tp -0.8.wav"), test::sineDb(48000, 1, 997.0, -0.8, 1.0), pcm24));
        QVERIFY(test::writeAudio(path("tp -0.2.wav"), test::sineDb(48000, 1, 997.0, -0.2, 1.0), pcm24));
        QVERIFY(test::writeAudio(path("corr -0.5.wav"), anticorrelated(0.5, 7), pcm24));
        QVERIFY(test::writeAudio(path("corr -0.95.wav"), anticorrelated(0.95, 9), pcm24));
        QVERIFY(test::writeAudio(path("float full scale.wav"), withFullScaleRun(8), float32));
        QVERIFY(test::writeAudio(path("short clip.wav"), withFullScaleRun(2), pcm24));
        QVERIFY(test::writeAudio(path("long clip.wav"), withFullScaleRun(6), pcm24));

        // A template whose audit ceiling is -0.5 dBTP and whose phase limit is -0.7: the old model's fixed -1.0 and
        // -0.3 disagree with both.
        audit::AuditOptions options;
        options.settings.truePeakCeilingDbtp = -0.5;
        options.settings.phaseCorrelationMin = -0.7;
        options.settings.clipRunMinSamples = 3;
        QList<Error> errors;
        CancelToken cancel;
        m_report = audit::runAudit(io::collectSources({m_dir.path()}, &errors), options, {}, cancel);
        QVERIFY(errors.isEmpty());
        QCOMPARE(m_report.stems.size(), 7);
        m_model.setReport(&m_report);
    }

    void colouredExactlyWhenTheReportHasAFinding_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("code");      // the finding the report must hold, or "" for none
        QTest::addColumn<int>("status");         // expected theme::Status, -1: not coloured
        const int none = -1;
        const int warning = int(theme::Status::Warning);
        const int error = int(theme::Status::Error);
        QTest::newRow("true peak -0.8 under the template's -0.5") << "tp -0.8.wav" << int(StemTableModel::TruePeak) << "" << none;
        QTest::newRow("true peak -0.2 over it") << "tp -0.2.wav" << int(StemTableModel::TruePeak) << "true_peak_over" << warning;
        QTest::newRow("correlation -0.5 above the limit") << "corr -0.5.wav" << int(StemTableModel::Correlation) << "" << none;
        QTest::newRow("correlation -0.95 below it") << "corr -0.95.wav" << int(StemTableModel::Correlation) << "phase_inverted" << warning;
        QTest::newRow("float at full scale is no clip") << "float full scale.wav" << int(StemTableModel::Peak) << "" << none;
        QTest::newRow("2-sample run is shorter than 3") << "short clip.wav" << int(StemTableModel::Peak) << "" << none;
        QTest::newRow("6-sample run clips") << "long clip.wav" << int(StemTableModel::Peak) << "clipping" << error;
    }

    void colouredExactlyWhenTheReportHasAFinding()
    {
        QFETCH(QString, file);
        QFETCH(int, column);
        QFETCH(QString, code);
        QFETCH(int, status);
        const int row = rowOf(file);
        QVERIFY(row >= 0);
        const audit::StemReport &stem = *m_model.stem(row);
        QCOMPARE(stem.hasIssue(code), !code.isEmpty());
        const QVariant colour = m_model.index(row, column).data(Qt::ForegroundRole);
        if (status < 0) {
            QVERIFY2(!colour.isValid(), qPrintable(file + QStringLiteral(": coloured without a finding")));
            return;
        }
        QCOMPARE(colour.value<QColor>(), theme::statusColour(theme::Status(status), QApplication::palette()));
        QVERIFY(m_model.index(row, column).data(Qt::ToolTipRole).toString().contains(stemIssue(stem, code).message));
    }

    // Every cell of every stem: a colour exactly when one of its findings concerns the column's figure.
    void everyCellAgreesWithTheFindings()
    {
        QAbstractItemModelTester tester(&m_model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QList<int> figures = {StemTableModel::Format, StemTableModel::Rate, StemTableModel::Depth, StemTableModel::Channels,
                                    StemTableModel::Length, StemTableModel::Start, StemTableModel::Peak,
                                    StemTableModel::TruePeak, StemTableModel::Dc, StemTableModel::Correlation};
        int coloured = 0;
        for (int row = 0; row < m_model.rowCount(); ++row)
            for (int column : figures) {
                const audit::StemReport &stem = *m_model.stem(row);
                bool found = false;
                for (const audit::Issue &issue : m_report.issuesFor(stem))
                    found = found || int(audit::measurementOf(issue.code)) == int(measurementOf(column));
                QCOMPARE(m_model.index(row, column).data(Qt::ForegroundRole).isValid(), found);
                coloured += found ? 1 : 0;
            }
        QVERIFY(coloured >= 3);  // the table is not simply blank
    }

private:
    QString path(const char *name) const { return m_dir.filePath(QString::fromUtf8(name)); }

    int rowOf(const QString &file) const
    {
        for (int row = 0; row < m_model.rowCount(); ++row)
            if (QFileInfo(m_model.stem(row)->path).fileName() == file)
                return row;
        return -1;
    }

    static audit::Issue stemIssue(const audit::StemReport &stem, const QString &code)
    {
        for (const audit::Issue &issue : stem.issues)
            if (issue.code == code)
                return issue;
        return {};
    }

    // What this test expects each column to show, written out independently of the model.
    static audit::Measurement measurementOf(int column)
    {
        switch (column) {
        case StemTableModel::Format: return audit::Measurement::Format;
        case StemTableModel::Rate: return audit::Measurement::Rate;
        case StemTableModel::Depth: return audit::Measurement::BitDepth;
        case StemTableModel::Channels: return audit::Measurement::Channels;
        case StemTableModel::Length: return audit::Measurement::Length;
        case StemTableModel::Start: return audit::Measurement::Start;
        case StemTableModel::Peak: return audit::Measurement::SamplePeak;
        case StemTableModel::TruePeak: return audit::Measurement::TruePeak;
        case StemTableModel::Dc: return audit::Measurement::DcOffset;
        case StemTableModel::Correlation: return audit::Measurement::Correlation;
        default: return audit::Measurement::None;
        }
    }

    QTemporaryDir m_dir;
    audit::AuditReport m_report;
    StemTableModel m_model;
};

QTEST_MAIN(TestStemTableColours)
#include "tst_stemtablecolours.moc"
