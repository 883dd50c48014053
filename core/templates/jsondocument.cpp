#include "templates/jsondocument.h"

#include <QJsonDocument>

#include <algorithm>

namespace stemship::templates {

JsonDocumentRead readJsonObject(const QByteArray &json, qint64 maxBytes, int maxDepth, const QString &kind)
{
    JsonDocumentRead read;
    if (json.size() > maxBytes) {
        read.problems.append({{}, 0, QStringLiteral("file is %1 bytes, more than the %2 allowed for a %3")
                                         .arg(json.size()).arg(maxBytes).arg(kind)});
        return read;
    }
    // The byte scan bounds nesting before QJsonDocument, which recurses once per level.
    read.scan = scanJson(json, maxDepth);
    if (read.scan.tooDeep) {
        read.problems.append({{}, read.scan.tooDeepLine, QStringLiteral("nested more than %1 levels deep").arg(maxDepth)});
        return read;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        read.problems.append({{}, lineAtOffset(json, parseError.offset),
                              QStringLiteral("not valid JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset)});
        return read;
    }
    if (!doc.isObject()) {
        read.problems.append({{}, 1, QStringLiteral("expected a JSON object at the top level")});
        return read;
    }
    read.root = doc.object();
    return read;
}

void locateProblems(const JsonScan &scan, QList<TemplateProblem> *problems)
{
    for (TemplateProblem &p : *problems)
        p.line = scan.lineOf(p.pointer);
    std::stable_sort(problems->begin(), problems->end(),
                     [](const TemplateProblem &a, const TemplateProblem &b) { return a.line < b.line; });
}

}  // namespace stemship::templates
