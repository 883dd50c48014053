#pragma once

// A template's tracks as an editable table (name, colour, group, layout, output bus, target, aliases), with
// validation problems shown on the cells they concern.

#include "models/cellproblems.h"
#include "templates/sessiontemplate.h"
#include "templates/templateparser.h"

#include <QAbstractTableModel>

namespace stemship::gui {

class TrackModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Name, Colour, Group, Layout, Output, Target, Aliases, ColumnCount };
    static constexpr int OptionsRole = Qt::UserRole + 1;  // QStringList of choices for combo editors
    static constexpr int ProblemRole = CellProblems::ProblemRole;  // the problem text on this cell, if any

    explicit TrackModel(QObject *parent = nullptr);

    void setTemplate(const templates::SessionTemplate &tmpl);
    const templates::SessionTemplate &sessionTemplate() const { return m_template; }
    // Problems from checkTemplate()/the parser; "/tracks/N/field" pointers land on their cell.
    void setProblems(const QList<templates::TemplateProblem> &problems);
    int problemCount() const { return m_cellProblems.count(); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // New tracks are mono, in the group of the track above them (else the first group), named "New Track",
    // "New Track 2"...; the order is the delivery's (a pattern's {index}).
    bool insertRows(int row, int count, const QModelIndex &parent = {}) override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;
    bool moveRows(const QModelIndex &sourceParent, int sourceRow, int count, const QModelIndex &destinationParent,
                  int destinationChild) override;

    // For the BusModel, which edits the same template: change it through editableTemplate(), then call
    // externalEdit() so the table redraws and templateEdited is emitted.
    templates::SessionTemplate &editableTemplate() { return m_template; }
    void externalEdit();

    static QString targetText(const std::optional<templates::GainTarget> &target);  // "peak -18.0", "" = inherit
    static std::optional<std::optional<templates::GainTarget>> parseTarget(const QString &text);

Q_SIGNALS:
    void templateEdited();

private:
    static int columnForField(const QString &field);
    templates::SessionTemplate m_template;
    CellProblems m_cellProblems;
};

}  // namespace stemship::gui
