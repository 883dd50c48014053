#include "profiles/profilejson.h"

#include <QJsonArray>

#include <cmath>

namespace stemship::profiles {
namespace {

QJsonValue rounded(double v) { return std::isfinite(v) ? QJsonValue(std::round(v * 100.0) / 100.0) : QJsonValue(QJsonValue::Null); }

QJsonValue limitToJson(const RuleVerdict &r)
{
    if (!r.allowed.isEmpty())
        return QJsonArray::fromStringList(r.allowed);
    if (r.exact || std::isinf(r.limitLow))
        return rounded(r.limitHigh);
    if (std::isinf(r.limitHigh))
        return QJsonArray{rounded(r.limitLow), QJsonValue(QJsonValue::Null)};
    return QJsonArray{rounded(r.limitLow), rounded(r.limitHigh)};
}

}  // namespace

QJsonObject verdictToJson(const ProfileVerdict &verdict)
{
    QJsonArray rules;
    for (const RuleVerdict &r : verdict.rules) {
        const QJsonValue value = !r.valueText.isEmpty() ? QJsonValue(r.valueText) : r.value ? rounded(*r.value) : QJsonValue(QJsonValue::Null);
        rules.append(QJsonObject{{QStringLiteral("rule"), r.rule}, {QStringLiteral("value"), value},
                                 {QStringLiteral("limit"), limitToJson(r)}, {QStringLiteral("passed"), r.passed},
                                 {QStringLiteral("unit"), r.unit}});
    }
    return QJsonObject{{QStringLiteral("name"), verdict.name}, {QStringLiteral("passed"), verdict.passed},
                       {QStringLiteral("rules"), rules}};
}

}  // namespace stemship::profiles
