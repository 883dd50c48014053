#include "io/atomicfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <csignal>
#include <fcntl.h>
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

Status writeFileAtomically(const QString &destination, const QByteArray &data)
{
    removeStaleTemps(destination);
    const QString temp = tempPathBeside(destination);
    const QByteArray tempName = QFile::encodeName(temp);
    const int fd = ::open(tempName.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return Error{destination, QStringLiteral("cannot write: ") + QString::fromLocal8Bit(std::strerror(errno)), {}};
    auto fail = [&](int error) {
        ::close(fd);
        ::unlink(tempName.constData());
        return Error{destination, QStringLiteral("cannot write: ") + QString::fromLocal8Bit(std::strerror(error)), {}};
    };
    const char *p = data.constData();
    qint64 left = data.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, size_t(left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return fail(n < 0 ? errno : ENOSPC);
        p += n;
        left -= n;
    }
    if (::fsync(fd) != 0)
        return fail(errno);
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(tempName.constData());
        return Error{destination, QStringLiteral("cannot write: ") + QString::fromLocal8Bit(std::strerror(error)), {}};
    }
    if (Status status = commitRename(temp, destination); !status) {
        ::unlink(tempName.constData());
        return status;
    }
    return {};
}

}  // namespace stemship::io
