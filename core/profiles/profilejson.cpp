#include "profiles/profilejson.h"

#include "util/jsonnumber.h"

#include <QJsonArray>

#include <cmath>

namespace stemship::profiles {
namespace {

QJsonValue limitToJson(const RuleVerdict &r)
{
    if (!r.allowed.isEmpty())
        return QJsonArray::fromStringList(r.allowed);
    if (r.exact || std::isinf(r.limitLow))
        return jsonRounded(r.limitHigh);
    if (std::isinf(r.limitHigh))
        return QJsonArray{jsonRounded(r.limitLow), QJsonValue(QJsonValue::Null)};
    return QJsonArray{jsonRounded(r.limitLow), jsonRounded(r.limitHigh)};
}

}  // namespace

QJsonObject verdictToJson(const ProfileVerdict &verdict)
{
    QJsonArray rules;
    for (const RuleVerdict &r : verdict.rules) {
        const QJsonValue value = !r.valueText.isEmpty() ? QJsonValue(r.valueText) : jsonRounded(r.value);
        rules.append(QJsonObject{{QStringLiteral("rule"), r.rule}, {QStringLiteral("value"), value},
                                 {QStringLiteral("limit"), limitToJson(r)}, {QStringLiteral("passed"), r.passed},
                                 {QStringLiteral("unit"), r.unit}});
    }
    return QJsonObject{{QStringLiteral("name"), verdict.name}, {QStringLiteral("passed"), verdict.passed},
                       {QStringLiteral("rules"), rules}};
}

}  // namespace stemship::profiles
