#pragma once

// File > Inspect Delivered File: the metadata of one WAV, on disk or inside a delivery zip (read in place), as core
// reads it: format, layout and channel mask, bext v2 (loudness, UMID, coding history), iXML tracks. Chunks core
// could not trust are listed as problems; a file that does not open is one line in the banner, never a crash.

#include "io/stemsource.h"

#include <QDialog>
#include <QList>

class QComboBox;
class QLabel;
class QTableView;

namespace stemship::gui {

class Banner;
class MetadataModel;

class DeliveredFileDialog : public QDialog {
    Q_OBJECT

public:
    explicit DeliveredFileDialog(QWidget *parent = nullptr);

    // A WAV (or any audio file), or a delivery zip: its audio entries go into the picker and the first is shown.
    void openPath(const QString &path);
    void showEntry(int index);

    MetadataModel *model() const { return m_model; }
    Banner *banner() const { return m_banner; }
    QComboBox *entryPicker() const { return m_entries; }

    // Asks for a file and opens it; false when the user cancelled.
    bool chooseFile();

private:

    QList<io::StemSource> m_sources;
    QLabel *m_path;
    QComboBox *m_entries;
    Banner *m_banner;
    QTableView *m_view;
    MetadataModel *m_model;
};

// File > Inspect Delivered File: asks for a WAV or a zip, then shows it in a DeliveredFileDialog (non-modal).
void inspectDeliveredFile(QWidget *parent);

}  // namespace stemship::gui
