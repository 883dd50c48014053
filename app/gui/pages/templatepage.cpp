#include "pages/templatepage.h"

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
#include <QSaveFile>
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

// One tab of the template: an editable table (colour swatches, choices from the model's options) over a row
// of buttons.
struct TablePane {
    QWidget *pane;
    QTableView *view;
    QHBoxLayout *buttons;
    QPushButton *addButton(const QString &text, const QString &accessibleName) const
    {
        auto *button = new QPushButton(text, pane);
        button->setAccessibleName(accessibleName);
        buttons->addWidget(button);
        return button;
    }
};

TablePane makeTablePane(QWidget *parent, QAbstractItemModel *model, const QString &accessibleName, int colourColumn,
                        std::initializer_list<int> comboColumns, std::initializer_list<std::pair<int, int>> widths)
{
    TablePane p{new QWidget(parent), nullptr, new QHBoxLayout};
    auto *layout = new QVBoxLayout(p.pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    p.view = new QTableView(p.pane);
    p.view->setAccessibleName(accessibleName);
    p.view->setModel(model);
    setupTable(p.view);
    p.view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                            | QAbstractItemView::AnyKeyPressed);
    p.view->setItemDelegateForColumn(colourColumn, new ColourDelegate(p.view));
    for (int column : comboColumns)
        p.view->setItemDelegateForColumn(column, new ComboDelegate(TrackModel::OptionsRole, p.view));
    for (const auto &[column, width] : widths)
        p.view->setColumnWidth(column, width);
    layout->addWidget(p.view, 1);
    p.buttons->setSpacing(6);
    layout->addLayout(p.buttons);
    return p;
}

QString timeSignature(const templates::SessionTemplate &tmpl)
{
    return QStringLiteral("%1/%2").arg(tmpl.timeSignatureNumerator).arg(tmpl.timeSignatureDenominator);
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

    auto *bar = new QHBoxLayout;
    bar->setSpacing(8);
    m_combo = new QComboBox(this);
    m_combo->setAccessibleName(QStringLiteral("Bundled template"));
    m_combo->setMinimumWidth(260);
    m_combo->addItem(QStringLiteral("No template"), QString());
    for (const templates::TemplateInfo &info : templates::bundledTemplates())
        m_combo->addItem(QStringLiteral("%1 \u00b7 %2 tracks").arg(info.title.isEmpty() ? info.name : info.title).arg(info.trackCount),
                         info.name);
    auto *load = new QPushButton(QStringLiteral("Load file\u2026"), this);
    theme::setTintedIcon(load, QStringLiteral("open"));
    load->setAccessibleName(QStringLiteral("Load a template file"));
    m_save = new QPushButton(QStringLiteral("Save as\u2026"), this);
    m_save->setAccessibleName(QStringLiteral("Save the template"));
    m_export = new QPushButton(QStringLiteral("Export"), this);
    m_export->setAccessibleName(QStringLiteral("Export the template"));
    auto *exportMenu = new QMenu(m_export);
    exportMenu->addAction(QStringLiteral("DAWproject (.dawproject)\u2026"), this, [this] { exportDialog(ExportFormat::DawProject); });
    exportMenu->addAction(QStringLiteral("REAPER project (.rpp)\u2026"), this, [this] { exportDialog(ExportFormat::Rpp); });
    exportMenu->addAction(QStringLiteral("Track sheet (CSV)\u2026"), this, [this] { exportDialog(ExportFormat::TrackSheetCsv); });
    exportMenu->addAction(QStringLiteral("Track sheet (HTML)\u2026"), this, [this] { exportDialog(ExportFormat::TrackSheetHtml); });
    m_export->setMenu(exportMenu);
    bar->addWidget(m_combo);
    bar->addWidget(load);
    bar->addWidget(m_save);
    bar->addWidget(m_export);
    bar->addStretch();
    layout->addLayout(bar);
    m_summary = new QLabel(this);
    m_summary->setAccessibleName(QStringLiteral("Template summary"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    m_tabs = new QTabWidget(splitter);
    m_tabs->setAccessibleName(QStringLiteral("Tracks and buses"));
    m_tabs->setDocumentMode(true);
    TablePane tracks = makeTablePane(m_tabs, m_tracks, QStringLiteral("Template tracks"), TrackModel::Colour,
                                     {TrackModel::Group, TrackModel::Layout, TrackModel::Output},
                                     {{TrackModel::Name, 160}, {TrackModel::Colour, 110}, {TrackModel::Group, 100},
                                      {TrackModel::Layout, 70}, {TrackModel::Output, 110}, {TrackModel::Target, 110}});
    m_trackView = tracks.view;
    m_addTrack = tracks.addButton(QStringLiteral("Add track"), QStringLiteral("Add a track below the selected one"));
    m_removeTrack = tracks.addButton(QStringLiteral("Remove"), QStringLiteral("Remove the selected tracks"));
    m_moveUp = tracks.addButton(QStringLiteral("Move up"), QStringLiteral("Move the selected track up"));
    m_moveDown = tracks.addButton(QStringLiteral("Move down"), QStringLiteral("Move the selected track down"));
    tracks.buttons->addStretch();
    m_tabs->addTab(tracks.pane, QStringLiteral("Tracks"));
    TablePane buses = makeTablePane(m_tabs, m_buses, QStringLiteral("Template buses"), BusModel::Colour,
                                    {BusModel::Kind, BusModel::Output},
                                    {{BusModel::Name, 150}, {BusModel::Id, 110}, {BusModel::Kind, 70},
                                     {BusModel::Colour, 110}, {BusModel::Output, 110}});
    m_busView = buses.view;
    m_addBus = buses.addButton(QStringLiteral("Add bus"), QStringLiteral("Add a group bus"));
    m_removeBus = buses.addButton(QStringLiteral("Remove"), QStringLiteral("Remove the selected buses; what they fed goes to the mix bus"));
    buses.buttons->addStretch();
    m_tabs->addTab(buses.pane, QStringLiteral("Buses"));
    m_routingView = new QTreeView(splitter);
    m_routingView->setAccessibleName(QStringLiteral("Routing"));
    m_routingView->setModel(m_routing);
    m_routingView->setUniformRowHeights(true);
    m_routingView->setAlternatingRowColors(true);
    m_routingView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_routingView->header()->setStretchLastSection(true);
    m_routingView->setColumnWidth(RoutingModel::Name, 200);
    m_routingView->setColumnWidth(RoutingModel::Kind, 90);
    splitter->addWidget(m_tabs);
    splitter->addWidget(m_routingView);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    layout->addWidget(makeSectionLabel(QStringLiteral("Validation"), this));
    m_problemView = new QListView(this);
    m_problemView->setAccessibleName(QStringLiteral("Template problems"));
    m_problemView->setModel(m_problems);
    m_problemView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_problemView->setMaximumHeight(84);
    layout->addWidget(m_problemView);

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
    connect(load, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Load Template"), QString(),
                                                          QStringLiteral("Stemship templates (*.json);;All files (*)"));
        if (!path.isEmpty())
            loadTemplateFile(path);
    });
    connect(m_save, &QPushButton::clicked, this, [this] {
        const QString name = m_tracks->sessionTemplate().name.isEmpty() ? QStringLiteral("template") : m_tracks->sessionTemplate().name;
        const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Save Template"), name + QStringLiteral(".json"),
                                                          QStringLiteral("Stemship templates (*.json)"));
        if (!path.isEmpty())
            saveTemplate(path);
    });
    connect(m_tracks, &TrackModel::templateEdited, this, &TemplatePage::validateEdits);
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
    connect(m_busView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TemplatePage::updateTrackButtons);
    connect(m_moveUp, &QPushButton::clicked, this, [this] { moveTrack(-1); });
    connect(m_moveDown, &QPushButton::clicked, this, [this] { moveTrack(+1); });
    connect(m_trackView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TemplatePage::updateTrackButtons);
    connect(m_tracks, &QAbstractItemModel::modelReset, this, &TemplatePage::updateTrackButtons);
    clearTemplate();
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
                               QStringList{QStringLiteral("%1: %2 problem%3; the template was not loaded")
                                               .arg(fileName)
                                               .arg(read.problems.size())
                                               .arg(read.problems.size() == 1 ? QString() : QStringLiteral("s"))});
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
            m_problems->appendRow(new QStandardItem(theme::statusIcon(theme::Status::Error), problem.where() + QStringLiteral(": ") + problem.what));
        m_banner->showMessage(theme::Status::Error, QStringLiteral("The edited template has %1 problem%2; the session keeps the last valid one.")
                                                        .arg(problems.size())
                                                        .arg(problems.size() == 1 ? QString() : QStringLiteral("s")));
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
                           .arg(tmpl.truePeakCeilingDbtp, 0, 'f', 1)
                           .arg(tmpl.description.toHtmlEscaped()));
}

bool TemplatePage::saveTemplate(const QString &path)
{
    if (!m_valid) {
        m_banner->showMessage(theme::Status::Warning, QStringLiteral("Fix the template's problems before saving it."));
        return false;
    }
    const QByteArray json = templates::templateToJson(m_tracks->sessionTemplate());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size() || !file.commit()) {
        m_banner->showMessage(theme::Status::Error, QStringLiteral("%1: %2").arg(path, file.errorString()));
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
