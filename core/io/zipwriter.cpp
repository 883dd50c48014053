#include "io/zipwriter.h"

#include "io/checkedwrite.h"
#include "util/parallel.h"

#include <QDateTime>
#include <QFile>

#include <algorithm>
#include <atomic>
#include <optional>
#include <system_error>
#include <thread>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

namespace stemship::io {
namespace {

void put(QByteArray &out, std::uint64_t value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out.append(char((value >> (8 * i)) & 0xff));
}

// APPNOTE §4.4.6: MS-DOS time and date, local time, two-second resolution.
std::pair<std::uint16_t, std::uint16_t> dosTimeDate(const QDateTime &t)
{
    const QDate d = t.date();
    const QTime c = t.time();
    const int year = std::clamp(d.year(), 1980, 2107);
    return {std::uint16_t((c.hour() << 11) | (c.minute() << 5) | (c.second() / 2)),
            std::uint16_t(((year - 1980) << 9) | (d.month() << 5) | d.day())};
}

// fsync(fd) on a thread of its own while `meanwhile` runs on this one (inline when there is nothing to do meanwhile
// or no thread can be started); the fsync's errno, 0 on success.
int syncWhile(int fd, const std::function<void()> &meanwhile)
{
    std::atomic<int> error{0};
    auto sync = [&] { error = ::fsync(fd) == 0 ? 0 : errno; };
    std::optional<std::thread> syncing;
    if (meanwhile) {
        try {
            syncing.emplace(sync);
        } catch (const std::system_error &) {
            syncing.reset();
        }
    }
    if (!syncing)
        sync();
    try {
        if (meanwhile)
            meanwhile();
    } catch (...) {
        if (syncing)
            syncing->join();  // a joinable thread must not be destroyed
        throw;
    }
    if (syncing)
        syncing->join();
    return error;
}

}  // namespace

Status OffsetWriter::write(const void *data, std::size_t bytes)
{
    if (m_written + bytes > m_capacity)
        return Error{m_name, QStringLiteral("%1 bytes written into an entry of %2").arg(m_written + bytes).arg(m_capacity), {}};
    if (!pwriteAll(m_fd, data, bytes, m_offset + m_written))
        return Error{m_name, QStringLiteral("write failed (disk full?): ") + QString::fromLocal8Bit(std::strerror(errno)), {}};
    m_written += bytes;
#ifdef __linux__
    constexpr std::uint64_t kWritebackBytes = 8u << 20;
    if (m_written - m_writebackFrom >= kWritebackBytes) {
        // Only a start: a failure here (or a write-back error) is reported by the fsync in close().
        ::sync_file_range(m_fd, off64_t(m_offset + m_writebackFrom), off64_t(m_written - m_writebackFrom), SYNC_FILE_RANGE_WRITE);
        m_writebackFrom = m_written;
    }
#endif
    return {};
}

bool needsZip64(std::uint64_t entryBytes) { return entryBytes > 0xF0000000ull; }

struct ZipWriter::Impl {
    struct Entry {
        QByteArray name;  // UTF-8
        std::uint32_t crc = 0;
        std::uint64_t size = 0, offset = 0;
    };

    QString path;
    int fd = -1;
    bool zip64 = false;
    bool closed = false;
    std::uint64_t end = 0;  // where the next entry starts
    std::pair<std::uint16_t, std::uint16_t> timeDate;
    std::vector<Entry> entries;

    Error fail(const QString &what, int error) const
    {
        return Error{path, what + QStringLiteral(": ") + QString::fromLocal8Bit(std::strerror(error)), {}};
    }
    int version() const { return zip64 ? 45 : 10; }  // 4.5: zip64; 1.0: stored

    // APPNOTE §4.4.10: the name's length is a 16-bit field.
    std::optional<Error> badName(const QString &name) const
    {
        if (name.toUtf8().size() > 0xffff)
            return Error{path, QStringLiteral("entry name of %1 bytes is longer than a zip allows (65 535)").arg(name.toUtf8().size()), {}};
        return std::nullopt;
    }
    // Records an entry at the end of the archive; returns its index.
    std::size_t add(const QString &name, std::uint64_t size)
    {
        Entry e{name.toUtf8(), 0, size, end};
        end += localSize(e) + size;
        entries.push_back(e);
        return entries.size() - 1;
    }
    std::uint64_t localSize(const Entry &e) const { return 30 + std::uint64_t(e.name.size()) + (zip64 ? 20 : 0); }

    // The fields the local header and the central directory record share, in the same order (APPNOTE §4.3.7,
    // §4.3.12): version needed, flags, method, time, date, CRC-32, both sizes, name length.
    void putShared(QByteArray &out, const Entry &e) const
    {
        put(out, std::uint64_t(version()), 2);
        put(out, 0x800, 2);  // §4.4.4 bit 11: the name is UTF-8
        put(out, 0, 2);      // method 0: stored
        put(out, timeDate.first, 2);
        put(out, timeDate.second, 2);
        put(out, e.crc, 4);
        put(out, zip64 ? 0xffffffffu : e.size, 4);
        put(out, zip64 ? 0xffffffffu : e.size, 4);
        put(out, std::uint64_t(e.name.size()), 2);
    }

    QByteArray local(const Entry &e) const
    {
        QByteArray out;
        put(out, 0x04034b50, 4);
        putShared(out, e);
        put(out, zip64 ? 20 : 0, 2);
        out.append(e.name);
        if (zip64) {  // §4.5.3: original then compressed size
            put(out, 1, 2);
            put(out, 16, 2);
            put(out, e.size, 8);
            put(out, e.size, 8);
        }
        return out;
    }

    QByteArray central() const
    {
        QByteArray out;
        for (const Entry &e : entries) {
            put(out, 0x02014b50, 4);
            put(out, (3 << 8) | 30, 2);  // made by Unix, 3.0: the high external bytes are st_mode
            putShared(out, e);
            put(out, zip64 ? 28 : 0, 2);
            put(out, 0, 2);  // comment
            put(out, 0, 2);  // disk
            put(out, 0, 2);  // internal attributes
            put(out, std::uint64_t(0100644) << 16, 4);  // regular file, rw-r--r--
            put(out, zip64 ? 0xffffffffu : e.offset, 4);
            out.append(e.name);
            if (zip64) {
                put(out, 1, 2);
                put(out, 24, 2);
                put(out, e.size, 8);
                put(out, e.size, 8);
                put(out, e.offset, 8);
            }
        }
        return out;
    }
};

ZipWriter::ZipWriter() = default;

ZipWriter::~ZipWriter()
{
    if (m_impl && m_impl->fd >= 0) {
        ::close(m_impl->fd);
        if (!m_impl->closed)
            ::unlink(QFile::encodeName(m_impl->path).constData());
    }
}

Status ZipWriter::open(const QString &path, bool zip64)
{
    m_impl = std::make_unique<Impl>();
    m_impl->path = path;
    m_impl->zip64 = zip64;
    m_impl->timeDate = dosTimeDate(QDateTime::currentDateTime());
    m_impl->fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (m_impl->fd < 0)
        return m_impl->fail(QStringLiteral("cannot create the zip"), errno);
    return {};
}

namespace {

// Copies `bytes` of sourcePath to fd at `to`: by the kernel (copy_file_range), or through a buffer where it
// cannot (another file system, an old kernel). name is the entry's, zipPath the archive's, for errors.
Status copyInto(int fd, std::uint64_t to, const QString &sourcePath, std::uint64_t bytes, const QString &zipPath,
                const QString &name, const CancelToken &cancel)
{
    auto error = [](const QString &file, const QString &what, int e) {
        return Error{file, what + QStringLiteral(": ") + QString::fromLocal8Bit(std::strerror(e)), {}};
    };
    const int in = ::open(QFile::encodeName(sourcePath).constData(), O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return error(sourcePath, QStringLiteral("cannot open"), errno);
    const struct Closer { int fd; ~Closer() { ::close(fd); } } closer{in};
    const QString writeFailed = QStringLiteral("write failed while adding %1 (disk full?)").arg(name);
    loff_t from = 0, out = loff_t(to);
    std::uint64_t left = bytes;
    bool kernelCopy = true;
    std::vector<char> buffer;
    while (left > 0 && !cancel.cancelled()) {
        const std::size_t chunk = std::size_t(std::min<std::uint64_t>(left, std::uint64_t(64) << 20));
        ssize_t n = -1;
        if (kernelCopy) {
            n = ::copy_file_range(in, &from, fd, &out, chunk, 0);
            if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP || errno == EINVAL)) {
                kernelCopy = false;
                continue;
            }
        } else {
            buffer.resize(std::size_t(4) << 20);
            n = ::pread(in, buffer.data(), std::min(chunk, buffer.size()), from);
            if (n > 0 && !pwriteAll(fd, buffer.data(), std::size_t(n), std::uint64_t(out)))
                return error(zipPath, writeFailed, errno);
            if (n > 0) {
                from += n;
                out += n;
            }
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0)  // the source ended early: it changed after it was hashed
            return error(sourcePath, QStringLiteral("shorter than when it was written"), EIO);
        if (n < 0)
            return error(zipPath, writeFailed, errno);
        left -= std::uint64_t(n);
    }
    return {};
}

}  // namespace

Status ZipWriter::addFiles(const QList<File> &files, int jobCount, const CancelToken &cancel)
{
    Impl &d = *m_impl;
    for (const File &f : files)
        if (auto bad = d.badName(f.name))
            return *bad;
    // Offsets first (they follow from the sizes), then every entry written at its own place, in parallel.
    struct Job {
        const File *file;
        QByteArray local;
        std::uint64_t offset;
        Status status;
    };
    std::vector<Job> jobs;
    jobs.reserve(std::size_t(files.size()));
    for (const File &f : files) {
        Impl::Entry &e = d.entries[d.add(f.name, f.digest.bytes)];
        e.crc = f.digest.crc32;
        jobs.push_back(Job{&f, d.local(e), e.offset, {}});
    }
    std::atomic<bool> failed{false};
    const Status copied = parallelFor(int(jobs.size()), jobCount, [&](int index) {
        Job &job = jobs[std::size_t(index)];
        if (failed.load(std::memory_order_relaxed) || cancel.cancelled())
            return;
        const File &f = *job.file;
        if (!pwriteAll(d.fd, job.local.constData(), std::size_t(job.local.size()), job.offset))
            job.status = d.fail(QStringLiteral("write failed while adding %1 (disk full?)").arg(f.name), errno);
        else
            job.status = copyInto(d.fd, job.offset + std::uint64_t(job.local.size()), f.sourcePath, f.digest.bytes, d.path,
                                  f.name, cancel);
        if (!job.status)
            failed = true;
        else if (!cancel.cancelled())
            QFile::remove(f.sourcePath);
    });
    if (!copied)
        return Error{d.path, copied.error().what, copied.error().code};
    if (cancel.cancelled())
        return Error::cancelled(d.path);
    for (const Job &job : jobs)
        if (!job.status)
            return job.status;
    return {};
}

Status ZipWriter::addData(const QString &name, const QByteArray &data)
{
    Impl &d = *m_impl;
    if (auto bad = d.badName(name))
        return *bad;
    Impl::Entry &e = d.entries[d.add(name, std::uint64_t(data.size()))];
    e.crc = crc32Update(0, data.constData(), std::size_t(data.size()));
    const QByteArray local = d.local(e) + data;
    if (!pwriteAll(d.fd, local.constData(), std::size_t(local.size()), e.offset))
        return d.fail(QStringLiteral("write failed while adding %1 (disk full?)").arg(name), errno);
    return {};
}

Result<ZipWriter::Reserved> ZipWriter::reserve(const QString &name, std::uint64_t bytes)
{
    Impl &d = *m_impl;
    if (auto bad = d.badName(name))
        return *bad;
    const std::size_t index = d.add(name, bytes);
    const Impl::Entry &e = d.entries[index];
    return Reserved{index, OffsetWriter(d.fd, e.offset + d.localSize(e), bytes, name)};
}

Status ZipWriter::preallocate()
{
    Impl &d = *m_impl;
    if (!io::preallocate(d.fd, 0, d.end))
        return d.fail(QStringLiteral("not enough space for the zip (disk full?)"), errno);
    return {};
}

Status ZipWriter::commitReserved(std::size_t index, const FileDigest &digest)
{
    Impl &d = *m_impl;
    Impl::Entry &e = d.entries[index];
    if (digest.bytes != e.size)
        return Error{d.path, QStringLiteral("%1: %2 bytes written, %3 reserved").arg(QString::fromUtf8(e.name)).arg(digest.bytes).arg(e.size), {}};
    e.crc = digest.crc32;
    const QByteArray local = d.local(e);
    if (!pwriteAll(d.fd, local.constData(), std::size_t(local.size()), e.offset))
        return d.fail(QStringLiteral("write failed while adding %1 (disk full?)").arg(QString::fromUtf8(e.name)), errno);
    return {};
}

Status ZipWriter::close(const std::function<void()> &whileSyncing)
{
    Impl &d = *m_impl;
    QByteArray tail = d.central();
    const std::uint64_t count = d.entries.size(), cdOffset = d.end, cdSize = std::uint64_t(tail.size());
    if (d.zip64) {
        // §4.3.14 zip64 end of central directory record, §4.3.15 its locator.
        put(tail, 0x06064b50, 4);
        put(tail, 44, 8);
        put(tail, (3 << 8) | 45, 2);
        put(tail, 45, 2);
        put(tail, 0, 4);
        put(tail, 0, 4);
        put(tail, count, 8);
        put(tail, count, 8);
        put(tail, cdSize, 8);
        put(tail, cdOffset, 8);
        put(tail, 0x07064b50, 4);
        put(tail, 0, 4);
        put(tail, cdOffset + cdSize, 8);
        put(tail, 1, 4);
    } else if (cdOffset + cdSize >= 0xffffffffull || count >= 0xffff) {  // every entry lies below cdOffset
        return Error{d.path, QStringLiteral("the zip needs zip64"), {}};
    }
    put(tail, 0x06054b50, 4);
    put(tail, 0, 4);
    put(tail, d.zip64 ? 0xffff : count, 2);
    put(tail, d.zip64 ? 0xffff : count, 2);
    put(tail, d.zip64 ? 0xffffffffu : cdSize, 4);
    put(tail, d.zip64 ? 0xffffffffu : cdOffset, 4);
    put(tail, 0, 2);
    if (!pwriteAll(d.fd, tail.constData(), std::size_t(tail.size()), d.end))
        return d.fail(QStringLiteral("cannot finish the zip (disk full?)"), errno);
    d.end += std::uint64_t(tail.size());
    // Durable before anyone renames it into place (the caller fsyncs the folder after the rename). The fsync mostly
    // waits for the disk: whileSyncing (the packager's verify, reading the page cache) runs meanwhile.
    const int synced = syncWhile(d.fd, whileSyncing);
    if (synced != 0 && synced != EINVAL) {
        const int e = synced;
        ::close(d.fd);
        d.fd = -1;
        ::unlink(QFile::encodeName(d.path).constData());
        return d.fail(QStringLiteral("cannot flush the zip to disk"), e);
    }
    if (::close(d.fd) != 0) {
        d.fd = -1;
        ::unlink(QFile::encodeName(d.path).constData());
        return d.fail(QStringLiteral("cannot finish the zip"), errno);
    }
    d.fd = -1;
    d.closed = true;
    return {};
}

}  // namespace stemship::io
