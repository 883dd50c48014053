#include "sessionopener.h"

#include "jobs.h"
#include "session/opensession.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QUrl>

namespace stemship::gui {
namespace {

using Outcome = Result<session::OpenedSession>;

void report(QWidget *parent, const QString &dir, const Outcome &outcome, bool cancelled)
{
    if (cancelled) {
        QMessageBox::information(parent, QStringLiteral("Open as Session"), QStringLiteral("Cancelled: nothing was written."));
        return;
    }
    if (!outcome) {
        QMessageBox::warning(parent, QStringLiteral("Open as Session"), outcome.error().line());
        return;
    }
    QStringList names;
    for (const QString &path : outcome->sessionFiles)
        names.append(QFileInfo(path).fileName());
    const QString layout = outcome->templateName.isEmpty() ? QStringLiteral("one track per stem, named after its file")
                         : outcome->templateSuggested ? QStringLiteral("laid out with the bundled template \u201c%1\u201d, whose tracks name its stems").arg(outcome->templateName)
                                                      : QStringLiteral("laid out with the template \u201c%1\u201d").arg(outcome->templateName);
    QMessageBox box(QMessageBox::Information, QStringLiteral("Open as Session"),
                    QStringLiteral("%1 tracks extracted into %2, %3.\n\n%4").arg(outcome->tracks).arg(QDir::toNativeSeparators(dir), layout, names.join(QLatin1Char('\n'))),
                    QMessageBox::Close, parent);
    QPushButton *openFolder = box.addButton(QStringLiteral("Open Folder"), QMessageBox::AcceptRole);
    box.exec();
    if (box.clickedButton() == openFolder)
        QDesktopServices::openUrl(QUrl::fromLocalFile(dir));
}

}  // namespace

void openDeliveryAsSession(QWidget *parent)
{
    const QString zip = QFileDialog::getOpenFileName(parent, QStringLiteral("Open a Delivery as Session"), QString(),
                                                     QStringLiteral("Delivery zips (*.zip)"));
    if (zip.isEmpty())
        return;
    const QString where = QFileDialog::getExistingDirectory(parent, QStringLiteral("Extract the Session into"), QFileInfo(zip).absolutePath());
    if (where.isEmpty())
        return;
    runOpenAsSession(parent, zip, QDir(where).filePath(QFileInfo(zip).completeBaseName()));
}

void runOpenAsSession(QWidget *parent, const QString &zip, const QString &dir)
{
    session::OpenSessionRequest request;
    request.zipPath = zip;
    request.dir = dir;
    auto cancel = std::make_shared<CancelToken>();
    auto *dialog = new QProgressDialog(QStringLiteral("Extracting %1\u2026").arg(QFileInfo(zip).fileName()), QStringLiteral("Cancel"), 0, kProgressRange, parent);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->setMinimumDuration(300);
    auto *watcher = new QFutureWatcher<Outcome>(dialog);
    QObject::connect(dialog, &QProgressDialog::canceled, dialog, [cancel] { cancel->cancel(); });
    QObject::connect(watcher, &QFutureWatcher<Outcome>::progressValueChanged, dialog, &QProgressDialog::setValue);
    QObject::connect(watcher, &QFutureWatcher<Outcome>::finished, parent, [parent, watcher, dialog, cancel, dir = request.dir] {
        const Outcome outcome = watcher->future().resultCount() ? watcher->result() : Outcome(Error{dir, QStringLiteral("stopped without a result")});
        dialog->hide();
        report(parent, dir, outcome, cancel->cancelled());
        dialog->deleteLater();
    });
    watcher->setFuture(startJob<Outcome>(QThreadPool::globalInstance(), cancel, [request](const ProgressSink &progress, const CancelToken &token) {
        return session::openAsSession(request, &token, [&progress](double f) { progress(f, QString()); });
    }));
}

}  // namespace stemship::gui
