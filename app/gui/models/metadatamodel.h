#pragma once

// What core reads from a delivered (or any) WAV's header and metadata chunks, as rows for the Inspect Delivered
// File view: format and layout, the bext v2 fields (EBU Tech 3285), the iXML tracks, and the chunks that could
// not be trusted. The model only formats io::AudioInfo; it reads nothing itself.

#include "io/audioreader.h"

#include <QAbstractTableModel>
#include <QList>
#include <QString>

namespace stemship::gui {

struct MetadataRow {
    QString section;  // "Format", "bext", "iXML", "Problems"
    QString field;
    QString value;
};

// The rows for one file, in display order. Absent chunks get one row saying so.
QList<MetadataRow> metadataRows(const io::AudioInfo &info);

class MetadataModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Field, Value, ColumnCount };
    static constexpr int SectionRole = Qt::UserRole + 1;

    explicit MetadataModel(QObject *parent = nullptr);

    void setRows(QList<MetadataRow> rows);
    const QList<MetadataRow> &rows() const { return m_rows; }
    // The value of the first row with this section and field; empty when there is none (tests, tooltips).
    QString value(const QString &section, const QString &field) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<MetadataRow> m_rows;
};

}  // namespace stemship::gui
