#include "util/csv.h"

namespace stemship {

namespace {

bool runsAsFormula(const QString &text)
{
    if (text.isEmpty())
        return false;
    const QChar first = text.front();
    if (first == QLatin1Char('-')) {
        bool isNumber = false;
        text.toDouble(&isNumber);
        return !isNumber;
    }
    return first == QLatin1Char('=') || first == QLatin1Char('+') || first == QLatin1Char('@')
        || first == QLatin1Char('\t') || first == QLatin1Char('\r');
}

}  // namespace

QString csvCell(const QString &text)
{
    QString cell = runsAsFormula(text) ? QLatin1Char('\'') + text : text;
    if (cell.contains(QLatin1Char(',')) || cell.contains(QLatin1Char('"')) || cell.contains(QLatin1Char('\n'))
        || cell.contains(QLatin1Char('\r'))) {
        cell.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        return QLatin1Char('"') + cell + QLatin1Char('"');
    }
    return cell;
}

QString csvRow(const QStringList &cells)
{
    QStringList quoted;
    quoted.reserve(cells.size());
    for (const QString &cell : cells)
        quoted.append(csvCell(cell));
    return quoted.join(QLatin1Char(',')) + QStringLiteral("\r\n");
}

}  // namespace stemship
