#include "templates/jsonfieldreader.h"

#include "templates/jsonlocator.h"

#include <algorithm>
#include <cmath>

namespace stemship::templates {
namespace {

QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return QStringLiteral("a boolean");
    case QJsonValue::Double: return QStringLiteral("a number");
    case QJsonValue::String: return QStringLiteral("a string");
    case QJsonValue::Array: return QStringLiteral("an array");
    case QJsonValue::Object: return QStringLiteral("an object");
    case QJsonValue::Undefined: break;
    }
    return QStringLiteral("nothing");
}

int editDistance(const QString &a, const QString &b)
{
    QList<int> row(b.size() + 1);
    for (int j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (int i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = i;
        for (int j = 1; j <= b.size(); ++j) {
            const int up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

}  // namespace

void JsonFieldReader::problem(const QString &pointer, const QString &what, const QString &blocks)
{
    problems.append({pointer, 0, what});
    blocked.append(blocks.isEmpty() ? pointer : blocks);
}

bool JsonFieldReader::readFormat(const QJsonObject &root, const char *expected)
{
    const QString format = string(root, QStringLiteral("format"), QString());
    if (root.value(QStringLiteral("format")).isString() && format != QLatin1String(expected)) {
        problem(QStringLiteral("/format"),
                QStringLiteral("\"%1\" is not a supported format; expected \"%2\"").arg(format, QLatin1String(expected)));
        wrongFormat = true;
        return false;
    }
    string(root, QStringLiteral("$schema"), QString());
    return true;
}

void JsonFieldReader::checkKeys(const QJsonObject &obj, const QString &at, const QStringList &allowed, const QStringList &required)
{
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        if (allowed.contains(it.key()))
            continue;
        QString what = QStringLiteral("unknown key \"%1\"").arg(it.key());
        for (const QString &known : allowed) {
            if (editDistance(it.key(), known) <= 2) {
                what += QStringLiteral(" (did you mean \"%1\"?)").arg(known);
                break;
            }
        }
        problem(at + QLatin1Char('/') + pointerSegment(it.key()), what);
    }
    for (const QString &key : required) {
        if (!obj.contains(key))
            problem(at, QStringLiteral("missing required key \"%1\"").arg(key), at + QLatin1Char('/') + key);
    }
}

bool JsonFieldReader::isType(const QJsonValue &v, QJsonValue::Type type, const QString &at, const QString &expected)
{
    if (v.type() == type)
        return true;
    problem(at, QStringLiteral("expected %1, got %2").arg(expected, typeName(v)));
    return false;
}

QString JsonFieldReader::string(const QJsonObject &obj, const QString &key, const QString &at, int maxChars)
{
    if (!obj.contains(key))
        return {};
    const QString here = at + QLatin1Char('/') + key;
    if (!isType(obj.value(key), QJsonValue::String, here, QStringLiteral("a string")))
        return {};
    const QString s = obj.value(key).toString();
    if (s.size() > maxChars) {
        problem(here, QStringLiteral("longer than %1 characters").arg(maxChars));
        return {};
    }
    return s;
}

std::optional<double> JsonFieldReader::number(const QJsonObject &obj, const QString &key, const QString &at, double lo, double hi)
{
    if (!obj.contains(key))
        return std::nullopt;
    const QString here = at + QLatin1Char('/') + key;
    if (!isType(obj.value(key), QJsonValue::Double, here, QStringLiteral("a number")))
        return std::nullopt;
    const double v = obj.value(key).toDouble();
    if (!std::isfinite(v) || v < lo || v > hi) {
        problem(here, QStringLiteral("%1 is out of range [%2, %3]").arg(v).arg(lo).arg(hi));
        return std::nullopt;
    }
    return v;
}

std::optional<int> JsonFieldReader::integer(const QJsonObject &obj, const QString &key, const QString &at, int lo, int hi)
{
    const std::optional<double> v = number(obj, key, at, lo, hi);
    if (v && std::floor(*v) != *v) {
        problem(at + QLatin1Char('/') + key, QStringLiteral("expected a whole number, got %1").arg(*v));
        return std::nullopt;
    }
    return v ? std::optional<int>(int(*v)) : std::nullopt;
}

std::optional<bool> JsonFieldReader::boolean(const QJsonObject &obj, const QString &key, const QString &at)
{
    if (!obj.contains(key))
        return std::nullopt;
    if (!isType(obj.value(key), QJsonValue::Bool, at + QLatin1Char('/') + key, QStringLiteral("a boolean")))
        return std::nullopt;
    return obj.value(key).toBool();
}

QStringList JsonFieldReader::strings(const QJsonObject &obj, const QString &key, const QString &at, int maxChars)
{
    QStringList out;
    if (!obj.contains(key))
        return out;
    const QString here = at + QLatin1Char('/') + key;
    if (!isType(obj.value(key), QJsonValue::Array, here, QStringLiteral("an array of strings")))
        return out;
    const QJsonArray array = obj.value(key).toArray();
    if (array.size() > TemplateLimits::maxListItems) {
        problem(here, QStringLiteral("%1 entries, at most %2 allowed").arg(array.size()).arg(TemplateLimits::maxListItems));
        return out;
    }
    for (int i = 0; i < array.size(); ++i) {
        const QString itemAt = here + QLatin1Char('/') + QString::number(i);
        if (!isType(array.at(i), QJsonValue::String, itemAt, QStringLiteral("a string")))
            continue;
        if (array.at(i).toString().size() > maxChars)
            problem(itemAt, QStringLiteral("longer than %1 characters").arg(maxChars));
        else
            out.append(array.at(i).toString());
    }
    return out;
}

}  // namespace stemship::templates
