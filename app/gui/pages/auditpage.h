#pragma once

// Audit: the stem table (sortable), the selected stem's waveform, loudness over time and issues; the audit
// runs on a thread pool with progress and Cancel; reports export as HTML, JSON or CSV.

#include "audit/stemreport.h"
#include "util/cancel.h"

#include <QFutureWatcher>
#include <QThreadPool>
#include <QWidget>

#include <memory>

class QLabel;
class QLayout;
class QListView;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QStandardItemModel;
class QTableView;

namespace stemship::gui {

class Banner;
class ProfilePicker;
class LoudnessView;
class Session;
class StemTableModel;
class WaveformView;

class AuditPage : public QWidget {
    Q_OBJECT

public:
    enum class ReportFormat { Html, Json, Csv };

    explicit AuditPage(Session *session, QWidget *parent = nullptr);
    ~AuditPage() override;

    void startAudit();
    void cancelAudit();
    bool isRunning() const { return m_watcher.isRunning(); }
    // Writes the current report (atomically, QSaveFile). Returns false and shows the error in the banner.
    bool exportReport(ReportFormat format, const QString &path);
    void exportReportDialog();

    StemTableModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    Banner *banner() const { return m_banner; }
    QProgressBar *progressBar() const { return m_progress; }
    WaveformView *waveform() const { return m_waveform; }
    QStandardItemModel *issueModel() const { return m_issues; }
    ProfilePicker *profilePicker() const { return m_profilePicker; }

Q_SIGNALS:
    void openRequested();
    void auditFinished();

private:
    QLayout *buildToolbar();
    void buildExportButton();
    void buildReferenceButton();
    void buildStemTable(QSplitter *splitter);
    QWidget *buildDetails(QSplitter *splitter);
    void connectSignals();
    void onReportChanged();
    void onFinished();
    void showSelection();
    void updateSummary();
    void chooseReference();
    void showNullVerdict();

    Session *m_session;
    StemTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QStandardItemModel *m_issues;
    Banner *m_banner;
    QTableView *m_view;
    WaveformView *m_waveform;
    LoudnessView *m_loudness;
    QListView *m_issueView;
    QLabel *m_summary;
    QLabel *m_selectionTitle;
    QProgressBar *m_progress;
    QPushButton *m_open;
    QPushButton *m_run;
    QPushButton *m_cancel;
    QPushButton *m_export;
    QPushButton *m_reference;  // the reference mix: choose, clear
    QLabel *m_nullVerdict;     // the null test's verdict and per-stem offsets, when a reference is loaded
    ProfilePicker *m_profilePicker;
    QThreadPool m_pool;
    QFutureWatcher<audit::AuditReport> m_watcher;
    std::shared_ptr<CancelToken> m_cancelToken;
};

}  // namespace stemship::gui
