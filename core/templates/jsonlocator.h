#pragma once

// A byte scan of JSON text that bounds nesting before any recursive parser runs, and maps JSON pointers to lines.

#include <QByteArray>
#include <QHash>
#include <QString>

namespace stemship::templates {

struct JsonScan {
    bool tooDeep = false;        // nesting beyond maxDepth; scanning stopped there
    int tooDeepLine = 0;
    QHash<QString, int> lines;   // JSON pointer ("/tracks/3/colour") -> 1-based line where its value starts

    int lineOf(const QString &pointer) const;  // the line of pointer, else of its nearest ancestor, else 0
};

// Iterative (no recursion), linear in the size; tolerates malformed text (QJsonDocument reports syntax).
JsonScan scanJson(const QByteArray &json, int maxDepth);

// 1-based line of a byte offset.
int lineAtOffset(const QByteArray &json, qsizetype offset);

// RFC 6901 escaping of one pointer segment ("~" -> "~0", "/" -> "~1").
QString pointerSegment(const QString &key);

}  // namespace stemship::templates
