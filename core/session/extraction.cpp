#include "extraction.h"

#include "io/atomicfile.h"
#include "io/ziparchive.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QIODevice>

#include <fcntl.h>
#include <unistd.h>

#include <memory>

namespace stemship::session {
namespace {

constexpr qint64 kBlockBytes = 1 << 20;

// Copies one entry into temp, checking every write, then fsyncs it.
Status copyEntry(QIODevice *in, const QString &temp, const QString &destination, const CancelToken *cancel,
                 const std::function<void(qint64)> &advanced)
{
    QFile out(temp);
    if (!out.open(QIODevice::WriteOnly | QIODevice::NewOnly | QIODevice::Unbuffered))
        return Error{destination, QStringLiteral("cannot create: ") + out.errorString(), ErrorCode::Usage};
    QByteArray block(kBlockBytes, Qt::Uninitialized);
    for (;;) {
        if (cancel && cancel->cancelled())
            return Error::cancelled(destination);
        const qint64 n = in->read(block.data(), block.size());
        if (n < 0)
            return Error{destination, QStringLiteral("cannot read the entry: ") + in->errorString(), ErrorCode::Unreadable};
        if (n == 0)
            break;
        if (out.write(block.constData(), n) != n)
            return Error{destination, QStringLiteral("cannot write: ") + out.errorString(), ErrorCode::Unwritable};
        advanced(n);
    }
    if (::fsync(out.handle()) != 0)
        return Error{destination, QStringLiteral("cannot flush to disk"), ErrorCode::Unwritable};
    return {};
}

}  // namespace

QString firstExisting(const QStringList &paths)
{
    for (const QString &p : paths) {
        if (QFileInfo(p).exists() || QFileInfo(p).isSymLink())
            return p;
    }
    return {};
}

bool syncFolder(const QString &dir)
{
    const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

Result<ExtractionPlan> planExtraction(const QString &zipPath, const QString &dir)
{
    Result<io::ZipArchive> zip = io::ZipArchive::open(zipPath);
    if (!zip)
        return Error{zipPath, zip.error().what, ErrorCode::Usage};
    QStringList problems;
    for (const io::ZipProblem &p : zip->hostileEntries())
        problems.append(p.entry.isEmpty() ? p.what : p.entry + QStringLiteral(": ") + p.what);
    ExtractionPlan plan;
    for (const io::ZipEntry &e : zip->entries()) {
        if (e.isDirectory)
            continue;
        // A delivery is flat; a name with a folder in it is not Stemship's and is refused rather than guessed at.
        if (e.name.contains(QLatin1Char('/')) || e.name.contains(QLatin1Char('\\')) || e.name.startsWith(QLatin1Char('.')))
            problems.append(e.name + QStringLiteral(": not a plain file name"));
        plan.entries.append(e.name);
        plan.destinations.append(QDir(dir).filePath(e.name));
    }
    if (!problems.isEmpty())
        return Error{zipPath, QStringLiteral("unsafe to extract, nothing written: ") + problems.join(QStringLiteral("; ")), ErrorCode::UnsafeArchive};
    return plan;
}

Status extractEntries(const QString &zipPath, const ExtractionPlan &plan, const CancelToken *cancel,
                      const std::function<void(qint64, qint64)> &progress)
{
    Result<io::ZipArchive> zip = io::ZipArchive::open(zipPath);
    if (!zip)
        return Error{zipPath, zip.error().what, ErrorCode::Usage};
    qint64 total = 0, done = 0;
    for (const QString &name : plan.entries)
        total += qint64(zip->entry(name) ? zip->entry(name)->size : 0);
    QStringList written;
    auto undo = [&](Error e) {
        for (const QString &path : written)
            QFile::remove(path);
        return e;
    };
    for (qsizetype i = 0; i < plan.entries.size(); ++i) {
        const QString &destination = plan.destinations[i];
        QString why;
        std::unique_ptr<QIODevice> in = zip->openEntry(plan.entries[i], &why);
        if (!in)
            return undo(Error{zipPath + QLatin1Char('!') + plan.entries[i], why, ErrorCode::Unreadable});
        const QString temp = io::tempPathBeside(destination);
        Status copied = copyEntry(in.get(), temp, destination, cancel, [&](qint64 n) {
            done += n;
            if (progress)
                progress(done, total);
        });
        if (!copied) {
            QFile::remove(temp);
            return undo(copied.error());
        }
        // Never over an existing file: link() fails with EEXIST where rename() would replace it.
        if (::link(QFile::encodeName(temp).constData(), QFile::encodeName(destination).constData()) != 0) {
            QFile::remove(temp);
            return undo(Error{destination, QStringLiteral("already exists or cannot be created; nothing is overwritten"), ErrorCode::Usage});
        }
        QFile::remove(temp);
        written.append(destination);
    }
    if (!plan.destinations.isEmpty() && !syncFolder(QFileInfo(plan.destinations.first()).absolutePath()))
        return undo(Error{QFileInfo(plan.destinations.first()).absolutePath(), QStringLiteral("cannot flush the folder to disk"), ErrorCode::Unwritable});
    return {};
}

}  // namespace stemship::session
