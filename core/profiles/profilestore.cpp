#include "profiles/profilestore.h"

#include "profiles/profileparser.h"
#include "templates/templatestore.h"
#include "util/bundledfolder.h"
#include "util/datadir.h"

namespace stemship::profiles {

namespace {
BundledFolder bundledFolder() { return BundledFolder{profilesDir(), QStringLiteral("profile")}; }
}  // namespace

QString profilesDir() { return stemshipDataDir() + QStringLiteral("/profiles"); }

QStringList listProfiles() { return bundledFolder().names(); }

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
            info.problem = read.problems.first().text();
        info.title = read.profile.title;
        info.description = read.profile.description;
        infos.append(info);
    }
    return infos;
}

QString bundledProfilePath(const QString &name) { return bundledFolder().pathOf(name); }

Result<QString> resolveProfile(const QString &nameOrFile) { return bundledFolder().resolve(nameOrFile); }

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
    return Error{*path, templates::problemsSummary(read.problems), ErrorCode::InvalidProfile};
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
