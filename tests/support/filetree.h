#pragma once

// What a folder holds, to prove a job wrote nothing it should not have and changed no source.

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

namespace stemship::test {

QStringList listTree(const QString &root);                // every entry below root, hidden ones too, sorted
QHash<QString, QByteArray> hashTree(const QString &root);  // SHA-256 of every file below root

}  // namespace stemship::test
