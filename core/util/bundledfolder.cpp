#include "util/bundledfolder.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace stemship {

QStringList BundledFolder::names() const
{
    QStringList names;
    const QDir folder(dir);
    for (const QFileInfo &file : folder.entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        names.append(file.completeBaseName());
    names.sort();  // by name, whatever the file names' extensions do to the order
    return names;
}

QString BundledFolder::pathOf(const QString &name) const
{
    // A bundled name is a plain identifier: "../x" or "a/b" never leave the folder.
    static const QRegularExpression syntax(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]*$"));
    if (!syntax.match(name).hasMatch())
        return {};
    const QString path = dir + QLatin1Char('/') + name + QStringLiteral(".json");
    return QFileInfo(path).isFile() ? path : QString();
}

Result<QString> BundledFolder::resolve(const QString &nameOrFile) const
{
    if (QFileInfo(nameOrFile).isFile())
        return nameOrFile;
    const bool looksLikePath = nameOrFile.contains(QLatin1Char('/')) || nameOrFile.contains(QLatin1Char('\\'))
                            || nameOrFile.endsWith(QLatin1String(".json"), Qt::CaseInsensitive);
    if (looksLikePath)
        return Error{nameOrFile, QStringLiteral("no such file"), ErrorCode::NotFound};
    const QString path = pathOf(nameOrFile);
    if (!path.isEmpty())
        return path;
    return Error{nameOrFile, QStringLiteral("no such %1 (bundled: %2)").arg(kind, names().join(QStringLiteral(", "))),
                 ErrorCode::NotFound};
}

}  // namespace stemship
