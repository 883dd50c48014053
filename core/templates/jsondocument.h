#pragma once

// The guarded first step of reading a located JSON file (templates, delivery profiles): size limit, nesting
// bound by a byte scan before the recursive parser, syntax, a top-level object; each failure one located problem.

#include "templates/jsonlocator.h"
#include "templates/templateparser.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

namespace stemship::templates {

struct JsonDocumentRead {
    QJsonObject root;
    JsonScan scan;                    // maps the problems' pointers to lines
    QList<TemplateProblem> problems;  // at most one: why there is no root object
    bool ok() const { return problems.isEmpty(); }
};

// kind names the document in messages ("template", "profile").
JsonDocumentRead readJsonObject(const QByteArray &json, qint64 maxBytes, int maxDepth, const QString &kind);

// Gives each problem its line and sorts them by line (stable), as validators print them.
void locateProblems(const JsonScan &scan, QList<TemplateProblem> *problems);

}  // namespace stemship::templates
