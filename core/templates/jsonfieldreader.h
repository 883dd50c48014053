#pragma once

// Typed, located reading of JSON fields: each value read with its JSON pointer, every mistake (wrong type, out of
// range, too long, unknown key with a suggestion, missing key) recorded as a problem rather than thrown. The
// template parser reads its schema through it.

#include "templates/templateparser.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

#include <optional>

namespace stemship::templates {

class JsonFieldReader {
public:
    QList<TemplateProblem> problems;
    QStringList blocked;  // locations already reported: semantic checks stay quiet about them
    bool wrongFormat = false;  // the document names another format; nothing else of it was read

    // The document's "format" (and "$schema"): false, with a problem and wrongFormat set, when it names another
    // format than `expected`; its other keys then mean other things and are not read.
    bool readFormat(const QJsonObject &root, const char *expected);

    // Records a problem at pointer; `blocks` (default: pointer) is what later checks should leave alone.
    void problem(const QString &pointer, const QString &what, const QString &blocks = {});
    // Unknown keys (with a suggestion) and missing required keys of one object.
    void checkKeys(const QJsonObject &obj, const QString &at, const QStringList &allowed, const QStringList &required);
    bool isType(const QJsonValue &v, QJsonValue::Type type, const QString &at, const QString &expected);

    // Each returns nothing (or empty) when the key is absent or its value is wrong (then with a problem).
    QString string(const QJsonObject &obj, const QString &key, const QString &at, int maxChars = TemplateLimits::maxStringChars);
    std::optional<double> number(const QJsonObject &obj, const QString &key, const QString &at, double lo, double hi);
    std::optional<int> integer(const QJsonObject &obj, const QString &key, const QString &at, int lo, int hi);
    std::optional<bool> boolean(const QJsonObject &obj, const QString &key, const QString &at);
    QStringList strings(const QJsonObject &obj, const QString &key, const QString &at, int maxChars);

    // An array of objects under key, at most maxItems; calls each(obj, pointer) for the objects.
    template <typename Each>
    void objects(const QJsonObject &obj, const QString &key, const QString &at, int maxItems, Each each)
    {
        if (!obj.contains(key))
            return;
        const QString here = at + QLatin1Char('/') + key;
        if (!isType(obj.value(key), QJsonValue::Array, here, QStringLiteral("an array")))
            return;
        const QJsonArray array = obj.value(key).toArray();
        if (array.size() > maxItems) {
            problem(here, QStringLiteral("%1 entries, at most %2 allowed").arg(array.size()).arg(maxItems));
            return;
        }
        for (int i = 0; i < array.size(); ++i) {
            const QString itemAt = here + QLatin1Char('/') + QString::number(i);
            if (isType(array.at(i), QJsonValue::Object, itemAt, QStringLiteral("an object")))
                each(array.at(i).toObject(), itemAt);
        }
    }
};

}  // namespace stemship::templates
