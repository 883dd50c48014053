#pragma once

// Template: pick a bundled template or load a file, edit its tracks in a table, see the routing as a tree,
// validate with located problems, save, and export to DAWproject, REAPER and track sheets.

#include "templates/sessiontemplate.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLayout;
class QListView;
class QPushButton;
class QStandardItemModel;
class QTabWidget;
class QTableView;
class QTreeView;

namespace stemship::gui {

class Banner;
class BusModel;
class RoutingModel;
class Session;
class TrackModel;

class TemplatePage : public QWidget {
    Q_OBJECT

public:
    enum class ExportFormat { DawProject, Rpp, TrackSheetCsv, TrackSheetHtml };

    explicit TemplatePage(Session *session, QWidget *parent = nullptr);

    bool loadBundledTemplate(const QString &name);
    bool loadTemplateFile(const QString &path);
    void clearTemplate();
    bool saveTemplate(const QString &path);
    bool exportTemplate(ExportFormat format, const QString &path);

    TrackModel *trackModel() const { return m_tracks; }
    BusModel *busModel() const { return m_buses; }
    QTableView *busView() const { return m_busView; }
    QPushButton *addBusButton() const { return m_addBus; }
    QPushButton *removeBusButton() const { return m_removeBus; }
    QTabWidget *tabs() const { return m_tabs; }
    RoutingModel *routingModel() const { return m_routing; }
    QStandardItemModel *problemModel() const { return m_problems; }
    QComboBox *templateCombo() const { return m_combo; }
    QTableView *trackView() const { return m_trackView; }
    QPushButton *addTrackButton() const { return m_addTrack; }
    QPushButton *removeTrackButton() const { return m_removeTrack; }
    QPushButton *moveUpButton() const { return m_moveUp; }
    QPushButton *moveDownButton() const { return m_moveDown; }
    Banner *banner() const { return m_banner; }
    bool isValid() const { return m_valid; }

private:
    QLayout *buildToolbar();
    QWidget *buildEditor();
    void connectSignals();
    void connectEditButtons();
    void show(const templates::SessionTemplate &tmpl, const QString &origin);
    void validateEdits();
    void updateSummary();
    void exportDialog(ExportFormat format);
    int currentTrackRow() const;  // the last selected track, else the last track (-1 when there are none)
    void selectTrack(int row, int column);
    void moveTrack(int by);
    void updateTrackButtons();

    Session *m_session;
    TrackModel *m_tracks;
    BusModel *m_buses;
    RoutingModel *m_routing;
    QStandardItemModel *m_problems;
    Banner *m_banner;
    QComboBox *m_combo;
    QLabel *m_summary;
    QTabWidget *m_tabs;
    QTableView *m_trackView;
    QTableView *m_busView;
    QTreeView *m_routingView;
    QListView *m_problemView;
    QPushButton *m_save;
    QPushButton *m_addTrack;
    QPushButton *m_removeTrack;
    QPushButton *m_moveUp;
    QPushButton *m_moveDown;
    QPushButton *m_addBus;
    QPushButton *m_removeBus;
    QPushButton *m_export;
    QTimer m_pushTimer;  // edits reach the session (and a re-audit) after a short pause
    QString m_origin;
    bool m_valid = false;
    bool m_loading = false;
};

}  // namespace stemship::gui
