#pragma once

// Validation problems placed on the cells of a template table: "/tracks/3/colour" on row 3's colour cell. The
// track and bus tables share it.

#include "templates/templateparser.h"

#include <QHash>
#include <QString>
#include <QVariant>

#include <functional>

namespace stemship::gui {

class CellProblems {
public:
    static constexpr int ProblemRole = Qt::UserRole + 2;  // the problem text on this cell, if any

    // Keeps the problems whose pointer is "/<collection>/N[/field]"; columnFor maps the field ("" for the item
    // itself) to a column.
    void set(const QList<templates::TemplateProblem> &problems, const QString &collection,
             const std::function<int(const QString &field)> &columnFor);
    void clear() { m_cells.clear(); }
    int count() const { return int(m_cells.size()); }
    // The cell's problem as `role` shows it (text, tooltip, tinted background, an error icon unless
    // decorate is false); an invalid QVariant when the cell has none or the role is not one of those.
    QVariant data(int row, int column, int role, bool decorate = true) const;

private:
    QHash<QPair<int, int>, QString> m_cells;  // (row, column) -> problem text
};

}  // namespace stemship::gui
