#include "io/atomicfile.h"

#include "io/signalcleanup.h"

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

namespace {
Error syncError(const QString &path, int error)
{
    return Error{path, QStringLiteral("cannot make the file durable (fsync): ") + QString::fromLocal8Bit(std::strerror(error)), {}};
}

// fsync through a fresh descriptor: the data written through any descriptor of the file is flushed (POSIX
// fsync acts on the file, not on the descriptor).
Status syncPath(const QString &path, int flags)
{
    const int fd = ::open(QFile::encodeName(path).constData(), flags | O_CLOEXEC);
    if (fd < 0)
        return syncError(path, errno);
    const int synced = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    // EINVAL: a file system that cannot sync this kind of file (some do not sync folders); nothing more to do.
    if (synced != 0 && error != EINVAL)
        return syncError(path, error);
    return {};
}
}  // namespace

Status syncFolder(const QString &folder) { return syncPath(folder, O_RDONLY | O_DIRECTORY); }

Status commitRename(const QString &temp, const QString &destination, Durability durability)
{
    const bool durable = durability == Durability::Durable;
    if (durable)
        if (Status s = syncPath(temp, O_RDONLY); !s)
            return Error{destination, s.error().what, {}};
    if (::rename(QFile::encodeName(temp).constData(), QFile::encodeName(destination).constData()) != 0)
        return Error{destination, QStringLiteral("cannot move the finished file into place: ")
                                      + QString::fromLocal8Bit(std::strerror(errno)), {}};
    if (durable)
        if (Status s = syncFolder(QFileInfo(destination).absolutePath()); !s)
            return Error{destination, s.error().what, {}};
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
    const CleanupRegistration registration(temp, false);  // a second Ctrl-C while writing removes it
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
    // fsync on the descriptor that wrote: a write-back error is reported here for certain.
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
