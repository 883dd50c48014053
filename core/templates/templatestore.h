#pragma once

// Finding and loading templates: bundled ones by name (in stemshipDataDir()/templates) or any file by path.

#include "templates/sessiontemplate.h"
#include "util/error.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace stemship::templates {

struct TemplateInfo {
    QString name;         // "band-tracking" (the file's base name)
    QString title;
    QString description;
    QString path;
    int trackCount = 0;
    double tempoBpm = 0;
    QString timeSignature;  // "4/4"
    QString problem;        // non-empty when the bundled file does not validate
};

// Names of the bundled templates, sorted.
QStringList listTemplates();

// Details of each bundled template, sorted by name.
QList<TemplateInfo> bundledTemplates();

// Path of the bundled template NAME, or empty.
QString bundledTemplatePath(const QString &name);

// An existing file path, else a bundled template name. Error codes: "not_found" (no such file or template),
// "unreadable" (cannot read, too large), "invalid_template" (see parseTemplate).
Result<SessionTemplate> loadTemplate(const QString &nameOrFile);

// The path loadTemplate() would read, or an Error (code "not_found").
Result<QString> resolveTemplate(const QString &nameOrFile);

// A file's bytes, refusing files over TemplateLimits::maxFileBytes before reading them.
Result<QByteArray> readTemplateFile(const QString &path);

}  // namespace stemship::templates
