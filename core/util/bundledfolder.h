#pragma once

// A folder of bundled JSON files (templates, profiles) found by name, or any file by path.

#include "util/error.h"

#include <QString>
#include <QStringList>

namespace stemship {

// The bundled files of one kind: "<dir>/<name>.json". The kind ("template", "profile") names it in errors.
struct BundledFolder {
    QString dir;
    QString kind;

    // The bundled names (the files' base names), sorted by name: "ebu-r128" before "ebu-r128-s1".
    QStringList names() const;
    // The path of the bundled file NAME, or empty when there is none.
    QString pathOf(const QString &name) const;
    // An existing file path, else a bundled name; else an Error with code "not_found" ("no such file" for what
    // looks like a path, "no such <kind> (bundled: ...)" for a name).
    Result<QString> resolve(const QString &nameOrFile) const;
};

}  // namespace stemship
