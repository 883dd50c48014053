#include "models/cellproblems.h"

#include "theme.h"

#include <QApplication>
#include <QColor>
#include <QRegularExpression>

namespace stemship::gui {

void CellProblems::set(const QList<templates::TemplateProblem> &problems, const QString &collection,
                       const std::function<int(const QString &field)> &columnFor)
{
    m_cells.clear();
    const QRegularExpression pointer(QStringLiteral("^/%1/(\\d+)(?:/([a-z_]+))?").arg(QRegularExpression::escape(collection)));
    for (const templates::TemplateProblem &problem : problems) {
        const QRegularExpressionMatch match = pointer.match(problem.pointer);
        if (!match.hasMatch())
            continue;
        QString &text = m_cells[qMakePair(match.captured(1).toInt(), columnFor(match.captured(2)))];
        text = text.isEmpty() ? problem.what : text + QLatin1Char('\n') + problem.what;
    }
}

QVariant CellProblems::data(int row, int column, int role, bool decorate) const
{
    const QString problem = m_cells.value(qMakePair(row, column));
    if (role == ProblemRole)
        return problem;
    if (problem.isEmpty())
        return {};
    switch (role) {
    case Qt::ToolTipRole:
        return problem;
    case Qt::BackgroundRole: {
        QColor colour = theme::statusColour(theme::Status::Error, QApplication::palette());
        colour.setAlpha(60);
        return colour;
    }
    case Qt::DecorationRole:
        return decorate ? QVariant(theme::statusIcon(theme::Status::Error)) : QVariant();
    default:
        return {};
    }
}

}  // namespace stemship::gui
