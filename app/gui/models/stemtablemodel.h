#pragma once

// The audit's stems as a table: one row per StemReport, one column per measurement, sortable by raw value.

#include "audit/stemreport.h"
#include "theme.h"

#include <QAbstractTableModel>

#include <optional>

namespace stemship::gui {

class StemTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        Status, Stem, Role, Profile, Format, Rate, Depth, Channels, Length, Start, Peak, TruePeak, Rms, Lufs, Lra, Dc,
        Correlation, Issues, ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;  // raw numbers (dB, seconds), for QSortFilterProxyModel
    static constexpr int PathRole = Qt::UserRole + 2;

    explicit StemTableModel(QObject *parent = nullptr);

    // Colours and icons come from the report's findings (audit/issuemeasurement.h), never from re-checking a figure.
    void setReport(const audit::AuditReport *report);
    const audit::StemReport *stem(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    theme::Status stemStatus(const audit::StemReport &stem) const;
    // The worst finding of the stem (its own, and the set's that name it) about the figure in `column`; nothing
    // when the audit found nothing about it.
    std::optional<theme::Status> cellStatus(const audit::StemReport &stem, int column) const;

private:
    QVariant display(const audit::StemReport &stem, int column) const;
    QVariant sortValue(const audit::StemReport &stem, int column) const;
    QVariant toolTip(const audit::StemReport &stem, int column) const;
    QVariant foreground(const audit::StemReport &stem, int column) const;

    QList<audit::StemReport> m_stems;
    audit::AuditReport m_setIssues;  // the report's set-level issues only (its stems are in m_stems)
};

}  // namespace stemship::gui
