#pragma once

// A template's buses as an editable table (name, id, kind, colour, output, effect), editing the same template as
// the TrackModel it is given: renaming a bus id renames every reference to it, removing a bus sends what fed it
// to the mix bus (as a DAW does when a bus is deleted). Validation problems show on their cells.

#include "models/cellproblems.h"
#include "templates/sessiontemplate.h"
#include "templates/templateparser.h"

#include <QAbstractTableModel>

namespace stemship::gui {

class TrackModel;

class BusModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Name, Id, Kind, Colour, Output, Effect, ColumnCount };

    explicit BusModel(TrackModel *tracks, QObject *parent = nullptr);

    // "/buses/N/field" pointers land on their cell.
    void setProblems(const QList<templates::TemplateProblem> &problems);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // New buses are group buses feeding the mix bus, named "New Bus" (id new_bus), "New Bus 2"...
    bool insertRows(int row, int count, const QModelIndex &parent = {}) override;
    // The mix bus stays (a template has exactly one).
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;

private:
    const templates::SessionTemplate &tmpl() const;
    void renameReferences(const QString &from, const QString &to);
    TrackModel *m_tracks;
    CellProblems m_cellProblems;
};

}  // namespace stemship::gui
