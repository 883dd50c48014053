#include "io/atomicfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <csignal>
#include <unistd.h>

namespace stemship::io {
namespace {
QString tempPrefix(const QFileInfo &destination)
{
    return QLatin1Char('.') + destination.fileName() + QStringLiteral(".stemship-tmp-");
}
}  // namespace

QString tempPathBeside(const QString &destination, const QString &suffix)
{
    const QFileInfo info(destination);
    const QString name = tempPrefix(info) + QString::number(qint64(::getpid())) + QLatin1Char('-')
        + QString::number(QRandomGenerator::system()->generate64(), 36) + suffix;
    return info.absoluteDir().filePath(name);
}

Status commitRename(const QString &temp, const QString &destination)
{
    if (::rename(QFile::encodeName(temp).constData(), QFile::encodeName(destination).constData()) != 0)
        return Error{destination, QStringLiteral("cannot move the finished file into place: ")
                                      + QString::fromLocal8Bit(std::strerror(errno)), {}};
    return {};
}

int removeStaleTemps(const QString &destination)
{
    const QFileInfo info(destination);
    const QString prefix = tempPrefix(info);
    const QDir dir = info.absoluteDir();
    int removed = 0;
    const QStringList names = dir.entryList({prefix + QLatin1Char('*')},
                                            QDir::Files | QDir::Dirs | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    for (const QString &name : names) {
        const QString rest = name.mid(prefix.size());
        bool ok = false;
        const qint64 pid = rest.section(QLatin1Char('-'), 0, 0).toLongLong(&ok);
        if (!ok || pid <= 0)
            continue;
        // kill(pid, 0): ESRCH means no such process; EPERM means it lives under another user.
        if (pid == qint64(::getpid()) || ::kill(pid_t(pid), 0) == 0 || errno != ESRCH)
            continue;
        if (removePath(dir.filePath(name)))
            ++removed;
    }
    return removed;
}

bool removePath(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists() && !info.isSymLink())
        return true;
    if (info.isDir() && !info.isSymLink())
        return QDir(path).removeRecursively();
    return QFile::remove(path);
}

}  // namespace stemship::io
