#pragma once

// A count with its noun, as people write it: "1 bar", "2 bars", "0 stems". English only, as every message is.

#include <QString>

namespace stemship {

inline QString counted(qint64 n, const QString &singular, const QString &plural = {})
{
    return QString::number(n) + QLatin1Char(' ') + (n == 1 ? singular : plural.isEmpty() ? singular + QLatin1Char('s') : plural);
}

}  // namespace stemship
