#include "profiles/profilestore.h"

#include "profiles/profileparser.h"
#include "templates/templatestore.h"
#include "util/datadir.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace stemship::profiles {

QString profilesDir() { return stemshipDataDir() + QStringLiteral("/profiles"); }

QStringList listProfiles()
{
    QStringList names;
    const QDir dir(profilesDir());
    for (const QFileInfo &file : dir.entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        names.append(file.completeBaseName());
    names.sort();  // by name: "ebu-r128" before "ebu-r128-s1", whatever the file names' extensions do
    return names;
}

QList<ProfileInfo> bundledProfiles()
{
    QList<ProfileInfo> infos;
    for (const QString &name : listProfiles()) {
        ProfileInfo info;
        info.name = name;
        info.path = bundledProfilePath(name);
        const Result<QByteArray> bytes = templates::readTemplateFile(info.path);
        if (!bytes) {
            info.problem = bytes.error().what;
            infos.append(info);
            continue;
        }
        const ProfileReadResult read = readProfile(*bytes);
        if (!read.ok())
            info.problem = read.problems.first().where() + QStringLiteral(": ") + read.problems.first().what;
        info.title = read.profile.title;
        info.description = read.profile.description;
        infos.append(info);
    }
    return infos;
}

QString bundledProfilePath(const QString &name)
{
    // A bundled name is a plain identifier: "../x" or "a/b" never leave the profiles folder.
    static const QRegularExpression syntax(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]*$"));
    if (!syntax.match(name).hasMatch())
        return {};
    const QString path = profilesDir() + QLatin1Char('/') + name + QStringLiteral(".json");
    return QFileInfo(path).isFile() ? path : QString();
}

Result<QString> resolveProfile(const QString &nameOrFile)
{
    if (QFileInfo(nameOrFile).isFile())
        return nameOrFile;
    const bool looksLikePath = nameOrFile.contains(QLatin1Char('/')) || nameOrFile.contains(QLatin1Char('\\'))
                            || nameOrFile.endsWith(QLatin1String(".json"), Qt::CaseInsensitive);
    if (!looksLikePath) {
        const QString path = bundledProfilePath(nameOrFile);
        if (!path.isEmpty())
            return path;
        return Error{nameOrFile,
                     QStringLiteral("no such profile (bundled: %1)").arg(listProfiles().join(QStringLiteral(", "))),
                     ErrorCode::NotFound};
    }
    return Error{nameOrFile, QStringLiteral("no such file"), ErrorCode::NotFound};
}

Result<DeliveryProfile> loadProfile(const QString &nameOrFile)
{
    const Result<QString> path = resolveProfile(nameOrFile);
    if (!path)
        return path.error();
    const Result<QByteArray> bytes = templates::readTemplateFile(*path);
    if (!bytes)
        return bytes.error();
    ProfileReadResult read = readProfile(*bytes);
    if (read.ok())
        return std::move(read.profile);
    QString what = read.problems.first().where() + QStringLiteral(": ") + read.problems.first().what;
    if (read.problems.size() > 1)
        what += QStringLiteral(" (and %1 more)").arg(read.problems.size() - 1);
    return Error{*path, what, ErrorCode::InvalidProfile};
}

QStringList profileProblemLines(const QString &nameOrFile)
{
    const Result<QString> path = resolveProfile(nameOrFile);
    if (!path)
        return {path.error().line()};
    const Result<QByteArray> bytes = templates::readTemplateFile(*path);
    if (!bytes)
        return {bytes.error().line()};
    QStringList lines;
    for (const ProfileProblem &p : readProfile(*bytes).problems)
        lines.append(p.message(*path));
    return lines;
}

}  // namespace stemship::profiles
