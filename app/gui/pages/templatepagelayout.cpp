// The Template page's widgets and their layout; what they do is in templatepage.cpp.

#include "pages/templatepage.h"

#include "models/busmodel.h"
#include "models/routingmodel.h"
#include "models/trackmodel.h"
#include "pages/pagehelpers.h"
#include "templates/templatestore.h"
#include "theme.h"
#include "widgets/delegates.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QMenu>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

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

}  // namespace

// Bundled template, load, save, export.
QLayout *TemplatePage::buildToolbar()
{
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
    return bar;
}

// Tracks and buses (tabs) beside the routing tree.
QWidget *TemplatePage::buildEditor()
{
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
    return splitter;
}

}  // namespace stemship::gui
