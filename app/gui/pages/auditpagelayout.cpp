// The Audit page's widgets and their layout; what they do is in auditpage.cpp.

#include "pages/auditpage.h"

#include "jobs.h"
#include "models/stemtablemodel.h"
#include "pages/pagehelpers.h"
#include "session.h"
#include "theme.h"
#include "widgets/profilepicker.h"
#include "widgets/waveformview.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
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

// Open, reference, run, cancel, progress, profile, summary, export.
QLayout *AuditPage::buildToolbar()
{
    auto *bar = new QHBoxLayout;
    bar->setSpacing(8);
    m_open = new QPushButton(QStringLiteral("Open\u2026"), this);
    theme::setTintedIcon(m_open, QStringLiteral("open"));
    m_open->setAccessibleName(QStringLiteral("Open stems"));
    m_run = new QPushButton(QStringLiteral("Run audit"), this);
    m_run->setAccessibleName(QStringLiteral("Run audit"));
    m_cancel = new QPushButton(QStringLiteral("Cancel"), this);
    m_cancel->setAccessibleName(QStringLiteral("Cancel audit"));
    m_cancel->setEnabled(false);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, kProgressRange);
    m_progress->setAccessibleName(QStringLiteral("Audit progress"));
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(240);
    m_progress->setVisible(false);
    m_summary = new QLabel(this);
    m_summary->setAccessibleName(QStringLiteral("Audit summary"));
    buildExportButton();
    buildReferenceButton();
    bar->addWidget(m_open);
    bar->addWidget(m_reference);
    bar->addWidget(m_run);
    bar->addWidget(m_cancel);
    bar->addWidget(m_progress);
    bar->addSpacing(8);
    m_profilePicker = new ProfilePicker(m_session, true, this);
    bar->addWidget(m_profilePicker);
    bar->addSpacing(8);
    bar->addWidget(m_summary, 1);
    bar->addWidget(m_export);
    return bar;
}

void AuditPage::buildExportButton()
{
    m_export = new QPushButton(QStringLiteral("Export report"), this);
    m_export->setAccessibleName(QStringLiteral("Export report"));
    m_export->setToolTip(QStringLiteral("Save the report as HTML, JSON or CSV (Ctrl+E)"));
    auto *exportMenu = new QMenu(m_export);
    exportMenu->addAction(QStringLiteral("HTML\u2026"), this, [this] { exportReportDialog(); });
    exportMenu->addAction(QStringLiteral("JSON\u2026"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export JSON"), QStringLiteral("audit.json"),
                                                          QStringLiteral("JSON (*.json)"));
        if (!path.isEmpty())
            exportReport(ReportFormat::Json, path);
    });
    exportMenu->addAction(QStringLiteral("CSV\u2026"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export CSV"), QStringLiteral("audit.csv"),
                                                          QStringLiteral("CSV (*.csv)"));
        if (!path.isEmpty())
            exportReport(ReportFormat::Csv, path);
    });
    m_export->setMenu(exportMenu);
}

void AuditPage::buildReferenceButton()
{
    m_reference = new QPushButton(QStringLiteral("Reference mix\u2026"), this);
    m_reference->setAccessibleName(QStringLiteral("Reference mix"));
    m_reference->setToolTip(QStringLiteral("Null-test the stems against the mix they came from: offsets, polarity, master gain"));
    auto *referenceMenu = new QMenu(m_reference);
    referenceMenu->addAction(QStringLiteral("Choose reference mix\u2026"), this, [this] { chooseReference(); });
    referenceMenu->addAction(QStringLiteral("No reference"), this, [this] { m_session->setReferencePath(QString()); });
    m_reference->setMenu(referenceMenu);
}

void AuditPage::buildStemTable(QSplitter *splitter)
{
    m_view = new QTableView(splitter);
    m_view->setAccessibleName(QStringLiteral("Stems"));
    m_view->setModel(m_proxy);
    setupTable(m_view);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->setColumnWidth(StemTableModel::Status, 30);
    m_view->setColumnWidth(StemTableModel::Stem, 170);
    m_view->setColumnWidth(StemTableModel::Role, 104);
    m_view->setColumnWidth(StemTableModel::Profile, 150);
    m_view->setColumnWidth(StemTableModel::Format, 104);
    for (int column : {int(StemTableModel::Rate), int(StemTableModel::Peak), int(StemTableModel::TruePeak),
                       int(StemTableModel::Rms), int(StemTableModel::Lufs), int(StemTableModel::Start),
                       int(StemTableModel::Length)})
        m_view->setColumnWidth(column, 72);
    for (int column : {int(StemTableModel::Depth), int(StemTableModel::Lra),
                       int(StemTableModel::Correlation)})
        m_view->setColumnWidth(column, 50);
    m_view->setColumnWidth(StemTableModel::Channels, 60);  // the layout: "stereo", "7.1.4"
    m_view->setColumnWidth(StemTableModel::Dc, 72);
    m_view->setColumnWidth(StemTableModel::TruePeak, 86);

}

// The selected stem's waveform and loudness curve beside its issues.
QWidget *AuditPage::buildDetails(QSplitter *splitter)
{
    auto *details = new QWidget(splitter);
    auto *detailsLayout = new QHBoxLayout(details);
    detailsLayout->setContentsMargins(0, 4, 0, 0);
    detailsLayout->setSpacing(kSpacing);
    auto *plots = new QWidget(details);
    auto *plotsLayout = new QVBoxLayout(plots);
    plotsLayout->setContentsMargins(0, 0, 0, 0);
    plotsLayout->setSpacing(6);
    m_selectionTitle = makeSectionLabel(QStringLiteral("Waveform"), plots);
    plotsLayout->addWidget(m_selectionTitle);
    m_waveform = new WaveformView(plots);
    m_waveform->setClickAction(WaveformView::ClickAction::Seek);
    plotsLayout->addWidget(m_waveform, 1);
    plotsLayout->addWidget(makeSectionLabel(QStringLiteral("Loudness over time \u00b7 momentary, short-term (LUFS)"), plots));
    m_loudness = new LoudnessView(plots);
    plotsLayout->addWidget(m_loudness, 1);
    detailsLayout->addWidget(plots, 3);
    auto *issuesColumn = new QWidget(details);
    auto *issuesLayout = new QVBoxLayout(issuesColumn);
    issuesLayout->setContentsMargins(0, 0, 0, 0);
    issuesLayout->setSpacing(6);
    issuesLayout->addWidget(makeSectionLabel(QStringLiteral("Issues"), issuesColumn));
    m_issueView = new QListView(issuesColumn);
    m_issueView->setAccessibleName(QStringLiteral("Issues of the selected stem and the set"));
    m_issueView->setModel(m_issues);
    m_issueView->setWordWrap(true);
    m_issueView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_issueView->setSpacing(2);
    issuesLayout->addWidget(m_issueView, 1);
    detailsLayout->addWidget(issuesColumn, 2);
    return details;
}

}  // namespace stemship::gui
