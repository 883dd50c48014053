#pragma once

// The main window: workflow sidebar (Template, Audit, Gain, Listen, Deliver), the pages, drag and drop of
// files/folders/zips anywhere, recent sessions, shortcuts. It wires pages to one Session; the work is in core.

#include "appsettings.h"

#include <QMainWindow>

class QListWidget;
class QMenu;
class QStackedWidget;

namespace stemship::gui {

class AuditPage;
class Banner;
class DeliverPage;
class GainPage;
class ListenPage;
class Session;
class TemplatePage;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    enum Page { TemplatePageIndex, AuditPageIndex, GainPageIndex, ListenPageIndex, DeliverPageIndex, PageCount };

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens files, folders or delivery zips as the session's stems and starts the audit.
    void openPaths(const QStringList &paths);
    // A bundled template name or a template file, as on the Template page.
    bool openTemplate(const QString &nameOrFile);
    void showPage(int page);
    // Emits sessionIdle once no audit is running (at once if none is).
    void notifyWhenIdle();
    int currentPage() const;
    static QString pageName(int page);

    Session *session() const { return m_session; }
    TemplatePage *templatePage() const { return m_templatePage; }
    AuditPage *auditPage() const { return m_auditPage; }
    GainPage *gainPage() const { return m_gainPage; }
    ListenPage *listenPage() const { return m_listenPage; }
    DeliverPage *deliverPage() const { return m_deliverPage; }
    Banner *banner() const { return m_banner; }

    // Renders every page to DIR/<page>-<light|dark>.png (the --screenshot option and the tests).
    bool saveScreenshots(const QString &directory, const QString &suffix);

Q_SIGNALS:
    void sessionIdle();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QWidget *buildSidebar(QWidget *central);
    void buildMenus();
    void rebuildRecentMenu();
    void applyTheme();
    void openFilesDialog();
    void openFolderDialog();
    void updateTitle();

    AppSettings m_settings;
    Session *m_session;
    Banner *m_banner;
    QListWidget *m_sidebar;
    QStackedWidget *m_stack;
    TemplatePage *m_templatePage;
    AuditPage *m_auditPage;
    GainPage *m_gainPage;
    ListenPage *m_listenPage;
    DeliverPage *m_deliverPage;
    QMenu *m_recentMenu = nullptr;
    bool m_applyingTheme = false;
};

}  // namespace stemship::gui
