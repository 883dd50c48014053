#include "pages/auditpage.h"

#include "audit/referencecheck.h"
#include "audit/reportwriters.h"
#include "audit/stemauditor.h"
#include "io/atomicfile.h"
#include "jobs.h"
#include "models/stemtablemodel.h"
#include "pages/pagehelpers.h"
#include "session.h"
#include "theme.h"
#include "util/counted.h"
#include "widgets/banner.h"
#include "widgets/meterbridge.h"
#include "widgets/profilepicker.h"
#include "widgets/waveformview.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace stemship::gui {

AuditPage::AuditPage(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_model(new StemTableModel(this)), m_proxy(new QSortFilterProxyModel(this)),
      m_issues(new QStandardItemModel(this))
{
    setAccessibleName(QStringLiteral("Audit page"));
    m_pool.setMaxThreadCount(1);  // one audit at a time; runAudit spreads the stems over the global pool
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(StemTableModel::SortRole);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(kPageMargin, kPageMargin, kPageMargin, kPageMargin);
    layout->setSpacing(kSpacing);
    layout->addWidget(makePageHeader(QStringLiteral("Audit"),
                                     QStringLiteral("Measure every stem and check it, alone and as a set: format, "
                                                    "alignment, peaks, loudness, DC, phase, names."),
                                     this));
    m_banner = new Banner(this);
    layout->addWidget(m_banner);

    layout->addLayout(buildToolbar());
    m_nullVerdict = new QLabel(this);
    m_nullVerdict->setAccessibleName(QStringLiteral("Null test against the reference mix"));
    m_nullVerdict->setWordWrap(true);
    m_nullVerdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_nullVerdict->setVisible(false);
    layout->addWidget(m_nullVerdict);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);
    buildStemTable(splitter);
    QWidget *details = buildDetails(splitter);
    splitter->addWidget(m_view);
    splitter->addWidget(details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);
    connectSignals();
    onReportChanged();
}

void AuditPage::connectSignals()
{
    connect(m_open, &QPushButton::clicked, this, &AuditPage::openRequested);
    connect(m_run, &QPushButton::clicked, this, &AuditPage::startAudit);
    connect(m_cancel, &QPushButton::clicked, this, &AuditPage::cancelAudit);
    connect(&m_watcher, &QFutureWatcher<audit::AuditReport>::progressValueChanged, m_progress, &QProgressBar::setValue);
    connect(&m_watcher, &QFutureWatcher<audit::AuditReport>::finished, this, &AuditPage::onFinished);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &AuditPage::showSelection);
    connect(m_session, &Session::reportChanged, this, &AuditPage::onReportChanged);
    connect(m_session, &Session::referenceChanged, this, [this] {
        const QString path = m_session->referencePath();
        m_reference->setText(path.isEmpty() ? QStringLiteral("Reference mix\u2026") : QStringLiteral("Reference: ") + QFileInfo(path).fileName());
        if (!m_session->isEmpty() && m_session->report())
            startAudit();  // the verdict belongs to the reference
    });
    connect(m_session, &Session::templateChanged, this, [this] {
        if (!m_session->isEmpty() && m_session->report())
            startAudit();  // roles and template checks depend on the template
    });
    connect(m_session, &Session::profileChanged, this, [this] {
        if (!m_session->isEmpty() && m_session->report())
            startAudit();  // verdicts and the sum come from the audit
    });
    connect(m_profilePicker, &ProfilePicker::problem, this, [this](const QString &text) {
        m_banner->showMessage(theme::Status::Error, text);
    });
}

AuditPage::~AuditPage()
{
    cancelAudit();
    m_watcher.waitForFinished();
}

void AuditPage::startAudit()
{
    if (m_session->isEmpty()) {
        m_banner->showMessage(theme::Status::Info, QStringLiteral("Open stems to audit: Ctrl+O, or drop files, folders or a delivery zip anywhere."));
        return;
    }
    if (m_watcher.isRunning()) {
        // A new request supersedes the running audit: cancel it, and start again when it has stopped.
        cancelAudit();
        m_watcher.waitForFinished();
    }
    m_banner->clear();
    audit::AuditOptions options;
    options.sessionTemplate = m_session->sessionTemplate();
    if (options.sessionTemplate)
        options.settings = options.sessionTemplate->audit;
    options.profile = m_session->profile();
    options.sum = m_session->sumEnabled();
    const QList<io::StemSource> sources = m_session->stemSources();
    if (!m_session->referencePath().isEmpty())
        options.reference = audit::ReferenceOptions{io::StemSource{m_session->referencePath(), m_session->referencePath(), {}}};
    m_cancelToken = std::make_shared<CancelToken>();
    m_progress->setValue(0);
    m_progress->setVisible(true);
    m_cancel->setEnabled(true);
    m_run->setEnabled(false);
    m_summary->setText(QStringLiteral("Auditing %1 stems\u2026").arg(sources.size()));
    m_watcher.setFuture(startJob<audit::AuditReport>(
        &m_pool, m_cancelToken, [sources, options](const ProgressSink &progress, const CancelToken &cancel) {
            return audit::runAudit(sources, options, progress, cancel);
        }));
}

void AuditPage::cancelAudit()
{
    if (m_cancelToken)
        m_cancelToken->cancel();
}

void AuditPage::onFinished()
{
    m_progress->setVisible(false);
    m_cancel->setEnabled(false);
    m_run->setEnabled(true);
    const QFuture<audit::AuditReport> future = m_watcher.future();
    if (future.resultCount() == 0) {
        m_banner->showMessage(theme::Status::Error, QStringLiteral("The audit stopped without a result."));
        updateSummary();
        Q_EMIT auditFinished();
        return;
    }
    audit::AuditReport report = future.result();
    if (report.cancelled || (m_cancelToken && m_cancelToken->cancelled())) {
        m_banner->showMessage(theme::Status::Info, QStringLiteral("Audit cancelled; the previous results are kept."));
        updateSummary();
        Q_EMIT auditFinished();
        return;
    }
    if (report.referenceError)
        m_banner->showMessage(theme::Status::Error, QStringLiteral("Reference mix: ") + report.referenceError->line());
    m_session->setReport(std::move(report));
    Q_EMIT auditFinished();
}

void AuditPage::chooseReference()
{
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Reference Mix"), QString(),
                                                      QStringLiteral("Audio (*.wav *.wave *.bwf *.rf64 *.w64 *.aif *.aiff *.aifc *.flac *.caf *.ogg);;All files (*)"));
    if (!path.isEmpty())
        m_session->setReferencePath(path);
}

// The verdict as core words it: what failed, each stem that is off, the master gain, what the fit leaves and where.
void AuditPage::showNullVerdict()
{
    const auto &report = m_session->report();
    const QStringList lines = report ? audit::nullVerdictLines(*report) : QStringList();
    m_nullVerdict->setVisible(!lines.isEmpty());
    if (lines.isEmpty())
        return;
    const theme::Status status = report->reference->null.passed ? theme::Status::Ok : theme::Status::Warning;
    QString html = QStringLiteral("<span style=\"color:%1\">%2</span> <b>%3</b>")
                       .arg(theme::statusColour(status, palette()).name(), report->reference->null.passed ? QStringLiteral("\u2714") : QStringLiteral("\u26a0"),
                            lines.first().toHtmlEscaped());
    for (qsizetype i = 1; i < lines.size(); ++i)
        html += QStringLiteral("<br>&nbsp;&nbsp;&nbsp;") + lines[i].trimmed().toHtmlEscaped();
    m_nullVerdict->setText(html);
}

void AuditPage::onReportChanged()
{
    const std::optional<audit::AuditReport> report = m_session->fullReport();  // the sum is a row of the table
    m_model->setReport(report ? &*report : nullptr);
    m_view->setColumnHidden(StemTableModel::Profile, !report || report->profileName.isEmpty());
    m_export->setEnabled(report.has_value());
    if (m_proxy->rowCount() > 0)
        m_view->selectRow(0);
    showSelection();
    updateSummary();
    showNullVerdict();
}

void AuditPage::updateSummary()
{
    const auto &report = m_session->report();
    if (!report) {
        m_summary->setText(m_session->isEmpty() ? QStringLiteral("No stems open") : QStringLiteral("Not audited yet"));
        return;
    }
    const std::optional<audit::AuditReport> full = m_session->fullReport();  // the sum's findings count too
    const int errors = full->count(audit::Severity::Error);
    const int warnings = full->count(audit::Severity::Warning);
    const QPalette p = palette();
    const auto coloured = [&p](theme::Status status, const QString &text) {
        return QStringLiteral("<span style=\"color:%1\">%2</span>").arg(theme::statusColour(status, p).name(), text);
    };
    QString text = QStringLiteral("<b>%1 stems</b>").arg(report->stems.size());
    if (!report->templateName.isEmpty())
        text += QStringLiteral(" \u00b7 template %1").arg(report->templateName.toHtmlEscaped());
    if (!report->profileName.isEmpty())
        text += QStringLiteral(" \u00b7 profile %1").arg(report->profileName.toHtmlEscaped());
    text += QStringLiteral(" \u00b7 ") + coloured(errors ? theme::Status::Error : theme::Status::Ok,
                                                 counted(errors, QStringLiteral("error")));
    text += QStringLiteral(" \u00b7 ") + coloured(warnings ? theme::Status::Warning : theme::Status::Ok,
                                                 counted(warnings, QStringLiteral("warning")));
    if (const auto &sum = m_session->sumReport(); sum && sum->readable)
        text += QStringLiteral(" \u00b7 sum %1 LUFS").arg(formatDb(sum->levels.integratedLufs));
    m_summary->setText(text);
}

void AuditPage::showSelection()
{
    m_issues->clear();
    const QModelIndex current = m_proxy->mapToSource(m_view->selectionModel()->currentIndex());
    const audit::StemReport *stem = m_model->stem(current.row());
    const auto addIssue = [this](const audit::Issue &issue, const QString &prefix) {
        auto *item = new QStandardItem(theme::statusIcon(theme::statusFor(issue.severity)), prefix + issue.message);
        item->setToolTip(issue.code + (issue.paths.isEmpty() ? QString() : QStringLiteral("\n") + issue.paths.join(QLatin1Char('\n'))));
        item->setData(issue.code, Qt::UserRole);
        m_issues->appendRow(item);
    };
    if (stem) {
        m_selectionTitle->setText(QStringLiteral("Waveform \u00b7 ") + QFileInfo(stem->path).fileName());
        if (stem->overview.maximum.empty())
            m_waveform->clear(stem->readable ? QStringLiteral("No waveform") : QStringLiteral("Unreadable: nothing to draw"));
        else
            m_waveform->setOverview(stem->overview, stem->info.durationSeconds());
        m_loudness->setCurve(stem->loudness, stem->levels.integratedLufs);
        for (const audit::Issue &issue : stem->issues)
            addIssue(issue, QString());
        if (stem->issues.isEmpty()) {
            auto *ok = new QStandardItem(theme::statusIcon(theme::Status::Ok), QStringLiteral("No issues with this stem"));
            m_issues->appendRow(ok);
        }
    } else {
        m_selectionTitle->setText(QStringLiteral("Waveform"));
        m_waveform->clear(m_session->isEmpty() ? QStringLiteral("Drop stems anywhere, or press Ctrl+O")
                                               : QStringLiteral("Select a stem"));
        m_loudness->clear(QStringLiteral("Loudness appears after the audit"));
    }
    // The set's findings that concern this stem (or no stem in particular, like a missing track).
    if (const auto &report = m_session->report())
        for (const audit::Issue &issue : report->issues)
            if (!stem || issue.paths.isEmpty() || issue.paths.contains(stem->path))
                addIssue(issue, QStringLiteral("Set: "));
    const auto &tmpl = m_session->sessionTemplate();
    const auto &profile = m_session->profile();
    if (profile && profile->integrated && profile->integrated->aimLufs())
        m_loudness->setTarget(*profile->integrated->aimLufs());
    else if (tmpl && tmpl->defaultTarget.measure == templates::TargetMeasure::Lufs)
        m_loudness->setTarget(tmpl->defaultTarget.valueDb);
    else
        m_loudness->setTarget(std::nullopt);
}

bool AuditPage::exportReport(ReportFormat format, const QString &path)
{
    const std::optional<audit::AuditReport> report = m_session->fullReport();
    if (!report) {
        m_banner->showMessage(theme::Status::Info, QStringLiteral("Run the audit before exporting a report."));
        return false;
    }
    const QByteArray bytes = format == ReportFormat::Html   ? audit::reportToHtml(*report)
                             : format == ReportFormat::Json ? audit::reportToJsonBytes(*report)
                                                            : audit::reportToCsv(*report);
    // Beside it, fsynced, renamed into place, its folder fsynced: a crash never leaves it torn.
    if (const Status written = io::writeFileAtomically(path, bytes); !written) {
        m_banner->showMessage(theme::Status::Error, written.error().line());
        return false;
    }
    m_banner->showMessage(theme::Status::Ok, QStringLiteral("Report saved to %1").arg(path));
    return true;
}

void AuditPage::exportReportDialog()
{
    if (!m_session->report()) {
        m_banner->showMessage(theme::Status::Info, QStringLiteral("Run the audit before exporting a report."));
        return;
    }
    QString selected;
    const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export Audit Report"), QStringLiteral("audit.html"),
                                                      QStringLiteral("HTML (*.html);;JSON (*.json);;CSV (*.csv)"), &selected);
    if (path.isEmpty())
        return;
    const QString suffix = QFileInfo(path).suffix().toLower();
    const ReportFormat format = suffix == QLatin1String("json")  ? ReportFormat::Json
                                : suffix == QLatin1String("csv") ? ReportFormat::Csv
                                                                 : ReportFormat::Html;
    exportReport(format, path);
}

}  // namespace stemship::gui
