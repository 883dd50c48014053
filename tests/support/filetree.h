#pragma once

// What a folder holds, to prove a job wrote nothing it should not have and changed no source.

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

class QTemporaryDir;

namespace stemship::test {

QStringList listTree(const QString &root);                // every entry below root, hidden ones too, sorted
QHash<QString, QByteArray> hashTree(const QString &root);  // SHA-256 of every file below root
// Writes data to dir/name and returns the path; a test that cannot write its input stops (qFatal).
QString writeFileIn(const QTemporaryDir &dir, const QString &name, const QByteArray &data);

}  // namespace stemship::test
