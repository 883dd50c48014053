#pragma once

// CLI-CONTRACT: strict JSON, with no NaN or Infinity. Levels and figures go out rounded to 0.01; minus infinity
// (digital silence) and any other non-finite value as null. The one rule for every JSON Stemship writes.

#include <QJsonValue>

#include <cmath>
#include <optional>

namespace stemship {

inline QJsonValue jsonRounded(double value)
{
    return std::isfinite(value) ? QJsonValue(std::round(value * 100.0) / 100.0) : QJsonValue(QJsonValue::Null);
}

inline QJsonValue jsonRounded(const std::optional<double> &value)
{
    return value ? jsonRounded(*value) : QJsonValue(QJsonValue::Null);
}

}  // namespace stemship
