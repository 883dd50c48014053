#include "mainwindow.h"
#include "sessionopener.h"

#include "audio/playbackengine.h"
#include "pages/auditpage.h"
#include "pages/deliverpage.h"
#include "pages/gainpage.h"
#include "pages/listenpage.h"
#include "pages/templatepage.h"
#include "session.h"
#include "templates/templatesuggest.h"
#include "theme.h"
#include "widgets/banner.h"
#include "widgets/deliveredfiledialog.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QShortcut>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

namespace stemship::gui {

namespace {

const char *const kPageIcons[] = {"page-template", "page-audit", "page-gain", "page-listen", "page-deliver"};

QStringList localPaths(const QMimeData *mime)
{
    QStringList paths;
    if (!mime || !mime->hasUrls())
        return paths;
    for (const QUrl &url : mime->urls())
        if (url.isLocalFile())
            paths.append(url.toLocalFile());
    return paths;
}

}  // namespace

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent), m_session(new Session(this))
{
    theme::initResources();
    setWindowIcon(theme::appIcon());
    setAcceptDrops(true);
    setAccessibleName(QStringLiteral("Stemship"));

    auto *central = new QWidget(this);
    auto *rootLayout = new QHBoxLayout(central);
    rootLayout->setContentsMargins(0, 0, 0, 0);
    rootLayout->setSpacing(0);

    rootLayout->addWidget(buildSidebar(central));

    auto *content = new QWidget(central);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->setSpacing(0);
    m_banner = new Banner(content);
    auto *bannerHolder = new QWidget(content);
    auto *bannerLayout = new QVBoxLayout(bannerHolder);
    bannerLayout->setContentsMargins(20, 12, 20, 0);
    bannerLayout->addWidget(m_banner);
    contentLayout->addWidget(bannerHolder);
    m_stack = new QStackedWidget(content);
    m_templatePage = new TemplatePage(m_session, m_stack);
    m_auditPage = new AuditPage(m_session, m_stack);
    m_gainPage = new GainPage(m_session, m_stack);
    m_listenPage = new ListenPage(m_session, m_stack);
    m_deliverPage = new DeliverPage(m_session, m_stack);
    // The Gain page previews the delivery the Deliver page would make (its tempo, bar one, rate, profile).
    m_gainPage->setSpecSource([this] { return m_deliverPage->spec(); });
    for (QWidget *page : {static_cast<QWidget *>(m_templatePage), static_cast<QWidget *>(m_auditPage),
                          static_cast<QWidget *>(m_gainPage), static_cast<QWidget *>(m_listenPage),
                          static_cast<QWidget *>(m_deliverPage)})
        m_stack->addWidget(page);
    contentLayout->addWidget(m_stack, 1);
    rootLayout->addWidget(content, 1);
    setCentralWidget(central);
    // The holder follows the banner, so no empty margin shows when there is no message.
    bannerHolder->setVisible(false);
    connect(m_banner, &Banner::shownChanged, bannerHolder, &QWidget::setVisible);

    connect(m_sidebar, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    connect(m_auditPage, &AuditPage::openRequested, this, &MainWindow::openFilesDialog);
    connect(m_deliverPage, &DeliverPage::gainPageRequested, this, [this] { showPage(GainPageIndex); });
    connect(m_session, &Session::inputsChanged, this, &MainWindow::updateTitle);
    connect(m_session, &Session::templateChanged, this, &MainWindow::updateTitle);
    connect(m_session, &Session::reportChanged, this, [this] {
        const auto &report = m_session->report();
        if (!report)
            return;
        const std::optional<audit::AuditReport> full = m_session->fullReport();  // the stems and their sum
        statusBar()->showMessage(QStringLiteral("Audit: %1 stems \u00b7 %2 errors \u00b7 %3 warnings")
                                     .arg(report->stems.size())
                                     .arg(full->count(audit::Severity::Error))
                                     .arg(full->count(audit::Severity::Warning)));
    });

    buildMenus();
    applyTheme();
    statusBar()->showMessage(QStringLiteral("Ready \u00b7 Ctrl+O to open stems"));
    resize(1360, 860);
    if (const QByteArray geometry = m_settings.windowGeometry(); !geometry.isEmpty())
        restoreGeometry(geometry);
    showPage(std::clamp(m_settings.lastPage(), 0, PageCount - 1));
    updateTitle();
}

// The workflow list (one entry per page) under the brand, with the drop hint at its foot.
QWidget *MainWindow::buildSidebar(QWidget *central)
{
    auto *sidebarColumn = new QWidget(central);
    sidebarColumn->setObjectName(QStringLiteral("workflowSidebar"));
    auto *sidebarLayout = new QVBoxLayout(sidebarColumn);
    sidebarLayout->setContentsMargins(0, 0, 0, 0);
    sidebarLayout->setSpacing(0);
    auto *brand = new QLabel(QStringLiteral("STEMSHIP"), sidebarColumn);
    brand->setObjectName(QStringLiteral("sidebarBrand"));
    sidebarLayout->addWidget(brand);
    m_sidebar = new QListWidget(sidebarColumn);
    m_sidebar->setObjectName(QStringLiteral("workflowSidebar"));
    m_sidebar->setAccessibleName(QStringLiteral("Workflow"));
    m_sidebar->setIconSize(QSize(20, 20));
    m_sidebar->setFixedWidth(184);
    m_sidebar->setFrameShape(QFrame::NoFrame);
    for (int page = 0; page < PageCount; ++page) {
        auto *item = new QListWidgetItem(pageName(page), m_sidebar);
        item->setToolTip(QStringLiteral("%1 (Ctrl+%2)").arg(pageName(page)).arg(page + 1));
    }
    sidebarLayout->addWidget(m_sidebar, 1);
    auto *hint = new QLabel(QStringLiteral("Drop stems, folders or\na delivery zip anywhere"), sidebarColumn);
    hint->setObjectName(QStringLiteral("pageSubtitle"));
    hint->setContentsMargins(14, 8, 8, 14);
    sidebarLayout->addWidget(hint);
    return sidebarColumn;
}

MainWindow::~MainWindow() = default;

QString MainWindow::pageName(int page)
{
    switch (page) {
    case TemplatePageIndex:
        return QStringLiteral("Template");
    case AuditPageIndex:
        return QStringLiteral("Audit");
    case GainPageIndex:
        return QStringLiteral("Gain");
    case ListenPageIndex:
        return QStringLiteral("Listen");
    case DeliverPageIndex:
        return QStringLiteral("Deliver");
    default:
        return {};
    }
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(QStringLiteral("&File"));
    QAction *open = file->addAction(theme::tintedIcon(QStringLiteral("open"), palette()), QStringLiteral("&Open Stems\u2026"),
                                    this, &MainWindow::openFilesDialog);
    open->setShortcut(QKeySequence::Open);
    QAction *openFolder = file->addAction(QStringLiteral("Open &Folder\u2026"), this, &MainWindow::openFolderDialog);
    openFolder->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    file->addAction(QStringLiteral("Open Delivery as &Session…"), this, [this] { openDeliveryAsSession(this); });
    file->addAction(QStringLiteral("&Inspect Delivered File\u2026"), this, [this] { inspectDeliveredFile(this); });
    m_recentMenu = file->addMenu(QStringLiteral("Open &Recent"));
    rebuildRecentMenu();
    file->addSeparator();
    QAction *exportReport = file->addAction(QStringLiteral("&Export Audit Report\u2026"), this, [this] {
        showPage(AuditPageIndex);
        m_auditPage->exportReportDialog();
    });
    exportReport->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    file->addSeparator();
    QAction *quit = file->addAction(QStringLiteral("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(QStringLiteral("&View"));
    for (int page = 0; page < PageCount; ++page) {
        QAction *action = view->addAction(pageName(page), this, [this, page] { showPage(page); });
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + page)));
    }

    QMenu *playback = menuBar()->addMenu(QStringLiteral("&Playback"));
    QAction *play = playback->addAction(QStringLiteral("Play / Stop"), this, [this] { m_listenPage->togglePlayback(); });
    play->setShortcut(QKeySequence(Qt::Key_Space));
    // Space stays a normal key in text fields and for buttons with focus: only a window-level shortcut.
    play->setShortcutContext(Qt::WindowShortcut);
    QAction *audit = menuBar()->addMenu(QStringLiteral("&Audit"))->addAction(QStringLiteral("&Run Audit"), this, [this] {
        showPage(AuditPageIndex);
        m_auditPage->startAudit();
    });
    audit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));

    QMenu *help = menuBar()->addMenu(QStringLiteral("&Help"));
    help->addAction(QStringLiteral("&About Stemship"), this, [this] {
        QMessageBox::about(this, QStringLiteral("About Stemship"),
                           QStringLiteral("<b>Stemship %1</b><p>Mix session templates, stem audit and stem delivery."
                                          "</p><p>Loudness per ITU-R BS.1770-4 / EBU R128.</p>")
                               .arg(QStringLiteral(STEMSHIP_VERSION)));
    });
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = m_settings.recentSessions();
    for (const QString &entry : recent) {
        const QStringList paths = entry.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        const QString label = paths.size() == 1 ? paths.constFirst()
                                                : QStringLiteral("%1 (+%2)").arg(paths.constFirst()).arg(paths.size() - 1);
        m_recentMenu->addAction(label, this, [this, paths] { openPaths(paths); });
    }
    if (!recent.isEmpty())
        m_recentMenu->addSeparator();
    QAction *clear = m_recentMenu->addAction(QStringLiteral("Clear Recent"), this, [this] {
        m_settings.clearRecentSessions();
        rebuildRecentMenu();
    });
    clear->setEnabled(!recent.isEmpty());
}

void MainWindow::openPaths(const QStringList &paths)
{
    if (paths.isEmpty())
        return;
    const QList<Error> errors = m_session->setInputs(paths);
    QStringList lines;
    for (const Error &error : errors)
        lines.append(error.line());
    if (!lines.isEmpty())
        m_banner->showMessages(theme::Status::Error, lines);
    else
        m_banner->clear();
    if (m_session->isEmpty()) {
        if (lines.isEmpty())
            m_banner->showMessage(theme::Status::Warning, QStringLiteral("No audio files found in %1").arg(paths.join(QStringLiteral(", "))));
        return;
    }
    m_settings.addRecentSession(paths.join(QLatin1Char('\n')));
    m_settings.setLastDirectory(QFileInfo(paths.constFirst()).absolutePath());
    rebuildRecentMenu();
    // Without a template chosen, start with the bundled one the stems' names fit, and say so.
    if (!m_session->sessionTemplate()) {
        QStringList names;
        for (const io::StemSource &source : m_session->sources())
            names << source.displayPath;
        if (const auto suggestion = templates::suggestTemplate(names); suggestion && m_templatePage->loadBundledTemplate(suggestion->name)) {
            const QString line = QStringLiteral("Template \u201c%1\u201d chosen: its tracks name %2 of the %3 stems. Choose another on the Template page.")
                                     .arg(suggestion->title).arg(suggestion->matched).arg(suggestion->files);
            if (lines.isEmpty())
                m_banner->showMessage(theme::Status::Info, line);
        }
    }
    showPage(AuditPageIndex);
    m_auditPage->startAudit();
}

bool MainWindow::openTemplate(const QString &nameOrFile)
{
    if (QFileInfo(nameOrFile).isFile())
        return m_templatePage->loadTemplateFile(nameOrFile);
    return m_templatePage->loadBundledTemplate(nameOrFile);
}

void MainWindow::notifyWhenIdle()
{
    if (m_auditPage->isRunning()) {
        connect(m_auditPage, &AuditPage::auditFinished, this, &MainWindow::sessionIdle, Qt::SingleShotConnection);
        return;
    }
    QTimer::singleShot(200, this, &MainWindow::sessionIdle);
}

void MainWindow::openFilesDialog()
{
    const QStringList files = QFileDialog::getOpenFileNames(
        this, QStringLiteral("Open Stems"), m_settings.lastDirectory(),
        QStringLiteral("Audio and deliveries (*.wav *.bwf *.rf64 *.w64 *.aif *.aiff *.aifc *.flac *.caf *.ogg *.zip);;All files (*)"));
    openPaths(files);
}

void MainWindow::openFolderDialog()
{
    const QString folder = QFileDialog::getExistingDirectory(this, QStringLiteral("Open Stem Folder"), m_settings.lastDirectory());
    if (!folder.isEmpty())
        openPaths({folder});
}

void MainWindow::showPage(int page)
{
    if (page < 0 || page >= PageCount)
        return;
    m_sidebar->setCurrentRow(page);
    m_stack->setCurrentIndex(page);
}

int MainWindow::currentPage() const
{
    return m_stack->currentIndex();
}

void MainWindow::updateTitle()
{
    QString title = QStringLiteral("Stemship");
    if (!m_session->isEmpty())
        title = m_session->displayName() + QStringLiteral(" \u2014 ") + title;
    setWindowTitle(title);
}

void MainWindow::applyTheme()
{
    if (m_applyingTheme)
        return;
    m_applyingTheme = true;
    setStyleSheet(theme::styleSheet(palette()));
    for (int page = 0; page < PageCount; ++page)
        m_sidebar->item(page)->setIcon(theme::tintedIcon(QString::fromLatin1(kPageIcons[page]), palette()));
    theme::retintButtons(this);
    m_applyingTheme = false;
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        applyTheme();
    QMainWindow::changeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!localPaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QStringList paths = localPaths(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    // A dropped template file goes to the Template page; everything else is stems.
    if (paths.size() == 1 && paths.constFirst().endsWith(QLatin1String(".json"), Qt::CaseInsensitive)) {
        showPage(TemplatePageIndex);
        m_templatePage->loadTemplateFile(paths.constFirst());
        return;
    }
    openPaths(paths);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_settings.setWindowGeometry(saveGeometry());
    m_settings.setLastPage(currentPage());
    m_listenPage->engine()->stop();
    m_auditPage->cancelAudit();
    m_deliverPage->cancelPackaging();
    QMainWindow::closeEvent(event);
}

bool MainWindow::saveScreenshots(const QString &directory, const QString &suffix)
{
    QDir().mkpath(directory);
    const int previous = currentPage();
    bool ok = true;
    for (int page = 0; page < PageCount; ++page) {
        showPage(page);
        // Long enough for the pages' display timers (meters, playhead) to tick a few times.
        QEventLoop settle;
        QTimer::singleShot(250, &settle, &QEventLoop::quit);
        settle.exec();
        const QString path = QDir(directory).filePath(pageName(page).toLower() + QLatin1Char('-') + suffix + QStringLiteral(".png"));
        ok = grab().save(path) && ok;
    }
    showPage(previous);
    return ok;
}

}  // namespace stemship::gui
