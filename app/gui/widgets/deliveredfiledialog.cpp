#include "widgets/deliveredfiledialog.h"

#include "models/metadatamodel.h"
#include "pages/pagehelpers.h"
#include "widgets/banner.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace stemship::gui {

DeliveredFileDialog::DeliveredFileDialog(QWidget *parent)
    : QDialog(parent), m_path(new QLabel(this)), m_entries(new QComboBox(this)), m_banner(new Banner(this)),
      m_view(new QTableView(this)), m_model(new MetadataModel(this))
{
    setWindowTitle(QStringLiteral("Inspect Delivered File"));
    setAccessibleName(QStringLiteral("Inspect delivered file"));
    resize(860, 640);
    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(kSpacing);

    auto *top = new QHBoxLayout;
    auto *choose = new QPushButton(QStringLiteral("Choose File\u2026"), this);
    choose->setAccessibleName(QStringLiteral("Choose a WAV or a delivery zip"));
    m_path->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_path->setAccessibleName(QStringLiteral("Inspected file"));
    m_entries->setAccessibleName(QStringLiteral("File in the delivery"));
    m_entries->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    top->addWidget(choose);
    top->addWidget(m_path, 1);
    top->addWidget(m_entries);
    layout->addLayout(top);
    layout->addWidget(m_banner);

    m_view->setAccessibleName(QStringLiteral("Metadata"));
    m_view->setModel(m_model);
    setupTable(m_view);
    m_view->setWordWrap(true);
    m_view->horizontalHeader()->setSectionResizeMode(MetadataModel::Field, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(MetadataModel::Value, QHeaderView::Stretch);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    layout->addWidget(m_view, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    layout->addWidget(buttons);

    connect(choose, &QPushButton::clicked, this, &DeliveredFileDialog::chooseFile);
    connect(m_entries, &QComboBox::currentIndexChanged, this, &DeliveredFileDialog::showEntry);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_entries->hide();
    m_banner->showMessage(theme::Status::Info, QStringLiteral("Choose a delivered WAV, or a delivery zip and one of its files."));
}

bool DeliveredFileDialog::chooseFile()
{
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Inspect Delivered File"), QString(),
                                                      QStringLiteral("Delivered files (*.wav *.WAV *.zip *.ZIP);;All files (*)"));
    if (path.isEmpty())
        return false;
    openPath(path);
    return true;
}

void inspectDeliveredFile(QWidget *parent)
{
    auto *dialog = new DeliveredFileDialog(parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!dialog->chooseFile()) {
        dialog->deleteLater();
        return;
    }
    dialog->show();
}

void DeliveredFileDialog::openPath(const QString &path)
{
    m_path->setText(QFileInfo(path).fileName());
    m_path->setToolTip(path);
    QList<Error> errors;
    // A zip is read in place, as the audit reads it: its audio entries, hostile ones refused.
    m_sources = io::isZipPath(path) ? io::collectSources({path}, &errors) : QList<io::StemSource>{{path, path, QString()}};
    const QSignalBlocker blocker(m_entries);
    m_entries->clear();
    for (const io::StemSource &source : std::as_const(m_sources))
        m_entries->addItem(source.zipEntry.isEmpty() ? QFileInfo(source.filePath).fileName() : source.zipEntry);
    m_entries->setVisible(io::isZipPath(path));
    m_model->setRows({});
    if (!errors.isEmpty() || m_sources.isEmpty()) {
        QStringList lines;
        for (const Error &error : std::as_const(errors))
            lines.append(error.line());
        if (lines.isEmpty())
            lines.append(QFileInfo(path).fileName() + QStringLiteral(": no audio files in the archive"));
        m_banner->showMessages(theme::Status::Error, lines);
        if (m_sources.isEmpty())
            return;
    }
    showEntry(0);
}

void DeliveredFileDialog::showEntry(int index)
{
    if (index < 0 || index >= m_sources.size())
        return;
    auto reader = io::openStemSource(m_sources.at(index));
    if (!reader.ok()) {
        m_model->setRows({});
        m_banner->showMessage(theme::Status::Error, reader.error().line());
        return;
    }
    const io::AudioInfo &info = reader->info();
    m_model->setRows(metadataRows(info));
    const QString name = m_entries->itemText(index) + QStringLiteral(": ");
    QStringList problems;
    for (const QString &problem : info.metadataProblems)
        problems.append(name + problem);
    if (!info.bext || info.bext->version < 2)
        problems.append(name + QStringLiteral("no bext version 2 chunk: not a Stemship delivery, or re-saved by a tool that dropped it"));
    if (problems.isEmpty())
        m_banner->clear();
    else
        m_banner->showMessages(theme::Status::Warning, problems);
}

}  // namespace stemship::gui
