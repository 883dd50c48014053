#include "pages/templatepage.h"

#include "io/atomicfile.h"
#include "models/busmodel.h"
#include "models/routingmodel.h"
#include "models/trackmodel.h"
#include "pages/pagehelpers.h"
#include "session.h"
#include "templates/dawprojectexport.h"
#include "templates/rppexport.h"
#include "templates/templateparser.h"
#include "templates/templatestore.h"
#include "templates/templatewriter.h"
#include "templates/tracksheet.h"
#include "theme.h"
#include "util/counted.h"
#include "widgets/banner.h"
#include "widgets/delegates.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QPushButton>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>

namespace stemship::gui {

namespace {

QString timeSignature(const templates::SessionTemplate &tmpl)
{
    return QStringLiteral("%1/%2").arg(tmpl.timeSignature.numerator).arg(tmpl.timeSignature.denominator);
}

}  // namespace

TemplatePage::TemplatePage(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_tracks(new TrackModel(this)), m_buses(new BusModel(m_tracks, this)),
      m_routing(new RoutingModel(this)),
      m_problems(new QStandardItemModel(this))
{
    setAccessibleName(QStringLiteral("Template page"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(kPageMargin, kPageMargin, kPageMargin, kPageMargin);
    layout->setSpacing(kSpacing);
    layout->addWidget(makePageHeader(QStringLiteral("Template"),
                                     QStringLiteral("The session's tracks, colours, groups and routing. Stems are "
                                                    "matched to tracks by name; exports open as empty DAW sessions."),
                                     this));
    m_banner = new Banner(this);
    layout->addWidget(m_banner);

    layout->addLayout(buildToolbar());
    m_summary = new QLabel(this);
    m_summary->setAccessibleName(QStringLiteral("Template summary"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);

    layout->addWidget(buildEditor(), 1);
    layout->addWidget(makeSectionLabel(QStringLiteral("Validation"), this));
    m_problemView = new QListView(this);
    m_problemView->setAccessibleName(QStringLiteral("Template problems"));
    m_problemView->setModel(m_problems);
    m_problemView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_problemView->setMaximumHeight(84);
    layout->addWidget(m_problemView);

    connectSignals();
    clearTemplate();
}

void TemplatePage::connectSignals()
{
    m_pushTimer.setSingleShot(true);
    m_pushTimer.setInterval(600);
    connect(&m_pushTimer, &QTimer::timeout, this, [this] {
        if (m_valid)
            m_session->setSessionTemplate(m_tracks->sessionTemplate());
    });
    connect(m_combo, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (m_loading)
            return;
        const QString name = m_combo->itemData(index).toString();
        if (name.isEmpty())
            clearTemplate();
        else
            loadBundledTemplate(name);
    });
    connect(m_tracks, &TrackModel::templateEdited, this, &TemplatePage::validateEdits);
    connect(m_busView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TemplatePage::updateTrackButtons);
    connect(m_moveUp, &QPushButton::clicked, this, [this] { moveTrack(-1); });
    connect(m_moveDown, &QPushButton::clicked, this, [this] { moveTrack(+1); });
    connect(m_trackView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TemplatePage::updateTrackButtons);
    connect(m_tracks, &QAbstractItemModel::modelReset, this, &TemplatePage::updateTrackButtons);
    connectEditButtons();
}

// Add, remove and move tracks and buses, keeping a sensible selection.
void TemplatePage::connectEditButtons()
{
    connect(m_addTrack, &QPushButton::clicked, this, [this] {
        const int row = currentTrackRow() + 1;  // below the selection, or first in an empty template
        if (m_tracks->insertRows(row, 1))
            selectTrack(row, TrackModel::Name);
    });
    connect(m_removeTrack, &QPushButton::clicked, this, [this] {
        QList<int> rows;
        for (const QModelIndex &index : m_trackView->selectionModel()->selectedRows())
            rows.append(index.row());
        std::sort(rows.begin(), rows.end(), std::greater<int>());
        for (int row : rows)
            m_tracks->removeRows(row, 1);
        if (!rows.isEmpty() && m_tracks->rowCount() > 0)
            selectTrack(std::min(rows.constLast(), m_tracks->rowCount() - 1), TrackModel::Name);
    });
    connect(m_addBus, &QPushButton::clicked, this, [this] {
        const QModelIndexList rows = m_busView->selectionModel()->selectedRows();
        const int row = rows.isEmpty() ? m_buses->rowCount() : rows.constLast().row() + 1;
        if (m_buses->insertRows(row, 1)) {
            m_busView->selectionModel()->setCurrentIndex(m_buses->index(row, BusModel::Name),
                                                         QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        }
    });
    connect(m_removeBus, &QPushButton::clicked, this, [this] {
        QList<int> rows;
        for (const QModelIndex &index : m_busView->selectionModel()->selectedRows())
            rows.append(index.row());
        std::sort(rows.begin(), rows.end(), std::greater<int>());
        for (int row : rows)
            if (!m_buses->removeRows(row, 1))
                m_banner->showMessage(theme::Status::Warning, QStringLiteral("The mix bus stays: a template has exactly one."));
    });
}

int TemplatePage::currentTrackRow() const
{
    const QModelIndexList rows = m_trackView->selectionModel()->selectedRows();
    return rows.isEmpty() ? m_tracks->rowCount() - 1 : rows.constLast().row();
}

void TemplatePage::selectTrack(int row, int column)
{
    m_trackView->selectionModel()->setCurrentIndex(m_tracks->index(row, column),
                                                   QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_trackView->scrollTo(m_tracks->index(row, column));
}

void TemplatePage::moveTrack(int by)
{
    const QModelIndexList rows = m_trackView->selectionModel()->selectedRows();
    if (rows.size() != 1)
        return;
    const int row = rows.constFirst().row(), to = row + by;
    if (to < 0 || to >= m_tracks->rowCount())
        return;
    // moveRows' destination is the row the track goes before: one further when moving down.
    if (m_tracks->moveRows({}, row, 1, {}, by > 0 ? to + 1 : to))
        selectTrack(to, m_trackView->currentIndex().column() < 0 ? 0 : m_trackView->currentIndex().column());
}

void TemplatePage::updateTrackButtons()
{
    // A template must be loaded (or started from a bundled one) to edit its tracks.
    const bool haveTemplate = !m_origin.isEmpty();
    const QModelIndexList rows = m_trackView->selectionModel()->selectedRows();
    m_addTrack->setEnabled(haveTemplate);
    m_removeTrack->setEnabled(haveTemplate && !rows.isEmpty());
    m_moveUp->setEnabled(haveTemplate && rows.size() == 1 && rows.constFirst().row() > 0);
    m_moveDown->setEnabled(haveTemplate && rows.size() == 1 && rows.constFirst().row() < m_tracks->rowCount() - 1);
    m_addBus->setEnabled(haveTemplate);
    m_removeBus->setEnabled(haveTemplate && !m_busView->selectionModel()->selectedRows().isEmpty());
}

void TemplatePage::show(const templates::SessionTemplate &tmpl, const QString &origin)
{
    m_origin = origin;
    m_tracks->setTemplate(tmpl);
    m_routing->setTemplate(tmpl);
    m_routingView->expandAll();
    m_valid = true;
    m_problems->clear();
    auto *ok = new QStandardItem(theme::statusIcon(theme::Status::Ok), QStringLiteral("Valid: %1").arg(origin));
    m_problems->appendRow(ok);
    m_save->setEnabled(true);
    m_export->setEnabled(true);
    m_banner->clear();
    updateSummary();
    m_session->setSessionTemplate(tmpl);
}

bool TemplatePage::loadBundledTemplate(const QString &name)
{
    auto loaded = templates::loadTemplate(name);
    if (!loaded.ok()) {
        m_banner->showMessage(theme::Status::Error, loaded.error().line());
        return false;
    }
    m_loading = true;
    m_combo->setCurrentIndex(std::max(0, m_combo->findData(name)));
    m_loading = false;
    show(loaded.value(), templates::bundledTemplatePath(name));
    return true;
}

bool TemplatePage::loadTemplateFile(const QString &path)
{
    auto bytes = templates::readTemplateFile(path);
    if (!bytes.ok()) {
        m_banner->showMessage(theme::Status::Error, bytes.error().line());
        return false;
    }
    const templates::TemplateReadResult read = templates::readTemplate(bytes.value());
    if (!read.ok()) {
        const QString fileName = QFileInfo(path).fileName();
        m_problems->clear();
        QStringList lines;
        for (const templates::TemplateProblem &problem : read.problems) {
            const QString line = problem.message(fileName);
            lines.append(line);
            m_problems->appendRow(new QStandardItem(theme::statusIcon(theme::Status::Error), line));
        }
        m_banner->showMessages(theme::Status::Error,
                               QStringList{QStringLiteral("%1: %2; the template was not loaded")
                                               .arg(fileName, counted(read.problems.size(), QStringLiteral("problem")))});
        return false;
    }
    m_loading = true;
    m_combo->setCurrentIndex(-1);
    m_loading = false;
    show(read.tmpl, path);
    return true;
}

void TemplatePage::clearTemplate()
{
    m_origin.clear();
    m_tracks->setTemplate({});
    m_routing->setTemplate({});
    m_problems->clear();
    m_valid = false;
    m_save->setEnabled(false);
    m_export->setEnabled(false);
    m_loading = true;
    m_combo->setCurrentIndex(0);
    m_loading = false;
    m_summary->setText(QStringLiteral("No template: stems are audited on their own, without roles or expected tracks."));
    if (m_session->sessionTemplate())
        m_session->setSessionTemplate(std::nullopt);
}

void TemplatePage::validateEdits()
{
    const templates::SessionTemplate &tmpl = m_tracks->sessionTemplate();
    const QList<templates::TemplateProblem> problems = templates::checkTemplate(tmpl);
    m_tracks->setProblems(problems);
    m_buses->setProblems(problems);
    m_routing->setTemplate(tmpl);
    m_routingView->expandAll();
    m_problems->clear();
    m_valid = problems.isEmpty();
    if (m_valid) {
        m_problems->appendRow(new QStandardItem(theme::statusIcon(theme::Status::Ok), QStringLiteral("Valid (edited)")));
        m_banner->clear();
        m_pushTimer.start();
    } else {
        for (const templates::TemplateProblem &problem : problems)
            m_problems->appendRow(new QStandardItem(theme::statusIcon(theme::Status::Error), problem.text()));
        m_banner->showMessage(theme::Status::Error, QStringLiteral("The edited template has %1; the session keeps the last valid one.")
                                                        .arg(counted(problems.size(), QStringLiteral("problem"))));
    }
    m_save->setEnabled(m_valid);
    m_export->setEnabled(m_valid);
    updateSummary();
}

void TemplatePage::updateSummary()
{
    const templates::SessionTemplate &tmpl = m_tracks->sessionTemplate();
    if (tmpl.tracks.isEmpty() && tmpl.name.isEmpty())
        return;
    m_summary->setText(QStringLiteral("<b>%1</b> \u00b7 %2 tracks \u00b7 %3 groups \u00b7 %4 buses \u00b7 %5 BPM %6 \u00b7 "
                                      "default target %7 \u00b7 ceiling %8 dBTP<br><span>%9</span>")
                           .arg((tmpl.title.isEmpty() ? tmpl.name : tmpl.title).toHtmlEscaped())
                           .arg(tmpl.tracks.size())
                           .arg(tmpl.groups.size())
                           .arg(tmpl.buses.size())
                           .arg(tmpl.tempoBpm, 0, 'g', 6)
                           .arg(timeSignature(tmpl), templates::describeTarget(tmpl.defaultTarget))
                           .arg(tmpl.audit.truePeakCeilingDbtp, 0, 'f', 1)  // the one ceiling: what the audit judges
                           .arg(tmpl.description.toHtmlEscaped()));
}

bool TemplatePage::saveTemplate(const QString &path)
{
    if (!m_valid) {
        m_banner->showMessage(theme::Status::Warning, QStringLiteral("Fix the template's problems before saving it."));
        return false;
    }
    const QByteArray json = templates::templateToJson(m_tracks->sessionTemplate());
    // Beside it, fsynced, renamed into place, its folder fsynced: a crash never leaves it torn.
    if (const Status written = io::writeFileAtomically(path, json); !written) {
        m_banner->showMessage(theme::Status::Error, written.error().line());
        return false;
    }
    m_banner->showMessage(theme::Status::Ok, QStringLiteral("Template saved to %1").arg(path));
    return true;
}

bool TemplatePage::exportTemplate(ExportFormat format, const QString &path)
{
    if (!m_valid) {
        m_banner->showMessage(theme::Status::Warning, QStringLiteral("Fix the template's problems before exporting it."));
        return false;
    }
    const templates::SessionTemplate &tmpl = m_tracks->sessionTemplate();
    Status status;
    switch (format) {
    case ExportFormat::DawProject:
        status = templates::exportDawProject(tmpl, path);
        break;
    case ExportFormat::Rpp:
        status = templates::exportRpp(tmpl, path);
        break;
    case ExportFormat::TrackSheetCsv:
        status = templates::exportTrackSheetCsv(tmpl, path);
        break;
    case ExportFormat::TrackSheetHtml:
        status = templates::exportTrackSheetHtml(tmpl, path);
        break;
    }
    if (!status.ok()) {
        m_banner->showMessage(theme::Status::Error, status.error().line());
        return false;
    }
    m_banner->showMessage(theme::Status::Ok, QStringLiteral("Exported to %1").arg(path));
    return true;
}

void TemplatePage::exportDialog(ExportFormat format)
{
    const QString base = m_tracks->sessionTemplate().name.isEmpty() ? QStringLiteral("session") : m_tracks->sessionTemplate().name;
    QString suggested;
    QString filter;
    switch (format) {
    case ExportFormat::DawProject:
        suggested = base + QStringLiteral(".dawproject");
        filter = QStringLiteral("DAWproject (*.dawproject)");
        break;
    case ExportFormat::Rpp:
        suggested = base + QStringLiteral(".rpp");
        filter = QStringLiteral("REAPER project (*.rpp)");
        break;
    case ExportFormat::TrackSheetCsv:
        suggested = base + QStringLiteral("-tracks.csv");
        filter = QStringLiteral("CSV (*.csv)");
        break;
    case ExportFormat::TrackSheetHtml:
        suggested = base + QStringLiteral("-tracks.html");
        filter = QStringLiteral("HTML (*.html)");
        break;
    }
    const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export Template"), suggested, filter);
    if (!path.isEmpty())
        exportTemplate(format, path);
}

}  // namespace stemship::gui
